"""The fleet part's object types: vehicle models, vehicles with their nested reads, latest
states, the fleet overview and the import report. Built from the services' domain objects by
the functions below, so a column added to a table is never published by accident.

Nested fields that read more than their parent declare their own permission (``Requires``),
checked in the tenant the parent was read in (``tenant_scope``). ``model``, ``latestState``
and ``latestRecord`` are declared ``batched``: the rows of a page share one check per tenant,
and their reads go through the request's dataloaders, one batch per tenant for a whole page,
whose service call checks the permission again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import strawberry

from backend.api.graphql import fleet_telemetry as telemetry
from backend.api.graphql.common import GraphPage
from backend.api.graphql.context import Info
from backend.api.graphql.fleet_record_types import LatestRecordNode, record_node
from backend.api.graphql.permissions import Requires
from backend.core.access import Permission as P
from backend.core.fleet import FleetCounts, FleetOverview, LatestState, SortKey
from backend.core.vehicle_csv import RowError
from backend.core.vehicles import Chemistry, UsageType, Vehicle, VehicleModel
from backend.services.vehicle_import import ImportReport

UsageTypeName = strawberry.enum(UsageType, name="UsageType")
ChemistryName = strawberry.enum(Chemistry, name="BatteryChemistry")
SortKeyName = strawberry.enum(SortKey, name="VehicleSortKey")


@strawberry.type(name="VehicleModel")
class VehicleModelNode:
    id: int
    name: str
    maker: str
    battery_chemistry: ChemistryName  # type: ignore[valid-type]
    cell_count: int
    probe_count: int
    rated_capacity_kwh: float
    battery_supplier: str | None
    motor_supplier: str | None
    created_at: datetime
    updated_at: datetime


def model_node(model: VehicleModel) -> VehicleModelNode:
    return VehicleModelNode(
        id=model.id, name=model.name, maker=model.maker,
        battery_chemistry=model.battery_chemistry, cell_count=model.cell_count,
        probe_count=model.probe_count, rated_capacity_kwh=model.rated_capacity_kwh,
        battery_supplier=model.battery_supplier, motor_supplier=model.motor_supplier,
        created_at=model.created_at, updated_at=model.updated_at)


@strawberry.type(name="LatestState")
class LatestStateNode:
    """The newest live record's values (docs/fleet-data.md, "Fleet state")."""

    online: bool
    link_up: bool = strawberry.field(description="The stored link flag, before the timeout.")
    last_frame_at: datetime
    last_collected_at: datetime | None
    longitude_deg: float | None
    latitude_deg: float | None
    vehicle_state: int | None
    charging_state: int | None
    soc_pct: int | None
    speed_kmh: float | None
    alarm_level: int | None
    driving: bool
    charging: bool
    alarming: bool


def state_node(state: LatestState) -> LatestStateNode:
    return LatestStateNode(
        online=state.online, link_up=state.link_up, last_frame_at=state.last_frame_at,
        last_collected_at=state.last_collected_at, longitude_deg=state.longitude_deg,
        latitude_deg=state.latitude_deg, vehicle_state=state.vehicle_state,
        charging_state=state.charging_state, soc_pct=state.soc_pct, speed_kmh=state.speed_kmh,
        alarm_level=state.alarm_level, driving=state.driving, charging=state.charging,
        alarming=state.alarming)


async def _model(root: VehicleNode, info: Info) -> VehicleModelNode | None:
    if root.model_id is None:
        return None
    found = await info.context.fleet.models.load((root.tenant_scope, root.model_id))
    return None if found is None else model_node(found)


async def _latest_state(root: VehicleNode, info: Info) -> LatestStateNode | None:
    found = await info.context.fleet.latest_states.load((root.tenant_scope, root.vin))
    return None if found is None else state_node(found)


async def _latest_record(root: VehicleNode, info: Info) -> LatestRecordNode | None:
    found = await info.context.fleet.latest_records.load((root.tenant_scope, root.vin))
    return None if found is None else record_node(found)


def _guarded(permission: P, resolver: Callable[..., Any], description: str | None = None, *,
             batched: bool = False) -> Any:
    """A nested field with its own permission, checked and audited like a root field (or,
    ``batched``, once per batch of rows)."""
    return strawberry.field(resolver=resolver, extensions=[Requires(permission, batched=batched)],
                            description=description)


@strawberry.type(name="Vehicle")
class VehicleNode:
    vin: str
    usage_type: UsageTypeName  # type: ignore[valid-type]
    model_id: int | None
    sale_date: date | None
    production_batch: str | None
    battery_pack_lot: str | None
    created_at: datetime
    updated_at: datetime
    tenant_scope: strawberry.Private[str]
    # The loader audits each batch of latest states (fleet_loaders.py).
    model: VehicleModelNode | None = _guarded(P.VEHICLE_MODELS_READ, _model, batched=True)
    latest_state: LatestStateNode | None = _guarded(
        P.VEHICLE_STATE_READ, _latest_state, "Null when the vehicle never sent anything.",
        batched=True)
    latest_record: LatestRecordNode | None = _guarded(
        P.VEHICLE_STATE_READ, _latest_record,
        "The newest live record in full (a reissue never counts); null when there is none.",
        batched=True)
    history: telemetry.SignalHistoryNode = _guarded(
        P.VEHICLE_HISTORY_READ, resolver=telemetry.signal_history,
        description="Signals (docs/fleet-data.md) over [from, to), column-wise; raw rows when "
                    "they fit `points`, else round buckets aggregated on the server.")
    battery_matrix: telemetry.MatrixNode = _guarded(
        P.VEHICLE_HISTORY_READ, resolver=telemetry.battery_matrix)
    raw_frames: GraphPage[telemetry.RawFrameNode] = _guarded(
        P.RAW_FRAMES_READ, resolver=telemetry.raw_frames)
    sessions: list[telemetry.SessionNode] = _guarded(
        P.SESSIONS_READ, resolver=telemetry.sessions,
        description="Online periods overlapping [from, to).")


def vehicle_node(vehicle: Vehicle, tenant: str) -> VehicleNode:
    return VehicleNode(vin=vehicle.vin, usage_type=vehicle.usage_type, model_id=vehicle.model_id,
                       sale_date=vehicle.sale_date, production_batch=vehicle.production_batch,
                       battery_pack_lot=vehicle.battery_pack_lot, created_at=vehicle.created_at,
                       updated_at=vehicle.updated_at, tenant_scope=tenant)


@strawberry.type(name="FleetCounts")
class FleetCountsNode:
    total: int
    online: int
    offline: int
    never_connected: int
    driving: int
    charging: int
    alarming: int


def counts_node(counts: FleetCounts) -> FleetCountsNode:
    return FleetCountsNode(total=counts.total, online=counts.online, offline=counts.offline,
                           never_connected=counts.never_connected, driving=counts.driving,
                           charging=counts.charging, alarming=counts.alarming)


async def _counted_model(root: ModelCountsNode, info: Info) -> VehicleModelNode | None:
    if root.model_id is None:
        return None
    found = await info.context.fleet.models.load((root.tenant_scope, root.model_id))
    return None if found is None else model_node(found)


@strawberry.type(name="ModelCounts")
class ModelCountsNode:
    model_id: int | None = strawberry.field(description="Null: vehicles without a model.")
    counts: FleetCountsNode
    tenant_scope: strawberry.Private[str]
    model: VehicleModelNode | None = _guarded(P.VEHICLE_MODELS_READ, _counted_model,
                                              batched=True)


@strawberry.type(name="FleetOverview")
class FleetOverviewNode:
    at: datetime = strawberry.field(description="The instant the online timeout ran from.")
    counts: FleetCountsNode
    by_model: list[ModelCountsNode]


def overview_node(overview: FleetOverview, tenant: str) -> FleetOverviewNode:
    return FleetOverviewNode(at=overview.at, counts=counts_node(overview.counts),
                             by_model=[ModelCountsNode(model_id=item.model_id,
                                                       counts=counts_node(item.counts),
                                                       tenant_scope=tenant)
                                       for item in overview.by_model])


@strawberry.type
class ImportRowError:
    row: int = strawberry.field(description="Spreadsheet numbering: the header is row 1.")
    field: str | None
    code: str
    detail: str


@strawberry.type(name="ImportReport")
class ImportReportNode:
    total: int
    created: list[str]
    updated: list[str]
    errors: list[ImportRowError]
    dry_run: bool


def import_report_node(report: ImportReport) -> ImportReportNode:
    def row_error(error: RowError) -> ImportRowError:
        return ImportRowError(row=error.row, field=error.field, code=error.code,
                              detail=error.detail)
    return ImportReportNode(total=report.total, created=list(report.created),
                            updated=list(report.updated),
                            errors=[row_error(error) for error in report.errors],
                            dry_run=report.dry_run)
