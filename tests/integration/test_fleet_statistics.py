"""fleetStatistics' use case on the real PostgreSQL: per Beijing day and per model, equal to
the definitions computed from the rows directly; only the tenant's registered vehicles; the
typed refusals and the permission."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import pytest
import storage_rows as rows
from fleet_support import actor, new_model, register, two_tenants

from backend.core.access import AccessDenied, Role
from backend.core.data_errors import InvalidArgument, RangeTooLarge
from backend.core.fleet_statistics import StatisticsGrouping
from backend.services.fleet_statistics import fleet_statistics
from backend.storage.ingest import write_batch
from backend.storage.rollups import refresh_dirty

pytestmark = pytest.mark.services

# Beijing 2024-05-01 00:00 is 2024-04-30 16:00 UTC.
DAY1 = datetime(2024, 4, 30, 16, tzinfo=UTC)
DAY = timedelta(days=1)
H = timedelta(hours=1)


def _record(vin: str, at: datetime, **values: Any) -> tuple[Any, ...]:
    return rows.realtime(vin, collected_at=at, **values)


async def _fleet(db: asyncpg.Connection, slug: str) -> tuple[Any, list[str], int]:
    t = await two_tenants(db, slug)
    model = await new_model(db, t.a, t.admin_a)
    modelled = await register(db, t.a, t.admin_a, 2, model_id=model)
    [plain] = await register(db, t.a, t.admin_a, 1)
    [other] = await register(db, t.b, t.admin_b, 1)
    first, second = modelled
    await write_batch(db, t.a, realtime_rows=[
        # Day 1: the first vehicle drives 12 km over two hours, level-2 alarm, charging later.
        _record(first, DAY1 + 2 * H, odometer_km=100.0, soc_pct=80, alarm_level=0,
                max_temperature_c=30, insulation_kohm=900, charging_state=3),
        _record(first, DAY1 + 3 * H + timedelta(minutes=5), odometer_km=112.0, soc_pct=70,
                alarm_level=2, max_temperature_c=41, insulation_kohm=500, charging_state=3,
                reissued=True),
        _record(first, DAY1 + 5 * H, odometer_km=112.0, soc_pct=75, alarm_level=0,
                charging_state=1),
        # The second vehicle: one record on day 1 and two on day 2 (5 km), level 1.
        _record(second, DAY1 + 20 * H, odometer_km=50.0, soc_pct=40, alarm_level=0),
        _record(second, DAY1 + DAY + H, odometer_km=51.0, soc_pct=39, alarm_level=1),
        _record(second, DAY1 + DAY + 4 * H, odometer_km=56.0, soc_pct=35, alarm_level=0),
        # The vehicle without a model, day 2; an unregistered VIN that must not count.
        _record(plain, DAY1 + DAY + 2 * H, odometer_km=10.0, soc_pct=90, alarm_level=3),
        _record("LUNREGISTERED0001", DAY1 + 3 * H, odometer_km=1.0, soc_pct=1),
    ])
    await write_batch(db, t.b, realtime_rows=[
        _record(other, DAY1 + 3 * H, odometer_km=1.0, soc_pct=1, alarm_level=3)])
    await refresh_dirty(db, t.a)
    await refresh_dirty(db, t.b)
    return t, [first, second, plain], model


async def test_by_day_and_by_model(db: asyncpg.Connection, fresh_slug: str) -> None:
    t, _, model = await _fleet(db, fresh_slug)
    engineer = actor(Role.SAFETY_ENGINEER, t.a)
    by_day = await fleet_statistics(db, engineer, t.a, start=DAY1, end=DAY1 + 2 * DAY,
                                    grouping=StatisticsGrouping.DAY)
    day1, day2 = by_day.groups
    assert (day1.day, day2.day) == (date(2024, 5, 1), date(2024, 5, 2))
    assert (day1.active_vehicles, day1.frames, day1.reissued_frames) == (2, 4, 1)
    assert (day1.reporting_hours, day1.charging_hours, day1.alarm_hours) == (4, 1, 1)
    assert day1.distance_km == 12.0
    assert day1.vehicles_by_alarm_level == (0, 1, 0, 0)
    assert (day1.max_temperature_c, day1.min_insulation_kohm) == (41, 500)
    assert day1.avg_soc_pct == pytest.approx((80 + 70 + 75 + 40) / 4)
    assert (day2.active_vehicles, day2.frames, day2.distance_km) == (2, 3, 5.0)
    assert day2.vehicles_by_alarm_level == (1, 0, 1, 0)

    by_model = await fleet_statistics(db, engineer, t.a, start=DAY1, end=DAY1 + 2 * DAY,
                                      grouping=StatisticsGrouping.MODEL)
    modelled, unmodelled = by_model.groups
    assert (modelled.model_id, unmodelled.model_id) == (model, None)
    assert (modelled.active_vehicles, modelled.frames) == (2, 6)
    assert modelled.distance_km == 12.0 + 6.0  # the second vehicle over both days
    assert modelled.vehicles_by_alarm_level == (1, 1, 0, 0)
    assert (unmodelled.active_vehicles, unmodelled.vehicles_by_alarm_level) == (1, (0, 0, 1, 0))


async def test_the_range_bounds_the_days(db: asyncpg.Connection, fresh_slug: str) -> None:
    t, _, _ = await _fleet(db, fresh_slug)
    only = await fleet_statistics(db, t.admin_a, t.a, start=DAY1 + DAY, end=DAY1 + 2 * DAY,
                                  grouping=StatisticsGrouping.MODEL)
    assert [(g.active_vehicles, g.frames) for g in only.groups] == [(1, 2), (1, 1)]
    empty = await fleet_statistics(db, t.admin_a, t.a, start=DAY1 - DAY, end=DAY1,
                                   grouping=StatisticsGrouping.MODEL)
    assert empty.groups == ()


async def test_a_late_record_reaches_the_day_after_the_rollup_refresh(
        db: asyncpg.Connection, fresh_slug: str) -> None:
    t, (first, _, _), _ = await _fleet(db, fresh_slug)
    await write_batch(db, t.a, realtime_rows=[
        _record(first, DAY1 + 6 * H, odometer_km=130.0, soc_pct=60, alarm_level=3)])
    await refresh_dirty(db, t.a)
    day1 = (await fleet_statistics(db, t.admin_a, t.a, start=DAY1, end=DAY1 + DAY,
                                   grouping=StatisticsGrouping.DAY)).groups[0]
    assert (day1.frames, day1.distance_km) == (5, 30.0)
    assert day1.vehicles_by_alarm_level == (0, 0, 1, 0)


async def test_refusals(db: asyncpg.Connection, fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    asked: dict[str, Any] = {"grouping": StatisticsGrouping.DAY}
    with pytest.raises(InvalidArgument):
        await fleet_statistics(db, t.admin_a, t.a, start=DAY1 + H, end=DAY1 + DAY, **asked)
    with pytest.raises(InvalidArgument):
        await fleet_statistics(db, t.admin_a, t.a, start=DAY1, end=DAY1, **asked)
    with pytest.raises(RangeTooLarge):
        await fleet_statistics(db, t.admin_a, t.a, start=DAY1, end=DAY1 + 367 * DAY, **asked)
    with pytest.raises(AccessDenied):  # another tenant's admin
        await fleet_statistics(db, t.admin_b, t.a, start=DAY1, end=DAY1 + DAY, **asked)
    viewer = await fleet_statistics(db, actor(Role.VIEWER, t.a), t.a, start=DAY1,
                                    end=DAY1 + DAY, **asked)
    assert viewer.groups == ()
