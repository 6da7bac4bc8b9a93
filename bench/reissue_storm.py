"""Reissue storm: many vehicles come back from an outage at once and replay their backlog.

1,000 vehicle links (default) log in to `nevguard gateway`, then each sends 24 h of 10 s
records (8,640 frames) as reissue (0x03, §11), oldest first, in a closed loop (20 frames and
a heartbeat, then wait for the heartbeat's answer) so the gateway's backpressure sets the pace,
while nothing else is running.
Measured: the time from the first frame to the last row committed, the resulting frames/s, and
whether every record is stored exactly once (losses and duplicates counted against the keys the
load generator sent).
Usage: eval "$(scripts/services env)"; .venv/bin/python -m bench.reissue_storm [--hours 24]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import asyncpg

from bench.e2e_load import REISSUE_STEP_S, raise_fd_limit
from bench.ingest_e2e import (
    TENANT,
    bench_dsn,
    count_rows,
    empty_tables,
    free_port,
    loaders_sent,
    prepare,
    start_gateway,
    start_loaders,
)
from bench.report import write_section

POLL_S = 1.0


async def wait_until_stored(conn: asyncpg.Connection, expected: int, timeout_s: float) -> float:
    """Monotonic time at which ``expected`` rows were visible (or the timeout ran out)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await count_rows(conn) >= expected:
            return time.monotonic()
        await asyncio.sleep(POLL_S)
    return time.monotonic()


async def storm(vehicles: int, hours: float, timeout_s: float) -> dict[str, float]:
    await prepare(vehicles)
    per_vehicle = int(hours * 3600 / REISSUE_STEP_S)
    expected = vehicles * per_vehicle
    conn = await asyncpg.connect(bench_dsn())
    await empty_tables(conn, TENANT)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="nevguard-bench-spool-") as spool:
        gateway = start_gateway(port, Path(spool), vehicles + 100)
        try:
            loaders = await start_loaders(port, vehicles, timeout_s, 0.0,
                                          "--reissue-hours", str(hours))
            began = time.monotonic()
            sent = await loaders_sent(loaders)
            sent_s = time.monotonic() - began
            stored_at = await wait_until_stored(conn, expected, timeout_s)
        finally:
            gateway.terminate()
            gateway.wait(timeout=120)
        rows = await count_rows(conn)
        distinct = await conn.fetchval(
            f"SELECT count(*) FROM (SELECT DISTINCT vin, collected_at "  # noqa: S608 - constant
            f"FROM t_{TENANT}.realtime) AS keys")
        reissued = await conn.fetchval(
            f"SELECT count(*) FROM t_{TENANT}.realtime WHERE reissued")  # noqa: S608
    await conn.close()
    absorbed_s = stored_at - began
    if sent != expected:
        raise RuntimeError(f"the load generator sent {sent} frames, not {expected}")
    return {"vehicles": vehicles, "hours": hours, "expected": expected, "rows": rows,
            "distinct": distinct, "reissued": reissued, "sent_s": sent_s,
            "absorbed_s": absorbed_s}


def report(result: dict[str, float]) -> str:
    expected, distinct = int(result["expected"]), int(result["distinct"])
    return "\n".join((
        "| vehicles | backlog per vehicle | frames | all sent after | all committed after | "
        "frames/s | lost | duplicates | stored as reissue |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {int(result['vehicles']):,} | {result['hours']:g} h of 10 s records "
        f"({expected // int(result['vehicles']):,}) | {expected:,} | {result['sent_s']:,.0f} s | "
        f"{result['absorbed_s']:,.0f} s | {expected / result['absorbed_s']:,.0f} | "
        f"{expected - distinct:,} | {int(result['rows']) - distinct:,} | "
        f"{int(result['reissued']):,} |",
        "",
        "Method. Each link logs in (0x01), then sends its backlog as 0x03 frames of 334 B / 96 "
        "cells (bench/sample_frames, VIN and collection time patched), oldest first, in a closed "
        "loop: 20 frames and a heartbeat, then wait for the heartbeat's answer (the gateway "
        "answers in order, so its backpressure sets the pace and no link exceeds the per-link "
        "limit of 50 frames/s). *All committed after*: from the first "
        "frame until `count(*)` of the tenant's `realtime` reached the number sent (polled every "
        "second). *Lost* = records sent but not stored (distinct (vin, collected_at) keys short "
        "of the number sent); *duplicates* = rows beyond one per key."))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vehicles", type=int, default=1000)
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--timeout", type=float, default=3600.0)
    args = parser.parse_args()
    raise_fd_limit(args.vehicles + 1024)
    result = asyncio.run(storm(args.vehicles, args.hours, args.timeout))
    print(result)
    write_section("reissue_storm", "Ingest: reissue storm", report(result))


if __name__ == "__main__":
    main()
