"""StreamFramer: TCP stream framing (PROTOCOL.md §2.2) with hand-built frames from §15."""

from __future__ import annotations

import functools
import itertools
import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.protocol.framer import Rejection, RejectReason, StreamFramer

VIN_HEX = "4C 54 45 53 54 56 49 4E 30 30 30 30 30 30 30 30 31"  # "LTESTVIN000000001", XOR = 0x3A

# §15 worked example: vehicle logout request, 33 bytes.
LOGOUT = bytes.fromhex(
    "23 23"                 # "##" 2016
    "04 FE"                 # logout, command packet
    f"{VIN_HEX}"
    "01 00 08"              # not encrypted, N = 8
    "18 05 01 08 1E 00"     # 2024-05-01 08:30:00
    "00 03"                 # logout serial 3
    "C0")                   # BCC
# §15 reply: flag 0x01, only the time kept, 31 bytes.
LOGOUT_REPLY = bytes.fromhex(f"23 23 04 01 {VIN_HEX} 01 00 06 18 05 01 08 1E 00 32")
# Heartbeat 0x07, empty data unit: BCC = 07 ^ FE ^ 3A ^ 01 ^ 00 ^ 00 = C2. 25 bytes.
HEARTBEAT = bytes.fromhex(f"23 23 07 FE {VIN_HEX} 01 00 00 C2")
# The same logout with the 2025 marker: the BCC skips the marker, so it is still C0 (§2.1, §14.1).
LOGOUT_2025 = bytes.fromhex(f"24 24 04 FE {VIN_HEX} 01 00 08 18 05 01 08 1E 00 00 03 C0")

ALL_FRAMES = [LOGOUT, LOGOUT_REPLY, HEARTBEAT, LOGOUT_2025]
STREAM = b"".join(ALL_FRAMES)


def _frame(marker: bytes, command: int, data: bytes) -> bytes:
    """Independent frame builder for property tests (not the project's encoder)."""
    body = bytes((command, 0xFE)) + b"LTESTVIN000000001" + b"\x01" + len(data).to_bytes(2, "big")
    body += data
    return marker + body + bytes((functools.reduce(operator.xor, body, 0),))


def _consumed_accounting(framer: StreamFramer, frames: list[bytes]) -> int:
    """Every byte fed is exactly one of: frame, garbage, a rejected candidate's first byte, held."""
    stats = framer.stats
    return (sum(map(len, frames)) + stats.garbage_bytes + stats.bad_checksum + stats.oversize
            + stats.expired_partial + framer.buffered)


@pytest.mark.parametrize("frame", ALL_FRAMES, ids=["logout", "reply", "heartbeat", "logout2025"])
def test_single_frame(frame: bytes) -> None:
    framer = StreamFramer()
    assert framer.feed(frame) == [frame]
    assert framer.buffered == 0
    assert framer.stats.frames == 1
    assert framer.drain_rejections() == []


def test_sticky_frames_in_one_chunk() -> None:
    framer = StreamFramer()
    assert framer.feed(STREAM) == ALL_FRAMES
    assert framer.stats.frames == 4
    assert framer.stats.garbage_bytes == 0


@pytest.mark.parametrize("cut", range(1, len(STREAM)))
def test_split_at_every_offset(cut: int) -> None:
    framer = StreamFramer()
    assert framer.feed(STREAM[:cut]) + framer.feed(STREAM[cut:]) == ALL_FRAMES
    assert framer.buffered == 0


def test_one_byte_at_a_time() -> None:
    framer = StreamFramer()
    single_bytes = [STREAM[index:index + 1] for index in range(len(STREAM))]
    frames = [frame for chunk in single_bytes for frame in framer.feed(chunk)]
    assert frames == ALL_FRAMES


def test_garbage_between_frames_is_counted() -> None:
    framer = StreamFramer()
    noise = bytes.fromhex("00 FF 41 0D 0A")  # no 0x23/0x24 in it
    frames = framer.feed(noise + LOGOUT + noise + noise + HEARTBEAT + noise)
    assert frames == [LOGOUT, HEARTBEAT]
    assert framer.stats.garbage_bytes == 20
    assert framer.drain_rejections() == [
        Rejection(RejectReason.GARBAGE, 5, 0),
        Rejection(RejectReason.GARBAGE, 10, 38),
        Rejection(RejectReason.GARBAGE, 5, 73),
    ]
    assert framer.drain_rejections() == []
    assert f"peer.{RejectReason.BAD_CHECKSUM}" == "peer.bad_checksum"


def test_trailing_half_marker_is_held_back() -> None:
    framer = StreamFramer()
    assert framer.feed(b"\x00" + LOGOUT[:1]) == []
    assert framer.buffered == 1
    assert framer.feed(LOGOUT[1:]) == [LOGOUT]
    assert framer.stats.garbage_bytes == 1


def test_bad_checksum_then_good_frame_starting_inside_it() -> None:
    # A truncated realtime header announcing N = 0x40: the candidate swallows the next 64 bytes
    # (LOGOUT + LOGOUT_REPLY) and takes HEARTBEAT's first byte 0x23 as its BCC. Expected BCC:
    # header 02^FE^3A^01^00^40 = 87, and each whole "##" frame XORs to 0, so 87 != 23.
    truncated = bytes.fromhex(f"23 23 02 FE {VIN_HEX} 01 00 40")
    framer = StreamFramer()
    frames = framer.feed(truncated + LOGOUT + LOGOUT_REPLY + HEARTBEAT)
    assert frames == [LOGOUT, LOGOUT_REPLY, HEARTBEAT]
    assert framer.stats.bad_checksum == 1
    assert framer.stats.garbage_bytes == 23   # the rest of the bogus header after its first byte
    assert framer.drain_rejections() == [
        Rejection(RejectReason.BAD_CHECKSUM, 24 + 64 + 1, 0),
        Rejection(RejectReason.GARBAGE, 23, 1),
    ]


def test_corrupted_frame_is_dropped_and_stream_continues() -> None:
    corrupted = LOGOUT[:-1] + b"\xC1"
    framer = StreamFramer()
    assert framer.feed(corrupted + LOGOUT_REPLY) == [LOGOUT_REPLY]
    assert framer.stats.bad_checksum == 1
    assert framer.stats.garbage_bytes == len(LOGOUT) - 1


def test_stray_marker_byte_before_a_frame() -> None:
    # "#" + "##...": the candidate at offset 0 reads N = 0x0100 and waits; the idle timeout
    # recovers every frame behind it.
    framer = StreamFramer()
    assert framer.feed(b"\x23" + LOGOUT + LOGOUT_REPLY + HEARTBEAT) == []
    assert framer.expire_partial() == [LOGOUT, LOGOUT_REPLY, HEARTBEAT]
    assert framer.stats.expired_partial == 1
    assert framer.buffered == 0
    assert framer.drain_rejections() == [Rejection(RejectReason.EXPIRED_PARTIAL, 90, 0)]


def test_stray_marker_byte_recovered_once_enough_bytes_arrive() -> None:
    framer = StreamFramer()
    frames = framer.feed(b"\x23" + LOGOUT + HEARTBEAT * 10)   # 1 + 33 + 250 >= 25 + 0x100
    assert frames == [LOGOUT] + [HEARTBEAT] * 10
    assert framer.stats.bad_checksum == 1


def test_oversize_length_with_gateway_limit() -> None:
    # N = 0x4000: 25 + 16384 bytes is over a 16 KiB frame limit; rejected from the header alone.
    huge = bytes.fromhex(f"23 23 02 FE {VIN_HEX} 01 40 00")
    framer = StreamFramer(max_frame_size=16 * 1024)
    assert framer.feed(huge + LOGOUT) == [LOGOUT]
    assert framer.stats.oversize == 1
    assert framer.drain_rejections()[0] == Rejection(RejectReason.OVERSIZE, 25 + 0x4000, 0)


def test_length_above_standard_maximum_is_oversize_by_default() -> None:
    # §2: N is at most 65531; FFFF is a corrupted length, not a frame to wait for.
    bogus = bytes.fromhex(f"24 24 02 FE {VIN_HEX} 01 FF FF")
    framer = StreamFramer()
    assert framer.feed(bogus + HEARTBEAT) == [HEARTBEAT]
    assert framer.stats.oversize == 1
    assert framer.buffered == 0


def test_largest_standard_frame_is_accepted() -> None:
    data = bytes(65531)
    frame = _frame(b"$$", 0x02, data)
    framer = StreamFramer()
    chunks = [frame[index:index + 1000] for index in range(0, len(frame), 1000)]
    assert [got for chunk in chunks for got in framer.feed(chunk)] == [frame]


def test_buffer_cap_holds_for_huge_chunk() -> None:
    framer = StreamFramer(max_frame_size=64, max_buffer=128)
    noise = bytes(range(0x25, 0x80)) * 3      # no marker bytes
    chunk = (noise + LOGOUT + HEARTBEAT) * 300
    frames = framer.feed(chunk)
    assert frames == [LOGOUT, HEARTBEAT] * 300
    assert framer.high_water <= 128
    assert framer.buffered == 0
    assert framer.stats.garbage_bytes == len(noise) * 300


def test_frames_larger_than_a_low_limit_are_rejected() -> None:
    framer = StreamFramer(max_frame_size=30, max_buffer=60)
    assert framer.feed(LOGOUT + HEARTBEAT) == [HEARTBEAT]     # LOGOUT is 33 bytes
    assert framer.stats.oversize == 1


@pytest.mark.parametrize(("max_frame_size", "max_buffer"), [(24, None), (65557, None), (100, 199)])
def test_invalid_limits(max_frame_size: int, max_buffer: int | None) -> None:
    with pytest.raises(ValueError, match="max_"):
        StreamFramer(max_frame_size=max_frame_size, max_buffer=max_buffer)


def test_expire_partial_drops_a_stale_frame() -> None:
    framer = StreamFramer()
    assert framer.feed(LOGOUT[:10]) == []
    assert framer.buffered == 10
    assert framer.expire_partial() == []
    assert framer.buffered == 0
    assert framer.stats.expired_partial == 1
    assert framer.stats.garbage_bytes == 9   # the rescan finds no marker in the remaining bytes
    assert framer.feed(HEARTBEAT) == [HEARTBEAT]


def test_expire_partial_with_nothing_or_a_lone_byte() -> None:
    framer = StreamFramer()
    assert framer.expire_partial() == []
    assert framer.feed(b"$") == []
    assert framer.expire_partial() == []
    assert framer.stats.expired_partial == 0
    assert framer.stats.garbage_bytes == 1
    assert framer.buffered == 0


def test_rejection_history_is_bounded() -> None:
    framer = StreamFramer(rejection_history=3)
    for _ in range(10):
        framer.feed(b"\x00" + HEARTBEAT)
    assert len(framer.drain_rejections()) == 3
    assert framer.stats.garbage_bytes == 10


def test_accepts_bytearray_and_memoryview() -> None:
    framer = StreamFramer()
    assert framer.feed(bytearray(LOGOUT)) == [LOGOUT]
    assert framer.feed(memoryview(HEARTBEAT)) == [HEARTBEAT]


frame_strategy = st.builds(
    _frame, st.sampled_from([b"##", b"$$"]), st.integers(0, 255), st.binary(max_size=120))


def _rechunk(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(data), *(cut % (len(data) + 1) for cut in cuts)})
    return [data[start:stop] for start, stop in itertools.pairwise(points)]


@settings(max_examples=150, deadline=None)
@given(frames=st.lists(frame_strategy, max_size=25), cuts=st.lists(st.integers(0, 10**6)))
def test_rechunking_yields_the_same_frames(frames: list[bytes], cuts: list[int]) -> None:
    framer = StreamFramer()
    got = [frame for chunk in _rechunk(b"".join(frames), cuts) for frame in framer.feed(chunk)]
    assert got == frames
    assert framer.buffered == 0
    assert framer.stats.garbage_bytes == 0


noise_strategy = st.binary(max_size=40).map(lambda raw: raw.replace(b"#", b"").replace(b"$", b""))


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.tuples(noise_strategy, frame_strategy), max_size=15),
       cuts=st.lists(st.integers(0, 10**6), max_size=20))
def test_marker_free_garbage_never_hides_a_frame(
        parts: list[tuple[bytes, bytes]], cuts: list[int]) -> None:
    framer = StreamFramer()
    stream = b"".join(noise + frame for noise, frame in parts)
    got = [frame for chunk in _rechunk(stream, cuts) for frame in framer.feed(chunk)]
    assert got == [frame for _, frame in parts]
    assert framer.stats.garbage_bytes == sum(len(noise) for noise, _ in parts)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=600).map(lambda raw: raw.replace(b"\x01", b"#")),
       cuts=st.lists(st.integers(0, 10**6), max_size=30))
def test_arbitrary_bytes_never_raise_and_stay_bounded(data: bytes, cuts: list[int]) -> None:
    framer = StreamFramer(max_frame_size=200, max_buffer=400)
    frames: list[bytes] = []
    for chunk in _rechunk(data, cuts):
        frames += framer.feed(chunk)
        assert framer.buffered < 200
        assert framer.high_water <= 400
    while framer.buffered:
        frames += framer.expire_partial()
    assert all(frame[:2] in (b"##", b"$$") for frame in frames)
    assert _consumed_accounting(framer, frames) == len(data)


def _damage(frame: bytes, position: int, flip: int) -> bytes:
    index = position % len(frame)
    return frame[:index] + bytes((frame[index] ^ flip,)) + frame[index + 1:]


damaged_strategy = st.one_of(
    frame_strategy,
    st.builds(_damage, frame_strategy, st.integers(0, 10**4), st.integers(1, 255)),
    st.builds(lambda frame, cut: frame[:cut % len(frame)], frame_strategy, st.integers(0, 10**4)),
    st.binary(max_size=30),
)


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(damaged_strategy, max_size=12),
       cuts=st.lists(st.integers(0, 10**6), max_size=20))
def test_damaged_streams_account_for_every_byte(parts: list[bytes], cuts: list[int]) -> None:
    data = b"".join(parts)
    framer = StreamFramer(max_frame_size=160, max_buffer=320)
    frames: list[bytes] = []
    for chunk in _rechunk(data, cuts):
        frames += framer.feed(chunk)
        assert framer.buffered < 160
    while framer.buffered:
        frames += framer.expire_partial()
    assert _consumed_accounting(framer, frames) == len(data)
    assert all(frame in data for frame in frames)
