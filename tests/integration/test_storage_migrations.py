"""The migration runner against the real PostgreSQL: apply, skip, upgrade with data, refuse
edited or unknown migrations, and serialize concurrent runners with the advisory lock."""

from __future__ import annotations

import asyncio
import dataclasses

import asyncpg
import pytest
import storage_rows as rows

from backend.core.tenancy import tenant_schema
from backend.storage.db import connect, tenant_tx
from backend.storage.errors import MigrationChecksumMismatch, MigrationUnknown
from backend.storage.ingest import REALTIME_COLUMNS
from backend.storage.migrate import (
    _LOCK_NAMESPACE,
    TENANT_MIGRATIONS,
    apply_migrations,
    load_migrations,
    migrate_shared,
    migrate_tenant,
    timescale_available,
)
from backend.storage.rollups import refresh_dirty

pytestmark = pytest.mark.services

TENANT = load_migrations(TENANT_MIGRATIONS)
ALL_VERSIONS = tuple(m.version for m in TENANT)


async def _recorded(conn: asyncpg.Connection, slug: str) -> list[tuple[int, str, str]]:
    return [(r["version"], r["name"], r["checksum"]) for r in await conn.fetch(
        f"SELECT version, name, checksum FROM {tenant_schema(slug)}.schema_migrations "
        "ORDER BY version")]


async def test_shared_schema_is_migrated_and_a_rerun_skips_everything(
    db: asyncpg.Connection,
) -> None:
    report = await migrate_shared(db)
    assert report.schema == "nevguard"
    assert report.applied == ()
    assert report.skipped  # the session fixture applied them


async def test_tenant_migrations_apply_once_and_are_recorded(
    db: asyncpg.Connection, fresh_slug: str
) -> None:
    first = await migrate_tenant(db, fresh_slug)
    second = await migrate_tenant(db, fresh_slug)
    assert first.applied == ALL_VERSIONS and first.skipped == ()
    assert second.applied == () and second.skipped == ALL_VERSIONS
    assert await _recorded(db, fresh_slug) == [(m.version, m.name, m.checksum) for m in TENANT]
    # The runner's search_path was transaction-local.
    assert await db.fetchval("SELECT to_regclass('realtime')") is None


async def test_target_stops_early_and_the_rest_follows_later(
    db: asyncpg.Connection, fresh_slug: str
) -> None:
    partial = await migrate_tenant(db, fresh_slug, target=2)
    assert partial.applied == (1, 2)
    rest = await migrate_tenant(db, fresh_slug)
    assert rest.applied == ALL_VERSIONS[2:] and rest.skipped == (1, 2)


async def test_upgrade_keeps_existing_data_and_backfills_the_rollup(
    db: asyncpg.Connection, fresh_slug: str
) -> None:
    rollup = next(m.version for m in TENANT if m.name == "realtime_hourly")
    await migrate_tenant(db, fresh_slug, target=rollup - 1)
    schema = tenant_schema(fresh_slug)
    assert await db.fetchval(f"SELECT to_regclass('{schema}.realtime_hourly')") is None
    old = [rows.realtime(collected_at=rows.at(minute), speed_kmh=float(minute), soc_pct=50 - minute)
           for minute in (0, 10, 70)]
    async with tenant_tx(db, fresh_slug) as tx:
        await tx.copy_records_to_table("realtime", records=old,
                                       columns=REALTIME_COLUMNS)
    report = await migrate_tenant(db, fresh_slug)
    assert report.applied == ALL_VERSIONS[rollup - 1:]
    # Native: the migration already built the rollup. TimescaleDB: it marked the hours dirty.
    await refresh_dirty(db, fresh_slug)
    async with tenant_tx(db, fresh_slug) as tx:
        assert await tx.fetchval("SELECT count(*) FROM realtime") == 3
        hourly = await tx.fetch(
            "SELECT bucket, frames, max_speed_kmh, min_soc_pct FROM realtime_hourly "
            "ORDER BY bucket")
    assert [tuple(r) for r in hourly] == [
        (rows.at(0), 2, 10.0, 40),
        (rows.at(60), 1, 70.0, -20),
    ]


async def test_an_edited_applied_migration_is_refused(
    db: asyncpg.Connection, fresh_slug: str
) -> None:
    await migrate_tenant(db, fresh_slug)
    edited = dataclasses.replace(TENANT[0], sql=TENANT[0].sql + "\n-- edited", checksum="0" * 64)
    with pytest.raises(MigrationChecksumMismatch) as caught:
        await apply_migrations(db, tenant_schema(fresh_slug), (edited, *TENANT[1:]))
    assert caught.value.code == "storage.migration_checksum_mismatch"
    assert caught.value.version == TENANT[0].version


async def test_a_migration_unknown_to_the_code_is_refused(
    db: asyncpg.Connection, fresh_slug: str
) -> None:
    await migrate_tenant(db, fresh_slug)
    with pytest.raises(MigrationUnknown) as caught:
        await apply_migrations(db, tenant_schema(fresh_slug), TENANT[:-1])
    assert caught.value.version == TENANT[-1].version


async def test_concurrent_runners_apply_each_migration_once(
    test_database_url: str, fresh_slug: str
) -> None:
    first, second = await connect(test_database_url), await connect(test_database_url)
    try:
        reports = await asyncio.gather(migrate_tenant(first, fresh_slug),
                                       migrate_tenant(second, fresh_slug))
        applied = sorted(reports[0].applied + reports[1].applied)
        assert applied == list(ALL_VERSIONS)
        assert [r[0] for r in await _recorded(first, fresh_slug)] == list(ALL_VERSIONS)
    finally:
        await first.close()
        await second.close()


async def test_a_runner_waits_for_the_schema_lock(
    test_database_url: str, fresh_slug: str
) -> None:
    holder, runner = await connect(test_database_url), await connect(test_database_url)
    schema = tenant_schema(fresh_slug)
    try:
        lock = holder.transaction()
        await lock.start()
        await holder.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                             _LOCK_NAMESPACE + schema)
        task = asyncio.create_task(migrate_tenant(runner, fresh_slug))
        await asyncio.sleep(0.5)
        assert not task.done()
        assert await holder.fetchval("SELECT to_regnamespace($1)", schema) is None
        await lock.commit()
        report = await asyncio.wait_for(task, timeout=60)
        assert report.applied == ALL_VERSIONS
    finally:
        await holder.close()
        await runner.close()


async def test_timescale_availability_matches_the_extension_catalog(
    db: asyncpg.Connection,
) -> None:
    installed = await db.fetchval(
        "SELECT count(*) = 1 FROM pg_extension WHERE extname = 'timescaledb'")
    assert await timescale_available(db) is installed
    assert await db.fetchval("SELECT nevguard.timescale_enabled()") is installed
