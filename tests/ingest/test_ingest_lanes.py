"""A tenant's round commits in concurrent lanes split by vehicle: every frame stored once, each
vehicle's frames committed in arrival order, its latest_state the newest."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
from ingest_frames import AT, RECEIVED, accepted, realtime_at
from ingest_support import stored_keys, writer_settings

from backend.metrics.registry import MetricsRegistry
from backend.storage.db import tenant_tx
from gateway.ingest.batch import BatchRows, Inserted
from gateway.ingest.metrics import IngestMetrics
from gateway.ingest.store import PostgresStore
from gateway.ingest.writer import IngestWriter

pytestmark = pytest.mark.services

VEHICLES = 40
FRAMES = 25


class WatchedStore:
    """The real store, watched: how many commits overlap, and in which order each vehicle's
    collection times reach the database."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._store = PostgresStore(pool)
        self.in_flight = 0
        self.most_in_flight = 0
        self.order: dict[str, list[object]] = {}

    async def commit(self, tenant: str, rows: BatchRows) -> Inserted:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            inserted = await self._store.commit(tenant, rows)
        finally:
            self.in_flight -= 1
        for row in rows.realtime:
            self.order.setdefault(str(row[0]), []).append(row[1])
        return inserted


def vin(index: int) -> str:
    return f"LNGLANE{index:010d}"


async def test_lanes_commit_concurrently_and_keep_each_vehicle_in_order(
        pool: asyncpg.Pool, tenant: str, tmp_path: Path) -> None:
    store = WatchedStore(pool)
    writer = IngestWriter(store, writer_settings(tmp_path / "spool", batch_frames=10,
                                                 parallel_commits=4),
                          IngestMetrics(MetricsRegistry()))
    await writer.start()
    # Submitted without yielding to the loop: the consumer takes them as one round.
    for second in range(FRAMES):
        for index in range(VEHICLES):
            await writer.submit(accepted(realtime_at(vin(index), second), tenant=tenant,
                                         received_at=RECEIVED + timedelta(seconds=second)))
    await writer.drain()

    assert store.most_in_flight == 4
    keys = await stored_keys(pool, tenant)
    assert len(keys) == VEHICLES * FRAMES
    assert {copies for _, _, copies in keys} == {1}
    assert set(store.order) == {vin(index) for index in range(VEHICLES)}
    for times in store.order.values():
        assert times == sorted(times) and len(times) == FRAMES
    async with tenant_tx(pool, tenant) as conn:
        newest = await conn.fetch("SELECT last_collected_at FROM latest_state")
    assert [row[0] for row in newest] == [AT + timedelta(seconds=FRAMES - 1)] * VEHICLES


async def test_a_small_round_stays_one_transaction(pool: asyncpg.Pool, tenant: str,
                                                   tmp_path: Path) -> None:
    store = WatchedStore(pool)
    writer = IngestWriter(store, writer_settings(tmp_path / "spool", batch_frames=500,
                                                 parallel_commits=4),
                          IngestMetrics(MetricsRegistry()))
    await writer.start()
    await asyncio.gather(*(writer.submit(accepted(realtime_at(vin(index), 0), tenant=tenant))
                           for index in range(VEHICLES)))
    await writer.drain()
    assert store.most_in_flight == 1
    assert len(await stored_keys(pool, tenant)) == VEHICLES
