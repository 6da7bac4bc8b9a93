"""The tenant's vehicle registry: register, change and read vehicles (rows of the shared
``nevguard.vehicles`` owned by the tenant, with the model ids checked against the tenant's
``vehicle_models`` in the same transaction)."""

from __future__ import annotations

from collections.abc import Collection

from backend.core.access import Permission, Principal
from backend.core.data_errors import AlreadyExists, InvalidArgument, LimitExceeded, NotFound
from backend.core.vehicles import (
    VIN,
    Vehicle,
    VehicleChanges,
    VehicleSpec,
    clean_vehicle_spec,
    clean_vin,
    vehicle_changes,
)
from backend.services.storage_usage import check_storage_quota
from backend.services.tenant_data import tenant_use_case
from backend.storage import vehicle_models, vehicle_registry
from backend.storage.db import Conn, Pool

P = Permission
MAX_BATCH = 1000  # VINs per dataloader batch


async def check_model(conn: Conn, model_id: int | None) -> None:
    if model_id is not None and not await vehicle_models.models_by_ids(conn, [model_id]):
        raise InvalidArgument("no such vehicle model", field="model_id", reason="unknown_model")


async def check_registration_quotas(conn: Conn, tenant: str, new_vehicles: int) -> None:
    """LimitExceeded (``vehicles_quota``) when ``new_vehicles`` more would pass the tenant's
    vehicle quota set by the provider (docs/api.md), or (``storage_quota``) while the tenant
    is at or over its storage quota."""
    if new_vehicles < 1:
        return
    found = await vehicle_registry.vehicle_quota(conn, tenant)
    if found.quota is not None and found.registered + new_vehicles > found.quota:
        raise LimitExceeded("vehicles_quota", found.quota,
                            f"{found.registered} vehicles are registered, {new_vehicles} more"
                            f" would pass the tenant's quota")
    await check_storage_quota(conn, tenant)


async def create_vehicle(db: Conn | Pool, actor: Principal, tenant: str,
                         spec: VehicleSpec) -> Vehicle:
    async with tenant_use_case(db, actor, tenant, P.VEHICLES_WRITE) as conn:
        cleaned = clean_vehicle_spec(spec)
        await check_model(conn, cleaned.model_id)
        await check_registration_quotas(conn, tenant, 1)
        vehicle = await vehicle_registry.insert_vehicle(conn, tenant, cleaned)
    if vehicle is None:
        raise AlreadyExists("the VIN is registered already", field="vin")
    return vehicle


async def update_vehicle(db: Conn | Pool, actor: Principal, tenant: str, vin: str,
                         changes: VehicleChanges) -> Vehicle:
    async with tenant_use_case(db, actor, tenant, P.VEHICLES_WRITE) as conn:
        cleaned_vin = clean_vin(vin)
        cleaned = vehicle_changes(changes)
        if "model_id" in cleaned:
            await check_model(conn, cleaned["model_id"])
        vehicle = await vehicle_registry.update_vehicle(conn, tenant, cleaned_vin, cleaned)
    if vehicle is None:
        raise NotFound("no such vehicle", field="vin")
    return vehicle


async def get_vehicle(db: Conn | Pool, actor: Principal, tenant: str, vin: str) -> Vehicle:
    """Another tenant's VIN is not found, like an unknown or malformed one."""
    async with tenant_use_case(db, actor, tenant, P.VEHICLES_READ) as conn:
        found = await vehicle_registry.vehicles_by_vins(conn, tenant, well_formed([vin]))
    if not found:
        raise NotFound("no such vehicle", field="vin")
    return found[0]


def well_formed(vins: Collection[str]) -> list[str]:
    """The VINs that can exist, upper-cased (batch reads skip the rest)."""
    cleaned = (vin.strip().upper() for vin in vins)
    return [vin for vin in cleaned if VIN.fullmatch(vin) is not None]
