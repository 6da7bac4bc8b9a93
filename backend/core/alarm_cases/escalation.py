"""When the system escalates a case, and whether a case broke its SLA.

An open case not acknowledged by its confirmation deadline escalates at once, then again every
``escalation_repeat_minutes`` while still unacknowledged, at most ``max_escalations`` times. A
case not disposed by its disposal deadline escalates once. Escalations notify the rota's
escalation contacts as well as whoever is on duty; they are steps of the case, not states.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from backend.core.alarm_cases.calendar import SlaSettings
from backend.core.alarm_cases.workflow import Case, CaseState


class EscalationKind(enum.StrEnum):
    CONFIRM_OVERDUE = "confirm_overdue"
    DISPOSE_OVERDUE = "dispose_overdue"


@dataclass(frozen=True, slots=True)
class Escalation:
    kind: EscalationKind
    number: int  # 1 for the first escalation of this kind


def escalation_due(case: Case, now: datetime, sla: SlaSettings) -> Escalation | None:
    if case.state is CaseState.OPEN and now >= case.confirm_due:
        done = case.ack_escalations
        if done >= sla.max_escalations:
            return None
        repeat = timedelta(minutes=sla.escalation_repeat_minutes)
        if done == 0 or case.last_escalated_at is None or \
                now >= case.last_escalated_at + repeat:
            return Escalation(EscalationKind.CONFIRM_OVERDUE, done + 1)
        return None
    if case.state in {CaseState.ACKNOWLEDGED, CaseState.ASSIGNED} and \
            now >= case.dispose_due and not case.dispose_escalated:
        return Escalation(EscalationKind.DISPOSE_OVERDUE, 1)
    return None


def escalated(case: Case, escalation: Escalation, now: datetime) -> Case:
    if escalation.kind is EscalationKind.CONFIRM_OVERDUE:
        return replace(case, ack_escalations=escalation.number, last_escalated_at=now)
    return replace(case, dispose_escalated=True, last_escalated_at=now)


def confirm_breached(case: Case, now: datetime) -> bool:
    """Acknowledged late, or not yet and already late."""
    done = case.acknowledged_at
    return (done if done is not None else now) > case.confirm_due


def dispose_breached(case: Case, now: datetime) -> bool:
    done = case.disposed_at
    return (done if done is not None else now) > case.dispose_due
