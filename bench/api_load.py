"""API benchmark: 100 signed-in console users in a closed loop against `nevguard api` on the seeded
database of bench/seed_api.py; latency per operation, throughput, errors and CPU, written to
docs/benchmarks.md (section ``api_load``).

Usage (after the seed; the services running):

    eval "$(scripts/services env)"
    .venv/bin/python -m bench.api_load                  # 100 users, 60 s warm-up, 300 s measured
    .venv/bin/python -m bench.api_load --database nevguard_apibench_small --seconds 60 --no-report

Setup, every run: 100 tenant users (analysts, operators, safety engineers; created once through
backend/services/users.create_user, password kept in .state/apibench-password) and the bench
tenant's ``api_requests_per_minute`` quota set explicitly (``--tenant-rpm``); the per-user limit
stays at the API's default. The link part of ``latest_state`` is moved to "now" for 70 % of the
fleet (a live fleet; the seed's last record is hours or days old by the time this runs), so the
online filters and counts have something to find. Then `nevguard api` is started as its own
process on a free port with ``NEVGUARD_API_LOGIN_RPM`` raised (every simulated user signs in from
127.0.0.1 within a second; the per-IP sign-in limit is meant for one person) and each user signs
in with e-mail and password (``POST /auth/login``, token mode) and sends bearer requests.

The measured window starts after the warm-up; requests that start inside it count. CPU: utime +
stime from /proc over the window as a share of all cores: the API process, the PostgreSQL
backends connected to the bench database, every ``postgres`` process (the server is shared with
other work on this machine, so this one is an upper bound) and this load generator.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
import subprocess
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Final

import asyncpg
import httpx

from backend.core.access import Principal, Role
from backend.core.sealed_secrets import new_key_entry
from backend.services import tenants as tenant_service
from backend.services.auth_common import AuthConfig
from backend.services.users import create_user
from backend.settings import load_settings
from backend.storage.migrate import migrate_all, migrate_shared
from bench import api_load_ops as ops
from bench.api_load_report import report
from bench.e2e_probe import cpu_seconds, postgres_seconds
from bench.ingest_e2e import free_port
from bench.seed_api import SCHEMA, TENANT, connect, database_dsn

ROOT: Final = Path(__file__).resolve().parent.parent
PASSWORD_FILE: Final = ROOT / ".state" / "apibench-password"
# The key-encryption key sealing the API's signing keys at rest in the bench database.
SECRET_KEYS_FILE: Final = ROOT / ".state" / "apibench-secret-keys"
ROLES: Final = (Role.ANALYST, Role.ANALYST, Role.OPERATOR, Role.ANALYST, Role.SAFETY_ENGINEER)
TENANT_ADMIN: Final = Principal(subject="system:api-bench", role=Role.TENANT_ADMIN, tenant=TENANT)
PROVIDER: Final = Principal(subject="system:api-bench", role=Role.PLATFORM_ADMIN, tenant=None)
ONLINE_SHARE_PERCENT: Final = 70


def user_email(index: int) -> str:
    return f"user{index:03d}@apibench.nevguard.test"


def kept_secret(path: Path, make: Callable[[], str]) -> str:
    """A secret generated on first use and kept, readable by its owner only, in .state/
    (never committed), so reruns find the users and signing keys they created."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(make() + "\n", encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


async def prepare(dsn: str, users: int, tenant_rpm: int, password: str
                  ) -> tuple[ops.Dataset, dict[str, Any]]:
    settings = load_settings(dict(os.environ, DATABASE_URL=dsn))
    config = AuthConfig.from_settings(settings.auth, keyring=settings.secret_keys)
    conn = await connect(dsn)
    try:
        # The API expects the schema of the code it runs (the seed may be older than the code).
        await migrate_shared(conn)
        await migrate_all(conn)
        existing = {row["email"] for row in await conn.fetch(
            "SELECT email FROM nevguard.users WHERE tenant_id = "
            "(SELECT id FROM nevguard.tenants WHERE slug = $1)", TENANT)}
        for index in range(users):
            if user_email(index) not in existing:
                await create_user(conn, config, TENANT_ADMIN, tenant=TENANT,
                                  email=user_email(index), role=ROLES[index % len(ROLES)],
                                  password=password, display_name=f"Bench user {index}")
        await tenant_service.set_quotas(conn, PROVIDER, TENANT,
                                        {"api_requests_per_minute": tenant_rpm})
        # S608: the schema is the seed's constant.
        await conn.execute(f"""
            UPDATE {SCHEMA}.latest_state
               SET online = abs(hashtext(vin)) % 100 < $1,
                   last_frame_at = now() - (abs(hashtext(vin)) % 240) * INTERVAL '1 second',
                   updated_at = now()""", ONLINE_SHARE_PERCENT)  # noqa: S608
        meta = json.loads(await conn.fetchval("SELECT value::text FROM api_bench.meta"))
        vins = [row["vin"] for row in await conn.fetch(
            "SELECT vin FROM nevguard.vehicles WHERE tenant_id = "
            "(SELECT id FROM nevguard.tenants WHERE slug = $1) ORDER BY vin", TENANT)]
        models = [row["id"] for row in await conn.fetch(
            f"SELECT id FROM {SCHEMA}.vehicle_models ORDER BY id")]  # noqa: S608
    finally:
        await conn.close()
    return ops.Dataset(tuple(vins), tuple(models), date.fromisoformat(meta["first_day"]),
                       int(meta["days"])), meta


def start_api(dsn: str, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, DATABASE_URL=dsn, NEVGUARD_API_HOST="127.0.0.1",
               NEVGUARD_API_PORT=str(port), NEVGUARD_API_LOGIN_RPM="1000",
               NEVGUARD_LOG_LEVEL="WARNING")
    # S603: our own CLI with fixed arguments.
    return subprocess.Popen([str(ROOT / ".venv/bin/nevguard"), "api"], env=env)  # noqa: S603


async def wait_healthy(client: httpx.AsyncClient, api: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if api.poll() is not None:
            raise RuntimeError(f"nevguard api exited with {api.returncode}")
        try:
            if (await client.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.3)
    raise RuntimeError("the API did not become healthy within 60 s")


async def sign_in(client: httpx.AsyncClient, users: int, password: str) -> list[str]:
    async def one(index: int) -> str:
        response = await client.post("/auth/login", json={
            "email": user_email(index), "password": password, "session": "token"})
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token
    return list(await asyncio.gather(*(one(index) for index in range(users))))


async def bench_backends(dsn: str) -> list[int]:
    conn = await asyncpg.connect(dsn)
    try:
        return [row["pid"] for row in await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = 'nevguard-api'")]
    finally:
        await conn.close()


def _cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds(pid)
        except OSError:
            continue
    return total


async def run_phase(client: httpx.AsyncClient, api: subprocess.Popen[bytes], dsn: str,
                    data: ops.Dataset, args: argparse.Namespace, *, think_s: float
                    ) -> dict[str, Any]:
    """Every user signs in (a phase outlives no access token), loops for the warm-up and the
    measured window, and the CPU of the window is read from /proc."""
    tokens = await sign_in(client, args.users, kept_secret(PASSWORD_FILE, _new_password))
    samples = ops.Samples()
    samples.window_start = time.monotonic() + args.warmup
    samples.window_end = samples.window_start + args.seconds
    users = [asyncio.create_task(ops.run_user(
        client, token, data, samples, until=samples.window_end, think_s=think_s, seed=index))
        for index, token in enumerate(tokens)]
    await asyncio.sleep(args.warmup)
    pids = {"API": [api.pid], "PostgreSQL (the API's backends)": await bench_backends(dsn),
            "load generator": [os.getpid()]}
    cpu_start = {name: _cpu(group) for name, group in pids.items()}
    all_postgres = postgres_seconds()
    window_began = time.monotonic()
    await asyncio.sleep(args.seconds)
    elapsed = time.monotonic() - window_began
    capacity = elapsed * (os.cpu_count() or 1)
    cpu = {name: (_cpu(group) - cpu_start[name]) / capacity for name, group in pids.items()}
    cpu["every postgres process of the shared server"] = sum(
        spent - all_postgres.get(pid, 0.0) for pid, spent in postgres_seconds().items()
    ) / capacity
    await asyncio.gather(*users)
    return {"think_s": think_s, "samples": samples, "seconds": elapsed, "cpu": cpu}


def _new_password() -> str:
    return secrets.token_urlsafe(18)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    dsn = database_dsn(args.database)
    password = kept_secret(PASSWORD_FILE, _new_password)
    os.environ["NEVGUARD_SECRET_KEYS"] = kept_secret(
        SECRET_KEYS_FILE, lambda: new_key_entry("apibench-1"))
    data, meta = await prepare(dsn, args.users, args.tenant_rpm, password)
    port = free_port()
    api = start_api(dsn, port)
    limits = httpx.Limits(max_connections=args.users + 10, max_keepalive_connections=args.users)
    phases = []
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits,
                                     timeout=30) as client:
            await wait_healthy(client, api)
            for think_s in args.think_s:
                phases.append(await run_phase(client, api, dsn, data, args, think_s=think_s))
    finally:
        api.terminate()
        api.wait(timeout=30)
    return {"database": args.database, "meta": meta, "users": args.users,
            "tenant_rpm": args.tenant_rpm, "phases": phases}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database", default="nevguard_apibench")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--warmup", type=float, default=60)
    parser.add_argument("--think-s", type=lambda text: [float(x) for x in text.split(",")],
                        default=[2.0, 0.0],
                        help="mean think time of each phase in seconds (exponential), "
                             "comma-separated; 0 = no think time, the API's capacity")
    parser.add_argument("--tenant-rpm", type=int, default=60_000)
    parser.add_argument("--no-report", action="store_true",
                        help="print the results only, leave docs/benchmarks.md alone")
    args = parser.parse_args()
    if args.warmup + args.seconds > 540:
        parser.error("warm-up + measuring must end within the 10-minute access token")
    # Stopped with SIGTERM: unwind like Ctrl-C, so the API process is stopped too.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    outcome = asyncio.run(run(args))
    print(report(outcome, write=not args.no_report))


if __name__ == "__main__":
    main()
