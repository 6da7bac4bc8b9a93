"""2025 activation 0x09, activation response 0x0A and key exchange 0x0B (§14.2, §14.3, §14.5).
Byte literals are written by hand from PROTOCOL.md."""

from __future__ import annotations

from datetime import datetime

import pytest
import strategies_bodies as sb
from bodies_harness import Slot, decode, encode, json_round_trip, slots
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.protocol import activation
from gateway.protocol.activation import (
    ACTIVATION_DETAIL_NAMES,
    ACTIVATION_RESULT_NAMES,
    Activation,
    ActivationResponse,
    KeyExchange,
)
from gateway.protocol.bodies import Opaque, TimeOnly
from gateway.protocol.errors import MalformedDataUnit, PeerError, TruncatedDataUnit
from gateway.protocol.model import Body, Command, Edition, Hex
from gateway.protocol.signature import Signature
from gateway.protocol.wire import BEIJING

CODECS = activation.CODECS
V25 = Edition.V2025
AT = datetime(2025, 11, 1, 0, 0, 0, tzinfo=BEIJING)

TIME = "19 0B 01 00 00 00"                                        # 2025-11-01 00:00:00
CHIP = "43 48 49 50 30 30 30 30 30 30 30 30 30 30 30 31"         # "CHIP000000000001"
VIN = "4C 54 45 53 54 56 49 4E 30 30 30 30 30 30 30 30 31"      # "LTESTVIN000000001"
SIGNATURE = "01 00 02 AA BB 00 02 CC DD"                          # SM2, R = AABB, S = CCDD
ACTIVATION = TIME + CHIP + "00 04 04 11 22 33" + VIN + SIGNATURE  # public key 04112233

ACTIVATE = Slot(V25, Command.ACTIVATION, True)
RESPONSE = Slot(V25, Command.ACTIVATION_RESPONSE, True)
KEYS = Slot(V25, Command.KEY_EXCHANGE, True)


def h(text: str) -> bytes:
    return bytes.fromhex(text)


def round_trip(slot: Slot, data: bytes) -> Body:
    body = decode(CODECS, slot, data)
    assert encode(CODECS, slot, body) == data
    return body


def test_activation_signature_follows_vin_without_marker() -> None:
    assert round_trip(ACTIVATE, h(ACTIVATION)) == Activation(
        collected_at=AT, chip_id="CHIP000000000001", public_key=Hex(h("04112233")),
        vin="LTESTVIN000000001",
        signature=Signature(algorithm=1, r=Hex(h("AABB")), s=Hex(h("CCDD"))))


@pytest.mark.parametrize(("data", "error"), [
    (h(ACTIVATION + "00"), MalformedDataUnit),             # a byte after the signature
    (h(ACTIVATION[:-3]), TruncatedDataUnit),               # S cut short
    (h(TIME + CHIP + "00 04 04 11"), TruncatedDataUnit),   # public key cut short
    (h(TIME + CHIP + "00 00" + VIN), TruncatedDataUnit),   # no signature
])
def test_activation_rejects_bad_lengths(data: bytes, error: type[PeerError]) -> None:
    with pytest.raises(error):
        decode(CODECS, ACTIVATE, data)


def test_activation_response_codes_and_names() -> None:
    body = round_trip(RESPONSE, h("02 03"))                 # failure, VIN duplicate
    assert body == ActivationResponse(result=2, detail=3)
    assert ACTIVATION_RESULT_NAMES[2][1] == "failure"
    assert ACTIVATION_DETAIL_NAMES[3] == ("VIN重复", "VIN duplicate")
    with pytest.raises(TruncatedDataUnit):
        decode(CODECS, RESPONSE, h("01"))
    with pytest.raises(MalformedDataUnit):
        decode(CODECS, RESPONSE, h("01 01 00"))


KEY = "00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF"


def test_key_exchange_has_no_leading_time_and_hides_key() -> None:
    data = h("05" + "00 10" + KEY      # SM4, 16-byte key
             + TIME                     # valid from 2025-11-01 00:00:00
             + "1A 0B 01 00 00 00")     # valid until 2026-11-01 00:00:00
    body = round_trip(KEYS, data)
    assert body == KeyExchange(key_type=5, key=Hex(h(KEY)), valid_from=AT,
                               valid_until=AT.replace(year=2026))
    assert h(KEY).hex() not in repr(body)
    assert "<redacted>" in repr(body)
    assert json_round_trip(body, KEYS)["key"] == h(KEY).hex()


def test_key_exchange_truncated_validity() -> None:
    with pytest.raises(TruncatedDataUnit):
        decode(CODECS, KEYS, h("05 00 01 AA" + TIME))


def test_replies() -> None:
    assert round_trip(Slot(V25, Command.ACTIVATION, False), h(TIME)) == TimeOnly(at=AT)
    for command in (Command.ACTIVATION_RESPONSE, Command.KEY_EXCHANGE):
        slot = Slot(V25, command, False)
        assert round_trip(slot, h(TIME)) == TimeOnly(at=AT)
        assert round_trip(slot, b"") == Opaque(data=Hex(b""))
        assert round_trip(slot, h("01 01")) == Opaque(data=Hex(h("01 01")))


def test_only_in_2025() -> None:
    assert all(codec.editions == {V25} for codec in CODECS)


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
