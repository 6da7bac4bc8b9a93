"""Helpers for the fleet data service tests: two tenants, principals of any role, fresh VINs
and vehicle models, and rows written through the real ingest path."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import asyncpg
import storage_rows as rows

from backend.core.access import Principal, Role
from backend.core.vehicles import Chemistry, UsageType, VehicleModelSpec, VehicleSpec
from backend.services import vehicle_models, vehicles
from backend.storage.ingest import write_batch
from backend.storage.tenants import provision_tenant


@dataclass(frozen=True)
class Tenants:
    a: str
    b: str
    admin_a: Principal
    admin_b: Principal


def actor(role: Role, tenant: str | None) -> Principal:
    """A tenant user principal; the services look a user up only for provider staff."""
    return Principal(f"user:{secrets.randbelow(10**9) + 1}", role, tenant)


async def two_tenants(db: asyncpg.Connection, slug: str) -> Tenants:
    await provision_tenant(db, slug + "a")
    await provision_tenant(db, slug + "b")
    return Tenants(slug + "a", slug + "b", actor(Role.TENANT_ADMIN, slug + "a"),
                   actor(Role.TENANT_ADMIN, slug + "b"))


def new_vin(prefix: str = "LT") -> str:
    return (prefix + secrets.token_hex(9).upper())[:17]


def model_spec(name: str | None = None, **values: Any) -> VehicleModelSpec:
    base: dict[str, Any] = {
        "name": name or f"EV {secrets.token_hex(3)}", "maker": "NEV Motors",
        "battery_chemistry": Chemistry.LFP, "cell_count": 96, "probe_count": 16,
        "rated_capacity_kwh": 60.5}
    base.update(values)
    return VehicleModelSpec(**base)


async def register(db: asyncpg.Connection, tenant: str, admin: Principal, count: int, *,
                   model_id: int | None = None, usage: UsageType = UsageType.PRIVATE,
                   prefix: str = "LT") -> list[str]:
    vins = []
    for _ in range(count):
        vehicle = await vehicles.create_vehicle(
            db, admin, tenant, VehicleSpec(new_vin(prefix), usage, model_id))
        vins.append(vehicle.vin)
    return vins


async def new_model(db: asyncpg.Connection, tenant: str, admin: Principal, **values: Any) -> int:
    return (await vehicle_models.create_model(db, admin, tenant, model_spec(**values))).id


async def state(db: asyncpg.Connection, tenant: str, vin: str, *, minutes: float = 0,
                online: bool = True, **snapshot: Any) -> None:
    """One realtime record and the latest state it leads to, written like the gateway."""
    at = rows.at(minutes)
    values = {k: v for k, v in snapshot.items() if k != "last_frame_at"}
    await write_batch(
        db, tenant, realtime_rows=[rows.realtime(vin, at, **values)],
        latest_rows=[rows.latest(vin, snapshot.get("last_frame_at", at), online=online,
                                 last_collected_at=at, **values)])
