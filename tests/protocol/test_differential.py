"""Differential test: our decoder and rtm-con read the same bytes to the same values.

rtm-con (beidouchangxi/rtm_con, GPL-2.0) is a test-only oracle from the dev extras; product code
never imports it. Both decoders get the same frames: the bench frames (bench/sample_frames.py,
assembled by hand), the hand-built golden frames, and frames from our strategies restricted to
what rtm-con models. ``rtm_con_oracle.same_frame`` compares the values field by field; where the
two disagree, PROTOCOL.md decides, and the peer's deviations are asserted explicitly (never
skipped):

* 2016 rechargeable-storage subsystem current (§8.8): rtm-con offsets it by -3000 A, the
  standard and its own whole-vehicle current by -1000 A, so it reads 2000 A low.
* Times: rtm-con returns naive local wall-clock times (UTC on the CI and dev machines).
* Blocks it does not model (2016 0x03 fuel cell; 2025 0x03 and 0x30-0x32) swallow the rest of
  the data unit as one hex string.
* Replies: it expects a 6-byte time in every answer, so the empty heartbeat reply (§6.2) fails.
* It ignores the encryption byte and parses ciphertext as plaintext (§5).
* STRING fields: it strips NUL padding only, not spaces (§1 says both).
* A sentinel count (§8.0: no list follows) is read as 254/255 items.
* An impossible date (§6.1: keep the bytes) raises ValueError, so generated frames use real times.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

import msgspec
import pytest
import rtm_con
import strategies_2016 as s16
import strategies_2025 as s25
from construct import StreamError
from golden_frames import GOLDEN, REALTIME_2016_UNIT, Golden, envelope
from hypothesis import given, settings
from hypothesis import strategies as st
from rtm_con_oracle import same_frame

from bench.sample_frames import BENCH_FRAMES
from gateway.protocol.blocks_2016 import DriveMotors, Engine, Vehicle
from gateway.protocol.blocks_2016_battery import CellVoltages
from gateway.protocol.bodies import Empty
from gateway.protocol.codec import decode_frame, encode_frame
from gateway.protocol.downlink import (
    ParameterQuery,
    ParameterQueryReply,
    ParameterSet,
    TerminalControl,
)
from gateway.protocol.frame import Frame
from gateway.protocol.model import Block, Body, Edition, Model
from gateway.protocol.realtime import RealtimeData
from gateway.protocol.session import (
    BatteryManagementSystem,
    VehicleLogin2016,
    VehicleLogin2025,
    VehicleLogout,
)
from gateway.protocol.wire import BEIJING

M = TypeVar("M", bound=Model)


# ---- the same bytes through both decoders --------------------------------------------------------

@pytest.mark.parametrize("name", sorted(BENCH_FRAMES))
def test_bench_frames_agree(name: str) -> None:
    same_frame(BENCH_FRAMES[name])


def test_known_rtm_con_bug_2016_subsystem_current() -> None:
    """The 96-cell bench frame sends raw 9870 in both the whole-vehicle and the subsystem
    current. §8.1 and §8.8 both read -13.0 A (raw x 0.1 - 1000); rtm-con reads the subsystem
    current as -2013.0 A (raw x 0.1 - 3000), so the pack would deliver 2000 A more than the car."""
    wire = BENCH_FRAMES["96 cells"]
    ours, peer = decode_frame(wire).body, rtm_con.msg_checked.parse(wire).payload
    assert isinstance(ours, RealtimeData)
    vehicle, voltages = ours.blocks[0], ours.blocks[5]
    assert isinstance(vehicle, Vehicle) and isinstance(voltages, CellVoltages)
    assert vehicle.total_current_a == voltages.subsystems[0].current_a == -13.0
    assert peer.data_list[0].data_content.current_total.value == pytest.approx(-13.0)
    assert peer.data_list[5].data_content[0].curr.value == pytest.approx(-2013.0)


def _peer_models(golden: Golden) -> bool:
    """Hand-built frames rtm-con reads the standard way; the others are deviation tests below,
    except downlink data units, which it keeps as raw bytes (requests) or reads only the time
    of (replies) without decoding the parameters."""
    frame = golden.expected
    return not (frame.encryption != 0x01
                or isinstance(frame.body, ParameterQuery | ParameterQueryReply | ParameterSet
                              | TerminalControl)
                or (frame.command == 0x07 and frame.response != 0xFE)
                or (frame.command == 0x02 and frame.edition is Edition.V2016))


PEER_MODELS = [golden for golden in GOLDEN if _peer_models(golden)]


@pytest.mark.parametrize("golden", PEER_MODELS, ids=[g.name for g in PEER_MODELS])
def test_hand_built_frames_agree(golden: Golden) -> None:
    assert same_frame(golden.wire) == golden.expected


# ---- frames from our strategies, restricted to what rtm-con models ------------------------------

def without_sentinel_counts(model: M) -> M:
    """The same model with every sentinel count (no list follows, §8.0) turned into an empty
    list: rtm-con would read 0xFE/0xFF as 254/255 items (see the deviation test below)."""
    changes: dict[str, Any] = {}
    for name in model.__struct_fields__:
        value = getattr(model, name)
        if name.endswith("_count_raw") and value is not None:
            changes[name] = None
        elif isinstance(value, Model):
            changes[name] = without_sentinel_counts(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], Model):
            changes[name] = tuple(without_sentinel_counts(item) for item in value)
    return msgspec.structs.replace(model, **changes)


# rtm-con raises on impossible dates (§6.1 says keep them), so only real times here.
valid_times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda moment: moment.replace(microsecond=0, tzinfo=BEIJING))
vins = st.text("ABCDEFGHJKLMNPRSTUVWXYZ0123456789", min_size=17, max_size=17)
serials = st.integers(0, 0xFFFF)
ascii_text = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", max_size=20)
PEER_BLOCKS: dict[Edition, st.SearchStrategy[Block]] = {
    Edition.V2016: st.one_of(s16.vehicle, s16.drive_motors(), s16.engine, s16.position(),
                             s16.extremes, s16.alarm(), s16.cell_voltages(),
                             s16.probe_temperatures(), s16.user_defined),
    Edition.V2025: st.one_of(s25.vehicle(), s25.drive_motors(), s25.engine, s25.position(),
                             s25.alarm(), s25.cell_voltages(), s25.probe_temperatures(),
                             s25.user_defined),
}


@st.composite
def realtime_bodies(draw: st.DrawFn, edition: Edition) -> RealtimeData:
    """rtm-con needs at least one block and the signature in a 2025 data unit (§14.4)."""
    blocks = draw(st.lists(PEER_BLOCKS[edition].map(without_sentinel_counts),
                           min_size=edition is Edition.V2025, max_size=6))
    return RealtimeData(collected_at=draw(valid_times), blocks=tuple(blocks),
                        signature=draw(s25.signature) if edition is Edition.V2025 else None)


@st.composite
def login_2016(draw: st.DrawFn) -> VehicleLogin2016:
    width = draw(st.sampled_from((0, 5, 12, 24)))
    codes = draw(st.lists(ascii_text.map(lambda code: code[:width]), max_size=4))
    return VehicleLogin2016(collected_at=draw(valid_times), serial=draw(serials),
                            iccid=draw(ascii_text), subsystem_code_length=width,
                            subsystem_codes=tuple(codes))


@st.composite
def login_2025(draw: st.DrawFn) -> VehicleLogin2025:
    systems = draw(st.lists(st.lists(ascii_text, max_size=3), max_size=3))
    return VehicleLogin2025(
        collected_at=draw(valid_times), serial=draw(serials), iccid=draw(ascii_text),
        battery_systems=tuple(BatteryManagementSystem(pack_codes=tuple(codes))
                              for codes in systems))


logouts = st.builds(VehicleLogout, collected_at=valid_times, serial=serials)


def _wire(edition: Edition, command: int, vin: str, body: Body) -> bytes:
    return encode_frame(Frame(edition=edition, command=command, response=0xFE, unique_id=vin,
                              encryption=0x01, body=body))


@pytest.mark.parametrize("edition", [Edition.V2016, Edition.V2025], ids=["2016", "2025"])
@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data(), vin=vins, command=st.sampled_from((0x02, 0x03)))
def test_generated_realtime_frames_agree(edition: Edition, data: st.DataObject, vin: str,
                                         command: int) -> None:
    same_frame(_wire(edition, command, vin, data.draw(realtime_bodies(edition))))


@settings(max_examples=150, deadline=None, database=None)
@given(vin=vins, case=st.one_of(
    st.tuples(st.just(Edition.V2016), st.just(0x01), login_2016()),
    st.tuples(st.just(Edition.V2025), st.just(0x01), login_2025()),
    st.tuples(st.sampled_from((Edition.V2016, Edition.V2025)), st.just(0x04), logouts)))
def test_generated_login_and_logout_frames_agree(vin: str,
                                                 case: tuple[Edition, int, Body]) -> None:
    edition, command, body = case
    same_frame(_wire(edition, command, vin, body))


# ---- where rtm-con deviates from PROTOCOL.md -----------------------------------------------------

def test_rtm_con_swallows_a_2016_fuel_cell_block_and_everything_after_it() -> None:
    """It has no 2016 0x03 decoder: the rest of the data unit becomes one hex string (§8.3)."""
    golden = next(g for g in GOLDEN if g.name.startswith("2016 realtime"))
    peer = rtm_con.msg_checked.parse(golden.wire).payload
    assert [int(item.data_type) for item in peer.data_list] == [0x01, 0x02, 0x03]
    after_type = bytes.fromhex(REALTIME_2016_UNIT).index(bytes.fromhex("03 0FA0 01F4")) + 1
    assert peer.data_list[2].data_content == bytes.fromhex(REALTIME_2016_UNIT)[after_type:].hex()
    assert decode_frame(golden.wire) == golden.expected      # all ten blocks


def test_rtm_con_expects_a_time_in_the_empty_heartbeat_reply() -> None:
    """§6.2: the heartbeat reply has N = 0; rtm-con reads a 6-byte time from every answer."""
    reply = envelope("##", 0x07, 0x01, "", 0x3D)
    assert decode_frame(reply).body == Empty()
    with pytest.raises(StreamError):
        rtm_con.msg_checked.parse(reply)


def test_rtm_con_parses_ciphertext_as_plaintext() -> None:
    """§5: encryption 0x03 means the data unit is AES ciphertext. rtm-con ignores the byte and
    here fails on a "time" made of ciphertext bytes; we keep the ciphertext."""
    golden = next(g for g in GOLDEN if g.expected.encryption == 0x03)
    assert decode_frame(golden.wire) == golden.expected
    with pytest.raises(ValueError, match="month"):
        rtm_con.msg_checked.parse(golden.wire)


def test_rtm_con_keeps_space_padding() -> None:
    """§1: STRING padding is NUL or space and both are stripped; rtm-con strips NULs only."""
    iccid = "8986".ljust(20).encode("ascii").hex()
    login = envelope("##", 0x01, 0xFE, f"18 05 01 08 1E 00 0001 {iccid} 00 00", 0xDE)
    ours = decode_frame(login).body
    assert isinstance(ours, VehicleLogin2016) and ours.iccid == "8986"
    assert rtm_con.msg_checked.parse(login).payload.iccid == "8986" + " " * 16


def test_rtm_con_reads_a_sentinel_count_as_items() -> None:
    """§8.0: a count of 0xFF means "invalid, no list follows". rtm-con reads 255 motor records,
    runs out of data and silently drops the engine block that follows."""
    unit = ("18 05 01 08 1E 00"
            "02 FF"                 # drive motors: count invalid, no records
            "04 01 0BB8 0258")      # engine: running, 3000 rpm, 6.00 L/100km
    wire = envelope("##", 0x02, 0xFE, unit, 0xD2)
    ours = decode_frame(wire).body
    assert isinstance(ours, RealtimeData)
    assert ours.blocks == (DriveMotors(motors=(), motor_count_raw=0xFF),
                           Engine(state=1, crankshaft_speed_rpm=3000,
                                  fuel_consumption_l_per_100km=6.0))
    assert [int(item.data_type) for item in rtm_con.msg_checked.parse(wire).payload.data_list] \
        == []
