"""Seed the demo: migrations, two tenants, the simulated fleet's VINs, one platform account and
one API user (an analyst of tenant ``demo``, who needs no second factor).

Run by scripts/demo with the services' environment; prints one JSON line per step. The fleet is
built with the same --vehicles/--seed as the simulator, so the VINs match the traffic.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
from datetime import UTC, datetime

import asyncpg

from backend.core.access import Principal, Role
from backend.services.auth_common import AuthConfig
from backend.services.users import create_user
from backend.settings import Settings, load_settings
from backend.storage import registry
from backend.storage.db import connect
from backend.storage.errors import InvalidRegistryValue
from backend.storage.migrate import migrate_all, migrate_shared
from backend.storage.tenants import provision_tenant
from gateway.simulator.fleet import FleetConfig, build_specs

TENANTS = {"demo": "示范汽车 Demo Motors", "acme": "Acme 新能源 Acme NEV"}
DEMO_USER = "analyst@demo.nevguard.test"
# The seed acts as the demo tenant's administrator; the service checks that role's rights.
SEED_ACTOR = Principal(subject="system:demo-seed", role=Role.TENANT_ADMIN, tenant="demo")


def tenant_for(index: int) -> str:
    """Every fifth vehicle belongs to the second tenant, so isolation is visible in the demo."""
    return "acme" if index % 5 == 4 else "demo"


async def seed_user(conn: asyncpg.Connection, settings: Settings, password: str) -> None:
    """The API login printed by scripts/demo; kept (with its password) across demo runs."""
    exists = await conn.fetchval(
        "SELECT EXISTS (SELECT FROM nevguard.users WHERE email = $1)", DEMO_USER)
    if not exists:
        config = AuthConfig.from_settings(settings.auth, keyring=settings.secret_keys)
        await create_user(conn, config, SEED_ACTOR,
                          tenant="demo", email=DEMO_USER, role=Role.ANALYST, password=password,
                          display_name="Demo analyst")


async def seed(vehicles: int, seed_value: int, platform_user: str, platform_password: str,
               user_password: str) -> None:
    settings = load_settings()
    conn = await connect(settings.database_url.reveal(), application="nevguard-demo-seed")
    try:
        await migrate_shared(conn)
        for slug, name in TENANTS.items():
            await provision_tenant(conn, slug, name=name)
        await migrate_all(conn)
        specs = build_specs(FleetConfig(start=datetime.now(UTC), vehicles=vehicles,
                                        seed=seed_value))
        for index, spec in enumerate(specs):
            await registry.add_vehicle(conn, spec.vin, tenant_for(index), model=spec.model.name,
                                       usage_type=spec.routine.usage.value)
        # An account kept from an earlier demo run has the same stored password.
        with contextlib.suppress(InvalidRegistryValue):
            await registry.add_platform_account(conn, platform_user, platform_password)
        await seed_user(conn, settings, user_password)
        print(json.dumps({"tenants": list(TENANTS), "vehicles": len(specs),
                          "platform_account": platform_user, "api_user": DEMO_USER},
                         ensure_ascii=False))
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vehicles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--platform-user", default="demoplat")
    args = parser.parse_args()
    password = os.environ["NEVGUARD_DEMO_PLATFORM_PASSWORD"]
    asyncio.run(seed(args.vehicles, args.seed, args.platform_user, password,
                     os.environ["NEVGUARD_DEMO_USER_PASSWORD"]))


if __name__ == "__main__":
    main()
