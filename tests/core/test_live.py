"""Live views from the gateway's Redis payloads: read defensively, merged frame by frame, and
named like the gateway names its channels."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.live import (
    FrameSummary,
    after_event,
    after_frame,
    parse_event,
    parse_frame_message,
    state_from_hash,
)
from backend.storage import live as storage_live
from gateway.ingest import publisher

AT = "2024-05-01T00:30:00+00:00"
FRAME = {"vin": "LNGTEST0000000001", "tenant": "acme", "collected_at": AT,
         "received_at": "2024-05-01T00:30:01+00:00", "reissued": False, "soc_pct": 76,
         "speed_kmh": 65.2, "position": {"longitude_deg": 121.5, "latitude_deg": 31.2,
                                         "valid": True},
         "alarm_level": 1, "charging_state": 3}
EVENT = {"vin": "LNGTEST0000000001", "tenant": "acme", "kind": "logout", "at": AT,
         "collected_at": AT, "serial": 3, "details": {}}


def one_frame(payload: bytes | str) -> FrameSummary:
    message = parse_frame_message(payload)
    assert message.unreadable == 0 and len(message.frames) == 1
    return message.frames[0]


def test_channel_names_are_the_gateways() -> None:
    assert storage_live.frames_channel("acme") == publisher.frames_channel("acme")
    assert storage_live.events_channel("acme") == publisher.events_channel("acme")
    assert storage_live.latest_key("acme", "V") == publisher.latest_key("acme", "V")


def test_frame_summary_and_merge() -> None:
    frame = one_frame(json.dumps([FRAME]).encode())
    assert not frame.reissued
    state = frame.state
    assert (state.soc_pct, state.speed_kmh, state.longitude_deg, state.position_valid) == (
        76, 65.2, 121.5, True)
    assert state.collected_at == datetime(2024, 5, 1, 0, 30, tzinfo=UTC)
    without_position = one_frame(json.dumps([{**FRAME, "position": None, "soc_pct": 75}]))
    merged = after_frame(state, without_position.state)
    assert merged.soc_pct == 75 and merged.longitude_deg == 121.5


def test_link_events_change_online_only_when_it_changes() -> None:
    logout = parse_event(json.dumps(EVENT))
    assert logout is not None and logout.online is False
    frame = one_frame(json.dumps([FRAME]))
    offline = after_event(frame.state, logout)
    assert offline is not None and offline.online is False and offline.soc_pct == 76
    assert after_event(offline, logout) is None
    alarm = parse_event(json.dumps({**EVENT, "kind": "alarm_reported"}))
    assert alarm is not None and after_event(offline, alarm) is None
    assert parse_event(json.dumps({**EVENT, "at": "soon"})) is None
    assert parse_event(json.dumps({**EVENT, "at": "2024-05-01T00:30:00"})) is None  # no offset


def test_latest_hash() -> None:
    state = state_from_hash("V", {b"soc_pct": b"55", b"online": b"0", b"speed_kmh": b"3.5",
                                  b"position_valid": b"1", b"last_frame_at": AT.encode()})
    assert state is not None
    assert (state.soc_pct, state.online, state.speed_kmh, state.position_valid) == (
        55, False, 3.5, True)
    assert state_from_hash("V", {}) is None
    odd = state_from_hash("V", {b"soc_pct": b"lots", b"collected_at": b"yesterday"})
    assert odd is not None and odd.soc_pct is None and odd.collected_at is None


def test_a_frames_message_is_an_array_of_summaries_in_order() -> None:
    second = {**FRAME, "soc_pct": 75, "reissued": True}
    message = parse_frame_message(json.dumps([FRAME, second]).encode())
    assert message.unreadable == 0
    assert [(f.state.soc_pct, f.reissued) for f in message.frames] == [(76, False), (75, True)]
    assert parse_frame_message(b"[]") == parse_frame_message("[]")
    assert parse_frame_message(b"[]").frames == []


def test_a_single_summary_object_still_reads_as_a_message_of_one() -> None:
    """What a gateway from before the arrays publishes, during a rolling upgrade."""
    frame = one_frame(json.dumps(FRAME).encode())
    assert frame.state.soc_pct == 76 and frame.state.vin == FRAME["vin"]


def test_unreadable_items_of_an_array_are_skipped_and_counted() -> None:
    payload = json.dumps([FRAME, {"vin": 3}, "text", None, [FRAME], {**FRAME, "soc_pct": 1}])
    message = parse_frame_message(payload)
    assert [f.state.soc_pct for f in message.frames] == [76, 1]
    assert message.unreadable == 4


@pytest.mark.parametrize("payload", [b"", b"\xff", b'{"vin": 3}', b'{"vin": ""}', b"7",
                                     b"[" * 100_000])
def test_unreadable_payloads_are_skipped(payload: bytes) -> None:
    assert parse_event(payload) is None
    message = parse_frame_message(payload)
    assert (message.frames, message.unreadable) == ([], 1)


@given(st.dictionaries(st.sampled_from(sorted(FRAME)), st.none() | st.booleans()
                       | st.integers() | st.floats() | st.text(max_size=30), max_size=8))
def test_any_json_object_never_raises(document: dict[str, object]) -> None:
    payload = json.dumps(document)
    parse_frame_message(payload)
    parse_frame_message(f"[{payload}, {payload}]")
    parse_event(payload)
