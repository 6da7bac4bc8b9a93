"""What every fault scenario provides: hooks into the signal model and a ground-truth label.

A scenario alters what a vehicle reports (``apply``), may steer where it goes (segments), may
stop it (``halts_at``) or silence its terminal (``silent_from``). Its label says what a correct
platform should find: the vehicle, the kind, when it starts and the alarm level to expect.
"""

from __future__ import annotations

import enum
import random
from datetime import datetime, timedelta
from typing import Any, ClassVar, Final

from gateway.protocol.model import Edition

from ..geo import Position
from ..schedule import Segment
from ..spec import VehicleSpec
from ..state import MAX_LEVEL_2016, MAX_LEVEL_2025, Mode, VehicleState

# Far enough to keep a faulty vehicle in service for any run.
_FOREVER: Final = timedelta(days=3650)


class FaultKind(enum.StrEnum):
    CELL_INCONSISTENCY = "cell_inconsistency"
    THERMAL_RUNAWAY = "thermal_runaway"
    INSULATION_DECLINE = "insulation_decline"
    SOC_JUMP = "soc_jump"
    SENSOR_SENTINEL = "sensor_sentinel"
    FREQUENT_ALARMS = "frequent_alarms"
    LONG_OFFLINE = "long_offline"
    PARKING_CLUSTER = "parking_cluster"
    MALFORMED_FRAMES = "malformed_frames"


class MalformedVariant(enum.StrEnum):
    GARBAGE = "garbage"
    BAD_BCC = "bad_bcc"
    TRUNCATED = "truncated"


def iso(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


def progress(now: datetime, start: datetime, duration_s: float) -> float:
    """0 before ``start``, rising linearly to 1 after ``duration_s`` seconds."""
    elapsed = (now - start).total_seconds()
    if elapsed <= 0:
        return 0.0
    return min(1.0, elapsed / duration_s)


class Fault:
    """Base scenario: no effect. Subclasses set ``kind`` and override the hooks they need."""

    kind: ClassVar[FaultKind]

    def __init__(self, spec: VehicleSpec, onset: datetime) -> None:
        self.spec = spec
        self.onset = onset

    @property
    def expected_level(self) -> int:
        """Highest alarm level the vehicle reports because of this fault (0: none)."""
        return 0

    def params(self) -> dict[str, Any]:
        """Scenario parameters, JSON-ready."""
        return {}

    def label(self) -> dict[str, Any]:
        return {
            "vin": self.spec.vin,
            "kind": self.kind.value,
            "onset": iso(self.onset),
            "expected_alarm_level": self.expected_level,
            "edition": self.spec.edition.value,
            "usage": self.spec.routine.usage.value,
            "params": self.params(),
        }

    def top_level(self) -> int:
        """Level 4 exists only in 2025 (§14.4 thermal event); 2016 tops out at 3."""
        return MAX_LEVEL_2025 if self.spec.edition is Edition.V2025 else MAX_LEVEL_2016

    def initial_segment(self, rng: random.Random,
                        start: datetime) -> tuple[Segment, Position] | None:
        return None

    def next_segment(self, now: datetime, finished: Mode) -> Segment | None:
        return None

    def initial_soc_pct(self, rng: random.Random) -> float | None:
        return None

    @property
    def busy_until(self) -> datetime | None:
        """Keep the vehicle driving or charging until then, so the fault shows in a short run
        (a parked car with its ignition off reports nothing)."""
        return None

    @property
    def halts_at(self) -> datetime | None:
        """From then on the vehicle stands still with its ignition on."""
        return None

    @property
    def silent_from(self) -> datetime | None:
        """From then on the terminal never connects again (no logout)."""
        return None

    @property
    def critical_at(self) -> datetime | None:
        """When a level >= 3 alarm starts; the terminal's 30 s pre-alarm buffer needs it."""
        return None

    def malformed_times(self) -> tuple[tuple[datetime, MalformedVariant], ...]:
        return ()

    def apply(self, state: VehicleState, noise: random.Random) -> None:
        """Alter one snapshot. ``noise`` is the snapshot's own deterministic stream."""


class InService(Fault):
    """Battery and sensor faults keep their vehicle driving or charging so the effect gets
    reported."""

    @property
    def busy_until(self) -> datetime | None:
        return self.onset + _FOREVER
