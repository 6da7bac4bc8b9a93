"""The audit log and the security alerts it raises (docs/audit.md).

Tenant admins read their tenant's slice (`auditLog`, `securityAlerts`, permission audit:read);
provider admins read the whole platform (`platformAuditLog`, `platformSecurityAlerts`,
platform_audit:read) and may narrow it to one tenant with the filter. Pages go from the newest
entry backwards: pass `nextBefore` as `before` for the older page.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from backend.api.errors import ApiError, Code
from backend.api.graphql.context import Info
from backend.api.graphql.permissions import requires, requires_mutation
from backend.core.access import Permission as P
from backend.core.audit import ActorKind, ChainedEntry, Result
from backend.services import audit

PAGE_MAX = 500

AuditResult = strawberry.enum(Result, name="AuditResult")
AuditActorKind = strawberry.enum(ActorKind, name="AuditActorKind")


@strawberry.type
class AuditEntryNode:
    seq: int = strawberry.field(description="Position in the hash chain.")
    at: datetime
    actor_kind: AuditActorKind  # type: ignore[valid-type]
    actor_id: str
    actor_tenant: str | None
    role: str | None
    tenant: str | None = strawberry.field(description="The tenant acted in (null: platform).")
    operation: str
    result: AuditResult  # type: ignore[valid-type]
    targets: list[str]
    ip: str | None
    user_agent: str | None
    request_id: str | None
    details: JSON
    hash: str = strawberry.field(description="This entry's chain hash (hex).")


@strawberry.type
class AuditLogPage:
    items: list[AuditEntryNode]
    next_before: int | None = strawberry.field(
        description="Pass as `before` for the next (older) page; null at the end.")


@strawberry.input
class AuditLogFilter:
    actor_id: str | None = None
    operation: str | None = None
    result: AuditResult | None = None  # type: ignore[valid-type]
    tenant: str | None = strawberry.field(
        default=None, description="Provider view only: the tenant acted in.")
    since: datetime | None = None
    until: datetime | None = None


@strawberry.type
class SecurityAlertNode:
    id: int
    kind: str = strawberry.field(
        description="brute_force, repeated_denials, cross_tenant or storage_quota.")
    tenant: str | None
    subject: str
    first_seen: datetime
    last_seen: datetime
    count: int
    details: JSON
    acknowledged: bool
    acknowledged_by: str | None


def _entry_node(chained: ChainedEntry) -> AuditEntryNode:
    entry = chained.entry
    return AuditEntryNode(
        seq=chained.seq, at=entry.at, actor_kind=entry.actor_kind, actor_id=entry.actor_id,
        actor_tenant=entry.actor_tenant, role=entry.role, tenant=entry.tenant,
        operation=entry.operation, result=entry.result, targets=list(entry.targets),
        ip=entry.ip, user_agent=entry.user_agent, request_id=entry.request_id,
        details=cast(JSON, dict(entry.details)), hash=chained.hash.hex())


def _alert_node(alert: audit.SecurityAlert) -> SecurityAlertNode:
    return SecurityAlertNode(
        id=alert.id, kind=alert.kind.value, tenant=alert.tenant, subject=alert.subject,
        first_seen=alert.first_seen, last_seen=alert.last_seen, count=alert.count,
        details=cast(JSON, alert.details), acknowledged=alert.acknowledged,
        acknowledged_by=alert.acknowledged_by)


def _checked(first: int) -> int:
    if not 1 <= first <= PAGE_MAX:
        raise ApiError(Code.BAD_USER_INPUT, f"first must be between 1 and {PAGE_MAX}",
                       {"max": PAGE_MAX})
    return first


async def _log(info: Info, where: AuditLogFilter | None, first: int,
               before: int | None, *, provider: bool) -> AuditLogPage:
    chosen = where or AuditLogFilter()
    if chosen.tenant is not None and not provider:
        raise ApiError(Code.BAD_USER_INPUT, "a tenant reads its own log: no tenant filter")
    filters = audit.AuditFilter(actor_id=chosen.actor_id, operation=chosen.operation,
                                result=None if chosen.result is None else Result(chosen.result),
                                tenant=chosen.tenant, since=chosen.since, until=chosen.until)
    context = info.context
    found = await audit.query_log(context.services.db, context.actor(), filters,
                                  limit=_checked(first), before=before)
    return AuditLogPage(items=[_entry_node(entry) for entry in found.entries],
                        next_before=found.next_before)


@strawberry.type
class AuditQuery:
    @requires(P.AUDIT_READ)
    async def audit_log(self, info: Info, where: AuditLogFilter | None = None, first: int = 100,
                        before: int | None = None) -> AuditLogPage:
        """The caller's tenant's slice of the audit log, newest first."""
        return await _log(info, where, first, before, provider=False)

    @requires(P.PLATFORM_AUDIT_READ)
    async def platform_audit_log(self, info: Info, where: AuditLogFilter | None = None,
                                 first: int = 100, before: int | None = None) -> AuditLogPage:
        """The whole platform's audit log, newest first."""
        return await _log(info, where, first, before, provider=True)

    @requires(P.AUDIT_READ)
    async def security_alerts(self, info: Info, include_acknowledged: bool = False,
                              first: int = 100) -> list[SecurityAlertNode]:
        context = info.context
        alerts = await audit.list_alerts(context.services.db, context.actor(),
                                         include_acknowledged=include_acknowledged,
                                         limit=_checked(first))
        return [_alert_node(alert) for alert in alerts]

    @requires(P.PLATFORM_AUDIT_READ)
    async def platform_security_alerts(self, info: Info, include_acknowledged: bool = False,
                                       first: int = 100) -> list[SecurityAlertNode]:
        context = info.context
        alerts = await audit.list_alerts(context.services.db, context.actor(),
                                         include_acknowledged=include_acknowledged,
                                         limit=_checked(first))
        return [_alert_node(alert) for alert in alerts]


@strawberry.type
class AuditMutation:
    @requires_mutation(P.AUDIT_READ)
    async def acknowledge_security_alert(self, info: Info, alert_id: int) -> SecurityAlertNode:
        """Mark one of the tenant's open alerts as seen (recorded in the audit log)."""
        return await _acknowledge(info, alert_id)

    @requires_mutation(P.PLATFORM_AUDIT_READ)
    async def acknowledge_platform_security_alert(self, info: Info,
                                                  alert_id: int) -> SecurityAlertNode:
        return await _acknowledge(info, alert_id)


async def _acknowledge(info: Info, alert_id: int) -> SecurityAlertNode:
    context = info.context
    alert = await audit.acknowledge_alert(context.services.db, context.actor(), alert_id)
    if alert is None:
        raise ApiError(Code.NOT_FOUND, "no such open alert")
    return _alert_node(alert)
