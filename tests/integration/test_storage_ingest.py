"""write_batch against the real PostgreSQL: idempotent, dedupes by content, keeps split frames,
moves latest_state only forward, and is all-or-nothing."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
import storage_rows as rows
from storage_rows import VIN_A, VIN_B, at

from backend.storage.ingest import BatchCounts, write_batch
from backend.storage.tenants import provision_tenant

pytestmark = pytest.mark.services


@pytest.fixture
async def tenant(db: asyncpg.Connection, fresh_slug: str) -> str:
    await provision_tenant(db, fresh_slug)
    return fresh_slug


async def _count(db: asyncpg.Connection, tenant: str, table: str) -> int:
    count: int = await db.fetchval(f"SELECT count(*) FROM t_{tenant}.{table}")
    return count


async def _latest(db: asyncpg.Connection, tenant: str, vin: str = VIN_A) -> dict[str, Any]:
    row = await db.fetchrow(f"SELECT * FROM t_{tenant}.latest_state WHERE vin = $1", vin)
    assert row is not None
    return dict(row)


async def test_the_same_batch_twice_is_stored_once(db: asyncpg.Connection, tenant: str) -> None:
    batch = {
        "realtime_rows": [rows.realtime(collected_at=at(0), soc_pct=80),
                          rows.realtime(VIN_B, collected_at=at(0), soc_pct=60)],
        "raw_rows": [rows.raw(frame=b"frame-1"), rows.raw(frame=b"frame-2")],
        "event_rows": [rows.event(kind="login"), rows.event(VIN_B, kind="connected")],
        "latest_rows": [rows.latest(), rows.latest(VIN_B)],
    }
    first = await write_batch(db, tenant, **batch)
    second = await write_batch(db, tenant, **batch)
    assert first == BatchCounts(realtime_inserted=2, raw_inserted=2, events_inserted=2,
                                latest_applied=2)
    assert second == BatchCounts(realtime_duplicates=2, raw_duplicates=2, events_duplicates=2,
                                 latest_stale=2)
    for table, expected in [("realtime", 2), ("raw_frames", 2), ("vehicle_events", 2),
                            ("latest_state", 2)]:
        assert await _count(db, tenant, table) == expected


async def test_a_record_sent_live_then_reissued_is_stored_once(
    db: asyncpg.Connection, tenant: str
) -> None:
    live = rows.realtime(collected_at=at(0), content_hash=rows.digest("unit"), received_at=at(0))
    reissued = rows.realtime(collected_at=at(0), content_hash=rows.digest("unit"),
                             received_at=at(90), reissued=True)
    assert (await write_batch(db, tenant, realtime_rows=[live])).realtime_inserted == 1
    counts = await write_batch(db, tenant, realtime_rows=[reissued])
    assert (counts.realtime_inserted, counts.realtime_duplicates) == (0, 1)
    assert await db.fetchval(f"SELECT reissued FROM t_{tenant}.realtime") is False


async def test_split_frames_with_the_same_time_are_all_kept(
    db: asyncpg.Connection, tenant: str
) -> None:
    pieces = [rows.realtime(collected_at=at(0), cell_voltages_mv=[3300 + n] * 4,
                            content_hash=rows.digest("piece", n)) for n in range(3)]
    counts = await write_batch(db, tenant, realtime_rows=pieces)
    assert (counts.realtime_inserted, counts.realtime_duplicates) == (3, 0)
    # Duplicates inside one batch are caught too.
    again = await write_batch(db, tenant, realtime_rows=[pieces[0], pieces[0]])
    assert (again.realtime_inserted, again.realtime_duplicates) == (0, 2)
    assert await _count(db, tenant, "realtime") == 3


async def test_inserted_rows_mark_their_vehicle_hours_for_the_rollup(
    db: asyncpg.Connection, tenant: str
) -> None:
    await write_batch(db, tenant, realtime_rows=[
        rows.realtime(collected_at=at(5)), rows.realtime(collected_at=at(50)),
        rows.realtime(VIN_B, collected_at=at(65)),
        rows.realtime(collected_at=at(-60 * 24 * 400)),  # reissued from over a year ago
    ])
    dirty = await db.fetch(f"SELECT vin, bucket FROM t_{tenant}.realtime_hourly_dirty "
                           "ORDER BY bucket, vin")
    assert [tuple(r) for r in dirty] == [(VIN_A, at(-60 * 24 * 400)), (VIN_A, at(0)),
                                         (VIN_B, at(60))]


async def test_a_batch_with_one_known_row_stores_the_new_ones_and_marks_their_hours(
    db: asyncpg.Connection, tenant: str
) -> None:
    """The straight COPY is refused by the known row; the batch is deduplicated instead."""
    known = rows.realtime(collected_at=at(5))
    await write_batch(db, tenant, realtime_rows=[known], raw_rows=[rows.raw(frame=b"f1")])
    await db.execute(f"DELETE FROM t_{tenant}.realtime_hourly_dirty")
    counts = await write_batch(
        db, tenant, realtime_rows=[known, rows.realtime(VIN_B, collected_at=at(65))],
        raw_rows=[rows.raw(frame=b"f1"), rows.raw(frame=b"f2")])
    assert (counts.realtime_inserted, counts.realtime_duplicates) == (1, 1)
    assert (counts.raw_inserted, counts.raw_duplicates) == (1, 1)
    dirty = await db.fetch(f"SELECT vin, bucket FROM t_{tenant}.realtime_hourly_dirty")
    assert [tuple(r) for r in dirty] == [(VIN_B, at(60))]


async def test_latest_state_moves_only_forward(db: asyncpg.Connection, tenant: str) -> None:
    newer = rows.latest(last_frame_at=at(10), last_collected_at=at(9), soc_pct=70,
                        longitude_deg=116.4, latitude_deg=39.9)
    older = rows.latest(last_frame_at=at(5), last_collected_at=at(4), soc_pct=90,
                        longitude_deg=121.5, latitude_deg=31.2, online=False)
    assert (await write_batch(db, tenant, latest_rows=[newer])).latest_applied == 1
    counts = await write_batch(db, tenant, latest_rows=[older])
    assert (counts.latest_applied, counts.latest_stale) == (0, 1)
    state = await _latest(db, tenant)
    assert (state["online"], state["last_frame_at"], state["soc_pct"]) == (True, at(10), 70)
    assert state["longitude_deg"] == 116.4


async def test_link_and_snapshot_follow_their_own_clocks(
    db: asyncpg.Connection, tenant: str
) -> None:
    await write_batch(db, tenant, latest_rows=[
        rows.latest(last_frame_at=at(10), last_collected_at=at(10), soc_pct=70)])
    # A logout received later, carrying no telemetry: the link changes, the snapshot stays.
    await write_batch(db, tenant, latest_rows=[rows.latest(last_frame_at=at(20), online=False)])
    state = await _latest(db, tenant)
    assert (state["online"], state["last_frame_at"]) == (False, at(20))
    assert (state["last_collected_at"], state["soc_pct"]) == (at(10), 70)
    # A reissued record received even later but collected earlier: nothing moves back.
    counts = await write_batch(db, tenant, latest_rows=[
        rows.latest(last_frame_at=at(15), last_collected_at=at(1), soc_pct=99)])
    assert counts.latest_stale == 1
    assert (await _latest(db, tenant))["soc_pct"] == 70
    # A frame received before the logout but written after it (another writer): its newer
    # telemetry is taken, its link state is not.
    counts = await write_batch(db, tenant, latest_rows=[
        rows.latest(last_frame_at=at(18), last_collected_at=at(17), soc_pct=65)])
    assert counts.latest_applied == 1
    state = await _latest(db, tenant)
    assert (state["online"], state["last_frame_at"]) == (False, at(20))
    assert (state["last_collected_at"], state["soc_pct"]) == (at(17), 65)


async def test_an_equal_collection_time_only_fills_missing_values(
    db: asyncpg.Connection, tenant: str
) -> None:
    await write_batch(db, tenant, latest_rows=[
        rows.latest(last_collected_at=at(0), soc_pct=70)])
    counts = await write_batch(db, tenant, latest_rows=[
        rows.latest(last_collected_at=at(0), soc_pct=10, longitude_deg=116.4)])
    assert counts.latest_applied == 1
    state = await _latest(db, tenant)
    assert (state["soc_pct"], state["longitude_deg"]) == (70, 116.4)


async def test_several_rows_of_one_vehicle_in_a_batch_keep_the_newest(
    db: asyncpg.Connection, tenant: str
) -> None:
    counts = await write_batch(db, tenant, latest_rows=[
        rows.latest(last_frame_at=at(3), last_collected_at=at(3), soc_pct=3),
        rows.latest(last_frame_at=at(9), last_collected_at=at(1), soc_pct=1, online=False),
        rows.latest(last_frame_at=at(5), last_collected_at=at(5), soc_pct=5),
    ])
    assert (counts.latest_applied, counts.latest_stale) == (1, 0)
    state = await _latest(db, tenant)
    assert (state["online"], state["last_frame_at"]) == (False, at(9))
    assert (state["last_collected_at"], state["soc_pct"]) == (at(5), 5)


async def test_a_failing_batch_writes_nothing(db: asyncpg.Connection, tenant: str) -> None:
    bad_event = rows.event(kind=None)  # kind is NOT NULL
    with pytest.raises(asyncpg.NotNullViolationError):
        await write_batch(db, tenant, realtime_rows=[rows.realtime()], raw_rows=[rows.raw()],
                          event_rows=[bad_event])
    for table in ("realtime", "raw_frames", "vehicle_events", "realtime_hourly_dirty"):
        assert await _count(db, tenant, table) == 0
    assert await db.fetchval("SELECT to_regclass('stage_realtime')") is None


async def test_an_empty_batch_is_a_no_op(db: asyncpg.Connection, tenant: str) -> None:
    assert await write_batch(db, tenant) == BatchCounts()
