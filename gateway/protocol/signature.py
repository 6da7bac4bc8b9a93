"""2025 vehicle signature block, type 0xFF, always last in a realtime data unit (§14.4, §14.5).

``algorithm BYTE | R length WORD | R | S length WORD | S``; the signature covers the data unit
from the first byte of the collection time up to, not including, the 0xFF type byte.
"""

from __future__ import annotations

import enum
import struct

from .model import Hex, Model
from .wire import need

SIGNATURE_TYPE = 0xFF
_WORD = struct.Struct(">H")


class SignatureAlgorithm(enum.IntEnum):
    SM2 = 0x01
    RSA = 0x02
    ECC = 0x03


class Signature(Model, frozen=True):
    algorithm: int
    r: Hex
    s: Hex


def decode_signature(data: bytes, pos: int) -> tuple[Signature, int]:
    """``pos`` points just after the 0xFF type byte."""
    need(data, pos, 3, "signature header")
    algorithm = data[pos]
    (r_len,) = _WORD.unpack_from(data, pos + 1)
    pos += 3
    need(data, pos, r_len + 2, "signature R")
    r = Hex(data[pos:pos + r_len])
    pos += r_len
    (s_len,) = _WORD.unpack_from(data, pos)
    pos += 2
    need(data, pos, s_len, "signature S")
    return Signature(algorithm=algorithm, r=r, s=Hex(data[pos:pos + s_len])), pos + s_len


def encode_signature(signature: Signature) -> bytes:
    return (bytes((signature.algorithm,)) + _WORD.pack(len(signature.r)) + bytes(signature.r)
            + _WORD.pack(len(signature.s)) + bytes(signature.s))
