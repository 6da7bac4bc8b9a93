"""The set-based native rollup refresh (migrations/tenant/0009): its new columns, equal to the
raw computation; one statement over many pairs; the realtime partitions it locks are only
those of the pairs' span. Plain PostgreSQL only (TimescaleDB refreshes its own aggregate)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import asyncpg
import pytest
import storage_rows as rows
from storage_rows import VIN_A, VIN_B, at

from backend.storage.db import tenant_tx
from backend.storage.ingest import write_batch
from backend.storage.rollups import is_continuous_aggregate, refresh_dirty, refresh_range
from backend.storage.tenants import provision_tenant

pytestmark = pytest.mark.services

DAY = 24 * 60
# Hour 0 of day 0: three records (one reissued and charging, one all-NULL); day 2: one record.
SAMPLES: list[tuple[Any, ...]] = [
    rows.realtime(collected_at=at(1), speed_kmh=30.5, soc_pct=80, total_voltage_v=401.5,
                  total_current_a=-12.25, insulation_kohm=5000, max_temperature_c=25,
                  min_temperature_c=20, max_cell_voltage_mv=3400, min_cell_voltage_mv=3300,
                  odometer_km=1000.5, charging_state=3),
    rows.realtime(collected_at=at(20), speed_kmh=50.25, soc_pct=77, total_voltage_v=399.0,
                  total_current_a=30.0, insulation_kohm=4200, max_temperature_c=31,
                  min_temperature_c=22, max_cell_voltage_mv=3450, min_cell_voltage_mv=3280,
                  odometer_km=1010.0, charging_state=1, reissued=True),
    rows.realtime(collected_at=at(40)),
    rows.realtime(collected_at=at(2 * DAY + 5), speed_kmh=10.0, soc_pct=60, odometer_km=1200.0),
    rows.realtime(VIN_B, collected_at=at(5), speed_kmh=99.0, soc_pct=10),
]
SUMMED = ("speed_kmh", "soc_pct", "total_voltage_v", "total_current_a", "insulation_kohm",
          "max_temperature_c", "min_temperature_c", "max_cell_voltage_mv",
          "min_cell_voltage_mv")


@pytest.fixture
async def tenant(db: asyncpg.Connection, fresh_slug: str) -> str:
    await provision_tenant(db, fresh_slug)
    if await is_continuous_aggregate(db, fresh_slug):
        pytest.skip("the rollup table path only")
    await db.execute("SELECT nevguard.ensure_day_partitions($1, 'realtime', $2, $3)",
                     f"t_{fresh_slug}", at(0).date(), at(3 * DAY).date())
    await write_batch(db, fresh_slug, realtime_rows=SAMPLES)
    return fresh_slug


def _raw_aggregates() -> str:
    columns = ["count(*) AS frames", "count(*) FILTER (WHERE charging_state IN (1, 2))"
               " AS charging_frames", "min(odometer_km) AS min_odometer_km"]
    for signal in SUMMED:
        columns += [f"count({signal}) AS count_{signal}", f"sum({signal}) AS sum_{signal}"]
    return ", ".join(columns)


async def test_the_new_columns_equal_the_raw_computation(db: asyncpg.Connection,
                                                         tenant: str) -> None:
    await refresh_dirty(db, tenant)
    async with tenant_tx(db, tenant) as tx:
        raw = await tx.fetch(
            f"""SELECT vin, date_bin(INTERVAL '1 hour', collected_at,
                                     TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
                       {_raw_aggregates()}
                  FROM realtime GROUP BY 1, 2 ORDER BY 1, 2""")
        names = [name for name in dict(raw[0]) if name not in ("vin", "bucket")]
        rolled = await tx.fetch(
            f"""SELECT vin, bucket, min_speed_kmh, max_total_voltage_v, {', '.join(names)}
                  FROM realtime_hourly ORDER BY 1, 2""")
    assert len(rolled) == len(raw) == 3
    for expected, got in zip(raw, rolled, strict=True):
        assert (got["vin"], got["bucket"]) == (expected["vin"], expected["bucket"])
        for name in names:
            assert got[name] == pytest.approx(expected[name]), name
    first = rolled[0]
    assert (first["count_speed_kmh"], first["charging_frames"], first["frames"]) == (2, 1, 3)
    assert (first["min_speed_kmh"], first["max_total_voltage_v"]) == (30.5, 401.5)


async def test_one_refresh_takes_many_pairs_and_deletes_hours_whose_rows_are_gone(
        db: asyncpg.Connection, tenant: str) -> None:
    await refresh_dirty(db, tenant)
    async with tenant_tx(db, tenant) as tx:
        await tx.execute("DELETE FROM realtime WHERE vin = $1", VIN_B)
        refreshed = await tx.fetchval(
            "SELECT refresh_realtime_hourly_pairs($1::text[], $2::timestamptz[])",
            [VIN_A, VIN_A, VIN_B, VIN_A], [at(0), at(2 * DAY), at(0), at(0)])
        hours = await tx.fetch("SELECT vin, bucket, frames FROM realtime_hourly ORDER BY 1, 2")
    assert refreshed == 4
    assert [tuple(hour) for hour in hours] == [(VIN_A, at(0), 3), (VIN_A, at(2 * DAY), 1)]


async def test_a_refresh_locks_only_the_partitions_of_its_hours(db: asyncpg.Connection,
                                                                tenant: str) -> None:
    await refresh_dirty(db, tenant)
    refresh = "SELECT refresh_realtime_hourly_pairs($1::text[], $2::timestamptz[])"
    for _ in range(6):  # past plpgsql's five custom plans, after which it may go generic
        async with tenant_tx(db, tenant) as tx:
            await tx.fetchval(refresh, [VIN_A], [at(0)])
    async with tenant_tx(db, tenant) as tx:
        partitions = await tx.fetchval(
            "SELECT count(*) FROM pg_catalog.pg_inherits WHERE inhparent = 'realtime'::regclass")
        await tx.fetchval(refresh, [VIN_A], [at(2 * DAY)])
        locked = await tx.fetch(
            """SELECT c.relname FROM pg_catalog.pg_locks AS l
                 JOIN pg_catalog.pg_class AS c ON c.oid = l.relation
                 JOIN pg_catalog.pg_inherits AS i ON i.inhrelid = c.oid
                WHERE l.pid = pg_backend_pid() AND i.inhparent = 'realtime'::regclass""")
    assert partitions > 3  # the test would prove nothing with a single partition
    assert [row["relname"] for row in locked] == [
        f"realtime_p{(at(2 * DAY)).strftime('%Y_%m_%d')}"]


async def test_a_range_refresh_recomputes_the_new_columns(db: asyncpg.Connection,
                                                          tenant: str) -> None:
    await refresh_range(db, tenant, at(-60), at(3 * DAY))
    async with tenant_tx(db, tenant) as tx:
        await tx.execute("UPDATE realtime_hourly SET sum_soc_pct = 0, count_soc_pct = 0")
    await refresh_range(db, tenant, at(0) - timedelta(minutes=1), at(3 * DAY))
    async with tenant_tx(db, tenant) as tx:
        sums = await tx.fetch("SELECT sum_soc_pct, count_soc_pct FROM realtime_hourly "
                              "WHERE vin = $1 ORDER BY bucket", VIN_A)
    assert [tuple(row) for row in sums] == [(157, 2), (60, 1)]
