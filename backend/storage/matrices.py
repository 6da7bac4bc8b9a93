"""Cell-voltage and probe-temperature matrices of one vehicle: the arrays of ``realtime``
(``cell_voltages_mv``, ``probe_temperatures_c``: every subsystem's list joined in frame
order, docs/ingest.md) as time x position, raw or per ``date_bin`` bucket. Every read is cut
to ``width`` positions so a matrix never exceeds the size the caller budgeted. Call inside
``tenant_tx``.
"""

# ruff: noqa: S608 - the array column is one of MatrixKind's names; values are bound.
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from backend.core.series import MatrixKind
from backend.storage.db import Conn
from backend.storage.timeseries import BUCKET_ORIGIN

Row = list[Any]


async def newest_width(conn: Conn, vin: str, start: datetime, end: datetime,
                       kind: MatrixKind) -> int:
    """How many positions the newest array in [start, end) has (0 when there is none): the
    vehicle's current pack layout decides the matrix's columns."""
    column = MatrixKind(kind).value
    width = await conn.fetchval(
        f"""SELECT cardinality({column}) FROM realtime
             WHERE vin = $1 AND collected_at >= $2 AND collected_at < $3
               AND cardinality({column}) > 0
             ORDER BY collected_at DESC LIMIT 1""", vin, start, end)
    return int(width or 0)


async def raw_matrix(conn: Conn, vin: str, start: datetime, end: datetime, *,
                     kind: MatrixKind, width: int,
                     limit: int) -> tuple[list[datetime], list[Row]]:
    """Up to ``limit`` stored arrays, oldest first, each padded or cut to ``width``."""
    column = MatrixKind(kind).value
    records = await conn.fetch(
        f"""SELECT collected_at, {column}[1:$4] AS cells FROM realtime
             WHERE vin = $1 AND collected_at >= $2 AND collected_at < $3
               AND cardinality({column}) > 0
             ORDER BY collected_at, content_hash LIMIT $5""", vin, start, end, width, limit)
    rows = [list(r["cells"]) + [None] * (width - len(r["cells"])) for r in records]
    return [r["collected_at"] for r in records], rows


async def binned_matrix(
    conn: Conn, vin: str, start: datetime, end: datetime, *, kind: MatrixKind, width: int,
    bucket: timedelta,
) -> tuple[list[datetime], list[int], list[Row], list[Row], list[Row]]:
    """Per bucket: the arrays it holds, and per position the average, minimum and maximum
    (NULL where no array of the bucket reaches that position or all were sentinels)."""
    column = MatrixKind(kind).value
    records = await conn.fetch(
        f"""SELECT date_bin($5, r.collected_at, {BUCKET_ORIGIN}) AS bucket, c.position,
                   count(*) AS n, avg(c.value)::double precision AS avg,
                   min(c.value) AS min, max(c.value) AS max
              FROM realtime AS r
             CROSS JOIN LATERAL unnest(r.{column}[1:$4]) WITH ORDINALITY AS c (value, position)
             WHERE r.vin = $1 AND r.collected_at >= $2 AND r.collected_at < $3
             GROUP BY 1, 2 ORDER BY 1, 2""", vin, start, end, width, bucket)
    times: list[datetime] = []
    counts: list[int] = []
    avg: list[Row] = []
    low: list[Row] = []
    high: list[Row] = []
    for record in records:
        if not times or times[-1] != record["bucket"]:
            times.append(record["bucket"])
            counts.append(0)
            for matrix in (avg, low, high):
                matrix.append([None] * width)
        position = record["position"] - 1
        # Every array of the bucket has position 1 when it has any: its count is the rows.
        counts[-1] = max(counts[-1], record["n"])
        avg[-1][position] = record["avg"]
        low[-1][position] = record["min"]
        high[-1][position] = record["max"]
    return times, counts, avg, low, high
