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

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Final

from asyncpg import UniqueViolationError

from backend.storage.db import Conn, Pool, tenant_tx
from backend.storage.pgcopy import copy_payload, row_encoder

Rows = Sequence[Sequence[object]]

TS: Final = "timestamp with time zone"
# (column, SQL type) in COPY order; the types pick the binary encoders (pgcopy.py) and a test
# compares them with the migrated tables.
REALTIME_TYPES: Final = (
    ("vin", "text"), ("collected_at", TS), ("received_at", TS), ("reissued", "boolean"),
    ("edition", "smallint"), ("content_hash", "bytea"), ("vehicle_state", "smallint"),
    ("charging_state", "smallint"), ("running_mode", "smallint"), ("speed_kmh", "real"),
    ("odometer_km", "double precision"), ("total_voltage_v", "real"),
    ("total_current_a", "real"), ("soc_pct", "smallint"), ("dcdc_state", "smallint"),
    ("gear", "smallint"), ("insulation_kohm", "integer"), ("accelerator_pct", "smallint"),
    ("brake_pct", "smallint"), ("position_valid", "boolean"),
    ("longitude_deg", "double precision"), ("latitude_deg", "double precision"),
    ("coordinate_system", "smallint"), ("max_cell_voltage_mv", "integer"),
    ("min_cell_voltage_mv", "integer"), ("max_temperature_c", "smallint"),
    ("min_temperature_c", "smallint"), ("alarm_level", "smallint"), ("alarm_flags", "bigint"),
    ("fault_codes", "jsonb"), ("alarm_levels", "jsonb"), ("cell_voltages_mv", "integer[]"),
    ("probe_temperatures_c", "smallint[]"), ("battery", "jsonb"), ("motors", "jsonb"),
    ("fuel_cell", "jsonb"), ("engine", "jsonb"), ("extras", "jsonb"), ("sentinels", "jsonb"),
    ("undecoded", "bytea"), ("signature_verified", "boolean"),
)
RAW_FRAME_TYPES: Final = (
    ("vin", "text"), ("received_at", TS), ("collected_at", TS), ("command", "smallint"),
    ("edition", "smallint"), ("frame", "bytea"), ("frame_hash", "bytea"),
)
EVENT_TYPES: Final = (
    ("vin", "text"), ("at", TS), ("collected_at", TS), ("kind", "text"),
    ("serial", "integer"), ("details", "jsonb"),
)
LATEST_TYPES: Final = (
    ("vin", "text"), ("online", "boolean"), ("last_frame_at", TS), ("last_collected_at", TS),
    ("longitude_deg", "double precision"), ("latitude_deg", "double precision"),
    ("vehicle_state", "smallint"), ("charging_state", "smallint"), ("soc_pct", "smallint"),
    ("speed_kmh", "real"), ("alarm_level", "smallint"), ("updated_at", TS),
)
REALTIME_COLUMNS: Final = tuple(name for name, _ in REALTIME_TYPES)
RAW_FRAME_COLUMNS: Final = tuple(name for name, _ in RAW_FRAME_TYPES)
EVENT_COLUMNS: Final = tuple(name for name, _ in EVENT_TYPES)
LATEST_COLUMNS: Final = tuple(name for name, _ in LATEST_TYPES)
_ROW_ENCODERS: Final = {
    table: row_encoder(types) for table, types in (
        ("realtime", REALTIME_TYPES), ("raw_frames", RAW_FRAME_TYPES),
        ("vehicle_events", EVENT_TYPES), ("latest_state", LATEST_TYPES))}
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


async def _stage(conn: Conn, table: str, columns: Sequence[str], payload: bytes) -> str:
    stage = f"stage_{table}"
    # Dropped at commit; LIKE resolves `table` in the tenant schema (search_path).
    await conn.execute(f"CREATE TEMP TABLE {stage} (LIKE {table}) ON COMMIT DROP")
    await conn.copy_to_table(stage, source=_once(payload), columns=columns, format="binary")
    return stage


async def _once(data: bytes) -> AsyncIterator[bytes]:
    # An async iterable: asyncpg would take plain bytes for a file path (os.fspath accepts them).
    yield data


async def _copy_new(conn: Conn, table: str, columns: Sequence[str], payload: bytes) -> bool:
    """COPY straight into ``table`` when no row is already there (the common case: live data
    seen once); False, with nothing written, when a row hits the table's unique key (a replay,
    a reissue of a record seen live, a retried batch), so the caller dedupes through a stage.
    The savepoint keeps the batch's transaction usable after such a refusal."""
    try:
        async with conn.transaction():
            await conn.copy_to_table(table, source=_once(payload), columns=columns,
                                     format="binary")
    except UniqueViolationError:
        return False
    return True


async def _insert(conn: Conn, table: str, columns: Sequence[str], rows: Rows) -> int:
    if not rows:
        return 0
    payload = copy_payload(_ROW_ENCODERS[table], rows)
    if await _copy_new(conn, table, columns, payload):
        return len(rows)
    stage = await _stage(conn, table, columns, payload)
    names = ", ".join(columns)
    status = await conn.execute(
        f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} "
        f"ORDER BY {columns[0]}, {columns[1]} ON CONFLICT DO NOTHING")
    return int(status.rsplit(" ", 1)[1])


# The (vin, hour) pairs of inserted realtime rows, for the hourly rollup. An existing mark is
# locked, not updated (``DO UPDATE ... WHERE false`` locks the row it conflicts with, ``DO
# NOTHING`` would not): a rollup refresh takes marks ``FOR UPDATE SKIP LOCKED``, so it skips the
# hour until the batch is committed instead of deleting the mark and recomputing the hour
# without the batch's rows (a lost update).
_MARK_HOURS: Final = f"""
    INSERT INTO realtime_hourly_dirty AS d (vin, bucket)
    SELECT DISTINCT vin, date_bin(INTERVAL '1 hour', collected_at, {HOUR_ORIGIN})
      FROM {{source}} ORDER BY 1, 2
        ON CONFLICT (vin, bucket) DO UPDATE SET vin = d.vin WHERE false"""


async def _insert_realtime(conn: Conn, rows: Rows) -> int:
    """Insert new realtime rows and mark their (vin, hour) pairs for the hourly rollup."""
    if not rows:
        return 0
    payload = copy_payload(_ROW_ENCODERS["realtime"], rows)
    if await _copy_new(conn, "realtime", REALTIME_COLUMNS, payload):
        await conn.execute(
            _MARK_HOURS.format(source="unnest($1::text[], $2::timestamptz[]) "
                                      "AS copied (vin, collected_at)"),
            [row[0] for row in rows], [row[1] for row in rows])
        return len(rows)
    stage = await _stage(conn, "realtime", REALTIME_COLUMNS, payload)
    names = ", ".join(REALTIME_COLUMNS)
    inserted: int = await conn.fetchval(f"""
        WITH inserted AS (
            INSERT INTO realtime ({names}) SELECT {names} FROM {stage}
             ORDER BY vin, collected_at ON CONFLICT DO NOTHING
            RETURNING vin, collected_at),
        dirty AS ({_MARK_HOURS.format(source="inserted")})
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
    stage = await _stage(conn, "latest_state", LATEST_COLUMNS,
                         copy_payload(_ROW_ENCODERS["latest_state"], rows))
    status = await conn.execute(_UPSERT_LATEST.format(stage=stage))
    vehicles = len({row[0] for row in rows})
    return int(status.rsplit(" ", 1)[1]), vehicles
