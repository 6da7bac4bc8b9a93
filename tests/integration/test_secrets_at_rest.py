"""TOTP keys and signing keys are sealed at rest: the migration of plaintext rows, rows bound to
their context, rotation by ``nevguard secrets rotate`` (docs/auth.md, docs/operations.md)."""

from __future__ import annotations

import asyncio
import io
import json
import secrets
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest

from backend import cli
from backend.core.access import Role
from backend.core.sealed_secrets import (
    SecretUnreadable,
    UnknownKeyId,
    new_key_entry,
    parse_keyring,
)
from backend.core.tokens import new_signing_key
from backend.core.totp import totp
from backend.services import auth
from backend.services.auth_common import hash_secret, signing_key
from backend.settings import Settings, load_settings
from backend.storage.identity import users
from tests.integration.auth_support import CONFIG, PASSWORD
from tests.session_database import migrated_database

pytestmark = pytest.mark.services

TOTP_KEY = b"0123456789abcdef0123"


async def _plaintext_admin(conn: asyncpg.Connection, address: str) -> int:
    """A provider admin enrolled the way rows were written before migration 0007."""
    user_id: int = await conn.fetchval(
        """INSERT INTO nevguard.users (email, role, password_hash, totp_required, totp_secret)
           VALUES ($1, 'platform_admin', $2, true, $3) RETURNING id""",
        address, await hash_secret(PASSWORD), TOTP_KEY)
    return user_id


def _settings(service: Settings, dsn: str, secret_keys: str) -> Settings:
    scheme = "https" if service.s3_secure else "http"
    return load_settings({
        "DATABASE_URL": dsn, "REDIS_URL": service.redis_url.reveal(),
        "S3_ENDPOINT": f"{scheme}://{service.s3_endpoint}",
        "S3_ACCESS_KEY": service.s3_access_key, "S3_SECRET_KEY": service.s3_secret_key.reveal(),
        "NEVGUARD_SECRET_KEYS": secret_keys}, env_file=None)


def _cli(settings: Settings, *argv: str) -> tuple[int, list[dict[str, Any]], str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(argv), settings=settings, stdout=out, stderr=err)
    return status, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


async def test_migrate_seals_plaintext_rows_and_logins_go_on(service_settings: Settings,
                                                            test_database_url: str) -> None:
    async with migrated_database(test_database_url, "nevguard_sealing", target=6) as (dsn, conn):
        await _plaintext_admin(conn, "legacy@example.test")
        legacy_key = new_signing_key()
        await conn.execute(
            """INSERT INTO nevguard.signing_keys (kid, algorithm, private_key_pem, public_jwk,
                                                  activated_at)
               VALUES ($1, 'ES256', $2, $3::jsonb, now())""",
            legacy_key.kid, legacy_key.private_pem, json.dumps(dict(legacy_key.public_jwk)))
        entry = new_key_entry("k1")
        settings = _settings(service_settings, dsn, entry)
        config = replace(CONFIG, keyring=parse_keyring(entry))

        status, reports, _ = await asyncio.to_thread(_cli, settings, "migrate")
        assert status == 0 and 7 in reports[0]["applied"]
        assert reports[-1] == {"secrets": {"totp_sealed": 1, "totp_resealed": 0,
                                           "signing_keys_sealed": 1,
                                           "signing_keys_resealed": 0}}
        row = await conn.fetchrow(
            "SELECT totp_secret, totp_secret_sealed FROM nevguard.users")
        assert row["totp_secret"] is None and TOTP_KEY not in row["totp_secret_sealed"]
        key_row = await conn.fetchrow(
            "SELECT private_key_pem, private_key_sealed FROM nevguard.signing_keys")
        assert key_row["private_key_pem"] is None
        assert b"PRIVATE KEY" not in key_row["private_key_sealed"]

        assert (await signing_key(conn, config.keyring)).private_pem == legacy_key.private_pem
        pair = await auth.login(conn, config, "legacy@example.test", PASSWORD,
                                totp_code=totp(TOTP_KEY, datetime.now(UTC)))
        assert pair.access_token
        # Idempotent: nothing left in plaintext, nothing to do.
        status, reports, _ = await asyncio.to_thread(_cli, settings, "migrate")
        assert status == 0 and reports[-1]["secrets"]["totp_sealed"] == 0


async def test_a_sealed_secret_moved_to_another_row_does_not_open(db: asyncpg.Connection) -> None:
    keyring = CONFIG.keyring
    first, second = [await users.insert_user(
        db, tenant=None, email=f"{name}.{secrets.token_hex(3)}@example.test",
        role=Role.PLATFORM_ADMIN, password_hash=await hash_secret(PASSWORD), totp_required=True)
        for name in ("first", "second")]
    await users.set_totp_secret(db, first.id, TOTP_KEY, keyring)
    await users.set_totp_secret(db, second.id, b"another-key-of-20-by", keyring)
    await db.execute(
        """UPDATE nevguard.users SET totp_secret_sealed = (
               SELECT totp_secret_sealed FROM nevguard.users WHERE id = $1) WHERE id = $2""",
        first.id, second.id)
    moved = await users.user_by_id(db, second.id)
    assert moved is not None and moved.totp_secret is not None
    with pytest.raises(SecretUnreadable):
        moved.totp_secret.reveal(keyring)
    own = await users.user_by_id(db, first.id)
    assert own is not None and own.totp_secret is not None
    assert own.totp_secret.reveal(keyring) == TOTP_KEY


async def test_rotation_reseals_under_the_new_key(service_settings: Settings,
                                                  test_database_url: str) -> None:
    async with migrated_database(test_database_url, "nevguard_sealing") as (dsn, conn):
        old_entry, new_entry = new_key_entry("old"), new_key_entry("new")
        old, new_only = parse_keyring(old_entry), parse_keyring(new_entry)
        user_id = await _plaintext_admin(conn, "rotate@example.test")
        await users.set_totp_secret(conn, user_id, TOTP_KEY, old)
        original = await signing_key(conn, old)
        settings = _settings(service_settings, dsn, f"{new_entry},{old_entry}")

        status, (report,), _ = await asyncio.to_thread(_cli, settings, "secrets", "rotate")
        assert status == 0 and report == {"active_key": "new", "totp_sealed": 0,
                                          "totp_resealed": 1, "signing_keys_sealed": 0,
                                          "signing_keys_resealed": 1}
        # The old key can go: everything opens under the new one alone.
        stored = await users.user_by_id(conn, user_id)
        assert stored is not None and stored.totp_secret is not None
        assert stored.totp_secret.reveal(new_only) == TOTP_KEY
        assert (await signing_key(conn, new_only)).private_pem == original.private_pem
        with pytest.raises(UnknownKeyId):
            stored.totp_secret.reveal(old)
        status, (again,), _ = await asyncio.to_thread(_cli, settings, "secrets", "rotate")
        assert status == 0 and again["totp_resealed"] == again["signing_keys_resealed"] == 0


async def test_rotate_without_a_keyring_is_a_typed_error(service_settings: Settings) -> None:
    status, out, err = await asyncio.to_thread(
        _cli, replace(service_settings, secret_keys=None), "secrets", "rotate")
    assert status == 1 and not out
    assert json.loads(err)["error"]["code"] == "secrets.keyring_missing"
