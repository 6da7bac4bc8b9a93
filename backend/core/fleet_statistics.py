"""Fleet statistics over a period, per Beijing calendar day or per vehicle model: what an OEM
safety engineer reads first about a month of the fleet (docs/fleet-data.md, "Fleet
statistics"). They come from the daily rollup, so the period is whole Beijing calendar days
(from and to at Beijing midnight).

Definitions (per group, over the registered vehicles of the tenant):

* active vehicles: vehicles with at least one stored record in the group.
* frames / reissued frames: stored realtime records, and those that arrived as reissues (§11).
* reporting hours: vehicle-hours with at least one record (how long the fleet was on air).
* charging hours: vehicle-hours with a record in charging state 1 or 2 (parked or driving).
* alarm hours: vehicle-hours whose highest alarm level was 1 or more.
* distance: per vehicle, the odometer's rise inside the group (highest minus lowest reading,
  never negative), summed. Distance between a vehicle's last record of one day and its first
  of the next falls in neither day.
* vehicles by alarm level: vehicles whose highest alarm level in the group was 1, 2, 3 or 4
  (4 is the 2025 edition's thermal event); each vehicle counts once, at its highest level.
* highest temperature, lowest insulation resistance: the extremes over the group's records.
* average SOC: over every record's SOC in the group.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from backend.core.data_errors import InvalidArgument, RangeTooLarge
from backend.core.series import BUCKET_ORIGIN, check_range

MAX_RANGE: Final = timedelta(days=366)
DAY: Final = timedelta(days=1)
ALARM_LEVELS: Final = (1, 2, 3, 4)


class StatisticsGrouping(enum.StrEnum):
    DAY = "day"
    MODEL = "model"


@dataclass(frozen=True, slots=True)
class FleetStatisticsGroup:
    day: date | None  # grouped by day
    model_id: int | None  # grouped by model; None there: vehicles without a model
    active_vehicles: int
    frames: int
    reissued_frames: int
    reporting_hours: int
    charging_hours: int
    alarm_hours: int
    distance_km: float
    vehicles_by_alarm_level: tuple[int, ...]  # aligned with ALARM_LEVELS
    max_temperature_c: int | None
    min_insulation_kohm: int | None
    avg_soc_pct: float | None


@dataclass(frozen=True, slots=True)
class FleetStatistics:
    start: datetime
    end: datetime
    grouping: StatisticsGrouping
    groups: tuple[FleetStatisticsGroup, ...]


def check_statistics_range(start: datetime, end: datetime) -> None:
    """A range of whole Beijing days (what the rollup holds), at most ``MAX_RANGE`` long."""
    check_range(start, end)
    if any((moment - BUCKET_ORIGIN) % DAY for moment in (start, end)):
        raise InvalidArgument("fleet statistics cover whole Beijing days: from and to must be "
                              "at midnight in Beijing (16:00 UTC)", field="range")
    if end - start > MAX_RANGE:
        raise RangeTooLarge(f"fleet statistics cover at most {MAX_RANGE.days} days",
                            field="range")
