"""PostgreSQL binary COPY encoding for the ingest tables' column types.

asyncpg's ``copy_records_to_table`` encodes every value through its generic codecs; for array
columns it asks ``isinstance(element, collections.abc.Iterable)`` of every element to detect
nested arrays, which made the gateway spend about half of its COPY time on 150 cell voltages
and probe temperatures per row. The ingest tables use a handful of fixed types, so the rows are
encoded here with precompiled ``struct`` formats and sent with ``copy_to_table``.

Format: PostgreSQL documentation, "COPY — Binary Format" (header, per row an int16 field count,
per field an int32 length or -1 for NULL, then the type's binary send representation).
A value our encoder cannot represent (a smallint out of range, a wrong Python type) raises
``CopyValueError``, whose SQLSTATE class 22 tells the ingest committer the row itself is bad
(as the server would have said), so it isolates the item instead of spooling forever.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache, partial
from typing import Any, Final

HEADER: Final = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
TRAILER: Final = struct.pack(">h", -1)
_NULL: Final = struct.pack(">i", -1)
_POSTGRES_EPOCH: Final = datetime(2000, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)
_TRUE: Final = struct.pack(">i?", 1, True)
_FALSE: Final = struct.pack(">i?", 1, False)
# pg_type oids of the array element types (catalog constants, stable across versions).
_ELEMENT_OIDS: Final = {"smallint": 21, "integer": 23}
_ELEMENT_CODES: Final = {"smallint": "h", "integer": "i"}
_ELEMENT_SIZES: Final = {"smallint": 2, "integer": 4}

Encoder = Callable[[Any], bytes]


class CopyValueError(ValueError):
    """A value the column's type cannot hold. ``sqlstate`` mirrors the server's answer."""

    sqlstate = "22000"  # data_exception

    def __init__(self, column: str, value: object, reason: str) -> None:
        super().__init__(f"column {column}: {reason} ({type(value).__name__})")


def _fixed(code: str) -> Encoder:
    packer = struct.Struct(">i" + code)
    # A partial of the C ``pack``: no Python frame per value (two dozen per realtime row).
    return partial(packer.pack, packer.size - 4)


def _text(value: Any) -> bytes:
    data = value.encode() if isinstance(value, str) else bytes(value)
    return len(data).to_bytes(4, "big") + data


def _jsonb(value: Any) -> bytes:
    # jsonb's binary form is a version byte (1) followed by the JSON text.
    data = value.encode() if isinstance(value, str) else bytes(value)
    return (len(data) + 1).to_bytes(4, "big") + b"\x01" + data


def _bytea(value: Any) -> bytes:
    data = bytes(value)
    return len(data).to_bytes(4, "big") + data


def _boolean(value: Any) -> bytes:
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    raise TypeError("not a bool")


_TIMESTAMP: Final = struct.Struct(">iq")


def _timestamptz(value: Any) -> bytes:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise TypeError("not an aware datetime")
    return _TIMESTAMP.pack(8, (value - _POSTGRES_EPOCH) // _MICROSECOND)


@lru_cache(maxsize=1024)
def _array_struct(element: str, count: int) -> struct.Struct:
    # Header (ndim, has_nulls, element oid, length, lower bound) then (length, value) pairs.
    return struct.Struct(">iiiiii" + ("i" + _ELEMENT_CODES[element]) * count)


def _array(element: str) -> Encoder:
    oid = _ELEMENT_OIDS[element]
    size = _ELEMENT_SIZES[element]
    empty = struct.pack(">iiii", 12, 0, 0, oid)

    def encode(value: Any) -> bytes:
        items = value if value.__class__ is list else list(value)
        count = len(items)
        if not count:
            return empty
        fields: list[int] = [size] * (2 * count)
        fields[1::2] = items
        packer = _array_struct(element, count)
        try:
            return packer.pack(packer.size - 4, 1, 0, oid, count, 1, *fields)
        except struct.error:
            # NULL elements are rare (sentinels, §8.0): look for them only when packing failed.
            if None not in items:
                raise
        return _array_with_nulls(element, oid, size, items)
    return encode


def _array_with_nulls(element: str, oid: int, size: int, items: list[Any]) -> bytes:
    code = ">i" + _ELEMENT_CODES[element]
    body = b"".join(_NULL if item is None else struct.pack(code, size, item) for item in items)
    header = struct.pack(">iiiii", 1, 1, oid, len(items), 1)
    return (len(header) + len(body)).to_bytes(4, "big") + header + body


ENCODERS: Final[dict[str, Encoder]] = {
    "text": _text,
    "jsonb": _jsonb,
    "bytea": _bytea,
    "boolean": _boolean,
    "smallint": _fixed("h"),
    "integer": _fixed("i"),
    "bigint": _fixed("q"),
    "real": _fixed("f"),
    "double precision": _fixed("d"),
    "timestamp with time zone": _timestamptz,
    "smallint[]": _array("smallint"),
    "integer[]": _array("integer"),
}


_ENCODE_ERRORS: Final = (struct.error, TypeError, ValueError, AttributeError, OverflowError)


def row_encoder(columns: Sequence[tuple[str, str]]) -> Callable[[Sequence[Any]], bytes]:
    """An encoder of one row, given the (name, SQL type) of each column in order."""
    names = [name for name, _ in columns]
    encoders = [ENCODERS[sql_type] for _, sql_type in columns]
    field_count = struct.pack(">h", len(columns))

    def encode(row: Sequence[Any]) -> bytes:
        try:
            return field_count + b"".join([
                _NULL if value is None else encoder(value)
                for encoder, value in zip(encoders, row, strict=True)])
        except _ENCODE_ERRORS as exc:
            raise _explain(names, encoders, row) from exc
    return encode


def _explain(names: list[str], encoders: list[Encoder], row: Sequence[Any]) -> CopyValueError:
    """The error of the first value that does not encode (the fast path only knows that one
    did not)."""
    if len(row) != len(encoders):
        return CopyValueError("*", row, f"{len(row)} values for {len(encoders)} columns")
    for name, encoder, value in zip(names, encoders, row, strict=True):
        if value is None:
            continue
        try:
            encoder(value)
        except _ENCODE_ERRORS as exc:
            return CopyValueError(name, value, str(exc))
    return CopyValueError("*", row, "unencodable row")


def copy_payload(encode_row: Callable[[Sequence[Any]], bytes],
                 rows: Iterable[Sequence[Any]]) -> bytes:
    """The whole COPY stream: header, rows, trailer."""
    return b"".join((HEADER, *map(encode_row, rows), TRAILER))
