"""The ``fleetStatistics`` answer (docs/fleet-data.md, "Fleet statistics"; definitions in
backend/core/fleet_statistics.py)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from backend.core.fleet_statistics import ALARM_LEVELS, FleetStatistics, StatisticsGrouping

StatisticsGroupingName = strawberry.enum(StatisticsGrouping, name="StatisticsGrouping")


@strawberry.type
class LevelVehicles:
    level: int
    vehicles: int = strawberry.field(description="Vehicles whose highest level it was.")


@strawberry.type(name="FleetStatisticsGroup")
class FleetStatisticsGroupNode:
    day: date | None = strawberry.field(description="Beijing calendar day (groupBy DAY).")
    model_id: int | None = strawberry.field(
        description="groupBy MODEL; null: the vehicles without a model.")
    active_vehicles: int = strawberry.field(description="Vehicles with a record.")
    frames: float = strawberry.field(
        description="Stored realtime records (a count; Float since it may pass 2^31).")
    reissued_frames: float = strawberry.field(description="Of them reissued (0x03).")
    reporting_hours: int = strawberry.field(description="Vehicle-hours with a record.")
    charging_hours: int = strawberry.field(
        description="Vehicle-hours with a record in charging state 1 or 2.")
    alarm_hours: int = strawberry.field(
        description="Vehicle-hours whose highest alarm level was 1 or more.")
    distance_km: float = strawberry.field(
        description="Sum over vehicles of the odometer's rise inside the group.")
    vehicles_by_alarm_level: list[LevelVehicles] = strawberry.field(
        description="Levels 1-4, each vehicle once at its highest level.")
    max_temperature_c: int | None
    min_insulation_kohm: int | None
    avg_soc_pct: float | None


@strawberry.type(name="FleetStatistics")
class FleetStatisticsNode:
    start: datetime = strawberry.field(name="from")
    end: datetime = strawberry.field(name="to")
    group_by: StatisticsGroupingName  # type: ignore[valid-type]
    groups: list[FleetStatisticsGroupNode] = strawberry.field(
        description="Days in order, or models by id (no model last); groups without any "
                    "record are left out.")


def statistics_node(found: FleetStatistics) -> FleetStatisticsNode:
    return FleetStatisticsNode(
        start=found.start, end=found.end, group_by=found.grouping,
        groups=[FleetStatisticsGroupNode(
            day=group.day, model_id=group.model_id, active_vehicles=group.active_vehicles,
            frames=float(group.frames), reissued_frames=float(group.reissued_frames),
            reporting_hours=group.reporting_hours, charging_hours=group.charging_hours,
            alarm_hours=group.alarm_hours, distance_km=group.distance_km,
            vehicles_by_alarm_level=[
                LevelVehicles(level=level, vehicles=count)
                for level, count in zip(ALARM_LEVELS, group.vehicles_by_alarm_level,
                                        strict=True)],
            max_temperature_c=group.max_temperature_c,
            min_insulation_kohm=group.min_insulation_kohm, avg_soc_pct=group.avg_soc_pct)
            for group in found.groups])
