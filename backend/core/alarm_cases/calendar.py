"""Working days and the SLA deadlines of a case.

REGULATORY.md §6: a pushed alarm is confirmed within 15 minutes (around the clock: the rota is
7x24) and its disposal reported within 10 working days. Which days are working days is the
tenant's data, not ours: the default is Monday to Friday in Beijing time with no holidays, and
a tenant enters its year's public holidays and the weekend days it works instead (the
Chinese 调休 make-up days) each year. No year's calendar is built in.

A disposal deadline of N working days ends at midnight (local) after the N-th working day
following the day the case opened: a case opened on a Friday afternoon with N = 1 is due at
the end of Monday.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from backend.core.alarm_cases.errors import InvalidSettings

DEFAULT_ZONE: Final = "Asia/Shanghai"
MAX_DATES: Final = 400  # a few years of holidays; more is a mistake, not a calendar
MAX_WORKING_DAYS: Final = 366


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    weekdays: frozenset[int] = frozenset(range(5))  # date.weekday(): Monday 0 … Sunday 6
    holidays: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()  # weekend days worked instead (调休)
    zone: str = DEFAULT_ZONE

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        return day.weekday() in self.weekdays and day not in self.holidays

    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The end (next local midnight) of the ``days``-th working day after ``start``'s
        local day."""
        if not 1 <= days <= MAX_WORKING_DAYS:
            raise InvalidSettings(f"working days must be 1-{MAX_WORKING_DAYS}",
                                  field="dispose_working_days")
        day = start.astimezone(self.tz()).date()
        counted = 0
        # A calendar with no working day at all is refused when it is built, so this ends.
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return datetime.combine(day + timedelta(days=1), time(0), self.tz())

    def to_document(self) -> dict[str, Any]:
        return {"weekdays": sorted(self.weekdays),
                "holidays": [d.isoformat() for d in sorted(self.holidays)],
                "extra_workdays": [d.isoformat() for d in sorted(self.extra_workdays)],
                "zone": self.zone}


def _dates(values: Iterable[Any], name: str) -> frozenset[date]:
    parsed: set[date] = set()
    for value in values:
        try:
            parsed.add(value if isinstance(value, date) else date.fromisoformat(str(value)))
        except ValueError:
            raise InvalidSettings(f"{name}: {str(value)[:40]!r} is not a date",
                                  field=name) from None
    if len(parsed) > MAX_DATES:
        raise InvalidSettings(f"{name}: at most {MAX_DATES} dates", field=name)
    return frozenset(parsed)


def calendar(weekdays: Iterable[int], holidays: Iterable[Any] = (),
             extra_workdays: Iterable[Any] = (), zone: str = DEFAULT_ZONE) -> WorkingCalendar:
    """A checked calendar (every part of it comes from the tenant)."""
    days = frozenset(weekdays)
    if not days or not days <= set(range(7)):
        raise InvalidSettings("weekdays are 0 (Monday) to 6 (Sunday), at least one",
                              field="weekdays")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidSettings(f"unknown time zone {zone[:60]!r}", field="zone") from None
    return WorkingCalendar(days, _dates(holidays, "holidays"),
                           _dates(extra_workdays, "extra_workdays"), zone)


def calendar_from_document(document: Mapping[str, Any]) -> WorkingCalendar:
    try:
        return calendar(document.get("weekdays", range(5)), document.get("holidays", ()),
                        document.get("extra_workdays", ()),
                        str(document.get("zone", DEFAULT_ZONE)))
    except TypeError:
        raise InvalidSettings("calendar document is malformed", field="calendar") from None


@dataclass(frozen=True, slots=True)
class SlaSettings:
    confirm_minutes: int = 15  # REGULATORY.md §6
    dispose_working_days: int = 10  # REGULATORY.md §6
    escalation_repeat_minutes: int = 15  # another escalation while still unacknowledged
    max_escalations: int = 3
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)

    def __post_init__(self) -> None:
        if not 1 <= self.confirm_minutes <= 24 * 60:
            raise InvalidSettings("confirm within 1-1440 minutes", field="confirm_minutes")
        if not 1 <= self.dispose_working_days <= MAX_WORKING_DAYS:
            raise InvalidSettings(f"dispose within 1-{MAX_WORKING_DAYS} working days",
                                  field="dispose_working_days")
        if not 1 <= self.escalation_repeat_minutes <= 24 * 60:
            raise InvalidSettings("repeat escalations every 1-1440 minutes",
                                  field="escalation_repeat_minutes")
        if not 0 <= self.max_escalations <= 10:
            raise InvalidSettings("at most 10 escalations", field="max_escalations")

    def confirm_due(self, opened_at: datetime) -> datetime:
        return opened_at + timedelta(minutes=self.confirm_minutes)

    def dispose_due(self, opened_at: datetime) -> datetime:
        return self.calendar.add_working_days(opened_at, self.dispose_working_days)
