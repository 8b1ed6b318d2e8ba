"""Fault injection: `--inject SPEC` parsed into a plan the pipeline consults at each step.

    processor:<name>=fail[:<times>]                  the processor raises a ProcessorError
    processor:<name>=crash[:<times>]                 the processor raises an unexpected exception
    processor:<name>=partial:<fraction>[:<times>]    it writes only this share of expected records
    processor:<name>=slow:<duration>[:<times>]       it takes this much longer
    processor:<name>=import:<module>[:<times>]       its import fails: No module named <module>
    processor:<name>=write_error[:<times>]           the warehouse refuses its write
    source:<source>=late:<duration>                  data becomes visible this much later
    source:<source>=empty|error|forbidden            no rows, a failed request, a refused key
    kill:after_step=<n>                              the process dies after durable step n
    deliver:duplicate|reorder                        messages arrive twice, or out of order

`<times>` limits a processor fault to that many attempts (default: every attempt); several faults
for one processor apply in turn, so `fail:2` then `partial:0.5` fails twice, then writes half.
Durations are a number and a unit: 30s, 45m, 21h, 1d, 1.5h.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import assert_never

from nbaprops.errors import ConfigError


class ProcessorFaultKind(StrEnum):
    FAIL = "fail"
    PARTIAL = "partial"
    SLOW = "slow"
    CRASH = "crash"
    IMPORT = "import"
    WRITE_ERROR = "write_error"


class SourceName(StrEnum):
    SCHEDULE = "schedule"
    BOXSCORES = "boxscores"
    PROPS = "props"
    INJURIES = "injuries"


class SourceFaultKind(StrEnum):
    LATE = "late"
    EMPTY = "empty"
    ERROR = "error"
    FORBIDDEN = "forbidden"


class DeliveryFaultKind(StrEnum):
    DUPLICATE = "duplicate"
    REORDER = "reorder"


@dataclass(frozen=True)
class ProcessorFault:
    """A processor misbehaves on its first `times` attempts (None: on every attempt)."""

    processor: str
    kind: ProcessorFaultKind
    fraction: float | None = None
    duration_seconds: int | None = None
    times: int | None = None
    module: str | None = None

    def __post_init__(self) -> None:
        wants_fraction = self.kind is ProcessorFaultKind.PARTIAL
        wants_duration = self.kind is ProcessorFaultKind.SLOW
        if (self.module is not None) != (self.kind is ProcessorFaultKind.IMPORT):
            raise ValueError(f"module is for import faults only, got {self!r}.")
        if (self.fraction is not None) != wants_fraction:
            raise ValueError(f"fraction is for partial faults only, got {self!r}.")
        if (self.duration_seconds is not None) != wants_duration:
            raise ValueError(f"duration_seconds is for slow faults only, got {self!r}.")
        if self.times is not None and self.times < 1:
            raise ValueError(f"times must be at least 1, got {self.times}.")

    @property
    def spec(self) -> str:
        """The canonical `--inject` spec of this fault."""
        match self.kind:
            case ProcessorFaultKind.FAIL | ProcessorFaultKind.CRASH | ProcessorFaultKind.WRITE_ERROR:
                fault = str(self.kind)
            case ProcessorFaultKind.IMPORT:
                fault = f"import:{self.module}"
            case ProcessorFaultKind.PARTIAL:
                fault = f"partial:{self.fraction!r}"
            case ProcessorFaultKind.SLOW:
                assert self.duration_seconds is not None
                fault = f"slow:{format_duration(self.duration_seconds)}"
            case _:
                assert_never(self.kind)
        times = "" if self.times is None else f":{self.times}"
        return f"processor:{self.processor}={fault}{times}"


@dataclass(frozen=True)
class SourceFault:
    """A source misbehaves; `delay_seconds` only for `late`."""

    source: SourceName
    kind: SourceFaultKind
    delay_seconds: int | None = None

    def __post_init__(self) -> None:
        if (self.delay_seconds is not None) != (self.kind is SourceFaultKind.LATE):
            raise ValueError(f"delay_seconds is for late faults only, got {self!r}.")

    @property
    def spec(self) -> str:
        """The canonical `--inject` spec of this fault."""
        if self.delay_seconds is None:
            return f"source:{self.source}={self.kind}"
        return f"source:{self.source}={self.kind}:{format_duration(self.delay_seconds)}"


@dataclass(frozen=True)
class KillFault:
    """The process dies right after durable step `after_step` (counting from 1) completes."""

    after_step: int

    def __post_init__(self) -> None:
        if self.after_step < 1:
            raise ValueError(f"after_step counts from 1, got {self.after_step}.")

    @property
    def spec(self) -> str:
        """The canonical `--inject` spec of this fault."""
        return f"kill:after_step={self.after_step}"


@dataclass(frozen=True)
class DeliveryFault:
    """Messages between steps arrive twice, or out of order."""

    kind: DeliveryFaultKind

    @property
    def spec(self) -> str:
        """The canonical `--inject` spec of this fault."""
        return f"deliver:{self.kind}"


Fault = ProcessorFault | SourceFault | KillFault | DeliveryFault

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_UNIT_SECONDS = {"d": 86_400, "h": 3_600, "m": 60, "s": 1}
_PROCESSOR_KINDS = "use fail, partial:<fraction>, slow:<duration>, crash, import:<module>, write_error."
_MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


def parse_fault(spec: str, *, processors: Collection[str] | None = None) -> Fault:
    """Parse one `--inject` spec; with `processors`, the processor must be one of them."""
    text = spec.strip()
    target, colon, rest = text.partition(":")
    if not colon:
        raise ConfigError(
            f"Cannot read fault spec '{spec}'; write <target>:<fault>, like "
            "processor:player_game_summary=fail, source:props=late:21h, kill:after_step=7 "
            "or deliver:duplicate."
        )
    match target:
        case "processor":
            return _parse_processor(text, rest, processors)
        case "source":
            return _parse_source(text, rest)
        case "kill":
            return _parse_kill(text, rest)
        case "deliver":
            try:
                return DeliveryFault(DeliveryFaultKind(rest))
            except ValueError:
                raise ConfigError(
                    f"Unknown delivery fault '{rest}' in '{text}'; use duplicate or reorder."
                ) from None
        case _:
            raise ConfigError(
                f"Unknown fault target '{target}' in '{text}'; "
                "use processor:, source:, kill: or deliver:."
            )


def _parse_processor(spec: str, rest: str, processors: Collection[str] | None) -> ProcessorFault:
    processor, equals, fault = rest.partition("=")
    if not equals:
        raise ConfigError(
            f"Cannot read fault spec '{spec}'; write processor:<name>=<fault>, "
            "like processor:player_game_summary=fail."
        )
    if not _NAME.fullmatch(processor):
        raise ConfigError(
            f"Invalid processor name '{processor}' in '{spec}'; "
            "use the processor's snake_case name, like player_game_summary."
        )
    if processors is not None and processor not in processors:
        raise ConfigError(
            f"Unknown processor '{processor}' in '{spec}'; use one of {', '.join(processors)}."
        )
    kind_text, *args = fault.split(":")
    try:
        kind = ProcessorFaultKind(kind_text)
    except ValueError:
        raise ConfigError(
            f"Unknown fault kind '{kind_text}' in '{spec}'; {_PROCESSOR_KINDS}"
        ) from None
    fraction: float | None = None
    duration_seconds: int | None = None
    module: str | None = None
    match kind:
        case ProcessorFaultKind.FAIL | ProcessorFaultKind.CRASH | ProcessorFaultKind.WRITE_ERROR:
            pass
        case ProcessorFaultKind.IMPORT:
            if not args or not _MODULE.fullmatch(args[0]):
                raise ConfigError(f"Fault '{spec}' needs the module that cannot be imported, like import:xgboost.")
            module = args.pop(0)
        case ProcessorFaultKind.PARTIAL:
            if not args:
                raise ConfigError(
                    f"Fault '{spec}' needs the share of records to write, like partial:0.01."
                )
            fraction = _parse_fraction(spec, args.pop(0))
        case ProcessorFaultKind.SLOW:
            if not args:
                raise ConfigError(f"Fault '{spec}' needs how much slower, like slow:30s.")
            duration_seconds = parse_duration(args.pop(0), spec=spec)
        case _:
            assert_never(kind)
    if len(args) > 1:
        raise ConfigError(f"Too many ':' parts in '{spec}'; write {_form(kind)}.")
    times = _parse_times(spec, args[0], kind) if args else None
    return ProcessorFault(processor, kind, fraction, duration_seconds, times, module)


def _parse_fraction(spec: str, text: str) -> float:
    try:
        fraction = float(text)
    except ValueError:
        fraction = math.nan
    if not 0 <= fraction < 1:
        raise ConfigError(
            f"Invalid fraction '{text}' in '{spec}'; use a share of expected records from 0 up "
            "to (not including) 1, like partial:0.01."
        )
    return fraction


def _parse_times(spec: str, text: str, kind: ProcessorFaultKind) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ConfigError(
            f"Invalid attempt count '{text}' in '{spec}'; use a whole number of at least 1: "
            f"write {_form(kind)}."
        )
    return int(text)


def _form(kind: ProcessorFaultKind) -> str:
    """How to write a fault of `kind` with an attempt count, and an example."""
    match kind:
        case ProcessorFaultKind.FAIL | ProcessorFaultKind.CRASH | ProcessorFaultKind.WRITE_ERROR:
            return f"{kind}[:<times>], like {kind}:2 for the first 2 attempts"
        case ProcessorFaultKind.IMPORT:
            return "import:<module>[:<times>], like import:xgboost:2 for the first 2 attempts"
        case ProcessorFaultKind.PARTIAL:
            return "partial:<fraction>[:<times>], like partial:0.01:2 for the first 2 attempts"
        case ProcessorFaultKind.SLOW:
            return "slow:<duration>[:<times>], like slow:30s:2 for the first 2 attempts"
        case _:
            assert_never(kind)


def _parse_source(spec: str, rest: str) -> SourceFault:
    source_text, equals, fault = rest.partition("=")
    if not equals:
        raise ConfigError(
            f"Cannot read fault spec '{spec}'; write source:<source>=<fault>, "
            "like source:props=late:21h."
        )
    try:
        source = SourceName(source_text)
    except ValueError:
        raise ConfigError(
            f"Unknown source '{source_text}' in '{spec}'; "
            "use schedule, boxscores, props or injuries."
        ) from None
    kind_text, colon, value = fault.partition(":")
    try:
        kind = SourceFaultKind(kind_text)
    except ValueError:
        raise ConfigError(
            f"Unknown fault kind '{kind_text}' in '{spec}'; "
            "use late:<duration>, empty, error, forbidden."
        ) from None
    match kind:
        case SourceFaultKind.LATE:
            if not colon:
                raise ConfigError(f"Fault '{spec}' needs how late, like late:21h.")
            return SourceFault(source, kind, parse_duration(value, spec=spec))
        case SourceFaultKind.EMPTY | SourceFaultKind.ERROR | SourceFaultKind.FORBIDDEN:
            if colon:
                raise ConfigError(f"Fault '{spec}' takes no value; write {kind} alone.")
            return SourceFault(source, kind)
        case _:
            assert_never(kind)


def _parse_kill(spec: str, rest: str) -> KillFault:
    key, equals, value = rest.partition("=")
    if key != "after_step" or not equals:
        raise ConfigError(
            f"Cannot read fault spec '{spec}'; write kill:after_step=<n>, like kill:after_step=7."
        )
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(
            f"Invalid step '{value}' in '{spec}'; use a step number of at least 1, "
            "like kill:after_step=7."
        )
    return KillFault(int(value))


def parse_duration(text: str, *, spec: str) -> int:
    """Seconds in a duration like 30s, 45m, 21h, 1d or 1.5h; `spec` names it in errors."""
    match = _DURATION.fullmatch(text)
    seconds = Decimal(match[1]) * _UNIT_SECONDS[match[2]] if match else Decimal(0)
    if seconds < 1 or seconds != seconds.to_integral_value():
        raise ConfigError(
            f"Invalid duration '{text}' in '{spec}'; use a number and a unit s, m, h or d "
            "that comes to whole seconds, like 30s, 45m, 21h or 1d."
        )
    return int(seconds)


def format_duration(seconds: int) -> str:
    """The shortest exact form: 75600 -> '21h', 90 -> '90s'."""
    for unit in ("d", "h", "m"):
        if seconds % _UNIT_SECONDS[unit] == 0:
            return f"{seconds // _UNIT_SECONDS[unit]}{unit}"
    return f"{seconds}s"


@dataclass(frozen=True)
class FaultPlan:
    """The faults of one run, in the order given. The empty plan injects nothing."""

    faults: tuple[Fault, ...] = ()

    def __post_init__(self) -> None:
        unbounded: dict[str, ProcessorFault] = {}
        seen: dict[object, Fault] = {}
        for fault in self.faults:
            match fault:
                case ProcessorFault():
                    if fault.processor in unbounded:
                        earlier = unbounded[fault.processor]
                        raise ConfigError(
                            f"Fault '{fault.spec}' can never apply: '{earlier.spec}' already "
                            f"affects every attempt of {fault.processor}; give that one an "
                            f"attempt count: write {_form(earlier.kind)}."
                        )
                    if fault.times is None:
                        unbounded[fault.processor] = fault
                    continue
                case SourceFault():
                    key: object = ("source", fault.source)
                case KillFault():
                    key = "kill"
                case DeliveryFault():
                    key = ("deliver", fault.kind)
                case _:
                    assert_never(fault)
            if key in seen:
                raise ConfigError(
                    f"Faults '{seen[key].spec}' and '{fault.spec}' clash; inject one of them."
                )
            seen[key] = fault

    @classmethod
    def from_specs(
        cls, specs: Iterable[str], *, processors: Collection[str] | None = None
    ) -> FaultPlan:
        """Parse every `--inject` spec; with `processors`, processor names must be among them."""
        return cls(tuple(parse_fault(spec, processors=processors) for spec in specs))

    def __bool__(self) -> bool:
        return bool(self.faults)

    @property
    def specs(self) -> tuple[str, ...]:
        """The canonical spec of every fault, for logs and events."""
        return tuple(fault.spec for fault in self.faults)

    def processor_fault(self, processor: str, attempt: int) -> ProcessorFault | None:
        """The fault of `processor` on `attempt` (counting from 1), if any."""
        if attempt < 1:
            raise ValueError(f"attempt counts from 1, got {attempt}.")
        remaining = attempt
        for fault in self.faults:
            if not isinstance(fault, ProcessorFault) or fault.processor != processor:
                continue
            if fault.times is None or remaining <= fault.times:
                return fault
            remaining -= fault.times
        return None

    def source_fault(self, source: SourceName) -> SourceFault | None:
        """The fault of `source`, if any."""
        for fault in self.faults:
            if isinstance(fault, SourceFault) and fault.source == source:
                return fault
        return None

    def source_delay_seconds(self, source: SourceName) -> int:
        """How much later than usual `source` data becomes visible (0: on time)."""
        fault = self.source_fault(source)
        return 0 if fault is None or fault.delay_seconds is None else fault.delay_seconds

    @property
    def kill_after_step(self) -> int | None:
        """The durable step after which the process dies, if any."""
        for fault in self.faults:
            if isinstance(fault, KillFault):
                return fault.after_step
        return None

    def delivers(self, kind: DeliveryFaultKind) -> bool:
        """Whether messages are delivered with fault `kind` (duplicated or reordered)."""
        return any(isinstance(f, DeliveryFault) and f.kind is kind for f in self.faults)
