"""Keeps ``realtime_hourly`` current.

The ingest writer records every (vin, hour) whose realtime rows it inserted in
``realtime_hourly_dirty``; ``refresh_dirty`` folds them in:

* plain PostgreSQL: ``realtime_hourly`` is a table; the SQL function
  ``refresh_realtime_hourly_dirty`` recomputes the taken pairs in one transaction
  (FOR UPDATE SKIP LOCKED, so several workers can share the work).
* TimescaleDB: ``realtime_hourly`` is a real-time continuous aggregate whose policy refreshes
  the last three days; the pairs matter only for older hours (reissued data after a long
  outage), which we refresh with ``refresh_continuous_aggregate`` (it must run outside a
  transaction, so taking the pairs and deleting them are separate steps: at-least-once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from backend.core.tenancy import tenant_schema
from backend.storage.db import Conn, tenant_tx

BUCKET: Final = timedelta(hours=1)
HOUR_EPOCH: Final = datetime(2000, 1, 1, tzinfo=UTC)  # the origin of the hour buckets
DEFAULT_BATCH: Final = 5000


@dataclass(frozen=True, slots=True)
class RollupRun:
    tenant_slug: str
    pairs: int
    continuous_aggregate: bool


async def is_continuous_aggregate(conn: Conn, tenant_slug: str) -> bool:
    """True when the tenant's realtime_hourly is a TimescaleDB continuous aggregate (a view)
    rather than the table of the native path."""
    # Compared in SQL: asyncpg returns the one-byte "char" relkind as bytes, not str.
    is_view = await conn.fetchval(
        "SELECT relkind = 'v' FROM pg_catalog.pg_class WHERE oid = to_regclass($1)",
        f"{tenant_schema(tenant_slug)}.realtime_hourly")
    return bool(is_view)


async def refresh_dirty(conn: Conn, tenant_slug: str, *, limit: int = DEFAULT_BATCH) -> RollupRun:
    """Fold up to ``limit`` dirty (vin, hour) pairs into realtime_hourly."""
    if await is_continuous_aggregate(conn, tenant_slug):
        return RollupRun(tenant_slug, await _refresh_dirty_timescale(conn, tenant_slug, limit),
                         continuous_aggregate=True)
    async with tenant_tx(conn, tenant_slug) as tx:
        pairs: int = await tx.fetchval("SELECT refresh_realtime_hourly_dirty($1)", limit)
    return RollupRun(tenant_slug, pairs, continuous_aggregate=False)


async def refresh_range(conn: Conn, tenant_slug: str, start: datetime, end: datetime) -> None:
    """Recompute every hour overlapping [start, end), e.g. after a bulk import."""
    if await is_continuous_aggregate(conn, tenant_slug):
        # TimescaleDB refreshes only the buckets lying wholly inside the window (and refuses a
        # window holding none), so widen it to the hours the range touches, as the table does.
        first, last = _hours_around(start, end)
        if first < last:
            await _refresh_continuous_aggregate(conn, tenant_slug, first, last)
        return
    async with tenant_tx(conn, tenant_slug) as tx:
        await tx.execute("SELECT refresh_realtime_hourly($1, $2)", start, end)


async def refresh_all_tenants(conn: Conn, *, limit: int = DEFAULT_BATCH) -> list[RollupRun]:
    """One pass over every active tenant (the cron job)."""
    slugs = await conn.fetch(
        "SELECT slug FROM nevguard.tenants WHERE status = 'active' ORDER BY id")
    return [await refresh_dirty(conn, row["slug"], limit=limit) for row in slugs]


def _hours_around(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The hour boundaries at or before ``start`` and at or after ``end`` (UTC hours)."""
    first = HOUR_EPOCH + ((start - HOUR_EPOCH) // BUCKET) * BUCKET
    last = HOUR_EPOCH - ((HOUR_EPOCH - end) // BUCKET) * BUCKET
    return first, last


async def _refresh_dirty_timescale(conn: Conn, tenant_slug: str, limit: int) -> int:
    async with tenant_tx(conn, tenant_slug) as tx:
        rows = await tx.fetch(
            "SELECT vin, bucket FROM realtime_hourly_dirty ORDER BY bucket LIMIT $1", limit)
    if not rows:
        return 0
    buckets = [row["bucket"] for row in rows]
    await _refresh_continuous_aggregate(conn, tenant_slug, min(buckets), max(buckets) + BUCKET)
    async with tenant_tx(conn, tenant_slug) as tx:
        await tx.execute(
            """DELETE FROM realtime_hourly_dirty AS d
                USING unnest($1::text[], $2::timestamptz[]) AS taken (vin, bucket)
                WHERE d.vin = taken.vin AND d.bucket = taken.bucket""",
            [row["vin"] for row in rows], buckets)
    return len(rows)


async def _refresh_continuous_aggregate(conn: Conn, tenant_slug: str, start: datetime,
                                        end: datetime) -> None:
    # A procedure that refuses to run inside a transaction block, so it is sent as one simple
    # query with literal arguments (our own datetimes and schema name, never user text).
    timescale = await conn.fetchval("SELECT nevguard.extension_schema('timescaledb')")
    view = f"{tenant_schema(tenant_slug)}.realtime_hourly"
    await conn.execute(
        f"CALL {timescale}.refresh_continuous_aggregate("
        f"'{view}', '{start.isoformat()}'::timestamptz, '{end.isoformat()}'::timestamptz)")
