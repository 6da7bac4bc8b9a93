"""The alarm benchmark's episodes (bench/e2e_alarms.py): the frames decode to the alarm they are
meant to carry, and the event counts the loaders report are the ones the engine's lifecycle
gives for the same records, so the benchmark's loss check compares like with like."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.core.alarms.conditions import Evaluation, Source
from backend.core.alarms.lifecycle import Change, LifecycleSettings, Sample, VehicleAlarms
from bench.e2e_alarms import ALARM_LEVEL, Episodes, episodes_for
from bench.e2e_load import FrameMaker
from gateway.protocol import blocks_2016_alarm
from gateway.protocol.codec import decode_frame

START = datetime(2026, 12, 1, tzinfo=UTC)
KEY = (Source.VEHICLE, "insulation")


def _alarm_block(frame: bytes) -> blocks_2016_alarm.Alarm:
    body = decode_frame(frame).body
    [block] = [b for b in getattr(body, "blocks", ()) if isinstance(b, blocks_2016_alarm.Alarm)]
    return block


def test_frames_carry_the_insulation_alarm_exactly_when_the_schedule_says() -> None:
    maker = FrameMaker("LBENCH00000100000", START, episodes=Episodes(on=2, off=3, phase=1))
    blocks = [_alarm_block(maker.next()) for _ in range(6)]
    assert [(b.max_level, b.general_flags) for b in blocks] == [
        (ALARM_LEVEL, 1 << 11), (0, 0), (0, 0), (0, 0), (ALARM_LEVEL, 1 << 11),
        (ALARM_LEVEL, 1 << 11)]


def test_the_share_of_alarming_vehicles() -> None:
    chosen = [i for i in range(2000) if episodes_for(i, 0.05, 10, 30) is not None]
    assert len(chosen) == 100
    assert episodes_for(0, 0.0, 10, 30) is None


def _lifecycle_counts(episodes: Episodes, sent: int, close_after: int,
                      flap_window: int) -> tuple[int, int, int]:
    alarms = VehicleAlarms("V", LifecycleSettings(close_after_s=close_after,
                                                  flap_window_s=flap_window))
    counts = dict.fromkeys(Change, 0)
    ids = iter(range(10**6))
    for index in range(sent):
        active = {KEY: ALARM_LEVEL} if episodes.active(index) else {}
        sample = Sample(START + timedelta(seconds=index), False,
                        Evaluation(active, frozenset({KEY})), frozenset(), f"{index}-0")
        for _, change in alarms.apply(sample, lambda: str(next(ids))):
            counts[change] += 1
    return counts[Change.OPENED], counts[Change.CLOSED], counts[Change.REOPENED]


@settings(max_examples=60, deadline=None)
@given(on=st.integers(1, 12), close_after=st.integers(1, 6), gap=st.integers(1, 10),
       phase=st.integers(0, 80), sent=st.integers(0, 200))
def test_counts_match_the_engines_lifecycle(on: int, close_after: int, gap: int, phase: int,
                                            sent: int) -> None:
    flap_window = close_after + gap
    off = flap_window + 1 + gap  # the benchmark's rule: close-after < flap-window < off
    episodes = Episodes(on, off, phase % (on + off))
    opened, closed = episodes.count(sent, close_after)
    assert _lifecycle_counts(episodes, sent, close_after, flap_window) == (opened, closed, 0)
