"""A PostgreSQL outage in the middle of a stream: the writer spools, replays and switches back,
and every frame is stored exactly once (real PostgreSQL, stopped and started for real)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio as redis_asyncio
from ingest_frames import AT, RECEIVED, accepted, realtime_at
from ingest_support import count, stored_keys, wait_for, writer_settings
from private_postgres import PrivatePostgres

from backend.metrics.registry import MetricsRegistry
from backend.storage.db import SERVER_SETTINGS, connect
from backend.storage.migrate import migrate_shared
from backend.storage.tenants import provision_tenant
from gateway.ingest.metrics import IngestMetrics
from gateway.ingest.store import PostgresStore
from gateway.ingest.writer import IngestWriter, Mode
from gateway.server.interfaces import SessionEvent

pytestmark = pytest.mark.services

TENANT = "outage"
VINS = [f"LNGOUTAGE{number:08d}" for number in range(10)]
SECONDS = 450                 # 10 vehicles x 450 s = 4500 frames
FRAMES_PER_TICK = 10
TICK_S = 0.1                  # 100 frames/s: the stream lasts 45 s
OUTAGE_AFTER_S = 5.0
OUTAGE_S = 30.0               # the outage: 30 s, with the stream going on after it


@pytest.fixture
def private_pg() -> Iterator[PrivatePostgres]:
    if not PrivatePostgres.available():
        pytest.skip("PostgreSQL 15 binaries are not installed")
    server = PrivatePostgres()
    try:
        server.create()
        yield server
    finally:
        server.destroy()


@pytest.fixture
async def pg_pool(private_pg: PrivatePostgres) -> AsyncIterator[asyncpg.Pool]:
    conn = await connect(private_pg.dsn)
    try:
        await migrate_shared(conn)
        await provision_tenant(conn, TENANT)
    finally:
        await conn.close()
    pool = await asyncpg.create_pool(private_pg.dsn, min_size=1, max_size=4,
                                     server_settings=SERVER_SETTINGS)
    yield pool
    await pool.close()


async def test_outage_loses_nothing_and_stores_nothing_twice(
        private_pg: PrivatePostgres, pg_pool: asyncpg.Pool, redis: redis_asyncio.Redis,
        tmp_path: Path) -> None:
    registry = MetricsRegistry()
    metrics = IngestMetrics(registry)
    settings = writer_settings(tmp_path / "spool", commit_timeout_s=2.0, retry_initial_s=0.2,
                               retry_max_s=1.0)
    writer = IngestWriter(PostgresStore(pg_pool), settings, metrics, redis=redis)
    await writer.start()
    frames = [accepted(realtime_at(vin, second), tenant=TENANT,
                       received_at=RECEIVED + timedelta(seconds=second))
              for second in range(SECONDS) for vin in VINS]

    async def produce() -> None:
        for vin in VINS:
            await writer.event(TENANT, vin, SessionEvent.LOGIN, RECEIVED, {"serial": 1})
        for index, item in enumerate(frames):
            await writer.submit(item)
            if index % FRAMES_PER_TICK == FRAMES_PER_TICK - 1:
                await asyncio.sleep(TICK_S)

    producer = asyncio.create_task(produce())
    await asyncio.sleep(OUTAGE_AFTER_S)
    await asyncio.to_thread(private_pg.stop, "immediate")
    await wait_for(lambda: writer.mode is Mode.SPOOL, timeout=10)
    await asyncio.sleep(OUTAGE_S)
    assert writer.mode is Mode.SPOOL
    spooled_during_outage = metrics.spooled.value
    await asyncio.to_thread(private_pg.start)
    assert not producer.done(), "the outage must end in the middle of the stream"
    await producer
    await wait_for(lambda: writer.mode is Mode.DIRECT and writer.spool.depth_records == 0,
                   timeout=60)
    await writer.drain()

    keys = await stored_keys(pg_pool, TENANT)
    expected = [(vin, AT + timedelta(seconds=second)) for vin in VINS for second in range(SECONDS)]
    assert [(vin, at) for vin, at, _ in keys] == expected       # nothing lost
    assert {copies for _, _, copies in keys} == {1}              # nothing twice
    assert await count(pg_pool, TENANT, "raw_frames") == len(frames)
    assert await count(pg_pool, TENANT, "vehicle_events") == len(VINS)
    # The outage really went through the spool and back.
    assert spooled_during_outage > 1000
    assert metrics.replayed.value >= spooled_during_outage
    assert "nevguard_ingest_commit_failures_total{" in registry.render()
    assert list(tmp_path.joinpath("spool").glob("*.spool")) == []
