"""Import scanning with `ast`: every import of one source file, and whether it is guarded.

An import inside `try/except ImportError` or `with suppress(ImportError)` is optional; one inside
`if TYPE_CHECKING` never runs. Scanning is pure: it reads the source text it is given.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ImportKind = Literal["required", "optional", "type_checking"]

KIND_REASONS: Mapping[ImportKind, str] = {
    "required": "imported unconditionally",
    "optional": "inside try/except ImportError",
    "type_checking": "inside if TYPE_CHECKING",
}
_IMPORT_ERROR_NAMES = frozenset(
    {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
)



@dataclass(frozen=True)
class ImportedModule:
    """One import as written (`from a.b import c`: module `a.b`, name `c`) and where it is."""

    module: str
    path: Path
    line: int
    kind: ImportKind
    name: str | None = None
    level: int = 0  # leading dots of a relative import (`from ..a import b`: 2)

    @property
    def qualified(self) -> str:
        """`a.b.c` for `from a.b import c`: `c` may be a submodule (`google.cloud.firestore`)."""
        return ".".join(part for part in (self.module, self.name) if part)

    @property
    def top_level(self) -> str:
        return self.module.split(".", 1)[0]

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"


def _type_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(_type_name(t) in _IMPORT_ERROR_NAMES for t in types)


def _suppresses_import_error(node: ast.With) -> bool:
    for item in node.items:
        call = item.context_expr
        if (
            isinstance(call, ast.Call)
            and _type_name(call.func) == "suppress"
            and any(_type_name(arg) in _IMPORT_ERROR_NAMES for arg in call.args)
        ):
            return True
    return False


def within(kind: ImportKind, inner: ImportKind) -> ImportKind:
    """An import nested in a guard keeps the outermost guard's kind."""
    return inner if kind == "required" else kind


def find_imports(
    source: str | bytes, *, path: Path, relative: bool = False
) -> list[ImportedModule]:
    """Absolute imports in one file (relative ones too if asked), with their kind.

    Raises SyntaxError or ValueError when the source cannot be parsed.
    """
    tree = ast.parse(source, filename=str(path))
    found: list[ImportedModule] = []
    stack: list[tuple[ast.AST, ImportKind]] = [(tree, "required")]
    while stack:
        node, kind = stack.pop()
        if isinstance(node, ast.Import):
            found.extend(ImportedModule(a.name, path, node.lineno, kind) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if (node.level == 0 and node.module) or (relative and node.level > 0):
                found.extend(
                    ImportedModule(
                        node.module or "", path, node.lineno, kind,
                        None if a.name == "*" else a.name, node.level,
                    )
                    for a in node.names
                )
        elif isinstance(node, ast.Try | ast.TryStar):
            optional = any(_catches_import_error(h) for h in node.handlers)
            body_kind = within(kind, "optional") if optional else kind
            stack.extend((statement, body_kind) for statement in node.body)
            stack.extend((n, kind) for n in [*node.handlers, *node.orelse, *node.finalbody])
        elif isinstance(node, ast.If) and _type_name(node.test) == "TYPE_CHECKING":
            stack.extend((s, within(kind, "type_checking")) for s in node.body)
            stack.extend((s, kind) for s in node.orelse)
        elif isinstance(node, ast.With) and _suppresses_import_error(node):
            stack.extend((s, within(kind, "optional")) for s in node.body)
        else:
            stack.extend((child, kind) for child in ast.iter_child_nodes(node))
    return sorted(found, key=lambda m: (m.line, m.qualified))
