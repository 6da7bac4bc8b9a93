"""Audit use cases: recording events for the other services and the API's audit sink, reading
the log and the alerts with the reader's rights, verification, pruning and alert evaluation.

Reads take the principal explicitly: provider staff with ``platform_audit:read`` see the whole
platform; a tenant actor with ``audit:read`` sees the entries visible to its tenant
(AuditEntry.visible_to). Recording is not permission-checked: every actor's actions are
recorded, denials included. Each append is its own short transaction (see storage/audit.py),
so call ``record`` after, not inside, the transaction of the work it describes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from backend.core.access import Permission, Principal, check, is_provider_role
from backend.core.audit import (
    ActorKind,
    AuditEntry,
    ChainedEntry,
    JsonValue,
    Result,
)
from backend.core.security_alerts import AlertThresholds, evaluate
from backend.storage import audit as audit_store
from backend.storage import audit_retention
from backend.storage import security_alerts as alert_store
from backend.storage.audit import ALL_TENANTS, AuditFilter, AuditPage
from backend.storage.audit_retention import PruneReport, VerifyReport
from backend.storage.db import Conn, Pool
from backend.storage.security_alerts import SecurityAlert

# AuditFilter and SecurityAlert are re-exported: the API uses them without importing storage.
__all__ = [
    "AuditFilter",
    "AuditPage",
    "SecurityAlert",
    "acknowledge_alert",
    "actor_of",
    "evaluate_alerts",
    "list_alerts",
    "prune",
    "query_log",
    "record",
    "record_many",
    "verify",
]

_SUBJECT_KINDS = {"user": ActorKind.USER, "client": ActorKind.CLIENT}


def actor_of(principal: Principal) -> tuple[ActorKind, str, str | None, str]:
    """(kind, id, own tenant, role) of an authenticated principal (``user:7``, ``client:x``)."""
    prefix, _, _ = principal.subject.partition(":")
    return (_SUBJECT_KINDS.get(prefix, ActorKind.SYSTEM), principal.subject, principal.tenant,
            principal.role.value)


async def record(target: Conn | Pool, *, actor_kind: ActorKind | str, actor_id: str,
                 operation: str, result: Result | str, actor_tenant: str | None = None,
                 role: str | None = None, tenant: str | None = None,
                 targets: Sequence[str] = (), ip: str | None = None,
                 user_agent: str | None = None, request_id: str | None = None,
                 details: Mapping[str, JsonValue] | None = None,
                 at: datetime | None = None) -> ChainedEntry:
    """Append one event. The keywords are the fields of the API's AuditEvent (its ``outcome``
    is ``result`` here), so a database-backed sink passes them straight through."""
    entry = AuditEntry(
        at=at or datetime.now(UTC), actor_kind=ActorKind(actor_kind), actor_id=actor_id,
        operation=operation, result=Result(result), actor_tenant=actor_tenant, role=role,
        tenant=tenant, targets=tuple(targets), ip=ip, user_agent=user_agent,
        request_id=request_id, details=dict(details or {}))
    return await audit_store.append(target, entry)


async def record_many(target: Conn | Pool, entries: Sequence[AuditEntry]) -> list[ChainedEntry]:
    """Append a batch in one transaction (a buffering sink under load)."""
    return await audit_store.append_many(target, entries)


def _scope(principal: Principal) -> str:
    """The slice of the log ``principal`` may read, or AccessDenied."""
    if is_provider_role(principal.role):
        check(principal, Permission.PLATFORM_AUDIT_READ)
        return ALL_TENANTS
    check(principal, Permission.AUDIT_READ, tenant=principal.tenant)
    # check() refuses a tenant permission without a tenant, so this is the actor's own slug.
    return str(principal.tenant)


async def query_log(target: Conn | Pool, principal: Principal,
                    filters: AuditFilter | None = None, *, limit: int = 100,
                    before: int | None = None) -> AuditPage:
    scope = _scope(principal)
    if isinstance(target, Pool):
        async with target.acquire() as conn:
            return await audit_store.query(conn, scope, filters or AuditFilter(), limit=limit,
                                           before=before)
    return await audit_store.query(target, scope, filters or AuditFilter(), limit=limit,
                                   before=before)


async def list_alerts(target: Conn | Pool, principal: Principal, *,
                      include_acknowledged: bool = False,
                      limit: int = 100) -> list[SecurityAlert]:
    scope = _scope(principal)
    if isinstance(target, Pool):
        async with target.acquire() as conn:
            return await alert_store.list_alerts(conn, scope, limit=limit,
                                                 include_acknowledged=include_acknowledged)
    return await alert_store.list_alerts(target, scope, limit=limit,
                                         include_acknowledged=include_acknowledged)


async def acknowledge_alert(target: Conn | Pool, principal: Principal,
                            alert_id: int) -> SecurityAlert | None:
    """Acknowledging is part of reading the alerts (the same permission); it is recorded."""
    scope = _scope(principal)
    if isinstance(target, Pool):
        async with target.acquire() as conn:
            alert = await alert_store.acknowledge(conn, alert_id, scope, principal.subject)
    else:
        alert = await alert_store.acknowledge(target, alert_id, scope, principal.subject)
    kind, actor_id, actor_tenant, role = actor_of(principal)
    await record(target, actor_kind=kind, actor_id=actor_id, actor_tenant=actor_tenant,
                 role=role, tenant=actor_tenant, operation="security_alert.acknowledge",
                 result=Result.OK if alert is not None else Result.FAILED,
                 targets=(str(alert_id),))
    return alert


async def evaluate_alerts(conn: Conn, thresholds: AlertThresholds, *,
                          now: datetime | None = None) -> list[SecurityAlert]:
    """Run the rules over the recent log and record what they find (idempotent: run it as
    often as wanted, e.g. every minute from a worker)."""
    since = (now or datetime.now(UTC)) - thresholds.lookback
    entries = await alert_store.entries_for_rules(conn, since)
    return await alert_store.upsert_findings(conn, evaluate(entries, thresholds))


async def verify(conn: Conn, *, from_seq: int | None = None,
                 to_seq: int | None = None) -> VerifyReport:
    return await audit_retention.verify(conn, from_seq=from_seq, to_seq=to_seq)


async def prune(conn: Conn, *, older_than: timedelta, retention: timedelta,
                actor_id: str, at: datetime | None = None) -> PruneReport:
    """Prune past ``older_than``, which may not undercut the configured ``retention``."""
    return await audit_retention.prune(conn, older_than=older_than, actor_id=actor_id,
                                       at=at or datetime.now(UTC), retention=retention)
