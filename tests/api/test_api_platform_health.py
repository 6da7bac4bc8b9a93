"""platformHealth: the gateways' reports in Redis, added up per tenant, for provider staff."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest
from api_support import ApiWorld, codes, gql

from backend.core.access import Role
from backend.storage.platform_health import KEY_PREFIX, GatewayReport, TenantLoad, write_report

pytestmark = pytest.mark.services
QUERY = """{ platformHealth { tenants gateways { gateway connections spoolRecords }
             ingest { tenant connectedVehicles framesPerSecond commitLagS newestCommitAgeS } } }"""


async def test_provider_staff_see_each_gateway_and_tenant(world: ApiWorld) -> None:
    gateway = f"api-test-{secrets.token_hex(4)}"
    now = datetime.now(UTC)
    report = GatewayReport(gateway, now, 7, 12, {
        world.tenant_a: TenantLoad(4, 120, now - timedelta(seconds=1), 0.25)})
    redis = world.services.redis
    await write_report(redis, report, ttl_s=30)
    try:
        body = await gql(world.client, QUERY, headers=world.actor(Role.PLATFORM_OPERATOR).headers)
        assert body.get("errors") is None, body
        health = body["data"]["platformHealth"]
        assert {"gateway": gateway, "connections": 7, "spoolRecords": 12} in health["gateways"]
        mine = next(t for t in health["ingest"] if t["tenant"] == world.tenant_a)
        assert (mine["connectedVehicles"], mine["framesPerSecond"], mine["commitLagS"]) == (
            4, 2.0, 0.25)
        assert 0 <= mine["newestCommitAgeS"] < 60
        denied = await gql(world.client, QUERY,
                           headers=world.actor(Role.TENANT_ADMIN, world.tenant_a).headers)
        assert codes(denied) == ["FORBIDDEN"]
    finally:
        await redis.delete(KEY_PREFIX + gateway)
