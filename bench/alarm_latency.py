"""Alarm latency: feed entry (a committed frame) → alarm event committed and published.

    .venv/bin/python -m bench.alarm_latency [--fps 2000] [--vehicles 2000] [--alarm-share 0.05]
                                            [--seconds 30]

Runs the real engine (backend/workers/alarm_engine.py) against the PostgreSQL and Redis of
``scripts/services env`` in a throw-away tenant and a private feed stream. A producer XADDs
``--fps`` entries per second the way the gateway's publisher does after a commit, one record
per vehicle per ``vehicles/fps`` seconds; ``--alarm-share`` of the vehicles toggle an
insulation alarm (level 2, 20 s on, 70 s off: an event opens and closes every cycle), the rest
report no alarm. A subscriber on ``nevguard:<tenant>:alarms`` takes, for every opened or
closed event, now − the triggering frame's ``received_at``: the time from the frame's entry in
the feed to the committed and published event. The ingest in front of it (gateway receive →
commit → XADD) is not included: see docs/ingest.md for its commit latency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import statistics
import time
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from backend.core.tenancy import tenant_schema
from backend.settings import load_settings
from backend.storage.alarm_feed import FeedReader, encode_entry
from backend.storage.db import connect, create_pool
from backend.storage.tenants import provision_tenant
from backend.workers.alarm_engine import AlarmEngine, EngineSettings, alarms_channel

INSULATION = 1 << 11
CYCLE_S, ON_S = 90, 20


def _row(vin: str, at: datetime, alarm: bool) -> dict[str, object]:
    return {"vin": vin, "collected_at": at, "received_at": datetime.now(UTC),
            "reissued": False, "edition": 2016, "alarm_level": 2 if alarm else 0,
            "alarm_flags": INSULATION if alarm else 0, "alarm_levels": None,
            "fault_codes": '{"battery":[],"motor":[],"engine":[],"other":[]}',
            "max_cell_voltage_mv": 3700, "min_cell_voltage_mv": 3680, "max_temperature_c": 30,
            "min_temperature_c": 27, "insulation_kohm": 2000, "soc_pct": 60,
            "total_voltage_v": 400.0, "total_current_a": 20.0, "sentinels": None}


async def produce(redis: Redis, stream: str, tenant: str, args: argparse.Namespace,
                  stop: asyncio.Event) -> int:
    vins = [f"LBENCH{index:011d}" for index in range(args.vehicles)]
    alarming = set(vins[:int(args.vehicles * args.alarm_share)])
    phase = {vin: secrets.randbelow(CYCLE_S) for vin in alarming}
    start = datetime.now(UTC)
    tick_s, sent, index = 0.01, 0, 0
    per_tick = max(1, round(args.fps * tick_s))
    loop = asyncio.get_running_loop()
    began = loop.time()
    while not stop.is_set():
        async with redis.pipeline(transaction=False) as pipe:
            for _ in range(per_tick):
                vin = vins[index % len(vins)]
                at = start + timedelta(seconds=index // len(vins) * len(vins) / args.fps)
                elapsed = (at - start).total_seconds() + phase.get(vin, 0)
                alarm = vin in alarming and elapsed % CYCLE_S < ON_S
                pipe.xadd(stream, {"r": encode_entry(tenant, _row(vin, at, alarm))},
                          maxlen=1_000_000, approximate=True)
                index += 1
            await pipe.execute()
        sent += per_tick
        await asyncio.sleep(max(0.0, began + sent / args.fps - loop.time()))
    return sent


async def main(args: argparse.Namespace) -> None:
    settings = load_settings()
    slug = f"benchalarm{secrets.token_hex(3)}"
    stream = f"bench:alarm-feed:{slug}"
    conn = await connect(settings.database_url.reveal())
    await provision_tenant(conn, slug)
    pool = await create_pool(settings, max_size=4)
    redis = Redis.from_url(settings.redis_url.reveal())
    latencies: list[float] = []
    pubsub = redis.pubsub()
    await pubsub.subscribe(alarms_channel(slug))

    async def listen() -> None:
        async for message in pubsub.listen():
            if message["type"] != "message":
                continue
            body = json.loads(message["data"])
            if body.get("change") in {"opened", "closed"}:
                received = datetime.fromisoformat(body["frame_received_at"])
                latencies.append((datetime.now(UTC) - received).total_seconds())

    reader = FeedReader(redis, "bench", stream=stream)
    engine = AlarmEngine(pool, redis, reader, EngineSettings(block_ms=50))
    stop_producer, stop_engine = asyncio.Event(), asyncio.Event()
    listener = asyncio.create_task(listen())
    engine_task = asyncio.create_task(engine.run(stop_engine))
    cpu0 = time.process_time()
    producer = asyncio.create_task(produce(redis, stream, slug, args, stop_producer))
    await asyncio.sleep(args.seconds)
    stop_producer.set()
    sent = await producer
    for _ in range(600):
        groups = {g["name"].decode(): g for g in await redis.xinfo_groups(stream)}
        if groups["alarm-engine"]["lag"] == 0 and groups["alarm-engine"]["pending"] == 0:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)
    cpu = time.process_time() - cpu0
    stop_engine.set()
    await engine_task
    listener.cancel()
    await redis.delete(stream)
    await pubsub.aclose()
    await redis.aclose()
    await pool.close()
    await conn.execute(f'DROP SCHEMA "{tenant_schema(slug)}" CASCADE')
    await conn.execute("DELETE FROM nevguard.tenants WHERE slug = $1", slug)
    await conn.close()
    ordered = sorted(latencies)
    print(json.dumps({
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cpus",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "fps_target": args.fps, "fps_sent": round(sent / args.seconds), "seconds": args.seconds,
        "vehicles": args.vehicles, "alarm_share": args.alarm_share,
        "records_processed": engine.processed, "events_measured": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 1) if ordered else None,
        "max_ms": round(ordered[-1] * 1000, 1) if ordered else None,
        "process_cpu_s": round(cpu, 1)}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fps", type=int, default=2000)
    parser.add_argument("--vehicles", type=int, default=2000)
    parser.add_argument("--alarm-share", type=float, default=0.05)
    parser.add_argument("--seconds", type=float, default=30.0)
    asyncio.run(main(parser.parse_args()))
