"""Run the gateway against the real services: PostgreSQL routing and ingest, Redis, the spool.

Connects the gateway's interfaces (``Registry``, ``IngestSink``, ``AuditLog``) to
``backend.storage`` and the ingest writer; ``nevguard gateway`` calls ``run_gateway``.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import redis.asyncio as aioredis

from backend.metrics.registry import MetricsRegistry
from backend.settings import Settings
from backend.storage import registry as storage_registry
from backend.storage.db import Pool, create_pool
from gateway.ingest.health import CommitWatch, HealthReporter
from gateway.ingest.metrics import IngestMetrics
from gateway.ingest.spool import SpoolSettings
from gateway.ingest.store import PostgresStore
from gateway.ingest.writer import IngestWriter, WriterSettings
from gateway.protocol.crypto import KeyRing

from .device_keys import key_ring
from .gateway import Gateway
from .interfaces import PlatformAccount, TenantRoute, utc_now
from .main import serve
from .settings import GatewaySettings, TlsFiles
from .tenant_changes import TenantChangeFollower

log = logging.getLogger(__name__)


class StorageRegistry:
    """VIN routing and platform accounts from the shared schema (cached by CachedRegistry)."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def route(self, vin: str) -> TenantRoute | None:
        async with self._pool.acquire() as conn:
            found = await storage_registry.vehicle_route(conn, vin)
        if found is None:
            return None
        return TenantRoute(tenant=found.tenant_slug, usage=found.usage_type,
                           ack_realtime=found.ack_realtime, active=found.tenant_active)

    async def check_platform(self, username: str, password: str) -> PlatformAccount | None:
        async with self._pool.acquire() as conn:
            account = await storage_registry.verify_platform_login(conn, username, password)
        if account is None:
            return None
        return PlatformAccount(account_id=account.username, tenant=account.tenant_slug,
                               max_vins=account.max_vins, ack_realtime=account.ack_realtime,
                               frames_per_second=account.frames_per_second)

    async def keys(self) -> KeyRing | None:
        """Every key valid now; CachedRegistry refreshes this every ``keys_ttl_s``."""
        async with self._pool.acquire() as conn:
            rows = await storage_registry.device_keys(conn)
        ring, _skipped = key_ring(rows)
        return ring if len(ring) else None


class StorageAudit:
    """Refused logins and frames go to the security access log ``nevguard.gateway_rejections``."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    async def rejected(self, peer: str, unique_id: str, reason: str,
                       detail: Mapping[str, object]) -> None:
        row = (utc_now(), peer, unique_id, reason, json.dumps(dict(detail), default=str))
        async with self._pool.acquire() as conn:
            await storage_registry.record_rejections(conn, [row])


def gateway_settings(settings: Settings, metrics_port: int | None) -> GatewaySettings:
    tls = None
    if settings.gateway_tls_cert is not None and settings.gateway_tls_key is not None:
        tls = TlsFiles(settings.gateway_tls_cert, settings.gateway_tls_key)
    return replace(GatewaySettings(), host=settings.gateway_host, port=settings.gateway_port,
                   tls=tls, metrics_port=metrics_port)


async def run_gateway(settings: Settings, *, spool_dir: Path, metrics_port: int | None,
                      max_connections: int | None = None, reuse_port: bool = False) -> None:
    """Serve until SIGTERM/SIGINT; the writer drains into PostgreSQL or the spool on the way out."""
    pool = await create_pool(settings, min_size=2, max_size=8, application="nevguard-gateway")
    redis = aioredis.Redis.from_url(settings.redis_url.reveal())
    metrics = MetricsRegistry()
    ingest_metrics = IngestMetrics(metrics)
    watch = CommitWatch(PostgresStore(pool))
    writer = IngestWriter(watch, WriterSettings(spool=SpoolSettings(spool_dir)),
                          ingest_metrics, redis=redis)
    reporters: list[HealthReporter] = []
    followers: list[TenantChangeFollower] = []

    def started(gw: Gateway) -> None:
        log.info("gateway listening on %s:%s", config.host, gw.port)
        follower = TenantChangeFollower(redis, gw.tenant_changed)
        follower.start()
        followers.append(follower)
        reporter = HealthReporter(
            redis, f"{socket.gethostname()}:{os.getpid()}", watch,
            vehicles=gw.vehicles_by_tenant, connections=lambda: gw.connection_count,
            spool_records=lambda: ingest_metrics.spool_records.value)
        reporter.start()
        reporters.append(reporter)

    config = gateway_settings(settings, metrics_port)
    if max_connections is not None:
        config = replace(config, max_connections=max_connections)
    if reuse_port:
        config = replace(config, reuse_port=True)
    try:
        await writer.start()
        await serve(config, StorageRegistry(pool), writer, StorageAudit(pool), metrics=metrics,
                    started=started)
    finally:
        for follower in followers:
            await follower.stop()
        for reporter in reporters:
            await reporter.stop()
        await redis.aclose()
        await pool.close()
