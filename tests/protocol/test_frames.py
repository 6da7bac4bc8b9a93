"""Frame-level proof of the codec: hand-built golden frames of both editions, the canonical JSON
example, round-trip properties for every message type, stream re-chunking, and replies (§6.2).
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime
from functools import reduce
from operator import xor
from pathlib import Path

import pytest
from golden_frames import (
    AT,
    GOLDEN,
    LOGOUT,
    LOGOUT_REPLY,
    PARAMETERS_2025_UNIT,
    REALTIME_2016_BLOCKS,
    VIN_HEX,
    Golden,
)
from golden_frames import envelope as hand_envelope
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies_2016 import data_unit_bytes_2016
from strategies_frames import MESSAGE_TYPES, MessageType, frames, frames_of

from bench.sample_frames import BENCH_FRAMES
from gateway.protocol.bodies import Empty, TimeOnly
from gateway.protocol.canonical import from_json, to_json
from gateway.protocol.codec import decode_frame, encode_frame
from gateway.protocol.envelope import split_frame, split_framed
from gateway.protocol.errors import BadChecksum, LengthMismatch, ProtocolError, TruncatedDataUnit
from gateway.protocol.frame import Frame
from gateway.protocol.framer import StreamFramer
from gateway.protocol.model import Command, Edition, ResponseFlag
from gateway.protocol.replies import reply_to
from gateway.protocol.wire import BEIJING

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 25            # per message type and property: 54 types x 25 = 1350 frames each


# ---- golden frames ------------------------------------------------------------------------------

@pytest.mark.parametrize("golden", GOLDEN, ids=[g.name for g in GOLDEN])
def test_golden_frame_decodes_to_the_hand_written_model(golden: Golden) -> None:
    assert decode_frame(golden.wire) == golden.expected


@pytest.mark.parametrize("golden", GOLDEN, ids=[g.name for g in GOLDEN])
def test_golden_model_encodes_to_the_hand_written_bytes(golden: Golden) -> None:
    assert encode_frame(golden.expected) == golden.wire


def test_golden_set_covers_every_command_of_both_editions() -> None:
    seen = {(g.expected.edition, g.expected.command) for g in GOLDEN}
    for command in (0x01, 0x02, 0x04, 0x05, 0x07, 0x08, 0x80, 0x81, 0x82):
        assert (Edition.V2016, command) in seen or (Edition.V2025, command) in seen
    for command in (0x09, 0x0A, 0x0B):
        assert (Edition.V2025, command) in seen


def test_derived_views_of_the_golden_realtime_frames() -> None:
    """Gear, sign and alarm bits read the way §8.1, §8.5 and §8.7 describe them."""
    vehicle, _, _, _, position, _, alarm, *_ = REALTIME_2016_BLOCKS
    assert (vehicle.gear_position, vehicle.driving_force, vehicle.braking_force) == (
        14, True, False)
    # Status 0x04: valid fix, west longitude, so the longitude is negative.
    assert (position.fix_valid, position.longitude_deg) == (True, -122.419416)
    assert alarm.active_flag_bits == (11, 18)


def test_2025_parameter_widths_break_a_2016_reader() -> None:
    """§14.3: the 2025 BYTE-wide 0x02/0x03 read with 2016 WORD widths runs past the end."""
    as_2016 = hand_envelope("##", 0x80, 0x01, PARAMETERS_2025_UNIT, 0x5D)
    with pytest.raises(TruncatedDataUnit):
        decode_frame(as_2016)


def test_canonical_json_of_the_worked_example_is_the_documented_one() -> None:
    text = (ROOT / "docs" / "protocol-json.md").read_text(encoding="utf-8")
    section = text[text.index("## The frame object"):]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block is not None
    documented = json.loads(block.group(1))
    ours = json.loads(to_json(decode_frame(LOGOUT)))
    assert ours == documented
    assert list(ours) == list(documented)
    assert list(ours["body"]) == list(documented["body"])


# ---- properties for every message type ----------------------------------------------------------

def _wrap(edition: Edition, command: int, response: int, *, unique_id: bytes, encryption: int,
          data_unit: bytes) -> bytes:
    """Lay out a frame as §2 / §2.1 describe it, without the codec's envelope code."""
    marker = b"##" if edition is Edition.V2016 else b"$$"
    body = (bytes((command, response)) + unique_id + bytes((encryption,))
            + len(data_unit).to_bytes(2, "big") + data_unit)
    return marker + body + bytes((reduce(xor, body, 0),))


def _rewrap(frame: Frame, unique_id: bytes, data_unit: bytes) -> bytes:
    return _wrap(frame.edition, frame.command, frame.response, unique_id=unique_id,
                 encryption=frame.encryption, data_unit=data_unit)


type_ids = [str(t) for t in MESSAGE_TYPES]
type_settings = settings(max_examples=EXAMPLES, deadline=None, database=None)


@pytest.mark.parametrize("message_type", MESSAGE_TYPES, ids=type_ids)
@type_settings
@given(data=st.data())
def test_decode_inverts_encode(message_type: MessageType, data: st.DataObject) -> None:
    frame = data.draw(frames_of(message_type))
    assert decode_frame(encode_frame(frame)) == frame


@pytest.mark.parametrize("message_type", MESSAGE_TYPES, ids=type_ids)
@type_settings
@given(data=st.data())
def test_canonical_json_round_trip(message_type: MessageType, data: st.DataObject) -> None:
    frame = data.draw(frames_of(message_type))
    assert from_json(to_json(frame)) == frame


@pytest.mark.parametrize("message_type", MESSAGE_TYPES, ids=type_ids)
@type_settings
@given(data=st.data())
def test_encode_inverts_decode(message_type: MessageType, data: st.DataObject) -> None:
    """Bytes wrapped independently (any 17 id bytes, any flag of the slot) come back exactly;
    so does the same frame with its data unit replaced by arbitrary bytes, when it decodes."""
    frame = data.draw(frames_of(message_type))
    unique_id = data.draw(st.binary(min_size=17, max_size=17))
    wire = _rewrap(frame, unique_id, encode_frame(frame)[24:-1])
    assert encode_frame(decode_frame(wire)) == wire
    noise = _rewrap(frame, unique_id, data.draw(st.binary(max_size=80)))
    try:
        decoded = decode_frame(noise)
    except ProtocolError:
        return
    assert encode_frame(decoded) == noise


@settings(max_examples=300, deadline=None, database=None)
@given(data_unit=data_unit_bytes_2016(), command=st.sampled_from((0x02, 0x03)))
def test_wire_built_2016_realtime_round_trips(data_unit: bytes, command: int) -> None:
    """Realtime data units assembled from raw bytes (not from models) re-encode exactly."""
    wire = _wrap(Edition.V2016, command, 0xFE, unique_id=b"LNBSCB3F5JW123456", encryption=0x01,
                 data_unit=data_unit)
    assert encode_frame(decode_frame(wire)) == wire


# ---- stream framing: any re-chunking yields the same frames -------------------------------------

@st.composite
def _stream(draw: st.DrawFn) -> tuple[list[bytes], list[bytes]]:
    """Frames (sometimes a big bench frame among them) and the chunks one TCP peer sent them in."""
    wires = [encode_frame(f) for f in draw(st.lists(frames(), min_size=1, max_size=30))]
    for _ in range(draw(st.integers(0, 2))):
        big = draw(st.sampled_from(sorted(BENCH_FRAMES.values())))
        wires.insert(draw(st.integers(0, len(wires))), big)
    stream = b"".join(wires)
    if draw(st.booleans()):
        size = draw(st.integers(1, 97))
        cuts = list(range(size, len(stream), size))
    else:
        cuts = sorted(set(draw(st.lists(st.integers(1, len(stream) - 1), max_size=60))))
    bounds = [0, *cuts, len(stream)]
    return wires, [stream[a:b] for a, b in itertools.pairwise(bounds)]


@settings(max_examples=150, deadline=None, database=None)
@given(_stream())
def test_rechunked_stream_yields_the_same_frames(case: tuple[list[bytes], list[bytes]]) -> None:
    wires, chunks = case
    framer = StreamFramer()
    received = [frame for chunk in chunks for frame in framer.feed(chunk)]
    assert received == wires
    assert [decode_frame(w) for w in received] == [decode_frame(w) for w in wires]
    assert framer.buffered == 0
    assert framer.stats.garbage_bytes == framer.stats.bad_checksum == 0


# ---- replies (§6.2) ----------------------------------------------------------------------------

NOW = datetime(2024, 5, 1, 0, 30, 5, tzinfo=UTC)      # 08:30:05 in Beijing


def test_reply_to_the_worked_example_is_byte_exact() -> None:
    assert reply_to(split_frame(LOGOUT), ResponseFlag.SUCCESS, NOW) == LOGOUT_REPLY
    assert decode_frame(LOGOUT_REPLY).body == TimeOnly(at=AT)


def test_heartbeat_reply_is_empty() -> None:
    heartbeat = bytes.fromhex(f"23 23 07 FE {VIN_HEX} 01 00 00 C2")
    assert reply_to(split_frame(heartbeat), ResponseFlag.SUCCESS, NOW) == bytes.fromhex(
        f"23 23 07 01 {VIN_HEX} 01 00 00 3D")


def test_time_calibration_reply_carries_the_injected_clock() -> None:
    request = hand_envelope("$$", 0x08, 0xFE, "", 0xCD)
    reply = reply_to(split_frame(request), ResponseFlag.SUCCESS, NOW)
    assert reply == hand_envelope("$$", 0x08, 0x01, "18 05 01 08 1E 05", 0x3B)


@pytest.mark.parametrize("reply", [LOGOUT_REPLY, hand_envelope("##", 0x07, 0x01, "", 0x3D)])
def test_no_reply_to_a_reply(reply: bytes) -> None:
    assert reply_to(split_frame(reply), ResponseFlag.SUCCESS, NOW) is None


def test_split_framed_trusts_the_framers_bcc_but_not_the_length() -> None:
    heartbeat = bytes.fromhex(f"23 23 07 FE {VIN_HEX} 01 00 00 C2")
    assert split_framed(heartbeat) == split_frame(heartbeat)
    wrong_bcc = heartbeat[:-1] + b"\x00"
    with pytest.raises(BadChecksum):
        split_frame(wrong_bcc)
    assert split_framed(wrong_bcc) == split_frame(heartbeat)
    with pytest.raises(LengthMismatch):
        split_framed(heartbeat + b"\x00")


_REQUESTS = [t for t in MESSAGE_TYPES
             if t.kind == "plain" and t.request and t.command is not None and t.command <= 0x08]


@pytest.mark.parametrize("message_type", _REQUESTS, ids=[str(t) for t in _REQUESTS])
@settings(max_examples=EXAMPLES, deadline=None, database=None)
@given(data=st.data(), flag=st.sampled_from((ResponseFlag.SUCCESS, ResponseFlag.ERROR,
                                             ResponseFlag.VIN_DUPLICATE)))
def test_reply_follows_section_6_2(message_type: MessageType, data: st.DataObject,
                                   flag: ResponseFlag) -> None:
    request = data.draw(frames_of(message_type))
    wire = reply_to(split_frame(encode_frame(request)), flag, NOW)
    assert wire is not None
    reply = decode_frame(wire)
    assert (reply.edition, reply.command, reply.response) == (request.edition, request.command,
                                                               int(flag))
    assert (reply.unique_id, reply.unique_id_raw, reply.encryption) == (
        request.unique_id, request.unique_id_raw, request.encryption)
    if request.command == Command.HEARTBEAT:
        assert reply.body == Empty()
    elif request.command == Command.TIME_CALIBRATION:
        assert reply.body == TimeOnly(at=NOW.astimezone(BEIJING))
    else:
        # Every 0x01-0x06 request body starts with its collection time (§7, §8).
        time, time_raw = request.body.collected_at, request.body.collected_at_raw  # type: ignore[attr-defined]
        assert reply.body == TimeOnly(at=time, at_raw=time_raw)
