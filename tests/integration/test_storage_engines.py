"""Both storage paths give the same answers. The same batches go into one tenant on
TimescaleDB (hypertables, chunks compressed before the late data arrives, the continuous
aggregate) and into one on plain PostgreSQL (day partitions, the rollup table), and every
read the API and jobs use must return the same thing from both.

Each side gets a database of its own (engine_support); the test owns it and installs
TimescaleDB on one side. Skips unless the server preloads TimescaleDB.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import asyncpg
import pytest
import storage_rows as rows
from engine_support import fresh_databases, timescale_preloaded
from storage_rows import VIN_A, VIN_B

from backend.core.fleet import SortKey, VehicleFilter, VehicleOrder
from backend.core.fleet_statistics import StatisticsGrouping
from backend.core.series import Aggregate, MatrixKind
from backend.settings import Settings
from backend.storage import (
    fleet,
    fleet_statistics,
    frames,
    history,
    latest_records,
    matrices,
    timeseries,
)
from backend.storage.db import Conn, connect, tenant_tx
from backend.storage.ingest import BatchCounts, write_batch
from backend.storage.migrate import migrate_shared
from backend.storage.registry import add_vehicle
from backend.storage.rollups import refresh_dirty
from backend.storage.tenants import provision_tenant

pytestmark = pytest.mark.services

SLUG = "engines"
# Three days back: inside the continuous aggregate policy's window, outside the compression
# policy's (7 days), so only this test compresses the chunks. 14:00 UTC is 22:00 in Beijing:
# the data crosses a Beijing midnight and a UTC midnight.
START = datetime.combine(datetime.now(UTC).date() - timedelta(days=3), time(14), UTC)
END = START + timedelta(hours=12)
CELLS = 6


def _at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def _sample(vin: str, minute: int, **values: Any) -> tuple[Any, ...]:
    # Speeds in halves and small integers: every sum is exact, whatever order a path adds in.
    cells = [3300 + (minute + position) % 7 for position in range(CELLS)]
    return rows.realtime(vin, _at(minute), speed_kmh=(minute % 90) / 2, soc_pct=80 - minute // 30,
                         alarm_level=minute % 3, insulation_kohm=5000 - minute,
                         max_cell_voltage_mv=max(cells), min_cell_voltage_mv=min(cells),
                         max_temperature_c=20 + minute % 11, odometer_km=1000 + minute / 2,
                         cell_voltages_mv=cells, probe_temperatures_c=[20, 21 + minute % 4],
                         **values)


FIRST_BATCH: dict[str, list[tuple[Any, ...]]] = {
    "realtime_rows": [_sample(vin, minute) for vin in (VIN_A, VIN_B)
                      for minute in range(0, 600, 7)],
    "raw_rows": [rows.raw(vin, _at(minute), frame=vin.encode() + bytes([minute % 256]))
                 for vin in (VIN_A, VIN_B) for minute in range(0, 600, 7)],
    "event_rows": [rows.event(vin, _at(minute), kind) for vin in (VIN_A, VIN_B)
                   for minute, kind in ((0, "login"), (300, "logout"), (310, "login"))],
    "latest_rows": [rows.latest(vin, _at(595), last_collected_at=_at(595), soc_pct=61,
                                vehicle_state=1, charging_state=3, alarm_level=2)
                    for vin in (VIN_A, VIN_B)],
}
# After compression: every earlier row again (a spool replay), late reissues into hours the
# rollup already holds, a record split over two frames, sentinel NULLs and a new hour.
SECOND_BATCH: dict[str, list[tuple[Any, ...]]] = {
    "realtime_rows": [*FIRST_BATCH["realtime_rows"],
                      _sample(VIN_A, 30, reissued=True, content_hash=rows.digest("late", 30)),
                      _sample(VIN_A, 200, reissued=True, content_hash=rows.digest("late", 200)),
                      rows.realtime(VIN_A, _at(201), cell_voltages_mv=[3290] * (CELLS + 2)),
                      rows.realtime(VIN_A, _at(201), soc_pct=55),
                      rows.realtime(VIN_A, _at(202), sentinels='{"speed_kmh": "invalid"}'),
                      _sample(VIN_B, 650)],
    "raw_rows": [*FIRST_BATCH["raw_rows"], rows.raw(VIN_A, _at(200), frame=b"##\x03late")],
    "event_rows": [*FIRST_BATCH["event_rows"], rows.event(VIN_A, _at(640), "disconnected")],
    "latest_rows": [rows.latest(VIN_A, _at(640), online=False)],
}

Read = Callable[[Conn, str], Any]


async def _vehicle_page(tx: Conn) -> list[tuple[Any, ...]]:
    """The page without the registry rows' own timestamps (each side registered its own)."""
    page = await fleet.vehicle_page(
        tx, SLUG, filters=VehicleFilter(), order=VehicleOrder(SortKey.LAST_FRAME_AT, True),
        after=None, limit=10, cutoff=ONLINE_CUTOFF)
    return [(item.vehicle.vin, item.state, position) for item, position in page]


ONLINE_CUTOFF = _at(500)
# The Beijing midnight before START (16:00 UTC the day before); the rows end in the next day.
BEIJING_DAY = datetime.combine(START.date() - timedelta(days=1), time(16), UTC)
READS: dict[str, Read] = {
    "raw signals": lambda tx, vin: history.raw_signals(
        tx, vin, _at(-60), _at(700), signals=("speed_kmh", "soc_pct"), limit=1000),
    "15-minute buckets": lambda tx, vin: history.binned_signals(
        tx, vin, _at(-60), _at(700), bucket=timedelta(minutes=15),
        signals=("speed_kmh", "soc_pct", "insulation_kohm"), aggregates=tuple(Aggregate)),
    "Beijing days": lambda tx, vin: history.binned_signals(
        tx, vin, _at(-600), _at(1200), bucket=timedelta(days=1),
        signals=("speed_kmh", "odometer_km"), aggregates=tuple(Aggregate)),
    "rollup hours": lambda tx, vin: history.rollup_signals(
        tx, vin, _at(-25), _at(655), bucket=timedelta(hours=1),
        signals=("speed_kmh", "max_temperature_c"), aggregates=(Aggregate.MAX,)),
    "rollup days": lambda tx, vin: history.rollup_signals(
        tx, vin, _at(-600), _at(1200), bucket=timedelta(days=1),
        signals=("soc_pct", "min_cell_voltage_mv"), aggregates=(Aggregate.MIN,)),
    "rollup averages": lambda tx, vin: history.rollup_signals(
        tx, vin, _at(-25), _at(655), bucket=timedelta(hours=3),
        signals=("soc_pct", "insulation_kohm", "speed_kmh"), aggregates=tuple(Aggregate)),
    "matrix width": lambda tx, vin: matrices.newest_width(
        tx, vin, _at(0), _at(700), MatrixKind.CELL_VOLTAGES),
    "raw matrix": lambda tx, vin: matrices.raw_matrix(
        tx, vin, _at(0), _at(700), kind=MatrixKind.CELL_VOLTAGES, width=CELLS, limit=1000),
    "binned matrix": lambda tx, vin: matrices.binned_matrix(
        tx, vin, _at(0), _at(700), kind=MatrixKind.PROBE_TEMPERATURES, width=2,
        bucket=timedelta(hours=2)),
    "series": lambda tx, vin: timeseries.vehicle_series(
        tx, vin, _at(0), _at(700), columns=("speed_kmh", "reissued", "alarm_level")),
    "downsampled": lambda tx, vin: timeseries.vehicle_downsampled(
        tx, vin, _at(0), _at(700), timedelta(minutes=30)),
    "hourly rollup": lambda tx, vin: timeseries.vehicle_hourly(tx, vin, _at(-60), _at(700)),
    "raw frames": lambda tx, vin: frames.raw_frame_page(
        tx, vin, _at(0), _at(700), after=None, limit=1000),
    "records": lambda tx, vin: frames.records_at(
        tx, vin, [_at(28), _at(30), _at(196), _at(200), _at(201)]),
    "link events": lambda tx, vin: frames.link_events(tx, vin, _at(100), _at(400), limit=10),
    "fleet overview": lambda tx, vin: fleet.overview(tx, SLUG, ONLINE_CUTOFF),
    "fleet statistics by day": lambda tx, vin: fleet_statistics.fleet_statistics(
        tx, SLUG, BEIJING_DAY, BEIJING_DAY + timedelta(days=2), StatisticsGrouping.DAY),
    "fleet statistics by model": lambda tx, vin: fleet_statistics.fleet_statistics(
        tx, SLUG, BEIJING_DAY, BEIJING_DAY + timedelta(days=2), StatisticsGrouping.MODEL),
    "latest states": lambda tx, vin: fleet.latest_states(tx, SLUG, [vin], ONLINE_CUTOFF),
    "latest records": lambda tx, vin: latest_records.latest_records(tx, SLUG, [vin]),
    "vehicle page": lambda tx, vin: _vehicle_page(tx),
}
# What can be asked before the rollup has seen the late rows: the rollup reads must already
# agree then (dirty hours are read from realtime on both paths).
BEFORE_REFRESH = ("rollup hours", "rollup days", "rollup averages", "raw signals", "series")


@dataclass
class Side:
    counts: list[BatchCounts]
    before_refresh: dict[tuple[str, str], Any]
    answers: dict[tuple[str, str], Any]
    engines: set[str]
    compressed_chunks: int = 0
    timescale_settings: list[tuple[Any, ...]] | None = None


def _holds_data(answer: Any) -> bool:
    """Whether an answer has any value in it (an empty answer would agree trivially)."""
    if isinstance(answer, dict):
        return any(_holds_data(value) for value in answer.values())
    if isinstance(answer, list | tuple):
        return any(_holds_data(value) for value in answer)
    return answer is not None


async def _answers(conn: asyncpg.Connection, names: tuple[str, ...]) -> dict[tuple[str, str], Any]:
    answers: dict[tuple[str, str], Any] = {}
    async with tenant_tx(conn, SLUG) as tx:
        for name in names:
            for vin in (VIN_A, VIN_B):
                answers[name, vin] = await READS[name](tx, vin)
    return answers


async def _fill(dsn: str, *, timescale: bool) -> Side:
    conn = await connect(dsn)
    try:
        if timescale:
            await conn.execute("CREATE EXTENSION timescaledb")
        await migrate_shared(conn)
        await provision_tenant(conn, SLUG)
        for vin in (VIN_A, VIN_B):
            await add_vehicle(conn, vin, SLUG)
        engines = {row["engine"] for row in await conn.fetch(
            "SELECT engine FROM nevguard.time_series WHERE schema_name = $1", f"t_{SLUG}")}
        side = Side([await write_batch(conn, SLUG, **FIRST_BATCH)], {}, {}, engines)
        await refresh_dirty(conn, SLUG)
        if timescale:
            side.compressed_chunks = len(await conn.fetch(
                f"""SELECT compress_chunk(chunk) FROM show_chunks('t_{SLUG}.realtime') AS chunk
                    UNION ALL
                    SELECT compress_chunk(chunk) FROM show_chunks('t_{SLUG}.raw_frames') AS chunk
                    UNION ALL
                    SELECT compress_chunk(chunk)
                      FROM show_chunks('t_{SLUG}.vehicle_events') AS chunk"""))
        side.counts.append(await write_batch(conn, SLUG, **SECOND_BATCH))
        side.before_refresh = await _answers(conn, BEFORE_REFRESH)
        await refresh_dirty(conn, SLUG)
        side.answers = await _answers(conn, tuple(READS))
        if timescale:
            side.timescale_settings = await _timescale_settings(conn)
        return side
    finally:
        await conn.close()


async def _timescale_settings(conn: asyncpg.Connection) -> list[tuple[Any, ...]]:
    """Per table: its policy and what the policy is set to, compression by what."""
    return [tuple(row) for row in await conn.fetch(
        """SELECT j.hypertable_name::text, j.proc_name::text, j.config ->> 'compress_after',
                  j.config ->> 'start_offset', j.config ->> 'end_offset',
                  s.segmentby, s.orderby, a.materialized_only
             FROM timescaledb_information.jobs AS j
             LEFT JOIN timescaledb_information.hypertable_compression_settings AS s
               ON s.hypertable = format('%I.%I', j.hypertable_schema, j.hypertable_name)::regclass
             LEFT JOIN timescaledb_information.continuous_aggregates AS a
               ON a.view_schema = j.hypertable_schema AND a.view_name = j.hypertable_name
            WHERE j.hypertable_schema = $1
            ORDER BY 1""", f"t_{SLUG}")]


async def _create_and_fill(admin_url: str) -> dict[str, Side]:
    async with fresh_databases(admin_url, "timescaledb", "native") as dsns:
        return {engine: await _fill(dsn, timescale=engine == "timescaledb")
                for engine, dsn in dsns.items()}


@pytest.fixture(scope="module")
def sides(service_settings: Settings) -> dict[str, Side]:
    admin_url = service_settings.database_url.reveal()
    if not asyncio.run(timescale_preloaded(admin_url)):
        pytest.skip("this PostgreSQL server does not preload TimescaleDB")
    return asyncio.run(_create_and_fill(admin_url))


def test_both_paths_count_the_same_new_and_duplicate_rows(sides: dict[str, Side]) -> None:
    timescale, native = sides["timescaledb"], sides["native"]
    assert (timescale.engines, native.engines) == ({"timescaledb"}, {"native"})
    assert timescale.compressed_chunks >= 3  # the late rows went into compressed chunks
    assert timescale.counts == native.counts
    replay = native.counts[1]
    assert (replay.realtime_inserted, replay.raw_inserted, replay.events_inserted) == (6, 1, 1)
    assert replay.realtime_duplicates == len(FIRST_BATCH["realtime_rows"])


@pytest.mark.parametrize(("name", "vin"), [(name, vin) for name in READS
                                          for vin in (VIN_A, VIN_B)])
def test_every_read_agrees(sides: dict[str, Side], name: str, vin: str) -> None:
    answer = sides["native"].answers[name, vin]
    assert _holds_data(answer)
    assert sides["timescaledb"].answers[name, vin] == answer


@pytest.mark.parametrize("name", BEFORE_REFRESH)
def test_reads_agree_before_the_rollup_sees_the_late_rows(sides: dict[str, Side],
                                                          name: str) -> None:
    answer = sides["native"].before_refresh[name, VIN_A]
    assert _holds_data(answer)
    assert sides["timescaledb"].before_refresh[name, VIN_A] == answer


def test_timescaledb_compresses_by_vehicle_and_keeps_a_real_time_aggregate(
    sides: dict[str, Side],
) -> None:
    compression = ("policy_compression", "7 days", None, None, "vin")
    assert sides["timescaledb"].timescale_settings == [
        ("raw_frames", *compression, "received_at DESC", None),
        ("realtime", *compression, "collected_at DESC", None),
        ("realtime_hourly", "policy_refresh_continuous_aggregate", None, "3 days", "01:00:00",
         None, None, False),
        ("vehicle_events", *compression, "at DESC", None),
    ]
