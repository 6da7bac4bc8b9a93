"""2025-only security data units: activation 0x09, activation response 0x0A, key exchange 0x0B
(§14.2, §14.3, §14.5).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from .bodies import Opaque, TimeOnly, decode_time_only, encode_time_only
from .errors import FieldTooLong, MalformedDataUnit
from .model import Body, Command, Edition, Hex, Sentinel
from .registry import BodyCodec, expect
from .session import redacted_repr, redacted_rich_repr
from .signature import Signature, decode_signature, encode_signature
from .wire import decode_text, decode_time, encode_text, encode_time, need, state_raw, state_value

CHIP_ID_SIZE: Final = 16
VIN_SIZE: Final = 17

_WORD = struct.Struct(">H")
_V2025 = frozenset({Edition.V2025})

# Display names of the response codes: code -> (zh-CN, English).
ACTIVATION_RESULT_NAMES: Final[Mapping[int, tuple[str, str]]] = {
    0x01: ("激活成功", "success"), 0x02: ("激活失败", "failure")}
# §14.3 marks the detail codes [unconfirmed]: show them, never branch on them.
ACTIVATION_DETAIL_NAMES: Final[Mapping[int, tuple[str, str]]] = {
    0x01: ("正常", "ok"), 0x02: ("安全芯片已被使用", "security chip already used"),
    0x03: ("VIN重复", "VIN duplicate")}


def _expect_end(data: bytes, pos: int, what: str) -> None:
    if pos != len(data):
        raise MalformedDataUnit(f"{what}: {len(data) - pos} bytes after the unit", offset=pos)


def _sized(value: bytes, what: str) -> bytes:
    """A WORD length prefix followed by the bytes (public key, key)."""
    if len(value) > 0xFFFF:
        raise FieldTooLong(f"{what}: {len(value)} bytes do not fit a WORD length")
    return _WORD.pack(len(value)) + bytes(value)


def _read_sized(data: bytes, pos: int, what: str) -> tuple[Hex, int]:
    need(data, pos, 2, f"{what} length")
    (length,) = _WORD.unpack_from(data, pos)
    need(data, pos + 2, length, what)
    return Hex(data[pos + 2:pos + 2 + length]), pos + 2 + length


# ---- activation 0x09 (vehicle -> platform) -----------------------------------------------------

class Activation(Body, frozen=True, tag="activation"):
    """Registers the vehicle's public key; the signature follows the VIN directly, without the
    0xFF type byte that precedes it in realtime data (§14.3, §14.5)."""

    collected_at: datetime | None
    chip_id: str
    public_key: Hex
    vin: str
    signature: Signature
    collected_at_raw: Hex | None = None
    chip_id_raw: Hex | None = None
    vin_raw: Hex | None = None


def decode_activation(data: bytes, edition: Edition) -> Body:
    need(data, 0, 6 + CHIP_ID_SIZE, "activation")
    collected_at, collected_at_raw = decode_time(data)
    chip_id, chip_id_raw = decode_text(data[6:6 + CHIP_ID_SIZE])
    public_key, pos = _read_sized(data, 6 + CHIP_ID_SIZE, "activation public key")
    need(data, pos, VIN_SIZE, "activation VIN")
    vin, vin_raw = decode_text(data[pos:pos + VIN_SIZE])
    signature, pos = decode_signature(data, pos + VIN_SIZE)
    _expect_end(data, pos, "activation")
    return Activation(collected_at=collected_at, collected_at_raw=collected_at_raw,
                      chip_id=chip_id, chip_id_raw=chip_id_raw, public_key=public_key,
                      vin=vin, vin_raw=vin_raw, signature=signature)


def encode_activation(body: Body, edition: Edition) -> bytes:
    activation = expect(body, Activation)
    return (encode_time(activation.collected_at, activation.collected_at_raw)
            + encode_text(activation.chip_id, CHIP_ID_SIZE, activation.chip_id_raw, "chip id")
            + _sized(activation.public_key, "public key")
            + encode_text(activation.vin, VIN_SIZE, activation.vin_raw, "VIN")
            + encode_signature(activation.signature))


# ---- activation response 0x0A (platform -> vehicle, flag 0xFE) ---------------------------------

class ActivationResponse(Body, frozen=True, tag="activation_response"):
    """``result`` and ``detail`` are raw codes; see ACTIVATION_RESULT_NAMES / _DETAIL_NAMES."""

    result: int | Sentinel
    detail: int | Sentinel


def decode_activation_response(data: bytes, edition: Edition) -> Body:
    need(data, 0, 2, "activation response")
    _expect_end(data, 2, "activation response")
    return ActivationResponse(result=state_value(data[0]), detail=state_value(data[1]))


def encode_activation_response(body: Body, edition: Edition) -> bytes:
    response = expect(body, ActivationResponse)
    return bytes((state_raw(response.result), state_raw(response.detail)))


# ---- key exchange 0x0B ---------------------------------------------------------------------------

_SECRETS: Final = frozenset({"key"})


class KeyExchange(Body, frozen=True, tag="key_exchange"):
    """A data-unit encryption key and its validity window; no leading collection time (§14.3).
    ``key_type`` is an encryption-type code (§5). The key stays in the model and its JSON but
    ``repr`` hides it."""

    key_type: int | Sentinel
    key: Hex
    valid_from: datetime | None
    valid_until: datetime | None
    valid_from_raw: Hex | None = None
    valid_until_raw: Hex | None = None

    def __repr__(self) -> str:
        return redacted_repr(self, _SECRETS)

    def __rich_repr__(self) -> list[tuple[str, Any]]:
        return redacted_rich_repr(self, _SECRETS)


def decode_key_exchange(data: bytes, edition: Edition) -> Body:
    need(data, 0, 1, "key exchange")
    key, pos = _read_sized(data, 1, "key exchange key")
    need(data, pos, 12, "key exchange validity")
    valid_from, valid_from_raw = decode_time(data, pos)
    valid_until, valid_until_raw = decode_time(data, pos + 6)
    _expect_end(data, pos + 12, "key exchange")
    return KeyExchange(key_type=state_value(data[0]), key=key, valid_from=valid_from,
                       valid_from_raw=valid_from_raw, valid_until=valid_until,
                       valid_until_raw=valid_until_raw)


def encode_key_exchange(body: Body, edition: Edition) -> bytes:
    exchange = expect(body, KeyExchange)
    return (bytes((state_raw(exchange.key_type),)) + _sized(exchange.key, "key")
            + encode_time(exchange.valid_from, exchange.valid_from_raw)
            + encode_time(exchange.valid_until, exchange.valid_until_raw))


# ---- replies ------------------------------------------------------------------------------------

def decode_reply_lenient(data: bytes, edition: Edition) -> Body:
    """Replies to 0x0A / 0x0B: their requests carry no time to echo, so sources disagree on
    what comes back; a 6-byte unit is read as a time, anything else is kept opaque."""
    if len(data) == 6:
        at, at_raw = decode_time(data)
        return TimeOnly(at=at, at_raw=at_raw)
    return Opaque(data=Hex(data))


CODECS: Final[tuple[BodyCodec, ...]] = (
    BodyCodec(_V2025, Command.ACTIVATION, True, Activation, decode_activation,
              encode_activation),
    BodyCodec(_V2025, Command.ACTIVATION, False, TimeOnly, decode_time_only, encode_time_only),
    BodyCodec(_V2025, Command.ACTIVATION_RESPONSE, True, ActivationResponse,
              decode_activation_response, encode_activation_response),
    BodyCodec(_V2025, Command.ACTIVATION_RESPONSE, False, TimeOnly, decode_reply_lenient,
              encode_time_only),
    BodyCodec(_V2025, Command.KEY_EXCHANGE, True, KeyExchange, decode_key_exchange,
              encode_key_exchange),
    BodyCodec(_V2025, Command.KEY_EXCHANGE, False, TimeOnly, decode_reply_lenient,
              encode_time_only),
)
