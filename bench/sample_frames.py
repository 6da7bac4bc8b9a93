"""Realistic 2016 realtime frames assembled byte by byte from PROTOCOL.md §8 (not with our own
encoder), so benchmarks and the differential test feed every decoder the same independent input.
"""

from __future__ import annotations

import random
import struct
from functools import reduce
from operator import xor

VIN = b"LNBSCB3F5JW123456"


def _frame(command: int, data_unit: bytes) -> bytes:
    head = struct.pack(">BB17sBH", command, 0xFE, VIN, 0x01, len(data_unit))
    body = head + data_unit
    return b"##" + body + bytes((reduce(xor, body, 0),))


def realtime_2016(cells: int, probes: int = 32, seed: int = 1) -> bytes:
    """A 0x02 frame with vehicle, motor, position, extremes, alarm, voltages and temperatures;
    ``cells`` are split into subsystems of at most 200 cells (the per-frame maximum, §8.8)."""
    rng = random.Random(seed)
    unit = bytearray(bytes((24, 5, 1, 8, 30, 0)))
    unit += b"\x01" + struct.pack(">BBBHIHHBBBHBB", 1, 3, 1, 652, 1234567, 3551, 9870, 76,
                                  1, 0x2E, 4200, 20, 0)
    unit += b"\x02" + struct.pack(">BBBBHHBHH", 1, 1, 1, 75, 23500, 20350, 68, 3551, 9870)
    unit += b"\x05" + struct.pack(">BII", 0, 116397128, 39916527)
    unit += b"\x06" + struct.pack(">BBHBBHBBBBBB", 1, 17, 3712, 1, 42, 3690, 1, 3, 68, 1, 9, 63)
    unit += b"\x07" + struct.pack(">BIBBBB", 0, 0, 0, 0, 0, 0)
    subsystems = [min(200, cells - start) for start in range(0, cells, 200)]
    unit += b"\x08" + bytes((len(subsystems),))
    first = 1
    for number, count in enumerate(subsystems, start=1):
        volts = [3700 + rng.randint(-15, 15) for _ in range(count)]
        unit += struct.pack(">BHHHHB", number, sum(volts) // 100, 9870, cells, first, count)
        unit += struct.pack(f">{count}H", *volts)
        first += count
    unit += b"\x09\x01" + struct.pack(">BH", 1, probes)
    unit += bytes(rng.randint(60, 70) for _ in range(probes))
    return _frame(0x02, bytes(unit))


BENCH_FRAMES = {
    "96 cells": realtime_2016(96, probes=24),
    "192 cells": realtime_2016(192, probes=64),
    "600 cells": realtime_2016(600, probes=160),
}
