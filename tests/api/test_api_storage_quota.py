"""The storage quota through the API: provider staff and the tenant admin see the measured
usage, and at 100 % of the quota createVehicle, importVehicles (dry run included) and the
upload refuse new vehicles with the limit named (storage_quota), while updates of registered
vehicles pass and tenant B is untouched; raising the quota lifts the refusal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from api_support import ApiWorld, codes, gql
from fleet_api_support import new_vin, register

from backend.core.access import Role
from backend.core.storage_quota import BYTES_PER_GB
from backend.services import storage_usage

pytestmark = pytest.mark.services
QUOTA = """mutation ($slug: String!, $gb: Int) {
    setTenantQuotas(slug: $slug, quotas: {storageGb: $gb}) { quotas { storageGb } } }"""
CREATE = """mutation ($vin: String!) { createVehicle(vehicle: {vin: $vin}) { vin } }"""
IMPORT = """mutation ($csv: String!, $dry: Boolean!) { importVehicles(csv: $csv, dryRun: $dry) {
    created updated } }"""
STORAGE = "{ usedBytes quotaGb percentOfQuota registrationsRefused }"
MEASURED_AT = datetime(2024, 6, 1, 12, 41, tzinfo=UTC)


async def test_usage_is_shown_and_registrations_stop_at_the_quota(world: ApiWorld) -> None:
    admin = world.actor(Role.TENANT_ADMIN, world.tenant_a)
    provider = world.actor(Role.PLATFORM_OPERATOR)
    registered = await register(world, admin, 1)
    await gql(world.client, QUOTA, {"slug": world.tenant_a, "gb": 2},
              headers=world.actor(Role.PLATFORM_ADMIN).headers)
    # What the hourly measurement would store for a tenant holding 2.5 GB.
    await storage_usage.record_usage(world.services.db, world.tenant_a, 5 * BYTES_PER_GB // 2,
                                     MEASURED_AT)

    seen = await gql(world.client, f"""query ($slug: String!) {{ tenant(slug: $slug) {{
        storage {STORAGE} }} }}""", {"slug": world.tenant_a}, headers=provider.headers)
    shown = {"usedBytes": 2.5e9, "quotaGb": 2, "percentOfQuota": 125.0,
             "registrationsRefused": True}
    assert seen["data"]["tenant"]["storage"] == shown, seen
    own = await gql(world.client, f"{{ tenantStorage {STORAGE} }}", headers=admin.headers)
    assert own["data"]["tenantStorage"] == shown, own
    other = await gql(world.client, f"{{ tenantStorage {STORAGE} }}",
                      headers=world.actor(Role.TENANT_ADMIN, world.tenant_b).headers)
    assert other["data"]["tenantStorage"]["usedBytes"] is None

    refused = await gql(world.client, CREATE, {"vin": new_vin()}, headers=admin.headers)
    assert codes(refused) == ["BAD_USER_INPUT"]
    assert "storage_quota = 2" in refused["errors"][0]["message"]
    updates = "vin,production_batch\n" + "\n".join(f"{vin},S-1" for vin in registered)
    for dry in (True, False):
        body = await gql(world.client, IMPORT, {"csv": updates, "dry": dry},
                         headers=admin.headers)
        assert body["data"]["importVehicles"]["updated"] == registered, body
        over = await gql(world.client, IMPORT, {"csv": f"{updates}\n{new_vin()},S-1",
                                                "dry": dry}, headers=admin.headers)
        assert codes(over) == ["BAD_USER_INPUT"] and "storage_quota" in str(over), over
    upload = await world.client.post("/vehicles/import", content=f"vin\n{new_vin()}\n".encode(),
                                     headers={**admin.headers, "Content-Type": "text/csv"})
    assert (upload.status_code, upload.json()["error"]["code"]) == (400, "BAD_USER_INPUT")
    assert "storage_quota" in upload.text

    await register(world, world.actor(Role.TENANT_ADMIN, world.tenant_b), 1)
    await gql(world.client, QUOTA, {"slug": world.tenant_a, "gb": 3},
              headers=world.actor(Role.PLATFORM_ADMIN).headers)
    created = await gql(world.client, CREATE, {"vin": new_vin()}, headers=admin.headers)
    assert not created.get("errors"), created
