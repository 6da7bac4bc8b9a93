"""Administration commands: tenants, migrations, the VIN registry, upstream platform accounts.

    tenant create <slug> [--name NAME]
    tenant list
    migrate
    vehicle add <vin> --tenant SLUG [--model M] [--usage private|operating] [--sale-date D]
    platform-account add <username> --password-env VAR [--tenant SLUG]
    audit verify [--from SEQ] [--to SEQ]
    audit prune --older-than-days N
    secrets rotate

Results are printed as one JSON object per line; failures (bad arguments included) as
``{"error": {"code", "message"}}`` on stderr with exit status 1. ``audit verify`` exits with 2
when the chain is broken, its report naming the first broken entry. Passwords are only read
from an environment variable, so they never appear in the process list or shell history.
``migrate`` also seals secrets stored in plaintext before secrets were sealed at rest (when
NEVGUARD_SECRET_KEYS is set); ``secrets rotate`` re-seals every stored secret under the first
(active) key of NEVGUARD_SECRET_KEYS (docs/operations.md).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, NoReturn, TextIO

import msgspec

from backend.core.sealed_secrets import SealedSecretError, require_keyring
from backend.core.tenancy import InvalidTenantSlug
from backend.settings import Settings, SettingsError, load_settings
from backend.storage import audit_retention, registry
from backend.storage.db import Conn, connect
from backend.storage.errors import StorageError
from backend.storage.identity.sealing import SealReport, seal_stored_secrets
from backend.storage.migrate import migrate_all, migrate_shared
from backend.storage.tenants import Tenant, list_tenants, provision_tenant

_JSON = msgspec.json.Encoder()


class CliError(Exception):
    code = "cli.usage"


class _Parser(argparse.ArgumentParser):
    """Bad arguments become a CliError (a JSON error line) instead of argparse's usage text
    and exit status 2, which scripts reading our JSON could not parse."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nevguard", description="NEVGuard administration")
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

    audit = commands.add_parser("audit", help="the audit log (docs/audit.md)").add_subparsers(
        dest="action", required=True)
    verify = audit.add_parser("verify", help="check the hash chain (exit 2 when broken)")
    verify.add_argument("--from", dest="from_seq", type=int, metavar="SEQ")
    verify.add_argument("--to", dest="to_seq", type=int, metavar="SEQ")
    prune = audit.add_parser("prune", help="delete entries past the retention, checkpointed")
    prune.add_argument("--older-than-days", type=int, required=True, metavar="N")

    secrets = commands.add_parser("secrets", help="secrets at rest (docs/operations.md)"
                                  ).add_subparsers(dest="action", required=True)
    secrets.add_parser("rotate", help="re-seal every stored secret under the active key")
    return parser


def _seal_json(report: SealReport) -> dict[str, Any]:
    return {"totp_sealed": report.totp_sealed, "totp_resealed": report.totp_resealed,
            "signing_keys_sealed": report.signing_keys_sealed,
            "signing_keys_resealed": report.signing_keys_resealed}


def _tenant_json(tenant: Tenant) -> dict[str, Any]:
    return {"id": tenant.id, "slug": tenant.slug, "name": tenant.name, "status": tenant.status,
            "schema": tenant.schema, "created_at": tenant.created_at.isoformat(),
            "quotas": dict(tenant.quotas)}


async def _audit(args: argparse.Namespace, settings: Settings,
                 conn: Conn) -> list[dict[str, Any]]:
    if args.action == "verify":
        report = await audit_retention.verify(conn, from_seq=args.from_seq, to_seq=args.to_seq)
        broken = None if report.broken is None else {
            "seq": report.broken.seq, "reason": report.broken.reason.value,
            "message": report.broken.message}
        return [{"ok": report.ok, "first_seq": report.first_seq, "last_seq": report.last_seq,
                 "checked": report.checked, "checkpoint_seq": report.checkpoint_seq,
                 "head_seq": report.head_seq, "head_hash": report.head_hash.hex(),
                 "broken": broken}]
    pruned = await audit_retention.prune(
        conn, older_than=timedelta(days=args.older_than_days), actor_id="system:cli",
        at=datetime.now(UTC), retention=settings.audit.retention)
    return [{"checkpoint_seq": pruned.checkpoint_seq,
             "checkpoint_hash": pruned.checkpoint_hash.hex(), "deleted": pruned.deleted,
             "prune_entry_seq": pruned.prune_entry_seq}]


async def run(args: argparse.Namespace, settings: Settings) -> list[dict[str, Any]]:
    conn = await connect(settings.database_url.reveal(), application="nevguard-cli")
    try:
        if args.command == "audit":
            return await _audit(args, settings, conn)
        if args.command == "secrets":
            keyring = require_keyring(settings.secret_keys)
            return [{"active_key": keyring.active,
                     **_seal_json(await seal_stored_secrets(conn, keyring, reseal=True))}]
        if args.command == "migrate":
            results = [{"schema": report.schema, "applied": list(report.applied),
                        "skipped": len(report.skipped)} for report in await migrate_all(conn)]
            if settings.secret_keys is not None:
                sealed = await seal_stored_secrets(conn, settings.secret_keys, reseal=False)
                results.append({"secrets": _seal_json(sealed)})
            return results
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
    try:
        args = build_parser().parse_args(sys.argv[1:] if argv is None else list(argv))
        results = asyncio.run(run(args, settings or load_settings()))
    except (StorageError, InvalidTenantSlug, SettingsError, SealedSecretError, CliError) as error:
        code = getattr(error, "code", "cli.error")
        err.write(_JSON.encode({"error": {"code": code, "message": str(error)}}).decode() + "\n")
        return 1
    for result in results:
        out.write(_JSON.encode(result).decode() + "\n")
    # Only audit verify reports "ok"; a broken chain is a finding, not a failure to run.
    return 2 if any(result.get("ok") is False for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
