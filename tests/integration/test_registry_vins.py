"""Batch reads by VIN compare in the registry's own char(17) type (so its primary key serves
them) and never let a longer string match the VIN it starts with."""

from __future__ import annotations

import asyncpg
import pytest
from fleet_support import register, two_tenants

from backend.storage import registry, vehicle_registry
from backend.storage.db import registry_vins

pytestmark = pytest.mark.services


async def test_only_whole_vins_match(db: asyncpg.Connection, fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.b, t.admin_b, 1)
    assert await vehicle_registry.registered_elsewhere(db, t.a, [vin, "junk"]) == {vin}
    assert await vehicle_registry.registered_elsewhere(db, t.a, [vin + "X", vin[:16]]) == set()
    assert [route.vin for route in await registry.vehicle_routes(db, [vin + "0", vin])] == [vin]


async def test_the_registry_primary_key_serves_the_lookup(db: asyncpg.Connection) -> None:
    await db.execute("SET enable_seqscan = off")
    try:
        rows = await db.fetch(
            "EXPLAIN SELECT 1 FROM nevguard.vehicles AS v"
            f" WHERE v.vin = ANY({registry_vins('$1')})",
            ["LNBSCB3F5JW000001"])
        plan = "\n".join(row[0] for row in rows)
    finally:
        await db.execute("RESET enable_seqscan")
    assert "vehicles_pkey" in plan


def test_only_query_parameters_are_taken() -> None:
    assert registry_vins("$12").startswith("ARRAY(SELECT item::char(17) FROM unnest($12::text[])")
    for bad in ("vins", "$", "$1; DROP TABLE x", "1"):
        with pytest.raises(ValueError, match="not a query parameter"):
            registry_vins(bad)
