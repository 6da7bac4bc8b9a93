"""History of a vehicle's signals and battery matrices over any range, column-wise and with
at most the asked number of points (docs/fleet-data.md).

The stored rows themselves come back when they fit the point budget; otherwise the range is
cut into round buckets (backend/core/series.py) aggregated on the server, from the hourly
rollup where it answers exactly (whole-hour buckets, min/max it keeps), else from the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from backend.core.access import Permission, Principal
from backend.core.data_errors import InvalidArgument, LimitExceeded
from backend.core.series import (
    HOUR,
    Aggregate,
    Matrix,
    MatrixKind,
    SeriesSource,
    SignalHistory,
    SignalSeries,
    check_range,
    check_signals,
    choose_bucket,
)
from backend.services.tenant_data import point_budget, tenant_use_case, tenant_vehicle
from backend.settings import DataSettings
from backend.storage import history, matrices
from backend.storage.db import Conn, Pool

DEFAULT_LIMITS = DataSettings()
ALL_AGGREGATES = (Aggregate.AVG, Aggregate.MIN, Aggregate.MAX)


def _check_aggregates(aggregates: Sequence[Aggregate]) -> tuple[Aggregate, ...]:
    try:
        cleaned = tuple(Aggregate(aggregate) for aggregate in aggregates)
    except ValueError:
        raise InvalidArgument("aggregates are avg, min and max", field="aggregates") from None
    if not cleaned or len(set(cleaned)) != len(cleaned):
        raise InvalidArgument("ask for each aggregate once, at least one", field="aggregates")
    return cleaned


async def signal_history(db: Conn | Pool, actor: Principal, tenant: str, vin: str,
                         *, start: datetime, end: datetime, signals: Sequence[str],
                         aggregates: Sequence[Aggregate] = ALL_AGGREGATES,
                         points: int | None = None,
                         limits: DataSettings = DEFAULT_LIMITS) -> SignalHistory:
    """``signals`` from backend.core.series.SIGNALS over [start, end). ``aggregates`` apply
    when the range is downsampled. RangeTooLarge when even week-long buckets exceed
    ``points``."""
    async with tenant_use_case(db, actor, tenant, Permission.VEHICLE_HISTORY_READ) as conn:
        check_range(start, end)
        wanted = tuple(signals)
        check_signals(wanted)
        chosen = _check_aggregates(aggregates)
        budget = point_budget(points, limits)
        cleaned = await tenant_vehicle(conn, tenant, vin)
        times, raw = await history.raw_signals(conn, cleaned, start, end, signals=wanted,
                                               limit=budget + 1)
        if len(times) <= budget:
            series = tuple(SignalSeries(s, values=tuple(raw[s])) for s in wanted)
            return SignalHistory(cleaned, start, end, tuple(times), series, SeriesSource.RAW,
                                 None, None)
        bucket = choose_bucket(start, end, budget)
        binned = None
        source = SeriesSource.REALTIME
        if bucket >= HOUR and history.rollup_covers(wanted, chosen):
            binned = await history.rollup_signals(conn, cleaned, start, end, bucket=bucket,
                                                  signals=wanted, aggregates=chosen)
            source = SeriesSource.HOURLY_ROLLUP
        if binned is None:
            binned = await history.binned_signals(conn, cleaned, start, end, bucket=bucket,
                                                  signals=wanted, aggregates=chosen)
            source = SeriesSource.REALTIME
    bucket_times, counts, values = binned
    series = tuple(
        SignalSeries(s, **{a.value: tuple(values[(s, a)]) for a in chosen}) for s in wanted)
    return SignalHistory(cleaned, start, end, tuple(bucket_times), series, source, bucket,
                         tuple(counts))


async def battery_matrix(db: Conn | Pool, actor: Principal, tenant: str, vin: str,
                         *, start: datetime, end: datetime, kind: MatrixKind,
                         points: int | None = None,
                         limits: DataSettings = DEFAULT_LIMITS) -> Matrix:
    """Cell voltages or probe temperatures over [start, end), time x position. The columns
    are the positions of the newest array in the range (the pack as it is now; older, longer
    arrays are cut to it), and the point budget shrinks so that points x columns stays
    within ``matrix_cells_max``."""
    async with tenant_use_case(db, actor, tenant, Permission.VEHICLE_HISTORY_READ) as conn:
        check_range(start, end)
        if kind not in set(MatrixKind):
            raise InvalidArgument("a matrix is of cell voltages or probe temperatures",
                                  field="kind")
        matrix_kind = MatrixKind(kind)
        requested = point_budget(points, limits)
        cleaned = await tenant_vehicle(conn, tenant, vin)
        width = await matrices.newest_width(conn, cleaned, start, end, matrix_kind)
        if width == 0:
            return Matrix(cleaned, matrix_kind, start, end, (), 0, None, None, values=())
        budget = min(requested, limits.matrix_cells_max // width)
        if budget < 1:
            raise LimitExceeded("matrix_cells_max", limits.matrix_cells_max,
                                f"one point of {width} columns")
        times, rows = await matrices.raw_matrix(conn, cleaned, start, end, kind=matrix_kind,
                                                width=width, limit=budget + 1)
        if len(times) <= budget:
            return Matrix(cleaned, matrix_kind, start, end, tuple(times), width, None, None,
                          values=tuple(map(tuple, rows)))
        bucket = choose_bucket(start, end, budget)
        bucket_times, counts, avg, low, high = await matrices.binned_matrix(
            conn, cleaned, start, end, kind=matrix_kind, width=width, bucket=bucket)
    return Matrix(cleaned, matrix_kind, start, end, tuple(bucket_times), width, bucket,
                  tuple(counts), avg=tuple(map(tuple, avg)), min=tuple(map(tuple, low)),
                  max=tuple(map(tuple, high)))
