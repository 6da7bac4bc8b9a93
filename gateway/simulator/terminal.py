"""The vehicle terminal (T-Box) as a sans-I/O state machine: what to send, and when (§10, §11).

The driver (TCP or file) owns the clock and the transport. It calls ``tick(now)``, connects when
``wants_link`` says so and reports ``on_link_up`` / ``on_link_down`` / ``on_reply``; every call
returns the frames to send. All times are simulated epoch seconds.

Reporting follows REGULATORY.md §3: a realtime frame every ``interval_s`` while driving or
charging; after a level-3 alarm 1 s frames for 30 s (2016) or until it clears (2025, levels 3-4)
plus the 30 s before it as reissue (0x03); after power-off 3 more minutes of reporting (2016) or
an hour of battery monitoring whose last 30 s are uploaded (2025). Data collected while the link is
down is kept (3 days / 7 days) and sent as reissue after the next login while live data continues.
"""

from __future__ import annotations

import random
from collections import deque
from datetime import datetime
from typing import Final

from gateway.protocol.bodies import Empty, TimeOnly
from gateway.protocol.crypto import SigningKey
from gateway.protocol.frame import Frame
from gateway.protocol.model import Body, Command, Edition, ResponseFlag
from gateway.protocol.realtime import RealtimeData
from gateway.protocol.wire import BEIJING

from .frames import frame, login_body, logout_body, realtime_body
from .malformed import malformed
from .reporting import ReportPlan
from .resend import Resender
from .terminal_config import LinkState, LoginSerials, Outgoing, TerminalConfig
from .vehicle import Vehicle

_NETWORK_SALT: Final = 0x6E65_7477
_REPORTS: Final = frozenset({Command.REALTIME, Command.REISSUE})


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, BEIJING)


class Terminal:
    def __init__(self, vehicle: Vehicle, config: TerminalConfig,
                 signing_key: SigningKey | None = None) -> None:
        self.vehicle = vehicle
        self.spec = vehicle.spec
        self.config = config
        self._key = signing_key if self.spec.edition is Edition.V2025 else None
        self._rng = random.Random(self.spec.seed ^ _NETWORK_SALT)
        self.link = LinkState.DOWN
        self.connected = False
        self.dead = False
        self.session_open = False
        # One second before the start: nothing is handled yet, so the first wake-up is the start.
        self.now_s = vehicle.now_s - 1
        self._serials = LoginSerials()
        self._serial = 0
        self._login_tries = 0
        self._login_sent_s = 0
        self._retry_at_s = 0
        self._outage_until_s = 0
        self._last_sent_s = 0
        self._next_sample_s = vehicle.now_s
        self._last_live: bytes | None = None
        self.backlog: deque[RealtimeData] = deque()
        self._prealarm: deque[tuple[RealtimeData, bool]] = deque(maxlen=config.alarm_window_s)
        faults = vehicle.faults
        self._silent_s = min((int(f.silent_from.timestamp()) for f in faults if f.silent_from),
                             default=None)
        self._resender = Resender(config.resend_s, config.resend_attempts)
        self.plan = ReportPlan(self.spec.edition, config,
                               [int(f.critical_at.timestamp()) for f in faults if f.critical_at])
        self._malformed = deque(sorted((int(at.timestamp()), variant) for f in faults
                                       for at, variant in f.malformed_times()))

    # ---- what the driver asks ------------------------------------------------------------------

    @property
    def wants_link(self) -> bool:
        return (self.session_open and not self.dead and self.now_s >= self._outage_until_s
                and self.now_s >= self._retry_at_s)

    @property
    def next_wakeup_s(self) -> int:
        if self.dead:
            return self.now_s + 10**9
        times = [self._next_sample_s]
        if self._silent_s is not None:
            times.append(self._silent_s)
        if self.link is LinkState.LOGGING_IN:
            times.append(self._login_sent_s + self.config.login_retry_s)
        if self.link is LinkState.UP:
            times.append(self._last_sent_s + self.config.heartbeat_s)
            if self.backlog:
                times.append(self.now_s + 1)
            if self._malformed:
                times.append(self._malformed[0][0])
            resend = self._resender.next_due_s()
            if resend is not None:
                times.append(resend)
        wake = max(self.now_s + 1, min(times))
        if self.session_open and not self.connected:
            # Connecting may be due right now, before the next record is taken.
            wake = min(wake, max(self._retry_at_s, self._outage_until_s, self.now_s))
        return wake

    def _frame(self, command: Command, body: Body, collected_s: int | None = None) -> Outgoing:
        self._last_sent_s = self.now_s
        if isinstance(body, RealtimeData):
            self._resender.sent(body)
        return Outgoing(frame(self.spec, command, body), command, collected_s)

    # ---- transport events ----------------------------------------------------------------------

    def on_link_up(self, now_s: int) -> list[Outgoing]:
        self.now_s = now_s
        self.connected = True
        self._login_tries = 0
        return self._login()

    def _login(self) -> list[Outgoing]:
        self.link = LinkState.LOGGING_IN
        self._login_tries += 1
        self._login_sent_s = self.now_s
        self._serial = self._serials.next(_at(self.now_s))
        return [self._frame(Command.VEHICLE_LOGIN, login_body(self.spec, _at(self.now_s),
                                                              self._serial))]

    def on_link_down(self, now_s: int) -> None:
        self.now_s = now_s
        self.connected = False
        self.link = LinkState.DOWN
        if self.session_open and not self.dead:
            low, high = self.config.reconnect_s
            self._retry_at_s = max(self._retry_at_s, now_s + self._rng.randint(low, high))

    def on_reply(self, reply: Frame, now_s: int) -> list[Outgoing]:
        self.now_s = now_s
        if reply.command in _REPORTS and reply.response != ResponseFlag.SUCCESS and \
                isinstance(reply.body, TimeOnly):
            self._resender.refused(reply.body.at, now_s)
            return []
        if reply.command != Command.VEHICLE_LOGIN or self.link is not LinkState.LOGGING_IN:
            return []
        if reply.response != ResponseFlag.SUCCESS:
            # An error answer is a verdict, not a lost packet: back off instead of hammering.
            self.link = LinkState.DOWN
            self._retry_at_s = now_s + self.config.login_backoff_s
            return []
        self.link = LinkState.UP
        if self.config.time_calibration:
            return [self._frame(Command.TIME_CALIBRATION, Empty())]
        return []

    def shutdown(self, now_s: int) -> list[Outgoing]:
        """End of the run: a clean logout for a logged-in vehicle."""
        self.now_s = now_s
        out = self._logout() if self.link is LinkState.UP else []
        self.session_open = False
        return out

    def _logout(self) -> list[Outgoing]:
        out = [self._frame(Command.VEHICLE_LOGOUT, logout_body(_at(self.now_s), self._serial))]
        self.link = LinkState.DOWN
        return out

    # ---- the clock -----------------------------------------------------------------------------

    def tick(self, now_s: int) -> list[Outgoing]:
        out: list[Outgoing] = []
        if self.dead:
            return out
        while self._next_sample_s <= now_s:
            if self._silent_s is not None and self._next_sample_s >= self._silent_s:
                break
            self.now_s = self._next_sample_s
            self._sample(out)
        self.now_s = now_s
        if self._silent_s is not None and now_s >= self._silent_s:
            # The terminal is gone (burnt, unplugged): no logout, the link just stops.
            self.dead = True
            self.session_open = False
            return out
        if self.link is LinkState.LOGGING_IN and \
                now_s >= self._login_sent_s + self.config.login_retry_s:
            out += self._login_timeout()
        if self.link is LinkState.UP:
            out += [self._frame(Command.REISSUE, body) for body in self._resender.due(now_s)]
            out += self._drain()
            out += self._send_malformed()
            if now_s >= self._last_sent_s + self.config.heartbeat_s:
                out.append(self._frame(Command.HEARTBEAT, Empty()))
        return out

    def _login_timeout(self) -> list[Outgoing]:
        """§10: no answer -> retry; after three unanswered tries wait, then reconnect."""
        if self._login_tries < self.config.login_attempts:
            return self._login()
        self.link = LinkState.DOWN
        self._retry_at_s = self.now_s + self.config.login_backoff_s
        return []

    def _drain(self) -> list[Outgoing]:
        horizon = self.now_s - self.config.reissue_window_s(self.spec.edition)
        while self.backlog and self.backlog[0].collected_at is not None and \
                self.backlog[0].collected_at.timestamp() < horizon:
            self.backlog.popleft()
        out = []
        for _ in range(min(self.config.drain_per_s, len(self.backlog))):
            body = self.backlog.popleft()
            out.append(self._frame(Command.REISSUE, body))
        return out

    def _send_malformed(self) -> list[Outgoing]:
        out = []
        while self._malformed and self._malformed[0][0] <= self.now_s:
            _, variant = self._malformed.popleft()
            if self._last_live is not None:
                data = malformed(variant, self._last_live, self._rng)
                out.append(Outgoing(data, None, None))
        return out

    # ---- sampling ------------------------------------------------------------------------------

    def _sample(self, out: list[Outgoing]) -> None:
        t, plan = self.now_s, self.plan
        self.vehicle.advance(_at(t))
        active = self.vehicle.active
        if not self.session_open:
            if active:
                self.session_open = True
                self._next_sample_s = plan.start(t)
            else:
                self._next_sample_s = t + self.config.idle_poll_s
            return
        plan.power(t, active)
        if plan.finished(t):
            if self.link is LinkState.UP:
                out += self._logout()
            self.session_open = False
            self._next_sample_s = t + self.config.idle_poll_s
            return
        live, prealarm = plan.is_live(t), plan.in_prealarm(t)
        if live or prealarm:
            body = realtime_body(self.spec, self.vehicle.observe(), self._key)
            if plan.on_level(t, _alarm_level(body)):
                self._send_prealarm(out)
            live = plan.is_live(t)
            if live:
                plan.took_live(t)
                self._record_live(body, t, out)
            if prealarm:
                self._prealarm.append((body, live))
        self._next_sample_s = plan.following(t)

    def _send_prealarm(self, out: list[Outgoing]) -> None:
        """The 30 s before a level-3 alarm, as reissue (what was not already sent live)."""
        for body, was_live in self._prealarm:
            if was_live:
                continue
            if self.link is LinkState.UP:
                out.append(self._frame(Command.REISSUE, body))
            else:
                self.backlog.append(body)
        self._prealarm.clear()

    def _record_live(self, body: RealtimeData, t: int, out: list[Outgoing]) -> None:
        if self.link is not LinkState.UP:
            self.backlog.append(body)
            return
        sent = self._frame(Command.REALTIME, body, t)
        self._last_live = sent.data
        out.append(sent)
        config = self.config
        if config.disconnects_per_hour and \
                self._rng.random() < config.interval_s * config.disconnects_per_hour / 3600.0:
            low, high = config.outage_s
            self._outage_until_s = t + self._rng.randint(low, high)


def _alarm_level(body: RealtimeData) -> int:
    for block in body.blocks:
        level = getattr(block, "max_level", None)
        if isinstance(level, int):
            return level
    return 0
