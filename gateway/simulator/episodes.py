"""Ground truth of alarm episodes: what the vehicles actually reported, bit by bit.

A fault scenario's label says what a correct platform should find (faults/base.py); which
records carry an alarm flag depends on the physics and on what the terminal sent (interval,
1 s records after a level-3 onset, the pre-alarm reissue), so the episodes are taken from the
frames themselves: for each vehicle and flag bit, the maximal runs of records (in collection
order) whose flag is set. An episode's level is the bit's 2025 per-bit level, else the frame's
level while the bit is set (2016, §8.7), at least 1. ``cleared_at`` is the first record after
the run (None while the bit is still set in the vehicle's last record).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from gateway.protocol.blocks_2016_alarm import Alarm
from gateway.protocol.blocks_2025_alarm import Alarm2025
from gateway.protocol.frame import Frame
from gateway.protocol.model import Command
from gateway.protocol.realtime import RealtimeData

_REPORTS = frozenset({Command.REALTIME, Command.REISSUE})


@dataclass(frozen=True, slots=True)
class AlarmEpisode:
    vin: str
    bit: int
    start: datetime
    end: datetime
    level: int
    cleared_at: datetime | None


def _alarm(body: RealtimeData) -> Alarm | Alarm2025 | None:
    for block in body.blocks:
        if isinstance(block, Alarm | Alarm2025):
            return block
    return None


def _levels(alarm: Alarm | Alarm2025) -> dict[int, int]:
    """Level per set flag bit."""
    frame_level = alarm.max_level if isinstance(alarm.max_level, int) else 0
    listed = {}
    if isinstance(alarm, Alarm2025):
        listed = {entry.bit: entry.level for entry in alarm.alarm_levels
                  if isinstance(entry.level, int)}
    return {bit: max(1, listed.get(bit, frame_level)) for bit in alarm.active_flag_bits}


def alarm_episodes(frames: Iterable[Frame]) -> list[AlarmEpisode]:
    """The episodes of every vehicle and bit in ``frames`` (each record once)."""
    records: dict[str, dict[datetime, dict[int, int]]] = {}
    for frame in frames:
        body = frame.body
        if frame.command not in _REPORTS or not isinstance(body, RealtimeData) or \
                body.collected_at is None:
            continue
        alarm = _alarm(body)
        if alarm is not None:
            records.setdefault(frame.unique_id, {})[body.collected_at] = _levels(alarm)
    episodes = []
    for vin, by_time in records.items():
        times = sorted(by_time)
        for bit in sorted({bit for levels in by_time.values() for bit in levels}):
            run: list[datetime] = []
            for at in [*times, None]:
                if at is not None and bit in by_time[at]:
                    run.append(at)
                    continue
                if run:
                    episodes.append(AlarmEpisode(vin, bit, run[0], run[-1],
                                                 max(by_time[t][bit] for t in run), at))
                    run = []
    return sorted(episodes, key=lambda e: (e.vin, e.bit, e.start))
