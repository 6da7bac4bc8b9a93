"""Resending refused records: when the platform answers a realtime or reissue frame with an error,
the terminal sends it again every minute, at most three times (REGULATORY.md §3, annex B)."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime

from gateway.protocol.realtime import RealtimeData


class Resender:
    def __init__(self, spacing_s: int, attempts: int, remember: int = 256) -> None:
        self.spacing_s = spacing_s
        self.attempts = attempts
        self._limit = remember
        self._recent: OrderedDict[datetime, RealtimeData] = OrderedDict()
        self._tries: dict[datetime, int] = {}
        self._due: dict[datetime, int] = {}

    def sent(self, body: RealtimeData) -> None:
        """Remember a sent record by its collection time, the key the error answer echoes."""
        if body.collected_at is None:
            return
        self._recent[body.collected_at] = body
        self._recent.move_to_end(body.collected_at)
        while len(self._recent) > self._limit:
            dropped, _ = self._recent.popitem(last=False)
            self._tries.pop(dropped, None)

    def refused(self, collected_at: datetime | None, now_s: int) -> None:
        if collected_at is None or collected_at not in self._recent:
            return
        tries = self._tries.get(collected_at, 0)
        if tries < self.attempts:
            self._tries[collected_at] = tries + 1
            self._due[collected_at] = now_s + self.spacing_s

    def next_due_s(self) -> int | None:
        return min(self._due.values(), default=None)

    def due(self, now_s: int) -> list[RealtimeData]:
        ready = [at for at, when in self._due.items() if when <= now_s]
        for at in ready:
            del self._due[at]
        return [self._recent[at] for at in sorted(ready) if at in self._recent]
