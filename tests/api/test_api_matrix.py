"""The role x operation matrix, generated from the schema's declared permissions: every root
field, every role (and an anonymous caller) is either let through or refused with FORBIDDEN
(UNAUTHENTICATED without a session). "Let through" means the error, if any, is about the
placeholder arguments, never about access."""

from __future__ import annotations

import pytest
from api_support import ALL_SCOPES, ApiWorld, RecordingSink, codes, gql
from schema_walk import operations

from backend.core.access import PROVIDER_ROLES, TENANT_USER_ROLES, Principal, Role, allowed

pytestmark = pytest.mark.services

ACCESS_CODES = {"FORBIDDEN", "UNAUTHENTICATED"}


def _expected(role: Role, tenant: str | None, operation_permission: object) -> bool:
    scopes = frozenset(ALL_SCOPES) if role is Role.API_CLIENT else None
    principal = Principal(f"probe:{role.value}", role, tenant, scopes)
    if operation_permission is None:
        return True
    return allowed(principal, operation_permission, tenant=tenant)  # type: ignore[arg-type]


async def test_role_operation_matrix(world: ApiWorld, sink: RecordingSink) -> None:
    places = [(role, None) for role in sorted(PROVIDER_ROLES)] + \
        [(role, world.tenant_a) for role in sorted(TENANT_USER_ROLES)] + \
        [(Role.API_CLIENT, world.tenant_a)]
    mismatches: list[str] = []
    checked = 0
    for operation in operations():
        document = operation.document()
        anonymous = await gql(world.client, document)
        if codes(anonymous) != ["UNAUTHENTICATED"]:
            mismatches.append(f"anonymous {operation.name}: {codes(anonymous)}")
        for role, tenant in places:
            actor = world.actor(role, tenant)
            body = await gql(world.client, document, headers=actor.headers)
            expected = _expected(role, tenant, operation.requires.permission)
            got = codes(body)
            if expected and ACCESS_CODES & set(got):
                mismatches.append(f"{role.value} {operation.name}: refused {body['errors']}")
            if not expected and got != ["FORBIDDEN"]:
                mismatches.append(f"{role.value} {operation.name}: expected FORBIDDEN, {got}")
            checked += 1
    assert not mismatches, "\n".join(mismatches)
    assert checked > 100
    denials = [e for e in sink.events if e.outcome == "denied"]
    assert denials and all(e.request_id and e.operation for e in denials)
