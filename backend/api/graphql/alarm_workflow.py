"""The alarm response workflow over GraphQL (docs/alarms.md "Handling and response"): cases
with filters, one case with its steps and evidence, the workflow mutations, statistics and the
live alarm list.

Queries read the caller's own tenant; provider staff with a support grant name the tenant
(read-only). Mutations act in the caller's own tenant. Another tenant's case id is NOT_FOUND,
like an unknown one. Every mutation is audited by its permission extension, and the case keeps
its own record of each step with who and when.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from datetime import datetime

import strawberry

from backend.api.graphql.alarm_case_types import (
    AlarmCaseDetailNode,
    AlarmCasePageNode,
    AlarmCaseState,
    AlarmDisposition,
    EvidenceUploadNode,
    LiveAlarmNode,
    case_node,
    detail_node,
    live_node,
    upload_node,
)
from backend.api.graphql.alarm_statistics import AlarmStatisticsNode
from backend.api.graphql.alarms import TenantArg
from backend.api.graphql.context import Info
from backend.api.graphql.fleet_live import Counted, take_place
from backend.api.graphql.fleet_telemetry import From, To
from backend.api.graphql.permissions import requires, requires_mutation, requires_subscription
from backend.core.access import Permission as P
from backend.core.alarm_cases.messages import LiveAlarm
from backend.core.alarm_cases.query import CaseFilter
from backend.core.alarm_cases.workflow import CaseState, Disposition
from backend.services import alarm_cases, alarm_live, alarm_statistics
from backend.services.alarm_cases import Acting

CaseId = strawberry.ID


def _tenant(info: Info, tenant: str | None) -> str:
    return tenant if tenant is not None else info.context.own_tenant()


def _acting(info: Info) -> Acting:
    context = info.context
    return Acting(context.services.db, context.services.redis, context.actor(),
                  context.own_tenant())


@strawberry.input
class AlarmCaseFilterInput:
    vin: str | None = None
    model_id: int | None = None
    level: int | None = None
    code: str | None = strawberry.field(default=None, description="The alarm type.")
    state: AlarmCaseState | None = None  # type: ignore[valid-type]
    assignee: str | None = None
    opened_from: datetime | None = None
    opened_to: datetime | None = None


@strawberry.type
class AlarmWorkflowQuery:
    @requires(P.ALARMS_READ)
    async def alarm_cases(self, info: Info, filter: AlarmCaseFilterInput | None = None,
                          first: int | None = None, after: str | None = None,
                          tenant: TenantArg = None) -> AlarmCasePageNode:
        """Newest first (keyset pages, at most 200)."""
        given = filter or AlarmCaseFilterInput()
        context = info.context
        page = await alarm_cases.list_cases(
            context.services.db, context.actor(), _tenant(info, tenant),
            filters=CaseFilter(given.vin, given.model_id, given.level, given.code,
                               None if given.state is None else CaseState(given.state),
                               given.assignee, given.opened_from, given.opened_to),
            first=first, after=after)
        return AlarmCasePageNode(items=[case_node(view) for view in page.items],
                                 next_cursor=page.next_cursor)

    @requires(P.ALARMS_READ)
    async def alarm_case(self, info: Info, case_id: CaseId,
                         tenant: TenantArg = None) -> AlarmCaseDetailNode:
        context = info.context
        scope = _tenant(info, tenant)
        return detail_node(await alarm_cases.get_case(context.services.db, context.actor(),
                                                      scope, str(case_id)), scope)

    @requires(P.ALARMS_READ)
    async def alarm_statistics(self, info: Info, from_: From, to: To,
                               tenant: TenantArg = None) -> AlarmStatisticsNode:
        """Alarms opened in [from, to) (at most 366 days); ask for the parts you need, each
        is one query."""
        context = info.context
        return AlarmStatisticsNode(_range=alarm_statistics.statistics_range(
            context.services.db, context.actor(), _tenant(info, tenant), from_, to))


@strawberry.type
class AlarmWorkflowMutation:
    @requires_mutation(P.ALARMS_ACK)
    async def acknowledge_alarm_case(self, info: Info, case_id: CaseId,
                                     comment: str | None = None) -> AlarmCaseDetailNode:
        """Confirm the alarm was seen (stops confirmation escalations)."""
        acting = _acting(info)
        return detail_node(await alarm_cases.acknowledge(acting, str(case_id), comment=comment),
                           acting.tenant)

    @requires_mutation(P.ALARMS_ACK)
    async def assign_alarm_case(self, info: Info, case_id: CaseId, assignee: str,
                                comment: str | None = None) -> AlarmCaseDetailNode:
        acting = _acting(info)
        return detail_node(await alarm_cases.assign(acting, str(case_id), assignee=assignee,
                                                    comment=comment), acting.tenant)

    @requires_mutation(P.ALARMS_ACK)
    async def comment_alarm_case(self, info: Info, case_id: CaseId,
                                 comment: str) -> AlarmCaseDetailNode:
        acting = _acting(info)
        return detail_node(await alarm_cases.add_comment(acting, str(case_id), text=comment),
                           acting.tenant)

    @requires_mutation(P.ALARMS_ACK)
    async def attach_alarm_evidence(self, info: Info, case_id: CaseId, file_name: str,
                                    content_type: str) -> EvidenceUploadNode:
        """Record an evidence file and get a presigned URL to PUT its bytes (15 minutes)."""
        acting = _acting(info)
        upload = await alarm_cases.attach_evidence(
            acting, info.context.services.settings, str(case_id), file_name=file_name,
            content_type=content_type)
        return upload_node(upload, acting.tenant)

    @requires_mutation(P.ALARMS_DISPOSE)
    async def dispose_alarm_case(self, info: Info, case_id: CaseId,
                                 disposition: AlarmDisposition,  # type: ignore[valid-type]
                                 comment: str | None = None) -> AlarmCaseDetailNode:
        """Close the case with a disposition; confirmed faults and "other" need a comment
        (the repair, or what happened)."""
        acting = _acting(info)
        return detail_node(await alarm_cases.dispose(
            acting, str(case_id), disposition=Disposition(disposition), note=comment),
            acting.tenant)

    @requires_mutation(P.ALARMS_DISPOSE)
    async def reopen_alarm_case(self, info: Info, case_id: CaseId,
                                comment: str) -> AlarmCaseDetailNode:
        acting = _acting(info)
        return detail_node(await alarm_cases.reopen(acting, str(case_id), reason=comment),
                           acting.tenant)


@strawberry.type
class AlarmWorkflowSubscription:
    @requires_subscription(P.ALARMS_READ)
    async def alarm_events(self, info: Info,
                           tenant: TenantArg = None) -> AsyncIterator[LiveAlarmNode]:
        """The live alarm list: every event change of the alarm engine (opened, escalated,
        reopened, closed, compliance flags) and every case step, as they are committed."""
        context = info.context
        scope = _tenant(info, tenant)
        take_place(context)
        try:
            stream = await alarm_live.alarm_stream(context.services.db,
                                                   context.services.redis, context.actor(),
                                                   scope)
        except BaseException:
            context.subscriptions -= 1
            raise
        return Counted(_mapped(stream), context)


async def _mapped(stream: AsyncGenerator[LiveAlarm, None]
                  ) -> AsyncGenerator[LiveAlarmNode, None]:
    try:
        async for item in stream:
            yield live_node(item)
    finally:
        await stream.aclose()
