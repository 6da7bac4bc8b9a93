"""End to end ingest: vehicle links over TCP → `nevguard gateway` → committed tenant rows.

Everything runs on this machine: PostgreSQL and Redis (scripts/services), the gateway as its own
process (`nevguard gateway`, the production wiring of gateway/server/runtime.py) and the load
generator (bench/e2e_load.py) as a third process. The database is a separate one,
``nevguard_bench``, so the dev database is untouched.

Two phases on one gateway process: ``reference`` holds 20,000 vehicle connections, each
reporting every 10 s (2,000 frames/s), and gives the CPU of the gateway and of PostgreSQL as a
share of the whole machine and the gateway's memory per connection (the connection capacity
figure); ``saturate`` (1,000 links in a closed loop: 20 frames and a heartbeat, then wait for
the heartbeat's answer, so the gateway's backpressure sets the pace) gives the
sustained frames/s from TCP to committed rows. Then the same kind of rows are written straight
with asyncpg (plain COPY, and write_batch) for the ratio.
Usage: eval "$(scripts/services env)"; .venv/bin/python -m bench.ingest_e2e
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from backend.storage import registry
from backend.storage.migrate import migrate_all, migrate_shared
from backend.storage.partitions import run_partition_maintenance
from backend.storage.tenants import provision_tenant
from bench.e2e_load import raise_fd_limit, vin_for
from bench.e2e_probe import CpuMeter, LatencyProbe, percentile, rss_mib
from bench.e2e_rows import copy_rates
from bench.report import write_section

BENCH_DB = "nevguard_bench"
TENANT = "bench"
COPY_TENANT = "benchcopy"
TABLES = ("realtime", "raw_frames", "vehicle_events", "latest_state", "realtime_hourly_dirty")
ROOT = Path(__file__).resolve().parent.parent
LINKS_PER_LOADER = 10_000


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


async def prepare(connections: int, *, tenant: str = TENANT, first: int = 0) -> None:
    """The bench database, migrated, with ``connections`` vehicles from index ``first``
    registered to ``tenant``."""
    admin = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", BENCH_DB):
            await admin.execute(f"CREATE DATABASE {BENCH_DB}")
    finally:
        await admin.close()
    conn = await asyncpg.connect(bench_dsn())
    try:
        await migrate_shared(conn)
        for slug in dict.fromkeys((TENANT, COPY_TENANT, tenant)):
            await provision_tenant(conn, slug, name=f"benchmark {slug}")
        await migrate_all(conn)
        await run_partition_maintenance(conn)
        known = {row[0] for row in await conn.fetch("SELECT vin FROM nevguard.vehicles")}
        for index in range(first, first + connections):
            if vin_for(index) not in known:
                await registry.add_vehicle(conn, vin_for(index), tenant)
    finally:
        await conn.close()


async def empty_tables(conn: asyncpg.Connection, slug: str) -> None:
    await conn.execute("TRUNCATE " + ", ".join(f"t_{slug}.{table}" for table in TABLES))


def free_port() -> int:
    """A free loopback port below 32768 (this workplace's rule; the kernel's ephemeral range,
    which ``bind(0)`` would pick from, starts at 32768)."""
    for _ in range(200):
        port = random.randrange(20_000, 32_000)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 32000")


def start_gateway(port: int, spool: Path, max_connections: int, *, reuse_port: bool = False
                  ) -> subprocess.Popen[bytes]:
    env = dict(os.environ, DATABASE_URL=bench_dsn(), NEVGUARD_GATEWAY_PORT=str(port),
               NEVGUARD_LOG_LEVEL="WARNING")
    command = [str(ROOT / ".venv/bin/nevguard"), "gateway", "--spool-dir", str(spool),
               "--metrics-port", str(free_port()), "--max-connections", str(max_connections),
               *(["--reuse-port"] if reuse_port else [])]
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


async def start_loaders(port: int, connections: int, seconds: float, rate: float,
                        *extra: str, first: int = 0) -> list[asyncio.subprocess.Process]:
    """Load generator processes of at most LINKS_PER_LOADER links each (one open file per
    link, and the per-process limit is what it is), all logged in when this returns; VINs
    from index ``first``."""
    loaders = []
    for offset in range(0, connections, LINKS_PER_LOADER):
        links = min(LINKS_PER_LOADER, connections - offset)
        loaders.append(await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.e2e_load", str(port), str(links), str(seconds),
            str(rate), "--first", str(first + offset), *extra, stdout=asyncio.subprocess.PIPE,
            cwd=ROOT))
    for loader in loaders:
        if loader.stdout is None:
            raise RuntimeError("no pipe from the load generator")
        ready = (await loader.stdout.readline()).decode()
        if not ready.startswith("ready "):
            raise RuntimeError(f"load generator failed: {ready!r}")
    return loaders


async def loader_summaries(loaders: list[asyncio.subprocess.Process]) -> list[dict[str, Any]]:
    """The JSON line each loader prints when it is done."""
    summaries = []
    for loader in loaders:
        assert loader.stdout is not None
        summary = (await loader.stdout.read()).decode()
        await loader.wait()
        summaries.append(json.loads(summary.strip().splitlines()[-1]))
    return summaries


async def loaders_sent(loaders: list[asyncio.subprocess.Process]) -> int:
    """Frames the loaders sent."""
    return sum(int(summary["sent"]) for summary in await loader_summaries(loaders))


async def run_phase(phase: Phase, port: int, gateway_pids: list[int]) -> Outcome:
    conn = await asyncpg.connect(bench_dsn())
    await empty_tables(conn, TENANT)
    loaders = await start_loaders(port, phase.connections, phase.seconds, phase.rate)
    began = time.monotonic()
    sample = [vin_for(i) for i in range(0, phase.connections, max(1, phase.connections // 20))]
    probe = LatencyProbe(conn, TENANT, sample)
    await probe.run_until(began + phase.warmup)
    cpu = CpuMeter(gateway_pids, [loader.pid for loader in loaders])
    first = await count_rows(conn)
    window_start = time.monotonic()
    probe.latencies.clear()
    await probe.run_until(began + phase.seconds)
    last = await count_rows(conn)
    window = time.monotonic() - window_start
    shares = cpu.shares()
    rss = sum(map(rss_mib, gateway_pids))
    sent = await loaders_sent(loaders)
    stored = await wait_for_drain(conn, sent)
    await conn.close()
    latencies = sorted(probe.latencies)
    return Outcome(phase, (last - first) / window, sent, stored, percentile(latencies, 0.5),
                   percentile(latencies, 0.99), len(latencies), shares["gateway"],
                   shares["postgres"], shares["loader"], rss)


async def run_phases(phases: list[Phase], processes: int, max_connections: int
                     ) -> list[Any]:
    """[idle RSS of the gateways, outcome of each phase], on ``processes`` gateway processes
    sharing one port (SO_REUSEPORT when more than one)."""
    port = free_port()
    results: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="nevguard-bench-spool-") as spool:
        gateways = [start_gateway(port, Path(spool) / str(index), max_connections,
                                  reuse_port=processes > 1) for index in range(processes)]
        pids = [gateway.pid for gateway in gateways]
        results.append(sum(map(rss_mib, pids)))
        try:
            for phase in phases:
                results.append(await run_phase(phase, port, pids))
        finally:
            for gateway in gateways:
                gateway.terminate()
            for gateway in gateways:
                gateway.wait(timeout=60)
    return results


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


def report(outcomes: list[Outcome], copy: dict[str, float], idle_rss: float) -> str:
    rows = ["| phase | links | offered | sustained frames/s (TCP → committed) | sent / stored | "
            "receipt → visible p50 / p99 | gateway CPU | PostgreSQL CPU | load generator CPU | "
            "gateway RSS |", "|---|---|---|---|---|---|---|---|---|---|"]
    for out in outcomes:
        offered = ("closed loop, as fast as the gateway takes them" if out.phase.rate == 0
                   else f"{out.phase.rate * out.phase.connections:,.0f} frames/s")
        rows.append(
            f"| {out.phase.name} | {out.phase.connections:,} | {offered} | "
            f"{out.frames_per_s:,.0f} | {out.sent:,} / {out.stored:,} | "
            f"{out.latency_p50 * 1000:,.0f} / {out.latency_p99 * 1000:,.0f} ms "
            f"({out.samples:,} rows) | {out.gateway_cpu:.0%} | {out.postgres_cpu:.0%} | "
            f"{out.loader_cpu:.0%} | {out.gateway_rss:,.0f} MiB |")
    reference = next(out for out in outcomes if out.phase.name == "reference")
    per_connection = (reference.gateway_rss - idle_rss) * 1024 / reference.phase.connections
    rows += ["", f"Connection capacity: {reference.phase.connections:,} concurrent vehicle "
             f"connections on one gateway process; gateway RSS {idle_rss:,.0f} MiB before any "
             f"connection, {reference.gateway_rss:,.0f} MiB with all of them reporting: "
             f"**{per_connection:,.1f} KiB per connection**."]
    saturated = max(out.frames_per_s for out in outcomes if out.phase.rate == 0)
    rows += ["", "| direct asyncpg path, same rows, one connection | frames/s "
             "| best e2e as share |",
             "|---|---|---|"]
    for name, rate in copy.items():
        rows.append(f"| {name} | {rate:,.0f} | {saturated / rate:.0%} |")
    return "\n".join(rows) + METHOD


METHOD = """

Method. 2016 realtime frames of 334 B / 96 cells (bench/sample_frames), VIN and collection time
patched per frame, each link logs in (0x01) then sends over loopback TCP to `nevguard gateway`
(separate processes; in the saturate phases each link sends 20 frames and a heartbeat and waits for
the heartbeat's answer before the next 20; default settings: 50 frames/s per vehicle link after a
burst of 500, writer batches of 500, 4 parallel commits split by vehicle, Redis publishing and the
alarm feed on). The *steady* phase offers a fixed rate below saturation on the same links, for
receipt → visible latency without a full queue (at saturation the latency is the writer queue,
`max_pending` 20,000 items, divided by the rate). The last phase runs N gateway processes on one
port (`--reuse-port`, SO_REUSEPORT), the way one host uses its cores. *Sustained* is the growth of
`count(*)` of the tenant's `realtime` table over the measuring window (after the warm-up) divided
by its length. *Receipt → visible*: 20 sampled VINs are polled every 50 ms for rows newer than the
last one seen (a VIN's rows commit in order); latency = the poll statement's
`statement_timestamp()` − the row's `received_at` (stamped by the gateway when the frame was read),
so it is an upper bound, at most one poll interval plus the query time late. CPU: utime + stime
from /proc/<pid>/stat over the window, as a share of all cores (gateway process; every process
named `postgres`, i.e. the server and its backends; the load generator processes, at most 10,000
links each). The reference phase holds as many links as one process may open here: 20,000, or the
machine's hard open-file limit less 100 (this sandbox: 20,000, which root cannot raise, so 19,900).
*Sent / stored* checks nothing was lost once the gateway drained. The direct rows are the same
frames decoded and turned into rows by `gateway.ingest.rows` beforehand; plain COPY =
`copy_records_to_table` into `realtime` only, write_batch = `backend.storage.ingest.write_batch`
(straight binary COPY of realtime and raw_frames in a savepoint, falling back to a stage and
INSERT … ON CONFLICT DO NOTHING on a duplicate; hour marks; latest_state upsert) in batches of
500. Targets: ≥ 15,000 frames/s sustained; reference load gateway + PostgreSQL CPU < 50 % of
the machine."""


async def measure(args: argparse.Namespace) -> None:
    most = max(args.connections, args.ref_connections)
    await prepare(most)
    phases = [Phase("reference", args.ref_connections, args.seconds, args.warmup,
                    2000 / args.ref_connections),
              Phase("steady", args.connections, args.seconds, args.warmup,
                    args.steady_rate / args.connections),
              Phase("saturate", args.connections, args.seconds, args.warmup, 0.0)]
    outcomes = await run_phases(phases, 1, most + 100)
    print(*outcomes, sep="\n", flush=True)
    idle_rss = outcomes.pop(0)
    if args.gateways > 1:
        several = Phase(f"saturate, {args.gateways} gateway processes", args.connections,
                        args.seconds, args.warmup, 0.0)
        outcomes += (await run_phases([several], args.gateways, args.connections + 100))[1:]
        print(outcomes[-1], flush=True)
    conn = await asyncpg.connect(bench_dsn())
    try:
        await empty_tables(conn, COPY_TENANT)
        copy = await copy_rates(conn, COPY_TENANT, args.copy_frames,
                                lambda: empty_tables(conn, COPY_TENANT))
    finally:
        await conn.close()
    print(copy)
    write_section("ingest_e2e", "Ingest: end to end, TCP to committed rows",
                  report(outcomes, copy, idle_rss))


def reference_connections() -> int:
    """20,000 links, or as many as one gateway process can hold under this machine's hard
    open-file limit (with room for its database pool, Redis and listeners)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return 20_000 if hard == resource.RLIM_INFINITY else min(20_000, hard - 100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--ref-connections", type=int, default=reference_connections())
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--copy-frames", type=int, default=40_000)
    parser.add_argument("--steady-rate", type=float, default=5000.0,
                        help="frames/s offered in the steady phase (latency below saturation)")
    parser.add_argument("--gateways", type=int, default=2,
                        help="gateway processes of the extra saturate phase (1: no such phase)")
    args = parser.parse_args()
    # The gateway process inherits this limit: one descriptor per vehicle connection.
    raise_fd_limit(max(args.connections, args.ref_connections) + 1024)
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
