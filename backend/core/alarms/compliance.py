"""Protocol compliance around level-3/4 alarms (PROTOCOL.md §11, §14.4, §14.6).

From the first record in which the vehicle reports level 3 or more (the onset), the terminal
must

* report every second: for 30 s after the onset in 2016, as long as the alarm lasts in 2025
  (levels 3 and 4); a gap between consecutive live records longer than ``max_gap_s`` (one
  second plus jitter) is flagged ``fast_reporting_missing``;
* upload the 30 s before the onset at one-second resolution (as reissue, or live if it already
  reported every second): once ``grace_s`` has passed since the onset was received, fewer than
  ``min_prealarm_records`` distinct seconds in [onset − 30 s, onset) is flagged
  ``prealarm_missing``.

Only what the vehicle itself reports counts: a platform rule at level 3 is not something the
terminal knows about. Each flag is raised at most once per alarm event.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

CRITICAL_LEVEL: Final = 3
ALARM_WINDOW_S: Final = 30


class FlagKind(enum.StrEnum):
    FAST_REPORTING_MISSING = "fast_reporting_missing"
    PREALARM_MISSING = "prealarm_missing"


@dataclass(frozen=True, slots=True)
class ComplianceSettings:
    max_gap_s: float = 2.0
    grace_s: float = 120.0
    min_prealarm_records: int = 27


@dataclass(frozen=True, slots=True)
class Flag:
    kind: FlagKind
    event_id: str
    vin: str
    detected_at: datetime
    details: dict[str, Any]


@dataclass(slots=True)
class CriticalWatch:
    """Compliance state of one level-3/4 event of one vehicle."""

    event_id: str
    vin: str
    edition: int
    onset_at: datetime
    onset_received_at: datetime
    settings: ComplianceSettings
    last_live_at: datetime | None = None
    prealarm_seconds: set[int] = field(default_factory=set)
    fast_flagged: bool = False
    prealarm_decided: bool = False
    event_open: bool = True

    def _fast_window_end(self) -> datetime | None:
        """None: as long as the event is open (2025)."""
        if self.edition == 2016:
            return self.onset_at + timedelta(seconds=ALARM_WINDOW_S)
        return None

    def record(self, collected_at: datetime, reissued: bool) -> Flag | None:
        """Note one record of the vehicle; a flag when it shows a reporting gap."""
        window_start = self.onset_at - timedelta(seconds=ALARM_WINDOW_S)
        if window_start <= collected_at < self.onset_at:
            self.prealarm_seconds.add(int(collected_at.timestamp()))
            return None
        if reissued or collected_at < self.onset_at:
            return None
        previous, self.last_live_at = self.last_live_at, max(
            collected_at, self.last_live_at or collected_at)
        end = self._fast_window_end()
        in_window = self.event_open if end is None else collected_at <= end + timedelta(
            seconds=self.settings.max_gap_s)
        if previous is None or self.fast_flagged or not in_window or collected_at <= previous:
            return None
        gap = (collected_at - previous).total_seconds()
        if gap <= self.settings.max_gap_s:
            return None
        self.fast_flagged = True
        return Flag(FlagKind.FAST_REPORTING_MISSING, self.event_id, self.vin, collected_at,
                    {"gap_s": gap, "after": previous.isoformat(),
                     "onset_at": self.onset_at.isoformat(), "max_gap_s": self.settings.max_gap_s})

    def due(self, now: datetime) -> Flag | None:
        """The pre-alarm decision once the grace time (receive clock) has passed."""
        if self.prealarm_decided or \
                now - self.onset_received_at < timedelta(seconds=self.settings.grace_s):
            return None
        self.prealarm_decided = True
        count = len(self.prealarm_seconds)
        if count >= self.settings.min_prealarm_records:
            return None
        return Flag(FlagKind.PREALARM_MISSING, self.event_id, self.vin, now,
                    {"records": count, "required": self.settings.min_prealarm_records,
                     "onset_at": self.onset_at.isoformat(), "window_s": ALARM_WINDOW_S})

    def finished(self, newest_collected: datetime | None) -> bool:
        """Nothing left to check: the pre-alarm is decided and the fast-reporting window is
        over (2016: 30 s after the onset; 2025: the event closed)."""
        if not self.prealarm_decided:
            return False
        end = self._fast_window_end()
        if end is None:
            return not self.event_open
        return newest_collected is not None and newest_collected > end
