"""Load generator for bench/ingest_e2e.py: many vehicle links that log in, then send realtime.

Frames are the 96-cell 2016 realtime frame of bench/sample_frames with the VIN and the
collection time patched in (PROTOCOL.md §3 header, §8 time); the BCC is updated from the six
changed time bytes only, so a frame costs a few hundred nanoseconds, not a re-encode.
Run as ``python -m bench.e2e_load PORT CONNECTIONS SECONDS RATE`` (RATE 0 = as fast as TCP
takes them). Prints ``ready <epoch>`` once every link is logged in, then a JSON summary.
"""

from __future__ import annotations

import asyncio
import json
import resource
import struct
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from functools import reduce
from operator import xor

from bench.sample_frames import realtime_2016

BEIJING = timezone(timedelta(hours=8))
TEMPLATE = realtime_2016(96, probes=24)
VIN_AT = slice(4, 21)
TIME_AT = slice(24, 30)
BLAST_CHUNK = 20


def vin_for(index: int) -> str:
    return f"LBENCH{index:011d}"


def time_bytes(at: datetime) -> bytes:
    local = at.astimezone(BEIJING)
    return bytes((local.year - 2000, local.month, local.day, local.hour, local.minute,
                  local.second))


def with_bcc(body: bytes) -> bytes:
    return body + bytes((reduce(xor, body[2:], 0),))


def login_frame(vin: str, at: datetime) -> bytes:
    """0x01 vehicle login (§7.1): time, serial, 20-byte ICCID, no subsystem codes."""
    unit = time_bytes(at) + struct.pack(">H20sBB", 1, b"89860000000000000001", 0, 0)
    head = struct.pack(">BB17sBH", 0x01, 0xFE, vin.encode(), 0x01, len(unit))
    return with_bcc(b"##" + head + unit)


class FrameMaker:
    """Realtime frames of one VIN, one second apart in collection time from ``start``."""

    def __init__(self, vin: str, start: datetime) -> None:
        frame = bytearray(TEMPLATE)
        frame[VIN_AT] = vin.encode()
        self._head = bytes(frame[:TIME_AT.start])
        self._tail = bytes(frame[TIME_AT.stop:-1])
        self._base_bcc = reduce(xor, self._head[2:] + self._tail, 0)
        self._start = start
        self.made = 0

    def next(self) -> bytes:
        stamp = time_bytes(self._start + timedelta(seconds=self.made))
        self.made += 1
        bcc = self._base_bcc ^ reduce(xor, stamp, 0)
        return self._head + stamp + self._tail + bytes((bcc,))


async def log_in(port: int, vin: str, gate: asyncio.Semaphore
                 ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    async with gate:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(login_frame(vin, datetime.now(UTC)))
        head = await reader.readexactly(24)
        await reader.readexactly(struct.unpack(">H", head[22:24])[0] + 1)
        if head[3] != 0x01:
            raise RuntimeError(f"login of {vin} refused with flag {head[3]:#04x}")
        return reader, writer



async def send(writer: asyncio.StreamWriter, maker: FrameMaker, until: float, rate: float) -> None:
    """Paced: ``rate`` frames/s in ticks of 0.5 s (phases spread over the links); blast:
    chunks of BLAST_CHUNK frames, each after the previous one was accepted by the kernel."""
    tick = 0.5
    due = 0.0
    next_tick = time.monotonic() + tick * (hash(maker) % 100) / 100
    while time.monotonic() < until:
        if rate > 0:
            await asyncio.sleep(max(0.0, next_tick - time.monotonic()))
            next_tick += tick
            due += rate * tick
            count, due = int(due), due - int(due)
        else:
            count = BLAST_CHUNK
        writer.write(b"".join(maker.next() for _ in range(count)))
        await writer.drain()


async def run(port: int, connections: int, seconds: float, rate: float) -> None:
    gate = asyncio.Semaphore(64)
    start = datetime.now(UTC) - timedelta(hours=2)
    links = await asyncio.gather(*(log_in(port, vin_for(i), gate) for i in range(connections)))
    makers = [FrameMaker(vin_for(i), start) for i in range(connections)]
    began = time.time()
    print(f"ready {began}", flush=True)
    until = time.monotonic() + seconds
    await asyncio.gather(*(send(w, m, until, rate) for (_, w), m in zip(links, makers,
                                                                           strict=True)))
    sent_for = time.time() - began
    for _, writer in links:
        writer.close()
    await asyncio.gather(*(w.wait_closed() for _, w in links), return_exceptions=True)
    print(json.dumps({"sent": sum(m.made for m in makers), "seconds": sent_for}), flush=True)


def main() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    port, connections, seconds, rate = sys.argv[1:5]
    asyncio.run(run(int(port), int(connections), float(seconds), float(rate)))


if __name__ == "__main__":
    main()
