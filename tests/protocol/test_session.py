"""Session data units: logins, logouts, heartbeat, time calibration and their replies (§6.2, §7,
§14.3). Byte literals are written by hand from PROTOCOL.md."""

from __future__ import annotations

from datetime import datetime

import pytest
import strategies_bodies as sb
from bodies_harness import Slot, decode, encode, json_round_trip, slots
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.protocol import session
from gateway.protocol.bodies import Empty, Opaque, TimeOnly
from gateway.protocol.errors import MalformedDataUnit, PeerError, TruncatedDataUnit
from gateway.protocol.model import Body, Command, Edition, Hex, Sentinel
from gateway.protocol.session import (
    BatteryManagementSystem,
    PlatformLogin,
    PlatformLogout,
    VehicleLogin2016,
    VehicleLogin2025,
    VehicleLogout,
)
from gateway.protocol.wire import BEIJING

CODECS = session.CODECS
V16, V25 = Edition.V2016, Edition.V2025
AT_2018 = datetime(2018, 10, 30, 20, 36, 0, tzinfo=BEIJING)
AT_2024 = datetime(2024, 5, 1, 8, 30, 0, tzinfo=BEIJING)

TIME_2018 = "12 0A 1E 14 24 00"                      # 2018-10-30 20:36:00 (§6.1 example)
ICCID = "38 39 38 36 30 31 31 37 38 35 31 30 31 34 37 38 33 32 36 31"   # "89860117851014783261"


def h(text: str) -> bytes:
    return bytes.fromhex(text)


def round_trip(slot: Slot, data: bytes) -> Body:
    body = decode(CODECS, slot, data)
    assert encode(CODECS, slot, body) == data
    return body


# ---- vehicle login 2016 (§7.1) ------------------------------------------------------------------

LOGIN_2016 = Slot(V16, Command.VEHICLE_LOGIN, True)


def test_login_2016_two_codes_of_five() -> None:
    data = h(TIME_2018 + "00 D1" + ICCID    # serial 209
             + "02 05"                        # n = 2 subsystems, m = 5 bytes per code
             + "42 41 54 30 31"               # "BAT01"
             + "42 41 54 30 32")              # "BAT02"
    assert round_trip(LOGIN_2016, data) == VehicleLogin2016(
        collected_at=AT_2018, serial=209, iccid="89860117851014783261",
        subsystem_code_length=5, subsystem_codes=("BAT01", "BAT02"))


def test_login_2016_one_code_of_twelve_nul_padded() -> None:
    data = h(TIME_2018 + "00 01" + ICCID + "01 0C"
             + "50 41 43 4B 2D 30 31 00 00 00 00 00")    # "PACK-01" + 5 NUL padding
    body = round_trip(LOGIN_2016, data)
    assert isinstance(body, VehicleLogin2016)
    assert body.subsystem_codes == ("PACK-01",)
    assert body.subsystem_code_length == 12
    assert body.subsystem_codes_raw is None


def test_login_2016_codes_not_sent() -> None:
    data = h(TIME_2018 + "00 03" + ICCID + "01 00")      # n = 1, m = 0: N = 30
    body = round_trip(LOGIN_2016, data)
    assert isinstance(body, VehicleLogin2016)
    assert (body.subsystem_codes, body.subsystem_code_length) == (("",), 0)


def test_login_2016_space_padded_iccid_and_code_keep_raw() -> None:
    iccid = "38 39 38 36 30 31 31 37 38 35 31 30 31 34 37 38 33 32 36 20"  # 19 digits + space
    data = h(TIME_2018 + "00 03" + iccid + "01 04" + "41 42 20 20")         # "AB" + 2 spaces
    body = round_trip(LOGIN_2016, data)
    assert isinstance(body, VehicleLogin2016)
    assert body.iccid == "8986011785101478326"
    assert body.iccid_raw == h(iccid)
    assert body.subsystem_codes == ("AB",)
    assert body.subsystem_codes_raw == h("41 42 20 20")


@pytest.mark.parametrize(("data", "error"), [
    (h(TIME_2018 + "00 01" + ICCID + "02"), TruncatedDataUnit),                    # no m byte
    (h(TIME_2018 + "00 01" + ICCID + "02 05 42 41 54 30 31"), TruncatedDataUnit),  # one code of 2
    (h(TIME_2018 + "00 01" + ICCID + "01 00 FF"), MalformedDataUnit),              # extra byte
    (h("12 0A"), TruncatedDataUnit),
])
def test_login_2016_rejects_bad_lengths(data: bytes, error: type[PeerError]) -> None:
    with pytest.raises(error):
        decode(CODECS, LOGIN_2016, data)


def test_login_2016_impossible_date_is_kept_raw() -> None:
    data = h("12 00 1E 14 24 00" + "00 01" + ICCID + "00 00")   # month 0
    body = round_trip(LOGIN_2016, data)
    assert isinstance(body, VehicleLogin2016)
    assert body.collected_at is None
    assert body.collected_at_raw == h("12 00 1E 14 24 00")


# ---- vehicle login 2025 (§14.3) -----------------------------------------------------------------

LOGIN_2025 = Slot(V25, Command.VEHICLE_LOGIN, True)
NUL_18 = "00" * 18


def test_login_2025_packs_per_bms() -> None:
    data = h(TIME_2018 + "00 02" + ICCID
             + "02"                                  # two BMS
             + "01 02"                               # 1 pack, then 2 packs
             + "50 41 43 4B 30 31" + NUL_18          # "PACK01" padded to 24
             + "50 41 43 4B 30 32" + NUL_18          # "PACK02"
             + "50 41 43 4B 30 33" + NUL_18)         # "PACK03"
    assert round_trip(LOGIN_2025, data) == VehicleLogin2025(
        collected_at=AT_2018, serial=2, iccid="89860117851014783261",
        battery_systems=(BatteryManagementSystem(pack_codes=("PACK01",)),
                         BatteryManagementSystem(pack_codes=("PACK02", "PACK03"))))


def test_login_2025_without_bms() -> None:
    body = round_trip(LOGIN_2025, h(TIME_2018 + "00 02" + ICCID + "00"))   # N = 29
    assert isinstance(body, VehicleLogin2025)
    assert body.battery_systems == ()


def test_login_2025_truncated_pack_code() -> None:
    with pytest.raises(TruncatedDataUnit):
        decode(CODECS, LOGIN_2025, h(TIME_2018 + "00 02" + ICCID + "01 01 50 41 43 4B"))


# ---- logouts, platform login (§7.2-§7.4) --------------------------------------------------------

@pytest.mark.parametrize("edition", [V16, V25])
def test_vehicle_logout_worked_example(edition: Edition) -> None:
    data = h("18 05 01 08 1E 00 00 03")                 # §15: 2024-05-01 08:30:00, serial 3
    body = round_trip(Slot(edition, Command.VEHICLE_LOGOUT, True), data)
    assert body == VehicleLogout(collected_at=AT_2024, serial=3)
    reply = round_trip(Slot(edition, Command.VEHICLE_LOGOUT, False), h("18 05 01 08 1E 00"))
    assert reply == TimeOnly(at=AT_2024)


def test_platform_logout() -> None:
    body = round_trip(Slot(V16, Command.PLATFORM_LOGOUT, True), h("18 05 01 08 1E 00 FF FB"))
    assert body == PlatformLogout(collected_at=AT_2024, serial=65531)


@pytest.mark.parametrize("data", [h("18 05 01 08 1E 00 00"), h("18 05 01 08 1E 00 00 03 00")])
def test_logout_needs_exactly_eight_bytes(data: bytes) -> None:
    with pytest.raises(PeerError):
        decode(CODECS, Slot(V16, Command.VEHICLE_LOGOUT, True), data)


PLATFORM_LOGIN = (TIME_2018 + "00 01"
                  + "75 73 65 72 30 31 00 00 00 00 00 00"                   # "user01"
                  + "73 33 63 72 33 74 2D 70 77 00 00 00 00 00 00 00 00 00 00 00"  # "s3cr3t-pw"
                  + "01")                                                   # no encryption


def test_platform_login_decodes_and_hides_password_from_repr() -> None:
    slot = Slot(V25, Command.PLATFORM_LOGIN, True)
    body = round_trip(slot, h(PLATFORM_LOGIN))
    assert body == PlatformLogin(collected_at=AT_2018, serial=1, username="user01",
                                 password="s3cr3t-pw", encryption_rule=1)
    assert "s3cr3t-pw" not in repr(body)
    assert "s3cr3t-pw" not in str(body)
    assert "s3cr3t-pw" not in str(body.__rich_repr__())
    assert "user01" in repr(body)
    assert json_round_trip(body, slot)["password"] == "s3cr3t-pw"


def test_platform_login_space_padded_password_raw_is_hidden_too() -> None:
    data = h(PLATFORM_LOGIN.replace("00 00 00 00 00 00 00 00 00 00 00", "20" * 11)[:-2] + "FF")
    body = round_trip(Slot(V16, Command.PLATFORM_LOGIN, True), data)
    assert isinstance(body, PlatformLogin)
    assert body.password_raw is not None
    assert body.encryption_rule is Sentinel.INVALID
    assert body.password_raw.hex() not in repr(body)
    assert "Hex(" not in repr(body).split("password_raw=")[1]


# ---- heartbeat, time calibration, time-only replies (§6.2, §7.5) --------------------------------

@pytest.mark.parametrize("edition", [V16, V25])
def test_heartbeat_and_calibration(edition: Edition) -> None:
    assert round_trip(Slot(edition, Command.HEARTBEAT, True), b"") == Empty()
    assert round_trip(Slot(edition, Command.HEARTBEAT, False), b"") == Empty()
    assert round_trip(Slot(edition, Command.TIME_CALIBRATION, True), b"") == Empty()
    assert round_trip(Slot(edition, Command.TIME_CALIBRATION, False),
                      h("18 05 01 08 1E 00")) == TimeOnly(at=AT_2024)
    assert round_trip(Slot(edition, Command.HEARTBEAT, True), h("01")) == Opaque(data=Hex(h("01")))


@pytest.mark.parametrize("command", [1, 2, 3, 4, 5, 6, 8])
def test_replies_carry_only_a_time(command: int) -> None:
    slot = Slot(V16, command, False)
    assert round_trip(slot, h("18 05 01 08 1E 00")) == TimeOnly(at=AT_2024)
    assert round_trip(slot, h("18 05 01 08 1E 00 00 03")) == Opaque(data=Hex(h(
        "18 05 01 08 1E 00 00 03")))
    with pytest.raises(TruncatedDataUnit):
        decode(CODECS, slot, h("18 05 01 08 1E"))


def test_every_slot_has_one_decoder() -> None:
    assert len(slots(CODECS)) == 2 * 14
    for slot in slots(CODECS):
        decoders = {c.decode for c in CODECS if slot.edition in c.editions
                    and (c.command, c.request) == (slot.command, slot.request)}
        assert len(decoders) == 1, slot


# ---- properties ---------------------------------------------------------------------------------

@pytest.mark.parametrize("slot", slots(CODECS), ids=str)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_model_survives_bytes_and_json(slot: Slot, data: st.DataObject) -> None:
    body = data.draw(sb.bodies_for(*slot))
    assert decode(CODECS, slot, encode(CODECS, slot, body)) == body
    json_round_trip(body, slot)


@pytest.mark.parametrize("slot", slots(CODECS), ids=str)
@settings(max_examples=40, deadline=None)
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
