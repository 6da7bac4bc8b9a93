"""The provider's vehicle quota is enforced, not only stored: createVehicle, importVehicles
(dry run included) and the upload refuse what would pass it, with the limit named, and
updates of registered vehicles still pass; removing the quota lifts the limit."""

from __future__ import annotations

import pytest
from api_support import ApiWorld, codes, gql
from fleet_api_support import new_vin, register

from backend.core.access import Role

pytestmark = pytest.mark.services
QUOTA = """mutation ($slug: String!, $vehicles: Int) {
    setTenantQuotas(slug: $slug, quotas: {vehicles: $vehicles}) { quotas { vehicles } } }"""
IMPORT = """mutation ($csv: String!, $dry: Boolean!) { importVehicles(csv: $csv, dryRun: $dry) {
    created updated errors { code } } }"""


async def test_the_vehicle_quota_refuses_what_would_pass_it(world: ApiWorld) -> None:
    admin = world.actor(Role.TENANT_ADMIN, world.tenant_a)
    provider = world.actor(Role.PLATFORM_ADMIN)
    registered = await register(world, admin, 2)
    set_quota = await gql(world.client, QUOTA, {"slug": world.tenant_a, "vehicles": 3},
                          headers=provider.headers)
    assert set_quota["data"]["setTenantQuotas"]["quotas"] == {"vehicles": 3}

    created = await gql(world.client, """mutation ($vin: String!) { createVehicle(
        vehicle: {vin: $vin}) { vin } }""", {"vin": new_vin()}, headers=admin.headers)
    assert not created.get("errors"), created
    refused = await gql(world.client, """mutation ($vin: String!) { createVehicle(
        vehicle: {vin: $vin}) { vin } }""", {"vin": new_vin()}, headers=admin.headers)
    assert codes(refused) == ["BAD_USER_INPUT"]
    assert "vehicles_quota = 3" in refused["errors"][0]["message"]

    # Updating registered vehicles takes no place; one new VIN in the file refuses it whole.
    updates = "vin,production_batch\n" + "\n".join(f"{vin},Q-1" for vin in registered)
    for dry in (True, False):
        body = await gql(world.client, IMPORT, {"csv": updates, "dry": dry},
                         headers=admin.headers)
        assert body["data"]["importVehicles"]["updated"] == registered, body
        over = await gql(world.client, IMPORT, {"csv": f"{updates}\n{new_vin()},Q-1",
                                                "dry": dry}, headers=admin.headers)
        assert codes(over) == ["BAD_USER_INPUT"], over
    upload = await world.client.post("/vehicles/import", content=f"vin\n{new_vin()}\n".encode(),
                                     headers={**admin.headers, "Content-Type": "text/csv"})
    assert (upload.status_code, upload.json()["error"]["code"]) == (400, "BAD_USER_INPUT")

    # Tenant B has no quota of A's; lifting A's quota lets A register again.
    await register(world, world.actor(Role.TENANT_ADMIN, world.tenant_b), 2)
    await gql(world.client, QUOTA, {"slug": world.tenant_a, "vehicles": None},
              headers=provider.headers)
    await register(world, admin, 1)
