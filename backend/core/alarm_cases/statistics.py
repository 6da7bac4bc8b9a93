"""What alarm statistics answer (computed in SQL by backend/storage/alarm_statistics.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class VehicleCount:
    vin: str
    events: int
    peak_level: int
    last_opened_at: datetime


@dataclass(frozen=True, slots=True)
class Durations:
    """Seconds from a case's opening to a step, over the cases that took it."""

    count: int
    mean_s: float | None
    p50_s: float | None
    p90_s: float | None


@dataclass(frozen=True, slots=True)
class Breaches:
    cases: int
    open_cases: int
    confirm_breached: int  # acknowledged after the deadline, or not yet and past it
    dispose_breached: int
