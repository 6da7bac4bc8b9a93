"""Online periods from link events, and which decoded rows belong to a raw frame (the content
hash must be the one the gateway stores)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from hypothesis import given
from hypothesis import strategies as st

from backend.core.raw_frames import DecodedRecord, RawFrame, data_unit_digest, records_of
from backend.core.sessions import END_KINDS, START_KINDS, LinkEvent, online_sessions
from gateway.ingest.rows import digest, plaintext_data_unit
from gateway.protocol.codec import decode_frame
from tests.ingest.ingest_frames import LOGIN_2016, REALTIME_2016_FULL, REALTIME_2025_FULL, wire

T0 = datetime(2024, 5, 1, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_periods_edges_and_untidy_streams() -> None:
    events = [LinkEvent(at(0), "login", {}), LinkEvent(at(5), "disconnected", {}),
              LinkEvent(at(5), "connected", {"platform": 1}),  # replaced at one instant
              LinkEvent(at(9), "disconnected", {"reason": "replaced"}),
              LinkEvent(at(9), "logout", {}),  # a second end: ignored
              LinkEvent(at(12), "heartbeat_gap", {})]
    assert [(s.start, s.end, s.started_by, s.end_reason)
            for s in online_sessions(events, at(0), at(20))] == [
        (at(0), at(5), "login", "disconnected"), (at(5), at(9), "connected", "replaced")]
    assert online_sessions(events, at(9), at(20)) == ()
    assert len(online_sessions(events, at(4), at(6))) == 2


kinds = st.sampled_from(sorted(START_KINDS | END_KINDS))


@given(st.lists(st.tuples(st.integers(0, 100), kinds), max_size=40),
       st.integers(0, 100), st.integers(1, 50))
def test_periods_never_overlap_and_touch_the_range(raw: list[tuple[int, str]], start: int,
                                                   length: int) -> None:
    events = [LinkEvent(at(minute), kind, {}) for minute, kind in raw]
    found = online_sessions(events, at(start), at(start + length))
    for session in found:
        assert session.start < at(start + length)
        assert session.end is None or session.start <= session.end > at(start)
    for earlier, later in itertools.pairwise(found):
        assert earlier.end is not None and earlier.end <= later.start


def test_digest_is_the_content_hash_the_gateway_stores() -> None:
    for raw in (wire("##", 0x02, REALTIME_2016_FULL), wire("$$", 0x02, REALTIME_2025_FULL)):
        frame = decode_frame(raw)
        assert data_unit_digest(raw) == digest(plaintext_data_unit(frame, raw))


def _record(minutes: int, content_hash: bytes) -> DecodedRecord:
    return DecodedRecord(at(minutes), content_hash, MappingProxyType({}))


def test_records_of_a_frame() -> None:
    raw = wire("##", 0x02, REALTIME_2016_FULL)
    own = _record(0, data_unit_digest(raw))
    sibling = _record(0, b"\x01" * 16)
    elsewhere = _record(1, data_unit_digest(raw))
    frame = RawFrame(at(0), at(0), 0x02, 2016, raw, digest(raw))
    assert records_of(frame, [sibling, own, elsewhere]) == (own,)
    # No row with the frame's hash (it arrived encrypted): every row of its collection time.
    assert records_of(frame, [sibling, elsewhere]) == (sibling,)
    login = RawFrame(at(0), at(0), 0x01, 2016, wire("##", 0x01, LOGIN_2016), b"")
    assert records_of(login, [own]) == ()
