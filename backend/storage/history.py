"""Signal history reads of one vehicle, column-wise: raw rows, buckets aggregated from
``realtime`` with ``date_bin``, or buckets folded from the hourly rollup. The same SQL runs on
TimescaleDB and on plain PostgreSQL (``date_bin`` is a built-in; ``realtime_hourly`` has the
same name and columns on both engines, see migrations/tenant/0004). Signal names are checked
against backend/core/series.py SIGNALS before they reach SQL text. Call inside ``tenant_tx``.
"""

# ruff: noqa: S608 - column names come from the whitelists here and in core; values are bound.
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from backend.core.series import HOUR, SIGNALS, Aggregate
from backend.storage.db import Conn
from backend.storage.timeseries import BUCKET_ORIGIN

Binned = tuple[list[datetime], list[int], dict[tuple[str, Aggregate], list[Any]]]

# What realtime_hourly keeps (migrations/tenant/0004 and 0009): minima and maxima fold across
# hours as they are; averages fold from the per-signal sums and counts of non-NULL values.
ROLLUP_COLUMNS: Final[dict[tuple[str, Aggregate], str]] = {
    ("speed_kmh", Aggregate.MIN): "min_speed_kmh",
    ("speed_kmh", Aggregate.MAX): "max_speed_kmh",
    ("soc_pct", Aggregate.MIN): "min_soc_pct",
    ("soc_pct", Aggregate.MAX): "max_soc_pct",
    ("total_voltage_v", Aggregate.MIN): "min_total_voltage_v",
    ("total_voltage_v", Aggregate.MAX): "max_total_voltage_v",
    ("total_current_a", Aggregate.MIN): "min_total_current_a",
    ("total_current_a", Aggregate.MAX): "max_total_current_a",
    ("alarm_level", Aggregate.MAX): "max_alarm_level",
    ("insulation_kohm", Aggregate.MIN): "min_insulation_kohm",
    ("insulation_kohm", Aggregate.MAX): "max_insulation_kohm",
    ("max_cell_voltage_mv", Aggregate.MIN): "min_max_cell_voltage_mv",
    ("max_cell_voltage_mv", Aggregate.MAX): "max_cell_voltage_mv",
    ("min_cell_voltage_mv", Aggregate.MIN): "min_cell_voltage_mv",
    ("min_cell_voltage_mv", Aggregate.MAX): "max_min_cell_voltage_mv",
    ("max_temperature_c", Aggregate.MIN): "min_max_temperature_c",
    ("max_temperature_c", Aggregate.MAX): "max_temperature_c",
    ("min_temperature_c", Aggregate.MIN): "min_temperature_c",
    ("min_temperature_c", Aggregate.MAX): "max_min_temperature_c",
    ("odometer_km", Aggregate.MIN): "min_odometer_km",
    ("odometer_km", Aggregate.MAX): "max_odometer_km",
}
# Signals with sum_<signal> and count_<signal> columns, by whether the sum is exact (bigint of
# an integer column) or a double precision sum of a real column.
ROLLUP_INTEGER_SUMS: Final = frozenset({
    "soc_pct", "insulation_kohm", "max_temperature_c", "min_temperature_c",
    "max_cell_voltage_mv", "min_cell_voltage_mv"})
ROLLUP_REAL_SUMS: Final = frozenset({"speed_kmh", "total_voltage_v", "total_current_a"})
_HOUR_ORIGIN: Final = "TIMESTAMPTZ '2000-01-01 00:00:00+00'"


def _checked(signals: Sequence[str]) -> None:
    unknown = set(signals) - SIGNALS
    if unknown:
        raise ValueError(f"not a history signal: {sorted(unknown)}")


def _aggregate(signal: str, aggregate: Aggregate, source: str = "r") -> str:
    # avg of integer columns is numeric (a Decimal in Python); charts want floats.
    if aggregate is Aggregate.AVG:
        return f"avg({source}.{signal})::double precision"
    return f"{aggregate.value}({source}.{signal})"


def _pairs(signals: Sequence[str], aggregates: Sequence[Aggregate]) -> list[tuple[str, Aggregate]]:
    return [(signal, aggregate) for signal in signals for aggregate in aggregates]


def _rollup_keeps(signal: str, aggregate: Aggregate) -> bool:
    if aggregate is Aggregate.AVG:
        return signal in ROLLUP_INTEGER_SUMS or signal in ROLLUP_REAL_SUMS
    return (signal, aggregate) in ROLLUP_COLUMNS


def rollup_covers(signals: Sequence[str], aggregates: Sequence[Aggregate]) -> bool:
    return all(_rollup_keeps(s, a) for s, a in _pairs(signals, aggregates))


async def raw_signals(conn: Conn, vin: str, start: datetime, end: datetime, *,
                      signals: Sequence[str],
                      limit: int) -> tuple[list[datetime], dict[str, list[Any]]]:
    """Up to ``limit`` rows in [start, end), oldest first, skipping rows that hold none of
    the signals (pieces of a split record carrying other blocks)."""
    _checked(signals)
    any_value = " OR ".join(f"{signal} IS NOT NULL" for signal in signals)
    records = await conn.fetch(
        f"""SELECT collected_at, {", ".join(signals)} FROM realtime
             WHERE vin = $1 AND collected_at >= $2 AND collected_at < $3 AND ({any_value})
             ORDER BY collected_at, content_hash LIMIT $4""", vin, start, end, limit)
    return ([r["collected_at"] for r in records],
            {signal: [r[signal] for r in records] for signal in signals})


def _columnar(records: Sequence[Any], pairs: list[tuple[str, Aggregate]]) -> Binned:
    return ([r["bucket"] for r in records], [r["n"] for r in records],
            {pair: [r[f"c{index}"] for r in records] for index, pair in enumerate(pairs)})


async def binned_signals(conn: Conn, vin: str, start: datetime, end: datetime, *,
                         bucket: timedelta, signals: Sequence[str],
                         aggregates: Sequence[Aggregate]) -> Binned:
    """Per ``bucket`` (aligned to Beijing midnight): the stored rows it holds and each
    requested aggregate of each signal, computed from ``realtime``."""
    _checked(signals)
    pairs = _pairs(signals, aggregates)
    columns = ", ".join(f"{_aggregate(s, a)} AS c{i}" for i, (s, a) in enumerate(pairs))
    records = await conn.fetch(
        f"""SELECT date_bin($4, r.collected_at, {BUCKET_ORIGIN}) AS bucket, count(*) AS n,
                   {columns}
              FROM realtime AS r
             WHERE r.vin = $1 AND r.collected_at >= $2 AND r.collected_at < $3
             GROUP BY 1 ORDER BY 1""", vin, start, end, bucket)
    return _columnar(records, pairs)


def _whole_hours(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    epoch = datetime(2000, 1, 1, tzinfo=UTC)  # rollup hours are UTC hours
    first = epoch + -((epoch - start) // HOUR) * HOUR  # the first hour starting at or after start
    last = epoch + ((end - epoch) // HOUR) * HOUR  # the last hour boundary at or before end
    return first, last


def _hour_parts(pairs: list[tuple[str, Aggregate]]) -> tuple[str, str, str]:
    """Per pair, the per-hour partial columns as read from the rollup and as computed from
    raw rows, and how they fold into a bucket: ``p<i>`` for a minimum or maximum, ``p<i>`` (sum)
    and ``q<i>`` (count of non-NULL values) for an average. Integer sums are bigint, and the
    average is their numeric quotient as ``avg`` computes it, so it equals the raw answer
    exactly; real sums are double precision (equal up to rounding of the summation order)."""
    hourly: list[str] = []
    direct: list[str] = []
    folded: list[str] = []
    for i, (signal, aggregate) in enumerate(pairs):
        if aggregate is Aggregate.AVG:
            as_summed = signal if signal in ROLLUP_INTEGER_SUMS else f"{signal}::double precision"
            hourly += [f"h.sum_{signal} AS p{i}", f"h.count_{signal} AS q{i}"]
            direct += [f"sum(r.{as_summed}) AS p{i}", f"count(r.{signal}) AS q{i}"]
            folded.append(f"(sum(p{i}) / nullif(sum(q{i}), 0))::double precision AS c{i}")
        else:
            hourly.append(f"h.{ROLLUP_COLUMNS[(signal, aggregate)]} AS p{i}")
            direct.append(f"{aggregate.value}(r.{signal}) AS p{i}")
            folded.append(f"{aggregate.value}(p{i}) AS c{i}")
    return ", ".join(hourly), ", ".join(direct), ", ".join(folded)


async def rollup_signals(conn: Conn, vin: str, start: datetime, end: datetime, *,
                         bucket: timedelta, signals: Sequence[str],
                         aggregates: Sequence[Aggregate]) -> Binned | None:
    """The same answer as ``binned_signals`` for a whole-hour ``bucket`` and pairs the
    rollup covers, read from ``realtime_hourly`` for the whole hours inside the range. The
    partial hours at either end, and hours whose rows changed since the rollup last saw them
    (``realtime_hourly_dirty``), come from ``realtime`` so the answer is never stale. None
    when the range holds no whole hour (nothing to gain)."""
    _checked(signals)
    if bucket % HOUR or not rollup_covers(signals, aggregates):
        raise ValueError("the rollup answers whole-hour buckets of the aggregates it keeps")
    inner_start, inner_end = _whole_hours(start, end)
    if inner_start >= inner_end:
        return None
    pairs = _pairs(signals, aggregates)
    hourly, direct, folded = _hour_parts(pairs)
    hour_of = f"date_bin(INTERVAL '1 hour', r.collected_at, {_HOUR_ORIGIN})"
    records = await conn.fetch(
        f"""WITH hours AS (
                SELECT h.bucket AS hour, h.frames AS n, {hourly}
                  FROM realtime_hourly AS h
                 WHERE h.vin = $1 AND h.bucket >= $4 AND h.bucket < $5
                   AND NOT EXISTS (SELECT FROM realtime_hourly_dirty AS d
                                    WHERE d.vin = h.vin AND d.bucket = h.bucket)
                UNION ALL
                SELECT {hour_of}, count(*), {direct}
                  FROM realtime AS r
                 WHERE r.vin = $1 AND ((r.collected_at >= $2 AND r.collected_at < $4)
                                       OR (r.collected_at >= $5 AND r.collected_at < $3))
                 GROUP BY 1
                UNION ALL
                SELECT d.bucket, count(*), {direct}
                  FROM realtime_hourly_dirty AS d
                  JOIN realtime AS r ON r.vin = d.vin AND r.collected_at >= d.bucket
                                    AND r.collected_at < d.bucket + INTERVAL '1 hour'
                 WHERE d.vin = $1 AND d.bucket >= $4 AND d.bucket < $5
                 GROUP BY 1)
            SELECT date_bin($6, hour, {BUCKET_ORIGIN}) AS bucket, sum(n)::bigint AS n, {folded}
              FROM hours GROUP BY 1 ORDER BY 1""",
        vin, start, end, inner_start, inner_end, bucket)
    return _columnar(records, pairs)
