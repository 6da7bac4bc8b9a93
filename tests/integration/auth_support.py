"""Helpers for the identity service tests: configuration, users made straight in storage,
and the TOTP code of a provisioning URI."""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import asyncpg

from backend.core.access import Principal, Role
from backend.core.sealed_secrets import new_key_entry, parse_keyring
from backend.core.totp import decode_secret
from backend.services.auth_common import AuthConfig, hash_secret, user_principal
from backend.storage.identity import users

CONFIG = AuthConfig(issuer="https://nevguard.test", audience="nevguard-test",
                    access_token_ttl=timedelta(minutes=5), refresh_token_ttl=timedelta(days=1),
                    totp_issuer="NEVGuard Test",
                    keyring=parse_keyring(new_key_entry("test-kek")))
PASSWORD = "violet-kettle-orbit-42"


def email(prefix: str = "user") -> str:
    return f"{prefix}.{secrets.token_hex(4)}@example.test"


async def make_user(db: asyncpg.Connection, role: Role, tenant: str | None,
                    *, address: str | None = None) -> tuple[Principal, str]:
    """A user inserted directly (no TOTP secret even for roles that need one: those tests
    that exercise the second factor go through the service)."""
    address = address or email(role.value)
    user = await users.insert_user(db, tenant=tenant, email=address, role=role,
                                   password_hash=await hash_secret(PASSWORD),
                                   totp_required=False)
    return user_principal(user), address


def totp_secret(uri: str) -> bytes:
    return decode_secret(parse_qs(urlsplit(uri).query)["secret"][0])
