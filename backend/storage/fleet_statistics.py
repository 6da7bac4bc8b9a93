"""Fleet statistics from the daily rollup ``realtime_daily`` (tenant migration 0010; it folds
``realtime_hourly``), definitions in backend/core/fleet_statistics.py: per vehicle and group
first (distance and the highest alarm level are per vehicle), then per group. Only the
tenant's registered vehicles count, like every fleet read. Hours the rollup has not seen yet
are not in it (on plain PostgreSQL the worker folds them in within minutes; TimescaleDB's
aggregates are real-time). Call inside ``tenant_tx``."""

# ruff: noqa: S608 - the grouping expression is one of the two constants here.
from __future__ import annotations

from datetime import datetime
from typing import Final

from backend.core.fleet_statistics import ALARM_LEVELS, FleetStatisticsGroup, StatisticsGrouping
from backend.core.series import BEIJING
from backend.storage.db import Conn

_GROUP_BY: Final = {StatisticsGrouping.DAY: "d.day", StatisticsGrouping.MODEL: "v.model_id"}
_LEVELS: Final = ", ".join(f"count(*) FILTER (WHERE max_level = {level}) AS level_{level}"
                           for level in ALARM_LEVELS)


async def fleet_statistics(conn: Conn, tenant_slug: str, start: datetime, end: datetime,
                           grouping: StatisticsGrouping) -> list[FleetStatisticsGroup]:
    """Per vehicle and group from ``realtime_daily`` (a day per row), then per group."""
    records = await conn.fetch(
        f"""WITH per_vehicle AS (
                SELECT {_GROUP_BY[grouping]} AS grp, d.vin,
                       sum(d.frames) AS frames, sum(d.reissued_frames) AS reissued,
                       sum(d.hours) AS hours, sum(d.charging_hours) AS charging_hours,
                       sum(d.alarm_hours) AS alarm_hours,
                       greatest(max(d.max_odometer_km) - min(d.min_odometer_km), 0)
                           AS distance,
                       max(d.max_alarm_level) AS max_level,
                       max(d.max_temperature_c) AS max_temperature,
                       min(d.min_insulation_kohm) AS min_insulation,
                       sum(d.sum_soc_pct) AS soc_sum, sum(d.count_soc_pct) AS soc_count
                  FROM realtime_daily AS d
                  JOIN nevguard.vehicles AS v ON v.vin::text = d.vin
                  JOIN nevguard.tenants AS t ON t.id = v.tenant_id AND t.slug = $1
                 WHERE d.day >= $2 AND d.day < $3 AND d.frames > 0
                 GROUP BY 1, 2)
            SELECT grp, count(*) AS active_vehicles, sum(frames)::bigint AS frames,
                   sum(reissued)::bigint AS reissued, sum(hours)::bigint AS hours,
                   sum(charging_hours)::bigint AS charging_hours,
                   sum(alarm_hours)::bigint AS alarm_hours,
                   coalesce(sum(distance), 0)::double precision AS distance, {_LEVELS},
                   max(max_temperature) AS max_temperature,
                   min(min_insulation) AS min_insulation,
                   (sum(soc_sum) / nullif(sum(soc_count), 0))::double precision AS avg_soc
              FROM per_vehicle GROUP BY grp ORDER BY grp NULLS LAST""",
        tenant_slug, start, end)
    by_day = grouping is StatisticsGrouping.DAY
    return [FleetStatisticsGroup(
        day=record["grp"].astimezone(BEIJING).date() if by_day else None,
        model_id=None if by_day else record["grp"],
        active_vehicles=record["active_vehicles"], frames=record["frames"],
        reissued_frames=record["reissued"], reporting_hours=record["hours"],
        charging_hours=record["charging_hours"], alarm_hours=record["alarm_hours"],
        distance_km=record["distance"],
        vehicles_by_alarm_level=tuple(record[f"level_{level}"] for level in ALARM_LEVELS),
        max_temperature_c=record["max_temperature"],
        min_insulation_kohm=record["min_insulation"], avg_soc_pct=record["avg_soc"])
        for record in records]
