"""Alarm latency end to end: frame received by the gateway → alarm event committed and published.

    eval "$(scripts/services env)"
    .venv/bin/python -m bench.alarm_latency [--vehicles 2000] [--fps 2000] [--alarm-share 0.05]
                                            [--seconds 300] [--warmup 20]

The whole production path, each part its own process: load generators (bench/e2e_load.py)
hold one TCP link per vehicle and send realtime frames → ``nevguard gateway`` (decode, batch,
commit to PostgreSQL, XADD to the alarm feed) → ``nevguard alarm-engine`` (read the feed, fold,
commit the events, PUBLISH on ``nevguard:<tenant>:alarms``) → a subscriber in this process.
``--alarm-share`` of the vehicles report level-2 insulation alarm episodes (bench/e2e_alarms.py:
``--alarm-on`` records on, ``--alarm-off`` off, phases spread), so events open and close all
through the run; the engine runs with ``--close-after`` and ``--flap-window`` shorter than the
clear part, so each episode is exactly one event (opened, then closed).

Latency of one opened or closed event = the wall clock when the subscriber receives the
message − the triggering frame's ``received_at`` (``frame_received_at`` in the message: stamped
by the gateway with the wall clock when it read the frame off the socket, before decoding). Both
clocks are this machine's. Events whose frame arrived in the warm-up are not measured (logins,
first loads), but every event counts for the loss check: the events the loaders' records must
open and close (computed by each loader from what it sent) = messages seen = rows in
``alarm_events``.

The database is ``nevguard_bench`` (as bench/ingest_e2e.py), tenant ``benchalarm`` with VINs
from index 100,000. Redis is the services' server, in a database (1-15) that is empty when the
run starts: the gateway's feed and the engine's consumer group are then the bench's alone (the
feed's name is fixed, and another engine in the group would take entries). The bench removes its
keys at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from redis.asyncio import Redis

from backend.storage.alarm_feed import decode_entry, microseconds
from bench.e2e_load import raise_fd_limit
from bench.e2e_probe import CpuMeter, percentile
from bench.ingest_e2e import (
    ROOT,
    TABLES,
    bench_dsn,
    free_port,
    loader_summaries,
    prepare,
    start_gateway,
    start_loaders,
)
from bench.report import write_section

TENANT = "benchalarm"
FIRST_VIN_INDEX = 100_000
FEED = "nevguard:alarm-feed"
GROUP = "alarm-engine"
ALARM_TABLES = ("alarm_events", "compliance_flags", "alarm_handling_queue")


def redis_url(database: int) -> str:
    return urlunsplit(urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{database}"))


async def empty_redis_database() -> int:
    for database in range(15, 0, -1):
        client = Redis.from_url(redis_url(database))
        try:
            if not await client.dbsize():
                return database
        finally:
            await client.aclose()
    raise RuntimeError("no empty Redis database (1-15) for the bench's feed")


async def remove_keys(redis: Redis) -> None:
    await redis.delete(FEED)
    async for key in redis.scan_iter(match=f"nevguard:{TENANT}:*", count=1000):
        await redis.delete(key)


def start_engine(args: argparse.Namespace, metrics_port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, DATABASE_URL=bench_dsn(), NEVGUARD_LOG_LEVEL="WARNING")
    command = [str(ROOT / ".venv/bin/nevguard"), "alarm-engine", "--consumer", "bench",
               "--close-after", str(args.close_after), "--flap-window", str(args.flap_window),
               "--metrics-port", str(metrics_port)]
    return subprocess.Popen(command, env=env)  # noqa: S603 - our own CLI, fixed arguments


@dataclass(frozen=True, slots=True)
class Seen:
    change: str
    event_id: str
    vin: str
    received_us: int
    """The triggering frame's ``received_at``, µs since the epoch."""
    published_us: int
    """The subscriber's wall clock on receipt."""


class Listener:
    """Every opened/closed message of the tenant's channel, stamped on receipt."""

    def __init__(self, redis: Redis) -> None:
        self._pubsub = redis.pubsub()
        self.received: list[Seen] = []
        self.other_changes: dict[str, int] = {}

    async def start(self) -> asyncio.Task[None]:
        await self._pubsub.subscribe(f"nevguard:{TENANT}:alarms")
        return asyncio.create_task(self._listen())

    async def _listen(self) -> None:
        async for message in self._pubsub.listen():
            now = time.time_ns() // 1000
            if message["type"] != "message":
                continue
            body = json.loads(message["data"])
            change = body.get("change", "flag")
            if change not in {"opened", "closed"}:
                self.other_changes[change] = self.other_changes.get(change, 0) + 1
                continue
            received = microseconds(datetime.fromisoformat(body["frame_received_at"]))
            self.received.append(Seen(change, body["id"], body["vin"], received, now))

    async def close(self) -> None:
        await self._pubsub.aclose()


async def reset(conn: asyncpg.Connection, redis: Redis) -> None:
    """Nothing of a previous run: no events for the engine to load, an empty feed."""
    tables = [*TABLES, *ALARM_TABLES]
    await conn.execute("TRUNCATE " + ", ".join(f"t_{TENANT}.{table}" for table in tables)
                       + " CASCADE")
    await redis.delete(FEED)


async def feed_state(redis: Redis) -> dict[str, int] | None:
    if not await redis.exists(FEED):
        return None
    for group in await redis.xinfo_groups(FEED):
        if group["name"] in (GROUP, GROUP.encode()):
            return {"lag": int(group["lag"] or 0), "pending": int(group["pending"])}
    return None


async def wait_for(check: Any, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not await check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} within {timeout_s:.0f} s")
        await asyncio.sleep(0.2)


async def feed_times(redis: Redis, seen: list[Seen]) -> dict[tuple[str, int], int]:
    """(VIN, received µs) of each measured frame → when its entry entered the feed (µs): the
    entry id's milliseconds, Redis's clock, which is this machine's."""
    wanted = {(item.vin, item.received_us) for item in seen}
    times, after = {}, "-"
    while True:
        chunk = await redis.xrange(FEED, min=after, count=10_000)
        for entry_id, fields in chunk:
            added_us = int(entry_id.split(b"-")[0]) * 1000
            for item in decode_entry(entry_id.decode(), fields[b"r"]).items:
                key = (item.record.vin, microseconds(item.record.received_at))
                if key in wanted:
                    times[key] = added_us
        if len(chunk) < 10_000:
            return times
        after = "(" + chunk[-1][0].decode()


def quantiles_ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {name: round(percentile(ordered, share) / 1000, 1)
            for name, share in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))}


async def stored_rows(conn: asyncpg.Connection) -> int:
    # S608: TENANT is a constant of this file.
    rows: int = await conn.fetchval(f"SELECT count(*) FROM t_{TENANT}.realtime")  # noqa: S608
    return rows


async def our_backends(conn: asyncpg.Connection) -> list[int]:
    """PostgreSQL backends of the gateway and the engine (other work on the server excluded)."""
    rows = await conn.fetch(
        "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = ANY($2)",
        "nevguard_bench", ["nevguard-gateway", "nevguard-alarm-engine"])
    return [row["pid"] for row in rows]


async def scrape(port: int) -> dict[str, float]:
    """The engine's /metrics: sample (name with its labels) → value."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /metrics HTTP/1.1\r\nHost: bench\r\n\r\n")
    text = (await reader.read()).decode().split("\r\n\r\n", 1)[1]
    writer.close()
    samples = {}
    for line in text.splitlines():
        name, _, value = line.rpartition(" ")
        if line and not line.startswith("#"):
            samples[name] = float(value)
    return samples


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    os.environ["REDIS_URL"] = redis_url(await empty_redis_database())  # the children inherit it
    await prepare(args.vehicles, tenant=TENANT, first=FIRST_VIN_INDEX)
    conn = await asyncpg.connect(bench_dsn())
    redis = Redis.from_url(os.environ["REDIS_URL"])
    await reset(conn, redis)
    metrics_port = free_port()
    engine = start_engine(args, metrics_port)
    listener = Listener(redis)
    listening = await listener.start()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="nevguard-bench-spool-") as spool:
        gateway: subprocess.Popen[bytes] | None = None
        try:
            await wait_for(lambda: feed_state(redis), 30, "the engine did not create its group")
            gateway = start_gateway(port, Path(spool), args.vehicles + 100)
            loaders = await start_loaders(
                port, args.vehicles, args.seconds, args.fps / args.vehicles,
                "--alarm-share", str(args.alarm_share),
                "--alarm-on", str(args.alarm_on), "--alarm-off", str(args.alarm_off),
                "--close-after", str(args.close_after), first=FIRST_VIN_INDEX)
            load_ends = time.monotonic() + args.seconds
            await asyncio.sleep(args.warmup)
            measured_from = time.time_ns() // 1000
            cpu = CpuMeter([gateway.pid], [loader.pid for loader in loaders],
                           engine=[engine.pid], postgres_ours=await our_backends(conn))
            await asyncio.sleep(load_ends - 1 - time.monotonic())  # the loaders still run
            window = time.time() - measured_from / 1e6
            shares = cpu.shares()
            load = os.getloadavg()
            summaries = await loader_summaries(loaders)
            sent = sum(int(summary["sent"]) for summary in summaries)

            async def drained() -> bool:
                state = await feed_state(redis)
                return await stored_rows(conn) >= sent and state == {"lag": 0, "pending": 0}

            await wait_for(drained, 180, "the gateway and the engine did not drain")
            await asyncio.sleep(1.0)  # the last PUBLISH follows the commit
            engine_metrics = await scrape(metrics_port)
            measured = [item for item in listener.received if item.received_us >= measured_from]
            in_feed = await feed_times(redis, measured)
        finally:
            for process in (gateway, engine):
                if process is not None:
                    process.terminate()
                    process.wait(timeout=60)
    listening.cancel()
    await listener.close()
    stored = await conn.fetchrow(
        f"SELECT count(*) AS events, count(*) FILTER (WHERE state = 'closed') AS closed, "  # noqa: S608
        f"coalesce(sum(reopen_count), 0) AS reopened FROM t_{TENANT}.alarm_events")
    rows = await stored_rows(conn)
    await conn.close()
    await remove_keys(redis)
    await redis.aclose()
    split = [(in_feed[item.vin, item.received_us], item) for item in measured
             if (item.vin, item.received_us) in in_feed]
    return {
        "vehicles": args.vehicles, "fps": args.fps, "seconds": args.seconds,
        "window_s": window, "sent": sent, "stored": rows,
        "load": load, "cpu": shares, "engine_metrics": engine_metrics,
        "expected": {"opened": sum(s["events_opened"] for s in summaries),
                     "closed": sum(s["events_closed"] for s in summaries),
                     "alarm_links": sum(s["alarm_links"] for s in summaries)},
        "seen": {change: sum(1 for item in listener.received if item.change == change)
                 for change in ("opened", "closed")},
        "distinct_opened": len({item.event_id for item in listener.received
                                if item.change == "opened"}),
        "other_changes": listener.other_changes,
        "stored_events": dict(stored),
        "measured": len(measured),
        "latency_ms": quantiles_ms([item.published_us - item.received_us for item in measured]),
        "split": len(split),
        "to_feed_ms": quantiles_ms([fed - item.received_us for fed, item in split]),
        "feed_to_published_ms": quantiles_ms([item.published_us - fed for fed, item in split]),
    }


def report(result: dict[str, Any]) -> str:
    lat, cpu, metrics = result["latency_ms"], result["cpu"], result["engine_metrics"]
    expected, seen, stored = result["expected"], result["seen"], result["stored_events"]
    commits = metrics.get("nevguard_alarm_engine_commit_seconds_count", 0.0)
    commit_s = metrics.get("nevguard_alarm_engine_commit_seconds_sum", 0.0)
    commit_ms = 1000 * commit_s / max(commits, 1)
    records = metrics.get('nevguard_alarm_engine_records_total{outcome="applied"}', 0.0)
    exact = (seen["opened"], seen["closed"]) == (expected["opened"], expected["closed"]) == \
        (stored["events"], stored["closed"]) and result["distinct_opened"] == seen["opened"] \
        and not result["other_changes"] and stored["reopened"] == 0
    load = result["load"]
    lines = [
        "| load average (1 / 5 min) | links | frames/s offered / sent | in alarm | measured "
        "| events measured | p50 | p95 | p99 | max |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| {load[0]:.1f} / {load[1]:.1f} | {result['vehicles']:,} | {result['fps']:,} / "
        f"{result['sent'] / result['seconds']:,.0f} | {expected['alarm_links']} vehicles | "
        f"{result['window_s']:.0f} s | {result['measured']:,} | "
        + " | ".join(f"{lat[name]:,.0f} ms" for name in ("p50", "p95", "p99", "max")) + " |",
        "",
        f"Where the time goes ({result['split']:,} of the measured events, matched by VIN and "
        "`received_at` to their feed entry, whose id is Redis's clock when the gateway's XADD "
        "ran, in ms):",
        "",
        "| part | p50 | p95 | p99 | max |",
        "|---|---|---|---|---|",
        *(f"| {part} | " + " | ".join(f"{result[key][name]:,.0f} ms"
                                      for name in ("p50", "p95", "p99", "max")) + " |"
          for part, key in (("received → in the feed (gateway: decode, batch, commit, XADD)",
                             "to_feed_ms"),
                            ("in the feed → published (engine: read, fold, commit, PUBLISH; "
                             "subscriber)", "feed_to_published_ms"))),
        "",
        "| events | opened | closed |",
        "|---|---|---|",
        f"| the loaders' records must give | {expected['opened']:,} | {expected['closed']:,} |",
        f"| published, seen by the subscriber | {seen['opened']:,} "
        f"({result['distinct_opened']:,} distinct ids) | {seen['closed']:,} |",
        f"| committed in `alarm_events` | {stored['events']:,} rows "
        f"({stored['reopened']} reopenings) | {stored['closed']:,} |",
        "",
        ("No event lost, none extra: each episode is exactly one event, opened, and closed when "
         "its clear records were sent." if exact else
         f"**Counts differ** (other messages: {result['other_changes']}); see the table."),
        f"Frames sent {result['sent']:,}, committed {result['stored']:,}.",
        "",
        f"CPU over the measured window, as a share of the machine ({os.cpu_count()} cores): "
        f"gateway {cpu['gateway']:.0%}, alarm engine {cpu['engine']:.0%}, the PostgreSQL "
        f"backends of the gateway and the engine {cpu['postgres_ours']:.0%} (all postgres "
        f"processes, other work on the server included: {cpu['postgres']:.0%}), load "
        f"generators {cpu['loader']:.0%}. The engine's /metrics at the end: {records:,.0f} "
        f"records applied, {commits:,.0f} commits, {commit_ms:.1f} ms each on average.",
    ]
    return "\n".join(lines) + "\n" + METHOD


METHOD = """
Method. bench/alarm_latency.py runs the production processes: load generators
(bench/e2e_load.py, the 96-cell 2016 realtime frame, 1 frame/s per link) → `nevguard gateway`
(default settings) → PostgreSQL → the alarm feed → `nevguard alarm-engine` (`--close-after 5
--flap-window 20`, so an episode of 10 alarm records and 30 clear ones is exactly one event:
the production defaults, 60 s and 600 s, would merge a vehicle's episodes into one flapping
event and leave too few events for a p99) → PUBLISH → a subscriber in the bench process.
Latency = the subscriber's wall clock on receipt of an opened or closed message − the
triggering frame's `received_at` (the gateway's wall clock when it read the frame, carried
through the row and the feed entry into the message); same machine, same clock. An event opens
on the episode's first alarm record and closes on the clear record 5 s (collection time) after
the first clear one, so both kinds measure one frame's path, not the episode's length. Frames
received in the warm-up are not measured; every event counts for the loss check."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vehicles", type=int, default=2000)
    parser.add_argument("--fps", type=int, default=2000)
    parser.add_argument("--alarm-share", type=float, default=0.05)
    parser.add_argument("--alarm-on", type=int, default=10)
    parser.add_argument("--alarm-off", type=int, default=30)
    parser.add_argument("--close-after", type=int, default=5)
    parser.add_argument("--flap-window", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--warmup", type=float, default=20.0)
    args = parser.parse_args()
    if not args.close_after < args.flap_window < args.alarm_off:
        parser.error("one event per episode needs close-after < flap-window < alarm-off")
    raise_fd_limit(args.vehicles + 1024)
    result = asyncio.run(measure(args))
    print(json.dumps(result, indent=1))
    write_section("alarm_latency", "Alarms: frame received → event committed and published",
                  report(result))


if __name__ == "__main__":
    main()
