"""Reading the audit log and the security alerts through the API: a tenant admin gets the
tenant's slice, provider admins the platform's; pages go backwards; alerts are acknowledged
once."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import pytest
from api_support import ApiWorld, codes, gql

from backend.core.access import Role
from backend.services import audit
from backend.storage.security_alerts import raise_storage_alert

pytestmark = pytest.mark.services

LOG = """query ($where: AuditLogFilter, $first: Int!, $before: Int) {
    auditLog(where: $where, first: $first, before: $before) {
        items { seq operation tenant actorId result targets hash } nextBefore } }"""
PLATFORM_LOG = """query ($where: AuditLogFilter) {
    platformAuditLog(where: $where) { items { operation tenant } } }"""


async def _record(world: ApiWorld, operation: str, tenant: str | None, target: str) -> None:
    await audit.record(world.services.db, actor_kind="system", actor_id="system:test",
                       operation=operation, result="ok", tenant=tenant, targets=(target,))


async def test_each_reader_gets_its_slice_newest_first(world: ApiWorld) -> None:
    probe = f"probe.{secrets.token_hex(3)}"
    for index in range(3):
        await _record(world, probe, world.tenant_a, f"a-{index}")
    await _record(world, probe, world.tenant_b, "b-0")
    await _record(world, probe, None, "platform-0")
    admin_a = world.actor(Role.TENANT_ADMIN, world.tenant_a)

    first = (await gql(world.client, LOG, {"where": {"operation": probe}, "first": 2},
                       headers=admin_a.headers))["data"]["auditLog"]
    assert [item["targets"] for item in first["items"]] == [["a-2"], ["a-1"]]
    assert {item["tenant"] for item in first["items"]} == {world.tenant_a}
    assert all(len(item["hash"]) == 64 for item in first["items"])
    older = (await gql(world.client, LOG, {"where": {"operation": probe}, "first": 2,
                                           "before": first["nextBefore"]},
                       headers=admin_a.headers))["data"]["auditLog"]
    assert [item["targets"] for item in older["items"]] == [["a-0"]]
    assert older["nextBefore"] is None

    refused = await gql(world.client, LOG, {"where": {"tenant": world.tenant_b}, "first": 10},
                        headers=admin_a.headers)
    assert codes(refused) == ["BAD_USER_INPUT"]

    staff = world.actor(Role.PLATFORM_ADMIN)
    everything = (await gql(world.client, PLATFORM_LOG, {"where": {"operation": probe}},
                            headers=staff.headers))["data"]["platformAuditLog"]["items"]
    assert sorted(str(item["tenant"]) for item in everything) == sorted(
        [world.tenant_a] * 3 + [world.tenant_b, "None"])
    only_b = (await gql(world.client, PLATFORM_LOG,
                        {"where": {"operation": probe, "tenant": world.tenant_b}},
                        headers=staff.headers))["data"]["platformAuditLog"]["items"]
    assert only_b == [{"operation": probe, "tenant": world.tenant_b}]


async def test_security_alerts_are_read_and_acknowledged_in_their_scope(
        world: ApiWorld) -> None:
    async with world.services.db.acquire() as conn:
        alert = await raise_storage_alert(conn, world.tenant_a, 80, datetime.now(UTC),
                                          {"percent": 81.5})
    admin_a = world.actor(Role.TENANT_ADMIN, world.tenant_a)
    admin_b = world.actor(Role.TENANT_ADMIN, world.tenant_b)
    listing = "{ securityAlerts { id kind tenant subject acknowledged details } }"
    seen = (await gql(world.client, listing, headers=admin_a.headers))["data"]["securityAlerts"]
    assert {"id": alert.id, "kind": "storage_quota", "tenant": world.tenant_a,
            "subject": "80%", "acknowledged": False, "details": {"percent": 81.5}} in seen
    other = (await gql(world.client, listing, headers=admin_b.headers))["data"]
    assert alert.id not in [item["id"] for item in other["securityAlerts"]]

    acknowledge = """mutation ($id: Int!) { acknowledgeSecurityAlert(alertId: $id) {
        acknowledged acknowledgedBy } }"""
    by_b = await gql(world.client, acknowledge, {"id": alert.id}, headers=admin_b.headers)
    assert codes(by_b) == ["NOT_FOUND"]
    done = await gql(world.client, acknowledge, {"id": alert.id}, headers=admin_a.headers)
    assert done["data"]["acknowledgeSecurityAlert"] == {
        "acknowledged": True, "acknowledgedBy": f"user:{admin_a.user_id}"}
    again = await gql(world.client, acknowledge, {"id": alert.id}, headers=admin_a.headers)
    assert codes(again) == ["NOT_FOUND"]

    staff = world.actor(Role.PLATFORM_ADMIN)
    platform = (await gql(world.client, """{ platformSecurityAlerts(includeAcknowledged: true)
        { id acknowledged } }""", headers=staff.headers))["data"]["platformSecurityAlerts"]
    assert {"id": alert.id, "acknowledged": True} in platform
