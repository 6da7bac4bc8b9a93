"""Signal history and battery matrices as charts want them: column-wise, and downsampled on
the server to a bounded number of points (MISSION.md, "Lessons"). This module decides the
shape (which signals exist, which bucket a range gets); backend/storage reads the rows.

Buckets come from a fixed ladder of round sizes aligned to Beijing midnight, so the same range
always gets the same buckets (cacheable, comparable between vehicles) and a one-day bucket is
a Beijing calendar day, like ``date_bin`` with the origin backend/storage uses.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Final, TypeAlias

from backend.core.data_errors import InvalidArgument, RangeTooLarge

Number: TypeAlias = int | float
Column: TypeAlias = tuple[Number | None, ...]

# Realtime columns a chart may ask for: measured quantities and the alarm level. Enumerated
# states (gear, charging state, ...) are left out: an average of codes means nothing.
SIGNALS: Final = frozenset({
    "speed_kmh", "odometer_km", "total_voltage_v", "total_current_a", "soc_pct",
    "insulation_kohm", "accelerator_pct", "brake_pct", "max_cell_voltage_mv",
    "min_cell_voltage_mv", "max_temperature_c", "min_temperature_c", "alarm_level",
    "longitude_deg", "latitude_deg",
})

BEIJING: Final = timezone(timedelta(hours=8), "Asia/Shanghai")
BUCKET_ORIGIN: Final = datetime(2000, 1, 1, tzinfo=BEIJING)
HOUR: Final = timedelta(hours=1)
_S, _M = timedelta(seconds=1), timedelta(minutes=1)
BUCKETS: Final = (
    _S, 2 * _S, 5 * _S, 10 * _S, 15 * _S, 30 * _S, _M, 2 * _M, 5 * _M, 10 * _M, 15 * _M,
    30 * _M, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR, 168 * HOUR,
)


class Aggregate(enum.StrEnum):
    AVG = "avg"
    MIN = "min"
    MAX = "max"


class SeriesSource(enum.StrEnum):
    RAW = "raw"  # the stored rows themselves
    REALTIME = "realtime"  # buckets aggregated from the stored rows
    HOURLY_ROLLUP = "hourly_rollup"  # buckets folded from realtime_hourly


class MatrixKind(enum.StrEnum):
    CELL_VOLTAGES = "cell_voltages_mv"
    PROBE_TEMPERATURES = "probe_temperatures_c"


@dataclass(frozen=True, slots=True)
class SignalSeries:
    """One signal: ``values`` for raw rows, else the requested aggregates per bucket."""

    signal: str
    values: Column | None = None
    avg: Column | None = None
    min: Column | None = None
    max: Column | None = None


@dataclass(frozen=True, slots=True)
class SignalHistory:
    vin: str
    start: datetime
    end: datetime
    times: tuple[datetime, ...]  # collection times (raw) or bucket starts
    series: tuple[SignalSeries, ...]
    source: SeriesSource
    bucket: timedelta | None  # None for raw rows
    counts: tuple[int, ...] | None  # stored rows behind each bucket; None for raw rows

    @property
    def downsampled(self) -> bool:
        return self.bucket is not None


@dataclass(frozen=True, slots=True)
class Matrix:
    """Cell voltages or probe temperatures, one row per time point and one column per cell
    or probe (1-based position in the vehicle's joined list, docs/ingest.md)."""

    vin: str
    kind: MatrixKind
    start: datetime
    end: datetime
    times: tuple[datetime, ...]
    columns: int
    bucket: timedelta | None
    counts: tuple[int, ...] | None
    values: tuple[Column, ...] | None = None
    avg: tuple[Column, ...] | None = None
    min: tuple[Column, ...] | None = None
    max: tuple[Column, ...] | None = None

    @property
    def downsampled(self) -> bool:
        return self.bucket is not None


def check_range(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidArgument("times need a UTC offset", field="range")
    if not start < end:
        raise InvalidArgument("the range must end after it starts", field="range")


def check_signals(signals: tuple[str, ...]) -> None:
    if not signals:
        raise InvalidArgument("ask for at least one signal", field="signals")
    unknown = sorted(set(signals) - SIGNALS)
    if unknown:
        raise InvalidArgument(f"unknown signals {unknown}; known: {sorted(SIGNALS)}",
                              field="signals")
    if len(set(signals)) != len(signals):
        raise InvalidArgument("a signal is asked for twice", field="signals")


def bucket_count(start: datetime, end: datetime, bucket: timedelta) -> int:
    """How many origin-aligned buckets of size ``bucket`` the range [start, end) touches."""
    first = (start - BUCKET_ORIGIN) // bucket
    last = (end - BUCKET_ORIGIN - timedelta(microseconds=1)) // bucket
    return last - first + 1


def choose_bucket(start: datetime, end: datetime, max_points: int) -> timedelta:
    """The smallest ladder bucket that splits [start, end) into at most ``max_points``
    buckets; RangeTooLarge when even the largest does not."""
    for bucket in BUCKETS:
        if bucket_count(start, end, bucket) <= max_points:
            return bucket
    raise RangeTooLarge(
        f"{end - start} in {max_points} points needs buckets over {BUCKETS[-1]}: ask for more "
        "points or a shorter range", field="range")
