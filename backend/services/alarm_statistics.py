"""Alarm statistics for a time range (MISSION.md "alarm statistics"; the SLA figures of the
annual self-assessment, REGULATORY.md §7): counts by level, type, model and local day, the
vehicles that alarm most, time to acknowledge and to dispose, SLA breaches.

Definitions (docs/alarms.md "Statistics"): events count once each, by the day and level they
opened at (their peak level); durations run from the case's opening (when the platform pushed
the alarm) to the acknowledgement or disposal; a breach is a deadline passed before the step,
or passed with the step still missing at ``now``. Each part is its own query, so a reader
asking for one part runs one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from backend.core.access import Permission, Principal
from backend.core.alarm_cases.statistics import Breaches, Durations, VehicleCount
from backend.core.data_errors import InvalidArgument, RangeTooLarge
from backend.services.alarm_settings import load_handling
from backend.services.tenant_data import clock, tenant_use_case
from backend.storage import alarm_statistics as stats
from backend.storage.db import Conn, Pool

MAX_RANGE: Final = timedelta(days=366)
MAX_TOP: Final = 100


@dataclass(frozen=True, slots=True)
class StatisticsRange:
    """A checked request: the caller may read the tenant's alarms over [start, end)."""

    db: Conn | Pool
    actor: Principal
    tenant: str
    start: datetime
    end: datetime


def statistics_range(db: Conn | Pool, actor: Principal, tenant: str, start: datetime,
                     end: datetime) -> StatisticsRange:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidArgument("times need a UTC offset", field="from")
    if end <= start:
        raise InvalidArgument("from must be before to", field="to", reason="out_of_range")
    if end - start > MAX_RANGE:
        raise RangeTooLarge(f"at most {MAX_RANGE.days} days", field="to")
    return StatisticsRange(db, actor, tenant, start, end)


async def by_level(r: StatisticsRange) -> list[tuple[int, int]]:
    async with tenant_use_case(r.db, r.actor, r.tenant, Permission.ALARMS_READ) as conn:
        return await stats.count_by_level(conn, r.start, r.end)


async def by_code(r: StatisticsRange, limit: int = MAX_TOP) -> list[tuple[str, str, int]]:
    async with tenant_use_case(r.db, r.actor, r.tenant, Permission.ALARMS_READ) as conn:
        return await stats.count_by_code(conn, r.start, r.end, _top(limit))


async def by_model(r: StatisticsRange) -> list[tuple[int | None, int]]:
    async with tenant_use_case(r.db, r.actor, r.tenant, Permission.ALARMS_READ) as conn:
        return await stats.count_by_model(conn, r.tenant, r.start, r.end)


async def by_day(r: StatisticsRange) -> list[tuple[date, int]]:
    """Days in the tenant's calendar time zone (Beijing time unless it set another)."""
    async with tenant_use_case(r.db, r.actor, r.tenant, Permission.ALARMS_READ) as conn:
        zone = (await load_handling(conn)).sla.calendar.zone
        return await stats.count_by_day(conn, r.start, r.end, zone)


async def top_vehicles(r: StatisticsRange, limit: int = 10) -> list[VehicleCount]:
    async with tenant_use_case(r.db, r.actor, r.tenant, Permission.ALARMS_READ) as conn:
        return await stats.top_vehicles(conn, r.start, r.end, _top(limit))


async def time_to(r: StatisticsRange, step: str) -> Durations:
    """``step``: "acknowledged_at" or "disposed_at"."""
    async with tenant_use_case(r.db, r.actor, r.tenant, Permission.ALARMS_READ) as conn:
        return await stats.durations(conn, r.start, r.end, step)


async def breaches(r: StatisticsRange, now: datetime | None = None) -> Breaches:
    async with tenant_use_case(r.db, r.actor, r.tenant, Permission.ALARMS_READ) as conn:
        return await stats.breaches(conn, r.start, r.end, clock(now))


def _top(limit: int) -> int:
    if not 1 <= limit <= MAX_TOP:
        raise InvalidArgument(f"1 to {MAX_TOP}", field="limit", reason="out_of_range")
    return limit
