"""Terminal reporting rules (PROTOCOL.md §10-§11, REGULATORY.md §3), without sockets."""

from __future__ import annotations

from datetime import datetime

from sim_fleet import START_S, active_vehicles, fleet

from gateway.protocol.bodies import TimeOnly
from gateway.protocol.codec import decode_frame
from gateway.protocol.frame import Frame
from gateway.protocol.model import Command, Edition, ResponseFlag
from gateway.protocol.realtime import RealtimeData
from gateway.protocol.wire import BEIJING
from gateway.simulator.faults.base import FaultKind
from gateway.simulator.generate import run_offline
from gateway.simulator.state import VehicleStateCode
from gateway.simulator.terminal import Terminal
from gateway.simulator.terminal_config import LinkState, LoginSerials, Outgoing, TerminalConfig


def _run(terminals: list[Terminal], seconds: int) -> list[Frame]:
    sent: list[Outgoing] = []
    run_offline(terminals, START_S + seconds, sent.append)
    return [decode_frame(item.data) for item in sent if item.command is not None]


def _times(frames: list[Frame], command: Command) -> list[int]:
    return [int(f.body.collected_at.timestamp()) for f in frames
            if f.command == command and isinstance(f.body, RealtimeData)]


def _level(frame: Frame) -> int:
    return next(b.max_level for b in frame.body.blocks if hasattr(b, "max_level"))


def _thermal(edition_2025: float) -> tuple[Terminal, int]:
    sim = fleet(1, seed=5, fraction_2025=edition_2025, fault_fraction=1.0,
                kinds=(FaultKind.THERMAL_RUNAWAY,))
    event = datetime.fromisoformat(sim.labels()[0]["params"]["event_at"])
    return Terminal(sim.vehicles[0], TerminalConfig()), int(event.timestamp())


def test_level_3_alarm_2016_sends_30_s_before_as_reissue_and_30_s_after_at_1_hz() -> None:
    terminal, event = _thermal(0.0)
    frames = _run([terminal], 1800)
    live, reissued = _times(frames, Command.REALTIME), _times(frames, Command.REISSUE)
    before = set(range(event - 30, event))
    assert set(reissued) == before - set(live)
    assert set(reissued) | (set(live) & before) == before
    assert set(range(event, event + 30)) <= set(live)
    after = [t for t in live if t >= event + 30]
    assert after[1] - after[0] == 10, "back to the normal period after 30 s"
    by_time = {int(f.body.collected_at.timestamp()): f for f in frames
               if f.command == Command.REALTIME}
    assert _level(by_time[event]) == 3
    assert _level(by_time[event - 1 - (event - 1 - live[0]) % 10]) < 3


def test_thermal_event_2025_is_level_4_with_bit_23_at_1_hz_until_the_terminal_dies() -> None:
    terminal, event = _thermal(1.0)
    frames = _run([terminal], 1800)
    live = _times(frames, Command.REALTIME)
    tail = [t for t in live if t >= event]
    assert tail == list(range(event, tail[-1] + 1))
    assert len(tail) > 60
    alarm = next(b for b in frames[-1].body.blocks if hasattr(b, "max_level"))
    assert alarm.max_level == 4
    assert alarm.general_flags & (1 << 23)
    assert frames[-1].command == Command.REALTIME, "a burnt terminal sends no logout"
    assert terminal.dead


def _parker(edition_2025: float) -> Terminal:
    sim = fleet(1, seed=2, fraction_2025=edition_2025, fault_fraction=1.0,
                kinds=(FaultKind.PARKING_CLUSTER,))
    return Terminal(sim.vehicles[0], TerminalConfig())


def _last_on(frames: list[Frame]) -> int:
    return max(int(f.body.collected_at.timestamp()) for f in frames
               if f.command == Command.REALTIME
               and f.body.blocks[0].vehicle_state == VehicleStateCode.ON)


def test_2016_reports_three_more_minutes_after_power_off_then_logs_out() -> None:
    terminal = _parker(0.0)
    frames = _run([terminal], 3 * 3600)
    assert terminal.spec.edition is Edition.V2016
    logout = frames[-1]
    assert logout.command == Command.VEHICLE_LOGOUT
    off_frames = [t for t in _times(frames, Command.REALTIME) if t > _last_on(frames)]
    logout_s = int(logout.body.collected_at.timestamp())
    assert 150 <= logout_s - _last_on(frames) <= 190
    assert off_frames and max(off_frames) < logout_s


def test_2025_monitors_an_hour_after_power_off_and_uploads_its_last_30_s() -> None:
    terminal = _parker(1.0)
    frames = _run([terminal], 3 * 3600)
    assert terminal.spec.edition is Edition.V2025
    assert frames[-1].command == Command.VEHICLE_LOGOUT
    logout_s = int(frames[-1].body.collected_at.timestamp())
    last_on = _last_on(frames)
    assert 3600 - 10 <= logout_s - last_on <= 3600 + 10
    uploaded = [t for t in _times(frames, Command.REALTIME) if t > last_on + 60]
    assert uploaded == list(range(logout_s - 30, logout_s))
    positions = {int(f.body.collected_at.timestamp()): i for i, f in enumerate(frames)
                 if f.command == Command.REALTIME}
    quiet_hour = frames[positions[last_on] + 1:positions[uploaded[0]]]
    assert {f.command for f in quiet_hour} == {Command.HEARTBEAT}
    assert len(quiet_hour) >= 3000 // 60, "the link is kept with heartbeats"


def test_unanswered_login_is_retried_three_times_then_backs_off() -> None:
    vehicle = active_vehicles(1, seed=11)[0]
    config = TerminalConfig(login_retry_s=60, login_backoff_s=1800)
    terminal = Terminal(vehicle, config)
    assert terminal.tick(START_S) == []
    assert terminal.wants_link
    first = terminal.on_link_up(START_S)
    assert [o.command for o in first] == [Command.VEHICLE_LOGIN]
    assert [o.command for o in terminal.tick(START_S + 59)] == []
    retries = [o.command for now in (START_S + 60, START_S + 120)
               for o in terminal.tick(now)]
    assert retries == [Command.VEHICLE_LOGIN] * 2
    assert terminal.tick(START_S + 180) == []
    assert terminal.link is LinkState.DOWN
    assert not terminal.wants_link
    terminal.on_link_down(START_S + 180)
    assert [o.command for o in terminal.tick(START_S + 1979)] == []
    assert not terminal.wants_link
    terminal.tick(START_S + 1980)
    assert terminal.wants_link
    assert len(terminal.backlog) > 100, "data collected meanwhile is kept for reissue"


def test_an_error_answer_to_the_login_backs_off_instead_of_retrying() -> None:
    vehicle = active_vehicles(1, seed=11)[0]
    terminal = Terminal(vehicle, TerminalConfig(login_backoff_s=1800))
    terminal.tick(START_S)
    login = decode_frame(terminal.on_link_up(START_S)[0].data)
    refusal = Frame(edition=login.edition, command=Command.VEHICLE_LOGIN,
                    response=ResponseFlag.ERROR, unique_id=login.unique_id,
                    encryption=login.encryption, body=login.body)
    assert terminal.on_reply(refusal, START_S + 1) == []
    assert [o.command for o in terminal.tick(START_S + 600)] == []
    assert not terminal.wants_link


def test_heartbeats_fill_silences_longer_than_the_heartbeat_period() -> None:
    vehicle = active_vehicles(1, seed=13)[0]
    frames = _run([Terminal(vehicle, TerminalConfig(interval_s=300, heartbeat_s=60))], 900)
    commands = [f.command for f in frames]
    assert commands.count(Command.HEARTBEAT) >= 5


def test_random_disconnects_reissue_every_record_exactly_once() -> None:
    vehicles = active_vehicles(4, seed=17)
    config = TerminalConfig(disconnects_per_hour=6.0, outage_s=(60, 300))
    frames = _run([Terminal(v, config) for v in vehicles], 3600)
    reissued = _times(frames, Command.REISSUE)
    assert reissued
    for vehicle in vehicles:
        mine = [f for f in frames if f.unique_id == vehicle.spec.vin]
        collected = _times(mine, Command.REALTIME) + _times(mine, Command.REISSUE)
        assert len(collected) == len(set(collected)), "a record was sent twice"
    logins = [f for f in frames if f.command == Command.VEHICLE_LOGIN]
    assert len(logins) > len(vehicles)


def test_login_serials_count_up_and_restart_each_day() -> None:
    serials = LoginSerials()
    day1 = datetime(2025, 6, 2, 23, 59, tzinfo=BEIJING)
    day2 = datetime(2025, 6, 3, 0, 1, tzinfo=BEIJING)
    assert [serials.next(day1) for _ in range(3)] == [1, 2, 3]
    assert serials.next(day2) == 1


def _answer(request: Frame, command: Command, flag: ResponseFlag, at: datetime) -> Frame:
    return Frame(edition=request.edition, command=command, response=flag,
                 unique_id=request.unique_id, encryption=request.encryption,
                 body=TimeOnly(at=at))


def test_a_refused_record_is_resent_every_minute_at_most_three_times() -> None:
    vehicle = active_vehicles(1, seed=19)[0]
    terminal = Terminal(vehicle, TerminalConfig(interval_s=10, heartbeat_s=3600))
    terminal.tick(START_S)
    login = decode_frame(terminal.on_link_up(START_S)[0].data)
    terminal.on_reply(_answer(login, Command.VEHICLE_LOGIN, ResponseFlag.SUCCESS,
                              login.body.collected_at), START_S)
    first = next(o for o in terminal.tick(START_S + 1) if o.command == Command.REALTIME)
    refused = decode_frame(first.data)
    at = refused.body.collected_at
    resent: list[int] = []
    now = START_S + 1
    for _ in range(4):
        terminal.on_reply(_answer(refused, Command.REALTIME, ResponseFlag.ERROR, at), now)
        for second in range(now + 1, now + 61):
            for item in terminal.tick(second):
                if item.command == Command.REISSUE and \
                        decode_frame(item.data).body.collected_at == at:
                    resent.append(second)
        now += 60
    assert resent == [START_S + 61, START_S + 121, START_S + 181]
