"""Alarm events and the platform's alarm rules (docs/alarms.md). The response workflow
(acknowledge, dispose, cases) is issue 5 part 2.

Queries act in the caller's own tenant; provider staff name a tenant that granted them support
access with ``tenant``. Another tenant's event id is NOT_FOUND, like an unknown one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, cast

import strawberry
from strawberry.scalars import JSON

from backend.api.graphql.context import Info
from backend.api.graphql.permissions import requires, requires_mutation
from backend.core.access import Permission as P
from backend.core.alarms.compliance import FlagKind
from backend.core.alarms.conditions import Source
from backend.core.alarms.labels import condition_names
from backend.core.alarms.lifecycle import EventState
from backend.core.alarms.query import AlarmEventView, EventFilter
from backend.core.alarms.rules import RuleCode, RuleOverride
from backend.services import alarms
from backend.services.alarms import RuleView

AlarmSource = strawberry.enum(Source, name="AlarmSource")
AlarmState = strawberry.enum(EventState, name="AlarmState")
ComplianceKind = strawberry.enum(FlagKind, name="ComplianceFlagKind")
AlarmRuleCode = strawberry.enum(RuleCode, name="AlarmRuleCode")
TenantArg = Annotated[str | None, strawberry.argument(
    description="Provider staff with a support grant: the tenant to read; others: omit.")]


def _tenant(info: Info, tenant: str | None) -> str:
    return tenant if tenant is not None else info.context.own_tenant()


@strawberry.type(name="ComplianceFlag")
class ComplianceFlagNode:
    kind: ComplianceKind  # type: ignore[valid-type]
    detected_at: datetime
    details: JSON


@strawberry.type(name="AlarmEvent")
class AlarmEventNode:
    id: strawberry.ID
    vin: str
    model_id: int | None
    source: AlarmSource  # type: ignore[valid-type]
    code: str = strawberry.field(description="Alarm bit code (vehicle) or rule code (platform).")
    name_zh: str
    name_en: str
    state: AlarmState  # type: ignore[valid-type]
    level: int = strawberry.field(description="Level in the newest record showing it (1-4).")
    peak_level: int
    emergency: bool = strawberry.field(description="Level 4: a 2025 thermal event.")
    opened_at: datetime
    last_seen_at: datetime
    closed_at: datetime | None
    frame_count: int
    reopen_count: int
    flapping: bool
    historical: bool = strawberry.field(description="Opened by reissued (0x03) data.")
    fault_codes: list[str] = strawberry.field(description="Fault codes as 8 hex digits.")
    compliance_flags: list[ComplianceFlagNode]


def event_node(view: AlarmEventView) -> AlarmEventNode:
    event = view.event
    name_zh, name_en = condition_names(event.source, event.code)
    return AlarmEventNode(
        id=strawberry.ID(event.id), vin=event.vin, model_id=view.model_id, source=event.source,
        code=event.code, name_zh=name_zh, name_en=name_en, state=event.state,
        level=event.level, peak_level=event.peak_level, emergency=event.peak_level >= 4,
        opened_at=event.opened_at, last_seen_at=event.last_seen_at, closed_at=event.closed_at,
        frame_count=event.frame_count, reopen_count=event.reopen_count,
        flapping=event.flapping, historical=event.historical,
        fault_codes=[f"{code:08X}" for code in sorted(event.fault_codes)],
        compliance_flags=[ComplianceFlagNode(kind=flag.kind, detected_at=flag.detected_at,
                                             details=cast(JSON, flag.details))
                          for flag in view.flags])


@strawberry.type(name="AlarmEventPage")
class AlarmEventPageNode:
    items: list[AlarmEventNode]
    next_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; null on the last page.")


@strawberry.input
class AlarmEventFilterInput:
    vin: str | None = None
    model_id: int | None = None
    min_level: int | None = strawberry.field(default=None,
                                             description="On the peak level, 1-4.")
    source: AlarmSource | None = None  # type: ignore[valid-type]
    code: str | None = None
    state: AlarmState | None = None  # type: ignore[valid-type]
    opened_from: datetime | None = None
    opened_to: datetime | None = None


@strawberry.input
class AlarmRuleInput:
    code: AlarmRuleCode  # type: ignore[valid-type]
    model_id: int | None = None
    threshold: float | None = None
    level: int | None = None
    enabled: bool | None = None


@strawberry.type(name="AlarmRule")
class AlarmRuleNode:
    code: AlarmRuleCode  # type: ignore[valid-type]
    model_id: int | None
    name_zh: str
    name_en: str
    unit: str
    threshold: float
    level: int
    enabled: bool
    default_threshold: float
    default_level: int
    overridden: bool = strawberry.field(description="Set for this tenant (or model) itself.")


def rule_node(view: RuleView) -> AlarmRuleNode:
    rule = view.rule
    return AlarmRuleNode(code=rule.code, model_id=view.model_id, name_zh=view.name_zh,
                         name_en=view.name_en, unit=view.unit, threshold=rule.threshold,
                         level=rule.level, enabled=rule.enabled,
                         default_threshold=view.default_threshold,
                         default_level=view.default_level, overridden=view.overridden)


@strawberry.type
class AlarmQuery:
    @requires(P.ALARMS_READ)
    async def alarm_events(self, info: Info, filter: AlarmEventFilterInput | None = None,
                           first: int | None = None, after: str | None = None,
                           tenant: TenantArg = None) -> AlarmEventPageNode:
        given = filter or AlarmEventFilterInput()
        context = info.context
        page = await alarms.list_events(
            context.services.db, context.actor(), _tenant(info, tenant),
            filters=EventFilter(vin=given.vin, model_id=given.model_id,
                                min_level=given.min_level, source=given.source,
                                code=given.code, state=given.state,
                                opened_from=given.opened_from, opened_to=given.opened_to),
            first=first, after=after)
        return AlarmEventPageNode(items=[event_node(view) for view in page.items],
                                  next_cursor=page.next_cursor)

    @requires(P.ALARMS_READ)
    async def alarm_event(self, info: Info, id: strawberry.ID,
                          tenant: TenantArg = None) -> AlarmEventNode:
        context = info.context
        return event_node(await alarms.get_event(context.services.db, context.actor(),
                                                 _tenant(info, tenant), str(id)))

    @requires(P.ALARMS_READ)
    async def alarm_rules(self, info: Info, model_id: int | None = None,
                          tenant: TenantArg = None) -> list[AlarmRuleNode]:
        context = info.context
        views = await alarms.list_rules(context.services.db, context.actor(),
                                        _tenant(info, tenant), model_id=model_id)
        return [rule_node(view) for view in views]


@strawberry.type
class AlarmMutation:
    @requires_mutation(P.ALARMS_CONFIGURE)
    async def update_alarm_rule(self, info: Info, rule: AlarmRuleInput) -> AlarmRuleNode:
        """Set the tenant's (or one model's) threshold, level and switch of a rule; parts left
        null fall back to the tenant's or the default value, all null removes the setting."""
        context = info.context
        view = await alarms.update_rule(
            context.services.db, context.actor(), context.own_tenant(),
            RuleOverride(RuleCode(rule.code), rule.model_id, rule.threshold, rule.level,
                         rule.enabled))
        return rule_node(view)
