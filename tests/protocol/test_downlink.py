"""Downlink 0x80 parameter query, 0x81 parameter set, 0x82 terminal control and the vehicle's
answers (§12, §14.3). Byte literals are written by hand from PROTOCOL.md."""

from __future__ import annotations

from datetime import datetime

import pytest
import strategies_bodies as sb
from bodies_harness import Slot, decode, encode, json_round_trip, slots
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.protocol import downlink
from gateway.protocol.bodies import TimeOnly
from gateway.protocol.downlink import (
    ParameterQuery,
    ParameterQueryReply,
    ParameterSet,
    TerminalControl,
)
from gateway.protocol.downlink_params import (
    DATA_AFTER_PARAMETERS,
    MISSING_DOMAIN_LENGTH,
    UNKNOWN_PARAMETER,
    Parameter,
)
from gateway.protocol.errors import (
    EncodeError,
    InvalidModel,
    PeerError,
    TruncatedDataUnit,
    ValueOutOfRange,
)
from gateway.protocol.model import Body, Command, Edition, Hex
from gateway.protocol.wire import BEIJING

CODECS = downlink.CODECS
V16, V25 = Edition.V2016, Edition.V2025
AT = datetime(2024, 5, 1, 8, 30, 0, tzinfo=BEIJING)
TIME = "18 05 01 08 1E 00"                       # 2024-05-01 08:30:00

QUERY = Slot(V16, Command.PARAMETER_QUERY, True)
REPLY_16 = Slot(V16, Command.PARAMETER_QUERY, False)
REPLY_25 = Slot(V25, Command.PARAMETER_QUERY, False)
SET_16 = Slot(V16, Command.PARAMETER_SET, True)
CONTROL = Slot(V16, Command.TERMINAL_CONTROL, True)


def h(text: str) -> bytes:
    return bytes.fromhex(text)


def round_trip(slot: Slot, data: bytes) -> Body:
    body = decode(CODECS, slot, data)
    assert encode(CODECS, slot, body) == data
    return body


def p(param_id: int, value: int | str | None = None, raw: str | None = None) -> Parameter:
    return Parameter(param_id=param_id, value=value, value_raw=None if raw is None else Hex(h(raw)))


# ---- 0x80 query and its answer ------------------------------------------------------------------

def test_query_lists_ids() -> None:
    body = round_trip(QUERY, h(TIME + "03 01 02 06"))      # 3 ids: 0x01, 0x02, 0x06
    assert body == ParameterQuery(sent_at=AT, parameter_ids=(1, 2, 6))
    with pytest.raises(TruncatedDataUnit):
        decode(CODECS, QUERY, h(TIME + "03 01 02"))
    with pytest.raises(PeerError):
        decode(CODECS, QUERY, h(TIME + "01 01 02"))


REPLY_2016 = (TIME + "03"
              + "01 03 E8"         # local storage period, WORD: 1000 ms
              + "02 00 1E"         # normal reporting period, WORD in 2016: 30 s
              + "06 1F 90")        # management platform port: 8080


def test_reply_2016_widths() -> None:
    body = round_trip(REPLY_16, h(REPLY_2016))
    assert body == ParameterQueryReply(sent_at=AT, parameters=(p(1, 1000), p(2, 30), p(6, 8080)))


def test_reply_2025_periods_are_bytes() -> None:
    data = h(TIME + "03"
             + "01 03 E8"          # local storage period, still a WORD: 1000 ms
             + "02 1E"             # normal reporting period, BYTE in 2025: 30 s
             + "03 01")            # alarm reporting period, BYTE in 2025: 1
    body = round_trip(REPLY_25, data)
    assert body == ParameterQueryReply(sent_at=AT, parameters=(p(1, 1000), p(2, 30), p(3, 1)))


def test_2016_bytes_read_as_2025_stop_at_the_misread_id() -> None:
    # 0x02 takes one byte (00), so the next "id" is 0x1E: reserved, decoding stops there.
    body = round_trip(REPLY_25, h(REPLY_2016))
    assert body == ParameterQueryReply(
        sent_at=AT, parameters=(p(1, 1000), p(2, 0)), declared_count=3,
        undecoded=Hex(h("1E 06 1F 90")), undecoded_reason=UNKNOWN_PARAMETER)


def test_domain_names_follow_their_length() -> None:
    data = h(TIME + "04"
             + "04 0C"                                        # management domain length 12
             + "05 67 62 33 32 39 36 30 2E 74 65 73 74"       # "gb32960.test"
             + "0D 0E"                                        # public domain length 14
             + "0E 61 2E 65 78 61 6D 70 6C 65 2E 63 6E 00 00")  # "a.example.cn" + 2 NUL
    body = round_trip(REPLY_16, data)
    assert isinstance(body, ParameterQueryReply)
    assert body.parameters == (p(4, 12), p(5, "gb32960.test"), p(13, 14), p(14, "a.example.cn"))


def test_space_padded_domain_and_versions_keep_bytes() -> None:
    data = h(TIME + "03"
             + "04 04" + "05 61 2E 63 20"      # "a.c" + one space
             + "07 56 31 2E 30 32")            # hardware version "V1.02"
    body = round_trip(REPLY_16, data)
    assert isinstance(body, ParameterQueryReply)
    assert body.parameters == (p(4, 4), p(5, "a.c", "61 2E 63 20"), p(7, None, "56 31 2E 30 32"))


@pytest.mark.parametrize(("tail", "count", "parameters", "undecoded", "reason"), [
    ("01 05 61 62", 1, (), "05 61 62", MISSING_DOMAIN_LENGTH),       # 0x05 without 0x04
    ("02 09 1E 80 00 01 AA", 2, (p(9, 30),), "80 00 01 AA", UNKNOWN_PARAMETER),  # user id
    ("01 09 1E FF", None, (p(9, 30),), "FF", DATA_AFTER_PARAMETERS),  # byte after the count
])
def test_unreadable_rest_is_kept(tail: str, count: int | None, parameters: tuple[Parameter, ...],
                                 undecoded: str, reason: str) -> None:
    body = round_trip(SET_16, h(TIME + tail))
    assert body == ParameterSet(sent_at=AT, parameters=parameters, declared_count=count,
                                undecoded=Hex(h(undecoded)), undecoded_reason=reason)


@pytest.mark.parametrize("tail", ["", "01", "01 01 03", "02 09 1E", "02 04 05 05 61"])
def test_truncated_parameter_lists(tail: str) -> None:
    with pytest.raises(TruncatedDataUnit):
        decode(CODECS, SET_16, h(TIME + tail))


def test_time_only_error_answer_to_query() -> None:
    assert round_trip(REPLY_16, h(TIME)) == TimeOnly(at=AT)


def test_set_and_its_reply() -> None:
    body = round_trip(SET_16, h(TIME + "02 09 1E 10 01"))    # heartbeat 30 s, sampling on
    assert body == ParameterSet(sent_at=AT, parameters=(p(9, 30), p(16, 1)))
    assert round_trip(Slot(V16, Command.PARAMETER_SET, False), h(TIME)) == TimeOnly(at=AT)


@pytest.mark.parametrize(("edition", "parameters", "error"), [
    (V25, (p(2, 300),), ValueOutOfRange),                    # 0x02 is a BYTE in 2025
    (V16, (p(5, "a.cn"),), InvalidModel),                    # no length parameter first
    (V16, (p(4, 2), p(5, "a.cn")), EncodeError),             # longer than its length
    (V16, (p(0x20, 1),), InvalidModel),                      # reserved id
    (V16, (p(7, "V1"),), InvalidModel),                      # versions are bytes
])
def test_set_encoder_refuses_impossible_models(edition: Edition,
                                               parameters: tuple[Parameter, ...],
                                               error: type[EncodeError]) -> None:
    body = ParameterSet(sent_at=AT, parameters=parameters)
    with pytest.raises(error):
        encode(CODECS, Slot(edition, Command.PARAMETER_SET, True), body)


# ---- 0x82 terminal control ----------------------------------------------------------------------

def test_remote_upgrade_fields() -> None:
    text = b"cmnet;user;pw;fw.example.cn;21;M001;H1.0;F2.0;ftp://fw.example.cn/a.bin;30"
    body = round_trip(CONTROL, h(TIME + "01") + text)
    assert isinstance(body, TerminalControl)
    assert body.upgrade_fields == ("cmnet", "user", "pw", "fw.example.cn", "21", "M001", "H1.0",
                                   "F2.0", "ftp://fw.example.cn/a.bin", "30")
    assert body.parameters is None


def test_terminal_alarm_text_is_gb18030() -> None:
    data = h(TIME + "06" + "03"                  # alarm/warning, level 3
             + "B5 E7 B3 D8 B9 FD CE C2")         # "电池过温" in GB 18030
    assert round_trip(CONTROL, data) == TerminalControl(
        sent_at=AT, command_id=6, alarm_level=3, alarm_text="电池过温")


def test_terminal_alarm_with_broken_text_keeps_bytes() -> None:
    body = round_trip(CONTROL, h(TIME + "06 02 B5"))   # half a GB 18030 character
    assert isinstance(body, TerminalControl)
    assert (body.alarm_level, body.parameters) == (2, Hex(h("02 B5")))


@pytest.mark.parametrize(("tail", "parameters"), [("02", None), ("80 01 02", "01 02")])
def test_other_commands_keep_parameters_raw(tail: str, parameters: str | None) -> None:
    body = round_trip(CONTROL, h(TIME + tail))
    assert isinstance(body, TerminalControl)
    assert body.parameters == (None if parameters is None else Hex(h(parameters)))


def test_control_errors() -> None:
    with pytest.raises(TruncatedDataUnit):
        decode(CODECS, CONTROL, h(TIME + "06"))
    with pytest.raises(InvalidModel):
        encode(CODECS, CONTROL, TerminalControl(sent_at=AT, command_id=1,
                                                upgrade_fields=("a;b",)))
    with pytest.raises(InvalidModel):
        encode(CODECS, CONTROL, TerminalControl(sent_at=AT, command_id=6))
    assert round_trip(Slot(V25, Command.TERMINAL_CONTROL, False), h(TIME)) == TimeOnly(at=AT)


# ---- properties ---------------------------------------------------------------------------------

@pytest.mark.parametrize("slot", slots(CODECS), ids=str)
@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_model_survives_bytes_and_json(slot: Slot, data: st.DataObject) -> None:
    body = data.draw(sb.bodies_for(*slot))
    assert decode(CODECS, slot, encode(CODECS, slot, body)) == body
    json_round_trip(body, slot)


@pytest.mark.parametrize("slot", slots(CODECS), ids=str)
@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_bytes_are_rejected_or_reproduced(slot: Slot, data: st.DataObject) -> None:
    raw = data.draw(st.one_of(
        st.binary(max_size=80),
        sb.bodies_for(*slot).map(lambda body: encode(CODECS, slot, body))))
    cut = data.draw(st.integers(0, len(raw)))
    sample = data.draw(st.sampled_from((raw, raw[:cut], raw + b"\x00")))
    try:
        body = decode(CODECS, slot, sample)
    except PeerError:
        return
    assert encode(CODECS, slot, body) == sample
