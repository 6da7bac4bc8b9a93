"""Idempotent batch writes of the gateway's rows into one tenant's tables.

A batch is binary-COPYed into temporary staging tables (fast, one round trip per table) and
moved with ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` against each table's dedupe key,
all in one tenant transaction. Writing the same batch again (a retry after a lost commit
acknowledgement, a spool replay) therefore changes nothing and reports duplicates.

Rows are plain tuples in the column orders below (gateway/ingest/columns.py builds them; a
test keeps both lists equal); jsonb values are JSON text.
"""

# ruff: noqa: S608 - SQL text is built only from the column constants below; values are bound.
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from backend.storage.db import Conn, Pool, tenant_tx

Rows = Sequence[Sequence[object]]

REALTIME_COLUMNS: Final = (
    "vin", "collected_at", "received_at", "reissued", "edition", "content_hash",
    "vehicle_state", "charging_state", "running_mode", "speed_kmh", "odometer_km",
    "total_voltage_v", "total_current_a", "soc_pct", "dcdc_state", "gear", "insulation_kohm",
    "accelerator_pct", "brake_pct", "position_valid", "longitude_deg", "latitude_deg",
    "coordinate_system", "max_cell_voltage_mv", "min_cell_voltage_mv", "max_temperature_c",
    "min_temperature_c", "alarm_level", "alarm_flags", "fault_codes", "alarm_levels",
    "cell_voltages_mv", "probe_temperatures_c", "battery", "motors", "fuel_cell", "engine",
    "extras", "sentinels", "undecoded", "signature_verified",
)
RAW_FRAME_COLUMNS: Final = ("vin", "received_at", "collected_at", "command", "edition", "frame",
                            "frame_hash")
EVENT_COLUMNS: Final = ("vin", "at", "collected_at", "kind", "serial", "details")
LATEST_COLUMNS: Final = ("vin", "online", "last_frame_at", "last_collected_at", "longitude_deg",
                         "latitude_deg", "vehicle_state", "charging_state", "soc_pct",
                         "speed_kmh", "alarm_level", "updated_at")
# Telemetry columns of latest_state that follow the collection clock.
_SNAPSHOT: Final = LATEST_COLUMNS[4:11]
HOUR_ORIGIN: Final = "TIMESTAMPTZ '2000-01-01 00:00:00+00'"


@dataclass(frozen=True, slots=True)
class BatchCounts:
    realtime_inserted: int = 0
    realtime_duplicates: int = 0
    raw_inserted: int = 0
    raw_duplicates: int = 0
    events_inserted: int = 0
    events_duplicates: int = 0
    latest_applied: int = 0  # vehicles whose latest_state row was created or moved forward
    latest_stale: int = 0  # vehicles whose stored state was already as new


async def write_batch(conn: Conn | Pool, tenant_slug: str, *, realtime_rows: Rows = (),
                      raw_rows: Rows = (), event_rows: Rows = (),
                      latest_rows: Rows = ()) -> BatchCounts:
    """Write one batch for one tenant atomically; returns what was new and what was known.
    The row lists are keyword-only: four lists of tuples are too easy to swap by position."""
    async with tenant_tx(conn, tenant_slug) as tx:
        realtime = await _insert_realtime(tx, realtime_rows)
        raw = await _insert(tx, "raw_frames", RAW_FRAME_COLUMNS, raw_rows)
        events = await _insert(tx, "vehicle_events", EVENT_COLUMNS, event_rows)
        applied, vehicles = await _upsert_latest(tx, latest_rows)
    return BatchCounts(
        realtime_inserted=realtime, realtime_duplicates=len(realtime_rows) - realtime,
        raw_inserted=raw, raw_duplicates=len(raw_rows) - raw,
        events_inserted=events, events_duplicates=len(event_rows) - events,
        latest_applied=applied, latest_stale=vehicles - applied,
    )


async def _stage(conn: Conn, table: str, columns: Sequence[str], rows: Rows) -> str:
    stage = f"stage_{table}"
    # Dropped at commit; LIKE resolves `table` in the tenant schema (search_path).
    await conn.execute(f"CREATE TEMP TABLE {stage} (LIKE {table}) ON COMMIT DROP")
    await conn.copy_records_to_table(stage, records=rows, columns=columns)
    return stage


async def _insert(conn: Conn, table: str, columns: Sequence[str], rows: Rows) -> int:
    if not rows:
        return 0
    stage = await _stage(conn, table, columns, rows)
    names = ", ".join(columns)
    status = await conn.execute(
        f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} "
        f"ORDER BY {columns[0]}, {columns[1]} ON CONFLICT DO NOTHING")
    return int(status.rsplit(" ", 1)[1])


async def _insert_realtime(conn: Conn, rows: Rows) -> int:
    """Insert new realtime rows and mark their (vin, hour) pairs for the hourly rollup."""
    if not rows:
        return 0
    stage = await _stage(conn, "realtime", REALTIME_COLUMNS, rows)
    names = ", ".join(REALTIME_COLUMNS)
    inserted: int = await conn.fetchval(f"""
        WITH inserted AS (
            INSERT INTO realtime ({names}) SELECT {names} FROM {stage}
             ORDER BY vin, collected_at ON CONFLICT DO NOTHING
            RETURNING vin, collected_at),
        dirty AS (
            INSERT INTO realtime_hourly_dirty (vin, bucket)
            SELECT DISTINCT vin, date_bin(INTERVAL '1 hour', collected_at, {HOUR_ORIGIN})
              FROM inserted ORDER BY 1, 2 ON CONFLICT DO NOTHING)
        SELECT count(*) FROM inserted""")
    return inserted


# Two clocks: the link part (online, last_frame_at) moves forward with the receive time, the
# snapshot with the collection time. On an equal collection time (a record split over several
# frames) the snapshot only fills columns still NULL. A batch may hold several rows per VIN.
_UPSERT_LATEST: Final = f"""
    INSERT INTO latest_state AS l ({", ".join(LATEST_COLUMNS)})
    SELECT link.vin, link.online, link.last_frame_at, snap.last_collected_at,
           {", ".join(f"snap.{column}" for column in _SNAPSHOT)}, link.updated_at
      FROM (SELECT DISTINCT ON (vin) vin, online, last_frame_at, updated_at
              FROM {{stage}} ORDER BY vin, last_frame_at DESC, updated_at DESC) AS link
      LEFT JOIN (SELECT DISTINCT ON (vin) vin, last_collected_at, {", ".join(_SNAPSHOT)}
                   FROM {{stage}} WHERE last_collected_at IS NOT NULL
                  ORDER BY vin, last_collected_at DESC) AS snap USING (vin)
     ORDER BY link.vin
        ON CONFLICT (vin) DO UPDATE SET
           online = CASE WHEN (excluded.last_frame_at, excluded.updated_at)
                              > (l.last_frame_at, l.updated_at)
                         THEN excluded.online ELSE l.online END,
           last_frame_at = greatest(l.last_frame_at, excluded.last_frame_at),
           last_collected_at = greatest(l.last_collected_at, excluded.last_collected_at),
           {", ".join(
               f"{column} = CASE WHEN l.last_collected_at IS NULL "
               f"OR excluded.last_collected_at > l.last_collected_at "
               f"THEN coalesce(excluded.{column}, l.{column}) "
               f"WHEN excluded.last_collected_at = l.last_collected_at "
               f"THEN coalesce(l.{column}, excluded.{column}) ELSE l.{column} END"
               for column in _SNAPSHOT)},
           updated_at = greatest(l.updated_at, excluded.updated_at)
     WHERE (excluded.last_frame_at, excluded.updated_at) > (l.last_frame_at, l.updated_at)
        OR excluded.last_collected_at > l.last_collected_at
        OR (l.last_collected_at IS NULL AND excluded.last_collected_at IS NOT NULL)
        OR (excluded.last_collected_at = l.last_collected_at
            AND ({" OR ".join(
                f"(l.{column} IS NULL AND excluded.{column} IS NOT NULL)"
                for column in _SNAPSHOT)}))"""


async def _upsert_latest(conn: Conn, rows: Rows) -> tuple[int, int]:
    """(vehicles applied, vehicles in the batch)."""
    if not rows:
        return 0, 0
    stage = await _stage(conn, "latest_state", LATEST_COLUMNS, rows)
    status = await conn.execute(_UPSERT_LATEST.format(stage=stage))
    vehicles = len({row[0] for row in rows})
    return int(status.rsplit(" ", 1)[1]), vehicles
