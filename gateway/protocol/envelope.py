"""The frame envelope shared by both editions (PROTOCOL.md §2): marker, header, data unit, BCC."""

from __future__ import annotations

import struct
from typing import Final, NamedTuple

from .errors import BadChecksum, BadStartMarker, FieldTooLong, FrameTooShort, LengthMismatch
from .model import EDITION_BY_MARKER, START_MARKER, Edition

HEADER_SIZE: Final = 24          # marker 2 + command 1 + flag 1 + unique id 17 + enc 1 + length 2
FRAME_OVERHEAD: Final = HEADER_SIZE + 1
UNIQUE_ID_SIZE: Final = 17
MAX_DATA_UNIT: Final = 65531     # §2: the length WORD carries 0..65531
_HEADER = struct.Struct(">2sBB17sBH")


def bcc(data: bytes | memoryview) -> int:
    """XOR of all bytes (§2.1) without a per-byte Python loop: read the bytes as one big integer
    and fold its halves onto each other (kept 8-byte aligned) down to one 64-bit word, then fold
    that word down to a byte."""
    width = len(data)
    value = int.from_bytes(data, "big")
    while width > 8:
        half = ((width + 1) // 2 + 7) & ~7
        shift = half << 3
        value = (value >> shift) ^ (value & ((1 << shift) - 1))
        width = half
    value ^= value >> 32
    value ^= value >> 16
    value ^= value >> 8
    return value & 0xFF


class Envelope(NamedTuple):
    """Header fields of one complete frame plus its still-undecoded data unit."""

    edition: Edition
    command: int
    response: int
    unique_id_raw: bytes
    encryption: int
    data_unit: bytes


def split_frame(frame: bytes) -> Envelope:
    """Check marker, length and BCC of exactly one frame and split it into its parts."""
    return _split(frame, check_bcc=True)


def split_framed(frame: bytes) -> Envelope:
    """``split_frame`` for a frame the stream framer delivered: the framer already checked its
    BCC (§2.2) and the BCC is a third of what ``split_frame`` costs on a 340-byte frame."""
    return _split(frame, check_bcc=False)


def _split(frame: bytes, *, check_bcc: bool) -> Envelope:
    if len(frame) < FRAME_OVERHEAD:
        raise FrameTooShort(f"frame of {len(frame)} bytes is shorter than {FRAME_OVERHEAD}")
    marker, command, response, unique_id, encryption, length = _HEADER.unpack_from(frame, 0)
    edition = EDITION_BY_MARKER.get(marker)
    if edition is None:
        raise BadStartMarker(f"start marker {marker.hex()} is neither 2323 nor 2424", offset=0)
    if len(frame) != FRAME_OVERHEAD + length:
        raise LengthMismatch(
            f"length field says {length} data bytes, frame carries {len(frame) - FRAME_OVERHEAD}",
            offset=22)
    end = HEADER_SIZE + length
    if check_bcc:
        expected = bcc(memoryview(frame)[2:end])
        if frame[end] != expected:
            raise BadChecksum(f"BCC {frame[end]:02x} != computed {expected:02x}", offset=end)
    return Envelope(edition, command, response, unique_id, encryption, frame[HEADER_SIZE:end])


def join_frame(envelope: Envelope) -> bytes:
    """Build the wire bytes: header, data unit, BCC over command..last data byte (§2.1, §13)."""
    if len(envelope.unique_id_raw) != UNIQUE_ID_SIZE:
        raise FieldTooLong(f"unique id must be {UNIQUE_ID_SIZE} bytes")
    if len(envelope.data_unit) > MAX_DATA_UNIT:
        raise FieldTooLong(f"data unit of {len(envelope.data_unit)} bytes exceeds {MAX_DATA_UNIT}")
    head = _HEADER.pack(START_MARKER[envelope.edition], envelope.command, envelope.response,
                        envelope.unique_id_raw, envelope.encryption, len(envelope.data_unit))
    body = head + envelope.data_unit
    return body + bytes((bcc(memoryview(body)[2:]),))
