"""Shared vocabulary of the codec: editions, code points, sentinels and the frozen model base.

Decoded frames are immutable ``msgspec.Struct`` objects: construction is cheap (the decoder builds
tens of thousands per second) and the same classes give the canonical JSON form
(docs/protocol-json.md) without a second schema.
"""

from __future__ import annotations

import enum

import msgspec


class Edition(enum.Enum):
    """GB/T 32960.3 edition, told apart only by the start marker (PROTOCOL.md §2, §14.1)."""

    V2016 = "2016"
    V2025 = "2025"

    # Members are singletons compared by identity, so the C identity hash is consistent with
    # equality; Enum's own __hash__ is a Python call on every dict lookup of the hot path.
    __hash__ = object.__hash__


START_MARKER: dict[Edition, bytes] = {Edition.V2016: b"##", Edition.V2025: b"$$"}
EDITION_BY_MARKER: dict[bytes, Edition] = {marker: ed for ed, marker in START_MARKER.items()}


class Command(enum.IntEnum):
    """Command ids, byte 2 of the envelope (PROTOCOL.md §3, §14.2)."""

    VEHICLE_LOGIN = 0x01
    REALTIME = 0x02
    REISSUE = 0x03
    VEHICLE_LOGOUT = 0x04
    PLATFORM_LOGIN = 0x05
    PLATFORM_LOGOUT = 0x06
    HEARTBEAT = 0x07
    TIME_CALIBRATION = 0x08
    ACTIVATION = 0x09
    ACTIVATION_RESPONSE = 0x0A
    KEY_EXCHANGE = 0x0B
    PARAMETER_QUERY = 0x80
    PARAMETER_SET = 0x81
    TERMINAL_CONTROL = 0x82


class ResponseFlag(enum.IntEnum):
    """Response flag, byte 3 (PROTOCOL.md §4; 0x04-0x07 exist only in 2025, §14.2)."""

    SUCCESS = 0x01
    ERROR = 0x02
    VIN_DUPLICATE = 0x03
    VIN_UNKNOWN = 0x04
    SIGNATURE_INVALID = 0x05
    STRUCTURE_INVALID = 0x06
    DECRYPTION_FAILED = 0x07
    COMMAND = 0xFE


class EncryptionType(enum.IntEnum):
    """Data-unit encryption byte 21 (PROTOCOL.md §5; SM2/SM4 are 2025 only)."""

    NONE = 0x01
    RSA = 0x02
    AES128 = 0x03
    SM2 = 0x04
    SM4 = 0x05
    ABNORMAL = 0xFE
    INVALID = 0xFF


class Sentinel(enum.Enum):
    """The standard's "abnormal" / "invalid" raw values, kept as states, never as numbers (§8.0)."""

    ABNORMAL = "abnormal"
    INVALID = "invalid"


class Hex(bytes):
    """Bytes that the canonical JSON form writes as lowercase hex instead of base64."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Hex({self.hex()!r})"


class Model(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, gc=False):
    """Base of every decoded structure."""


class Body(Model, frozen=True, tag_field="kind"):
    """A decoded data unit; subclasses set a unique ``tag`` (their ``kind`` in JSON)."""


class Block(Model, frozen=True, tag_field="kind"):
    """One information block of a realtime/reissue data unit (§8, §14.4); the type byte of
    each edition lives in that edition's block table, not on the class."""
