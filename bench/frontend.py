"""Web console benchmark (issue 6): the dashboard's first load, one vehicle x one day of history
charts, and the bundle size. Budgets (dashboard < 2 s, chart < 1 s on localhost) are measured
here, never asserted in tests.

    eval "$(scripts/services env)"
    scripts/frontend build
    .venv/bin/python -m bench.frontend [--vehicles 50] [--runs 5]

Seeds ``nevguard_apibench_console`` with bench.seed_api (``--vehicles`` x 2 days of 30 s records,
kept across runs), adds an analyst login, starts the API serving frontend/dist on a free port,
drives Chromium through frontend/e2e/bench.mjs, and prints one JSON object (also written to
bench/out/frontend.json).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from backend.core.access import Principal, Role
from backend.core.sealed_secrets import new_key_entry
from backend.services.auth_common import AuthConfig
from backend.services.users import create_user
from backend.settings import load_settings
from backend.storage.db import connect
from bench.api_seed_rows import vin_for
from bench.seed_api import TENANT, database_dsn
from tests.frontend.e2e_stack import free_port, http_ok, wait_until

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "frontend" / "dist"
DATABASE = "nevguard_apibench_console"
EMAIL = "analyst@console-bench.test"
PASSWORD = "copper-meadow-signal-73"  # noqa: S105 - the bench database's throwaway login
KEYS_FILE = ROOT / ".state" / "bench-console-secret-keys"


def bundle_report() -> dict[str, Any]:
    """Every built asset with its raw and gzip size; the initial load is what index.html names."""
    index = (DIST / "index.html").read_text(encoding="utf-8")
    initial = set(re.findall(r'(?:src|href)="/assets/([^"]+)"', index))
    assets: list[tuple[str, int, int]] = []
    for path in sorted((DIST / "assets").iterdir()):
        data = path.read_bytes()
        assets.append((path.name, len(data), len(gzip.compress(data, compresslevel=9))))
    first = [asset for asset in assets if asset[0] in initial]
    largest = sorted(assets, key=lambda asset: -asset[1])[:5]
    return {"files": len(assets), "bytes": sum(asset[1] for asset in assets),
            "gzip": sum(asset[2] for asset in assets),
            "initial_bytes": sum(asset[1] for asset in first),
            "initial_gzip": sum(asset[2] for asset in first),
            "largest": [{"file": name, "bytes": size, "gzip": packed}
                        for name, size, packed in largest]}


def secret_keys() -> str:
    """One KEK for this bench database across runs (its signing keys are sealed with it)."""
    if not KEYS_FILE.is_file():
        KEYS_FILE.parent.mkdir(parents=True, exist_ok=True)
        KEYS_FILE.touch(mode=0o600)
        KEYS_FILE.write_text(new_key_entry("console-bench"), encoding="utf-8")
    return KEYS_FILE.read_text(encoding="utf-8").strip()


async def ensure_login(dsn: str, keys: str) -> None:
    settings = load_settings({**os.environ, "DATABASE_URL": dsn, "NEVGUARD_SECRET_KEYS": keys},
                             env_file=None)
    conn = await connect(dsn, application="nevguard-console-bench")
    try:
        if await conn.fetchval("SELECT EXISTS (SELECT FROM nevguard.users WHERE email = $1)",
                               EMAIL):
            return
        actor = Principal(subject="system:console-bench", role=Role.TENANT_ADMIN, tenant=TENANT)
        config = AuthConfig.from_settings(settings.auth, keyring=settings.secret_keys)
        await create_user(conn, config, actor, tenant=TENANT, email=EMAIL, role=Role.ANALYST,
                          password=PASSWORD, display_name="Console bench")
    finally:
        await conn.close()


async def seeded_day(dsn: str) -> date:
    """The newest whole day of the seed (it carries cell and probe detail)."""
    conn = await connect(dsn, application="nevguard-console-bench")
    try:
        days = await conn.fetch("SELECT day FROM api_bench.days ORDER BY day DESC LIMIT 1")
    finally:
        await conn.close()
    if not days:
        raise SystemExit("the seed recorded no day")
    found: date = days[0]["day"]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--vehicles", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not (DIST / "index.html").is_file():
        raise SystemExit("frontend/dist is missing: run scripts/frontend build first")
    subprocess.run([sys.executable, "-m", "bench.seed_api", "--database", DATABASE,  # noqa: S603
                    "--vehicles", str(args.vehicles), "--days", "2", "--jobs", "1"],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    dsn = database_dsn(DATABASE)
    keys = secret_keys()
    asyncio.run(ensure_login(dsn, keys))
    day = asyncio.run(seeded_day(dsn))
    port = free_port()
    env = {**os.environ, "DATABASE_URL": dsn, "NEVGUARD_SECRET_KEYS": keys,
           "NEVGUARD_API_PORT": str(port), "NEVGUARD_API_PRINCIPAL_RPM": "100000",
           "NEVGUARD_API_TENANT_RPM": "100000", "NEVGUARD_API_LOGIN_RPM": "10000"}
    api = subprocess.Popen([str(ROOT / ".venv" / "bin" / "nevguard"), "api"], env=env,  # noqa: S603
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: http_ok(f"{url}/healthz"), "the API")
        browser_env = {**os.environ, "NEVGUARD_BENCH_URL": url, "NEVGUARD_BENCH_EMAIL": EMAIL,
                       "NEVGUARD_BENCH_PASSWORD": PASSWORD, "NEVGUARD_BENCH_VIN": vin_for(0),
                       "NEVGUARD_BENCH_FROM": f"{day.isoformat()}T00:00:00Z",
                       "NEVGUARD_BENCH_TO": f"{(day + timedelta(days=1)).isoformat()}T00:00:00Z",
                       "NEVGUARD_BENCH_RUNS": str(args.runs)}
        measured = subprocess.run(["node", "e2e/bench.mjs"], cwd=ROOT / "frontend",  # noqa: S607
                                  env=browser_env, check=False, capture_output=True, text=True)
    finally:
        api.terminate()
        api.wait(timeout=15)
    if measured.returncode != 0:
        raise SystemExit(f"the browser part failed:\n{measured.stderr}")
    result = {"vehicles": args.vehicles, "day": str(day), "vin": vin_for(0),
              "browser": json.loads(measured.stdout.strip().splitlines()[-1]),
              "bundle": bundle_report()}
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "frontend.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
