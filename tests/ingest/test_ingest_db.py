"""Batches into the real PostgreSQL, duplicates, and the writer end to end with Redis."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
import redis.asyncio as redis_asyncio
from ingest_frames import (
    LOGOUT,
    REALTIME_2016_FULL,
    REALTIME_2016_SENTINELS,
    REALTIME_2025_FULL,
    RECEIVED,
    VIN,
    accepted,
    realtime_at,
    wire,
)
from ingest_support import count, wait_for

import backend.storage.ingest as stored
from backend.storage.db import tenant_tx
from gateway.ingest import columns
from gateway.ingest.batch import build_rows
from gateway.ingest.publisher import events_channel, frames_channel, latest_key
from gateway.ingest.records import EventItem
from gateway.ingest.store import PostgresStore
from gateway.ingest.writer import IngestWriter
from gateway.server.interfaces import FrameKind, SessionEvent

pytestmark = pytest.mark.services


def test_column_orders_match_the_storage_layer() -> None:
    assert columns.REALTIME_COLUMNS == stored.REALTIME_COLUMNS
    assert columns.RAW_FRAME_COLUMNS == stored.RAW_FRAME_COLUMNS
    assert columns.EVENT_COLUMNS == stored.EVENT_COLUMNS
    assert columns.LATEST_COLUMNS == stored.LATEST_COLUMNS


async def test_a_batch_is_stored_once_however_often_it_is_written(
        pool: asyncpg.Pool, tenant: str) -> None:
    items = [accepted(wire("##", 0x02, REALTIME_2016_FULL), tenant=tenant),
             accepted(wire("##", 0x02, REALTIME_2016_SENTINELS), tenant=tenant,
                      received_at=RECEIVED + timedelta(seconds=1)),
             accepted(wire("$$", 0x02, REALTIME_2025_FULL), tenant=tenant,
                      received_at=RECEIVED + timedelta(seconds=2))]
    rows = build_rows([*items, EventItem(tenant, VIN, SessionEvent.LOGIN, RECEIVED, {})],
                      datetime.now(UTC))
    store = PostgresStore(pool)
    first = await store.commit(tenant, rows)
    again = await store.commit(tenant, rows)
    assert tuple(first) == (3, 3, 1)
    assert tuple(again) == (0, 0, 0)
    async with tenant_tx(pool, tenant) as conn:
        realtime = await conn.fetch(
            "SELECT edition, speed_kmh, soc_pct, insulation_kohm, sentinels, cell_voltages_mv, "
            "max_cell_voltage_mv FROM realtime ORDER BY edition, max_cell_voltage_mv")
        latest = await conn.fetchrow("SELECT * FROM latest_state WHERE vin = $1", VIN)
    assert [(r["edition"], r["soc_pct"], r["max_cell_voltage_mv"]) for r in realtime] == [
        (2016, None, 3701), (2016, 76, 3712), (2025, 76, 3701)]
    assert json.loads(realtime[0]["sentinels"])["soc_pct"] == "abnormal"
    assert realtime[0]["cell_voltages_mv"] == [3700, 3701, 3699, None]
    assert json.loads(realtime[2]["sentinels"]) == {"insulation_kohm": "abnormal"}
    assert latest is not None and latest["online"] is True


async def test_live_and_reissued_copies_make_one_realtime_row(
        pool: asyncpg.Pool, tenant: str) -> None:
    live = accepted(wire("##", 0x02, REALTIME_2016_FULL), tenant=tenant)
    reissue = accepted(wire("##", 0x03, REALTIME_2016_FULL), tenant=tenant,
                       received_at=RECEIVED + timedelta(minutes=5), kind=FrameKind.REISSUE)
    inserted = await PostgresStore(pool).commit(tenant, build_rows([live, reissue],
                                                                   datetime.now(UTC)))
    assert (inserted.realtime, inserted.raw) == (1, 2)


async def test_writer_commits_publishes_and_counts_duplicates(
        writer: IngestWriter, pool: asyncpg.Pool, redis: redis_asyncio.Redis,
        tenant: str) -> None:
    pubsub = redis.pubsub()
    await pubsub.subscribe(frames_channel(tenant))
    await pubsub.get_message(timeout=1.0)  # the subscribe confirmation
    frames = [accepted(realtime_at(VIN, second, soc_pct=40 + second), tenant=tenant,
                       received_at=RECEIVED + timedelta(seconds=second)) for second in range(20)]
    for item in frames:
        await writer.submit(item)
    await writer.submit(frames[0])  # a retransmission: same key, stored once
    await writer.event(tenant, VIN, SessionEvent.LOGOUT, RECEIVED + timedelta(seconds=30),
                       {"serial": 1})
    await writer.submit(accepted(wire("##", 0x04, LOGOUT), tenant=tenant,
                                 received_at=RECEIVED + timedelta(seconds=30)))
    await wait_for(lambda: writer.metrics.committed.labels(tenant).value >= 22)
    assert await count(pool, tenant, "realtime") == 20
    assert await count(pool, tenant, "raw_frames") == 21
    # the gateway's event and the logout frame's event share (vin, at, kind): one row
    assert await count(pool, tenant, "vehicle_events") == 1
    duplicates = writer.metrics.duplicates
    assert duplicates.labels(tenant, "realtime").value == 1
    assert duplicates.labels(tenant, "raw_frames").value == 1
    assert duplicates.labels(tenant, "vehicle_events").value == 1
    # Summaries of every committed row (the retransmission too), arrays of a pipeline each.
    published: list[dict[str, Any]] = []
    while len(published) < 21:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=2.0)
        assert message is not None, f"only {len(published)} summaries published"
        summaries = json.loads(message["data"])
        assert isinstance(summaries, list) and summaries
        published += summaries
    assert len(published) == 21
    assert {(item["vin"], item["tenant"]) for item in published} == {(VIN, tenant)}
    assert [item["soc_pct"] for item in published[:20]] == [40 + second for second in range(20)]
    latest_hash = await redis.hgetall(latest_key(tenant, VIN))  # type: ignore[misc]
    assert latest_hash[b"soc_pct"] == b"59"
    async with tenant_tx(pool, tenant) as conn:
        latest = await conn.fetchrow("SELECT online, soc_pct FROM latest_state WHERE vin = $1",
                                     VIN)
    assert latest is not None and (latest["online"], latest["soc_pct"]) == (False, 59)
    await pubsub.aclose()  # type: ignore[no-untyped-call]
    await redis.delete(latest_key(tenant, VIN))


async def test_redis_gets_session_events_and_a_link_state_that_never_goes_back(
        writer: IngestWriter, redis: redis_asyncio.Redis, tenant: str) -> None:
    pubsub = redis.pubsub()
    await pubsub.subscribe(events_channel(tenant))
    await pubsub.get_message(timeout=1.0)
    login_at, logout_at = RECEIVED, RECEIVED + timedelta(seconds=60)
    await writer.event(tenant, VIN, SessionEvent.LOGIN, login_at, {"serial": 7})
    await writer.event(tenant, VIN, SessionEvent.LOGOUT, logout_at, {"serial": 7})
    events: list[dict[str, Any]] = []
    while len(events) < 2:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=3.0)
        assert message is not None, f"only {len(events)} events published"
        events.append(json.loads(message["data"]))
    assert [(e["vin"], e["tenant"], e["kind"]) for e in events] == [
        (VIN, tenant, "login"), (VIN, tenant, "logout")]
    assert events[0]["details"] == {"serial": 7}
    key = latest_key(tenant, VIN)
    state = await redis.hgetall(key)  # type: ignore[misc]
    assert state[b"online"] == b"0"
    assert state[b"last_frame_at"].decode().startswith(logout_at.isoformat()[:19])
    # A late commit of an older login (parallel commits, spool replay) leaves the vehicle offline.
    await writer.event(tenant, VIN, SessionEvent.LOGIN, login_at - timedelta(seconds=5), {})
    await writer.drain()
    assert (await redis.hgetall(key))[b"online"] == b"0"  # type: ignore[misc]
    await pubsub.aclose()  # type: ignore[no-untyped-call]
    await redis.delete(key)
