"""What the transport tells the audit log: who, tenant, role, operation, targets, outcome,
IP, user agent and request id for mutations, denials and authentication events."""

from __future__ import annotations

import pytest
from api_support import PASSWORD, ApiWorld, RecordingSink

from backend.core.access import Role

pytestmark = pytest.mark.services


async def _post(world: ApiWorld, query: str, headers: dict[str, str], request_id: str) -> None:
    await world.client.post("/graphql", json={"query": query}, headers={
        **headers, "X-Request-ID": request_id, "User-Agent": "audit-probe/1.0"})


async def test_mutations_denials_and_logins_are_recorded(world: ApiWorld,
                                                         sink: RecordingSink) -> None:
    admin = world.actor(Role.TENANT_ADMIN, world.tenant_a)
    viewer = world.actor(Role.VIEWER, world.tenant_a)
    await _post(world, 'mutation { inviteUser(email: "a@example.test", role: VIEWER) '
                '{ token } }', admin.headers, "rid-ok")
    await _post(world, "mutation { revokeInvitation(invitationId: 0) }", admin.headers,
                "rid-failed")
    await _post(world, "{ users { items { id } } }", viewer.headers, "rid-denied")
    await world.client.post("/auth/login", json={"email": viewer.email, "password": "x" * 12})
    await world.client.post("/auth/login", json={"email": viewer.email, "password": PASSWORD})

    by_request = {event.request_id: event for event in sink.events}
    done = by_request["rid-ok"]
    assert (done.operation, done.outcome, done.actor_id, done.actor_tenant, done.role,
            done.tenant) == ("Mutation.inviteUser", "ok", f"user:{admin.user_id}",
                             world.tenant_a, "tenant_admin", world.tenant_a)
    assert done.targets == ("a@example.test",)
    assert done.ip == "127.0.0.1" and done.user_agent == "audit-probe/1.0"
    failed = by_request["rid-failed"]
    assert (failed.outcome, failed.targets, failed.details) == ("failed", ("0",),
                                                               {"code": "NOT_FOUND"})
    denied = by_request["rid-denied"]
    assert (denied.operation, denied.outcome, denied.role) == ("Query.users", "denied",
                                                               "viewer")
    assert denied.details == {"reason": "role lacks the permission"}
    logins = [(e.outcome, e.actor_id) for e in sink.events if e.operation == "auth.login"]
    assert ("failed", viewer.email) in logins
    assert ("ok", f"user:{viewer.user_id}") in logins
