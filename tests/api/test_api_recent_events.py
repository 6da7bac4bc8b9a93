"""``recentFleetEvents`` on the real services: the newest link events of the caller's fleet,
newest first, with the same fields as the ``fleetEvents`` subscription, a bounded limit, and
nothing of another tenant's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from api_support import ApiWorld, codes, gql
from fleet_api_support import NOW, register

from backend.core.access import Role
from backend.storage.ingest import write_batch
from tests.integration import storage_rows as rows

pytestmark = pytest.mark.services

QUERY = """query ($limit: Int) { recentFleetEvents(limit: $limit) {
    vin kind at online serial } }"""


async def test_recent_events_of_the_callers_fleet(world: ApiWorld) -> None:
    admin_a = world.actor(Role.TENANT_ADMIN, world.tenant_a)
    admin_b = world.actor(Role.TENANT_ADMIN, world.tenant_b)
    [vin_a] = await register(world, admin_a, 1)
    [vin_b] = await register(world, admin_b, 1)
    login, logout = NOW - timedelta(minutes=5), NOW - timedelta(minutes=1)
    await write_batch(world.services.db, world.tenant_a, event_rows=[
        rows.event(vin_a, login, "login", serial=3), rows.event(vin_a, logout, "logout")])
    await write_batch(world.services.db, world.tenant_b, event_rows=[
        rows.event(vin_b, logout, "login")])

    viewer = world.actor(Role.VIEWER, world.tenant_a)
    body = await gql(world.client, QUERY, {"limit": 10}, headers=viewer.headers)
    assert body["data"]["recentFleetEvents"] == [
        {"vin": vin_a, "kind": "logout", "at": logout.isoformat(), "online": False,
         "serial": None},
        {"vin": vin_a, "kind": "login", "at": login.isoformat(), "online": True, "serial": 3}]
    theirs = await gql(world.client, QUERY, {"limit": 10}, headers=admin_b.headers)
    assert [event["vin"] for event in theirs["data"]["recentFleetEvents"]] == [vin_b]
    too_many = await gql(world.client, QUERY, {"limit": 101}, headers=viewer.headers)
    assert codes(too_many) == ["BAD_USER_INPUT"]
