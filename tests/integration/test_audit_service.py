"""The audit service on PostgreSQL: who may read which slice of the log, and security alerts
raised once per entry however often they are evaluated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.core.access import AccessDenied, Principal, Role
from backend.core.audit import ActorKind, Result
from backend.core.security_alerts import AlertKind, AlertThresholds
from backend.services import audit as service
from backend.storage.audit import AuditFilter
from backend.storage.errors import AuditRetentionRefused
from tests.integration.audit_support import make_entry, own_database

pytestmark = pytest.mark.services

PROVIDER = Principal("user:1", Role.PLATFORM_ADMIN, None)
OPERATOR = Principal("user:2", Role.PLATFORM_OPERATOR, None)
ACME_ADMIN = Principal("user:10", Role.TENANT_ADMIN, "acme")
ACME_VIEWER = Principal("user:11", Role.VIEWER, "acme")
BOLT_ADMIN = Principal("user:20", Role.TENANT_ADMIN, "bolt")
LIMITS = AlertThresholds(login_failures=3, ip_failures=100, login_window=timedelta(minutes=5),
                         denials=3, denial_window=timedelta(minutes=5))


async def test_readers_get_their_slice(test_database_url: str) -> None:
    async with own_database(test_database_url) as (_, conn):
        for principal, tenant in ((ACME_VIEWER, "acme"), (BOLT_ADMIN, "bolt"),
                                  (ACME_VIEWER, "bolt")):
            kind, actor_id, actor_tenant, role = service.actor_of(principal)
            await service.record(conn, actor_kind=kind, actor_id=actor_id,
                                 actor_tenant=actor_tenant, role=role, tenant=tenant,
                                 operation="vehicle.read", result="ok", ip="::1")
        await service.record(conn, actor_kind="system", actor_id="system:cli",
                             operation="tenant.create", result=Result.OK, targets=["bolt"])

        async def seen(principal: Principal) -> list[tuple[str, str | None]]:
            page = await service.query_log(conn, principal)
            return [(item.entry.actor_id, item.entry.tenant) for item in page.entries]

        assert await seen(ACME_ADMIN) == [("user:11", "bolt"), ("user:11", "acme")]
        assert await seen(BOLT_ADMIN) == [("user:20", "bolt")]
        assert len(await seen(PROVIDER)) == 4
        narrowed = await service.query_log(conn, PROVIDER, AuditFilter(tenant="bolt"))
        assert [item.entry.actor_id for item in narrowed.entries] == ["user:11", "user:20"]
        for principal in (ACME_VIEWER, OPERATOR):
            with pytest.raises(AccessDenied):
                await service.query_log(conn, principal)


async def test_alerts_count_each_entry_once(test_database_url: str) -> None:
    async with own_database(test_database_url) as (_, conn):
        now = datetime.now(UTC)
        failures = [make_entry("anna@acme.example", kind=ActorKind.ANONYMOUS, actor_tenant=None,
                               tenant=None, operation="auth.login", result=Result.FAILED,
                               at=now - timedelta(seconds=30 - n)) for n in range(3)]
        await service.record_many(conn, failures)
        raised = await service.evaluate_alerts(conn, LIMITS, now=now)
        assert [(a.kind, a.subject, a.count) for a in raised] == [
            (AlertKind.BRUTE_FORCE_ACCOUNT, "anna@acme.example", 3)]
        assert await service.evaluate_alerts(conn, LIMITS, now=now) == []

        await service.record_many(conn, [failures[0]])
        moved = await service.evaluate_alerts(conn, LIMITS, now=now)
        assert [(a.id, a.count) for a in moved] == [(raised[0].id, 4)]

        acknowledged = await service.acknowledge_alert(conn, PROVIDER, raised[0].id)
        assert acknowledged is not None and acknowledged.acknowledged_by == "user:1"
        assert await service.evaluate_alerts(conn, LIMITS, now=now) == []
        await service.record_many(conn, [failures[0]])
        reopened = await service.evaluate_alerts(conn, LIMITS, now=now)
        assert len(reopened) == 1 and reopened[0].id != raised[0].id
        assert reopened[0].count == 1
        assert len(await service.list_alerts(conn, PROVIDER)) == 1
        assert len(await service.list_alerts(conn, PROVIDER, include_acknowledged=True)) == 2
        # The acknowledgement itself is in the log.
        page = await service.query_log(conn, PROVIDER,
                                       AuditFilter(operation="security_alert.acknowledge"))
        assert [item.entry.targets for item in page.entries] == [(str(raised[0].id),)]


async def test_cross_tenant_alerts_at_once_and_only_to_the_actors_tenant(
        test_database_url: str) -> None:
    async with own_database(test_database_url) as (_, conn):
        await service.record_many(conn, [
            make_entry("user:11", tenant="bolt", result=Result.DENIED),
            *(make_entry("user:12", operation="vehicle.update", result=Result.DENIED)
              for _ in range(3)),
        ])
        raised = await service.evaluate_alerts(conn, LIMITS)
        assert sorted((a.kind, a.tenant, a.subject) for a in raised) == [
            (AlertKind.CROSS_TENANT, "acme", "user:11"),
            (AlertKind.REPEATED_DENIALS, "acme", "user:12")]
        assert len(await service.list_alerts(conn, ACME_ADMIN)) == 2
        assert await service.list_alerts(conn, BOLT_ADMIN) == []
        # A tenant admin cannot acknowledge another tenant's alert.
        assert await service.acknowledge_alert(conn, BOLT_ADMIN, raised[0].id) is None


async def test_prune_respects_the_configured_retention(test_database_url: str) -> None:
    async with own_database(test_database_url) as (_, conn):
        await service.record_many(conn, [make_entry(at=datetime.now(UTC) - timedelta(days=400))])
        with pytest.raises(AuditRetentionRefused):
            await service.prune(conn, older_than=timedelta(days=200),
                                retention=timedelta(days=365), actor_id="system:test")
        report = await service.prune(conn, older_than=timedelta(days=365),
                                     retention=timedelta(days=365), actor_id="system:test")
        assert report.deleted == 1 and (await service.verify(conn)).ok
