"""The alarm event lifecycle and the level-3/4 compliance checks (backend/core/alarms)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.core.alarms.compliance import ComplianceSettings, CriticalWatch, FlagKind
from backend.core.alarms.conditions import Evaluation, Source
from backend.core.alarms.lifecycle import (
    Change,
    EventState,
    LifecycleSettings,
    Sample,
    VehicleAlarms,
)

T0 = datetime(2025, 6, 2, 1, 0, tzinfo=UTC)
KEY = (Source.VEHICLE, "insulation")
SETTINGS = LifecycleSettings(close_after_s=60, flap_window_s=600, flap_reopens=2)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def sample(seconds: float, level: int | None, *, reissued: bool = False,
           observed: bool = True, codes: frozenset[int] = frozenset()) -> Sample:
    """``level`` None: the condition is clear in this record."""
    active = {} if level is None else {KEY: level}
    return Sample(at(seconds), reissued,
                  Evaluation(active, frozenset({KEY}) if observed else frozenset()),
                  codes, f"{int(seconds * 1000)}-0")


def run(samples: list[Sample], settings_: LifecycleSettings = SETTINGS
        ) -> tuple[VehicleAlarms, list[tuple[str, Change]]]:
    ids = (f"e{n}" for n in itertools.count())
    vehicle = VehicleAlarms("V", settings_)
    log = []
    for item in samples:
        log += [(event.id, change) for event, change in vehicle.apply(item, ids.__next__)]
    return vehicle, log


def test_open_update_close() -> None:
    samples = ([sample(s, 1) for s in range(0, 50, 10)] + [sample(50, 2)]
               + [sample(s, None) for s in range(60, 130, 10)])
    vehicle, log = run(samples)
    event = vehicle.events[KEY]
    assert log[0] == ("e0", Change.OPENED)
    assert ("e0", Change.ESCALATED) in log and log[-1] == ("e0", Change.CLOSED)
    assert (event.opened_at, event.last_seen_at, event.closed_at) == (at(0), at(50), at(60))
    assert (event.frame_count, event.peak_level, event.state) == (6, 2, EventState.CLOSED)
    assert event.feed_position == "120000-0"  # the record that closed it


def test_a_short_clear_does_not_close() -> None:
    vehicle, log = run([sample(0, 1), sample(10, None), sample(40, None), sample(50, 1),
                        sample(100, 1)])
    event = vehicle.events[KEY]
    assert event.state is EventState.OPEN and event.cleared_at is None
    assert [change for _, change in log].count(Change.OPENED) == 1


def test_records_that_cannot_judge_keep_the_event_open() -> None:
    vehicle, _ = run([sample(0, 1)] + [sample(s, None, observed=False) for s in range(10, 500, 10)])
    assert vehicle.events[KEY].state is EventState.OPEN


def test_flapping_reopens_the_same_event() -> None:
    samples = []
    for cycle in range(6):  # on 30 s, off 200 s: closes after 60 s, back within the window
        start = cycle * 230
        samples += [sample(start + s, 1) for s in (0, 10, 20)]
        samples += [sample(start + s, None) for s in range(30, 230, 10)]
    vehicle, log = run(samples)
    assert {event_id for event_id, _ in log} == {"e0"}
    event = vehicle.events[KEY]
    assert event.reopen_count == 5 and event.flapping
    assert event.opened_at == at(0) and event.last_seen_at == at(5 * 230 + 20)


def test_after_the_flap_window_a_new_event_opens() -> None:
    vehicle, log = run([sample(0, 1), sample(10, None), sample(80, None), sample(800, 3)])
    assert [change for _, change in log] == [Change.OPENED, Change.UPDATED, Change.CLOSED,
                                             Change.OPENED]
    assert vehicle.events[KEY].id == "e1" and vehicle.events[KEY].peak_level == 3


def test_late_prealarm_records_move_the_opening_back() -> None:
    samples = [sample(100, 3)] + [sample(s, 3, reissued=True) for s in range(70, 100)]
    vehicle, _ = run(samples)
    event = vehicle.events[KEY]
    assert event.opened_at == at(70) and event.frame_count == 31 and not event.historical


def test_an_event_opened_by_a_reissue_is_historical() -> None:
    vehicle, _ = run([sample(0, 2, reissued=True)])
    assert vehicle.events[KEY].historical


def test_forget_settled_keeps_only_what_can_still_change() -> None:
    vehicle, _ = run([sample(0, 1), sample(10, None), sample(80, None)])
    vehicle.forget_settled(at(600))
    assert KEY in vehicle.events
    vehicle.forget_settled(at(611))
    assert KEY not in vehicle.events


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(1, 4), st.integers(1, 59)),
                min_size=1, max_size=80))
def test_alternating_input_within_the_flap_window_is_one_event(
        steps: list[tuple[bool, int, int]]) -> None:
    """Whatever toggles, with records never further apart than the flap window: one event."""
    now, samples = 0, []
    for active, level, gap in steps:
        samples.append(sample(now, level if active else None))
        now += gap
    vehicle, log = run(samples)
    assert len({event_id for event_id, _ in log}) <= 1
    opened = [change for _, change in log if change is Change.OPENED]
    assert len(opened) == (1 if any(active for active, _, _ in steps) else 0)
    if opened:
        event = vehicle.events[KEY]
        active_levels = [level for active, level, _ in steps if active]
        assert event.peak_level == max(active_levels)
        assert event.frame_count == len(active_levels)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(1, 4)), min_size=1, max_size=60),
       st.randoms(use_true_random=False))
def test_order_of_arrival_within_an_episode_does_not_change_the_event(
        steps: list[tuple[bool, int]], rng: object) -> None:
    """Records 1 s apart, all active: shuffled arrival gives the same span, count and peak."""
    samples = [sample(n, level) for n, (_, level) in enumerate(steps)]
    shuffled = list(samples)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    ordered, _ = run(samples)
    mixed, _ = run(shuffled)
    a, b = ordered.events[KEY], mixed.events[KEY]
    assert (a.opened_at, a.last_seen_at, a.peak_level, a.frame_count) == \
        (b.opened_at, b.last_seen_at, b.peak_level, b.frame_count)


def watch(edition: int) -> CriticalWatch:
    return CriticalWatch("e0", "V", edition, at(100), at(101), ComplianceSettings())


def test_fast_reporting_gap_is_flagged_once() -> None:
    critical = watch(2025)
    assert critical.record(at(100), False) is None
    assert critical.record(at(101), False) is None
    flag = critical.record(at(111), False)
    assert flag is not None and flag.kind is FlagKind.FAST_REPORTING_MISSING
    assert flag.details["gap_s"] == 10
    assert critical.record(at(130), False) is None  # once per event


def test_2016_needs_fast_reporting_for_30_s_only() -> None:
    critical = watch(2016)
    for second in range(100, 131):
        assert critical.record(at(second), False) is None
    assert critical.record(at(141), False) is None  # back to the normal period: fine
    assert watch(2025).record(at(141), False) is None  # first live record: nothing to compare


def test_prealarm_records_decide_after_the_grace_time() -> None:
    complete, missing = watch(2016), watch(2016)
    for second in range(70, 100):
        complete.record(at(second), True)
    for second in range(90, 100):
        missing.record(at(second), True)
    assert complete.due(at(200)) is None and missing.due(at(200)) is None  # grace not over
    assert complete.due(at(221)) is None
    flag = missing.due(at(221))
    assert flag is not None and flag.kind is FlagKind.PREALARM_MISSING
    assert flag.details["records"] == 10
    assert missing.due(at(300)) is None  # decided once
    assert missing.finished(at(131)) and not missing.finished(at(120))
