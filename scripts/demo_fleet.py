"""Register a simulated fleet the way an OEM would: each tenant gets a vehicle model for every
simulator catalogue entry its vehicles use (battery chemistry, cells, probes, capacity), and
every VIN is registered with its model and usage type. Used by the demo seed and by the
browser tests' stack, so both show vehicles with real models."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import asyncpg

from backend.core.vehicles import Chemistry, UsageType, VehicleModelSpec, VehicleSpec
from backend.storage import registry, vehicle_models, vehicle_registry
from backend.storage.db import tenant_tx
from gateway.simulator.catalog import VehicleModel
from gateway.simulator.spec import VehicleSpec as SimulatedVehicle

MAKER = "示范车企 Demo Motors"
# What the console shows for each catalogue entry of the simulator.
MODEL_NAMES = {
    "city-mini": "城市小车 City Mini",
    "family-sedan": "家用轿车 Family Sedan",
    "long-range-sedan": "长续航轿车 Long Range",
    "suv": "纯电 SUV",
    "ride-hailing": "网约车 Ride-hailing",
    "performance-800v": "800V 高性能车",
    "city-bus": "城市公交 City Bus",
}


def model_spec(model: VehicleModel) -> VehicleModelSpec:
    return VehicleModelSpec(
        name=MODEL_NAMES.get(model.name, model.name), maker=MAKER,
        battery_chemistry=Chemistry(model.chemistry.value.lower()), cell_count=model.series_cells,
        probe_count=model.probe_count, rated_capacity_kwh=round(model.capacity_kwh, 1))


async def _model_ids(conn: asyncpg.Connection, tenant: str,
                     models: set[VehicleModel]) -> dict[str, int]:
    """Catalogue name -> the tenant's model id; models kept from an earlier run are reused."""
    specs = {model.name: model_spec(model) for model in models}
    async with tenant_tx(conn, tenant) as tx:
        found = await vehicle_models.model_ids_by_name(tx, [s.name for s in specs.values()])
        for spec in specs.values():
            if spec.name not in found:
                found[spec.name] = (await vehicle_models.insert_model(tx, spec)).id
    return {name: found[spec.name] for name, spec in specs.items()}


async def register_fleet(conn: asyncpg.Connection, fleet: Sequence[SimulatedVehicle],
                         tenant_for: Callable[[int], str]) -> dict[str, list[str]]:
    """Every vehicle of ``fleet`` in ``tenant_for(its index)``; the VINs of each tenant."""
    by_tenant: dict[str, list[SimulatedVehicle]] = defaultdict(list)
    for index, vehicle in enumerate(fleet):
        by_tenant[tenant_for(index)].append(vehicle)
    for tenant, vehicles in by_tenant.items():
        ids = await _model_ids(conn, tenant, {vehicle.model for vehicle in vehicles})
        for vehicle in vehicles:
            await registry.add_vehicle(conn, vehicle.vin, tenant, model=vehicle.model.name,
                                       usage_type=vehicle.routine.usage.value)
        await vehicle_registry.upsert_vehicles(
            conn, tenant,
            [VehicleSpec(vehicle.vin, UsageType(vehicle.routine.usage.value),
                         ids[vehicle.model.name]) for vehicle in vehicles],
            columns={"model_id"})
    return {tenant: [vehicle.vin for vehicle in vehicles]
            for tenant, vehicles in by_tenant.items()}
