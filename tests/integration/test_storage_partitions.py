"""Day-partition upkeep on the real PostgreSQL (native / pg_partman engines)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import asyncpg
import pytest
import storage_rows as rows

from backend.storage.ingest import write_batch
from backend.storage.partitions import PREMAKE_DAYS, run_partition_maintenance
from backend.storage.tenants import provision_tenant

pytestmark = pytest.mark.services


async def _engine(db: asyncpg.Connection, schema: str) -> str:
    engine: str = await db.fetchval(
        "SELECT engine FROM nevguard.time_series WHERE schema_name = $1 "
        "AND table_name = 'realtime'", schema)
    return engine


async def _exists(db: asyncpg.Connection, name: str) -> bool:
    return bool(await db.fetchval("SELECT to_regclass($1) IS NOT NULL", name))


async def test_new_tenants_get_day_partitions_around_today(
    db: asyncpg.Connection, fresh_slug: str
) -> None:
    await provision_tenant(db, fresh_slug)
    schema = f"t_{fresh_slug}"
    engine = await _engine(db, schema)
    if engine == "timescaledb":
        pytest.skip("hypertables create chunks on insert")
    children = await db.fetchval(
        "SELECT count(*) FROM pg_partition_tree($1::regclass) WHERE isleaf", f"{schema}.realtime")
    assert children >= PREMAKE_DAYS + 2  # the default, today and a week ahead at least
    assert await _exists(db, f"{schema}.realtime_default")
    if engine == "native":
        today = datetime.now(UTC).date()
        for day in (today - timedelta(days=1), today, today + timedelta(days=PREMAKE_DAYS)):
            assert await _exists(db, f"{schema}.realtime_p{day:%Y_%m_%d}"), day


async def test_rows_outside_the_premade_days_are_moved_into_their_own_day(
    db: asyncpg.Connection, fresh_slug: str
) -> None:
    await provision_tenant(db, fresh_slug)
    schema = f"t_{fresh_slug}"
    if await _engine(db, schema) == "timescaledb":
        pytest.skip("hypertables create chunks on insert")
    old_day = rows.T0.date()
    await write_batch(db, fresh_slug, realtime_rows=[
        rows.realtime(collected_at=rows.at(minute)) for minute in (0, 1, 60 * 24)])
    assert await db.fetchval(f"SELECT count(*) FROM ONLY {schema}.realtime_default") == 3

    report = await run_partition_maintenance(db)

    assert report.days_moved_from_default >= 2
    placed = await db.fetch(
        f"""SELECT tableoid::regclass::text AS part, (collected_at AT TIME ZONE 'UTC')::date AS day,
                   count(*) FROM {schema}.realtime GROUP BY 1, 2 ORDER BY 2""")
    assert [(r["day"], r["count"]) for r in placed] == [(old_day, 2),
                                                        (old_day + timedelta(days=1), 1)]
    assert all(not r["part"].endswith("_default") for r in placed)
    assert placed[0]["part"] != placed[1]["part"]
    # Deduplication still holds across the moved rows.
    again = await write_batch(db, fresh_slug,
                              realtime_rows=[rows.realtime(collected_at=rows.at(0))])
    assert again.realtime_duplicates == 1


async def test_native_premake_follows_the_clock(db: asyncpg.Connection, fresh_slug: str) -> None:
    await provision_tenant(db, fresh_slug)
    schema = f"t_{fresh_slug}"
    if await _engine(db, schema) != "native":
        pytest.skip("pg_partman and TimescaleDB premake on their own clock")
    tomorrow: date = datetime.now(UTC).date() + timedelta(days=1)
    newest = tomorrow + timedelta(days=PREMAKE_DAYS)
    assert not await _exists(db, f"{schema}.vehicle_events_p{newest:%Y_%m_%d}")
    report = await run_partition_maintenance(
        db, now=datetime.combine(tomorrow, datetime.min.time(), UTC))
    assert report.partitions_created >= 3  # at least one per table of this tenant
    assert await _exists(db, f"{schema}.vehicle_events_p{newest:%Y_%m_%d}")
