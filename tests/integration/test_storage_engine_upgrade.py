"""Installing TimescaleDB into a database that already has tenants: the old tenant keeps its
day partitions and rollup table, new tenants get hypertables and the continuous aggregate, and
the maintenance and rollup jobs serve both in one pass. Skips unless the server preloads
TimescaleDB."""

from __future__ import annotations

import pytest
import storage_rows as rows
from engine_support import fresh_databases, timescale_preloaded
from storage_rows import VIN_A, at

from backend.settings import Settings
from backend.storage.db import connect, tenant_tx
from backend.storage.ingest import write_batch
from backend.storage.migrate import migrate_all, migrate_shared
from backend.storage.partitions import run_partition_maintenance
from backend.storage.rollups import refresh_all_tenants
from backend.storage.tenants import provision_tenant
from backend.storage.timeseries import vehicle_hourly

pytestmark = pytest.mark.services

# Minutes after T0 (2024-05-01 08:00 UTC): two hours of one day and one hour three days on,
# so the plain tenant's rows start in its default partition and must be moved.
MINUTES = (1, 20, 61, 60 * 24 * 3)


async def test_tenants_keep_their_engine_when_timescaledb_arrives(
    service_settings: Settings,
) -> None:
    admin_url = service_settings.database_url.reveal()
    if not await timescale_preloaded(admin_url):
        pytest.skip("this PostgreSQL server does not preload TimescaleDB")
    async with fresh_databases(admin_url, "upgrade") as dsns:
        conn = await connect(dsns["upgrade"])
        try:
            await migrate_shared(conn)
            await provision_tenant(conn, "before")
            await conn.execute("CREATE EXTENSION timescaledb")
            await provision_tenant(conn, "after")
            engines = {(row["schema_name"], row["engine"]) for row in await conn.fetch(
                "SELECT schema_name, engine FROM nevguard.time_series")}
            batch = [rows.realtime(collected_at=at(minute), speed_kmh=minute / 2)
                     for minute in MINUTES]
            for slug in ("before", "after"):
                assert (await write_batch(conn, slug, realtime_rows=batch)).realtime_inserted == 4
            maintenance = await run_partition_maintenance(conn)
            runs = await refresh_all_tenants(conn)
            rerun = await migrate_all(conn)
            hourly = {}
            for slug in ("before", "after"):
                async with tenant_tx(conn, slug) as tx:
                    hourly[slug] = await vehicle_hourly(tx, VIN_A, at(-60), at(60 * 24 * 4))
        finally:
            await conn.close()
    assert engines == {("nevguard", "native"), ("t_before", "native"),
                       ("t_after", "timescaledb")}
    assert maintenance.days_moved_from_default == 2  # the plain tenant's two days
    assert [(run.tenant_slug, run.pairs, run.continuous_aggregate) for run in runs] == [
        ("before", 3, False), ("after", 3, True)]
    assert all(report.applied == () for report in rerun)
    assert hourly["before"] == hourly["after"]
    assert hourly["before"]["frames"] == [2, 1, 1]
    assert hourly["before"]["max_speed_kmh"] == [10.0, 30.5, MINUTES[-1] / 2]
