"""The audit: read each service's files and declarations, follow first-party code, judge.

This is the I/O edge; `judge_uses` holds the rules and `follow` the walk through first-party code.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from nbaprops.errors import AuditError
from nbaprops.ops.audit._findings import ImportUse, UnreadableFile
from nbaprops.ops.audit._first_party import (
    FirstParty,
    Start,
    find_repository_root,
    follow,
    linked_modules,
    repository_modules,
)
from nbaprops.ops.audit._import_check import check_imports
from nbaprops.ops.audit._import_map import ImportMap
from nbaprops.ops.audit._imports import ImportedModule, ImportKind, find_imports
from nbaprops.ops.audit._report import AuditReport, ServiceAudit
from nbaprops.ops.audit._requires_map import RequiresMap
from nbaprops.ops.audit._rules import judge_uses
from nbaprops.ops.audit._services import (
    Service,
    find_services,
    folder_modules,
    is_test_file,
    own_names,
)


def _is_standard(top_level: str) -> bool:
    return top_level in sys.stdlib_module_names or top_level == "__main__"


class ServiceAuditor:
    """Audits services one at a time; each repository is indexed and each file parsed once.

    `root` is the repository root given by the user (`--root`); without it, each service's root
    is the nearest folder above it with `.git` or `.hg`, else `fallback_root` (the audited folder).
    """

    def __init__(
        self,
        *,
        import_map: ImportMap,
        requires_map: RequiresMap,
        root: Path | None = None,
        fallback_root: Path | None = None,
    ) -> None:
        if root is not None and not root.is_dir():
            raise AuditError(
                f"The repository root {root} is not a folder; pass the folder that holds the "
                f"repository's top-level packages (the one with .git)."
            )
        self._import_map = import_map
        self._requires_map = requires_map
        self._root = root
        self._fallback_root = fallback_root
        self._repositories: dict[Path, dict[str, Path]] = {}
        self._parsed: dict[Path, list[ImportedModule] | UnreadableFile] = {}

    def repository_root(self, service: Service) -> Path:
        """The folder whose top-level packages and modules are first-party for `service`."""
        if self._root is not None:
            return self._root
        return find_repository_root(service.path, fallback=self._fallback_root or service.path)

    def audit(self, service: Service, *, import_check: bool = False) -> ServiceAudit:
        """Compare the service's imports, and those of the first-party code it runs, with its
        declarations; with `import_check`, also import its modules in a throwaway venv."""
        root = self.repository_root(service)
        declarations = service.declarations()
        # A local folder the service installs (`-e ../lib`) brings its own requirements.
        provided = set().union(*(folder_modules(p.path) for p in declarations.local_paths))
        first_party = self._first_party(service, root, provided)
        uses, starts, unreadable = self._scan_own_files(service, first_party, provided)
        followed, followed_unreadable = self._follow(service, starts, first_party, provided)
        uses += followed
        findings = judge_uses(
            uses, declarations.by_canonical_name(),
            provided_by=self._requires_map.provided_by(declarations.requirements),
        )
        checked = None
        if import_check:
            checked = check_imports(
                service, import_map=self._import_map,
                known_modules=[use.imported.qualified for use in uses],
                extra_paths=[] if root == service.path else [root, root / "src"],
            )
        return ServiceAudit(
            path=service.path, declarations=declarations, files_scanned=len(service.python_files),
            uses=tuple(uses), missing=findings.missing, optional=findings.optional,
            unused=findings.unused, allowlisted=findings.allowlisted,
            unreadable=tuple(unreadable) + tuple(followed_unreadable),
            import_check=checked, transitive=findings.transitive, test_only=findings.test_only,
            repository_root=root, linked_folders=service.linked_folders,
        )

    def _first_party(self, service: Service, root: Path, provided: set[str]) -> FirstParty:
        """The repository's modules and the service's symlinked ones, minus installed folders."""
        if root not in self._repositories:
            self._repositories[root] = repository_modules(root)
        modules = {**self._repositories[root], **linked_modules(service.path, service.linked_folders)}
        return FirstParty.of(
            {name: path for name, path in modules.items() if name.split(".", 1)[0] not in provided}
        )

    def _scan_own_files(
        self, service: Service, first_party: FirstParty, provided: set[str]
    ) -> tuple[list[ImportUse], list[Start], list[UnreadableFile]]:
        """Third-party imports of the service's own files, and their imports of first-party code."""
        names = own_names(service)
        own = names.get(service.path, set()) | names.get(service.path / "src", set())
        files = set(service.python_files)
        uses: list[ImportUse] = []
        starts: list[Start] = []
        unreadable: list[UnreadableFile] = []
        for file in service.python_files:
            parsed = self._imports_of(file)
            if isinstance(parsed, UnreadableFile):
                unreadable.append(parsed)
                continue
            test_only = is_test_file(file.relative_to(service.path))
            # A script folder (no __init__.py) puts its own folder on sys.path when run.
            is_script_folder = file.parent / "__init__.py" not in files
            local = own | (names.get(file.parent, set()) if is_script_folder else set())
            for module in parsed:
                top = module.top_level
                if module.level or _is_standard(top) or top in provided:
                    continue
                if top in local or first_party.covers(module.qualified):
                    starts.append(Start(module, module.qualified, test_only))
                else:
                    uses.append(self._use(module, module.kind, (), test_only))
        return uses, starts, unreadable

    def _follow(
        self, service: Service, starts: list[Start], first_party: FirstParty, provided: set[str]
    ) -> tuple[list[ImportUse], list[UnreadableFile]]:
        """Third-party imports of the first-party code the service runs, with their chains."""
        unreadable: dict[str, UnreadableFile] = {}

        def read_imports(path: Path) -> list[ImportedModule]:
            parsed = self._imports_of(path)
            if isinstance(parsed, UnreadableFile):
                unreadable.setdefault(parsed.location, parsed)
                return []
            return parsed

        reached = follow(
            starts, first_party=first_party, read_imports=read_imports, real_path=Path.resolve,
            own_files={file.resolve() for file in service.python_files},
        )
        uses = [
            self._use(r.imported, r.kind, r.chain, r.test_only)
            for r in reached
            if not _is_standard(r.imported.top_level) and r.imported.top_level not in provided
        ]
        return uses, list(unreadable.values())

    def _use(
        self, imported: ImportedModule, kind: ImportKind, chain: tuple[str, ...], test_only: bool
    ) -> ImportUse:
        return ImportUse(imported, self._import_map.resolve(imported.qualified), kind, chain, test_only)

    def _imports_of(self, path: Path) -> list[ImportedModule] | UnreadableFile:
        """The file's imports, parsed once per path as written (locations name that path)."""
        if path not in self._parsed:
            try:
                self._parsed[path] = find_imports(path.read_bytes(), path=path, relative=True)
            except SyntaxError as e:
                self._parsed[path] = UnreadableFile(f"{path}:{e.lineno or 1}", e.msg)
            except (ValueError, OSError) as e:
                self._parsed[path] = UnreadableFile(f"{path}:1", str(e))
        return self._parsed[path]


def audit_service(
    service: Service,
    *,
    import_map: ImportMap,
    requires_map: RequiresMap | None = None,
    root: Path | None = None,
    import_check: bool = False,
) -> ServiceAudit:
    """Compare the service's imports with its declarations; unparsable files are reported.

    `root` is the repository root (default: the nearest folder above with `.git`, else the
    service). With `import_check`, also import its modules in a throwaway venv (`check_imports`).
    """
    auditor = ServiceAuditor(
        import_map=import_map, requires_map=requires_map or RequiresMap.load(), root=root
    )
    return auditor.audit(service, import_check=import_check)


def audit_repository(
    path: Path,
    *,
    exclude: Sequence[str] = (),
    import_map: ImportMap | None = None,
    requires_map: RequiresMap | None = None,
    root: Path | None = None,
    import_check: bool = False,
) -> AuditReport:
    """Audit every service under `path`; with `import_check`, also import each in a clean venv.

    `root` is the repository root; by default found by walking up from each service to `.git`,
    else `path` itself.
    """
    auditor = ServiceAuditor(
        import_map=import_map or ImportMap.load(), requires_map=requires_map or RequiresMap.load(),
        root=root, fallback_root=path,
    )
    services = find_services(path, exclude=exclude)
    return AuditReport(path, tuple(auditor.audit(s, import_check=import_check) for s in services))
