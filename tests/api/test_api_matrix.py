"""The role x operation matrix, generated from the schema's declared permissions: every root
field, every role (and an anonymous caller) is either let through or refused with FORBIDDEN
(UNAUTHENTICATED without a session). "Let through" means the error, if any, is about the
placeholder arguments, never about access. Nested fields with a permission of their own
(``vehicle.model``, ``vehicle.latestState``, ``fleetOverview.byModel.model``,
``tenant.vehicleCount``, ...) are run under a real vehicle and the real tenant A, so that the
parent lets every role with its permission through to them."""

from __future__ import annotations

import pytest
from api_support import ALL_SCOPES, ApiWorld, RecordingSink, codes, gql
from fleet_api_support import register
from schema_walk import Operation, operations

from backend.core.access import PROVIDER_ROLES, TENANT_USER_ROLES, Principal, Role, allowed

pytestmark = pytest.mark.services

ACCESS_CODES = {"FORBIDDEN", "UNAUTHENTICATED"}


def _expected(role: Role, tenant: str | None, operation: Operation) -> bool:
    scopes = frozenset(ALL_SCOPES) if role is Role.API_CLIENT else None
    principal = Principal(f"probe:{role.value}", role, tenant, scopes)
    needed = [operation.requires.permission]
    if operation.parent is not None:
        needed.append(operation.parent.requires.permission)
    return all(permission is None or allowed(principal, permission, tenant=tenant)
               for permission in needed)


async def test_role_operation_matrix(world: ApiWorld, sink: RecordingSink) -> None:
    places = [(role, None) for role in sorted(PROVIDER_ROLES)] + \
        [(role, world.tenant_a) for role in sorted(TENANT_USER_ROLES)] + \
        [(Role.API_CLIENT, world.tenant_a)]
    [vin] = await register(world, world.actor(Role.TENANT_ADMIN, world.tenant_a), 1)
    mismatches: list[str] = []
    checked = 0
    nested = []
    for operation in operations():
        # Only nested fields get the real slug: their parents are reads (suspendTenant is not).
        values = {"vin": vin} if operation.parent is None else {"vin": vin,
                                                                  "slug": world.tenant_a}
        nested += [operation.label] if operation.parent is not None else []
        document = operation.document(values)
        anonymous = await gql(world.client, document)
        if codes(anonymous) != ["UNAUTHENTICATED"]:
            mismatches.append(f"anonymous {operation.label}: {codes(anonymous)}")
        for role, tenant in places:
            actor = world.actor(role, tenant)
            body = await gql(world.client, document, headers=actor.headers)
            expected = _expected(role, tenant, operation)
            got = codes(body)
            if expected and ACCESS_CODES & set(got):
                mismatches.append(f"{role.value} {operation.label}: refused {body['errors']}")
            if not expected and got != ["FORBIDDEN"]:
                mismatches.append(f"{role.value} {operation.label}: expected FORBIDDEN, {got}")
            checked += 1
    assert not mismatches, "\n".join(mismatches)
    assert checked > 100
    assert {"vehicle.model", "vehicle.latestState", "fleetOverview.byModel.model",
            "tenant.vehicleCount", "vehicle.history"} <= set(nested)
    denials = [e for e in sink.events if e.outcome == "denied"]
    assert denials and all(e.request_id and e.operation for e in denials)
