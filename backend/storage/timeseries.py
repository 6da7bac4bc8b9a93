"""Per-vehicle time-series reads shared by the API, exports and jobs.

The same SQL runs on both engines (hypertables or day partitions): only PostgreSQL built-ins
(``date_bin``, not TimescaleDB's ``time_bucket``) and only the tables and ``realtime_hourly``
columns both migrations define. Call inside ``tenant_tx``. Results are column-wise (one list
per column), the shape charts and exports consume without re-pivoting.
"""

# ruff: noqa: S608 - column names come from the constants here; values are bound.
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Final

import asyncpg

from backend.storage.db import Conn
from backend.storage.errors import StorageError

Columns = dict[str, list[Any]]

# Columns a caller may ask for from `realtime` (the query text is built from these names only).
SERIES_COLUMNS: Final = frozenset({
    "received_at", "reissued", "vehicle_state", "charging_state", "running_mode", "speed_kmh",
    "odometer_km", "total_voltage_v", "total_current_a", "soc_pct", "dcdc_state", "gear",
    "insulation_kohm", "accelerator_pct", "brake_pct", "position_valid", "longitude_deg",
    "latitude_deg", "max_cell_voltage_mv", "min_cell_voltage_mv", "max_temperature_c",
    "min_temperature_c", "alarm_level", "alarm_flags",
})
HOURLY_COLUMNS: Final = (
    "bucket", "frames", "reissued_frames", "avg_speed_kmh", "max_speed_kmh", "min_soc_pct",
    "max_soc_pct", "max_alarm_level", "min_insulation_kohm", "max_cell_voltage_mv",
    "min_cell_voltage_mv", "max_temperature_c", "max_odometer_km",
)
# Buckets start at Beijing midnight (UTC+8), so a one-day bucket is a Beijing calendar day.
BUCKET_ORIGIN: Final = "TIMESTAMPTZ '2000-01-01 00:00:00+08'"


class UnknownColumn(StorageError):
    code = "storage.unknown_column"


def columnar(records: Sequence[asyncpg.Record], names: Sequence[str]) -> Columns:
    return {name: [record[name] for record in records] for name in names}


async def vehicle_series(conn: Conn, vin: str, start: datetime, end: datetime, *,
                         columns: Sequence[str] = ("speed_kmh", "soc_pct"),
                         limit: int = 100_000) -> Columns:
    """Raw realtime rows of one vehicle in [start, end), oldest first, at most ``limit``."""
    unknown = set(columns) - SERIES_COLUMNS
    if unknown:
        raise UnknownColumn(f"not a realtime series column: {sorted(unknown)}")
    names = ("collected_at", *columns)
    records = await conn.fetch(
        f"""SELECT {", ".join(names)} FROM realtime
             WHERE vin = $1 AND collected_at >= $2 AND collected_at < $3
             ORDER BY collected_at, content_hash LIMIT $4""",
        vin, start, end, limit)
    return columnar(records, names)


async def vehicle_downsampled(conn: Conn, vin: str, start: datetime, end: datetime,
                              bucket: timedelta) -> Columns:
    """One row per ``bucket`` of one vehicle's realtime data: the server-side downsampling
    behind long-range charts."""
    names = ("bucket", "frames", "avg_speed_kmh", "max_speed_kmh", "min_soc_pct",
             "max_soc_pct", "max_alarm_level")
    records = await conn.fetch(
        f"""SELECT date_bin($4, collected_at, {BUCKET_ORIGIN}) AS bucket,
                   count(*) AS frames, avg(speed_kmh) AS avg_speed_kmh,
                   max(speed_kmh) AS max_speed_kmh, min(soc_pct) AS min_soc_pct,
                   max(soc_pct) AS max_soc_pct, max(alarm_level) AS max_alarm_level
              FROM realtime
             WHERE vin = $1 AND collected_at >= $2 AND collected_at < $3
             GROUP BY 1 ORDER BY 1""",
        vin, start, end, bucket)
    return columnar(records, names)


async def vehicle_hourly(conn: Conn, vin: str, start: datetime, end: datetime) -> Columns:
    """The hourly rollup of one vehicle for hours starting in [start, end)."""
    records = await conn.fetch(
        f"""SELECT {", ".join(HOURLY_COLUMNS)} FROM realtime_hourly
             WHERE vin = $1 AND bucket >= $2 AND bucket < $3 ORDER BY bucket""",
        vin, start, end)
    return columnar(records, HOURLY_COLUMNS)
