"""Fleet statistics from the hourly rollup (definitions in backend/core/fleet_statistics.py):
per vehicle and group first (distance and the highest alarm level are per vehicle), then per
group. Only the tenant's registered vehicles count, like every fleet read. Hours refreshed
after the last rollup run are not in it yet (on plain PostgreSQL the worker folds them in
within minutes; TimescaleDB's aggregate is real-time). Call inside ``tenant_tx``."""

# ruff: noqa: S608 - the grouping expression is one of the two constants here.
from __future__ import annotations

from datetime import datetime
from typing import Final

from backend.core.fleet_statistics import ALARM_LEVELS, FleetStatisticsGroup, StatisticsGrouping
from backend.core.series import BEIJING
from backend.storage.db import Conn
from backend.storage.timeseries import BUCKET_ORIGIN

_GROUP_BY: Final = {
    StatisticsGrouping.DAY: f"date_bin(INTERVAL '1 day', h.bucket, {BUCKET_ORIGIN})",
    StatisticsGrouping.MODEL: "v.model_id",
}
# By model the model comes from the registry (a vehicle's current model).
_MODEL_JOIN: Final = {
    StatisticsGrouping.DAY: "",
    StatisticsGrouping.MODEL: " JOIN nevguard.vehicles AS v ON v.vin::text = h.vin",
}
_LEVELS: Final = ", ".join(f"count(*) FILTER (WHERE max_level = {level}) AS level_{level}"
                           for level in ALARM_LEVELS)


# A month of 1,000 vehicles is 720,000 rollup rows folded into 30,000 (day, vehicle) groups:
# with the default 4 MB the grouping spills to disk and takes twice as long.
WORK_MEM: Final = "64MB"


async def fleet_statistics(conn: Conn, tenant_slug: str, start: datetime, end: datetime,
                           grouping: StatisticsGrouping) -> list[FleetStatisticsGroup]:
    """Aggregates the rollup's range first (one sequential pass; per vehicle an index scan
    would visit a page per row) and keeps the registered vehicles after that."""
    await conn.execute("SELECT set_config('work_mem', $1, true)", WORK_MEM)
    records = await conn.fetch(
        f"""WITH per_vehicle AS MATERIALIZED (
                SELECT {_GROUP_BY[grouping]} AS grp, h.vin,
                       sum(h.frames) AS frames, sum(h.reissued_frames) AS reissued,
                       count(*) AS hours,
                       count(*) FILTER (WHERE h.charging_frames > 0) AS charging_hours,
                       count(*) FILTER (WHERE h.max_alarm_level >= 1) AS alarm_hours,
                       greatest(max(h.max_odometer_km) - min(h.min_odometer_km), 0)
                           AS distance,
                       max(h.max_alarm_level) AS max_level,
                       max(h.max_temperature_c) AS max_temperature,
                       min(h.min_insulation_kohm) AS min_insulation,
                       sum(h.sum_soc_pct) AS soc_sum, sum(h.count_soc_pct) AS soc_count
                  FROM realtime_hourly AS h{_MODEL_JOIN[grouping]}
                 WHERE h.bucket >= $2 AND h.bucket < $3 AND h.frames > 0
                 GROUP BY 1, 2),
            registered AS (
                SELECT v.vin::text AS vin FROM nevguard.vehicles AS v
                  JOIN nevguard.tenants AS t ON t.id = v.tenant_id AND t.slug = $1)
            SELECT grp, count(*) AS active_vehicles, sum(frames)::bigint AS frames,
                   sum(reissued)::bigint AS reissued, sum(hours)::bigint AS hours,
                   sum(charging_hours)::bigint AS charging_hours,
                   sum(alarm_hours)::bigint AS alarm_hours,
                   coalesce(sum(distance), 0)::double precision AS distance, {_LEVELS},
                   max(max_temperature) AS max_temperature,
                   min(min_insulation) AS min_insulation,
                   (sum(soc_sum) / nullif(sum(soc_count), 0))::double precision AS avg_soc
              FROM per_vehicle JOIN registered USING (vin)
             GROUP BY grp ORDER BY grp NULLS LAST""",
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
