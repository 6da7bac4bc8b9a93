"""Bucket choice for downsampling: never more buckets than points, the smallest round size
that fits, aligned like PostgreSQL's date_bin with the Beijing-midnight origin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.data_errors import InvalidArgument, RangeTooLarge
from backend.core.series import (
    BUCKET_ORIGIN,
    BUCKETS,
    bucket_count,
    check_range,
    check_signals,
    choose_bucket,
)

starts = st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2040, 1, 1),
                      timezones=st.just(UTC))
spans = st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=3000))


def _date_bin(at: datetime, bucket: timedelta) -> datetime:
    return BUCKET_ORIGIN + (at - BUCKET_ORIGIN) // bucket * bucket


@given(starts, spans, st.sampled_from(BUCKETS))
def test_bucket_count_counts_the_distinct_bins_of_the_range(start: datetime, span: timedelta,
                                                             bucket: timedelta) -> None:
    end = start + span
    first, last = _date_bin(start, bucket), _date_bin(end - timedelta(microseconds=1), bucket)
    assert bucket_count(start, end, bucket) == (last - first) // bucket + 1


@given(starts, spans, st.integers(1, 5000))
def test_choice_fits_and_is_the_smallest_that_fits(start: datetime, span: timedelta,
                                                   points: int) -> None:
    end = start + span
    try:
        bucket = choose_bucket(start, end, points)
    except RangeTooLarge:
        assert bucket_count(start, end, BUCKETS[-1]) > points
        return
    assert bucket_count(start, end, bucket) <= points
    smaller = BUCKETS[:BUCKETS.index(bucket)]
    assert all(bucket_count(start, end, b) > points for b in smaller)


def test_examples() -> None:
    day = datetime(2024, 5, 1, tzinfo=UTC) - timedelta(hours=8)  # Beijing midnight
    assert choose_bucket(day, day + timedelta(days=1), 1) == timedelta(days=1)
    assert choose_bucket(day, day + timedelta(days=1), 24) == timedelta(hours=1)
    assert choose_bucket(day, day + timedelta(days=1), 1000) == timedelta(minutes=2)
    # One minute late, the day touches two day buckets.
    assert choose_bucket(day + timedelta(minutes=1), day + timedelta(days=1, minutes=1),
                         1) == timedelta(days=7)
    with pytest.raises(RangeTooLarge):
        choose_bucket(day, day + timedelta(days=365), 10)


def test_argument_checks() -> None:
    now = datetime(2024, 5, 1, tzinfo=UTC)
    for start, end in ((now, now), (now, now - timedelta(seconds=1)),
                       (now.replace(tzinfo=None), now + timedelta(days=1))):
        with pytest.raises(InvalidArgument):
            check_range(start, end)
    check_signals(("speed_kmh", "soc_pct"))
    for signals in ((), ("vin",), ("soc_pct", "soc_pct")):
        with pytest.raises(InvalidArgument):
            check_signals(signals)
