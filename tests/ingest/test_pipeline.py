"""Simulated vehicles over real TCP → the gateway → PostgreSQL and Redis, exactly once.

Nothing here is a test double: the registry is the shared schema, the sink is the ingest writer
with its spool, the vehicles are the simulator's terminals (issue 3, "Tests")."""

from __future__ import annotations

import asyncio
import collections
from decimal import Decimal
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio as redis_asyncio
from ingest_frames import LOGIN_2016, REALTIME_2016_FULL, wire
from ingest_support import provision
from pipeline_stack import (
    RecordingConnector,
    active_vehicles,
    fetch,
    register,
    running_stack,
    simulation_start,
)

from backend.storage import registry
from backend.storage.db import connect
from gateway.ingest.publisher import latest_key
from gateway.protocol.crypto import KeyRing, SymmetricKey, UnitKeys, encrypt
from gateway.protocol.model import Command, Edition, EncryptionType
from gateway.protocol.realtime import RealtimeData
from gateway.simulator.clock import SimClock
from gateway.simulator.connectors import DirectConnector, PlatformAccount, PlatformConnector
from gateway.simulator.driver import run_fleet
from gateway.simulator.terminal import Terminal
from gateway.simulator.terminal_config import TerminalConfig

pytestmark = pytest.mark.services

SPEEDUP = 60.0
RUN_S = 420
ARCHIVED = (Command.VEHICLE_LOGIN, Command.REALTIME, Command.REISSUE, Command.VEHICLE_LOGOUT)


def _sent_records(sent: list) -> tuple[set[tuple[str, object]], set[tuple[str, object]]]:
    live, reissued = set(), set()
    for frame in sent:
        if isinstance(frame.body, RealtimeData):
            target = live if frame.command == Command.REALTIME else reissued
            target.add((frame.unique_id, frame.body.collected_at))
    return live, reissued


async def test_a_simulated_fleet_with_link_losses_is_stored_exactly_once(
        pool: asyncpg.Pool, redis: redis_asyncio.Redis, tenant: str, ingest_dsn: str,
        tmp_path: Path) -> None:
    start = simulation_start()
    vehicles = active_vehicles(4, seed=21, start=start)
    vins = [vehicle.spec.vin for vehicle in vehicles]
    conn = await connect(ingest_dsn)
    try:
        await register(conn, tenant, vins)
    finally:
        await conn.close()
    # Frequent link losses: every vehicle reconnects and reissues what it collected meanwhile.
    config = TerminalConfig(interval_s=10, disconnects_per_hour=30.0, outage_s=(30, 60),
                            reconnect_s=(5, 10))
    start_s = int(start.timestamp())
    async with running_stack(pool, redis, tmp_path / "spool") as stack:
        connector = RecordingConnector(DirectConnector("127.0.0.1", stack.port))
        stats = await run_fleet([Terminal(vehicle, config) for vehicle in vehicles], connector,
                                SimClock(start_s, SPEEDUP), start_s + RUN_S, asyncio.Event())

    assert stats.connects > len(vehicles), "no vehicle lost its link and came back"
    live, reissued = _sent_records(connector.sent)
    assert reissued, "no vehicle reissued anything: the scenario did not happen"
    assert not live & reissued, "the simulator sent a record both live and as reissue"
    rows = await fetch(pool, tenant, "SELECT vin, collected_at, reissued FROM realtime")
    stored = collections.Counter((row["vin"], row["collected_at"]) for row in rows)
    assert set(stored) == live | reissued
    assert max(stored.values()) == 1
    assert {(r["vin"], r["collected_at"]) for r in rows if r["reissued"]} == reissued

    raw = await fetch(pool, tenant, "SELECT command, count(*) AS frames FROM raw_frames "
                                    "GROUP BY command")
    sent_commands = collections.Counter(f.command for f in connector.sent if f.command in ARCHIVED)
    assert {Command(r["command"]): r["frames"] for r in raw} == dict(sent_commands)

    events = await fetch(pool, tenant, "SELECT vin, kind FROM vehicle_events")
    logged_out = {f.unique_id for f in connector.sent if f.command == Command.VEHICLE_LOGOUT}
    for vin in vins:
        kinds = {row["kind"] for row in events if row["vin"] == vin}
        # A vehicle cut off at the end of the run never logs out: its link closing counts.
        assert kinds >= ({"login", "logout"} if vin in logged_out else {"login", "disconnected"})
    latest = await fetch(pool, tenant, "SELECT vin, online, last_collected_at FROM latest_state")
    newest_live = {vin: max(t for v, t in live if v == vin) for vin in vins}
    assert {row["vin"]: (row["online"], row["last_collected_at"]) for row in latest} == {
        vin: (False, newest_live[vin]) for vin in vins}
    for vin in vins:
        state = await redis.hgetall(latest_key(tenant, vin))  # type: ignore[misc]
        assert state[b"online"] == b"0"
        await redis.delete(latest_key(tenant, vin))


async def test_one_platform_link_carrying_two_tenants_fills_each_schema_only_with_its_own(
        pool: asyncpg.Pool, redis: redis_asyncio.Redis, tenant: str, ingest_dsn: str,
        tmp_path: Path) -> None:
    other = await provision(ingest_dsn)
    start = simulation_start()
    vehicles = active_vehicles(4, seed=22, start=start)
    mine = [v.spec.vin for v in vehicles[:2]]
    theirs = [v.spec.vin for v in vehicles[2:]]
    conn = await connect(ingest_dsn)
    try:
        await register(conn, tenant, mine)
        await register(conn, other, theirs)
        await registry.add_platform_account(conn, "oemplat22", "platform-secret-22")
    finally:
        await conn.close()
    start_s = int(start.timestamp())
    clock = SimClock(start_s, SPEEDUP)
    async with running_stack(pool, redis, tmp_path / "spool") as stack:
        account = PlatformAccount("oemplat22", "platform-secret-22", edition=Edition.V2016)
        connector = PlatformConnector("127.0.0.1", stack.port, account, clock)
        link_stop = asyncio.Event()
        link = asyncio.create_task(connector.run(link_stop))
        try:
            await run_fleet([Terminal(v, TerminalConfig()) for v in vehicles], connector, clock,
                            start_s + 180, asyncio.Event())
        finally:
            link_stop.set()
            await link
    assert not connector.rejected
    for slug, own in ((tenant, mine), (other, theirs)):
        for table in ("realtime", "raw_frames", "vehicle_events", "latest_state"):
            rows = await fetch(pool, slug, f"SELECT DISTINCT vin FROM {table}")
            assert {row["vin"] for row in rows} == set(own), (slug, table)


async def test_an_unregistered_vin_stores_nothing_anywhere_and_is_logged(
        pool: asyncpg.Pool, redis: redis_asyncio.Redis, tenant: str, ingest_dsn: str,
        tmp_path: Path) -> None:
    stranger = "LUNKNOWN000000077"
    async with running_stack(pool, redis, tmp_path / "spool") as stack:
        reader, writer = await asyncio.open_connection("127.0.0.1", stack.port)
        login = wire("##", 0x01, "18 05 01 08 1E 00 0001 3839383630303132333435363738393031323334"
                                 " 00 00", vin=stranger)
        writer.write(login + wire("##", 0x02, REALTIME_2016_FULL, vin=stranger))
        answer = await asyncio.wait_for(reader.read(64), 5)
        assert answer[2:4] == bytes((0x01, 0x02)), "the login is refused with the error flag"
        writer.close()
    conn = await connect(ingest_dsn)
    try:
        schemas = [row["nspname"] for row in await conn.fetch(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'")]
        for schema in schemas:
            for table in ("realtime", "raw_frames", "vehicle_events", "latest_state"):
                found = await conn.fetchval(
                    f"SELECT count(*) FROM {schema}.{table} WHERE vin = $1", stranger)
                assert found == 0, (schema, table)
        rejected = await conn.fetchval(
            "SELECT count(*) FROM nevguard.gateway_rejections WHERE unique_id = $1", stranger)
    finally:
        await conn.close()
    assert rejected >= 1


async def _abuse(port: int, registered_vin: str) -> dict[str, bytes]:
    """Bad clients next to the healthy fleet; returns what each got back."""
    login = wire("##", 0x01, "18 05 01 08 1E 00 0001 3839383630303132333435363738393031323334"
                             " 00 00", vin=registered_vin)
    bad_bcc = bytearray(wire("##", 0x02, REALTIME_2016_FULL, vin=registered_vin))
    bad_bcc[-1] ^= 0xFF
    vin_hex = registered_vin.encode().hex()
    payloads = {
        "garbage": bytes(range(256)) * 16,
        "oversize": bytes.fromhex(f"2323 02 FE {vin_hex} 01 FFFF"),
        "half_frame": wire("##", 0x02, REALTIME_2016_FULL, vin=registered_vin)[:40],
        # logged in, then a bad checksum (dropped silently) and a data unit too short for its
        # collection time (§6.2: the error answer)
        "bad_frames": login + bytes(bad_bcc) + wire("##", 0x02, "18 05 01 08 1E",
                                                     vin=registered_vin),
        "idle": b"",
    }
    answers: dict[str, bytes] = {}

    async def one(name: str, payload: bytes) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(payload)
        received = b""
        try:
            async with asyncio.timeout(4):
                while chunk := await reader.read(4096):
                    received += chunk
        except TimeoutError:
            received += b"<open>"
        answers[name] = received
        writer.close()

    await asyncio.gather(*(one(name, payload) for name, payload in payloads.items()))
    return answers


async def test_bad_clients_do_not_disturb_the_healthy_vehicles_next_to_them(
        pool: asyncpg.Pool, redis: redis_asyncio.Redis, tenant: str, ingest_dsn: str,
        tmp_path: Path) -> None:
    start = simulation_start()
    vehicles = active_vehicles(3, seed=23, start=start)
    healthy, abused_vin = vehicles[:2], vehicles[2].spec.vin
    conn = await connect(ingest_dsn)
    try:
        await register(conn, tenant, [v.spec.vin for v in vehicles])
    finally:
        await conn.close()
    start_s = int(start.timestamp())
    async with running_stack(pool, redis, tmp_path / "spool", handshake_timeout_s=2.0,
                             partial_frame_timeout_s=0.5) as stack:
        connector = RecordingConnector(DirectConnector("127.0.0.1", stack.port))
        fleet = run_fleet([Terminal(v, TerminalConfig()) for v in healthy], connector,
                          SimClock(start_s, SPEEDUP), start_s + 240, asyncio.Event())
        _, answers = await asyncio.gather(fleet, _abuse(stack.port, abused_vin))
        metrics = stack.gateway.metrics

    # No answer to garbage, to a bad checksum or to a frame too large; the sockets that never
    # log in are closed by the handshake timeout instead of holding a slot.
    for name in ("garbage", "oversize", "half_frame", "idle"):
        assert answers[name] == b"", name
    replies = answers["bad_frames"]
    assert replies[2:4] == bytes((0x01, 0x01)), "login accepted"
    second = replies[25 + int.from_bytes(replies[22:24], "big"):]
    assert second[2:4] == bytes((0x02, 0x02)), "the broken data unit gets the error answer"
    assert metrics.framer_rejections.get("bad_checksum") >= 1
    assert metrics.framer_rejections.get("oversize") >= 1
    assert metrics.framer_garbage_bytes.value >= 4096

    live, reissued = _sent_records(connector.sent)
    rows = await fetch(pool, tenant, "SELECT vin, collected_at FROM realtime")
    stored = collections.Counter((row["vin"], row["collected_at"]) for row in rows)
    assert set(stored) == live | reissued and max(stored.values()) == 1
    abused = await fetch(pool, tenant, f"SELECT count(*) AS n FROM raw_frames "
                                       f"WHERE vin = '{abused_vin}' AND command = 2")
    assert abused[0]["n"] == 0, "neither the bad checksum nor the broken data unit is stored"


async def test_frames_encrypted_with_a_registered_device_key_are_decrypted_and_stored(
        pool: asyncpg.Pool, redis: redis_asyncio.Redis, tenant: str, ingest_dsn: str,
        tmp_path: Path) -> None:
    vin, key = "LKEYED00000000042", bytes(range(16))
    conn = await connect(ingest_dsn)
    try:
        await register(conn, tenant, [vin])
        await registry.add_device_key(conn, vin, "aes128", key, parameters={"mode": "ecb"})
    finally:
        await conn.close()
    ring = KeyRing({vin: UnitKeys(aes128=SymmetricKey(key))})
    ciphertext = encrypt(EncryptionType.AES128, vin, bytes.fromhex(REALTIME_2016_FULL), ring)
    async with running_stack(pool, redis, tmp_path / "spool") as stack:
        reader, writer = await asyncio.open_connection("127.0.0.1", stack.port)
        writer.write(wire("##", 0x01, LOGIN_2016, vin=vin))
        await asyncio.wait_for(reader.read(64), 5)
        writer.write(wire("##", 0x02, ciphertext.hex(), vin=vin, encryption=0x03))
        writer.write(wire("##", 0x07, "", vin=vin))
        heartbeat_answer = await asyncio.wait_for(reader.read(64), 5)
        writer.close()
    assert heartbeat_answer[2:4] == bytes((0x07, 0x01)), "no error answer before the heartbeat"
    rows = await fetch(pool, tenant,
                       f"SELECT soc_pct, speed_kmh::numeric(6, 1) AS speed_kmh FROM realtime "
                       f"WHERE vin = '{vin}'")
    assert [(row["soc_pct"], row["speed_kmh"]) for row in rows] == [(76, Decimal("65.2"))]
