"""VIN check digits (ISO 3779): every simulated VIN must pass the platform's check (§9)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.simulator.vin import check_digit, is_valid_vin, make_vin


@pytest.mark.parametrize(("vin", "digit"), [
    ("1M8GDM9AXKP042788", "X"),   # the textbook example: remainder 10 is written X
    ("11111111111111111", "1"),
    ("LSGPC52U96F102345", "9"),   # worked by hand: weighted sum 339, 339 mod 11 = 9
])
def test_check_digit_of_known_vins(vin: str, digit: str) -> None:
    assert check_digit(vin) == digit
    assert is_valid_vin(vin)


@pytest.mark.parametrize("vin", [
    "1M8GDM9A1KP042788",   # wrong check digit
    "1M8GDM9AXKP04278",    # 16 characters
    "IM8GDM9AXKP042788",   # I is not allowed
])
def test_invalid_vins_are_refused(vin: str) -> None:
    assert not is_valid_vin(vin)


@given(seed=st.integers(min_value=0, max_value=2**32), serial=st.integers(0, 999_999))
def test_made_vins_are_valid(seed: int, serial: int) -> None:
    vin = make_vin(random.Random(seed), "LNV", serial)
    assert len(vin) == 17
    assert is_valid_vin(vin)
    assert vin.endswith(f"{serial:06d}")
