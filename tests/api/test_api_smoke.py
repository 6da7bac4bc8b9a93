"""First light: the app answers health, JWKS and a signed-in query."""

from __future__ import annotations

import httpx2
import pytest
from api_support import ApiWorld, gql

from backend.core.access import Role

pytestmark = pytest.mark.services


async def test_health_and_jwks(client: httpx2.AsyncClient, world: ApiWorld) -> None:
    health = await client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "postgres": True, "redis": True}
    keys = (await client.get("/.well-known/jwks.json")).json()["keys"]
    assert keys and all(key["kty"] == "EC" and key["crv"] == "P-256" for key in keys)


async def test_me(world: ApiWorld) -> None:
    admin = world.actor(Role.TENANT_ADMIN, world.tenant_a)
    body = await gql(world.client, "{ me { subject role tenant } }", headers=admin.headers)
    assert body == {"data": {"me": {"subject": f"user:{admin.user_id}", "role": "TENANT_ADMIN",
                                    "tenant": world.tenant_a}}}
