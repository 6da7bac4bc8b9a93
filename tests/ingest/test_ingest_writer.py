"""Writer behaviour against the real services: drain, a slow database, backpressure, Redis
down, and rows the database refuses."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio as redis_asyncio
from ingest_frames import RECEIVED, VIN, accepted, realtime_at
from ingest_support import count, free_port, refused_dsn, stored_keys, wait_for, writer_settings

from backend.metrics.registry import MetricsRegistry
from backend.storage.db import SERVER_SETTINGS, tenant_tx
from gateway.ingest.metrics import IngestMetrics
from gateway.ingest.spool import Spool, SpoolSettings
from gateway.ingest.store import PostgresStore
from gateway.ingest.writer import IngestWriter, Mode
from gateway.server.interfaces import AcceptedFrame, SessionEvent

pytestmark = pytest.mark.services


def stream(tenant: str, count_: int, vin: str = VIN) -> list[AcceptedFrame]:
    return [accepted(realtime_at(vin, second), tenant=tenant,
                     received_at=RECEIVED + timedelta(seconds=second))
            for second in range(count_)]


@pytest.fixture
async def unreachable_pool() -> AsyncIterator[asyncpg.Pool]:
    pool = await asyncpg.create_pool(refused_dsn(), min_size=0, max_size=2,
                                     server_settings=SERVER_SETTINGS)
    yield pool
    await pool.close()


async def test_drain_during_an_outage_leaves_everything_in_the_spool(
        unreachable_pool: asyncpg.Pool, pool: asyncpg.Pool, tenant: str,
        tmp_path: Path) -> None:
    spool_dir = tmp_path / "spool"
    writer = IngestWriter(PostgresStore(unreachable_pool), writer_settings(spool_dir),
                          IngestMetrics(MetricsRegistry()))
    await writer.start()
    for item in stream(tenant, 300):
        await writer.submit(item)
    await writer.event(tenant, VIN, SessionEvent.DISCONNECTED, RECEIVED, {"reason": "shutdown"})
    await writer.drain()
    assert writer.mode is Mode.SPOOL
    spool = Spool(SpoolSettings(spool_dir))
    await spool.open()
    assert spool.depth_records == 301        # durable on disk after drain
    await spool.close()

    again = IngestWriter(PostgresStore(pool), writer_settings(spool_dir),
                         IngestMetrics(MetricsRegistry()))
    await again.start()                      # a leftover spool is replayed at start-up
    await wait_for(lambda: again.mode is Mode.DIRECT and again.spool.depth_records == 0)
    await again.drain()
    assert await count(pool, tenant, "realtime") == 300
    assert await count(pool, tenant, "vehicle_events") == 1


async def test_a_stalled_database_times_out_to_the_spool_and_backpressure_holds(
        pool: asyncpg.Pool, tenant: str, tmp_path: Path) -> None:
    metrics = IngestMetrics(MetricsRegistry())
    settings = writer_settings(tmp_path / "spool", commit_timeout_s=1.0, max_pending=50,
                               retry_initial_s=0.2, retry_max_s=0.5)
    writer = IngestWriter(PostgresStore(pool), settings, metrics)
    await writer.start()
    frames = stream(tenant, 400)
    blocker = await pool.acquire()
    lock = blocker.transaction()
    await lock.start()
    await blocker.execute(f"LOCK TABLE t_{tenant}.latest_state IN ACCESS EXCLUSIVE MODE")

    async def produce() -> None:
        for item in frames:
            await writer.submit(item)

    producer = asyncio.create_task(produce())
    await asyncio.sleep(0.5)
    # Commits hang on the lock: 50 pending items later, submit() waits instead of growing.
    assert not producer.done()
    assert metrics.pending.value <= 50
    await wait_for(lambda: writer.mode is Mode.SPOOL, timeout=5)   # the 1 s commit timeout
    await asyncio.sleep(1.0)
    await lock.rollback()
    await pool.release(blocker)
    await producer
    await wait_for(lambda: writer.mode is Mode.DIRECT and writer.spool.depth_records == 0, 30)
    await writer.drain()
    keys = await stored_keys(pool, tenant)
    assert len(keys) == 400 and {copies for _, _, copies in keys} == {1}


async def test_redis_down_never_blocks_ingest(pool: asyncpg.Pool, tenant: str,
                                              tmp_path: Path) -> None:
    dead = redis_asyncio.Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=0.5)
    metrics = IngestMetrics(MetricsRegistry())
    writer = IngestWriter(PostgresStore(pool), writer_settings(tmp_path / "spool"), metrics,
                          redis=dead)
    await writer.start()
    for item in stream(tenant, 100):
        await writer.submit(item)
    await wait_for(lambda: metrics.committed.labels(tenant).value == 100)
    await wait_for(lambda: sum(child.value for child in (
        metrics.redis_failures.labels("ConnectionError"),
        metrics.redis_failures.labels("TimeoutError"))) >= 100)
    assert writer.mode is Mode.DIRECT
    await writer.drain()
    await dead.aclose()
    assert await count(pool, tenant, "realtime") == 100


async def test_rows_the_database_refuses_are_isolated_not_retried_forever(
        writer: IngestWriter, pool: asyncpg.Pool, tenant: str) -> None:
    # jsonb cannot hold U+0000 (SQLSTATE 22P05): the whole batch fails once, then only this
    # event is stored in a reduced form and the frames around it go in unchanged.
    frames = stream(tenant, 10)
    for item in frames[:5]:
        await writer.submit(item)
    await writer.event(tenant, VIN, SessionEvent.DISCONNECTED, RECEIVED, {"peer": "a\x00b"})
    for item in frames[5:]:
        await writer.submit(item)
    await wait_for(lambda: writer.metrics.committed.labels(tenant).value >= 10)
    assert writer.mode is Mode.DIRECT
    assert await count(pool, tenant, "realtime") == 10
    async with tenant_tx(pool, tenant) as conn:
        details = await conn.fetchval("SELECT details FROM vehicle_events")
    assert json.loads(details) == {"details_refused": True}
    assert writer.metrics.commit_failures.labels("refused_item").value == 1
