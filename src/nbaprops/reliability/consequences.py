"""One page per root cause: which failures follow from a failure already paged, so they join its
incident instead of paging again.

A processor fails or runs short because a processor it reads (directly or further up, for the same
date) failed: it is a consequence of that failure. A gate fails as a consequence when every processor
it fails on is one already paged (or a consequence of one). A gate that fails on processors nobody
paged about, and a processor with no failed input, page as before. Pure: the orchestrator passes the
graph of who reads whom and what failed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass


def upstream_failure(
    component: str, *, reads: Mapping[str, Collection[str]], failed: Collection[str]
) -> str | None:
    """The nearest failed component upstream of `component`, following `reads` (a component -> the
    components whose output it reads); None when nothing it depends on failed. Ties at one distance
    go to the first in `reads` order, so the answer is the same on every replay."""
    seen = {component}
    frontier = [component]
    while frontier:
        upstream = [u for c in frontier for u in reads.get(c, ()) if u not in seen]
        for candidate in upstream:
            if candidate in failed:
                return candidate
        seen.update(upstream)
        frontier = list(dict.fromkeys(upstream))
    return None


@dataclass(frozen=True)
class Consequence:
    """A failure that follows from `cause` (a failure already paged): it is not paged again."""

    cause: str
    why: str  # a whole sentence naming the cause, for the event's reason

    def __str__(self) -> str:
        return self.why


def gate_consequence(blocking: Sequence[str], *, paged: Mapping[str, str]) -> Consequence | None:
    """Whether a gate failing on `blocking` only repeats pages already sent: `paged` maps each
    component whose failure was paged (or joined a paged failure) to the root cause it was paged
    under. None, so the gate pages, when it fails on a processor nobody was paged about."""
    if not blocking or any(name not in paged for name in blocking):
        return None
    causes = list(dict.fromkeys(paged[name] for name in blocking))
    return Consequence(
        cause=causes[0],
        why=f"Not paged again: it fails on {', '.join(blocking)}, already paged as "
        f"{', '.join(causes)}.",
    )
