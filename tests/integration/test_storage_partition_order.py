"""Closed day partitions rewritten in (vin, time) order by the partition maintenance, once
each, never the open days, and never waiting long for a busy partition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
import storage_rows as rows
from storage_rows import VIN_A, VIN_B, at

from backend.storage.db import connect
from backend.storage.ingest import write_batch
from backend.storage.partition_order import (
    ClosedPartition,
    order_partition,
    partitions_to_order,
)
from backend.storage.partitions import run_partition_maintenance
from backend.storage.tenants import provision_tenant

pytestmark = pytest.mark.services

DAY = 24 * 60
NOW = rows.T0 + timedelta(days=3, hours=1)  # day 0 (T0's UTC day) ended 2 days ago, day 1 not


@pytest.fixture
async def schema(db: asyncpg.Connection, fresh_slug: str) -> str:
    await provision_tenant(db, fresh_slug)
    schema = f"t_{fresh_slug}"
    engine = await db.fetchval("SELECT engine FROM nevguard.time_series WHERE schema_name = $1 "
                               "AND table_name = 'realtime'", schema)
    if engine == "timescaledb":
        pytest.skip("compression segmented by vin orders hypertables")
    for table in ("realtime", "raw_frames"):
        await db.execute("SELECT nevguard.ensure_day_partitions($1, $2, $3, $4)", schema,
                         table, at(0).date(), at(3 * DAY).date())
    interleaved = [rows.realtime(vin, collected_at=at(minute), speed_kmh=float(minute))
                   for minute in range(0, 120, 2) for vin in (VIN_B, VIN_A)]
    await write_batch(db, fresh_slug, realtime_rows=interleaved, raw_rows=[
        rows.raw(vin, received_at=at(minute)) for minute in range(5) for vin in (VIN_B,
                                                                                      VIN_A)])
    await write_batch(db, fresh_slug, realtime_rows=[
        rows.realtime(vin, collected_at=at(2 * DAY + 1)) for vin in (VIN_B, VIN_A)])
    return schema


def _mine(schema: str, found: list[ClosedPartition]) -> list[str]:
    return [p.partition for p in found if p.schema == schema]


async def _physical_order(db: asyncpg.Connection, relation: str) -> list[tuple[str, datetime]]:
    records = await db.fetch(f"SELECT vin, collected_at FROM {relation} ORDER BY ctid")
    return [(r["vin"], r["collected_at"]) for r in records]


async def test_closed_days_are_rewritten_in_vin_order_once(db: asyncpg.Connection,
                                                           schema: str) -> None:
    day0 = f"realtime_p{at(0):%Y_%m_%d}"
    assert _mine(schema, await partitions_to_order(db, now=NOW)) == [
        f"raw_frames_p{at(0):%Y_%m_%d}", day0]
    before = await _physical_order(db, f"{schema}.{day0}")
    assert before[0][0] == VIN_B  # arrival order: the fleet interleaved

    report = await run_partition_maintenance(db, now=NOW, order_limit=None)

    assert report.partitions_ordered >= 2
    after = await _physical_order(db, f"{schema}.{day0}")
    assert after == sorted(before, key=lambda row: (row[0], -row[1].timestamp()))
    assert _mine(schema, await partitions_to_order(db, now=NOW)) == []
    # The next day closes a day later (its partitions are empty here, which costs nothing).
    later = _mine(schema, await partitions_to_order(db, now=NOW + timedelta(days=1)))
    assert later == [f"raw_frames_p{at(DAY):%Y_%m_%d}", f"realtime_p{at(DAY):%Y_%m_%d}"]


async def test_a_busy_partition_is_left_for_the_next_run(db: asyncpg.Connection, schema: str,
                                                         test_database_url: str) -> None:
    [day0] = [p for p in await partitions_to_order(db, now=NOW)
              if p.schema == schema and p.partition.startswith("realtime")]
    reader = await connect(test_database_url)
    try:
        async with reader.transaction():
            await reader.execute(f'SELECT count(*) FROM "{schema}"."{day0.partition}"')
            started = datetime.now(UTC)
            assert not await order_partition(db, day0, lock_timeout="200ms")
            assert datetime.now(UTC) - started < timedelta(seconds=5)
    finally:
        await reader.close()
    assert day0 in await partitions_to_order(db, now=NOW)
    assert await order_partition(db, day0)
    assert day0 not in await partitions_to_order(db, now=NOW)
