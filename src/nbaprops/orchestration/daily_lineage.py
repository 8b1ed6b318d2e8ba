"""The shape of a daily run: the gates between its phases, and which of its processors feed, follow
from or were built from which, for their dates."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date

from nbaprops.orchestration.paging import reads_graph
from nbaprops.orchestration.steps import ProcessorAttempt
from nbaprops.processors.base import Processor
from nbaprops.reliability.consequences import upstream_failure

# The gate each phase waits for, and the phases whose failures those gates retry.
GATE_BEFORE = {
    "phase4": "phase3_to_phase4",
    "phase5": "phase4_to_phase5",
    "grading": "phase3_to_grading",
}
GATED_PHASES = frozenset({"phase3", "phase4"})
# What a failed gate blocks: the phases after it on the same critical path.
BLOCKS = {
    "phase3_to_phase4": ("phase4", "phase5"),
    "phase4_to_phase5": ("phase5",),
    "phase3_to_grading": ("grading",),
}
FAILED_STATES = frozenset({"failed", "timed_out", "refused"})


@dataclass
class Target:
    """Where a processor of the run stands: its phase, and the date it runs for (None: it does not run)."""

    phase: str
    date: date | None


@dataclass(frozen=True)
class Lineage:
    """What reads what among the processors of a run: `targets` in plan order, the `attempts` made
    so far, and each processor by name."""

    targets: Mapping[str, Target]
    attempts: Mapping[str, ProcessorAttempt]
    processor: Callable[[str], Processor]

    def feeds_of(self, name: str) -> list[str]:
        """The Phase 2 feeds that ran for `name`'s date and write what it reads."""
        if self.targets[name].phase == "phase2":
            return []
        inputs = set(self.processor(name).inputs)
        return [
            feed
            for feed, target in self.targets.items()
            if target.phase == "phase2"
            and target.date is not None
            and target.date == self.targets[name].date
            and self.processor(feed).output_table in inputs
            and feed in self.attempts
        ]

    def dependents_of(self, name: str) -> list[str]:
        """The processors after `name` in its phase that read what it writes, for its date or a
        later one (the upcoming context reads the previous day's summaries): built from its old
        rows, they are built again after it."""
        where = self.targets[name]
        output = self.processor(name).output_table
        names = list(self.targets)
        return [
            other
            for other in names[names.index(name) + 1 :]
            if self.targets[other].phase == where.phase
            and _on_or_after(self.targets[other].date, where.date)
            and other in self.attempts
            and output in self.processor(other).inputs
        ]

    def downstream_of(self, name: str) -> list[str]:
        """The processors of the phases after `name`'s that ran and read what it writes, directly
        or through another, for its date or a later one: built without it, in plan order."""
        where = self.targets[name]
        names = list(self.targets)
        read = {self.processor(name).output_table}
        found = []
        for other in names[names.index(name) + 1 :]:
            target = self.targets[other]
            attempt = self.attempts.get(other)
            if attempt is None or attempt.state == "skipped" or not _on_or_after(target.date, where.date):
                continue
            if read & set(self.processor(other).inputs):
                read.add(self.processor(other).output_table)
                if target.phase != where.phase:
                    found.append(other)
        return found

    def upstream_failure(self, name: str, *, incomplete: Collection[str], paged: Collection[str]) -> str | None:
        """The failed processor upstream of `name` for its date whose failure `name` follows from;
        given up on as `incomplete` or `paged` about counts as failed."""
        names = [n for n in self.targets if n in self.attempts]
        failed = {n for n in names if self.attempts[n].state in FAILED_STATES} | set(incomplete) | set(paged)
        failed.discard(name)
        graph = reads_graph(
            names,
            inputs_of=lambda n: self.processor(n).inputs,
            output_of=lambda n: self.processor(n).output_table,
            date_of={n: self.targets[n].date for n in names},
        )
        return upstream_failure(name, reads=graph, failed=failed)


def _on_or_after(later: date | None, earlier: date | None) -> bool:
    return later is not None and earlier is not None and later >= earlier
