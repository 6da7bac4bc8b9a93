"""Load generator for bench/ingest_e2e.py: many vehicle links that log in, then send realtime.

Frames are the 96-cell 2016 realtime frame of bench/sample_frames with the VIN and the
collection time patched in (PROTOCOL.md §3 header, §8 time); the BCC is updated from the six
changed time bytes only, so a frame costs a few hundred nanoseconds, not a re-encode.
Run as ``python -m bench.e2e_load PORT CONNECTIONS SECONDS RATE [--reissue-hours H]`` (RATE 0 =
as fast as TCP takes them). Prints ``ready <epoch>`` once every link is logged in, then a JSON
summary. ``--reissue-hours`` turns every link into a vehicle back from an outage: it sends H
hours of 10 s records as reissue (0x03, §11), oldest first, as fast as the gateway takes them,
and stops when they are all out (SECONDS is then only an upper bound). ``--alarm-share`` makes
that share of the vehicles report alarm episodes (bench/e2e_alarms.py, for
bench/alarm_latency.py); the summary then counts the events their records must open and close.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import struct
import time
from datetime import UTC, datetime, timedelta, timezone
from functools import reduce
from operator import xor

from bench.e2e_alarms import Episodes, episodes_for, patch_alarm
from bench.sample_frames import realtime_2016

BEIJING = timezone(timedelta(hours=8))
TEMPLATE = realtime_2016(96, probes=24)
VIN_AT = slice(4, 21)
TIME_AT = slice(24, 30)
BLAST_CHUNK = 20
REISSUE_STEP_S = 10
HEARTBEAT_ANSWER_SIZE = 25   # 24-byte header, N = 0, BCC


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
    """Realtime (or reissue) frames of one VIN, ``step_s`` apart in collection time from
    ``start``; with ``episodes``, the frames its schedule marks report an alarm."""

    def __init__(self, vin: str, start: datetime, *, command: int = 0x02,
                 step_s: int = 1, episodes: Episodes | None = None) -> None:
        self.vin = vin
        frame = bytearray(TEMPLATE)
        frame[VIN_AT] = vin.encode()
        frame[2] = command
        self._head = bytes(frame[:TIME_AT.start])
        tail = bytes(frame[TIME_AT.stop:-1])
        self._tails = [(tail, reduce(xor, self._head[2:] + tail, 0))]
        if episodes is not None:
            alarm_tail = patch_alarm(tail)
            self._tails.append((alarm_tail, reduce(xor, self._head[2:] + alarm_tail, 0)))
        self.episodes = episodes
        self._start = start
        self._step_s = step_s
        self.made = 0

    def next(self) -> bytes:
        stamp = time_bytes(self._start + timedelta(seconds=self.made * self._step_s))
        alarm = self.episodes is not None and self.episodes.active(self.made)
        tail, base_bcc = self._tails[alarm]
        self.made += 1
        bcc = base_bcc ^ reduce(xor, stamp, 0)
        return self._head + stamp + tail + bytes((bcc,))


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



def heartbeat_frame(vin: str) -> bytes:
    """0x07 heartbeat (§10): empty data unit; the gateway answers it in order."""
    return with_bcc(b"##" + struct.pack(">BB17sBH", 0x07, 0xFE, vin.encode(), 0x01, 0))


async def send(link: tuple[asyncio.StreamReader, asyncio.StreamWriter], maker: FrameMaker,
               until: float, rate: float, limit: int | None = None) -> None:
    """Paced: ``rate`` frames/s in ticks of 0.5 s, or one frame per tick below 2 frames/s
    (phases spread over the links). Blast (rate 0) is a closed loop: BLAST_CHUNK frames and a
    heartbeat, then wait for the heartbeat's answer, which the gateway sends only after it took
    every frame before it (§10 answers in order). So no link piles up megabytes in socket
    buffers that the gateway would still be reading minutes after the load stopped, and the
    gateway's backpressure sets the pace. ``limit`` stops after that many frames."""
    reader, writer = link
    heartbeat = heartbeat_frame(maker.vin)
    tick = max(0.5, 1.0 / rate) if rate > 0 else 0.0
    due = 0.0
    next_tick = time.monotonic() + tick * (hash(maker) % 1000) / 1000
    while time.monotonic() < until and (limit is None or maker.made < limit):
        if rate > 0:
            await asyncio.sleep(max(0.0, next_tick - time.monotonic()))
            next_tick += tick
            due += rate * tick
            count, due = int(due), due - int(due)
        else:
            count = BLAST_CHUNK
        if limit is not None:
            count = min(count, limit - maker.made)
        writer.write(b"".join(maker.next() for _ in range(count)))
        if rate > 0:
            await writer.drain()
            continue
        writer.write(heartbeat)
        await reader.readexactly(HEARTBEAT_ANSWER_SIZE)


async def run(port: int, indexes: range, seconds: float, rate: float,
              reissue_hours: float, *, alarms: argparse.Namespace) -> None:
    gate = asyncio.Semaphore(64)
    links = await asyncio.gather(*(log_in(port, vin_for(i), gate) for i in indexes))
    limit: int | None = None
    if reissue_hours:
        limit = int(reissue_hours * 3600 / REISSUE_STEP_S)
        start = datetime.now(UTC) - timedelta(hours=reissue_hours)
        makers = [FrameMaker(vin_for(i), start, command=0x03, step_s=REISSUE_STEP_S)
                  for i in indexes]
    else:
        start = datetime.now(UTC) - timedelta(hours=2)
        makers = [FrameMaker(vin_for(i), start, episodes=episodes_for(
            i, alarms.alarm_share, alarms.alarm_on, alarms.alarm_off)) for i in indexes]
    began = time.time()
    print(f"ready {began}", flush=True)
    until = time.monotonic() + seconds
    await asyncio.gather(*(send(link, m, until, rate, limit)
                           for link, m in zip(links, makers, strict=True)))
    sent_for = time.time() - began
    for _, writer in links:
        writer.close()
    await asyncio.gather(*(w.wait_closed() for _, w in links), return_exceptions=True)
    events = [m.episodes.count(m.made, alarms.close_after) for m in makers if m.episodes]
    print(json.dumps({"sent": sum(m.made for m in makers), "seconds": sent_for,
                      "alarm_links": len(events), "events_opened": sum(o for o, _ in events),
                      "events_closed": sum(c for _, c in events)}), flush=True)


def raise_fd_limit(wanted: int) -> int:
    """Open-file limit of at least ``wanted`` when allowed (root may raise the hard limit too),
    else as high as the hard limit goes; returns the soft limit now in force."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, wanted))
            return wanted
        except (ValueError, OSError):
            pass
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("port", type=int)
    parser.add_argument("connections", type=int)
    parser.add_argument("seconds", type=float)
    parser.add_argument("rate", type=float)
    parser.add_argument("--reissue-hours", type=float, default=0.0)
    parser.add_argument("--first", type=int, default=0, help="index of the first link's VIN")
    alarms = parser.add_argument_group("alarm episodes (bench/e2e_alarms.py), realtime only")
    alarms.add_argument("--alarm-share", type=float, default=0.0)
    alarms.add_argument("--alarm-on", type=int, default=10, help="alarm records per episode")
    alarms.add_argument("--alarm-off", type=int, default=30, help="clear records after it")
    alarms.add_argument("--close-after", type=int, default=5,
                        help="the engine's --close-after, for the expected event counts")
    args = parser.parse_args()
    raise_fd_limit(args.connections + 1024)
    asyncio.run(run(args.port, range(args.first, args.first + args.connections), args.seconds,
                    args.rate, args.reissue_hours, alarms=args))


if __name__ == "__main__":
    main()
