"""The ingest publisher against the real Redis: one frames message per tenant and pipeline, feed
rows packed into entries of one tenant in order, rows counted (not commands), and feed rows that
wait for Redis and overflow as the module says."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import redis.asyncio as redis_asyncio
from ingest_frames import RECEIVED, accepted, realtime_at

from backend.metrics.registry import MetricsRegistry
from backend.storage.alarm_feed import FEED_ROWS_PER_ENTRY, FeedItem, decode_entry
from gateway.ingest.batch import BatchRows, build_rows
from gateway.ingest.metrics import IngestMetrics
from gateway.ingest.publisher import SummaryPublisher, frames_channel, latest_key

pytestmark = pytest.mark.services


@pytest.fixture
async def stream(redis: redis_asyncio.Redis) -> AsyncIterator[str]:
    name = f"test:alarm-feed:{secrets.token_hex(6)}"
    yield name
    await redis.delete(name)


def committed(tenant: str, vins: list[str], seconds: int) -> BatchRows:
    """One batch: ``seconds`` frames of each VIN, second by second, interleaved."""
    return build_rows([accepted(realtime_at(vin, second, soc_pct=second % 100), tenant=tenant,
                                received_at=RECEIVED + timedelta(seconds=second))
                       for second in range(seconds) for vin in vins], datetime.now(UTC))


def vin(index: int) -> str:
    return f"LNGPUB{index:011d}"


async def feed(redis: redis_asyncio.Redis, stream: str) -> list[list[FeedItem]]:
    entries = await redis.xrange(stream)
    decoded = [decode_entry(entry_id.decode(), fields[b"r"]) for entry_id, fields in entries]
    assert all(entry.malformed == [] for entry in decoded)
    return [entry.items for entry in decoded]


async def test_one_frames_message_per_tenant_and_feed_entries_of_one_tenant(
        redis: redis_asyncio.Redis, stream: str) -> None:
    tenant_a, tenant_b = f"puba{secrets.token_hex(4)}", f"pubb{secrets.token_hex(4)}"
    pubsub = redis.pubsub()
    await pubsub.subscribe(frames_channel(tenant_a), frames_channel(tenant_b))
    for _ in range(2):
        await pubsub.get_message(timeout=1.0)  # the subscribe confirmations
    metrics = IngestMetrics(MetricsRegistry())
    publisher = SummaryPublisher(redis, metrics, feed_stream=stream)
    publisher.start()
    batch_a = committed(tenant_a, [vin(1), vin(2)], 75)  # 150 rows: entries of 100 and 50
    batch_b = committed(tenant_b, [vin(3)], 3)
    publisher.offer(tenant_a, batch_a.realtime, batch_a.events, batch_a.latest)
    publisher.offer(tenant_b, batch_b.realtime, batch_b.events, batch_b.latest)
    await publisher.stop()

    messages: dict[str, list[list[dict[str, object]]]] = {}
    while (message := await pubsub.get_message(ignore_subscribe_messages=True,
                                               timeout=0.5)) is not None:
        messages.setdefault(message["channel"].decode(), []).append(
            json.loads(message["data"]))
    await pubsub.aclose()  # type: ignore[no-untyped-call]
    [frames_a] = messages[frames_channel(tenant_a)]
    [frames_b] = messages[frames_channel(tenant_b)]
    assert [(f["vin"], f["soc_pct"]) for f in frames_a] == [
        (v, second) for second in range(75) for v in (vin(1), vin(2))]
    assert {f["tenant"] for f in frames_a} == {tenant_a}
    assert [f["vin"] for f in frames_b] == [vin(3)] * 3

    entries = await feed(redis, stream)
    assert [(len(items), {item.tenant for item in items}) for items in entries] == [
        (FEED_ROWS_PER_ENTRY, {tenant_a}), (50, {tenant_a}), (3, {tenant_b})]
    rows = [item for items in entries for item in items]
    assert [(item.record.vin, item.record.soc_pct) for item in rows[:150]] == [
        (v, second) for second in range(75) for v in (vin(1), vin(2))]
    assert [item.position.rpartition("/")[2] for item in rows[:3]] == ["0", "1", "2"]

    # The per-vehicle hash and link state as before: the newest live frame of each vehicle.
    latest = await redis.hgetall(latest_key(tenant_a, vin(2)))  # type: ignore[misc]
    assert (latest[b"soc_pct"], latest[b"online"]) == (b"74", b"1")
    summaries_and_links = 153 + len(batch_a.latest) + len(batch_b.latest)
    assert metrics.redis_published.value == summaries_and_links + 153  # + the feed rows
    await redis.delete(*(latest_key(tenant, v) for tenant, v in (
        (tenant_a, vin(1)), (tenant_a, vin(2)), (tenant_b, vin(3)))))


async def test_feed_rows_wait_for_redis_in_order_and_an_overflow_drops_the_oldest(
        redis: redis_asyncio.Redis, stream: str) -> None:
    tenant = f"pubc{secrets.token_hex(4)}"
    await redis.set(stream, "not a stream")  # every XADD fails (WRONGTYPE) until it is gone
    metrics = IngestMetrics(MetricsRegistry())
    publisher = SummaryPublisher(redis, metrics, feed_stream=stream, max_feed_queued=200)
    publisher.start()
    first, second = committed(tenant, [vin(4)], 150), committed(tenant, [vin(5)], 100)
    publisher.offer(tenant, first.realtime)
    publisher.offer(tenant, second.realtime)
    failures = metrics.redis_failures
    assert failures.labels("alarm_feed_queue_full").value == 50  # rows, the oldest ones
    for _ in range(100):
        if failures.labels("alarm_feed_ResponseError").value >= 2:
            break
        await asyncio.sleep(0.05)
    assert failures.labels("alarm_feed_ResponseError").value >= 2  # a first try and a retry
    assert await redis.type(stream) == b"string"
    await redis.delete(stream)  # Redis "recovers": the next retry goes through
    for _ in range(100):
        if await redis.exists(stream) and sum(map(len, await feed(redis, stream))) >= 200:
            break
        await asyncio.sleep(0.05)
    await publisher.stop()
    rows = [item.record for items in await feed(redis, stream) for item in items]
    expected = [(vin(4), s % 100) for s in range(50, 150)] + [(vin(5), s) for s in range(100)]
    assert [(record.vin, record.soc_pct) for record in rows] == expected
    assert failures.labels("alarm_feed_shutdown").value == 0
    await redis.delete(latest_key(tenant, vin(4)), latest_key(tenant, vin(5)))
