"""The alarm engine's metrics on the real PostgreSQL and Redis: records, changes and commits as
the engine works, the feed's backlog (undelivered, pending, oldest age) and GET /metrics."""

from __future__ import annotations

import asyncio
import logging
import random
import socket
import time

import asyncpg
import pytest
import redis.asyncio as redis_asyncio
from alarm_support import entry
from fleet_support import register, two_tenants

from backend.metrics.registry import MetricsRegistry
from backend.storage.alarm_feed import FeedReader, append
from backend.workers.alarm_engine import AlarmEngine, EngineSettings
from backend.workers.alarm_engine_main import serve_metrics
from backend.workers.alarm_engine_metrics import EngineMetrics, watch_feed

pytestmark = pytest.mark.services
INSULATION = 1 << 11


def samples(registry: MetricsRegistry) -> dict[str, float]:
    pairs = (line.rpartition(" ") for line in registry.render().splitlines()
             if not line.startswith("#"))
    return {name: float(value) for name, _, value in pairs}


async def test_records_changes_and_commits_are_counted(
        db: asyncpg.Connection, pool: asyncpg.Pool, redis: redis_asyncio.Redis, stream: str,
        fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    alarm = [entry(t.a, vin, s, level=2, flags=INSULATION) for s in range(0, 50, 10)]
    clear = [entry(t.a, vin, s) for s in range(50, 130, 10)]
    foreign = entry("tnosuchtenant", vin, 0, level=1, flags=INSULATION)
    await append(redis, [*alarm, alarm[0], *clear, foreign], stream=stream)
    registry = MetricsRegistry()
    engine = AlarmEngine(pool, redis, FeedReader(redis, "c1", stream=stream),
                         EngineSettings(block_ms=50), EngineMetrics(registry))
    await engine._reader.ensure_group()
    while await engine.step():
        pass
    seen = samples(registry)
    assert {name: seen[f'nevguard_alarm_engine_records_total{{outcome="{name}"}}']
            for name in ("applied", "skipped", "foreign")} == \
        {"applied": 13, "skipped": 1, "foreign": 1}
    assert (engine.processed, engine.skipped, engine.foreign) == (13, 1, 1)
    assert seen['nevguard_alarm_engine_changes_total{change="opened"}'] == 1
    assert seen['nevguard_alarm_engine_changes_total{change="closed"}'] == 1
    commits = seen["nevguard_alarm_engine_commit_seconds_count"]
    assert commits >= 1  # the opening and the closing may share a batch
    assert 0 < seen["nevguard_alarm_engine_commit_seconds_sum"] < commits * 5


async def test_the_feed_backlog_follows_delivery_and_acknowledgement(
        redis: redis_asyncio.Redis, stream: str) -> None:
    metrics = EngineMetrics(registry := MetricsRegistry())
    reader = FeedReader(redis, "c1", stream=stream)
    await metrics.sample_feed(reader)  # no stream yet: nothing behind
    old_ms = int(time.time() * 1000) - 30_000
    for offset in range(3):  # three entries added 30 s ago (the id is the time)
        await redis.xadd(stream, {"r": b"{}"}, id=f"{old_ms + offset}-0")
    await reader.ensure_group()

    async def backlog() -> tuple[float, float, float]:
        await metrics.sample_feed(reader)
        seen = samples(registry)
        return (seen["nevguard_alarm_feed_undelivered_entries"],
                seen["nevguard_alarm_feed_pending_entries"],
                seen["nevguard_alarm_feed_oldest_age_seconds"])

    undelivered, pending, age = await backlog()
    assert (undelivered, pending) == (3, 0) and 29 < age < 60
    delivered = await reader.read(2, 10)
    undelivered, pending, age = await backlog()
    assert (undelivered, pending) == (1, 2) and 29 < age < 60
    await reader.ack([entry_id for entry_id, _ in delivered])
    undelivered, pending, age = await backlog()
    assert (undelivered, pending) == (1, 0) and 29 < age < 60
    await reader.ack([entry_id for entry_id, _ in await reader.read(10, 10)])
    assert await backlog() == (0, 0, 0)


def _unused_port() -> int:
    """A loopback port below 32768 (the workplace's rule) that nothing listens on."""
    for _ in range(100):
        port = random.randrange(20_000, 32_000)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


async def _get(port: int, target: str) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {target} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
    answer = (await reader.read()).decode()
    writer.close()
    return answer


async def test_get_metrics_serves_the_engine_and_feed_families(
        redis: redis_asyncio.Redis, stream: str) -> None:
    registry = MetricsRegistry()
    metrics = EngineMetrics(registry)
    await append(redis, [b"{}"], stream=stream)
    reader = FeedReader(redis, "c1", stream=stream)
    await reader.ensure_group()
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_feed(metrics, reader, stop, every_s=0.05))
    port = _unused_port()
    server = await serve_metrics(registry, "127.0.0.1", port)
    assert server is not None
    try:
        await asyncio.sleep(0.2)
        answer = await _get(port, "/metrics")
    finally:
        stop.set()
        await watcher
        await server.stop()
    head, _, body = answer.partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 200") and "version=0.0.4" in head
    assert "nevguard_alarm_feed_undelivered_entries 1\n" in body
    assert "# TYPE nevguard_alarm_engine_commit_seconds histogram" in body


async def test_a_taken_metrics_port_leaves_the_engine_running_without_it(
        caplog: pytest.LogCaptureFixture) -> None:
    port = _unused_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        with caplog.at_level(logging.ERROR):
            assert await serve_metrics(MetricsRegistry(), "127.0.0.1", port) is None
    assert "no /metrics endpoint" in caplog.text
    assert await serve_metrics(MetricsRegistry(), "127.0.0.1", 0) is None  # 0: asked for none


async def test_a_failing_backlog_read_is_logged_and_sampling_goes_on(
        redis: redis_asyncio.Redis, stream: str, caplog: pytest.LogCaptureFixture) -> None:
    await redis.set(stream, "not a stream")  # XINFO answers WRONGTYPE
    metrics = EngineMetrics(MetricsRegistry())
    stop = asyncio.Event()
    with caplog.at_level(logging.ERROR):
        watcher = asyncio.create_task(
            watch_feed(metrics, FeedReader(redis, "c1", stream=stream), stop, every_s=0.01))
        await asyncio.sleep(0.1)
        assert not watcher.done()
        stop.set()
        await watcher
    assert caplog.text.count("could not read the feed's backlog") >= 2
