"""Online periods of a vehicle from its link events (``vehicle_events``).

The gateway opens a period with ``login`` (0x01 answered) or ``connected`` (first frame of a
VIN on a platform link) and closes it with ``logout`` or ``disconnected`` (link closed,
platform logout, session replaced: the reason is in the event's details), see
gateway/server/interfaces.py. Real event streams are not always that tidy, so:

* an end without an open period (a logout and the disconnect after it) is ignored;
* a start while a period is open closes the open one at that instant with the reason
  ``no_end_event`` (a gateway that died wrote no disconnect; the true end was earlier);
* a period still open after the last event has no end (still online, or the gateway died:
  the latest state's online flag and timeout tell which).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

START_KINDS: Final = frozenset({"login", "connected"})
END_KINDS: Final = frozenset({"logout", "disconnected"})
LINK_KINDS: Final = START_KINDS | END_KINDS
NO_END_EVENT: Final = "no_end_event"


@dataclass(frozen=True, slots=True)
class LinkEvent:
    at: datetime
    kind: str
    details: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class OnlineSession:
    start: datetime
    end: datetime | None  # None: no end event yet
    started_by: str  # login | connected
    end_reason: str | None  # logout, the disconnect reason, or no_end_event


def _end_reason(event: LinkEvent) -> str:
    if event.kind == "logout":
        return "logout"
    reason = event.details.get("reason")
    return reason if isinstance(reason, str) and reason else "disconnected"


def _order(event: LinkEvent) -> tuple[datetime, int]:
    # At one instant an end sorts before a start: a replaced session closes, then the new one
    # opens.
    return event.at, 0 if event.kind in END_KINDS else 1


def online_sessions(events: Iterable[LinkEvent], start: datetime,
                    end: datetime) -> tuple[OnlineSession, ...]:
    """The periods overlapping [start, end). ``events`` must include the newest link event
    before ``start`` and the first one from ``end`` on, so periods crossing the edges keep
    their true start and end."""
    sessions: list[OnlineSession] = []
    open_at: datetime | None = None
    opened_by = ""
    for event in sorted((e for e in events if e.kind in LINK_KINDS), key=_order):
        if event.kind in START_KINDS:
            if open_at is not None:
                sessions.append(OnlineSession(open_at, event.at, opened_by, NO_END_EVENT))
            open_at, opened_by = event.at, event.kind
        elif open_at is not None:
            sessions.append(OnlineSession(open_at, event.at, opened_by, _end_reason(event)))
            open_at = None
    if open_at is not None:
        sessions.append(OnlineSession(open_at, None, opened_by, None))
    return tuple(s for s in sessions
                 if s.start < end and (s.end is None or s.end > start))
