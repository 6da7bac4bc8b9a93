"""Keyset cursors: round trips, and every alteration, truncation or cross-query use refused
with InvalidCursor (never another exception, never a different key)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.cursor import MAX_CURSOR_CHARS, CursorValue, decode_cursor, encode_cursor
from backend.core.data_errors import InvalidCursor

values = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**62), max_value=2**62),
    st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1),
                 timezones=st.sampled_from([UTC, timezone(timedelta(hours=8))])),
    st.binary(max_size=32),
)
keys = st.lists(values, min_size=1, max_size=3)


def _kinds(key: list[CursorValue]) -> list[type]:
    return [datetime if isinstance(v, datetime) else type(v) for v in key]


@given(keys, st.text(max_size=30))
def test_round_trip(key: list[CursorValue], query: str) -> None:
    token = encode_cursor(query, key)
    assert token.isascii() and "=" not in token
    assert decode_cursor(token, query, _kinds(key)) == tuple(key)


@given(keys, st.data())
def test_any_altered_character_is_refused_or_harmless(key: list[CursorValue],
                                                      data: st.DataObject) -> None:
    token = encode_cursor("q", key)
    index = data.draw(st.integers(0, len(token) - 1))
    replacement = data.draw(st.sampled_from(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=."))
    altered = token[:index] + replacement + token[index + 1:]
    try:
        decoded = decode_cursor(altered, "q", _kinds(key))
    except InvalidCursor:
        return
    # Only a change in the unused low bits of the last base64 character decodes at all.
    assert decoded == tuple(key)


@given(keys, st.integers(1, 20))
def test_truncated_cursors_are_refused(key: list[CursorValue], cut: int) -> None:
    token = encode_cursor("q", key)
    with pytest.raises(InvalidCursor):
        decode_cursor(token[:-cut], "q", _kinds(key))


@given(st.text(max_size=2 * MAX_CURSOR_CHARS))
def test_arbitrary_text_never_raises_anything_else(text: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor(text, "q", [str])


def test_cursor_is_bound_to_its_query_and_key_shape() -> None:
    token = encode_cursor("vehicles:soc", [80, "LNBSCB3F5JW000001"])
    with pytest.raises(InvalidCursor, match="another query"):
        decode_cursor(token, "vehicles:vin", [int, str])
    for kinds in ([str, str], [int], [int, str, str], [datetime, str], [bool, str]):
        with pytest.raises(InvalidCursor):
            decode_cursor(token, "vehicles:soc", kinds)


def test_unsupported_values_cannot_be_encoded() -> None:
    with pytest.raises(TypeError):
        encode_cursor("q", [True])
    with pytest.raises(ValueError, match="timezone"):
        encode_cursor("q", [datetime(2024, 1, 1)])
