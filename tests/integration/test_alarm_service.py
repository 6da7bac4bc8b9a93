"""Alarm queries and rule settings through the services, on the real PostgreSQL: filters,
keyset pages, permissions, and tenant isolation for every operation."""

from __future__ import annotations

import uuid
from datetime import timedelta

import asyncpg
import pytest
from alarm_support import BASE
from fleet_support import actor, new_model, register, two_tenants

from backend.core.access import AccessDenied, Role
from backend.core.alarms.conditions import Source
from backend.core.alarms.lifecycle import AlarmEvent, EventState
from backend.core.alarms.query import EventFilter
from backend.core.alarms.rules import RuleCode, RuleOverride
from backend.core.data_errors import InvalidArgument, InvalidCursor, NotFound
from backend.services import alarms
from backend.storage.alarms import save_events
from backend.storage.db import tenant_tx

pytestmark = pytest.mark.services


def event(vin: str, code: str, minutes: int, level: int, *,
          state: EventState = EventState.OPEN, source: Source = Source.VEHICLE) -> AlarmEvent:
    opened = BASE + timedelta(minutes=minutes)
    closed = opened + timedelta(minutes=1) if state is EventState.CLOSED else None
    return AlarmEvent(str(uuid.uuid4()), vin, source, code, state, opened, opened, level, level,
                      cleared_at=closed, closed_at=closed, feed_position="1-0")


async def test_event_queries_filter_page_and_isolate(db: asyncpg.Connection,
                                                     fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    model = await new_model(db, t.a, t.admin_a)
    [v1] = await register(db, t.a, t.admin_a, 1, model_id=model)
    [v2] = await register(db, t.a, t.admin_a, 1)
    [b1] = await register(db, t.b, t.admin_b, 1)
    a_events = [event(v1, "insulation", 0, 2), event(v1, "soc_low", 1, 1, state=EventState.CLOSED),
                event(v2, "storage_thermal_event", 2, 4),
                event(v2, "cell_voltage_spread", 3, 1, source=Source.PLATFORM)]
    async with tenant_tx(db, t.a) as conn:
        await save_events(conn, a_events)
    b_event = event(b1, "insulation", 0, 3)
    async with tenant_tx(db, t.b) as conn:
        await save_events(conn, [b_event])
    viewer = actor(Role.VIEWER, t.a)

    async def codes(**filters: object) -> list[str]:
        page = await alarms.list_events(db, viewer, t.a, filters=EventFilter(**filters))  # type: ignore[arg-type]
        return [item.event.code for item in page.items]

    assert await codes() == ["cell_voltage_spread", "storage_thermal_event", "soc_low",
                             "insulation"]
    assert await codes(vin=v1.lower()) == ["soc_low", "insulation"]
    assert await codes(model_id=model) == ["soc_low", "insulation"]
    assert await codes(min_level=2) == ["storage_thermal_event", "insulation"]
    assert await codes(state=EventState.CLOSED) == ["soc_low"]
    assert await codes(source=Source.PLATFORM) == ["cell_voltage_spread"]
    assert await codes(code="insulation") == ["insulation"]
    assert await codes(opened_from=BASE + timedelta(minutes=1),
                       opened_to=BASE + timedelta(minutes=3)) == ["storage_thermal_event",
                                                                  "soc_low"]
    assert await codes(vin=b1) == []  # another tenant's VIN: nothing, not an error

    seen, after = [], None
    while True:
        page = await alarms.list_events(db, viewer, t.a, first=1, after=after)
        seen += [item.event.id for item in page.items]
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert sorted(seen) == sorted(e.id for e in a_events)
    with pytest.raises(InvalidCursor):
        await alarms.list_events(db, viewer, t.a, first=1, after=after,
                                 filters=EventFilter(min_level=2))
    with pytest.raises(InvalidArgument):
        await alarms.list_events(db, viewer, t.a, filters=EventFilter(min_level=5))

    one = await alarms.get_event(db, viewer, t.a, a_events[0].id)
    assert (one.event.vin, one.model_id, one.flags) == (v1, model, ())
    with pytest.raises(NotFound):  # B's event id asked in A
        await alarms.get_event(db, viewer, t.a, b_event.id)
    with pytest.raises(NotFound):
        await alarms.get_event(db, viewer, t.a, "not-a-uuid")
    with pytest.raises(AccessDenied):  # A's user asking in B
        await alarms.list_events(db, viewer, t.b)
    with pytest.raises(AccessDenied):
        await alarms.get_event(db, viewer, t.b, b_event.id)


async def test_rules_per_tenant_and_model(db: asyncpg.Connection, fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    model = await new_model(db, t.a, t.admin_a)
    engineer = actor(Role.SAFETY_ENGINEER, t.a)
    view = await alarms.update_rule(db, engineer, t.a, RuleOverride(
        RuleCode.CELL_OVER_VOLTAGE, None, threshold=4200, level=3))
    assert (view.rule.threshold, view.rule.level, view.overridden) == (4200, 3, True)
    view = await alarms.update_rule(db, engineer, t.a, RuleOverride(
        RuleCode.CELL_OVER_VOLTAGE, model, threshold=3650))
    assert (view.rule.threshold, view.rule.level) == (3650, 3)
    rules = {v.rule.code: v for v in await alarms.list_rules(db, engineer, t.a)}
    assert rules[RuleCode.CELL_OVER_VOLTAGE].rule.threshold == 4200
    assert not rules[RuleCode.SOC_JUMP].overridden
    assert len(rules) == len(RuleCode)
    # Tenant B keeps the defaults; A's model id means nothing there.
    b_rules = {v.rule.code: v for v in await alarms.list_rules(db, t.admin_b, t.b)}
    assert b_rules[RuleCode.CELL_OVER_VOLTAGE].rule.threshold == 4250
    with pytest.raises(NotFound):
        await alarms.list_rules(db, t.admin_b, t.b, model_id=model)
    with pytest.raises(NotFound):
        await alarms.update_rule(db, t.admin_b, t.b, RuleOverride(
            RuleCode.SOC_JUMP, model, level=2))
    # Clearing every part removes the override.
    view = await alarms.update_rule(db, engineer, t.a, RuleOverride(RuleCode.CELL_OVER_VOLTAGE,
                                                                    None))
    assert (view.rule.threshold, view.overridden) == (4250, False)
    with pytest.raises(InvalidArgument):
        await alarms.update_rule(db, engineer, t.a, RuleOverride(RuleCode.SOC_JUMP, None,
                                                                 level=9))
    for role in (Role.VIEWER, Role.OPERATOR, Role.ANALYST):
        with pytest.raises(AccessDenied):
            await alarms.update_rule(db, actor(role, t.a), t.a,
                                     RuleOverride(RuleCode.SOC_JUMP, None, level=2))
    with pytest.raises(AccessDenied):
        await alarms.update_rule(db, engineer, t.b, RuleOverride(RuleCode.SOC_JUMP, None,
                                                                 level=2))
