"""The gear byte read out per edition (PROTOCOL.md §8.1 and §14.4), from byte literals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.latest_record import Gear, decode_gear


@pytest.mark.parametrize(("byte", "edition", "expected"), [
    (0x3E, 2016, Gear(14, driving_force=True, braking_force=True)),   # §8.1 example: D
    (0x1F, 2016, Gear(15, driving_force=False, braking_force=True)),  # §8.1 example: P
    (0x00, 2016, Gear(0, driving_force=False, braking_force=False)),  # neutral
    (0x2D, 2016, Gear(13, driving_force=True, braking_force=False)),  # reverse
    (0x23, 2025, Gear(3, driving_force=True, braking_force=False)),
    (0x8E, 2025, Gear(None, driving_force=False, braking_force=False)),  # bit 7: invalid
    (0xAE, 2025, Gear(None, driving_force=True, braking_force=False)),
    # 2016 keeps bits 7-6 reserved: a set bit 7 there does not void the gear.
    (0x8E, 2016, Gear(14, driving_force=False, braking_force=False)),
])
def test_gear_byte(byte: int, edition: int, expected: Gear) -> None:
    assert decode_gear(byte, edition) == expected


@given(st.integers(0, 255), st.sampled_from([2016, 2025]))
def test_every_byte_reads_out(byte: int, edition: int) -> None:
    gear = decode_gear(byte, edition)
    assert gear.position is None or 0 <= gear.position <= 15
    assert gear.driving_force == bool(byte & 0x20)
    assert gear.braking_force == bool(byte & 0x10)
    assert (gear.position is None) == (edition == 2025 and byte >= 0x80)
