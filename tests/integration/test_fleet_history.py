"""Signal history on the real PostgreSQL: raw rows when they fit, server-side buckets that
equal a direct computation when they do not, the hourly rollup (fresh even with unrefreshed
hours) where it answers exactly, and the typed refusals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from statistics import fmean
from typing import Any

import asyncpg
import pytest
import storage_rows as rows
from fleet_support import actor, register, two_tenants

from backend.core.access import AccessDenied, Role
from backend.core.data_errors import InvalidArgument, LimitExceeded, NotFound, RangeTooLarge
from backend.core.series import BUCKET_ORIGIN, Aggregate, SeriesSource
from backend.services.history import signal_history
from backend.settings import DataSettings
from backend.storage import history as storage_history
from backend.storage.db import tenant_tx
from backend.storage.ingest import write_batch
from backend.storage.rollups import refresh_dirty

pytestmark = pytest.mark.services
A = Aggregate
Sample = dict[str, Any]


def _speed(i: int) -> float | None:
    return None if i % 7 == 3 else (i * 37 % 120) / 2  # halves: exact in real


def _samples(start: datetime, step: timedelta, count: int) -> list[Sample]:
    return [{"collected_at": start + step * i, "speed_kmh": _speed(i),
             "soc_pct": 90 - i * 13 % 50, "max_temperature_c": 20 + i % 9}
            for i in range(count)]


async def _write(db: asyncpg.Connection, tenant: str, vin: str, samples: list[Sample]) -> None:
    records = [rows.realtime(vin, **sample) for sample in samples]
    for index in range(0, len(records), 2000):
        await write_batch(db, tenant, realtime_rows=records[index:index + 2000])


def _expected(samples: Iterable[Sample], bucket: timedelta, signal: str,
              fold: Callable[[list[Any]], Any]) -> dict[datetime, Any]:
    groups: dict[datetime, list[Any]] = defaultdict(list)
    for sample in samples:
        start = BUCKET_ORIGIN + (sample["collected_at"] - BUCKET_ORIGIN) // bucket * bucket
        groups[start].append(sample[signal])
    present = {start: [v for v in values if v is not None] for start, values in groups.items()}
    return {start: fold(values) if values else None for start, values in sorted(present.items())}


async def test_raw_rows_when_they_fit(db: asyncpg.Connection, fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    samples = _samples(rows.at(0), timedelta(seconds=30), 20)
    await _write(db, t.a, vin, samples)
    # A piece of a split record that carries none of the asked signals is skipped.
    await _write(db, t.a, vin, [{"collected_at": rows.at(1), "cell_voltages_mv": [3300]}])
    history = await signal_history(db, t.admin_a, t.a, vin, start=rows.at(0), end=rows.at(10),
                                   signals=["speed_kmh", "soc_pct"], points=20)
    assert (history.source, history.bucket, history.counts, history.downsampled) == (
        SeriesSource.RAW, None, None, False)
    assert list(history.times) == [s["collected_at"] for s in samples]
    speed, soc = history.series
    assert (speed.signal, list(speed.values or ())) == (
        "speed_kmh", [s["speed_kmh"] for s in samples])
    assert list(soc.values or ()) == [s["soc_pct"] for s in samples]
    assert speed.avg is None and soc.max is None


async def test_buckets_equal_a_direct_computation(db: asyncpg.Connection,
                                                  fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin, other] = await register(db, t.a, t.admin_a, 2)
    samples = _samples(rows.at(0), timedelta(seconds=10), 600)  # 100 minutes
    await _write(db, t.a, vin, samples)
    await _write(db, t.a, other, _samples(rows.at(0), timedelta(seconds=7), 100))
    start, end = rows.at(0), rows.at(100)
    history = await signal_history(db, t.admin_a, t.a, vin, start=start, end=end,
                                   signals=["speed_kmh", "max_temperature_c"], points=20)
    bucket = timedelta(minutes=5)
    assert (history.source, history.bucket, history.downsampled) == (
        SeriesSource.REALTIME, bucket, True)
    assert len(history.times) == 20 and sum(history.counts or ()) == 600
    speed, temperature = history.series
    expected_avg = _expected(samples, bucket, "speed_kmh", fmean)
    assert list(history.times) == list(expected_avg)
    assert list(speed.avg or ()) == pytest.approx(list(expected_avg.values()))
    assert list(speed.min or ()) == list(_expected(samples, bucket, "speed_kmh",
                                                   min).values())
    assert list(temperature.max or ()) == list(_expected(
        samples, bucket, "max_temperature_c", max).values())
    assert speed.values is None

    only_max = await signal_history(db, t.admin_a, t.a, vin, start=start, end=end,
                                    signals=["speed_kmh"], aggregates=[A.MAX], points=50)
    assert only_max.bucket == timedelta(minutes=2) and only_max.series[0].avg is None
    assert only_max.series[0].max == tuple(_expected(
        samples, timedelta(minutes=2), "speed_kmh", max).values())


async def test_hourly_rollup_answers_long_ranges_and_is_never_stale(
        db: asyncpg.Connection, fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    samples = _samples(rows.at(0), timedelta(minutes=5), 3 * 24 * 12)  # three days
    await _write(db, t.a, vin, samples)
    await refresh_dirty(db, t.a)
    late = {"collected_at": rows.at(30 * 60 + 1), "speed_kmh": 250.0, "soc_pct": 1,
            "max_temperature_c": 99}
    await _write(db, t.a, vin, [late])  # marks its hour dirty; the rollup has not seen it
    samples.append(late)
    start, end = rows.at(7), rows.at(3 * 24 * 60 - 13)  # partial hours at both ends
    inside = [s for s in samples if start <= s["collected_at"] < end]
    asked: dict[str, Any] = {"start": start, "end": end, "points": 10}
    history = await signal_history(db, t.admin_a, t.a, vin, signals=["soc_pct"],
                                   aggregates=[A.MIN, A.MAX], **asked)
    bucket = timedelta(hours=12)
    assert (history.source, history.bucket) == (SeriesSource.HOURLY_ROLLUP, bucket)
    assert history.series[0].min == tuple(_expected(inside, bucket, "soc_pct", min).values())
    assert history.series[0].max == tuple(_expected(inside, bucket, "soc_pct", max).values())
    assert sum(history.counts or ()) == len(inside)
    speed = await signal_history(db, t.admin_a, t.a, vin, signals=["speed_kmh"],
                                 aggregates=[A.MAX], **asked)
    assert speed.source is SeriesSource.HOURLY_ROLLUP and 250.0 in (speed.series[0].max or ())
    # Averages fold from the rollup's sums and counts and equal the rows' own computation:
    # exactly for integer signals, up to summation order for real ones.
    averaged = await signal_history(db, t.admin_a, t.a, vin,
                                    signals=["soc_pct", "speed_kmh", "max_temperature_c"],
                                    **asked)
    assert averaged.source is SeriesSource.HOURLY_ROLLUP
    async with tenant_tx(db, t.a) as tx:
        times, counts, direct = await storage_history.binned_signals(
            tx, vin, start, end, bucket=bucket,
            signals=["soc_pct", "speed_kmh", "max_temperature_c"], aggregates=list(A))
    assert (list(averaged.times), list(averaged.counts or ())) == (times, counts)
    soc, speed_avg, temperature = averaged.series
    assert list(soc.avg or ()) == direct[("soc_pct", A.AVG)]
    assert list(temperature.avg or ()) == direct[("max_temperature_c", A.AVG)]
    assert list(speed_avg.avg or ()) == pytest.approx(direct[("speed_kmh", A.AVG)], rel=1e-12)
    assert list(speed_avg.min or ()) == direct[("speed_kmh", A.MIN)]
    assert soc.min == history.series[0].min
    # A signal the rollup keeps no sums of comes from the rows.
    uncovered = await signal_history(db, t.admin_a, t.a, vin,
                                     signals=["soc_pct", "accelerator_pct"], **asked)
    assert uncovered.source is SeriesSource.REALTIME


async def test_refusals(db: asyncpg.Connection, fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    [b_vin] = await register(db, t.b, t.admin_b, 1)
    await _write(db, t.a, vin, _samples(rows.at(0), timedelta(days=1), 21))
    await _write(db, t.b, b_vin, _samples(rows.at(0), timedelta(days=1), 3))
    window: dict[str, Any] = {"start": rows.at(0), "end": rows.at(21 * 24 * 60)}
    with pytest.raises(RangeTooLarge):
        await signal_history(db, t.admin_a, t.a, vin, signals=["soc_pct"], points=2, **window)
    for signals in (["gear"], ["soc_pct", "soc_pct"], [], ["content_hash; DROP TABLE x"]):
        with pytest.raises(InvalidArgument):
            await signal_history(db, t.admin_a, t.a, vin, signals=signals, **window)
    with pytest.raises(InvalidArgument):
        await signal_history(db, t.admin_a, t.a, vin, signals=["soc_pct"],
                             start=rows.at(5), end=rows.at(5))
    with pytest.raises(InvalidArgument):
        await signal_history(db, t.admin_a, t.a, vin, signals=["soc_pct"],
                             aggregates=["median"], **window)  # type: ignore[list-item]
    with pytest.raises(LimitExceeded) as too_many:
        await signal_history(db, t.admin_a, t.a, vin, signals=["soc_pct"], points=11,
                             limits=DataSettings(points_max=10), **window)
    assert too_many.value.limit == "points_max"
    with pytest.raises(NotFound):  # another tenant's VIN, with data in that tenant
        await signal_history(db, t.admin_a, t.a, b_vin, signals=["soc_pct"], **window)
    with pytest.raises(AccessDenied):  # viewers see the fleet, not history
        await signal_history(db, actor(Role.VIEWER, t.a), t.a, vin, signals=["soc_pct"],
                             **window)
    analyst = await signal_history(db, actor(Role.ANALYST, t.a), t.a, vin,
                                   signals=["soc_pct"], **window)
    assert len(analyst.times) == 21
