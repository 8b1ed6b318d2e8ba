"""What requirement files declare: PEP 508 lines, `-r` includes, editable and local folders, URLs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from nbaprops.errors import AuditError
from nbaprops.ops.audit._import_map import canonicalize


@dataclass(frozen=True)
class Requirement:
    """One declared distribution: `name` as written, `where` as `file:line` or `file [table]`."""

    name: str
    where: str
    source: Path
    extras: tuple[str, ...] = ()
    marker: str | None = None
    spec: str = ""  # what pip installs; "" when the text is not PEP 508 (Poetry constraints)

    @property
    def canonical_name(self) -> str:
        return canonicalize(self.name)


@dataclass(frozen=True)
class LocalPath:
    """A local folder the service installs (`-e ../lib`, Poetry `{path = ...}`)."""

    path: Path
    where: str
    source: Path


@dataclass(frozen=True)
class Declarations:
    """Everything a service's requirement files and pyproject.toml declare."""

    files: tuple[Path, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    local_paths: tuple[LocalPath, ...] = ()
    unnamed: tuple[str, ...] = ()  # locations of URLs whose distribution name cannot be known

    def merged(self, other: Declarations) -> Declarations:
        return Declarations(
            files=self.files + other.files,
            requirements=self.requirements + other.requirements,
            local_paths=self.local_paths + other.local_paths,
            unnamed=self.unnamed + other.unnamed,
        )

    def by_canonical_name(self) -> dict[str, Requirement]:
        """The first declaration of each distribution, keyed by its PEP 503 name."""
        result: dict[str, Requirement] = {}
        for requirement in self.requirements:
            result.setdefault(requirement.canonical_name, requirement)
        return result


_NAME_PATTERN = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_PEP508 = re.compile(
    rf"^\s*(?P<name>{_NAME_PATTERN})\s*(?:\[(?P<extras>[^\]]*)\])?\s*(?P<rest>.*)$"
)
_DIRECT_URL = re.compile(rf"^\s*(?P<name>{_NAME_PATTERN})\s*(?:\[[^\]]*\])?\s*@")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//|[^\\])")
_EGG_FRAGMENT = re.compile(r"[#&]egg=(?P<name>[A-Za-z0-9._-]+)")
_COMMENT = re.compile(r"(^|\s)#.*$")
_OPTION = re.compile(r"^(?P<option>--[A-Za-z-]+|-[A-Za-z])(?:\s*=\s*|\s*)(?P<value>.*)$")
_REQUIREMENT_OPTIONS = re.compile(r"\s--[A-Za-z-]+.*$")  # --hash=..., --config-settings ...
_ARCHIVE_SUFFIXES = (".tar.gz", ".tar.bz2", ".tgz", ".zip")


def parse_requirement(text: str, *, where: str, source: Path) -> Requirement:
    """Parse one PEP 508 requirement (`name[extras] specifiers ; marker`)."""
    requirement_text, _, marker = text.partition(";")
    match = _PEP508.match(requirement_text)
    rest = match.group("rest").strip() if match else ""
    if match is None or (rest and rest[0] not in "<>=!~(@"):
        raise AuditError(
            f"{where}: {text.strip()!r} is not a valid requirement; write it as "
            f"'name[extras] specifiers ; marker' (PEP 508) or remove the line."
        )
    extras = tuple(e.strip() for e in (match.group("extras") or "").split(",") if e.strip())
    return Requirement(
        name=match.group("name"), where=where, source=source, extras=extras,
        marker=marker.strip() or None, spec=text.strip(),
    )


def parse_requirements_file(path: Path) -> Declarations:
    """Read a requirements file and the files it includes with `-r`."""
    return read_requirements(path, seen=set(), included_from=None)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, line) with backslash continuations joined and comments removed."""
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        if raw.endswith("\\"):
            pending.append(raw[:-1])
            continue
        pending.append(raw)
        line = _COMMENT.sub("", " ".join(pending)).strip()
        pending = []
        if line:
            yield start, line
    if pending:
        line = _COMMENT.sub("", " ".join(pending)).strip()
        if line:
            yield start, line


def read_requirements(path: Path, *, seen: set[Path], included_from: str | None) -> Declarations:
    """One requirements file and its `-r` includes, skipping the files already in `seen`."""
    resolved = path.resolve()
    if resolved in seen:
        return Declarations()
    seen.add(resolved)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        origin = f" (included from {included_from})" if included_from else ""
        raise AuditError(
            f"Cannot read requirements file {path}{origin}: {e.strerror}. "
            f"Fix the path or create the file."
        ) from e
    result = Declarations(files=(path,))
    for number, line in _logical_lines(text):
        where = f"{path}:{number}"
        option = _OPTION.match(line) if line.startswith("-") else None
        if option is None:
            result = result.merged(_declare(line, where=where, source=path))
            continue
        name, value = option.group("option"), option.group("value").strip()
        if name in ("-r", "--requirement"):
            result = result.merged(
                read_requirements(path.parent / value, seen=seen, included_from=where)
            )
        elif name in ("-e", "--editable"):
            result = result.merged(_declare(value, where=where, source=path))
        # Other options (-c constraints, --index-url, --hash, --pre, ...) declare nothing.
    return result


def _declare(text: str, *, where: str, source: Path) -> Declarations:
    """What one requirement line declares: a name, a local folder, or an unnamed URL."""
    text = _REQUIREMENT_OPTIONS.sub("", text).strip()

    def named(name: str) -> Declarations:
        return Declarations(requirements=(Requirement(name, where, source, spec=text),))

    if direct := _DIRECT_URL.match(text):
        return named(direct.group("name"))
    head = text.split(";", 1)[0]
    is_url = bool(_URL_SCHEME.match(head)) and not re.match(r"^[A-Za-z]:\\", head)
    if is_url or head.startswith((".", "/", "~")) or "/" in head or "\\" in head:
        if egg := _EGG_FRAGMENT.search(text):
            return named(egg.group("name"))
        location = text.split("#", 1)[0].split("?", 1)[0]
        filename = location.rstrip("/").rsplit("/", 1)[-1]
        if filename.endswith(".whl"):
            return named(filename.split("-", 1)[0])
        if filename.endswith(_ARCHIVE_SUFFIXES) and "-" in filename:
            return named(filename.rsplit("-", 1)[0])
        if location.startswith("file:"):
            location = re.sub(r"^file:(//)?", "", location)
        elif is_url:
            return Declarations(unnamed=(where,))
        folder = source.parent / Path(location).expanduser()
        return Declarations(local_paths=(LocalPath(folder, where, source),))
    return Declarations(requirements=(parse_requirement(text, where=where, source=source),))

