"""A tenant's vehicle data: vehicle models and the registry (with the CSV import), the fleet
overview, the vehicle list and one vehicle with its nested reads (docs/fleet-data.md).

Queries act in the caller's own tenant; provider staff name a tenant that granted them
support access with ``tenant`` (read-only: mutations always act in the caller's own tenant).
Another tenant's VIN or model id is NOT_FOUND, exactly like an unknown one.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.api.graphql.common import PAGE_DEFAULT, GraphPage, checked_first
from backend.api.graphql.context import Info
from backend.api.graphql.fleet_inputs import (
    VehicleChangesInput,
    VehicleFilterInput,
    VehicleInput,
    VehicleModelChangesInput,
    VehicleModelInput,
    VehicleOrderInput,
)
from backend.api.graphql.fleet_statistics import (
    FleetStatisticsNode,
    StatisticsGroupingName,
    statistics_node,
)
from backend.api.graphql.fleet_telemetry import From, To
from backend.api.graphql.fleet_types import (
    FleetOverviewNode,
    ImportReportNode,
    VehicleModelNode,
    VehicleNode,
    import_report_node,
    model_node,
    overview_node,
    vehicle_node,
)
from backend.api.graphql.permissions import requires, requires_mutation
from backend.core.access import Permission as P
from backend.core.fleet import VehicleFilter, VehicleOrder
from backend.core.fleet_statistics import StatisticsGrouping
from backend.services import fleet, fleet_statistics, vehicle_import, vehicle_models, vehicles

TenantArg = Annotated[str | None, strawberry.argument(
    description="Provider staff with a support grant: the tenant to read; others: omit.")]


def data_tenant(info: Info, tenant: str | None) -> str:
    """The tenant a query reads: the named one (its permission was checked in it), else the
    caller's own."""
    return tenant if tenant is not None else info.context.own_tenant()


@strawberry.type
class FleetQuery:
    @requires(P.VEHICLE_MODELS_READ)
    async def vehicle_models(self, info: Info,
                             tenant: TenantArg = None) -> list[VehicleModelNode]:
        context = info.context
        found = await vehicle_models.list_models(context.services.db, context.actor(),
                                                 data_tenant(info, tenant))
        return [model_node(model) for model in found]

    @requires(P.VEHICLE_MODELS_READ)
    async def vehicle_model(self, info: Info, id: int,
                            tenant: TenantArg = None) -> VehicleModelNode:
        context = info.context
        return model_node(await vehicle_models.get_model(context.services.db, context.actor(),
                                                         data_tenant(info, tenant), id))

    @requires(P.FLEET_READ)
    async def vehicles(self, info: Info, *, filter: VehicleFilterInput | None = None,
                       order_by: VehicleOrderInput | None = None, first: int = PAGE_DEFAULT,
                       after: str | None = None,
                       tenant: TenantArg = None) -> GraphPage[VehicleNode]:
        """The tenant's registered vehicles, in keyset pages: pass `nextCursor` as `after`
        with the same filter and order."""
        context = info.context
        scope = data_tenant(info, tenant)
        found = await fleet.list_vehicles(
            context.services.db, context.actor(), scope,
            filters=VehicleFilter() if filter is None else filter.filter(),
            order=VehicleOrder() if order_by is None else order_by.order(),
            first=checked_first(first), after=after, limits=context.services.settings.data)
        return GraphPage(items=[vehicle_node(item.vehicle, scope) for item in found.items],
                         next_cursor=found.next_cursor)

    @requires(P.VEHICLES_READ)
    async def vehicle(self, info: Info, vin: str, tenant: TenantArg = None) -> VehicleNode:
        context = info.context
        scope = data_tenant(info, tenant)
        return vehicle_node(await vehicles.get_vehicle(context.services.db, context.actor(),
                                                       scope, vin), scope)

    @requires(P.FLEET_READ)
    async def fleet_overview(self, info: Info, tenant: TenantArg = None) -> FleetOverviewNode:
        context = info.context
        scope = data_tenant(info, tenant)
        return overview_node(await fleet.fleet_overview(
            context.services.db, context.actor(), scope,
            limits=context.services.settings.data), scope)

    @requires(P.FLEET_READ)
    async def fleet_statistics(
            self, info: Info, start: From, end: To,
            group_by: StatisticsGroupingName = StatisticsGrouping.DAY,  # type: ignore[valid-type]
            tenant: TenantArg = None) -> FleetStatisticsNode:
        """The fleet over [from, to) (whole Beijing days, at most 366) per day or per vehicle
        model, from the daily rollup (docs/fleet-data.md, "Fleet statistics")."""
        context = info.context
        return statistics_node(await fleet_statistics.fleet_statistics(
            context.services.db, context.actor(), data_tenant(info, tenant), start=start,
            end=end, grouping=StatisticsGrouping(group_by)))


@strawberry.type
class FleetMutation:
    @requires_mutation(P.VEHICLE_MODELS_WRITE)
    async def create_vehicle_model(self, info: Info, model: VehicleModelInput) -> VehicleModelNode:
        context = info.context
        return model_node(await vehicle_models.create_model(
            context.services.db, context.actor(), context.own_tenant(), model.spec()))

    @requires_mutation(P.VEHICLE_MODELS_WRITE)
    async def update_vehicle_model(self, info: Info, id: int,
                                   changes: VehicleModelChangesInput) -> VehicleModelNode:
        context = info.context
        return model_node(await vehicle_models.update_model(
            context.services.db, context.actor(), context.own_tenant(), id, changes.changes()))

    @requires_mutation(P.VEHICLES_WRITE)
    async def create_vehicle(self, info: Info, vehicle: VehicleInput) -> VehicleNode:
        context = info.context
        tenant = context.own_tenant()
        return vehicle_node(await vehicles.create_vehicle(
            context.services.db, context.actor(), tenant, vehicle.spec()), tenant)

    @requires_mutation(P.VEHICLES_WRITE)
    async def update_vehicle(self, info: Info, vin: str,
                             changes: VehicleChangesInput) -> VehicleNode:
        context = info.context
        tenant = context.own_tenant()
        return vehicle_node(await vehicles.update_vehicle(
            context.services.db, context.actor(), tenant, vin, changes.changes()), tenant)

    @requires_mutation(P.VEHICLES_IMPORT)
    async def import_vehicles(self, info: Info, csv: str, dry_run: bool = False
                              ) -> ImportReportNode:
        """Registers or updates the vehicles of a CSV file (docs/fleet-data.md, "CSV
        import"); every faulty row is reported with its row number, field and code, the
        valid rows are written. `dryRun` checks and counts without writing."""
        context = info.context
        return import_report_node(await vehicle_import.import_vehicles(
            context.services.db, context.actor(), context.own_tenant(), csv.encode("utf-8"),
            dry_run=dry_run,
            limits=context.services.settings.data))
