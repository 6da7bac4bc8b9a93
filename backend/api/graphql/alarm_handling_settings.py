"""The tenant's alarm handling settings over GraphQL: the policy per level with SLA and working
calendar, the duty rota, and the notification channels. All need ``alarms:configure`` and act
in the caller's own tenant (a support grant is read-only and does not include them). Channel
secrets are write-only: the answer says whether one is set."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import strawberry

from backend.api.graphql.context import Info
from backend.api.graphql.permissions import requires, requires_mutation
from backend.core.access import Permission as P
from backend.core.alarm_cases.calendar import DEFAULT_ZONE
from backend.core.alarm_cases.policy import Channel, HandlingSettings, LevelPolicy
from backend.core.alarm_cases.rota import Rota, rota_to_document
from backend.services import alarm_settings
from backend.services.alarm_settings import ChannelInput, ChannelView, SlaInput

NotificationChannelKind = strawberry.enum(Channel, name="NotificationChannelKind")


@strawberry.type
class LevelHandling:
    level: int
    channels: list[NotificationChannelKind]  # type: ignore[valid-type]
    open_case: bool


@strawberry.type
class AlarmHandlingSettings:
    policies: list[LevelHandling]
    confirm_minutes: int
    dispose_working_days: int
    escalation_repeat_minutes: int
    max_escalations: int
    weekdays: list[int] = strawberry.field(description="Working weekdays, 0 Monday … 6 Sunday.")
    holidays: list[date]
    extra_workdays: list[date] = strawberry.field(description="Weekend days worked (调休).")
    time_zone: str


def handling_node(settings: HandlingSettings) -> AlarmHandlingSettings:
    sla, calendar = settings.sla, settings.sla.calendar
    return AlarmHandlingSettings(
        policies=[LevelHandling(level=p.level, channels=sorted(p.channels), open_case=p.open_case)
                  for p in sorted(settings.policies.values(), key=lambda p: p.level)],
        confirm_minutes=sla.confirm_minutes, dispose_working_days=sla.dispose_working_days,
        escalation_repeat_minutes=sla.escalation_repeat_minutes,
        max_escalations=sla.max_escalations, weekdays=sorted(calendar.weekdays),
        holidays=sorted(calendar.holidays), extra_workdays=sorted(calendar.extra_workdays),
        time_zone=calendar.zone)


@strawberry.input
class LevelHandlingInput:
    level: int
    channels: list[NotificationChannelKind]  # type: ignore[valid-type]
    open_case: bool


@strawberry.input
class AlarmHandlingInput:
    policies: list[LevelHandlingInput] = strawberry.field(
        default_factory=list, description="Levels given here change; the others keep theirs.")
    confirm_minutes: int = 15
    dispose_working_days: int = 10
    escalation_repeat_minutes: int = 15
    max_escalations: int = 3
    weekdays: list[int] = strawberry.field(default_factory=lambda: [0, 1, 2, 3, 4])
    holidays: list[date] = strawberry.field(default_factory=list)
    extra_workdays: list[date] = strawberry.field(default_factory=list)
    time_zone: str = DEFAULT_ZONE


@strawberry.type
class DutyPerson:
    key: str
    name: str
    email: str | None
    phone: str | None


@strawberry.type
class DutyShift:
    weekday: int
    start: str = strawberry.field(description="HH:MM local; an end not after the start is "
                                              "the next day's.")
    end: str
    people: list[str]


@strawberry.type
class DutyOverride:
    start: datetime
    end: datetime
    people: list[str]


@strawberry.type
class CoverageGap:
    start_minute: int = strawberry.field(description="Minutes from Monday 00:00 local.")
    end_minute: int


@strawberry.type
class DutyRota:
    people: list[DutyPerson]
    shifts: list[DutyShift]
    overrides: list[DutyOverride]
    escalation: list[str]
    time_zone: str
    gaps: list[CoverageGap] = strawberry.field(description="Hours of the week nobody covers.")
    on_duty_now: list[DutyPerson]


def rota_node(rota: Rota) -> DutyRota:
    document = rota_to_document(rota)
    return DutyRota(
        people=[DutyPerson(**p) for p in document["people"]],
        shifts=[DutyShift(**s) for s in document["shifts"]],
        overrides=[DutyOverride(start=o.start, end=o.end, people=list(o.people))
                   for o in rota.overrides],
        escalation=list(rota.escalation), time_zone=rota.zone,
        gaps=[CoverageGap(start_minute=a, end_minute=b) for a, b in rota.coverage_gaps()],
        on_duty_now=[DutyPerson(key=p.key, name=p.name, email=p.email, phone=p.phone)
                     for p in rota.on_duty(datetime.now(UTC))])


@strawberry.input
class DutyPersonInput:
    key: str
    name: str
    email: str | None = None
    phone: str | None = None


@strawberry.input
class DutyShiftInput:
    weekday: int
    start: str
    end: str
    people: list[str]


@strawberry.input
class DutyOverrideInput:
    start: datetime
    end: datetime
    people: list[str]


@strawberry.input
class DutyRotaInput:
    people: list[DutyPersonInput]
    shifts: list[DutyShiftInput]
    overrides: list[DutyOverrideInput] = strawberry.field(default_factory=list)
    escalation: list[str] = strawberry.field(default_factory=list)
    time_zone: str = DEFAULT_ZONE


def _rota_document(given: DutyRotaInput) -> dict[str, Any]:
    return {"people": [vars(p) for p in given.people],
            "shifts": [vars(s) for s in given.shifts],
            "overrides": [vars(o) for o in given.overrides],
            "escalation": given.escalation, "zone": given.time_zone}


@strawberry.type
class NotificationChannel:
    kind: NotificationChannelKind  # type: ignore[valid-type]
    enabled: bool
    target: str = strawberry.field(description="Webhook / SMS hook URL, or the SMTP host.")
    smtp_port: int | None
    smtp_security: str | None
    smtp_username: str | None
    sender: str | None
    secret_set: bool
    updated_by: str
    updated_at: datetime


def channel_node(view: ChannelView) -> NotificationChannel:
    settings = view.settings
    return NotificationChannel(
        kind=view.kind, enabled=view.enabled, target=view.target,
        smtp_port=settings.get("port"), smtp_security=settings.get("security"),
        smtp_username=settings.get("username"), sender=settings.get("sender"),
        secret_set=view.secret_set, updated_by=view.updated_by, updated_at=view.updated_at)


@strawberry.input
class NotificationChannelInput:
    kind: NotificationChannelKind  # type: ignore[valid-type]
    enabled: bool
    target: str
    secret: str | None = strawberry.field(
        default=None, description="HMAC key, SMTP password or SMS token; null keeps the "
                                  "stored one, an empty string removes it.")
    smtp_port: int | None = None
    smtp_security: str | None = strawberry.field(default=None,
                                                 description="none, starttls or tls.")
    smtp_username: str | None = None
    sender: str | None = None


@strawberry.type
class AlarmHandlingQuery:
    @requires(P.ALARMS_CONFIGURE)
    async def alarm_handling_settings(self, info: Info) -> AlarmHandlingSettings:
        context = info.context
        return handling_node(await alarm_settings.handling_settings(
            context.services.db, context.actor(), context.own_tenant()))

    @requires(P.ALARMS_CONFIGURE)
    async def duty_rota(self, info: Info) -> DutyRota:
        context = info.context
        return rota_node(await alarm_settings.rota(context.services.db, context.actor(),
                                                   context.own_tenant()))

    @requires(P.ALARMS_CONFIGURE)
    async def notification_channels(self, info: Info) -> list[NotificationChannel]:
        context = info.context
        return [channel_node(view) for view in await alarm_settings.channels(
            context.services.db, context.actor(), context.own_tenant())]


@strawberry.type
class AlarmHandlingMutation:
    @requires_mutation(P.ALARMS_CONFIGURE)
    async def update_alarm_handling(self, info: Info,
                                    settings: AlarmHandlingInput) -> AlarmHandlingSettings:
        context = info.context
        return handling_node(await alarm_settings.update_handling(
            context.services.db, context.actor(), context.own_tenant(),
            policies=[LevelPolicy(p.level, frozenset(Channel(c) for c in p.channels),
                                  p.open_case) for p in settings.policies],
            sla=SlaInput(settings.confirm_minutes, settings.dispose_working_days,
                         settings.escalation_repeat_minutes, settings.max_escalations,
                         tuple(settings.weekdays), tuple(settings.holidays),
                         tuple(settings.extra_workdays), settings.time_zone)))

    @requires_mutation(P.ALARMS_CONFIGURE)
    async def update_duty_rota(self, info: Info, rota: DutyRotaInput) -> DutyRota:
        context = info.context
        return rota_node(await alarm_settings.update_rota(
            context.services.db, context.actor(), context.own_tenant(), _rota_document(rota)))

    @requires_mutation(P.ALARMS_CONFIGURE)
    async def put_notification_channel(self, info: Info, channel: NotificationChannelInput
                                       ) -> NotificationChannel:
        context = info.context
        return channel_node(await alarm_settings.put_channel(
            context.services.db, context.actor(), context.own_tenant(),
            ChannelInput(Channel(channel.kind), channel.enabled, channel.target, channel.secret,
                         channel.smtp_port, channel.smtp_security, channel.smtp_username,
                         channel.sender), context.services.auth.keyring))

    @requires_mutation(P.ALARMS_CONFIGURE)
    async def remove_notification_channel(self, info: Info,
                                          kind: NotificationChannelKind  # type: ignore[valid-type]
                                          ) -> bool:
        context = info.context
        await alarm_settings.remove_channel(context.services.db, context.actor(),
                                            context.own_tenant(), Channel(kind))
        return True
