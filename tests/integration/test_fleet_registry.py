"""Vehicle models and the tenant registry on the real PostgreSQL: writes, reads, batch reads,
tenant isolation (another tenant's VIN is not found) and who may do what."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import asyncpg
import pytest
from fleet_support import actor, model_spec, new_model, new_vin, register, two_tenants

from backend.core.access import AccessDenied, Principal, Role
from backend.core.data_errors import AlreadyExists, InvalidArgument, NotFound
from backend.core.vehicles import (
    Chemistry,
    UsageType,
    VehicleChanges,
    VehicleModelChanges,
    VehicleSpec,
)
from backend.services import support, vehicle_models, vehicles
from tests.integration.auth_support import email, make_user

pytestmark = pytest.mark.services


async def test_models_create_update_read_and_isolation(db: asyncpg.Connection,
                                                       fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    model = await vehicle_models.create_model(
        db, t.admin_a, t.a, model_spec("  Aurora 60 ", battery_supplier=" CATL ",
                                       motor_supplier=""))
    assert (model.name, model.battery_supplier, model.motor_supplier) == ("Aurora 60", "CATL",
                                                                         None)
    with pytest.raises(AlreadyExists) as taken:
        await vehicle_models.create_model(db, t.admin_a, t.a, model_spec("Aurora 60"))
    assert taken.value.field == "name"
    # Names are per tenant: B may use the same one.
    await vehicle_models.create_model(db, t.admin_b, t.b, model_spec("Aurora 60"))

    changed = await vehicle_models.update_model(
        db, t.admin_a, t.a, model.id,
        VehicleModelChanges(battery_chemistry=Chemistry.NCM, rated_capacity_kwh=70.0,
                            battery_supplier=None))
    assert (changed.name, changed.battery_chemistry, changed.rated_capacity_kwh,
            changed.battery_supplier) == ("Aurora 60", Chemistry.NCM, 70.0, None)
    assert changed.updated_at >= model.updated_at
    assert await vehicle_models.get_model(db, t.admin_a, t.a, model.id) == changed
    other = await new_model(db, t.a, t.admin_a, name="Zephyr")
    assert set(await vehicle_models.models_by_ids(db, t.admin_a, t.a, [model.id, other, 999])) \
        == {model.id, other}
    assert [m.name for m in await vehicle_models.list_models(db, t.admin_a, t.a)] == [
        "Aurora 60", "Zephyr"]
    with pytest.raises(AlreadyExists):
        await vehicle_models.update_model(db, t.admin_a, t.a, other,
                                          VehicleModelChanges(name="Aurora 60"))
    with pytest.raises(NotFound):
        await vehicle_models.update_model(db, t.admin_a, t.a, 999_999,
                                          VehicleModelChanges(maker="x"))
    # A's model ids mean nothing in B's schema, and A's admin cannot reach into B.
    with pytest.raises(NotFound):
        await vehicle_models.get_model(db, t.admin_b, t.b, other)
    with pytest.raises(AccessDenied):
        await vehicle_models.get_model(db, t.admin_a, t.b, model.id)


@pytest.mark.parametrize(("values", "field", "reason"), [
    ({"name": "  "}, "name", "required"),
    ({"name": "x" * 101}, "name", "too_long"),
    ({"maker": "a\nb"}, "maker", "invalid_text"),
    ({"battery_chemistry": "sodium"}, "battery_chemistry", "invalid_choice"),
    ({"cell_count": 0}, "cell_count", "out_of_range"),
    ({"probe_count": 65532}, "probe_count", "out_of_range"),
    ({"rated_capacity_kwh": float("nan")}, "rated_capacity_kwh", "out_of_range"),
])
async def test_model_values_are_checked(db: asyncpg.Connection, fresh_slug: str,
                                        values: dict[str, Any], field: str,
                                        reason: str) -> None:
    t = await two_tenants(db, fresh_slug)
    with pytest.raises(InvalidArgument) as refused:
        await vehicle_models.create_model(db, t.admin_a, t.a, model_spec(**values))
    assert (refused.value.field, refused.value.reason) == (field, reason)


async def test_vehicles_create_update_read_and_isolation(db: asyncpg.Connection,
                                                         fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    model_a = await new_model(db, t.a, t.admin_a)
    vin = new_vin()
    created = await vehicles.create_vehicle(
        db, t.admin_a, t.a, VehicleSpec(vin.lower(), UsageType.OPERATING, model_a,
                                        date(2024, 3, 1), " B-2024-03 ", "LOT7"))
    assert (created.vin, created.usage_type, created.model_id, created.sale_date,
            created.production_batch, created.battery_pack_lot) == (
        vin, UsageType.OPERATING, model_a, date(2024, 3, 1), "B-2024-03", "LOT7")
    for tenant, admin in ((t.a, t.admin_a), (t.b, t.admin_b)):
        # The same answer whoever holds the VIN: B learns nothing about whom.
        with pytest.raises(AlreadyExists):
            await vehicles.create_vehicle(db, admin, tenant, VehicleSpec(vin))
    with pytest.raises(InvalidArgument) as unknown_model:
        await vehicles.create_vehicle(db, t.admin_b, t.b, VehicleSpec(new_vin(), model_id=model_a))
    assert unknown_model.value.reason == "unknown_model"

    updated = await vehicles.update_vehicle(
        db, t.admin_a, t.a, vin, VehicleChanges(sale_date=None, battery_pack_lot="LOT8"))
    assert (updated.sale_date, updated.battery_pack_lot, updated.production_batch,
            updated.model_id) == (None, "LOT8", "B-2024-03", model_a)
    assert await vehicles.get_vehicle(db, t.admin_a, t.a, vin) == updated
    assert await vehicles.update_vehicle(db, t.admin_a, t.a, vin, VehicleChanges()) == updated

    with pytest.raises(NotFound):
        await vehicles.get_vehicle(db, t.admin_b, t.b, vin)
    with pytest.raises(NotFound):
        await vehicles.update_vehicle(db, t.admin_b, t.b, vin,
                                      VehicleChanges(usage_type=UsageType.PRIVATE))
    for unknown in ("not a vin", new_vin()):
        with pytest.raises(NotFound):
            await vehicles.get_vehicle(db, t.admin_a, t.a, unknown)
    assert (await vehicles.get_vehicle(db, t.admin_a, t.a, f" {vin.lower()} ")).vin == vin
    assert (await vehicles.get_vehicle(db, t.admin_a, t.a, vin)).usage_type == "operating"


async def test_who_may_read_and_write_the_registry(db: asyncpg.Connection,
                                                   fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    viewer = actor(Role.VIEWER, t.a)
    assert (await vehicles.get_vehicle(db, viewer, t.a, vin)).vin == vin
    with pytest.raises(AccessDenied):
        await vehicles.create_vehicle(db, viewer, t.a, VehicleSpec(new_vin()))
    with pytest.raises(AccessDenied):
        await vehicles.update_vehicle(db, viewer, t.a, vin, VehicleChanges(sale_date=None))
    with pytest.raises(AccessDenied):
        await vehicle_models.create_model(db, viewer, t.a, model_spec())
    reader = Principal("client:etl", Role.API_CLIENT, t.a, frozenset({"fleet:read"}))
    assert (await vehicles.get_vehicle(db, reader, t.a, vin)).vin == vin
    with pytest.raises(AccessDenied):
        await vehicles.create_vehicle(db, reader, t.a, VehicleSpec(new_vin()))
    writer = Principal("client:erp", Role.API_CLIENT, t.a, frozenset({"registry:write"}))
    await vehicles.create_vehicle(db, writer, t.a, VehicleSpec(new_vin()))
    with pytest.raises(AccessDenied):  # tenant A's client in tenant B
        await vehicles.get_vehicle(db, reader, t.b, vin)

    staff, staff_email = await make_user(db, Role.PLATFORM_OPERATOR, None)
    with pytest.raises(AccessDenied):
        await vehicles.get_vehicle(db, staff, t.a, vin)
    admin, _ = await make_user(db, Role.TENANT_ADMIN, t.a, address=email("admin"))
    await support.grant_support(db, admin, tenant=t.a, grantee_email=staff_email,
                                reason="ticket 42", duration=timedelta(hours=1))
    assert (await vehicles.get_vehicle(db, staff, t.a, vin)).vin == vin
    with pytest.raises(AccessDenied):  # a grant is read-only
        await vehicles.create_vehicle(db, staff, t.a, VehicleSpec(new_vin()))
    with pytest.raises(AccessDenied):  # and only for the granting tenant
        await vehicles.get_vehicle(db, staff, t.b, vin)
