"""Broken frames for the malformed-frame scenario: what a platform's framer must survive (§2.2)."""

from __future__ import annotations

import random

from .faults.base import MalformedVariant


def malformed(variant: MalformedVariant, good_frame: bytes, rng: random.Random) -> bytes:
    """Garbage bytes, a copy of ``good_frame`` with a wrong BCC, or its first part only."""
    if variant is MalformedVariant.BAD_BCC:
        return good_frame[:-1] + bytes((good_frame[-1] ^ 0x5A,))
    if variant is MalformedVariant.TRUNCATED:
        return good_frame[:rng.randint(24, max(24, len(good_frame) - 2))]
    return rng.randbytes(rng.randint(16, 64))
