"""Administration commands: tenants, migrations, the VIN registry, upstream platform accounts.

    tenant create <slug> [--name NAME]
    tenant list
    migrate
    vehicle add <vin> --tenant SLUG [--model M] [--usage private|operating] [--sale-date D]
    platform-account add <username> --password-env VAR [--tenant SLUG]

Results are printed as one JSON object per line; failures as ``{"error": {"code", "message"}}``
on stderr with exit status 1. Passwords are only read from an environment variable, so they
never appear in the process list or shell history.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO

import msgspec

from backend.core.tenancy import InvalidTenantSlug
from backend.settings import Settings, SettingsError, load_settings
from backend.storage import registry
from backend.storage.db import connect
from backend.storage.errors import StorageError
from backend.storage.migrate import migrate_all, migrate_shared
from backend.storage.tenants import Tenant, list_tenants, provision_tenant

_JSON = msgspec.json.Encoder()


class CliError(Exception):
    code = "cli.usage"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nevguard", description="NEVGuard administration")
    commands = parser.add_subparsers(dest="command", required=True)

    tenant = commands.add_parser("tenant", help="create or list tenants").add_subparsers(
        dest="action", required=True)
    create = tenant.add_parser("create", help="create a tenant and its schema (idempotent)")
    create.add_argument("slug")
    create.add_argument("--name")
    tenant.add_parser("list", help="list tenants")

    commands.add_parser("migrate", help="migrate the shared schema and every tenant schema")

    vehicle = commands.add_parser("vehicle", help="the VIN registry").add_subparsers(
        dest="action", required=True)
    add_vehicle = vehicle.add_parser("add", help="register a VIN for a tenant")
    add_vehicle.add_argument("vin")
    add_vehicle.add_argument("--tenant", required=True)
    add_vehicle.add_argument("--model")
    add_vehicle.add_argument("--usage", choices=sorted(registry.USAGE_TYPES), default="private")
    add_vehicle.add_argument("--sale-date", type=date.fromisoformat)

    account = commands.add_parser("platform-account", help="upstream platforms (0x05 login)"
                                  ).add_subparsers(dest="action", required=True)
    add_account = account.add_parser("add", help="create a platform account")
    add_account.add_argument("username")
    add_account.add_argument("--password-env", required=True, metavar="VAR",
                             help="name of the environment variable holding the password")
    add_account.add_argument("--tenant", help="restrict the account to one tenant's vehicles")
    return parser


def _tenant_json(tenant: Tenant) -> dict[str, Any]:
    return {"id": tenant.id, "slug": tenant.slug, "name": tenant.name, "status": tenant.status,
            "schema": tenant.schema, "created_at": tenant.created_at.isoformat(),
            "quotas": dict(tenant.quotas)}


async def run(args: argparse.Namespace, settings: Settings) -> list[dict[str, Any]]:
    conn = await connect(settings.database_url.reveal(), application="nevguard-cli")
    try:
        if args.command == "migrate":
            return [{"schema": report.schema, "applied": list(report.applied),
                     "skipped": len(report.skipped)} for report in await migrate_all(conn)]
        if args.command == "tenant" and args.action == "list":
            return [_tenant_json(tenant) for tenant in await list_tenants(conn)]
        if args.command == "tenant":
            await migrate_shared(conn)
            tenant, report = await provision_tenant(conn, args.slug, name=args.name)
            return [{**_tenant_json(tenant), "migrations_applied": list(report.applied)}]
        if args.command == "vehicle":
            route = await registry.add_vehicle(conn, args.vin, args.tenant, model=args.model,
                                               usage_type=args.usage, sale_date=args.sale_date)
            return [{"vin": route.vin, "tenant": route.tenant_slug, "usage": route.usage_type}]
        password = os.environ.get(args.password_env)
        if not password:
            raise CliError(f"environment variable {args.password_env} is not set")
        account = await registry.add_platform_account(conn, args.username, password,
                                                      tenant_slug=args.tenant)
        return [{"id": account.id, "username": account.username,
                 "tenant": account.tenant_slug, "enabled": account.enabled}]
    finally:
        await conn.close()


def main(argv: Sequence[str] | None = None, *, settings: Settings | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    args = build_parser().parse_args(sys.argv[1:] if argv is None else list(argv))
    try:
        results = asyncio.run(run(args, settings or load_settings()))
    except (StorageError, InvalidTenantSlug, SettingsError, CliError) as error:
        code = getattr(error, "code", "cli.error")
        err.write(_JSON.encode({"error": {"code": code, "message": str(error)}}).decode() + "\n")
        return 1
    for result in results:
        out.write(_JSON.encode(result).decode() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
