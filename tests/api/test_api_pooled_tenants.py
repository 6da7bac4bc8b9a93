"""Two tenants through one pooled connection: with a pool of size 1 every request of tenant A
and tenant B runs on the same PostgreSQL backend, each sees only its own rows, and after each
request (committed or rolled back) the connection is back on the default search path — the
transaction-local ``set_config`` of ``tenant_tx`` leaves nothing behind (docs/storage.md)."""

from __future__ import annotations

import httpx2
import pytest
from api_support import ApiWorld, RecordingSink, codes, gql

from backend.api.app import create_app
from backend.api.graphql.limits import QueryLimits
from backend.core.access import Principal, Role
from backend.core.vehicles import Chemistry, VehicleModelSpec
from backend.services import vehicle_models
from backend.services.runtime import Services, open_services
from backend.settings import Settings

pytestmark = pytest.mark.services


async def _backend(services: Services) -> tuple[int, str]:
    """The pid and search path of the pool's only connection, between requests."""
    async with services.db.acquire() as conn:
        return await conn.fetchval("SELECT pg_backend_pid()"), \
            await conn.fetchval("SELECT current_setting('search_path')")


async def test_one_pooled_connection_serves_two_tenants_without_leaking(
        settings: Settings) -> None:
    async with open_services(settings, pool_size=1) as services:
        app = create_app(settings, services, audit=RecordingSink(), limits=QueryLimits())
        async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app),
                                     base_url="https://api.test") as client:
            pid, default_path = await _backend(services)
            world = await ApiWorld.build(services, client)
            own_model = {world.tenant_a: "A-only model", world.tenant_b: "B-only model"}
            for tenant, name in own_model.items():
                admin = world.actor(Role.TENANT_ADMIN, tenant)
                await vehicle_models.create_model(
                    services.db, Principal(f"user:{admin.user_id}", Role.TENANT_ADMIN, tenant),
                    tenant, VehicleModelSpec(name=name, maker="NEVGuard test",
                                             battery_chemistry=Chemistry.LFP, cell_count=96,
                                             probe_count=16, rated_capacity_kwh=60.0))
            assert await _backend(services) == (pid, default_path)

            for _ in range(2):  # A, B, A, B on the one connection
                for tenant, name in own_model.items():
                    actor = world.actor(Role.ANALYST, tenant)
                    body = await gql(client, "{ vehicleModels { name } }",
                                     headers=actor.headers)
                    assert body.get("errors") is None, body
                    assert [model["name"] for model in body["data"]["vehicleModels"]] == [name]
                    assert await _backend(services) == (pid, default_path)
                    # A request that fails inside the tenant transaction rolls back the same.
                    missing = await gql(client, "{ vehicleModel(id: 999999) { name } }",
                                        headers=actor.headers)
                    assert codes(missing) == ["NOT_FOUND"]
                    assert await _backend(services) == (pid, default_path)
