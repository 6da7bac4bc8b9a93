"""Alarm episodes for the load generator: which links report an alarm, and when.

An alarming link sends ``on`` records with a level-2 insulation alarm (general alarm flag bit
11, PROTOCOL.md §8.7), then ``off`` clear records, over and over, starting at a phase of its
own so episodes begin and end throughout a run. With the engine's ``close_after`` and
``flap_window`` (in records of 1 s collection time) shorter than ``off``, every episode is
exactly one alarm event: opened by its first alarm record, closed by the clear record
``close_after`` after the first clear one (backend/core/alarms/lifecycle.py). ``count`` says
how many events of each kind the records a link actually sent must yield.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

ALARM_LEVEL = 2
INSULATION_FLAG = 1 << 11
# The sample frame's alarm block (bench/sample_frames.py): type 0x07, maximum level, the
# general flag DWORD, four empty fault-code lists; the 0x08 block follows it.
CLEAR_ALARM_BLOCK = bytes((0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08))
ALARM_BLOCK = struct.pack(">BBIBBBBB", 0x07, ALARM_LEVEL, INSULATION_FLAG, 0, 0, 0, 0, 0x08)


@dataclass(frozen=True, slots=True)
class Episodes:
    on: int
    off: int
    phase: int

    def active(self, index: int) -> bool:
        """Whether the link's ``index``-th record carries the alarm."""
        return (index + self.phase) % (self.on + self.off) < self.on

    def count(self, sent: int, close_after: int) -> tuple[int, int]:
        """(events opened, events closed) by the first ``sent`` records: one opened per run of
        alarm records, closed when at least ``close_after`` + 1 clear records followed it."""
        opened = closed = clear_run = 0
        for index in range(sent):
            if self.active(index):
                if index == 0 or not self.active(index - 1):
                    opened += 1
                clear_run = 0
                continue
            clear_run += 1
            if opened and clear_run == close_after + 1:
                closed += 1
        return opened, closed


def episodes_for(index: int, share: float, on: int, off: int) -> Episodes | None:
    """Every round(1/share)-th vehicle index alarms; phases spread over the cycle."""
    if share <= 0:
        return None
    stride = max(1, round(1 / share))
    if index % stride:
        return None
    return Episodes(on, off, phase=(index // stride * 7) % (on + off))


def patch_alarm(frame: bytes) -> bytes:
    """The same frame reporting the alarm."""
    at = frame.index(CLEAR_ALARM_BLOCK)
    return frame[:at] + ALARM_BLOCK + frame[at + len(ALARM_BLOCK):]
