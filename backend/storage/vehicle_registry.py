"""One tenant's rows of the shared registry ``nevguard.vehicles``: every statement names the
tenant by slug, so a VIN of another tenant is never read, changed or counted here.

The gateway's routing reads live in backend/storage/registry.py; this module serves the
tenant-facing registry (create, update, read, bulk import). Call inside ``tenant_tx``: the
model ids written here are checked against the tenant's ``vehicle_models`` in the same
transaction by backend/services.
"""

# ruff: noqa: S608 - column names come from the constants here; values are bound.
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import asyncpg

from backend.core.vehicles import UsageType, Vehicle, VehicleSpec
from backend.storage.db import Conn, registry_vins

DETAIL_COLUMNS: Final = ("usage_type", "model_id", "sale_date", "production_batch",
                         "battery_pack_lot")
_TENANT_ID: Final = "(SELECT id FROM nevguard.tenants WHERE slug = $1)"
VEHICLE_FIELDS: Final = (
    "v.vin::text AS vin, v.usage_type, v.model_id, v.sale_date, v.production_batch, "
    "v.battery_pack_lot, v.created_at, v.updated_at")
_SELECT: Final = (f"SELECT {VEHICLE_FIELDS} FROM nevguard.vehicles AS v"
                  f" WHERE v.tenant_id = {_TENANT_ID}")


def vehicle_of(row: asyncpg.Record) -> Vehicle:
    return Vehicle(vin=row["vin"], usage_type=UsageType(row["usage_type"]),
                   model_id=row["model_id"], sale_date=row["sale_date"],
                   production_batch=row["production_batch"],
                   battery_pack_lot=row["battery_pack_lot"], created_at=row["created_at"],
                   updated_at=row["updated_at"])


async def insert_vehicle(conn: Conn, tenant: str, spec: VehicleSpec) -> Vehicle | None:
    """Register a new VIN; None when the VIN is registered already (to anyone)."""
    row = await conn.fetchrow(
        f"""INSERT INTO nevguard.vehicles (vin, tenant_id, {", ".join(DETAIL_COLUMNS)})
            VALUES ($2, {_TENANT_ID}, $3, $4, $5, $6, $7)
            ON CONFLICT (vin) DO NOTHING RETURNING vin""",
        tenant, spec.vin, spec.usage_type.value, spec.model_id, spec.sale_date,
        spec.production_batch, spec.battery_pack_lot)
    if row is None:
        return None
    return (await vehicles_by_vins(conn, tenant, [spec.vin]))[0]


async def update_vehicle(conn: Conn, tenant: str, vin: str,
                         changes: Mapping[str, Any]) -> Vehicle | None:
    """Apply cleaned ``changes`` (a subset of DETAIL_COLUMNS) to one of the tenant's
    vehicles; None when the tenant has no such VIN."""
    unknown = set(changes) - set(DETAIL_COLUMNS)
    if unknown:
        raise ValueError(f"not a registry column: {sorted(unknown)}")
    names = list(changes)
    if not names:
        found = await vehicles_by_vins(conn, tenant, [vin])
        return found[0] if found else None
    values = [changes[name].value if name == "usage_type" else changes[name] for name in names]
    assignments = "".join(f"{name} = ${index}, " for index, name in enumerate(names, 3))
    status = await conn.execute(
        f"""UPDATE nevguard.vehicles SET {assignments}updated_at = now()
             WHERE vin = $2 AND tenant_id = {_TENANT_ID}""", tenant, vin, *values)
    if status.endswith(" 0"):
        return None
    return (await vehicles_by_vins(conn, tenant, [vin]))[0]


async def vehicles_by_vins(conn: Conn, tenant: str, vins: Collection[str]) -> list[Vehicle]:
    rows = await conn.fetch(_SELECT + f" AND v.vin = ANY({registry_vins('$2')}) ORDER BY v.vin",
                            tenant, list(vins))
    return [vehicle_of(row) for row in rows]


async def is_registered(conn: Conn, tenant: str, vin: str) -> bool:
    return bool(await conn.fetchval(
        f"""SELECT EXISTS (SELECT FROM nevguard.vehicles
                            WHERE vin = $2 AND tenant_id = {_TENANT_ID})""", tenant, vin))


async def registered_elsewhere(conn: Conn, tenant: str, vins: Collection[str]) -> set[str]:
    """Which of ``vins`` another tenant has registered (the import reports them taken)."""
    rows = await conn.fetch(
        f"""SELECT vin::text AS vin FROM nevguard.vehicles
             WHERE vin = ANY({registry_vins('$2')}) AND tenant_id <> {_TENANT_ID}""",
        tenant, list(vins))
    return {row["vin"] for row in rows}


@dataclass(frozen=True, slots=True)
class UpsertResult:
    created: frozenset[str]
    updated: frozenset[str]
    refused: frozenset[str]  # registered to another tenant meanwhile


async def upsert_vehicles(conn: Conn, tenant: str, specs: Sequence[VehicleSpec],
                          columns: Collection[str]) -> UpsertResult:
    """Create the new VINs and update the tenant's existing ones in one statement. On update
    only ``columns`` (those the import file had) change; a VIN of another tenant is left
    alone and reported as refused."""
    keep = {name: name not in columns for name in DETAIL_COLUMNS}
    assignments = ", ".join(
        f"{name} = CASE WHEN ${index} THEN vehicles.{name} ELSE excluded.{name} END"
        for index, name in enumerate(DETAIL_COLUMNS, 8))
    rows = await conn.fetch(
        f"""INSERT INTO nevguard.vehicles AS vehicles (vin, tenant_id, {", ".join(DETAIL_COLUMNS)})
            SELECT s.vin, {_TENANT_ID}, s.usage_type, s.model_id, s.sale_date,
                   s.production_batch, s.battery_pack_lot
              FROM unnest($2::text[], $3::text[], $4::bigint[], $5::date[], $6::text[],
                          $7::text[]) AS s (vin, usage_type, model_id, sale_date,
                                             production_batch, battery_pack_lot)
             ORDER BY s.vin
            ON CONFLICT (vin) DO UPDATE SET {assignments}, updated_at = now()
             WHERE vehicles.tenant_id = excluded.tenant_id
            RETURNING vin::text AS vin, xmax = 0 AS created""",
        tenant, [s.vin for s in specs], [s.usage_type.value for s in specs],
        [s.model_id for s in specs], [s.sale_date for s in specs],
        [s.production_batch for s in specs], [s.battery_pack_lot for s in specs],
        *(keep[name] for name in DETAIL_COLUMNS))
    created = frozenset(row["vin"] for row in rows if row["created"])
    updated = frozenset(row["vin"] for row in rows if not row["created"])
    return UpsertResult(created, updated, frozenset(s.vin for s in specs) - created - updated)


@dataclass(frozen=True, slots=True)
class VehicleQuota:
    quota: int | None  # None: the tenant has no vehicle quota
    registered: int


async def vehicle_quota(conn: Conn, tenant: str) -> VehicleQuota:
    """The tenant's vehicle quota and how many vehicles it has. Locks the tenant's row until
    the transaction ends, so two registrations cannot both take the last place."""
    row = await conn.fetchrow(
        """SELECT t.quotas -> 'vehicles' AS quota,
                  (SELECT count(*) FROM nevguard.vehicles AS v WHERE v.tenant_id = t.id)
                      AS registered
             FROM nevguard.tenants AS t WHERE t.slug = $1 FOR UPDATE OF t""", tenant)
    if row is None:
        return VehicleQuota(None, 0)
    quota = None if row["quota"] is None else int(row["quota"])
    return VehicleQuota(quota, int(row["registered"]))
