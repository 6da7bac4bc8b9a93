"""The production pipeline in one test process: the real gateway on 127.0.0.1 (port 0), routed
by the shared registry in PostgreSQL, writing through the ingest writer into tenant schemas and
Redis, plus a simulator connector that records every byte it sends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import redis.asyncio as redis_asyncio
from ingest_support import writer_settings

from backend.metrics.registry import MetricsRegistry
from backend.storage import registry
from backend.storage.db import tenant_tx
from gateway.ingest.metrics import IngestMetrics
from gateway.ingest.store import PostgresStore
from gateway.ingest.writer import IngestWriter
from gateway.protocol.codec import decode_frame
from gateway.protocol.frame import Frame
from gateway.protocol.wire import BEIJING
from gateway.server.gateway import Gateway
from gateway.server.runtime import StorageAudit, StorageRegistry
from gateway.server.settings import GatewaySettings
from gateway.server.tenant_changes import TenantChangeFollower
from gateway.simulator.connectors import Channel, Connector, LossHandler, ReplyHandler
from gateway.simulator.fleet import FleetConfig, build_fleet
from gateway.simulator.vehicle import Vehicle


@dataclass
class Stack:
    gateway: Gateway
    writer: IngestWriter
    port: int
    tenant_changes: TenantChangeFollower


@asynccontextmanager
async def running_stack(pool: asyncpg.Pool, redis: redis_asyncio.Redis, spool: Path,
                        **gateway_options: Any) -> AsyncIterator[Stack]:
    """Gateway + writer wired exactly as ``gateway.server.runtime.run_gateway`` wires them."""
    metrics = MetricsRegistry()
    writer = IngestWriter(PostgresStore(pool), writer_settings(spool), IngestMetrics(metrics),
                          redis=redis)
    await writer.start()
    options = {"handshake_timeout_s": 5.0, **gateway_options}
    settings = replace(GatewaySettings(), host="127.0.0.1", port=0, metrics_port=None,
                       **options)
    gateway = Gateway(settings, StorageRegistry(pool), writer, StorageAudit(pool),
                      metrics=metrics)
    port = await gateway.start()
    follower = TenantChangeFollower(redis, gateway.tenant_changed)
    follower.start()
    try:
        yield Stack(gateway, writer, port, follower)
    finally:
        await follower.stop()
        await gateway.stop()  # closes the links, then drains the writer into PostgreSQL


def simulation_start() -> datetime:
    """Yesterday 09:00 in Beijing: inside the premade day partitions, and a time of day at which
    the simulated routines drive or charge."""
    yesterday = datetime.now(BEIJING) - timedelta(days=1)
    return yesterday.replace(hour=9, minute=0, second=0, microsecond=0)


def active_vehicles(count: int, seed: int, start: datetime) -> list[Vehicle]:
    """Vehicles that drive or charge at ``start``, so they report at once."""
    fleet = build_fleet(FleetConfig(start=start, vehicles=4 * count + 8, seed=seed,
                                    horizon_s=1800.0))
    chosen = [vehicle for vehicle in fleet.vehicles if vehicle.active]
    assert len(chosen) >= count, "seed gives too few active vehicles"
    return chosen[:count]


async def register(conn: asyncpg.Connection, tenant: str, vins: list[str]) -> None:
    for vin in vins:
        await registry.add_vehicle(conn, vin, tenant)


@dataclass
class RecordingConnector:
    """Wraps a simulator connector; ``sent`` holds every frame the vehicles wrote, decoded."""

    inner: Connector
    sent: list[Frame] = field(default_factory=list)

    async def open(self, vin: str, on_reply: ReplyHandler, on_lost: LossHandler) -> Channel:
        return _RecordingChannel(await self.inner.open(vin, on_reply, on_lost), self.sent)


class _RecordingChannel:
    def __init__(self, inner: Channel, sent: list[Frame]) -> None:
        self._inner = inner
        self._sent = sent

    def send(self, data: bytes) -> None:
        self._sent.append(decode_frame(data))
        self._inner.send(data)

    async def drain(self) -> None:
        await self._inner.drain()

    def close(self) -> None:
        self._inner.close()


async def fetch(pool: asyncpg.Pool, tenant: str, query: str) -> list[asyncpg.Record]:
    async with tenant_tx(pool, tenant) as conn:
        rows: list[asyncpg.Record] = await conn.fetch(query)
        return rows
