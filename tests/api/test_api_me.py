"""``me`` answers the caller's own e-mail and display name; an API client has neither."""

from __future__ import annotations

import pytest
from api_support import ApiWorld, gql

from backend.core.access import Role
from backend.storage.identity import shared_tx

pytestmark = pytest.mark.services
ME = "{ me { subject email displayName tenant } }"


async def test_me_names_the_caller(world: ApiWorld) -> None:
    admin = world.actor(Role.TENANT_ADMIN, world.tenant_a)
    async with shared_tx(world.services.db) as conn:
        await conn.execute("UPDATE nevguard.users SET display_name = $1 WHERE id = $2",
                           "王工", admin.user_id)
    me = (await gql(world.client, ME, headers=admin.headers))["data"]["me"]
    assert me == {"subject": f"user:{admin.user_id}", "email": admin.email,
                  "displayName": "王工", "tenant": world.tenant_a}
    staff = world.actor(Role.PLATFORM_ADMIN)
    me = (await gql(world.client, ME, headers=staff.headers))["data"]["me"]
    assert (me["email"], me["tenant"]) == (staff.email, None)
    client = world.actor(Role.API_CLIENT, world.tenant_a)
    me = (await gql(world.client, ME, headers=client.headers))["data"]["me"]
    assert (me["email"], me["displayName"]) == (None, None)
