"""The TCP driver against a stub platform on real sockets (127.0.0.1, port 0)."""

from __future__ import annotations

import asyncio

from sim_fleet import START_S, active_vehicles
from sim_platform import StubPlatform

from gateway.protocol.model import Command, ResponseFlag
from gateway.protocol.realtime import RealtimeData
from gateway.simulator.clock import SimClock
from gateway.simulator.connectors import DirectConnector, PlatformAccount, PlatformConnector
from gateway.simulator.driver import run_fleet
from gateway.simulator.terminal import Terminal
from gateway.simulator.terminal_config import TerminalConfig

SPEEDUP = 100.0


def _collected(frames: list) -> list[int]:
    return [int(f.body.collected_at.timestamp()) for f in frames
            if isinstance(f.body, RealtimeData)]


async def test_login_realtime_logout_and_reissue_after_a_cut() -> None:
    platform = StubPlatform()
    port = await platform.start()
    vehicles = active_vehicles(2, seed=3)
    cut_vin = vehicles[0].spec.vin
    platform.cut_after_realtime[cut_vin] = 5
    terminals = [Terminal(v, TerminalConfig(interval_s=10, reconnect_s=(20, 20)))
                 for v in vehicles]
    try:
        stats = await run_fleet(terminals, DirectConnector("127.0.0.1", port),
                                SimClock(START_S, SPEEDUP), START_S + 240, asyncio.Event())
    finally:
        await platform.stop()

    for vehicle in vehicles:
        commands = [f.command for f in platform.frames(vehicle.spec.vin)]
        assert commands[0] == Command.VEHICLE_LOGIN
        assert Command.REALTIME in commands
        assert commands[-1] == Command.VEHICLE_LOGOUT
        first_realtime = commands.index(Command.REALTIME)
        assert Command.VEHICLE_LOGIN not in commands[1:first_realtime]

    # The cut vehicle logged in twice, and what it collected while cut off came as 0x03.
    cut = [r for r in platform.received if r.frame.unique_id == cut_vin]
    logins = [r for r in cut if r.frame.command == Command.VEHICLE_LOGIN]
    assert len(logins) == 2
    assert logins[1].connection != logins[0].connection
    live = _collected(platform.frames(cut_vin, Command.REALTIME))
    cut_at = live[4]
    # Records from the outage (the reconnect waits 20 s) come back as reissue, and live data
    # goes on after the reconnect.
    reissued = [t for t in _collected(platform.frames(cut_vin, Command.REISSUE)) if t > cut_at]
    assert reissued, "nothing was reissued after the reconnect"
    assert [t for t in live[5:] if t > max(reissued)], "live data did not go on"
    assert not set(reissued) & set(live), "a record went out twice"
    assert stats.link_losses == 1
    assert platform.undecodable == 0


async def test_unanswered_login_is_retried_and_nothing_else_is_sent() -> None:
    platform = StubPlatform(answer_logins=False)
    port = await platform.start()
    vehicle = active_vehicles(1, seed=5)[0]
    terminal = Terminal(vehicle, TerminalConfig(login_retry_s=20))
    try:
        await run_fleet([terminal], DirectConnector("127.0.0.1", port),
                        SimClock(START_S, SPEEDUP), START_S + 70, asyncio.Event())
    finally:
        await platform.stop()
    commands = [f.command for f in platform.frames(vehicle.spec.vin)]
    assert commands == [Command.VEHICLE_LOGIN] * 3


async def test_many_vins_through_one_platform_login() -> None:
    platform = StubPlatform()
    port = await platform.start()
    vehicles = active_vehicles(3, seed=7)
    clock = SimClock(START_S, SPEEDUP)
    account = PlatformAccount("simuser", "secret", "PLATFORM000000001")
    connector = PlatformConnector("127.0.0.1", port, account, clock)
    link_stop = asyncio.Event()
    link = asyncio.create_task(connector.run(link_stop))
    try:
        await run_fleet([Terminal(v, TerminalConfig()) for v in vehicles], connector, clock,
                        START_S + 120, asyncio.Event())
    finally:
        link_stop.set()
        await link
        await platform.stop()

    connections = {r.connection for r in platform.received}
    assert connections == {1}
    platform_frames = platform.frames("PLATFORM000000001")
    assert [f.command for f in platform_frames] == [Command.PLATFORM_LOGIN,
                                                    Command.PLATFORM_LOGOUT]
    assert platform_frames[0].body.username == "simuser"
    for vehicle in vehicles:
        commands = [f.command for f in platform.frames(vehicle.spec.vin)]
        assert commands[0] == Command.VEHICLE_LOGIN
        assert Command.REALTIME in commands
        assert commands[-1] == Command.VEHICLE_LOGOUT


async def test_rejected_platform_login_routes_no_vehicle() -> None:
    platform = StubPlatform(login_flag=ResponseFlag.ERROR)
    port = await platform.start()
    vehicle = active_vehicles(1, seed=7)[0]
    clock = SimClock(START_S, SPEEDUP)
    connector = PlatformConnector("127.0.0.1", port, PlatformAccount("u", "wrong"), clock)
    link_stop = asyncio.Event()
    link = asyncio.create_task(connector.run(link_stop))
    try:
        await run_fleet([Terminal(vehicle, TerminalConfig())], connector, clock,
                        START_S + 60, asyncio.Event())
    finally:
        link_stop.set()
        await link
        await platform.stop()
    assert connector.rejected
    assert [f.command for f in platform.frames()] == [Command.PLATFORM_LOGIN]
