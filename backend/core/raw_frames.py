"""Raw frames as the API shows them: the exact bytes (hex), the frame decoded again from them
into its canonical JSON (docs/protocol-json.md; the decoding is the services' job, with the
pure codec ``gateway.protocol``), and, for realtime and reissue frames, the realtime rows the
gateway decoded from them at ingest.

A stored frame the codec refuses keeps its hex and gets a ``FrameDecodeError`` with the
codec's stable code instead of JSON; an encrypted frame decodes to a body of kind
``encrypted`` (the stored bytes are the ciphertext, no key is used here) and says so with
``encrypted``; its decoded rows are then the only readable form of its values.

A frame's own rows are found by the content hash the gateway keyed them on: BLAKE2b-128 of the
data unit (gateway/ingest/rows.py, ``digest(plaintext_data_unit(...))``), which for a frame
that arrived in clear is a slice of the frame (PROTOCOL.md §2: 24 header bytes, the data unit,
one check byte). A frame the gateway decrypted hashed its plaintext, which the hex does not
show; it gets every row collected at its collection time instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

HEADER_BYTES: Final = 24
REALTIME_COMMANDS: Final = frozenset({0x02, 0x03})


@dataclass(frozen=True, slots=True)
class DecodedRecord:
    collected_at: datetime
    content_hash: bytes
    values: Mapping[str, object]  # realtime columns (docs/storage.md), read-only


@dataclass(frozen=True, slots=True)
class FrameDecodeError:
    """Why a stored frame does not decode: the codec's stable code (``peer.*``)."""

    code: str
    message: str
    offset: int | None = None


@dataclass(frozen=True, slots=True)
class RawFrame:
    received_at: datetime
    collected_at: datetime | None
    command: int
    edition: int  # 2016 or 2025
    frame: bytes
    frame_hash: bytes
    records: tuple[DecodedRecord, ...] = ()
    canonical_json: str | None = None  # None when the frame does not decode
    encrypted: bool = False  # the stored data unit is ciphertext
    decode_error: FrameDecodeError | None = None

    @property
    def hex(self) -> str:
        return self.frame.hex()


@dataclass(frozen=True, slots=True)
class RawFramePage:
    items: tuple[RawFrame, ...]
    next_cursor: str | None


def data_unit_digest(frame: bytes) -> bytes:
    """The content hash the gateway gives a frame that arrived in clear."""
    return hashlib.blake2b(frame[HEADER_BYTES:-1], digest_size=16).digest()


def records_of(frame: RawFrame,
               candidates: Sequence[DecodedRecord]) -> tuple[DecodedRecord, ...]:
    """The rows decoded from ``frame`` among the rows collected at its collection time."""
    if frame.command not in REALTIME_COMMANDS or frame.collected_at is None:
        return ()
    same_time = tuple(r for r in candidates if r.collected_at == frame.collected_at)
    digest = data_unit_digest(frame.frame)
    exact = tuple(r for r in same_time if r.content_hash == digest)
    return exact or same_time
