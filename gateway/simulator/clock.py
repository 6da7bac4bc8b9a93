"""Simulated time for the TCP driver: wall time scaled by ``speedup`` from a start instant."""

from __future__ import annotations

import asyncio
import contextlib
import time


class SimClock:
    def __init__(self, start_s: int, speedup: float = 1.0) -> None:
        if speedup <= 0:
            raise ValueError("speedup must be positive")
        self.start_s = start_s
        self.speedup = speedup
        self._wall_start = time.monotonic()

    def now(self) -> float:
        return self.start_s + (time.monotonic() - self._wall_start) * self.speedup

    def now_s(self) -> int:
        return int(self.now())

    def wall_seconds(self, sim_seconds: float) -> float:
        return max(0.0, sim_seconds / self.speedup)

    async def sleep_until(self, sim_s: float, wake: asyncio.Event) -> None:
        """Sleep until simulated second ``sim_s``, or until ``wake`` is set."""
        delay = self.wall_seconds(sim_s - self.now())
        if wake.is_set():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), delay)

    async def sleep_for(self, sim_seconds: float, wake: asyncio.Event) -> None:
        await self.sleep_until(self.now() + sim_seconds, wake)
