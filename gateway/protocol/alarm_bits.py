"""The general alarm flag DWORD (§8.7) as bit indices.

The codec keeps the DWORD raw on the alarm blocks; the bits are named (zh-CN and English, both
editions) in ``backend.core.alarms.names``, where the alarm engine and the API read them.
"""

from __future__ import annotations


def active_bits(flags: int) -> tuple[int, ...]:
    """Indices of the set bits of a general alarm flag DWORD, lowest first, reserved bits
    included (a set reserved bit is data, not an error)."""
    return tuple(bit for bit in range(flags.bit_length()) if flags >> bit & 1)
