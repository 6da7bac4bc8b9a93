"""Platform health end to end: a real gateway and ingest writer wired as in production
(gateway/server/runtime.py: the writer's store wrapped by CommitWatch, a HealthReporter in Redis),
simulated vehicles over TCP, then the provider's service reads the per-tenant numbers back."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio as redis_asyncio
from ingest_support import writer_settings
from pipeline_stack import active_vehicles, register, simulation_start

from backend.core.access import AccessDenied, Principal, Role
from backend.metrics.registry import MetricsRegistry
from backend.services.platform_health import platform_health, summarize
from backend.storage.db import connect
from backend.storage.platform_health import KEY_PREFIX, GatewayReport, TenantLoad
from gateway.ingest.health import CommitWatch, HealthReporter
from gateway.ingest.metrics import IngestMetrics
from gateway.ingest.store import PostgresStore
from gateway.ingest.writer import IngestWriter
from gateway.server.gateway import Gateway
from gateway.server.runtime import StorageAudit, StorageRegistry
from gateway.server.settings import GatewaySettings
from gateway.simulator.clock import SimClock
from gateway.simulator.connectors import DirectConnector
from gateway.simulator.driver import run_fleet
from gateway.simulator.terminal import Terminal
from gateway.simulator.terminal_config import TerminalConfig

pytestmark = pytest.mark.services
PROVIDER = Principal("user:1", Role.PLATFORM_OPERATOR, None)


async def test_a_gateways_tenants_show_in_platform_health(
        pool: asyncpg.Pool, redis: redis_asyncio.Redis, tenant: str, ingest_dsn: str,
        tmp_path: Path) -> None:
    start = simulation_start()
    # Seeds differ across the tests of this package: the VINs they make share one database.
    vehicles = active_vehicles(3, seed=41, start=start)
    conn = await connect(ingest_dsn)
    try:
        await register(conn, tenant, [vehicle.spec.vin for vehicle in vehicles])
    finally:
        await conn.close()
    metrics = MetricsRegistry()
    ingest_metrics = IngestMetrics(metrics)
    watch = CommitWatch(PostgresStore(pool))
    writer = IngestWriter(watch, writer_settings(tmp_path / "spool"), ingest_metrics,
                          redis=redis)
    await writer.start()
    gateway = Gateway(replace(GatewaySettings(), host="127.0.0.1", port=0, metrics_port=None),
                      StorageRegistry(pool), writer, StorageAudit(pool), metrics=metrics)
    port = await gateway.start()
    gateway_id = f"test-{secrets.token_hex(4)}"
    reporter = HealthReporter(redis, gateway_id, watch, vehicles=gateway.vehicles_by_tenant,
                              connections=lambda: gateway.connection_count,
                              spool_records=lambda: ingest_metrics.spool_records.value,
                              interval_s=0.2)
    stop = asyncio.Event()
    start_s = int(start.timestamp())
    fleet = asyncio.create_task(run_fleet(
        [Terminal(vehicle, TerminalConfig(interval_s=10)) for vehicle in vehicles],
        DirectConnector("127.0.0.1", port), SimClock(start_s, 60.0), start_s + 3600, stop))
    try:
        reporter.start()
        seen = None
        for _ in range(100):  # until the vehicles are in and frames were committed
            await asyncio.sleep(0.1)
            health = await platform_health(redis, PROVIDER)
            seen = next((t for t in health.tenants if t.tenant == tenant), None)
            if seen is not None and seen.vehicles == 3 and seen.frames_per_second > 0:
                break
        assert seen is not None and seen.vehicles == 3 and seen.frames_per_second > 0
        assert seen.commit_lag_s is not None and 0 <= seen.commit_lag_s < 30
        assert seen.newest_commit_age_s is not None and seen.newest_commit_age_s < 30
        mine = next(g for g in health.gateways if g.gateway == gateway_id)
        assert mine.connections == 3 and mine.spool_records == 0 and mine.report_age_s < 5
    finally:
        stop.set()
        await fleet
        await reporter.stop()
        await gateway.stop()
    # A stopped gateway's report expires with its TTL instead of lingering.
    assert 0 < await redis.ttl(KEY_PREFIX + gateway_id) <= 3
    with pytest.raises(AccessDenied):
        await platform_health(redis, Principal("user:2", Role.TENANT_ADMIN, tenant))


def test_two_gateways_add_up_per_tenant() -> None:
    now = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    reports = [
        GatewayReport("gw-a", now - timedelta(seconds=2), 5, 0, {
            "acme": TenantLoad(3, 600, now - timedelta(seconds=1), 0.2),
            "bolt": TenantLoad(1, 0, None, None)}),
        GatewayReport("gw-b", now, 2, 40, {
            "acme": TenantLoad(2, 300, now - timedelta(seconds=4), 1.5)}),
    ]
    health = summarize(reports, now)
    assert [(g.gateway, g.report_age_s, g.connections, g.spool_records)
            for g in health.gateways] == [("gw-a", 2.0, 5, 0), ("gw-b", 0.0, 2, 40)]
    assert [(t.tenant, t.vehicles, t.frames_per_second, t.commit_lag_s, t.newest_commit_age_s)
            for t in health.tenants] == [("acme", 5, 15.0, 1.5, 1.0),
                                         ("bolt", 1, 0.0, None, None)]
