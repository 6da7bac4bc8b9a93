"""The alarm engine on the real PostgreSQL and Redis: feed entries in, events and compliance
flags committed, changes published; replays after a crash change nothing, whole multi-row
entries included; entries of a gateway from before the arrays and positions stored by an engine
from before them still work; a dead consumer's entries are claimed."""

from __future__ import annotations

import asyncio
import json
import logging

import asyncpg
import pytest
import redis.asyncio as redis_asyncio
from alarm_support import at, entry, packed, row
from fleet_support import register, two_tenants

from backend.storage.alarm_feed import FeedReader, append, entry_payload, position_order
from backend.storage.alarm_live import event_channel
from backend.storage.db import tenant_tx
from backend.workers.alarm_engine import AlarmEngine, EngineSettings

pytestmark = pytest.mark.services
INSULATION = 1 << 11


def engine(pool: asyncpg.Pool, redis: redis_asyncio.Redis, stream: str,
           consumer: str = "c1", **reader: int) -> AlarmEngine:
    return AlarmEngine(pool, redis, FeedReader(redis, consumer, stream=stream, **reader),
                       EngineSettings(block_ms=50))


async def drain(target: AlarmEngine) -> None:
    await target._reader.ensure_group()
    while await target.step():
        pass


async def events(pool: asyncpg.Pool, tenant: str) -> list[asyncpg.Record]:
    async with tenant_tx(pool, tenant) as conn:
        return list(await conn.fetch("SELECT * FROM alarm_events ORDER BY opened_at, code"))


async def test_an_episode_opens_updates_and_closes_one_event_and_is_published(
        db: asyncpg.Connection, pool: asyncpg.Pool, redis: redis_asyncio.Redis, stream: str,
        fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    pubsub = redis.pubsub()
    await pubsub.subscribe(event_channel(t.a))
    feed = [entry(t.a, vin, s, level=2, flags=INSULATION, codes={"other": [7]})
            for s in range(0, 50, 10)]
    feed += [entry(t.a, vin, s) for s in range(50, 130, 10)]
    await append(redis, feed, stream=stream)
    await drain(engine(pool, redis, stream))
    [event] = await events(pool, t.a)
    assert (event["code"], event["source"], event["state"]) == ("insulation", "vehicle", "closed")
    assert (event["opened_at"], event["last_seen_at"], event["closed_at"]) == (at(0), at(40),
                                                                                 at(50))
    assert (event["peak_level"], event["frame_count"], event["fault_codes"]) == (2, 5, [7])
    assert await events(pool, t.b) == []
    changes = []
    for _ in range(20):
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
        if message is not None:
            changes.append(json.loads(message["data"])["change"])
    assert changes == ["opened", "closed"]
    await pubsub.aclose()


async def test_a_crash_before_the_acknowledgement_replays_without_duplicates(
        db: asyncpg.Connection, pool: asyncpg.Pool, redis: redis_asyncio.Redis, stream: str,
        fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    await append(redis, [entry(t.a, vin, s, level=3, flags=INSULATION) for s in range(10)],
                 stream=stream)
    crashed = engine(pool, redis, stream)
    crashed._reader.ack = no_ack  # type: ignore[method-assign]
    await drain(crashed)
    assert [e["frame_count"] for e in await events(pool, t.a)] == [10]
    # The restarted engine (same consumer name) reads its pending entries again: all skipped.
    restarted = engine(pool, redis, stream)
    await drain(restarted)
    assert (restarted.processed, restarted.skipped) == (0, 10)
    # Then new records continue the same event: nothing missed, nothing reopened.
    await append(redis, [entry(t.a, vin, s, level=3, flags=INSULATION) for s in range(10, 15)],
                 stream=stream)
    await drain(restarted)
    [event] = await events(pool, t.a)
    assert (event["frame_count"], event["state"], event["last_seen_at"]) == (15, "open", at(14))
    pending = await redis.xpending(stream, "alarm-engine")
    assert pending["pending"] == 0


async def no_ack(entry_ids: object) -> None:  # the process dies right after its commit
    return None


async def test_a_replayed_multi_row_entry_is_skipped_as_a_whole(
        db: asyncpg.Connection, pool: asyncpg.Pool, redis: redis_asyncio.Redis, stream: str,
        fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    first, second = await register(db, t.a, t.admin_a, 2)
    rows = [row(t.a, vin, s, level=3, flags=INSULATION) for s in range(12) for vin in
            (first, second)]
    await append(redis, packed(rows, per_entry=10), stream=stream)  # entries of 10, 10, 4 rows
    crashed = engine(pool, redis, stream)
    crashed._reader.ack = no_ack  # type: ignore[method-assign]
    await drain(crashed)
    assert crashed.processed == 24
    stored = {e["vin"]: e for e in await events(pool, t.a)}
    assert {vin: e["frame_count"] for vin, e in stored.items()} == {first: 12, second: 12}
    [last_entry] = await redis.xrevrange(stream, count=1)
    last_id = last_entry[0].decode()
    assert {e["feed_position"] for e in stored.values()} == {f"{last_id}/2", f"{last_id}/3"}
    restarted = engine(pool, redis, stream)
    await drain(restarted)
    assert (restarted.processed, restarted.skipped) == (0, 24)
    await append(redis, packed([row(t.a, first, s, level=3, flags=INSULATION)
                                for s in range(12, 15)]), stream=stream)
    await drain(restarted)
    counts = {e["vin"]: e["frame_count"] for e in await events(pool, t.a)}
    assert counts == {first: 15, second: 12}
    assert (await redis.xpending(stream, "alarm-engine"))["pending"] == 0


async def test_a_rolling_upgrade_mixes_single_row_entries_and_old_positions(
        db: asyncpg.Connection, pool: asyncpg.Pool, redis: redis_asyncio.Redis, stream: str,
        fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    # An old gateway's entries (one bare row object each), applied and committed by an old
    # engine that died before acknowledging them: its events store positions without "/k".
    await append(redis, [row(t.a, vin, s, level=2, flags=INSULATION) for s in range(5)],
                 stream=stream)
    crashed = engine(pool, redis, stream)
    crashed._reader.ack = no_ack  # type: ignore[method-assign]
    await drain(crashed)
    async with tenant_tx(pool, t.a) as conn:
        await conn.execute("UPDATE alarm_events SET feed_position = "
                           "split_part(feed_position, '/', 1)")
    [old] = await events(pool, t.a)
    assert "/" not in old["feed_position"]
    # A new engine replays them (all skipped), then a new gateway's packed entries continue.
    restarted = engine(pool, redis, stream)
    await drain(restarted)
    assert (restarted.processed, restarted.skipped) == (0, 5)
    await append(redis, packed([row(t.a, vin, s, level=2, flags=INSULATION)
                                for s in range(5, 9)]), stream=stream)
    await drain(restarted)
    [event] = await events(pool, t.a)
    assert (event["frame_count"], event["last_seen_at"]) == (9, at(8))
    assert position_order(event["feed_position"]) > position_order(old["feed_position"])


async def test_the_same_record_twice_in_the_feed_counts_once(
        db: asyncpg.Connection, pool: asyncpg.Pool, redis: redis_asyncio.Redis, stream: str,
        fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    record = entry(t.a, vin, 0, level=1, flags=INSULATION)
    await append(redis, [record, record, entry(t.a, vin, 0, reissued=True, level=1,
                                               flags=INSULATION)], stream=stream)
    await drain(engine(pool, redis, stream))
    assert [e["frame_count"] for e in await events(pool, t.a)] == [1]


async def test_a_dead_consumers_entries_are_claimed(
        db: asyncpg.Connection, pool: asyncpg.Pool, redis: redis_asyncio.Redis, stream: str,
        fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    await append(redis, [entry(t.a, vin, s, level=1, flags=INSULATION) for s in range(5)],
                 stream=stream)
    dead = FeedReader(redis, "dead", stream=stream)
    await dead.ensure_group()
    assert len(await dead.read(100, 10)) == 5  # delivered, never processed
    await asyncio.sleep(0.05)
    survivor = engine(pool, redis, stream, consumer="survivor", claim_idle_ms=10)
    await drain(survivor)
    assert [e["frame_count"] for e in await events(pool, t.a)] == [5]


async def test_level_3_compliance_flags(
        db: asyncpg.Connection, pool: asyncpg.Pool, redis: redis_asyncio.Redis, stream: str,
        fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    good, bad = await register(db, t.a, t.admin_a, 2)
    thermal = 1 << 23
    feed = []
    for vin, seconds in ((good, range(100, 131)), (bad, (100, 101, 111))):
        feed += [entry(t.a, vin, s, edition=2025, level=4, flags=thermal, bit_levels={23: 4})
                 for s in seconds]
    # The good vehicle uploads its 30 s before the onset; the bad one only 5 of them.
    feed += [entry(t.a, good, s, edition=2025, reissued=True) for s in range(70, 100)]
    feed += [entry(t.a, bad, s, edition=2025, reissued=True) for s in range(95, 100)]
    await append(redis, feed, stream=stream)
    await drain(engine(pool, redis, stream))  # received 2 h ago: the grace time is over
    async with tenant_tx(pool, t.a) as conn:
        flags = await conn.fetch("SELECT vin, kind, details FROM compliance_flags ORDER BY kind")
    assert [(f["vin"], f["kind"]) for f in flags] == [(bad, "fast_reporting_missing"),
                                                      (bad, "prealarm_missing")]
    assert json.loads(flags[1]["details"])["records"] == 5
    opened = {e["vin"]: e["opened_at"] for e in await events(pool, t.a)}
    assert opened == {good: at(100), bad: at(100)}  # the clear pre-alarm records stay clear


async def test_entries_of_a_tenant_this_database_lacks_are_acknowledged_and_skipped(
        db: asyncpg.Connection, pool: asyncpg.Pool, redis: redis_asyncio.Redis, stream: str,
        fresh_slug: str, *, caplog: pytest.LogCaptureFixture) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    with_bad_row = entry_payload([row(t.a, vin, 1, level=1, flags=INSULATION), b'{"vin": 1}',
                                  row(t.a, vin, 2, level=1, flags=INSULATION)])
    await append(redis, [entry("tnosuchtenant", vin, 0, level=1, flags=INSULATION),
                         b"not json", b"[not json", entry(t.a, vin, 0, level=1, flags=INSULATION),
                         with_bad_row], stream=stream)
    target = engine(pool, redis, stream)
    with caplog.at_level(logging.ERROR):
        await drain(target)
    assert (target.foreign, target.processed) == (1, 3)
    [event] = await events(pool, t.a)
    assert event["frame_count"] == 3
    assert caplog.text.count("skipping malformed feed data") == 3
    assert " row 1: " in caplog.text  # the bad row of the packed entry, by its place
    assert (await redis.xpending(stream, "alarm-engine"))["pending"] == 0
