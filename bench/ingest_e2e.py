"""End to end ingest: vehicle links over TCP → `nevguard gateway` → committed tenant rows.

Everything runs on this machine: PostgreSQL and Redis (scripts/services), the gateway as its own
process (`nevguard gateway`, the production wiring of gateway/server/runtime.py) and the load
generator (bench/e2e_load.py) as a third process. The database is a separate one,
``nevguard_bench``, so the dev database is untouched.

Two phases: ``saturate`` (every link sends as fast as TCP and the gateway take them) gives the
sustained frames/s from TCP to committed rows; ``reference`` paces 2,000 frames/s and gives the
CPU of the gateway and of PostgreSQL as a share of the whole machine. Then the same kind of rows
are written straight with asyncpg (plain COPY, and write_batch) for the ratio.
Usage: eval "$(scripts/services env)"; .venv/bin/python -m bench.ingest_e2e
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from backend.storage import registry
from backend.storage.migrate import migrate_all, migrate_shared
from backend.storage.partitions import run_partition_maintenance
from backend.storage.tenants import provision_tenant
from bench.e2e_load import vin_for
from bench.e2e_probe import CpuMeter, LatencyProbe, percentile, rss_mib
from bench.e2e_rows import copy_rates
from bench.report import write_section

BENCH_DB = "nevguard_bench"
TENANT = "bench"
COPY_TENANT = "benchcopy"
TABLES = ("realtime", "raw_frames", "vehicle_events", "latest_state", "realtime_hourly_dirty")
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    connections: int
    seconds: float
    warmup: float
    rate: float  # frames/s per link, 0 = as fast as possible


@dataclass(frozen=True, slots=True)
class Outcome:
    phase: Phase
    frames_per_s: float
    sent: int
    stored: int
    latency_p50: float
    latency_p99: float
    samples: int
    gateway_cpu: float
    postgres_cpu: float
    loader_cpu: float
    gateway_rss: float


def bench_dsn() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


async def prepare(connections: int) -> None:
    admin = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", BENCH_DB):
            await admin.execute(f"CREATE DATABASE {BENCH_DB}")
    finally:
        await admin.close()
    conn = await asyncpg.connect(bench_dsn())
    try:
        await migrate_shared(conn)
        for slug in (TENANT, COPY_TENANT):
            await provision_tenant(conn, slug, name=f"benchmark {slug}")
        await migrate_all(conn)
        await run_partition_maintenance(conn)
        known = {row[0] for row in await conn.fetch("SELECT vin FROM nevguard.vehicles")}
        for index in range(connections):
            if vin_for(index) not in known:
                await registry.add_vehicle(conn, vin_for(index), TENANT)
    finally:
        await conn.close()


async def empty_tables(conn: asyncpg.Connection, slug: str) -> None:
    await conn.execute("TRUNCATE " + ", ".join(f"t_{slug}.{table}" for table in TABLES))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_gateway(port: int, spool: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, DATABASE_URL=bench_dsn(), NEVGUARD_GATEWAY_PORT=str(port),
               NEVGUARD_LOG_LEVEL="WARNING")
    command = [str(ROOT / ".venv/bin/nevguard"), "gateway", "--spool-dir", str(spool),
               "--metrics-port", str(free_port())]
    gateway = subprocess.Popen(command, env=env)  # noqa: S603 - our own CLI, fixed arguments
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return gateway
        except OSError:
            time.sleep(0.2)
    gateway.kill()
    raise RuntimeError("the gateway did not start listening within 30 s")


async def count_rows(conn: asyncpg.Connection) -> int:
    # S608: TENANT is a constant of this file.
    rows: int = await conn.fetchval(f"SELECT count(*) FROM t_{TENANT}.realtime")  # noqa: S608
    return rows


async def run_phase(phase: Phase, port: int, gateway_pid: int) -> Outcome:
    conn = await asyncpg.connect(bench_dsn())
    await empty_tables(conn, TENANT)
    loader = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.e2e_load", str(port), str(phase.connections),
        str(phase.seconds), str(phase.rate), stdout=asyncio.subprocess.PIPE, cwd=ROOT)
    stdout = loader.stdout
    if stdout is None:
        raise RuntimeError("no pipe from the load generator")
    ready = (await stdout.readline()).decode()
    if not ready.startswith("ready "):
        raise RuntimeError(f"load generator failed: {ready!r}")
    began = time.monotonic()
    sample = [vin_for(i) for i in range(0, phase.connections, max(1, phase.connections // 20))]
    probe = LatencyProbe(conn, TENANT, sample)
    await probe.run_until(began + phase.warmup)
    cpu = CpuMeter(gateway_pid, loader.pid)
    first = await count_rows(conn)
    window_start = time.monotonic()
    probe.latencies.clear()
    await probe.run_until(began + phase.seconds)
    last = await count_rows(conn)
    window = time.monotonic() - window_start
    shares = cpu.shares()
    rss = rss_mib(gateway_pid)
    summary = (await stdout.read()).decode()
    await loader.wait()
    sent = int(summary.split('"sent": ')[1].split(",")[0])
    stored = await wait_for_drain(conn, sent)
    await conn.close()
    latencies = sorted(probe.latencies)
    return Outcome(phase, (last - first) / window, sent, stored, percentile(latencies, 0.5),
                   percentile(latencies, 0.99), len(latencies), shares["gateway"],
                   shares["postgres"], shares["loader"], rss)


async def wait_for_drain(conn: asyncpg.Connection, sent: int) -> int:
    """Rows keep arriving while the gateway empties its socket buffers and the writer queue."""
    stored, deadline = -1, time.monotonic() + 120
    while time.monotonic() < deadline:
        now = await count_rows(conn)
        if now in (sent, stored):
            return now
        stored = now
        await asyncio.sleep(2)
    return stored


def report(outcomes: list[Outcome], copy: dict[str, float]) -> str:
    rows = ["| phase | links | offered | sustained frames/s (TCP → committed) | sent / stored | "
            "receipt → visible p50 / p99 | gateway CPU | PostgreSQL CPU | load generator CPU | "
            "gateway RSS |", "|---|---|---|---|---|---|---|---|---|---|"]
    for out in outcomes:
        offered = ("as fast as possible" if out.phase.rate == 0
                   else f"{out.phase.rate * out.phase.connections:,.0f} frames/s")
        rows.append(
            f"| {out.phase.name} | {out.phase.connections:,} | {offered} | "
            f"{out.frames_per_s:,.0f} | {out.sent:,} / {out.stored:,} | "
            f"{out.latency_p50 * 1000:,.0f} / {out.latency_p99 * 1000:,.0f} ms "
            f"({out.samples:,} rows) | {out.gateway_cpu:.0%} | {out.postgres_cpu:.0%} | "
            f"{out.loader_cpu:.0%} | {out.gateway_rss:,.0f} MiB |")
    saturated = outcomes[0].frames_per_s
    rows += ["", "| direct asyncpg path, same rows, one connection | frames/s | e2e as share |",
             "|---|---|---|"]
    for name, rate in copy.items():
        rows.append(f"| {name} | {rate:,.0f} | {saturated / rate:.0%} |")
    return "\n".join(rows) + METHOD


METHOD = """

Method. 2016 realtime frames of 334 B / 96 cells (bench/sample_frames), VIN and collection
time patched per frame, each link logs in (0x01) then sends over loopback TCP to `nevguard
gateway` (separate process; default settings: 50 frames/s per vehicle link after a burst of 500,
writer batches of 500, 4 parallel commits, Redis publishing on). *Sustained* is the growth of
`count(*)` of the tenant's `realtime` table over the measuring window (after the warm-up) divided
by its length. *Receipt → visible*: 20 sampled VINs are polled every 50 ms for rows newer than
the last one seen (a VIN's rows commit in order); latency = the poll statement's
`statement_timestamp()` − the row's `received_at` (stamped by the gateway when the frame was
read), so it is an upper bound, at most one poll interval plus the query time late. CPU: utime +
stime from /proc/<pid>/stat over the window, as a share of all cores (gateway process; every
process named `postgres`, i.e. the server and its backends; the load generator). *Sent / stored*
checks nothing was lost once the gateway drained. The direct rows are the same frames decoded and
turned into rows by `gateway.ingest.rows` beforehand; plain COPY = `copy_records_to_table` into
`realtime` only, write_batch = `backend.storage.ingest.write_batch` (COPY to a temp stage, INSERT
… ON CONFLICT DO NOTHING for realtime and raw_frames, latest_state upsert) in batches of 500.
Targets: ≥ 15,000 frames/s sustained; reference load gateway + PostgreSQL CPU < 50 % of the
machine."""


async def measure(args: argparse.Namespace) -> None:
    await prepare(max(args.connections, args.ref_connections))
    port = free_port()
    phases = [Phase("saturate", args.connections, args.seconds, args.warmup, 0.0),
              Phase("reference", args.ref_connections, args.seconds, args.warmup,
                    2000 / args.ref_connections)]
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="nevguard-bench-spool-") as spool:
        gateway = start_gateway(port, Path(spool))
        try:
            for phase in phases:
                outcomes.append(await run_phase(phase, port, gateway.pid))
                print(outcomes[-1], flush=True)
        finally:
            gateway.terminate()
            gateway.wait(timeout=60)
    conn = await asyncpg.connect(bench_dsn())
    try:
        await empty_tables(conn, COPY_TENANT)
        copy = await copy_rates(conn, COPY_TENANT, args.copy_frames,
                                lambda: empty_tables(conn, COPY_TENANT))
    finally:
        await conn.close()
    print(copy)
    write_section("ingest_e2e", "Ingest: end to end, TCP to committed rows", report(outcomes, copy))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--ref-connections", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--copy-frames", type=int, default=40_000)
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
