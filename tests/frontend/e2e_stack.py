"""The real platform behind the console's end-to-end tests (frontend/e2e/run.mjs starts it):
a database of its own on the scripts/services server, tenants ``demo`` and ``acme``, the
simulated fleet's VINs, one login per role under test, then the API (serving the built console),
the GB/T 32960 gateway, the alarm engine, the worker (alarm handling: cases, SLA timers) and the
vehicle simulator on free loopback ports below 32768. Tenant ``demo`` opens a case for alarms of
every level (by default only levels 3 and 4 do), so the simulated faults give cases in minutes.

It prints one JSON line (the console URL, the logins, the TOTP secrets of the roles that need a
second factor, the VINs) once everything answers, runs until its standard input closes or it
gets SIGTERM, then stops its processes and drops the database.

    python -m tests.frontend.e2e_stack --vehicles 12
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from backend.core.access import Principal, Role
from backend.core.alarm_cases.policy import LevelPolicy
from backend.core.sealed_secrets import new_key_entry
from backend.services.alarm_settings import SlaInput, update_handling
from backend.services.auth_common import AuthConfig
from backend.services.users import bootstrap_platform_admin, create_user
from backend.settings import load_settings
from backend.storage.db import connect
from backend.storage.migrate import migrate_all
from backend.storage.tenants import provision_tenant
from gateway.simulator.fleet import FleetConfig, build_specs
from scripts.demo_fleet import register_fleet
from scripts.demo_seed import tenant_for
from tests.session_database import session_database

ROOT = Path(__file__).resolve().parents[2]
NEVGUARD = str(ROOT / ".venv" / "bin" / "nevguard")
PASSWORD = "amber-lantern-quartz-58"
TENANTS = {"demo": "示范汽车 Demo Motors", "acme": "Acme 新能源 Acme NEV"}
# (role, e-mail) of the demo tenant's users; provider staff have no tenant.
TENANT_USERS = {Role.TENANT_ADMIN: "admin@demo.e2e.test",
                Role.SAFETY_ENGINEER: "engineer@demo.e2e.test",
                Role.VIEWER: "viewer@demo.e2e.test"}
PLATFORM_ADMIN = "admin@provider.e2e.test"
# A tenant's admin is created by provider staff, its other users by a tenant admin.
PROVIDER_ACTOR = Principal(subject="system:e2e", role=Role.PLATFORM_ADMIN, tenant=None)
TENANT_ACTOR = Principal(subject="system:e2e", role=Role.TENANT_ADMIN, tenant="demo")


def free_port() -> int:
    """A loopback port below 32768 (the kernel's own picks lie above it)."""
    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below 32768")


def own_redis_database(url: str) -> str:
    """The same Redis server, another of its numbered databases: the worker's job queue, the
    alarm feed and the live channels are not namespaced by the PostgreSQL database, so a demo
    or another run on this server must not share them with this stack (pytest keeps to 15)."""
    return urlsplit(url)._replace(path=f"/{random.randint(1, 14)}").geturl()


def totp_secret(uri: str | None) -> str:
    if uri is None:
        raise RuntimeError("a role that needs a second factor was created without one")
    return parse_qs(urlsplit(uri).query)["secret"][0]


async def seed(database_url: str, keys: str, vehicles: int, seed_value: int) -> dict[str, object]:
    settings = load_settings({**os.environ, "DATABASE_URL": database_url,
                              "NEVGUARD_SECRET_KEYS": keys}, env_file=None)
    config = AuthConfig.from_settings(settings.auth, keyring=settings.secret_keys)
    conn = await connect(database_url, application="nevguard-e2e-seed")
    try:
        for slug, name in TENANTS.items():
            await provision_tenant(conn, slug, name=name)
        await migrate_all(conn)
        specs = build_specs(FleetConfig(start=datetime.now(UTC), vehicles=vehicles,
                                        seed=seed_value))
        vins = await register_fleet(conn, specs, tenant_for)
        users: dict[str, dict[str, str | None]] = {}
        admin = await bootstrap_platform_admin(conn, config, email=PLATFORM_ADMIN,
                                               password=PASSWORD)
        users["platform_admin"] = {"email": PLATFORM_ADMIN, "totp": totp_secret(admin.totp_uri)}
        for role, email in TENANT_USERS.items():
            actor = PROVIDER_ACTOR if role is Role.TENANT_ADMIN else TENANT_ACTOR
            created = await create_user(conn, config, actor, tenant="demo", email=email,
                                        role=role, password=PASSWORD, display_name=role.value)
            users[role.value] = {"email": email, "totp": created.totp_uri and
                                 totp_secret(created.totp_uri)}
        await update_handling(conn, TENANT_ACTOR, "demo", sla=SlaInput(), policies=[
            LevelPolicy(level, frozenset(), open_case=True) for level in (1, 2)])
        return {"password": PASSWORD, "users": users, "vins": vins}
    finally:
        await conn.close()


def wait_until(check: object, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if callable(check) and check():
                return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")


def http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback only
        return bool(answer.status == 200)


def tcp_open(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return True


@contextlib.contextmanager
def processes(logs: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    try:
        yield started
    finally:
        for process in reversed(started):
            process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        print(f"e2e stack stopped; logs in {logs}", file=sys.stderr)


def spawn(started: list[subprocess.Popen[bytes]], logs: Path, name: str, args: list[str],
          env: dict[str, str]) -> None:
    log = (logs / f"{name}.log").open("wb")
    started.append(subprocess.Popen([NEVGUARD, *args], env=env, stdout=log,  # noqa: S603
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))


def stop_at_end_of_input(stop: threading.Event) -> None:
    """The parent closes our standard input to stop us (and so does its death)."""
    sys.stdin.read()
    stop.set()


def run(args: argparse.Namespace) -> None:
    admin_url = os.environ["DATABASE_URL"]
    keys = new_key_entry("e2e")
    logs = Path(args.logs).resolve()
    logs.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with session_database(admin_url, "nevguard_e2e") as database_url:
        world = asyncio.run(seed(database_url, keys, args.vehicles, args.seed))
        api_port, gateway_port = free_port(), free_port()
        env = {**os.environ, "DATABASE_URL": database_url, "NEVGUARD_SECRET_KEYS": keys,
               "REDIS_URL": own_redis_database(os.environ["REDIS_URL"]),
               "NEVGUARD_API_PORT": str(api_port), "NEVGUARD_GATEWAY_PORT": str(gateway_port),
               "NEVGUARD_API_LOGIN_RPM": "10000", "NEVGUARD_API_PRINCIPAL_RPM": "100000",
               "NEVGUARD_API_TENANT_RPM": "100000", "NEVGUARD_API_ANONYMOUS_RPM": "100000"}
        with processes(logs) as started:
            spawn(started, logs, "api", ["api"], env)
            spawn(started, logs, "gateway", ["gateway", "--spool-dir", str(logs / "spool")],
                  env)
            spawn(started, logs, "alarm-engine", ["alarm-engine"], env)
            spawn(started, logs, "worker", ["worker"], env)
            base = f"http://127.0.0.1:{api_port}"
            wait_until(lambda: http_ok(f"{base}/healthz"), "the API")
            wait_until(lambda: tcp_open(gateway_port), "the gateway")
            spawn(started, logs, "simulator",
                  ["simulate", "--port", str(gateway_port), "--vehicles", str(args.vehicles),
                   "--seed", str(args.seed), "--interval", str(args.interval),
                   "--fault-fraction", str(args.fault_fraction), "--fault-kinds", args.fault_kinds,
                   *(["--duration", args.duration] if args.duration else [])], env)
            simulator = started[-1]
            print(json.dumps({"url": base, "logs": str(logs), **world}, ensure_ascii=False),
                  flush=True)
            threading.Thread(target=stop_at_end_of_input, args=(stop,), daemon=True).start()
            while not stop.wait(0.5):
                # The simulator may finish its --duration; anything else ending is a failure.
                if any(process.poll() is not None for process in started
                       if process is not simulator or process.returncode not in (None, 0)):
                    raise RuntimeError("a process of the e2e stack exited; see its log")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vehicles", type=int, default=12)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--interval", type=int, default=2)
    parser.add_argument("--fault-fraction", type=float, default=0.5)
    # Faults whose alarms show within minutes (docs/simulator.md, "Fault scenarios").
    parser.add_argument("--fault-kinds", default="soc_jump,insulation_decline,cell_inconsistency")
    parser.add_argument("--duration", default=None, help="simulated run time (onsets fall in "
                        "its first 40 %%); default: until stopped")
    parser.add_argument("--logs", default=str(ROOT / ".state" / "e2e"))
    run(parser.parse_args())


if __name__ == "__main__":
    main()
