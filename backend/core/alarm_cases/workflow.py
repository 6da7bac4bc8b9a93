"""The case of one alarm event and the steps of its response workflow.

States: ``open`` (nobody reacted yet) → ``acknowledged`` (someone confirmed they saw it: the
15-minute confirmation of REGULATORY.md §6) → ``assigned`` (someone owns the disposal) →
``disposed`` (closed with a disposition: the disposal report of §6). A disposed case may be
reopened; it comes back acknowledged (or assigned when it has an assignee) because whoever
reopens it has seen it. Comments and evidence may be added in every state; escalations are the
system's steps and never change the state.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final

from backend.core.alarm_cases.errors import IllegalTransition
from backend.core.data_errors import InvalidArgument


class CaseState(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    DISPOSED = "disposed"


class StepKind(enum.StrEnum):
    OPENED = "opened"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    COMMENTED = "commented"
    EVIDENCE_ADDED = "evidence_added"
    DISPOSED = "disposed"
    REOPENED = "reopened"
    ESCALATED = "escalated"
    ALARM_CLOSED = "alarm_closed"  # the engine saw the condition end
    ALARM_REOPENED = "alarm_reopened"  # and come back within the flap window
    ALARM_LEVEL_RAISED = "alarm_level_raised"


class Disposition(enum.StrEnum):
    FALSE_ALARM = "false_alarm"
    SENSOR_FAULT = "sensor_fault"
    CONFIRMED_FAULT = "confirmed_fault"  # a repair follows; the note says which
    ACCIDENT = "accident"
    OTHER = "other"


# A disposition that needs words: what will be repaired, or what "other" means.
NOTE_REQUIRED: Final = frozenset({Disposition.CONFIRMED_FAULT, Disposition.OTHER})
MAX_TEXT: Final = 4000
MAX_ASSIGNEE: Final = 200

_ALLOWED_FROM: Final[dict[StepKind, frozenset[CaseState]]] = {
    StepKind.ACKNOWLEDGED: frozenset({CaseState.OPEN}),
    StepKind.ASSIGNED: frozenset({CaseState.ACKNOWLEDGED, CaseState.ASSIGNED}),
    StepKind.DISPOSED: frozenset({CaseState.ACKNOWLEDGED, CaseState.ASSIGNED}),
    StepKind.REOPENED: frozenset({CaseState.DISPOSED}),
}


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    event_id: str
    vin: str
    level: int  # the alarm's level when the case opened (raised with the alarm)
    state: CaseState
    opened_at: datetime
    confirm_due: datetime
    dispose_due: datetime
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    assignee: str | None = None
    assigned_at: datetime | None = None
    disposed_at: datetime | None = None
    disposed_by: str | None = None
    disposition: Disposition | None = None
    ack_escalations: int = 0
    last_escalated_at: datetime | None = None
    dispose_escalated: bool = False
    reopen_count: int = 0


@dataclass(frozen=True, slots=True)
class Step:
    """One recorded step: who did what when (the audit trail of the case itself)."""

    kind: StepKind
    actor: str
    at: datetime
    comment: str | None = None
    assignee: str | None = None
    disposition: Disposition | None = None


def _text(value: str | None, field: str, *, required: bool = False,
          limit: int = MAX_TEXT) -> str | None:
    cleaned = None if value is None else value.strip() or None
    if cleaned is None and required:
        raise InvalidArgument(f"{field} is required here", field=field, reason="required")
    if cleaned is not None and len(cleaned) > limit:
        raise InvalidArgument(f"{field} is longer than {limit} characters", field=field,
                              reason="too_long")
    return cleaned


def _check(case: Case, kind: StepKind) -> None:
    allowed = _ALLOWED_FROM.get(kind)
    if allowed is not None and case.state not in allowed:
        raise IllegalTransition(f"cannot {kind.value.removesuffix('ed')} a case that is "
                                f"{case.state.value}", field="case_id")


def acknowledge(case: Case, actor: str, at: datetime,
                comment: str | None = None) -> tuple[Case, Step]:
    _check(case, StepKind.ACKNOWLEDGED)
    note = _text(comment, "comment")
    return (replace(case, state=CaseState.ACKNOWLEDGED, acknowledged_at=at, acknowledged_by=actor),
            Step(StepKind.ACKNOWLEDGED, actor, at, note))


def assign(case: Case, actor: str, at: datetime, assignee: str,
           comment: str | None = None) -> tuple[Case, Step]:
    _check(case, StepKind.ASSIGNED)
    who = _text(assignee, "assignee", required=True, limit=MAX_ASSIGNEE)
    note = _text(comment, "comment")
    return (replace(case, state=CaseState.ASSIGNED, assignee=who, assigned_at=at),
            Step(StepKind.ASSIGNED, actor, at, note, assignee=who))


def comment(case: Case, actor: str, at: datetime, text: str) -> Step:
    return Step(StepKind.COMMENTED, actor, at, _text(text, "comment", required=True))


def dispose(case: Case, actor: str, at: datetime, disposition: Disposition,
            note: str | None = None) -> tuple[Case, Step]:
    _check(case, StepKind.DISPOSED)
    words = _text(note, "comment", required=disposition in NOTE_REQUIRED)
    return (replace(case, state=CaseState.DISPOSED, disposed_at=at, disposed_by=actor,
                    disposition=disposition),
            Step(StepKind.DISPOSED, actor, at, words, disposition=disposition))


def reopen(case: Case, actor: str, at: datetime, reason: str) -> tuple[Case, Step]:
    _check(case, StepKind.REOPENED)
    why = _text(reason, "comment", required=True)
    state = CaseState.ASSIGNED if case.assignee is not None else CaseState.ACKNOWLEDGED
    return (replace(case, state=state, disposed_at=None, disposed_by=None, disposition=None,
                    reopen_count=case.reopen_count + 1),
            Step(StepKind.REOPENED, actor, at, why))
