"""The asyncio TCP driver: one task per vehicle terminal, all in one process.

Each task ticks its terminal at the simulated times the terminal asks for, connects and
disconnects when the terminal wants, and feeds the platform's answers back. Thousands of
vehicles are thousands of cheap tasks; CPU is the limit (docs/simulator.md, "Scale").
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from gateway.protocol.frame import Frame

from .clock import SimClock
from .connectors import Channel, Connector
from .terminal import Terminal
from .terminal_config import Outgoing

log = logging.getLogger(__name__)


@dataclass(slots=True)
class DriverStats:
    sent: collections.Counter[str] = field(default_factory=collections.Counter)
    connects: int = 0
    connect_failures: int = 0
    link_losses: int = 0

    def count(self, item: Outgoing) -> None:
        self.sent[item.command.name if item.command is not None else "MALFORMED"] += 1


class VehicleTask:
    """Runs one terminal against a connector until the end time or a stop."""

    def __init__(self, terminal: Terminal, connector: Connector, clock: SimClock,
                 stats: DriverStats) -> None:
        self.terminal = terminal
        self.connector = connector
        self.clock = clock
        self.stats = stats
        self.wake = asyncio.Event()
        self.channel: Channel | None = None

    def _send(self, items: list[Outgoing]) -> None:
        for item in items:
            if self.channel is None:
                return
            self.channel.send(item.data)
            self.stats.count(item)

    def _on_reply(self, frame: Frame) -> None:
        self._send(self.terminal.on_reply(frame, self.clock.now_s()))
        self.wake.set()

    def _on_lost(self) -> None:
        self.channel = None
        self.stats.link_losses += 1
        self.terminal.on_link_down(self.clock.now_s())
        self.wake.set()

    def _close(self) -> None:
        channel, self.channel = self.channel, None
        if channel is not None:
            channel.close()

    async def _connect(self, now_s: int) -> None:
        try:
            self.channel = await self.connector.open(self.terminal.spec.vin, self._on_reply,
                                                     self._on_lost)
        except OSError as error:
            self.stats.connect_failures += 1
            log.debug("%s: connect failed: %s", self.terminal.spec.vin, error)
            self.terminal.on_link_down(now_s)
            return
        self.stats.connects += 1
        self._send(self.terminal.on_link_up(self.clock.now_s()))

    async def run(self, end_s: int, stop: asyncio.Event) -> None:
        terminal = self.terminal
        try:
            while not stop.is_set() and (now := self.clock.now_s()) < end_s:
                self._send(terminal.tick(now))
                if terminal.dead:
                    break
                if self.channel is not None and not terminal.wants_link:
                    await self.channel.drain()
                    self._close()
                    terminal.on_link_down(now)
                elif self.channel is None and terminal.wants_link:
                    await self._connect(now)
                if self.channel is not None:
                    await self.channel.drain()
                self.wake.clear()
                await self.clock.sleep_until(min(terminal.next_wakeup_s, end_s), self.wake)
        finally:
            if self.channel is not None and not terminal.dead:
                self._send(terminal.shutdown(self.clock.now_s()))
                await self.channel.drain()
            self._close()


async def run_fleet(terminals: Sequence[Terminal], connector: Connector, clock: SimClock,
                    end_s: int, stop: asyncio.Event) -> DriverStats:
    stats = DriverStats()
    tasks = [VehicleTask(terminal, connector, clock, stats) for terminal in terminals]

    async def wake_all_on_stop() -> None:
        await stop.wait()
        for task in tasks:
            task.wake.set()

    waker = asyncio.create_task(wake_all_on_stop())
    try:
        await asyncio.gather(*(task.run(end_s, stop) for task in tasks))
    finally:
        waker.cancel()
    return stats
