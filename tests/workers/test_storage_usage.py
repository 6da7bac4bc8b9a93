"""Storage usage on the real PostgreSQL: the hourly cron measures every tenant's schema
(TOAST and indexes included), keeps the latest measurement, raises a storage_quota alert when
usage climbs past 80 % and 100 % of the quota (once per climb), and the registration check
refuses at 100 %. Vehicle data is never refused: nothing here touches ingest."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest

from backend.core.data_errors import LimitExceeded
from backend.core.storage_quota import BYTES_PER_GB
from backend.core.tenancy import tenant_schema
from backend.services import storage_usage
from backend.settings import Settings
from backend.storage import security_alerts, tenant_storage
from backend.storage.db import Pool, tenant_tx
from backend.storage.tenants import get_tenant, provision_tenant, set_tenant_quotas
from backend.workers import jobs

pytestmark = pytest.mark.services
NOW = datetime(2024, 6, 1, 12, 41, tzinfo=UTC)


async def _tenant(pool: Pool, storage_gb: int | None = None) -> str:
    slug = f"s{secrets.token_hex(5)}"
    async with pool.acquire() as conn:
        await provision_tenant(conn, slug)
        if storage_gb is not None:
            await set_tenant_quotas(conn, slug, {"storage_gb": storage_gb})
    return slug


async def _stored(pool: Pool, slug: str) -> tuple[int | None, datetime | None]:
    async with pool.acquire() as conn:
        tenant = await get_tenant(conn, slug)
    return tenant.storage_bytes, tenant.storage_measured_at


async def test_the_cron_measures_every_schema_with_toast_and_indexes(
        worker_settings: Settings, pool: Pool) -> None:
    slug = await _tenant(pool)
    context = {"settings": worker_settings, "db": pool, "clock": lambda: NOW, "redis": None}
    report = await jobs.measure_storage(context)
    assert report["tenants"] >= 1 and report["alerts"] == 0
    empty, measured_at = await _stored(pool, slug)
    assert measured_at == NOW
    async with pool.acquire() as conn:
        # Independently: every table of the schema with its TOAST and indexes.
        expected = await conn.fetchval(
            """SELECT sum(pg_table_size(format('%I.%I', schemaname, tablename)::regclass)
                          + pg_indexes_size(format('%I.%I', schemaname, tablename)::regclass))
                 FROM pg_tables WHERE schemaname = $1""", tenant_schema(slug))
    assert empty == expected and empty > 0

    blob = secrets.token_bytes(3_000_000)  # incompressible: it lands in TOAST
    async with tenant_tx(pool, slug) as conn:
        await conn.execute("CREATE TABLE archive_blob (id int PRIMARY KEY, body bytea)")
        await conn.execute("INSERT INTO archive_blob VALUES (1, $1)", blob)
    later = NOW + timedelta(hours=1)
    context["clock"] = lambda: later
    await jobs.measure_storage(context)
    grown, measured_at = await _stored(pool, slug)
    assert measured_at == later and grown is not None and empty is not None
    assert grown - empty >= len(blob)


async def test_alerts_at_80_and_100_percent_once_per_climb(pool: Pool) -> None:
    slug = await _tenant(pool, storage_gb=1)
    other = await _tenant(pool, storage_gb=1)

    async def usage(fraction: float, minutes: int) -> int | None:
        return await storage_usage.record_usage(pool, slug, int(fraction * BYTES_PER_GB),
                                                NOW + timedelta(minutes=minutes))

    assert [await usage(0.5, 0), await usage(0.85, 1), await usage(0.9, 2),
            await usage(1.2, 3), await usage(1.3, 4)] == [None, 80, None, 100, None]
    async with pool.acquire() as conn:
        alerts = await security_alerts.list_alerts(conn, slug)
        assert await security_alerts.list_alerts(conn, other) == []
    assert sorted((a.kind.value, a.subject, a.count) for a in alerts) == [
        ("storage_quota", "100%", 1), ("storage_quota", "80%", 1)]
    top = next(a for a in alerts if a.subject == "100%")
    assert top.details == {"bytes": int(1.2 * BYTES_PER_GB), "quota_gb": 1, "percent": 120.0}
    # Below 80 % re-arms: the next climb alerts again (on the open alert, counted twice).
    assert [await usage(0.5, 5), await usage(0.95, 6)] == [None, 80]
    async with pool.acquire() as conn:
        alerts = await security_alerts.list_alerts(conn, slug)
    assert {a.subject: a.count for a in alerts} == {"80%": 2, "100%": 1}


async def test_registrations_are_refused_at_the_quota_only(pool: Pool) -> None:
    slug = await _tenant(pool, storage_gb=2)
    async with pool.acquire() as conn:
        await storage_usage.check_storage_quota(conn, slug)      # never measured
        await tenant_storage.record_measurement(conn, slug, int(1.99 * BYTES_PER_GB), NOW)
        await storage_usage.check_storage_quota(conn, slug)
        await tenant_storage.record_measurement(conn, slug, 2 * BYTES_PER_GB, NOW)
        with pytest.raises(LimitExceeded) as refused:
            await storage_usage.check_storage_quota(conn, slug)
        assert (refused.value.limit, refused.value.maximum) == ("storage_quota", 2)
        await set_tenant_quotas(conn, slug, {})                   # no quota: no limit
        await storage_usage.check_storage_quota(conn, slug)
