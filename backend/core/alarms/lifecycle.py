"""Alarm events: one per episode of a condition on a vehicle, with flapping suppressed.

Time is the records' collection time, so a backlog replayed hours later gives the same events
as live data, and replaying the same records changes nothing (``VehicleAlarms.apply`` skips a
record at or before the feed position it already applied, see the engine).

* **open** when a condition is active in a record and the vehicle has no event for it;
* **update** while it persists: the current and peak level, the frame count, ``last_seen_at``
  (the newest active record); an active record up to ``close_after_s`` older than the event
  (the 30 s before a level-3 alarm arrive late as reissues, §11) moves ``opened_at`` back;
* **close** once records have shown it clear for ``close_after_s``: ``closed_at`` is the first
  clear record after ``last_seen_at``. A record that cannot judge the condition (see
  conditions.py) neither keeps nor clears it, and a vehicle that falls silent keeps its events
  open: nobody saw the condition end;
* **reopen** (flapping suppression) when the condition comes back within ``flap_window_s`` of
  ``closed_at``: the same event opens again and counts a reopening; from ``flap_reopens``
  reopenings on it is marked flapping. One wobbling sensor is therefore one event however
  often it toggles, as long as it never rests for longer than the flap window.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .conditions import ConditionKey, Evaluation, Source


class EventState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Change(enum.StrEnum):
    OPENED = "opened"
    UPDATED = "updated"
    ESCALATED = "escalated"
    CLOSED = "closed"
    REOPENED = "reopened"


@dataclass(frozen=True, slots=True)
class LifecycleSettings:
    close_after_s: float = 60.0
    flap_window_s: float = 600.0
    flap_reopens: int = 2

    @property
    def close_after(self) -> timedelta:
        return timedelta(seconds=self.close_after_s)

    @property
    def flap_window(self) -> timedelta:
        return timedelta(seconds=self.flap_window_s)


@dataclass(slots=True)
class AlarmEvent:
    id: str
    vin: str
    source: Source
    code: str
    state: EventState
    opened_at: datetime
    last_seen_at: datetime
    level: int
    peak_level: int
    frame_count: int = 1
    reopen_count: int = 0
    flapping: bool = False
    historical: bool = False
    """Opened by a reissued record: history, not a live alarm (§11)."""
    cleared_at: datetime | None = None
    """The first clear record after ``last_seen_at`` while it is still open (pending close),
    equal to ``closed_at`` once closed."""
    closed_at: datetime | None = None
    fault_codes: frozenset[int] = frozenset()
    feed_position: str = ""
    """The feed entry that last changed the event."""

    @property
    def key(self) -> ConditionKey:
        return (self.source, self.code)


@dataclass(frozen=True, slots=True)
class Sample:
    """One record as the lifecycle sees it; ``position`` is its feed position
    (``<entry id>/<row>``)."""

    at: datetime
    reissued: bool
    evaluation: Evaluation
    fault_codes: frozenset[int]
    position: str


@dataclass(slots=True)
class VehicleAlarms:
    """The events of one vehicle that can still change: open ones, and closed ones within the
    flap window of their close."""

    vin: str
    settings: LifecycleSettings
    events: dict[ConditionKey, AlarmEvent] = field(default_factory=dict)

    def apply(self, sample: Sample,
              new_id: Callable[[], str]) -> list[tuple[AlarmEvent, Change]]:
        """Fold one record into the events; returns the events it changed and how."""
        at, evaluation = sample.at, sample.evaluation
        changes: list[tuple[AlarmEvent, Change]] = []
        for key, level in evaluation.active.items():
            change = self._active(key, level, sample, new_id)
            if change is not None:
                changes.append(change)
        for event in self.events.values():
            if event.state is EventState.OPEN and event.key not in evaluation.active and \
                    event.key in evaluation.observed and at > event.last_seen_at and \
                    (event.cleared_at is None or at < event.cleared_at):
                event.cleared_at = at
                changes.append((event, Change.UPDATED))
        close_after = self.settings.close_after
        for event in self.events.values():
            if event.state is EventState.OPEN and event.cleared_at is not None and \
                    at - event.cleared_at >= close_after:
                event.state = EventState.CLOSED
                event.closed_at = event.cleared_at
                changes.append((event, Change.CLOSED))
        for event, _ in changes:
            event.feed_position = sample.position
        return _merged(changes)

    def _active(self, key: ConditionKey, level: int, sample: Sample,
                new_id: Callable[[], str]) -> tuple[AlarmEvent, Change] | None:
        at, fault_codes = sample.at, sample.fault_codes
        event = self.events.get(key)
        settings = self.settings
        if event is None or (event.state is EventState.CLOSED and event.closed_at is not None
                             and at - event.closed_at > settings.flap_window):
            if event is not None and at < event.opened_at:
                return None  # older than a closed event: that episode is over and stored
            event = AlarmEvent(
                id=new_id(), vin=self.vin, source=key[0], code=key[1], state=EventState.OPEN,
                opened_at=at, last_seen_at=at, level=level, peak_level=level,
                historical=sample.reissued, fault_codes=fault_codes)
            self.events[key] = event
            return event, Change.OPENED
        if at < event.opened_at - settings.close_after:
            return None  # an older episode than this event: not ours to reshape
        change = Change.UPDATED
        if event.state is EventState.CLOSED:
            if at <= event.last_seen_at:
                event.frame_count += 1  # a late record inside the closed episode
                return event, change
            event.state = EventState.OPEN
            event.reopen_count += 1
            event.closed_at = None
            event.flapping = event.reopen_count >= settings.flap_reopens
            change = Change.REOPENED
        event.frame_count += 1
        event.fault_codes |= fault_codes
        if at > event.last_seen_at:
            event.last_seen_at = at
            event.level = level
            if event.cleared_at is not None and event.cleared_at <= at:
                event.cleared_at = None
        event.opened_at = min(event.opened_at, at)
        if level > event.peak_level:
            event.peak_level = level
            if change is Change.UPDATED:
                change = Change.ESCALATED
        return event, change

    def forget_settled(self, now: datetime) -> None:
        """Drop closed events that can no longer reopen."""
        window = self.settings.flap_window
        for key in [key for key, event in self.events.items()
                    if event.state is EventState.CLOSED and event.closed_at is not None
                    and now - event.closed_at > window]:
            del self.events[key]

    def restore(self, events: Iterable[AlarmEvent]) -> None:
        for event in events:
            self.events[event.key] = event


_RANK = {Change.UPDATED: 0, Change.ESCALATED: 1, Change.REOPENED: 2, Change.OPENED: 3,
         Change.CLOSED: 4}


def _merged(changes: list[tuple[AlarmEvent, Change]]) -> list[tuple[AlarmEvent, Change]]:
    """One entry per event, with its most telling change (closed > opened > reopened >
    escalated > updated)."""
    best: dict[str, tuple[AlarmEvent, Change]] = {}
    for event, change in changes:
        seen = best.get(event.id)
        if seen is None or _RANK[change] > _RANK[seen[1]]:
            best[event.id] = (event, change)
    return list(best.values())
