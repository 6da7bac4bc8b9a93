"""Tenant isolation, generated from the schema: for every operation under a tenant
permission, the admin of tenant A passing tenant B's ids gets NOT_FOUND or an answer with
nothing of B in it, and B's objects are unchanged afterwards. An operation with a ``tenant``
argument runs twice: naming tenant B, and in A's own tenant with B's other ids (a VIN of B
must be NOT_FOUND by itself, not only because the tenant was refused)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from alarm_api_support import open_case
from api_support import ApiWorld, codes, gql
from fleet_api_support import create_model, register
from schema_walk import operations

from backend.core.access import TENANT_PERMISSIONS, Role
from backend.storage.security_alerts import raise_storage_alert

pytestmark = pytest.mark.services

# Arguments that carry no object id of another tenant (free text, flags, page controls).
NOT_IDS = {"first", "after", "name", "scopes", "enabled", "disabled", "role", "reason",
           "hours", "filter", "order_by", "model", "vehicle", "changes", "csv", "dry_run",
           "signals", "from", "to", "points", "aggregates", "kind", "comment", "assignee",
           "file_name", "content_type", "disposition", "settings", "rota", "channel", "limit",
           "where", "before", "include_acknowledged", "group_by"}


async def _objects_of_b(world: ApiWorld) -> dict[str, object]:
    """One object of each kind in tenant B, made through the API by B's admin."""
    admin_b = world.actor(Role.TENANT_ADMIN, world.tenant_b)
    viewer_b = world.actor(Role.VIEWER, world.tenant_b)
    invited = await gql(world.client, """mutation { inviteUser(email: "b.only@example.test",
        role: ANALYST) { invitation { id } } }""", headers=admin_b.headers)
    staff = world.actor(Role.PLATFORM_OPERATOR)
    granted = await gql(world.client, """mutation ($email: String!) { grantSupport(
        email: $email, reason: "isolation test", hours: 2) { id } }""",
                        {"email": staff.email}, headers=admin_b.headers)
    # Model ids count per tenant: B's third model has an id A's few models never reach.
    model_ids = [await create_model(world, admin_b, name=f"B-only {index}")
                 for index in range(3)]
    [vin] = await register(world, admin_b, 1, model_ids[-1])
    case_id = await open_case(world, world.tenant_b, vin)
    async with world.services.db.acquire() as conn:
        alert = await raise_storage_alert(conn, world.tenant_b, 80, datetime.now(UTC), {})
    return {
        "alert_id": alert.id,
        "case_id": case_id,
        "vin": vin,
        "id": model_ids[-1],
        "user_id": viewer_b.user_id,
        "invitation_id": invited["data"]["inviteUser"]["invitation"]["id"],
        "client_id": world.actor(Role.API_CLIENT, world.tenant_b).email,
        "grant_id": granted["data"]["grantSupport"]["id"],
        "tenant": world.tenant_b,
        "email": viewer_b.email,
        "model_id": model_ids[-1],
        "rule": {"code": "SOC_JUMP", "modelId": model_ids[-1], "level": 2},
    }


async def test_tenant_a_reaches_nothing_of_tenant_b(world: ApiWorld) -> None:
    ids_of_b = await _objects_of_b(world)
    markers = {world.tenant_b, str(ids_of_b["client_id"]), "b.only@example.test",
               str(ids_of_b["email"]), str(ids_of_b["vin"]), "B-only", str(ids_of_b["case_id"])}
    admin_a = world.actor(Role.TENANT_ADMIN, world.tenant_a)
    tested = []
    for operation in operations():
        if operation.requires.permission not in TENANT_PERMISSIONS:
            continue
        values = {}
        for name in operation.argument_names():
            if name in NOT_IDS:
                continue
            assert name in ids_of_b, f"{operation.label}: give tenant B an object for {name!r}"
            values[name] = ids_of_b[name]
        variants = [values]
        if "tenant" in values and len(values) > 1:
            variants.append({k: v for k, v in values.items() if k != "tenant"})
        for given in variants:
            body = await gql(world.client, operation.document(given), headers=admin_a.headers)
            got = codes(body)
            if got:
                assert got == ["NOT_FOUND"] or not given, f"{operation.label}: {body}"
            if {"vin", "id", "tenant"} & set(given):
                # B's vehicle data: a selection of __typename alone would show no marker.
                assert got == ["NOT_FOUND"], f"{operation.label} answered {body}"
            leaked = [marker for marker in markers if marker in json.dumps(body.get("data"))]
            assert not leaked, f"{operation.label} showed {leaked} of tenant B"
        tested.append(operation.label)
    assert {"users", "setUserRole", "revokeInvitation", "setApiClientEnabled",
            "revokeSupport", "vehicle", "vehicleModel", "updateVehicle", "updateVehicleModel",
            "vehicles", "fleetOverview", "vehicle.history", "vehicle.rawFrames", "alarmEvents",
            "alarmEvent", "alarmRules", "updateAlarmRule", "alarmCase", "alarmCases",
            "acknowledgeAlarmCase", "disposeAlarmCase", "reopenAlarmCase", "attachAlarmEvidence",
            "alarmCase.evidence.downloadUrl", "alarmStatistics.slaBreaches"} <= set(tested)

    admin_b = world.actor(Role.TENANT_ADMIN, world.tenant_b)
    state = (await gql(world.client, """{ users(first: 100) { items { id role disabled } }
        invitations { items { id } } apiClients { items { clientId enabled } }
        supportGrants { id revokedAt } }""", headers=admin_b.headers))["data"]
    viewer = next(u for u in state["users"]["items"] if u["id"] == ids_of_b["user_id"])
    assert viewer == {"id": ids_of_b["user_id"], "role": "VIEWER", "disabled": False}
    assert {"id": ids_of_b["invitation_id"]} in state["invitations"]["items"]
    assert {"clientId": ids_of_b["client_id"], "enabled": True} in state["apiClients"]["items"]
    assert {"id": ids_of_b["grant_id"], "revokedAt": None} in state["supportGrants"]
    fleet_b = (await gql(world.client, """query ($vin: String!, $id: Int!) {
        vehicle(vin: $vin) { productionBatch modelId } vehicleModel(id: $id) { name maker } }""",
                         {"vin": ids_of_b["vin"], "id": ids_of_b["id"]},
                         headers=admin_b.headers))["data"]
    case_b = await gql(world.client, """query ($id: ID!) { alarmCase(caseId: $id) {
        case { state } steps { kind } evidence { id } } }""", {"id": ids_of_b["case_id"]},
                       headers=admin_b.headers)
    assert case_b["data"]["alarmCase"] == {"case": {"state": "OPEN"},
                                           "steps": [{"kind": "OPENED"}], "evidence": []}
    alerts_b = (await gql(world.client, "{ securityAlerts { id acknowledged } }",
                          headers=admin_b.headers))["data"]["securityAlerts"]
    assert {"id": ids_of_b["alert_id"], "acknowledged": False} in alerts_b
    assert fleet_b == {"vehicle": {"productionBatch": None, "modelId": ids_of_b["id"]},
                       "vehicleModel": {"name": "B-only 2", "maker": "NEV Motors"}}
