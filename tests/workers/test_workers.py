"""The arq worker on the real Redis and PostgreSQL: jobs travel as JSON, the rollup fan-out
queues one job per tenant and a worker in burst mode folds the tenant's hours; the cron
functions run with an injected clock (docs/operations.md)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from arq.connections import ArqRedis
from arq.worker import Worker

from backend.core.audit import ActorKind, Result
from backend.core.tenancy import InvalidTenantSlug
from backend.services import audit
from backend.settings import AuditSettings, Settings
from backend.storage.db import Pool, create_pool_for, tenant_tx
from backend.storage.ingest import write_batch
from backend.storage.jobs import JobName, enqueue_rollup_refresh, job_id
from backend.storage.tenants import provision_tenant
from backend.workers import jobs
from backend.workers.settings import WorkerSettings, build_worker
from tests.integration import storage_rows as rows
from tests.integration.audit_support import make_entry, own_database

pytestmark = pytest.mark.services
# arq 0.28's Worker.close() calls redis-py's deprecated close(); nothing of ours.
ARQ_CLOSES_WITH_DEPRECATED_CALL = pytest.mark.filterwarnings(
    "ignore:Call to deprecated close:DeprecationWarning")


async def _run_burst(settings: Settings, queue: ArqRedis, queue_name: str) -> Worker:
    """A real worker on the test's queue that runs what is queued and stops (no cron)."""
    worker = build_worker(settings, burst=True, queue_name=queue_name, cron_jobs=[],
                          handle_signals=False, poll_delay=0.05, redis_pool=queue)
    try:
        await worker.async_run()
    finally:
        await worker.close()
    return worker


def _context(settings: Settings, db: Pool, clock: datetime,
             redis: ArqRedis | None = None) -> dict[str, Any]:
    fixed: Callable[[], datetime] = lambda: clock  # noqa: E731 - the injected clock
    return {"settings": settings, "db": db, "clock": fixed, "redis": redis}


async def _tenant_with_dirty_hours(pool: Pool) -> str:
    slug = f"w{secrets.token_hex(5)}"
    async with pool.acquire() as conn:
        await provision_tenant(conn, slug)
        await write_batch(conn, slug, realtime_rows=[
            rows.realtime(collected_at=rows.at(1), speed_kmh=30.0),
            rows.realtime(collected_at=rows.at(70), speed_kmh=50.0),
        ])
    return slug


async def _hourly_state(pool: Pool, slug: str) -> tuple[int, int]:
    async with pool.acquire() as conn, tenant_tx(conn, slug) as tx:
        return (await tx.fetchval("SELECT count(*) FROM realtime_hourly_dirty"),
                await tx.fetchval("SELECT coalesce(sum(frames), 0) FROM realtime_hourly"))


def test_the_worker_speaks_json_and_schedules_every_upkeep() -> None:
    assert WorkerSettings.job_serializer({"a": [1]}) == b'{"a":[1]}'
    assert {job.coroutine for job in WorkerSettings.cron_jobs} == {
        jobs.evaluate_security_alerts, jobs.queue_rollup_refreshes, jobs.maintain_partitions,
        jobs.prune_audit_log, jobs.handle_alarms, jobs.measure_storage}


async def test_enqueued_jobs_are_json_and_one_per_tenant(queue: ArqRedis) -> None:
    slug = f"w{secrets.token_hex(5)}"
    assert await enqueue_rollup_refresh(queue, slug)
    assert not await enqueue_rollup_refresh(queue, slug)  # one waits already
    stored = await queue.get(f"arq:job:{job_id(JobName.REFRESH_ROLLUPS, slug)}")
    assert stored is not None
    payload = json.loads(stored)
    assert (payload["f"], payload["a"]) == ("refresh_rollups", [slug])
    with pytest.raises(InvalidTenantSlug):
        await enqueue_rollup_refresh(queue, "Robert'); DROP TABLE")
    await queue.delete(f"arq:job:{job_id(JobName.REFRESH_ROLLUPS, slug)}")


@ARQ_CLOSES_WITH_DEPRECATED_CALL
async def test_fan_out_then_a_burst_worker_folds_each_tenants_hours(
        worker_settings: Settings, pool: Pool, queue: ArqRedis, queue_name: str) -> None:
    tenants = [await _tenant_with_dirty_hours(pool) for _ in range(2)]
    assert [await _hourly_state(pool, slug) for slug in tenants] == [(2, 0), (2, 0)]

    fan_out = await jobs.queue_rollup_refreshes(
        _context(worker_settings, pool, datetime.now(UTC), queue))
    assert fan_out["tenants"] >= 2 and fan_out["queued"] == fan_out["tenants"]

    worker = await _run_burst(worker_settings, queue, queue_name)
    assert worker.jobs_complete >= 2 and worker.jobs_failed == 0
    assert [await _hourly_state(pool, slug) for slug in tenants] == [(0, 2), (0, 2)]
    # The finished jobs left no result behind: the next fan-out queues every tenant again.
    again = await jobs.queue_rollup_refreshes(
        _context(worker_settings, pool, datetime.now(UTC), queue))
    assert again["queued"] == again["tenants"]


async def test_alert_evaluation_sees_the_windows_ending_at_its_clock(
        worker_settings: Settings, worker_database_url: str) -> None:
    async with own_database(worker_database_url) as (dsn, conn):
        start = datetime.now(UTC) - timedelta(hours=3)
        threshold = worker_settings.audit.alerts.login_failures
        await audit.record_many(conn, [
            make_entry("eve@acme.example", kind=ActorKind.ANONYMOUS, actor_tenant=None,
                       tenant=None, operation="auth.login", result=Result.FAILED,
                       at=start + timedelta(seconds=n)) for n in range(threshold)])
        pool = await create_pool_for(dsn, max_size=1)
        try:
            # Two hours later, the burst is outside every window: nothing to raise.
            later = await jobs.evaluate_security_alerts(
                _context(worker_settings, pool, start + timedelta(hours=2)))
            assert later == {"alerts": 0}
            at_the_time = await jobs.evaluate_security_alerts(
                _context(worker_settings, pool, start + timedelta(minutes=1)))
            assert at_the_time == {"alerts": 1}
        finally:
            await pool.close()
        alert = await conn.fetchrow("SELECT kind, subject FROM nevguard.security_alerts")
        assert tuple(alert) == ("brute_force_account", "eve@acme.example")


async def test_audit_retention_prunes_past_the_configured_days(
        worker_settings: Settings, worker_database_url: str) -> None:
    async with own_database(worker_database_url) as (dsn, conn):
        now = datetime.now(UTC)
        await audit.record_many(conn, [make_entry(at=now - timedelta(days=days))
                                       for days in (400, 300, 10)])
        settings = replace(worker_settings,
                           audit=AuditSettings(retention=timedelta(days=200)))
        pool = await create_pool_for(dsn, max_size=1)
        try:
            assert await jobs.prune_audit_log(_context(settings, pool, now)) == {"deleted": 2}
            assert await jobs.prune_audit_log(_context(settings, pool, now)) == {"deleted": 0}
        finally:
            await pool.close()
        anchor = await conn.fetchrow(
            "SELECT actor_id, at FROM nevguard.audit_log WHERE operation = 'audit.prune'")
        assert (anchor["actor_id"], anchor["at"]) == ("system:worker", now)


async def test_partition_upkeep_premakes_days_ahead_of_its_clock(
        worker_settings: Settings, pool: Pool) -> None:
    async with pool.acquire() as conn:
        await provision_tenant(conn, f"w{secrets.token_hex(5)}")
        engines = {row["engine"] for row in await conn.fetch(
            "SELECT engine FROM nevguard.time_series")}
    if engines <= {"timescaledb"}:
        pytest.skip("TimescaleDB creates chunks on insert; no partitions to keep")
    ahead = datetime.now(UTC) + timedelta(days=40)
    first = await jobs.maintain_partitions(_context(worker_settings, pool, ahead))
    assert first["tables"] >= 1 and first["partitions_created"] > 0
    again = await jobs.maintain_partitions(_context(worker_settings, pool, ahead))
    assert again["partitions_created"] == 0


@ARQ_CLOSES_WITH_DEPRECATED_CALL
async def test_a_failing_job_does_not_stop_the_worker(
        worker_settings: Settings, pool: Pool, queue: ArqRedis, queue_name: str) -> None:
    missing = f"w{secrets.token_hex(5)}"  # no such tenant schema: this job fails
    present = await _tenant_with_dirty_hours(pool)
    assert await enqueue_rollup_refresh(queue, missing)
    assert await enqueue_rollup_refresh(queue, present)
    worker = await _run_burst(worker_settings, queue, queue_name)
    assert (worker.jobs_complete, worker.jobs_failed) == (1, 1)
    assert await _hourly_state(pool, present) == (0, 2)


def test_the_console_runs_the_worker_command(capsys: pytest.CaptureFixture[str]) -> None:
    from backend.console import main as console_main

    with pytest.raises(SystemExit) as exited:
        console_main(["worker", "--help"])
    assert exited.value.code == 0 and "--burst" in capsys.readouterr().out
