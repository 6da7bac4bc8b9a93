"""What the identity services share: configuration, argon2 hashing off the event loop,
opaque token hashing, the user principal and access-token minting."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from backend.core.access import Principal
from backend.core.passwords import LockoutPolicy
from backend.core.sealed_secrets import Keyring
from backend.core.tokens import (
    AccessClaims,
    SigningKey,
    access_claims,
    new_signing_key,
    sign_access_token,
)
from backend.services.auth_errors import InvalidRequest
from backend.settings import AuthSettings
from backend.storage.db import Conn
from backend.storage.identity import keys as key_store
from backend.storage.identity.users import UserRecord

_HASHER: Final = PasswordHasher()
# Deliberately loose: the real check is that the invitation mail arrives.
_EMAIL: Final = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}")
_KEY_LOCK: Final = "nevguard.signing_keys"


@dataclass(frozen=True, slots=True)
class AuthConfig:
    issuer: str
    audience: str
    access_token_ttl: timedelta
    refresh_token_ttl: timedelta
    totp_issuer: str
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    # Seals TOTP and signing keys at rest; without one, sealing or opening is KeyringMissing.
    keyring: Keyring | None = None

    @classmethod
    def from_settings(cls, settings: AuthSettings, *, keyring: Keyring | None) -> AuthConfig:
        return cls(settings.issuer, settings.audience, settings.access_token_ttl,
                   settings.refresh_token_ttl, settings.totp_issuer, keyring=keyring)


def normalize_email(email: str) -> str:
    normalized = email.strip().lower()
    if _EMAIL.fullmatch(normalized) is None:
        raise InvalidRequest("not an e-mail address")
    return normalized


async def hash_secret(value: str) -> str:
    # argon2 is slow on purpose; in a thread it does not stall every other request.
    return await asyncio.to_thread(_HASHER.hash, value)


@functools.cache
def _decoy_hash() -> str:
    return _HASHER.hash(secrets.token_urlsafe(16))


async def verify_secret(stored_hash: str | None, value: str) -> bool:
    """argon2 check; with no stored hash (unknown user or client) a decoy is verified, so a
    miss costs the same time as a wrong password."""
    return await asyncio.to_thread(_verify, stored_hash, value)


def _verify(stored_hash: str | None, value: str) -> bool:
    try:
        _HASHER.verify(_decoy_hash() if stored_hash is None else stored_hash, value)
    except (VerificationError, InvalidHashError):
        return False
    return stored_hash is not None


def new_opaque_token(prefix: str) -> str:
    """A 256-bit random bearer value; the prefix lets secret scanners recognise leaks."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> bytes:
    # SHA-256 suffices for 256-bit random values: nothing to brute-force, unlike passwords.
    return hashlib.sha256(token.encode()).digest()


def user_principal(user: UserRecord, session_id: str | None = None) -> Principal:
    return Principal(f"user:{user.id}", user.role, user.tenant, None, session_id)


def user_id_of(principal: Principal) -> int | None:
    kind, _, value = principal.subject.partition(":")
    return int(value) if kind == "user" and value.isdigit() else None


async def signing_key(conn: Conn, keyring: Keyring | None) -> SigningKey:
    """The active key; the first call on a new platform creates one (under a lock, so two
    processes starting together do not both try)."""
    key = await key_store.active_key(conn, keyring)
    if key is not None:
        return key
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", _KEY_LOCK)
        key = await key_store.active_key(conn, keyring)
        if key is None:
            key = new_signing_key()
            await key_store.activate_new_key(conn, key, keyring, grace=timedelta(0))
    return key


async def rotate_key(conn: Conn, grace: timedelta, keyring: Keyring | None) -> SigningKey:
    key = new_signing_key()
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", _KEY_LOCK)
        await key_store.activate_new_key(conn, key, keyring, grace=grace)
    return key


async def mint_access_token(conn: Conn, config: AuthConfig,
                            principal: Principal) -> tuple[str, AccessClaims]:
    claims = access_claims(principal, issuer=config.issuer, audience=config.audience,
                           token_id=secrets.token_urlsafe(16), now=int(time.time()),
                           lifetime=config.access_token_ttl)
    return sign_access_token(claims, await signing_key(conn, config.keyring)), claims
