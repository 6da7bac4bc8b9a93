"""The alarm feed's entry format without Redis: rows packed into one entry decode in order with
positions ``m-s/k``, an entry of a gateway from before the arrays still decodes, malformed data
is reported instead of raised, and positions sort like the feed (old ``m-s`` texts included)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.storage.alarm_feed import (
    FEED_MAXLEN,
    FEED_ROWS_PER_ENTRY,
    decode_entry,
    entry_payload,
    position_order,
)
from tests.integration.alarm_support import at, packed, row

VIN = "LNGTEST0000000001"


def test_rows_of_one_entry_decode_in_order_with_their_positions() -> None:
    rows = [row("acme", VIN, second, level=second % 3) for second in range(5)]
    entry = decode_entry("1700000000000-3", entry_payload(rows))
    assert entry.malformed == []
    assert [item.position for item in entry.items] == [
        f"1700000000000-3/{index}" for index in range(5)]
    assert [(item.tenant, item.record.collected_at, item.record.alarm_level)
            for item in entry.items] == [("acme", at(s), s % 3) for s in range(5)]


def test_an_entry_of_a_gateway_before_the_arrays_is_row_0() -> None:
    [item] = decode_entry("5-1", row("acme", VIN, 7, level=2)).items
    assert (item.position, item.tenant, item.record.vin, item.record.alarm_level) == (
        "5-1/0", "acme", VIN, 2)
    assert position_order(item.position) == position_order("5-1")


def test_a_malformed_row_is_reported_and_the_others_are_kept() -> None:
    good = [row("acme", VIN, 0), row("acme", VIN, 1)]
    entry = decode_entry("9-0", entry_payload([good[0], b'{"t": "acme"}', b"17", good[1]]))
    assert [item.position for item in entry.items] == ["9-0/0", "9-0/3"]
    assert len(entry.malformed) == 2
    assert entry.malformed[0].startswith("feed entry 9-0 row 1:")


@pytest.mark.parametrize("payload", [b"", b"not json", b"[1, ", b"{}", b'"text"', b"\xff",
                                     b"[" * 10_000])
def test_an_unreadable_entry_is_reported_never_raised(payload: bytes) -> None:
    entry = decode_entry("9-0", payload)
    assert entry.items == [] and len(entry.malformed) == 1


def test_an_empty_array_is_an_entry_without_rows() -> None:
    entry = decode_entry("9-0", entry_payload([]))
    assert (entry.items, entry.malformed) == ([], [])


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.sampled_from(["t", "vin", "c", "r", "x", "e"]), inner,
                                      max_size=6), max_leaves=12))
def test_any_json_never_raises(document: object) -> None:
    decode_entry("1-0", json.dumps(document).encode())


def test_positions_sort_like_the_feed() -> None:
    ordered = ["99-5/99", "100-0", "100-0/1", "100-0/2", "100-0/10", "100-1/0", "101-0/0"]
    assert sorted(ordered, key=position_order) == ordered
    assert position_order("100-0") == position_order("100-0/0") < position_order("100-0/1")
    assert position_order("100") == (100, 0, 0)


def test_packing_and_the_trim_bound() -> None:
    rows = [row("acme", VIN, second) for second in range(FEED_ROWS_PER_ENTRY * 2 + 1)]
    entries = packed(rows)
    assert [len(decode_entry("1-0", entry).items) for entry in entries] == [
        FEED_ROWS_PER_ENTRY, FEED_ROWS_PER_ENTRY, 1]
    # Full entries at the trim length hold what one row an entry held before: a million.
    assert FEED_MAXLEN * FEED_ROWS_PER_ENTRY == 1_000_000
