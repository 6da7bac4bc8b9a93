"""Vehicle identification numbers (ISO 3779 / GB 16735) with a correct check digit.

The platform warns on VINs whose 9th character does not match the check digit (PROTOCOL.md §9),
so every simulated VIN must carry the right one unless a scenario breaks it on purpose.
"""

from __future__ import annotations

import random
from typing import Final

# I, O and Q never appear in a VIN: they read like 1 and 0.
VIN_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_TRANSLITERATION: Final = {
    **{str(d): d for d in range(10)},
    "A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 7, "H": 8,
    "J": 1, "K": 2, "L": 3, "M": 4, "N": 5, "P": 7, "R": 9,
    "S": 2, "T": 3, "U": 4, "V": 5, "W": 6, "X": 7, "Y": 8, "Z": 9,
}
_WEIGHTS: Final = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
CHECK_POSITION: Final = 8
VIN_LENGTH: Final = 17
# Model-year codes cycle through letters and digits; 2016..2025 as used by recent NEVs.
MODEL_YEAR_CODES: Final = "GHJKLMNPRS"
# World manufacturer identifiers in the style of Chinese makers (region "L"). Invented values:
# the simulator must not pretend to be a real OEM.
SIMULATED_WMIS: Final = ("LNV", "LSG", "LZE", "LYT")


def check_digit(vin: str) -> str:
    """The ISO 3779 check character for a 17-character VIN (position 9 is ignored)."""
    if len(vin) != VIN_LENGTH:
        raise ValueError(f"VIN must have {VIN_LENGTH} characters, got {len(vin)}")
    total = 0
    for char, weight in zip(vin, _WEIGHTS, strict=True):
        value = _TRANSLITERATION.get(char)
        if value is None:
            raise ValueError(f"character {char!r} is not allowed in a VIN")
        total += value * weight
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def is_valid_vin(vin: str) -> bool:
    if len(vin) != VIN_LENGTH or any(c not in _TRANSLITERATION for c in vin):
        return False
    return vin[CHECK_POSITION] == check_digit(vin)


def make_vin(rng: random.Random, wmi: str, serial: int) -> str:
    """A valid VIN: maker id, random descriptor section, check digit, year, plant, serial."""
    if len(wmi) != 3 or serial >= 1_000_000:
        raise ValueError("WMI must have 3 characters and the serial at most 6 digits")
    descriptor = "".join(rng.choice(VIN_ALPHABET) for _ in range(5))
    year = rng.choice(MODEL_YEAR_CODES)
    plant = rng.choice(VIN_ALPHABET)
    draft = f"{wmi}{descriptor}0{year}{plant}{serial:06d}"
    digit = check_digit(draft)
    return draft[:CHECK_POSITION] + digit + draft[CHECK_POSITION + 1:]
