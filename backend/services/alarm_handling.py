"""Automatic handling of alarm events (the worker's side, no principal: it acts as the
system). Three steps, each its own short transaction per tenant:

1. ``drain``: the changes the alarm-event trigger queued (migration 0008) are handled by the
   tenant's policy for the event's level: a case with SLA deadlines opened, notifications to
   the channels queued for whoever the rota has on duty (e-mail and SMS per person, the
   webhook once); closes, reopenings and level rises are recorded on an existing case.
2. ``escalate``: cases past a deadline escalate (backend/core/alarm_cases/escalation.py) and
   notify the escalation contacts and whoever is on duty.
3. ``deliver`` (backend/services/alarm_delivery.py): the queued notifications are sent.

Handling a change twice opens one case and notifies once (unique event per case, unique
dedupe key per delivery), so a worker that dies mid-way leaves nothing half-done for long.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Final

from backend.core.alarm_cases.escalation import Escalation, escalated, escalation_due
from backend.core.alarm_cases.messages import case_message
from backend.core.alarm_cases.notices import Notice, Purpose
from backend.core.alarm_cases.policy import ALL_CHANNELS, Channel, HandlingSettings
from backend.core.alarm_cases.rota import Person, Rota
from backend.core.alarm_cases.workflow import Case, CaseState, Step, StepKind
from backend.core.alarms.labels import condition_names
from backend.core.alarms.lifecycle import AlarmEvent
from backend.services.alarm_settings import load_handling, load_rota
from backend.storage import alarm_cases as cases
from backend.storage import alarm_handling as store
from backend.storage.db import Conn, Pool, tenant_tx

SYSTEM: Final = "system:alarm-handler"
BATCH: Final = 500
_RECORDED: Final = {"closed": StepKind.ALARM_CLOSED, "reopened": StepKind.ALARM_REOPENED,
                    "level_raised": StepKind.ALARM_LEVEL_RAISED}


@dataclass(slots=True)
class HandlingReport:
    changes: int = 0
    cases_opened: int = 0
    deliveries: int = 0
    escalations: int = 0
    messages: list[dict[str, Any]] = field(default_factory=list)  # case changes to publish


@dataclass(frozen=True, slots=True)
class _Context:
    tenant: str
    settings: HandlingSettings
    rota: Rota
    channels: frozenset[Channel]  # configured and enabled


async def _context(conn: Conn, tenant: str) -> _Context:
    enabled = frozenset(row.kind for row in await store.channels(conn) if row.enabled)
    return _Context(tenant, await load_handling(conn), await load_rota(conn), enabled)


def _notice(context: _Context, event: AlarmEvent, case: Case | None, level: int,
            escalation: Escalation | None = None) -> Notice:
    name_zh, name_en = condition_names(event.source, event.code)
    return Notice(context.tenant, Purpose.ALARM if escalation is None else Purpose.ESCALATION,
                  event.id, event.vin, event.code, name_zh, name_en, level, event.opened_at,
                  None if case is None else case.id,
                  None if case is None else case.confirm_due,
                  None if case is None else case.dispose_due, escalation)


def _deliveries(context: _Context, notice: Notice, channels: frozenset[Channel],
                people: tuple[Person, ...]) -> list[store.NewDelivery]:
    payload = notice.document()
    made: list[store.NewDelivery] = []

    def add(channel: Channel, recipient: str) -> None:
        made.append(store.NewDelivery(f"{notice.key()}:{channel.value}:{recipient}",
                                      notice.event_id, notice.case_id, channel, recipient,
                                      notice.purpose.value, payload))

    usable = channels & context.channels
    if Channel.WEBHOOK in usable:
        add(Channel.WEBHOOK, "webhook")
    for person in people:
        if Channel.EMAIL in usable and person.email:
            add(Channel.EMAIL, person.email)
        if Channel.SMS in usable and person.phone:
            add(Channel.SMS, person.phone)
    return made


def _recipients(rota: Rota, now: datetime, *, escalation: bool) -> tuple[Person, ...]:
    """Whoever is on duty; escalations add the escalation contacts, and so does a moment
    nobody covers (an alarm must reach someone)."""
    on_duty = rota.on_duty(now)
    if escalation or not on_duty:
        return tuple({p.key: p for p in (*on_duty, *rota.escalation_contacts())}.values())
    return on_duty


async def _open_case(conn: Conn, context: _Context, event: AlarmEvent, level: int, *,
                     now: datetime, report: HandlingReport) -> Case | None:
    sla = context.settings.sla
    case = Case(str(uuid.uuid4()), event.id, event.vin, level, CaseState.OPEN, now,
                sla.confirm_due(now), sla.dispose_due(now))
    if not await cases.insert_case(conn, case):
        return await cases.case_for_event(conn, uuid.UUID(event.id))
    step = Step(StepKind.OPENED, SYSTEM, now)
    await cases.add_step(conn, case.id, step, {"level": level})
    report.cases_opened += 1
    report.messages.append(case_message(case, step))
    return case


async def _handle(conn: Conn, context: _Context, change: store.QueuedChange, now: datetime,
                  report: HandlingReport) -> None:
    event = change.event
    if event.historical:
        return  # reissued data: recorded and counted, never a live alarm (PROTOCOL.md §11)
    case = await cases.case_for_event(conn, uuid.UUID(event.id))
    if case is not None and change.change in _RECORDED:
        raised = change.change == "level_raised" and change.level > case.level
        if raised:
            case = replace(case, level=change.level)
            await cases.save_case(conn, case)
        step = Step(_RECORDED[change.change], SYSTEM, now)
        await cases.add_step(conn, case.id, step, {"level": change.level})
        report.messages.append(case_message(case, step))
        if not raised:
            return
    if change.change not in {"opened", "level_raised"}:
        return
    policy = context.settings.policy(change.level)
    if policy.open_case and case is None:
        case = await _open_case(conn, context, event, change.level, now=now, report=report)
    if policy.channels:
        people = _recipients(context.rota, now, escalation=False)
        made = _deliveries(context, _notice(context, event, case, change.level),
                           policy.channels, people)
        report.deliveries += await store.add_deliveries(conn, made, now)


async def drain(db: Conn | Pool, tenant: str, now: datetime) -> HandlingReport:
    """Handle the tenant's queued event changes (at most ``BATCH``)."""
    report = HandlingReport()
    async with tenant_tx(db, tenant) as conn:
        queued = await store.queued_changes(conn, BATCH)
        if not queued:
            return report
        context = await _context(conn, tenant)
        for change in queued:
            await _handle(conn, context, change, now, report)
        await store.mark_handled(conn, [change.id for change in queued], now)
        report.changes = len(queued)
    return report


async def escalate(db: Conn | Pool, tenant: str, now: datetime) -> HandlingReport:
    """Escalate the tenant's cases past a deadline, as the SLA settings say."""
    report = HandlingReport()
    async with tenant_tx(db, tenant) as conn:
        waiting = await cases.waiting_cases(conn, now, BATCH)
        if not waiting:
            return report
        context = await _context(conn, tenant)
        for case in waiting:
            due = escalation_due(case, now, context.settings.sla)
            if due is None:
                continue
            changed = escalated(case, due, now)
            await cases.save_case(conn, changed)
            step = Step(StepKind.ESCALATED, SYSTEM, now)
            people = _recipients(context.rota, now, escalation=True)
            await cases.add_step(conn, case.id, step, {
                "kind": due.kind.value, "number": due.number,
                "notified": [p.key for p in people]})
            event = (await store.events_by_id(conn, [uuid.UUID(case.event_id)]))[0]
            # Every channel the tenant has: an escalation is the alarm nobody handled.
            made = _deliveries(context, _notice(context, event, changed, case.level, due),
                               ALL_CHANNELS, people)
            report.deliveries += await store.add_deliveries(conn, made, now)
            report.escalations += 1
            report.messages.append(case_message(changed, step))
    return report
