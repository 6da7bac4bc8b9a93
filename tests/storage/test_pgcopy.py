"""The binary COPY encoder, byte by byte (PostgreSQL docs, "COPY — Binary Format"), and its
refusals. Round trips through the real server are in tests/integration/test_storage_pgcopy.py."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.storage.pgcopy import HEADER, TRAILER, CopyValueError, copy_payload, row_encoder

SMALLINTS = st.integers(-(2**15), 2**15 - 1)
INTEGERS = st.integers(-(2**31), 2**31 - 1)


def test_the_header_and_trailer_are_the_documented_signature() -> None:
    assert HEADER == b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8
    assert TRAILER == b"\xff\xff"
    assert copy_payload(row_encoder([("a", "text")]), []) == HEADER + TRAILER


@pytest.mark.parametrize(("sql_type", "value", "field"), [
    ("text", "粤B", b"\x00\x00\x00\x04" + "粤B".encode()),
    ("jsonb", '{"a":1}', b"\x00\x00\x00\x08\x01" + b'{"a":1}'),
    ("bytea", b"\x00\xff", b"\x00\x00\x00\x02\x00\xff"),
    ("boolean", True, b"\x00\x00\x00\x01\x01"),
    ("boolean", False, b"\x00\x00\x00\x01\x00"),
    ("smallint", -2, b"\x00\x00\x00\x02\xff\xfe"),
    ("integer", 4200, b"\x00\x00\x00\x04\x00\x00\x10\x68"),
    ("bigint", 1 << 40, b"\x00\x00\x00\x08\x00\x00\x01\x00\x00\x00\x00\x00"),
    ("real", 1.5, b"\x00\x00\x00\x04\x3f\xc0\x00\x00"),
    ("double precision", -1.0, b"\x00\x00\x00\x08\xbf\xf0" + b"\x00" * 6),
    # One second after the PostgreSQL epoch, given in UTC+8.
    ("timestamp with time zone", datetime(2000, 1, 1, 8, 0, 1, tzinfo=timezone(timedelta(hours=8))),
     b"\x00\x00\x00\x08" + (1_000_000).to_bytes(8, "big")),
    ("timestamp with time zone", datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
     b"\x00\x00\x00\x08" + (-1).to_bytes(8, "big", signed=True)),
    (None, None, b"\xff\xff\xff\xff"),
])
def test_each_type_has_its_send_form(sql_type: str | None, value: object, field: bytes) -> None:
    encode = row_encoder([("c", sql_type or "text")])
    assert encode([value]) == b"\x00\x01" + field


def test_an_int_array_has_the_one_dimension_header_and_length_prefixed_items() -> None:
    encode = row_encoder([("cells", "integer[]")])
    body = struct.pack(">iiiii", 1, 0, 23, 3, 1) + struct.pack(">iiiiii", 4, 7, 4, -8, 4, 9)
    assert encode([[7, -8, 9]]) == b"\x00\x01" + struct.pack(">i", len(body)) + body


def test_null_elements_set_the_has_nulls_flag() -> None:
    encode = row_encoder([("probes", "smallint[]")])
    body = struct.pack(">iiiii", 1, 1, 21, 2, 1) + struct.pack(">ih", 2, 25) + b"\xff" * 4
    assert encode([[25, None]]) == b"\x00\x01" + struct.pack(">i", len(body)) + body


def test_an_empty_array_has_no_dimensions() -> None:
    encode = row_encoder([("cells", "integer[]")])
    assert encode([[]]) == b"\x00\x01" + struct.pack(">iiii", 12, 0, 0, 23)


@given(st.lists(st.one_of(st.none(), SMALLINTS), max_size=300))
def test_smallint_arrays_with_and_without_nulls_agree_with_a_plain_encoding(
        items: list[int | None]) -> None:
    encoded = row_encoder([("p", "smallint[]")])([items])
    if not items:
        assert encoded[2:] == struct.pack(">iiii", 12, 0, 0, 21)
        return
    body = struct.pack(">iiiii", 1, int(None in items), 21, len(items), 1) + b"".join(
        b"\xff\xff\xff\xff" if item is None else struct.pack(">ih", 2, item) for item in items)
    assert encoded == b"\x00\x01" + struct.pack(">i", len(body)) + body


@given(st.lists(INTEGERS, min_size=1, max_size=300))
def test_integer_arrays_agree_with_a_plain_encoding(items: list[int]) -> None:
    body = struct.pack(">iiiii", 1, 0, 23, len(items), 1) + b"".join(
        struct.pack(">ii", 4, item) for item in items)
    encoded = row_encoder([("c", "integer[]")])([items])
    assert encoded == b"\x00\x01" + struct.pack(">i", len(body)) + body


@pytest.mark.parametrize(("sql_type", "value"), [
    ("smallint", 40_000),
    ("smallint[]", [1, 70_000]),
    ("integer", 1.5),
    ("boolean", 1),
    ("timestamp with time zone", datetime(2024, 1, 1)),  # naive: no zone, no instant
    ("bytea", 3.0),
])
def test_a_value_the_type_cannot_hold_is_a_data_error_naming_the_column(
        sql_type: str, value: object) -> None:
    encode = row_encoder([("vin", "text"), ("bad", sql_type)])
    with pytest.raises(CopyValueError, match="column bad") as raised:
        encode(["LNGTEST0000000001", value])
    # Class 22: the ingest committer isolates the item instead of retrying it forever.
    assert raised.value.sqlstate.startswith("22")


def test_a_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(CopyValueError, match="2 values for 1 columns"):
        row_encoder([("a", "text")])(["x", "y"])
