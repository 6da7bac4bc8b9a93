"""Vehicle models of a tenant: create, update, read (one, many by id, all)."""

from __future__ import annotations

from collections.abc import Collection

from backend.core.access import Permission, Principal
from backend.core.data_errors import InvalidArgument, NotFound
from backend.core.vehicles import (
    VehicleModel,
    VehicleModelChanges,
    VehicleModelSpec,
    clean_model_spec,
    model_changes,
)
from backend.services.tenant_data import tenant_use_case
from backend.storage import vehicle_models as store
from backend.storage.db import Conn, Pool

P = Permission
MAX_BATCH = 1000  # ids per dataloader batch


async def create_model(db: Conn | Pool, actor: Principal, tenant: str,
                       spec: VehicleModelSpec) -> VehicleModel:
    async with tenant_use_case(db, actor, tenant, P.VEHICLE_MODELS_WRITE) as conn:
        return await store.insert_model(conn, clean_model_spec(spec))


async def update_model(db: Conn | Pool, actor: Principal, tenant: str, model_id: int,
                       changes: VehicleModelChanges) -> VehicleModel:
    async with tenant_use_case(db, actor, tenant, P.VEHICLE_MODELS_WRITE) as conn:
        model = await store.update_model(conn, model_id, model_changes(changes))
    if model is None:
        raise NotFound("no such vehicle model", field="model_id")
    return model


async def get_model(db: Conn | Pool, actor: Principal, tenant: str,
                    model_id: int) -> VehicleModel:
    found = await models_by_ids(db, actor, tenant, [model_id])
    if model_id not in found:
        raise NotFound("no such vehicle model", field="model_id")
    return found[model_id]


async def models_by_ids(db: Conn | Pool, actor: Principal, tenant: str,
                        ids: Collection[int]) -> dict[int, VehicleModel]:
    """The dataloader's batch read: the models among ``ids`` that exist, by id."""
    if len(ids) > MAX_BATCH:
        raise InvalidArgument(f"at most {MAX_BATCH} ids at once", field="ids")
    async with tenant_use_case(db, actor, tenant, P.VEHICLE_MODELS_READ) as conn:
        return {model.id: model for model in await store.models_by_ids(conn, ids)}


async def list_models(db: Conn | Pool, actor: Principal, tenant: str) -> list[VehicleModel]:
    """Every model of the tenant by name (a tenant has tens of models, not thousands)."""
    async with tenant_use_case(db, actor, tenant, P.VEHICLE_MODELS_READ) as conn:
        return await store.all_models(conn)
