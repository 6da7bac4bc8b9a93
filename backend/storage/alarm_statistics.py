"""Alarm statistics over a time range (events by their ``opened_at``, cases by theirs), in SQL
so a year of alarms is counted where it lies. Call inside ``tenant_tx``."""

from __future__ import annotations

from datetime import date, datetime

from backend.core.alarm_cases.statistics import Breaches, Durations, VehicleCount
from backend.storage.db import Conn

_MODELS = """LEFT JOIN (nevguard.vehicles AS v JOIN nevguard.tenants AS t
                        ON t.id = v.tenant_id AND t.slug = $3) ON v.vin = e.vin"""


async def count_by_level(conn: Conn, start: datetime, end: datetime) -> list[tuple[int, int]]:
    rows = await conn.fetch(
        """SELECT peak_level, count(*) AS n FROM alarm_events
            WHERE opened_at >= $1 AND opened_at < $2 GROUP BY 1 ORDER BY 1""", start, end)
    return [(row["peak_level"], row["n"]) for row in rows]


async def count_by_code(conn: Conn, start: datetime, end: datetime,
                        limit: int) -> list[tuple[str, str, int]]:
    rows = await conn.fetch(
        """SELECT source, code, count(*) AS n FROM alarm_events
            WHERE opened_at >= $1 AND opened_at < $2
            GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT $3""", start, end, limit)
    return [(row["source"], row["code"], row["n"]) for row in rows]


async def count_by_model(conn: Conn, tenant: str, start: datetime,
                         end: datetime) -> list[tuple[int | None, int]]:
    rows = await conn.fetch(
        f"""SELECT v.model_id, count(*) AS n FROM alarm_events AS e {_MODELS}
             WHERE e.opened_at >= $1 AND e.opened_at < $2
             GROUP BY 1 ORDER BY 2 DESC, 1""", start, end, tenant)  # noqa: S608 - constant
    return [(row["model_id"], row["n"]) for row in rows]


async def count_by_day(conn: Conn, start: datetime, end: datetime,
                       zone: str) -> list[tuple[date, int]]:
    rows = await conn.fetch(
        """SELECT (opened_at AT TIME ZONE $3)::date AS day, count(*) AS n FROM alarm_events
            WHERE opened_at >= $1 AND opened_at < $2 GROUP BY 1 ORDER BY 1""",
        start, end, zone)
    return [(row["day"], row["n"]) for row in rows]


async def top_vehicles(conn: Conn, start: datetime, end: datetime,
                       limit: int) -> list[VehicleCount]:
    rows = await conn.fetch(
        """SELECT vin, count(*) AS n, max(peak_level) AS peak, max(opened_at) AS last
             FROM alarm_events WHERE opened_at >= $1 AND opened_at < $2
            GROUP BY vin ORDER BY 2 DESC, 3 DESC, 1 LIMIT $3""", start, end, limit)
    return [VehicleCount(row["vin"], row["n"], row["peak"], row["last"]) for row in rows]


async def durations(conn: Conn, start: datetime, end: datetime, column: str) -> Durations:
    if column not in {"acknowledged_at", "disposed_at"}:
        raise ValueError(column)
    [row] = await conn.fetch(
        f"""SELECT count(*) AS n, avg(s) AS mean,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS p50,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY s) AS p90
              FROM (SELECT extract(epoch FROM {column} - opened_at)::float8 AS s
                      FROM alarm_cases WHERE opened_at >= $1 AND opened_at < $2
                       AND {column} IS NOT NULL) AS d""", start, end)  # noqa: S608 - checked
    return Durations(row["n"], row["mean"], row["p50"], row["p90"])


async def breaches(conn: Conn, start: datetime, end: datetime, now: datetime) -> Breaches:
    [row] = await conn.fetch(
        """SELECT count(*) AS n, count(*) FILTER (WHERE state <> 'disposed') AS open,
                  count(*) FILTER (WHERE coalesce(acknowledged_at, $3) > confirm_due) AS c,
                  count(*) FILTER (WHERE coalesce(disposed_at, $3) > dispose_due) AS d
             FROM alarm_cases WHERE opened_at >= $1 AND opened_at < $2""", start, end, now)
    return Breaches(row["n"], row["open"], row["c"], row["d"])
