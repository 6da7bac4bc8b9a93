"""Simulated fault scenarios over real TCP → gateway → ingest → Redis alarm feed → alarm engine
→ alarm_events: one event per labelled alarm episode (or chain of episodes within the flap
window: flapping input is one event), with the right level and times; an engine restart in the
middle of the run neither duplicates nor misses anything."""

from __future__ import annotations

import asyncio
import secrets
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio as redis_asyncio
from pipeline_stack import RecordingConnector, fetch, register, running_stack, simulation_start

from backend.core.alarms.names import bit_name
from backend.storage.alarm_feed import FeedReader
from backend.storage.db import connect
from backend.workers.alarm_engine import AlarmEngine, EngineSettings
from gateway.protocol.model import Edition
from gateway.simulator.clock import SimClock
from gateway.simulator.connectors import DirectConnector
from gateway.simulator.driver import run_fleet
from gateway.simulator.episodes import AlarmEpisode, alarm_episodes
from gateway.simulator.faults.base import FaultKind
from gateway.simulator.fleet import FleetConfig, build_fleet
from gateway.simulator.terminal import Terminal
from gateway.simulator.terminal_config import TerminalConfig

pytestmark = pytest.mark.services

SPEEDUP = 60.0
RUN_S = 900
KINDS = (FaultKind.THERMAL_RUNAWAY, FaultKind.FREQUENT_ALARMS, FaultKind.INSULATION_DECLINE,
         FaultKind.SOC_JUMP, FaultKind.CELL_INCONSISTENCY)
SETTINGS = EngineSettings(block_ms=50)


def expected_events(episodes: list[AlarmEpisode]) -> dict[tuple[str, str], list[dict]]:
    """Chains of episodes of one vehicle and bit: the next one starts within the flap window
    of the first clear record after the previous one (then the engine reopens its event)."""
    window = SETTINGS.lifecycle.flap_window
    chains: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for episode in episodes:
        edition = 2025 if episode.bit > 18 else 2016
        key = (episode.vin, bit_name(edition, episode.bit).code)
        chain = chains[key][-1] if chains[key] else None
        if chain is not None and (chain["cleared_at"] is None
                                  or episode.start - chain["cleared_at"] <= window):
            chain.update(end=episode.end, cleared_at=episode.cleared_at,
                         level=max(chain["level"], episode.level), episodes=chain["episodes"] + 1)
        else:
            chains[key].append({"start": episode.start, "end": episode.end, "episodes": 1,
                                "level": episode.level, "cleared_at": episode.cleared_at})
    return chains


async def run_engine(pool: asyncpg.Pool, redis: redis_asyncio.Redis, reader: FeedReader,
                     stop: asyncio.Event) -> AlarmEngine:
    engine = AlarmEngine(pool, redis, reader, SETTINGS)
    await engine.run(stop)
    return engine


async def test_fault_scenarios_yield_one_event_per_labelled_episode(
        pool: asyncpg.Pool, redis: redis_asyncio.Redis, tenant: str, ingest_dsn: str,
        tmp_path: Path) -> None:
    start = simulation_start()
    fleet = build_fleet(FleetConfig(start=start, vehicles=10, seed=31, horizon_s=RUN_S,
                                    fault_fraction=1.0, fault_kinds=KINDS))
    vehicles = fleet.vehicles
    conn = await connect(ingest_dsn)
    try:
        await register(conn, tenant, [vehicle.spec.vin for vehicle in vehicles])
    finally:
        await conn.close()
    # Only entries added from now on, in a group of this test: other tests and a running demo
    # share the feed stream, and their tenants are unknown here (skipped by the engine).
    group = f"test-{secrets.token_hex(4)}"
    reader = FeedReader(redis, "first", group=group, start_id="$", claim_idle_ms=100)
    await reader.ensure_group()
    start_s = int(start.timestamp())
    stop_first, stop_second = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(run_engine(pool, redis, reader, stop_first))
    async with running_stack(pool, redis, tmp_path / "spool") as stack:
        connector = RecordingConnector(DirectConnector("127.0.0.1", stack.port))
        fleet_run = asyncio.create_task(run_fleet(
            [Terminal(vehicle, TerminalConfig()) for vehicle in vehicles], connector,
            SimClock(start_s, SPEEDUP), start_s + RUN_S, asyncio.Event()))
        await asyncio.sleep(RUN_S / SPEEDUP / 2)
        # The engine stops half-way (a restart); the next one, under another name, claims
        # whatever the first left unacknowledged and goes on from the database's state.
        stop_first.set()
        await first
        second = asyncio.create_task(run_engine(
            pool, redis, FeedReader(redis, "second", group=group, claim_idle_ms=100),
            stop_second))
        await fleet_run
    for _ in range(100):  # until the engine has read everything the gateway published
        info = {g["name"].decode(): g for g in await redis.xinfo_groups("nevguard:alarm-feed")}
        if info[group]["lag"] == 0 and info[group]["pending"] == 0:
            break
        await asyncio.sleep(0.1)
    stop_second.set()
    engine = await second
    await redis.xgroup_destroy("nevguard:alarm-feed", group)

    episodes = alarm_episodes(connector.sent)
    expected = expected_events(episodes)
    kinds = {fault.kind for fault in fleet.faults}
    assert {FaultKind.THERMAL_RUNAWAY, FaultKind.FREQUENT_ALARMS} <= kinds
    assert any(chain["episodes"] > 1 for chains in expected.values() for chain in chains), \
        "no flapping input in this run"
    rows = await fetch(pool, tenant, "SELECT * FROM alarm_events WHERE source = 'vehicle'"
                                     " ORDER BY vin, code, opened_at")
    stored: dict[tuple[str, str], list[asyncpg.Record]] = defaultdict(list)
    for row in rows:
        stored[(row["vin"], row["code"])].append(row)
    assert set(stored) == set(expected)
    for key, chains in expected.items():
        events = stored[key]
        assert len(events) == len(chains), key
        for chain, event in zip(chains, events, strict=True):
            times = (event["opened_at"], event["last_seen_at"])
            assert times == (chain["start"], chain["end"]), key
            assert event["peak_level"] == chain["level"], key
            assert event["reopen_count"] <= chain["episodes"] - 1, key
    thermal = [f for f in fleet.faults if f.kind is FaultKind.THERMAL_RUNAWAY]
    for fault in thermal:
        code = "storage_thermal_event" if fault.spec.edition is Edition.V2025 else \
            "battery_high_temperature"
        [event] = stored[(fault.spec.vin, code)]
        assert event["peak_level"] == fault.expected_level
        assert event["state"] == "open"  # the terminal died: nobody saw it end
        assert event["opened_at"] <= fault.critical_at + timedelta(seconds=1)
    assert engine.processed > 0
