"""Cell-voltage and probe-temperature matrices on the real PostgreSQL: raw arrays when they
fit, per-cell bucket aggregates equal to a direct computation otherwise, and the cap on
points x cells."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from statistics import fmean
from typing import Any

import asyncpg
import pytest
import storage_rows as rows
from fleet_support import register, two_tenants

from backend.core.data_errors import LimitExceeded, NotFound
from backend.core.series import BUCKET_ORIGIN, MatrixKind
from backend.services.history import battery_matrix
from backend.settings import DataSettings
from backend.storage.ingest import write_batch

pytestmark = pytest.mark.services
CELLS = MatrixKind.CELL_VOLTAGES


def _cells(i: int, width: int = 4) -> list[int | None]:
    return [None if (i + c) % 11 == 0 else 3300 + (i * 7 + c * 13) % 60 for c in range(width)]


async def _write(db: asyncpg.Connection, tenant: str, vin: str,
                 arrays: list[tuple[datetime, list[int | None]]], column: str) -> None:
    await write_batch(db, tenant, realtime_rows=[
        rows.realtime(vin, at, **{column: array}) for at, array in arrays])


async def test_raw_matrix_pads_and_cuts_to_the_newest_layout(db: asyncpg.Connection,
                                                             fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    arrays: list[tuple[datetime, list[int | None]]] = [
        (rows.at(0), [3300, 3301, 3302, 3303, 3304]),  # an older, longer pack: cut
        (rows.at(1), [3310, None, 3312]),  # a short array and a sentinel: padded
        (rows.at(2), [3320, 3321, 3322, 3323]),  # the newest layout: 4 cells
    ]
    await _write(db, t.a, vin, arrays, "cell_voltages_mv")
    await _write(db, t.a, vin, [(rows.at(3), [21, 22])], "probe_temperatures_c")
    matrix = await battery_matrix(db, t.admin_a, t.a, vin, start=rows.at(0), end=rows.at(10),
                                  kind=CELLS)
    assert (matrix.columns, matrix.bucket, matrix.counts, matrix.downsampled) == (
        4, None, None, False)
    assert matrix.times == (rows.at(0), rows.at(1), rows.at(2))
    assert matrix.values == ((3300, 3301, 3302, 3303), (3310, None, 3312, None),
                             (3320, 3321, 3322, 3323))
    probes = await battery_matrix(db, t.admin_a, t.a, vin, start=rows.at(0), end=rows.at(10),
                                  kind=MatrixKind.PROBE_TEMPERATURES)
    assert (probes.times, probes.values, probes.columns) == ((rows.at(3),), ((21, 22),), 2)
    empty = await battery_matrix(db, t.admin_a, t.a, vin, start=rows.at(20),
                                 end=rows.at(30), kind=CELLS)
    assert (empty.columns, empty.times, empty.values) == (0, (), ())
    with pytest.raises(NotFound):
        await battery_matrix(db, t.admin_b, t.b, vin, start=rows.at(0), end=rows.at(10),
                             kind=CELLS)


async def test_binned_matrix_equals_a_direct_computation(db: asyncpg.Connection,
                                                         fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    arrays = [(rows.at(0) + timedelta(seconds=10) * i, _cells(i)) for i in range(360)]
    await _write(db, t.a, vin, arrays, "cell_voltages_mv")
    start, end = rows.at(0), rows.at(60)
    # 100 points asked, but 4 cells x 100 > 200 cells allowed: 50 points, so 2-minute buckets.
    matrix = await battery_matrix(db, t.admin_a, t.a, vin, start=start, end=end, kind=CELLS,
                                  points=100, limits=DataSettings(matrix_cells_max=200))
    bucket = timedelta(minutes=2)
    assert (matrix.bucket, matrix.columns, len(matrix.times)) == (bucket, 4, 30)
    groups: dict[datetime, list[list[int | None]]] = defaultdict(list)
    for at, cells in arrays:
        groups[BUCKET_ORIGIN + (at - BUCKET_ORIGIN) // bucket * bucket].append(cells)
    assert matrix.times == tuple(sorted(groups))
    assert matrix.counts == tuple(len(groups[b]) for b in matrix.times)

    def folded(fold: Any) -> tuple[tuple[Any, ...], ...]:
        return tuple(
            tuple(fold([a[c] for a in groups[b] if a[c] is not None]) for c in range(4))
            for b in matrix.times)

    assert matrix.avg is not None and matrix.values is None
    for got, want in zip(matrix.avg, folded(fmean), strict=True):
        assert got == pytest.approx(want)
    assert (matrix.min, matrix.max) == (folded(min), folded(max))
    with pytest.raises(LimitExceeded) as too_wide:
        await battery_matrix(db, t.admin_a, t.a, vin, start=start, end=end, kind=CELLS,
                             limits=DataSettings(matrix_cells_max=3))
    assert (too_wide.value.limit, too_wide.value.maximum) == ("matrix_cells_max", 3)
