"""Opaque keyset cursors: the sort key of the last row of a page, bound to the query that made
it (docs/fleet-data.md).

A cursor is base64url of a compact JSON document plus an 8-byte BLAKE2b checksum. The checksum
and the query fingerprint turn an edited, truncated or cross-query cursor into InvalidCursor
instead of a silently different page. They are not a secret seal: a cursor carries no
authority (every query re-applies the tenant and the filters on the server, and the key values
are bound parameters), so someone who forges one only moves within the rows they may see.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Final, TypeAlias

from backend.core.data_errors import InvalidCursor

CursorValue: TypeAlias = str | int | datetime | bytes

MAX_CURSOR_CHARS: Final = 1024
_CHECKSUM_BYTES: Final = 8
_PERSON: Final = b"nevguard.cursor1"  # BLAKE2b personalisation: no other digest collides
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_TAGS: Final[dict[type, str]] = {str: "s", int: "i", datetime: "t", bytes: "b"}


def _checksum(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_CHECKSUM_BYTES, person=_PERSON).digest()


def query_fingerprint(query: str) -> str:
    """A short digest of the query shape (sort, direction, filters) a cursor belongs to."""
    return hashlib.blake2b(query.encode(), digest_size=8, person=_PERSON).hexdigest()


def _tagged(value: CursorValue) -> list[object]:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("cursor times must be timezone-aware")
        return ["t", (value - _EPOCH) // timedelta(microseconds=1)]
    if isinstance(value, bytes):
        return ["b", value.hex()]
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"not a cursor value: {type(value).__name__}")
    return [_TAGS[type(value)], value]


def encode_cursor(query: str, key: Sequence[CursorValue]) -> str:
    document = {"q": query_fingerprint(query), "k": [_tagged(value) for value in key]}
    data = json.dumps(document, separators=(",", ":"), ensure_ascii=True).encode()
    return base64.urlsafe_b64encode(data + _checksum(data)).rstrip(b"=").decode()


def _untagged(item: object, kind: type) -> CursorValue:
    if not isinstance(item, list) or len(item) != 2 or item[0] != _TAGS.get(kind):
        raise InvalidCursor("cursor key does not fit this query", field="after")
    value = item[1]
    try:
        if kind is datetime and type(value) is int:
            return _EPOCH + timedelta(microseconds=value)
        if kind is bytes and isinstance(value, str):
            return bytes.fromhex(value)
    except (ValueError, OverflowError):
        raise InvalidCursor("cursor key is out of range", field="after") from None
    if kind is str and isinstance(value, str):
        return value
    if kind is int and type(value) is int:  # not bool, which JSON would also give
        return value
    raise InvalidCursor("cursor key does not fit this query", field="after")


def decode_cursor(token: str, query: str, kinds: Sequence[type]) -> tuple[CursorValue, ...]:
    """The key of ``token``, which must have been made by ``encode_cursor`` for ``query``
    with values of ``kinds`` (str, int, datetime or bytes), else InvalidCursor."""
    if not token or len(token) > MAX_CURSOR_CHARS or not token.isascii():
        raise InvalidCursor("not a cursor", field="after")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise InvalidCursor("not a cursor", field="after") from None
    data, checksum = raw[:-_CHECKSUM_BYTES], raw[-_CHECKSUM_BYTES:]
    if len(raw) <= _CHECKSUM_BYTES or not hmac.compare_digest(checksum, _checksum(data)):
        raise InvalidCursor("cursor was altered or truncated", field="after")
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, ValueError):
        raise InvalidCursor("not a cursor", field="after") from None
    if not isinstance(document, dict) or document.get("q") != query_fingerprint(query):
        raise InvalidCursor("cursor belongs to another query (sort or filters changed)",
                            field="after")
    key = document.get("k")
    if not isinstance(key, list) or len(key) != len(kinds):
        raise InvalidCursor("cursor key does not fit this query", field="after")
    return tuple(_untagged(item, kind) for item, kind in zip(key, kinds, strict=True))
