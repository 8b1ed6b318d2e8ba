"""Fallback chains: one data kind asked of each source in configured order until one serves.

Pure: the caller hands over one zero-argument call per source; the runner knows no HTTP. Each
call goes through a `Guard` (default: call it) where circuit breakers plug in: a guard may call,
or refuse by raising `SourceFailure` itself, and that refusal falls to the next source too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Sized
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from nbaprops.errors import ChainExhaustedError, FailureKind, SourceFailure
from nbaprops.sources.base import Row

T = TypeVar("T")


class Guard(Protocol):
    """Runs `call`, the fetch of `data_kind` from `source`; raises SourceFailure to refuse or report it."""

    def __call__(self, source: str, data_kind: str, call: Callable[[], T]) -> T: ...


def unguarded(source: str, data_kind: str, call: Callable[[], T]) -> T:
    """The default guard: every call goes through."""
    return call()


@dataclass(frozen=True)
class Fallen:
    """One source that did not serve: how (`kind`) and what it said."""

    source: str
    kind: FailureKind
    message: str


@dataclass(frozen=True)
class Served(Generic[T]):
    """What the chain got, which source served it, and every source that failed before it."""

    data_kind: str
    source: str
    value: T
    fallen: tuple[Fallen, ...] = ()


def run_chain(
    data_kind: str,
    calls: Sequence[tuple[str, Callable[[], T]]],
    *,
    guard: Guard = unguarded,
    must_have_data: bool = False,
) -> Served[T]:
    """The first source in `calls` whose call succeeds; SourceFailure of any kind falls to the next.

    With `must_have_data`, an empty answer (len 0) counts as an EMPTY failure. Every source failing
    is ChainExhaustedError naming each one and its failure kind.
    """
    if not calls:
        raise ChainExhaustedError(
            f"No source is configured for {data_kind}; list at least one in [sources.chains].",
            data_kind=data_kind, failures=(),
        )
    fallen: list[Fallen] = []
    for source, call in calls:
        try:
            value = guard(source, data_kind, call)
        except SourceFailure as failure:
            fallen.append(Fallen(source, failure.kind, str(failure)))
            continue
        if must_have_data and isinstance(value, Sized) and len(value) == 0:
            fallen.append(Fallen(source, FailureKind.EMPTY, f"{source} answered no {data_kind} where some must exist"))
            continue
        return Served(data_kind, source, value, tuple(fallen))
    summary = "; ".join(f"{f.source}: {f.kind.value} ({f.message})" for f in fallen)
    raise ChainExhaustedError(
        f"Every source for {data_kind} failed: {summary}. Check each source's failure above, or add a "
        "source to [sources.chains] " + data_kind + ".",
        data_kind=data_kind, failures=tuple((f.source, f.kind, f.message) for f in fallen),
    )


def tagged(rows: Sequence[Row], source: str) -> list[Row]:
    """Copies of `rows`, each with `source` naming the source that served it."""
    return [{**row, "source": source} for row in rows]
