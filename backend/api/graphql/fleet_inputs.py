"""Input types of the fleet part and their translation into the services' specs, changes and
filters. In a changes input an omitted field is left alone and null clears it (where the
field may be empty), as in backend/core/vehicles.py."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from backend.api.graphql.fleet_types import ChemistryName, SortKeyName, UsageTypeName
from backend.core.fleet import SortKey, VehicleFilter, VehicleOrder
from backend.core.vehicles import (
    UNSET,
    Chemistry,
    UsageType,
    VehicleChanges,
    VehicleModelChanges,
    VehicleModelSpec,
    VehicleSpec,
)


def _given(value: Any) -> Any:
    return UNSET if value is strawberry.UNSET else value


@strawberry.input
class VehicleModelInput:
    name: str
    maker: str
    battery_chemistry: ChemistryName  # type: ignore[valid-type]
    cell_count: int
    probe_count: int
    rated_capacity_kwh: float
    battery_supplier: str | None = None
    motor_supplier: str | None = None

    def spec(self) -> VehicleModelSpec:
        return VehicleModelSpec(
            name=self.name, maker=self.maker,
            battery_chemistry=Chemistry(self.battery_chemistry), cell_count=self.cell_count,
            probe_count=self.probe_count, rated_capacity_kwh=self.rated_capacity_kwh,
            battery_supplier=self.battery_supplier, motor_supplier=self.motor_supplier)


@strawberry.input
class VehicleModelChangesInput:
    name: str | None = strawberry.UNSET
    maker: str | None = strawberry.UNSET
    battery_chemistry: ChemistryName | None = strawberry.UNSET  # type: ignore[valid-type]
    cell_count: int | None = strawberry.UNSET
    probe_count: int | None = strawberry.UNSET
    rated_capacity_kwh: float | None = strawberry.UNSET
    battery_supplier: str | None = strawberry.UNSET
    motor_supplier: str | None = strawberry.UNSET

    def changes(self) -> VehicleModelChanges:
        # A required field set to null is refused by the core rules (InvalidArgument).
        return VehicleModelChanges(**{name: _given(value) for name, value in vars(self).items()})


@strawberry.input
class VehicleInput:
    vin: str
    usage_type: UsageTypeName = UsageType.PRIVATE  # type: ignore[valid-type]
    model_id: int | None = None
    sale_date: date | None = None
    production_batch: str | None = None
    battery_pack_lot: str | None = None

    def spec(self) -> VehicleSpec:
        return VehicleSpec(vin=self.vin, usage_type=UsageType(self.usage_type),
                           model_id=self.model_id, sale_date=self.sale_date,
                           production_batch=self.production_batch,
                           battery_pack_lot=self.battery_pack_lot)


@strawberry.input
class VehicleChangesInput:
    usage_type: UsageTypeName | None = strawberry.UNSET  # type: ignore[valid-type]
    model_id: int | None = strawberry.UNSET
    sale_date: date | None = strawberry.UNSET
    production_batch: str | None = strawberry.UNSET
    battery_pack_lot: str | None = strawberry.UNSET

    def changes(self) -> VehicleChanges:
        return VehicleChanges(**{name: _given(value) for name, value in vars(self).items()})


@strawberry.input
class VehicleFilterInput:
    """All given conditions must hold (docs/fleet-data.md, "Vehicle list")."""

    model_id: int | None = None
    usage_type: UsageTypeName | None = None  # type: ignore[valid-type]
    online: bool | None = None
    charging: bool | None = None
    min_alarm_level: int | None = None
    vin_prefix: str | None = None
    sale_date_from: date | None = None
    sale_date_to: date | None = None
    production_batch: str | None = None
    battery_pack_lot: str | None = None

    def filter(self) -> VehicleFilter:
        values = dict(vars(self))
        if values["usage_type"] is not None:
            values["usage_type"] = UsageType(values["usage_type"])
        return VehicleFilter(**values)


@strawberry.input
class VehicleOrderInput:
    key: SortKeyName = SortKey.VIN  # type: ignore[valid-type]
    descending: bool = False

    def order(self) -> VehicleOrder:
        return VehicleOrder(key=SortKey(self.key), descending=self.descending)
