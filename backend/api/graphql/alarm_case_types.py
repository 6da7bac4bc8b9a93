"""GraphQL types of alarm cases and the live alarm list (docs/alarms.md "Handling and
response")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from backend.api.graphql.alarms import AlarmSource
from backend.api.graphql.context import Info
from backend.api.graphql.permissions import requires
from backend.core.access import Permission as P
from backend.core.alarm_cases.escalation import confirm_breached, dispose_breached
from backend.core.alarm_cases.messages import LiveAlarm
from backend.core.alarm_cases.query import CaseDetail, CaseView, Evidence
from backend.core.alarm_cases.workflow import CaseState, Disposition, Step, StepKind
from backend.core.alarms.labels import condition_names
from backend.services import alarm_cases
from backend.services.alarm_cases import Upload

AlarmCaseState = strawberry.enum(CaseState, name="AlarmCaseState")
AlarmDisposition = strawberry.enum(Disposition, name="AlarmDisposition")
AlarmCaseStepKind = strawberry.enum(StepKind, name="AlarmCaseStepKind")


@strawberry.type(name="AlarmCase")
class AlarmCaseNode:
    id: strawberry.ID
    event_id: strawberry.ID
    vin: str
    model_id: int | None
    source: AlarmSource  # type: ignore[valid-type]
    code: str
    name_zh: str
    name_en: str
    level: int
    state: AlarmCaseState  # type: ignore[valid-type]
    alarm_open: bool = strawberry.field(description="Whether the alarm itself is still open.")
    opened_at: datetime = strawberry.field(description="When the platform opened the case.")
    confirm_due: datetime
    dispose_due: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    assignee: str | None
    assigned_at: datetime | None
    disposed_at: datetime | None
    disposed_by: str | None
    disposition: AlarmDisposition | None  # type: ignore[valid-type]
    escalations: int = strawberry.field(description="Escalations for a missing acknowledgement.")
    dispose_escalated: bool
    reopen_count: int
    confirm_breached: bool = strawberry.field(
        description="Acknowledged after confirmDue, or not yet and past it.")
    dispose_breached: bool


def case_node(view: CaseView) -> AlarmCaseNode:
    case = view.case
    now = datetime.now(UTC)
    name_zh, name_en = condition_names(view.source, view.code)
    return AlarmCaseNode(
        id=strawberry.ID(case.id), event_id=strawberry.ID(case.event_id), vin=case.vin,
        model_id=view.model_id, source=view.source, code=view.code, name_zh=name_zh,
        name_en=name_en, level=case.level, state=case.state,
        alarm_open=view.event_state == "open", opened_at=case.opened_at,
        confirm_due=case.confirm_due, dispose_due=case.dispose_due,
        acknowledged_at=case.acknowledged_at, acknowledged_by=case.acknowledged_by,
        assignee=case.assignee, assigned_at=case.assigned_at, disposed_at=case.disposed_at,
        disposed_by=case.disposed_by, disposition=case.disposition,
        escalations=case.ack_escalations, dispose_escalated=case.dispose_escalated,
        reopen_count=case.reopen_count, confirm_breached=confirm_breached(case, now),
        dispose_breached=dispose_breached(case, now))


@strawberry.type(name="AlarmCaseStep")
class AlarmCaseStepNode:
    kind: AlarmCaseStepKind  # type: ignore[valid-type]
    actor: str = strawberry.field(description="user:<id>, client:<id> or system:…")
    at: datetime
    comment: str | None
    assignee: str | None
    disposition: AlarmDisposition | None  # type: ignore[valid-type]


def step_node(step: Step) -> AlarmCaseStepNode:
    return AlarmCaseStepNode(kind=step.kind, actor=step.actor, at=step.at, comment=step.comment,
                             assignee=step.assignee, disposition=step.disposition)


@strawberry.type(name="AlarmEvidence")
class AlarmEvidenceNode:
    id: strawberry.ID
    file_name: str
    content_type: str
    added_by: str
    added_at: datetime
    _evidence: strawberry.Private[Evidence]
    tenant_scope: strawberry.Private[str]  # the tenant the case was read in

    @requires(P.ALARMS_READ, description="A presigned GET, valid for 15 minutes.")
    async def download_url(self, info: Info) -> str:
        return await alarm_cases.evidence_url(info.context.services.settings, self._evidence)


def evidence_node(evidence: Evidence, tenant: str) -> AlarmEvidenceNode:
    return AlarmEvidenceNode(id=strawberry.ID(evidence.id), file_name=evidence.file_name,
                             content_type=evidence.content_type, added_by=evidence.added_by,
                             added_at=evidence.added_at, _evidence=evidence,
                             tenant_scope=tenant)


@strawberry.type(name="AlarmCaseDetail")
class AlarmCaseDetailNode:
    case: AlarmCaseNode
    steps: list[AlarmCaseStepNode]
    evidence: list[AlarmEvidenceNode]


def detail_node(detail: CaseDetail, tenant: str) -> AlarmCaseDetailNode:
    return AlarmCaseDetailNode(case=case_node(detail.view),
                               steps=[step_node(step) for step in detail.steps],
                               evidence=[evidence_node(item, tenant)
                                         for item in detail.evidence])


@strawberry.type(name="AlarmCasePage")
class AlarmCasePageNode:
    items: list[AlarmCaseNode]
    next_cursor: str | None


@strawberry.type(name="EvidenceUpload")
class EvidenceUploadNode:
    evidence: AlarmEvidenceNode
    upload_url: str = strawberry.field(description="HTTP PUT the file here before expiresAt.")
    expires_at: datetime


def upload_node(upload: Upload, tenant: str) -> EvidenceUploadNode:
    return EvidenceUploadNode(evidence=evidence_node(upload.evidence, tenant),
                              upload_url=upload.upload_url, expires_at=upload.expires_at)


@strawberry.type(name="LiveAlarm")
class LiveAlarmNode:
    kind: str = strawberry.field(description="event (the alarm engine) or case (the workflow).")
    change: str = strawberry.field(
        description="opened, escalated, reopened, closed or a compliance flag for events; "
                    "the step kind for cases.")
    event_id: strawberry.ID
    case_id: strawberry.ID | None
    vin: str
    level: int | None
    state: str | None
    at: datetime | None
    details: JSON


def live_node(item: LiveAlarm) -> LiveAlarmNode:
    return LiveAlarmNode(kind=item.kind, change=item.change,
                         event_id=strawberry.ID(item.event_id),
                         case_id=None if item.case_id is None else strawberry.ID(item.case_id),
                         vin=item.vin, level=item.level, state=item.state, at=item.at,
                         details=cast(JSON, item.details))
