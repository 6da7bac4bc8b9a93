"""Terminal parameters and the small types the terminal and its drivers share."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from gateway.protocol.model import Command, Edition

# §7.1: the login serial runs 1..65531 and restarts every day.
MAX_LOGIN_SERIAL: Final = 65531
_DAY_S: Final = 86_400


class LinkState(enum.Enum):
    DOWN = "down"
    LOGGING_IN = "logging_in"
    UP = "up"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One chunk of bytes for the wire; ``command`` is None for deliberately broken bytes."""

    data: bytes
    command: Command | None
    collected_s: int | None = None


@dataclass(frozen=True, slots=True)
class TerminalConfig:
    """Defaults follow PROTOCOL.md §10-§11 and REGULATORY.md §3; the unconfirmed ones (retry
    spacing, back-off) are the values the sources suggest."""

    interval_s: int = 10
    """Normal realtime period (parameter 0x02; regulators expect <= 30 s)."""
    heartbeat_s: int = 60
    """Heartbeat when nothing else was sent for this long (parameter 0x09)."""
    login_retry_s: int = 60
    """Unanswered login: try again after this long (§10, REGULATORY.md §1: 1 min)."""
    login_attempts: int = 3
    login_backoff_s: int = 1800
    """After three unanswered logins, or an error answer: wait this long (parameter 0x0C)."""
    reconnect_s: tuple[int, int] = (5, 30)
    """Delay range before reconnecting after the link dropped."""
    idle_poll_s: int = 30
    """How often a parked, silent vehicle checks whether it became active."""
    post_off_2016_s: int = 180
    monitor_2025_s: int = 3600
    monitor_upload_s: int = 30
    alarm_window_s: int = 30
    reissue_window_2016_s: int = 3 * _DAY_S
    reissue_window_2025_s: int = 7 * _DAY_S
    drain_per_s: int = 5
    """Reissue frames sent per second while live data keeps flowing."""
    disconnects_per_hour: float = 0.0
    """Random link losses per hour of reporting."""
    outage_s: tuple[int, int] = (60, 600)
    time_calibration: bool = True
    resend_s: int = 60
    resend_attempts: int = 3
    """A record the platform refused is sent again every ``resend_s``, this many times."""

    def reissue_window_s(self, edition: Edition) -> int:
        if edition is Edition.V2016:
            return self.reissue_window_2016_s
        return self.reissue_window_2025_s


class LoginSerials:
    """Login serial numbers: +1 per login, starting at 1 each (Beijing) day (§7.1)."""

    __slots__ = ("_day", "_serial")

    def __init__(self) -> None:
        self._day: date | None = None
        self._serial = 0

    def next(self, at: datetime) -> int:
        if at.date() != self._day:
            self._day = at.date()
            self._serial = 0
        self._serial = self._serial % MAX_LOGIN_SERIAL + 1
        return self._serial
