"""Alarm statistics over GraphQL: each part is a field of its own, computed only when asked
for (definitions in docs/alarms.md "Statistics")."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from backend.api.graphql.alarms import AlarmSource
from backend.api.graphql.context import Info
from backend.api.graphql.permissions import requires
from backend.core.access import Permission as P
from backend.core.alarm_cases.statistics import Durations
from backend.core.alarms.conditions import Source
from backend.core.alarms.labels import condition_names
from backend.services import alarm_statistics as stats
from backend.services.alarm_statistics import StatisticsRange


@strawberry.type
class LevelCount:
    level: int
    count: int


@strawberry.type
class TypeCount:
    source: AlarmSource  # type: ignore[valid-type]
    code: str
    name_zh: str
    name_en: str
    count: int


@strawberry.type
class ModelCount:
    model_id: int | None = strawberry.field(description="null: vehicles without a model.")
    count: int


@strawberry.type
class DayCount:
    day: date = strawberry.field(description="In the tenant's calendar time zone.")
    count: int


@strawberry.type
class VehicleAlarmCount:
    vin: str
    count: int
    peak_level: int
    last_opened_at: datetime


@strawberry.type
class DurationStats:
    """Seconds from a case's opening to the step, over the cases that took it."""

    count: int
    mean_seconds: float | None
    p50_seconds: float | None
    p90_seconds: float | None


@strawberry.type
class SlaBreaches:
    cases: int
    open_cases: int
    confirm_breached: int
    dispose_breached: int


def _durations(found: Durations) -> DurationStats:
    return DurationStats(count=found.count, mean_seconds=found.mean_s,
                         p50_seconds=found.p50_s, p90_seconds=found.p90_s)


@strawberry.type(name="AlarmStatistics")
class AlarmStatisticsNode:
    _range: strawberry.Private[StatisticsRange]

    @property
    def tenant_scope(self) -> str:
        return self._range.tenant

    @requires(P.ALARMS_READ)
    async def by_level(self, info: Info) -> list[LevelCount]:
        return [LevelCount(level=level, count=count)
                for level, count in await stats.by_level(self._range)]

    @requires(P.ALARMS_READ)
    async def by_type(self, info: Info, limit: int = 100) -> list[TypeCount]:
        found = []
        for source, code, count in await stats.by_code(self._range, limit):
            name_zh, name_en = condition_names(Source(source), code)
            found.append(TypeCount(source=Source(source), code=code, name_zh=name_zh,
                                   name_en=name_en, count=count))
        return found

    @requires(P.ALARMS_READ)
    async def by_model(self, info: Info) -> list[ModelCount]:
        return [ModelCount(model_id=model_id, count=count)
                for model_id, count in await stats.by_model(self._range)]

    @requires(P.ALARMS_READ)
    async def by_day(self, info: Info) -> list[DayCount]:
        return [DayCount(day=day, count=count) for day, count in await stats.by_day(self._range)]

    @requires(P.ALARMS_READ)
    async def top_vehicles(self, info: Info, limit: int = 10) -> list[VehicleAlarmCount]:
        return [VehicleAlarmCount(vin=v.vin, count=v.events, peak_level=v.peak_level,
                                  last_opened_at=v.last_opened_at)
                for v in await stats.top_vehicles(self._range, limit)]

    @requires(P.ALARMS_READ)
    async def time_to_acknowledge(self, info: Info) -> DurationStats:
        return _durations(await stats.time_to(self._range, "acknowledged_at"))

    @requires(P.ALARMS_READ)
    async def time_to_dispose(self, info: Info) -> DurationStats:
        return _durations(await stats.time_to(self._range, "disposed_at"))

    @requires(P.ALARMS_READ)
    async def sla_breaches(self, info: Info) -> SlaBreaches:
        found = await stats.breaches(self._range)
        return SlaBreaches(cases=found.cases, open_cases=found.open_cases,
                           confirm_breached=found.confirm_breached,
                           dispose_breached=found.dispose_breached)
