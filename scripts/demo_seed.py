"""Seed the demo: migrations, two tenants, the simulated fleet's VINs, one platform account and
three API logins: an analyst of tenant ``demo`` (no second factor), the provider's platform
admin and the ``demo`` tenant's admin. Admins need TOTP: their provisioning URIs are written to
``--totp-dir`` (``.state/demo-totp``, never committed), where scripts/demo_totp.py reads them.

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
from pathlib import Path

import asyncpg

from backend.core.access import Principal, Role
from backend.services.auth_common import AuthConfig
from backend.services.users import NewUser, bootstrap_platform_admin, create_user
from backend.settings import Settings, load_settings
from backend.storage import registry
from backend.storage.db import connect
from backend.storage.errors import InvalidRegistryValue
from backend.storage.identity.sealing import seal_stored_secrets
from backend.storage.migrate import migrate_all, migrate_shared
from backend.storage.tenants import provision_tenant
from gateway.simulator.fleet import FleetConfig, build_specs
from scripts.demo_fleet import register_fleet

TENANTS = {"demo": "示范汽车 Demo Motors", "acme": "Acme 新能源 Acme NEV"}
DEMO_USER = "analyst@demo.nevguard.test"
PLATFORM_ADMIN = "admin@nevguard.test"
TENANT_ADMIN = "admin@demo.nevguard.test"
# The seed acts as the demo tenant's administrator, or as provider staff for the tenant's
# admin; the service checks that role's rights.
SEED_ACTOR = Principal(subject="system:demo-seed", role=Role.TENANT_ADMIN, tenant="demo")
PROVIDER_SEED_ACTOR = Principal(subject="system:demo-seed", role=Role.PLATFORM_ADMIN,
                                tenant=None)


def tenant_for(index: int) -> str:
    """Every fifth vehicle belongs to the second tenant, so isolation is visible in the demo."""
    return "acme" if index % 5 == 4 else "demo"


async def _exists(conn: asyncpg.Connection, email: str) -> bool:
    return bool(await conn.fetchval(
        "SELECT EXISTS (SELECT FROM nevguard.users WHERE email = $1)", email))


def _keep_totp(created: NewUser, totp_dir: Path) -> None:
    """The admin's otpauth URI, readable by the demo's owner only."""
    if created.totp_uri is None:
        raise RuntimeError(f"{created.user.email} was created without a second factor")
    totp_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = totp_dir / f"{created.user.email}.uri"
    path.touch(mode=0o600)
    path.write_text(created.totp_uri + "\n", encoding="utf-8")


async def seed_users(conn: asyncpg.Connection, settings: Settings, password: str,
                     totp_dir: Path) -> None:
    """The API logins printed by scripts/demo; kept (with their password and TOTP keys)
    across demo runs."""
    config = AuthConfig.from_settings(settings.auth, keyring=settings.secret_keys)
    if not await _exists(conn, DEMO_USER):
        await create_user(conn, config, SEED_ACTOR,
                          tenant="demo", email=DEMO_USER, role=Role.ANALYST, password=password,
                          display_name="Demo analyst")
    if not await _exists(conn, PLATFORM_ADMIN):
        _keep_totp(await bootstrap_platform_admin(conn, config, email=PLATFORM_ADMIN,
                                                  password=password), totp_dir)
    if not await _exists(conn, TENANT_ADMIN):
        _keep_totp(await create_user(conn, config, PROVIDER_SEED_ACTOR, tenant="demo",
                                     email=TENANT_ADMIN, role=Role.TENANT_ADMIN,
                                     password=password, display_name="Demo tenant admin"),
                   totp_dir)


async def seed(vehicles: int, seed_value: int, platform_user: str, platform_password: str,
               user_password: str, *, totp_dir: Path) -> None:
    settings = load_settings()
    conn = await connect(settings.database_url.reveal(), application="nevguard-demo-seed")
    try:
        await migrate_shared(conn)
        for slug, name in TENANTS.items():
            await provision_tenant(conn, slug, name=name)
        await migrate_all(conn)
        if settings.secret_keys is not None:
            await seal_stored_secrets(conn, settings.secret_keys, reseal=False)
        specs = build_specs(FleetConfig(start=datetime.now(UTC), vehicles=vehicles,
                                        seed=seed_value))
        await register_fleet(conn, specs, tenant_for)
        # An account kept from an earlier demo run has the same stored password.
        with contextlib.suppress(InvalidRegistryValue):
            await registry.add_platform_account(conn, platform_user, platform_password)
        await seed_users(conn, settings, user_password, totp_dir)
        print(json.dumps({"tenants": list(TENANTS), "vehicles": len(specs),
                          "platform_account": platform_user,
                          "api_users": [DEMO_USER, PLATFORM_ADMIN, TENANT_ADMIN]},
                         ensure_ascii=False))
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vehicles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--platform-user", default="demoplat")
    parser.add_argument("--totp-dir", type=Path, default=Path(".state/demo-totp"))
    args = parser.parse_args()
    password = os.environ["NEVGUARD_DEMO_PLATFORM_PASSWORD"]
    asyncio.run(seed(args.vehicles, args.seed, args.platform_user, password,
                     os.environ["NEVGUARD_DEMO_USER_PASSWORD"], totp_dir=args.totp_dir))


if __name__ == "__main__":
    main()
