"""The 7x24 duty rota: who is on duty at a moment, and so who is notified.

A rota is a weekly pattern of shifts in the tenant's local time plus dated overrides (a swap,
a holiday cover). During an override only its people are on duty; otherwise everyone whose
shift covers the local time. A shift whose end is not after its start runs past midnight into
the next day. ``escalation`` names the people told when a case escalates (supervisors), on
top of whoever is on duty. ``coverage_gaps`` shows the hours of the week nobody covers, so the
console can warn that the rota is not 7x24.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from backend.core.alarm_cases.calendar import DEFAULT_ZONE
from backend.core.alarm_cases.errors import InvalidSettings

_KEY: Final = re.compile(r"[A-Za-z0-9_.@-]{1,64}")
_EMAIL: Final = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}")
_PHONE: Final = re.compile(r"\+?[0-9]{5,20}")
MAX_PEOPLE: Final = 200
MAX_SHIFTS: Final = 500
MAX_OVERRIDES: Final = 500
_WEEK_MINUTES: Final = 7 * 24 * 60


@dataclass(frozen=True, slots=True)
class Person:
    key: str  # how shifts name the person (a user name, an employee id)
    name: str
    email: str | None = None
    phone: str | None = None  # for the SMS / IM gateway


@dataclass(frozen=True, slots=True)
class Shift:
    weekday: int  # the day the shift starts, Monday 0
    start: time
    end: time
    people: tuple[str, ...]

    def minutes(self) -> tuple[int, int]:
        """[start, end) in minutes of the week; the end may pass the week's end."""
        begin = self.weekday * 24 * 60 + self.start.hour * 60 + self.start.minute
        length = (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60
                                                           + self.start.minute)
        return begin, begin + (length if length > 0 else length + 24 * 60)


@dataclass(frozen=True, slots=True)
class Override:
    start: datetime
    end: datetime
    people: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rota:
    people: Mapping[str, Person] = field(default_factory=dict)
    shifts: tuple[Shift, ...] = ()
    overrides: tuple[Override, ...] = ()
    escalation: tuple[str, ...] = ()
    zone: str = DEFAULT_ZONE

    def on_duty(self, at: datetime) -> tuple[Person, ...]:
        overriding = [o for o in self.overrides if o.start <= at < o.end]
        if overriding:
            keys = [key for o in overriding for key in o.people]
        else:
            local = at.astimezone(ZoneInfo(self.zone))
            minute = local.weekday() * 24 * 60 + local.hour * 60 + local.minute
            keys = [key for shift in self.shifts for key in shift.people
                    if _covers(shift.minutes(), minute)]
        return self._persons(keys)

    def escalation_contacts(self) -> tuple[Person, ...]:
        return self._persons(self.escalation)

    def _persons(self, keys: Sequence[str]) -> tuple[Person, ...]:
        return tuple(self.people[key] for key in dict.fromkeys(keys) if key in self.people)

    def coverage_gaps(self) -> list[tuple[int, int]]:
        """[start, end) minutes of the week (Monday 00:00 local = 0) no shift covers."""
        covered = bytearray(_WEEK_MINUTES)
        for shift in self.shifts:
            if not shift.people:
                continue
            begin, end = shift.minutes()
            for minute in range(begin, end):
                covered[minute % _WEEK_MINUTES] = 1
        gaps: list[tuple[int, int]] = []
        start = None
        for minute, flag in enumerate(covered):
            if not flag and start is None:
                start = minute
            elif flag and start is not None:
                gaps.append((start, minute))
                start = None
        if start is not None:
            gaps.append((start, _WEEK_MINUTES))
        return gaps


def _covers(span: tuple[int, int], minute: int) -> bool:
    begin, end = span
    return begin <= minute < end or begin <= minute + _WEEK_MINUTES < end


def _key(value: Any, field_name: str) -> str:
    text = str(value)
    if _KEY.fullmatch(text) is None:
        raise InvalidSettings(f"{field_name}: {text[:40]!r} is not a person key "
                              "(1-64 of A-Z a-z 0-9 _ . @ -)", field=field_name)
    return text


def _person(item: Mapping[str, Any]) -> Person:
    key = _key(item["key"], "people.key")
    name = str(item.get("name") or key).strip()[:200]
    email = item.get("email") or None
    phone = item.get("phone") or None
    if email is not None and _EMAIL.fullmatch(str(email)) is None:
        raise InvalidSettings(f"{key}: not an e-mail address", field="people.email")
    if phone is not None and _PHONE.fullmatch(str(phone)) is None:
        raise InvalidSettings(f"{key}: a phone number is digits with an optional +",
                              field="people.phone")
    return Person(key, name, None if email is None else str(email),
                  None if phone is None else str(phone))


def _aware(value: Any, field_name: str) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise InvalidSettings("override times need a UTC offset", field=field_name)
    return moment


def rota_from_document(document: Mapping[str, Any]) -> Rota:
    """A checked rota from its stored or submitted form (shifts with ``HH:MM`` times)."""
    try:
        people = [_person(item) for item in document.get("people", [])]
        if len(people) > MAX_PEOPLE:
            raise InvalidSettings(f"at most {MAX_PEOPLE} people", field="people")
        known = {p.key: p for p in people}
        if len(known) != len(people):
            raise InvalidSettings("a person key is used twice", field="people.key")

        def names(items: Any, where: str) -> tuple[str, ...]:
            keys = tuple(_key(k, where) for k in items)
            unknown = [k for k in keys if k not in known]
            if unknown:
                raise InvalidSettings(f"{where}: unknown person {unknown[0]!r}", field=where)
            return keys

        shifts = tuple(Shift(int(s["weekday"]), time.fromisoformat(str(s["start"])),
                             time.fromisoformat(str(s["end"])), names(s["people"], "shifts"))
                       for s in document.get("shifts", []))
        if any(not 0 <= s.weekday <= 6 for s in shifts) or len(shifts) > MAX_SHIFTS:
            raise InvalidSettings(f"shift weekdays are 0-6, at most {MAX_SHIFTS} shifts",
                                  field="shifts")
        overrides = tuple(Override(_aware(o["start"], "overrides"), _aware(o["end"], "overrides"),
                                   names(o["people"], "overrides"))
                          for o in document.get("overrides", []))
        if any(o.end <= o.start for o in overrides) or len(overrides) > MAX_OVERRIDES:
            raise InvalidSettings("an override ends after it starts", field="overrides")
        zone = str(document.get("zone", DEFAULT_ZONE))
        ZoneInfo(zone)
        return Rota(known, shifts, overrides,
                    names(document.get("escalation", []), "escalation"), zone)
    except (KeyError, TypeError, ValueError, ZoneInfoNotFoundError):
        raise InvalidSettings("rota document is malformed", field="rota") from None


def rota_to_document(rota: Rota) -> dict[str, Any]:
    return {
        "people": [{"key": p.key, "name": p.name, "email": p.email, "phone": p.phone}
                   for p in rota.people.values()],
        "shifts": [{"weekday": s.weekday, "start": s.start.strftime("%H:%M"),
                    "end": s.end.strftime("%H:%M"), "people": list(s.people)}
                   for s in rota.shifts],
        "overrides": [{"start": o.start.isoformat(), "end": o.end.isoformat(),
                       "people": list(o.people)} for o in rota.overrides],
        "escalation": list(rota.escalation),
        "zone": rota.zone,
    }

