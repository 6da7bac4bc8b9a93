"""When a terminal takes a record and which records go out live (REGULATORY.md §3).

* normal: one record every ``interval_s`` while driving or charging;
* level >= 3 alarm: 1 s records for 30 s (2016), or as long as it lasts (2025, levels 3-4);
  the 30 s before it are recorded at 1 s for reissue. Scripted onsets are known in advance
  (``critical_s``), which gives the same records as a terminal keeping a 30 s ring buffer of
  1 s samples, without sampling every vehicle every second;
* after power-off: 3 more minutes as normal (2016), or an hour of monitoring of which only the
  last 30 s (59:30-60:00) are uploaded (2025).

Link state is not this module's business: the terminal decides whether a record is sent or kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from gateway.protocol.model import Edition

from .terminal_config import TerminalConfig

CRITICAL_LEVEL: Final = 3


class ReportPlan:
    def __init__(self, edition: Edition, config: TerminalConfig,
                 critical_s: Sequence[int]) -> None:
        self.edition = edition
        self.config = config
        self.critical_s = sorted(critical_s)
        self.next_live_s = 0
        self.off_since_s: int | None = None
        self.alarm_until_s = 0
        self.last_level = 0

    def start(self, t: int) -> int:
        """A reporting session begins; returns the first record time, a second after the
        connection attempt (the login answer is usually in by then)."""
        self.off_since_s = None
        self.next_live_s = t + 1
        return self.next_live_s

    def power(self, t: int, active: bool) -> None:
        if active:
            self.off_since_s = None
        elif self.off_since_s is None:
            self.off_since_s = t

    def finished(self, t: int) -> bool:
        """The power-off wind-down is over: log out."""
        if self.off_since_s is None:
            return False
        if self.edition is Edition.V2016:
            return t >= self.off_since_s + self.config.post_off_2016_s
        return t >= self.off_since_s + self.config.monitor_2025_s

    def _monitoring(self) -> bool:
        return self.off_since_s is not None and self.edition is Edition.V2025

    def _upload_from_s(self) -> int:
        off = self.off_since_s or 0
        return off + self.config.monitor_2025_s - self.config.monitor_upload_s

    def in_prealarm(self, t: int) -> bool:
        """Within the 30 s before a scripted level-3 onset, or at it: recorded every second."""
        window = self.config.alarm_window_s
        return any(c - window <= t <= c for c in self.critical_s)

    def is_live(self, t: int) -> bool:
        if t < self.alarm_until_s:
            return True
        if self._monitoring():
            return t >= self._upload_from_s()
        return t >= self.next_live_s

    def on_level(self, t: int, level: int) -> bool:
        """Note a record's alarm level; True at the onset of a level >= 3 alarm."""
        onset = level >= CRITICAL_LEVEL > self.last_level
        if onset:
            self.alarm_until_s = t + self.config.alarm_window_s
        if level >= CRITICAL_LEVEL and self.edition is Edition.V2025:
            # Levels 3 and 4 in 2025: 1 s reporting until the alarm clears, so every 1 s
            # record that still sees it books the next one.
            self.alarm_until_s = max(self.alarm_until_s, t + 2)
        self.last_level = level
        return onset

    def took_live(self, t: int) -> None:
        if t >= self.next_live_s:
            self.next_live_s = t + self.config.interval_s

    def following(self, t: int) -> int:
        """The next record time after ``t``."""
        config = self.config
        candidates = [s for c in self.critical_s for s in (c - config.alarm_window_s, c)
                      if s > t]
        if t + 1 < self.alarm_until_s or self.in_prealarm(t + 1):
            candidates.append(t + 1)
        if self._monitoring():
            candidates.append(max(self._upload_from_s(), t + 1))
            # Keep looking at the car: it may drive or charge again within the hour.
            candidates.append(t + config.idle_poll_s)
        else:
            candidates.append(self.next_live_s)
            if self.off_since_s is not None:
                candidates.append(self.off_since_s + config.post_off_2016_s)
        return max(t + 1, min(candidates))
