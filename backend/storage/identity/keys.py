"""Access-token signing keys and the published key set (JWKS). Private keys are stored sealed
under the keyring's active KEK, bound to their kid (docs/auth.md)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from backend.core.sealed_secrets import Keyring, StoredSecret, require_keyring
from backend.core.tokens import ALGORITHM, SigningKey
from backend.storage.db import Conn


def private_key_context(kid: str) -> str:
    return f"nevguard.signing_keys.private_key:{kid}"


async def active_key(conn: Conn, keyring: Keyring | None) -> SigningKey | None:
    row = await conn.fetchrow(
        """SELECT kid, private_key_pem, private_key_sealed, public_jwk
             FROM nevguard.signing_keys
            WHERE activated_at IS NOT NULL AND activated_at <= now() AND retired_at IS NULL""")
    if row is None:
        return None
    context = private_key_context(row["kid"])
    stored = (StoredSecret(row["private_key_sealed"], sealed=True, context=context)
              if row["private_key_sealed"] is not None else
              StoredSecret(row["private_key_pem"].encode("ascii"), sealed=False, context=context))
    return SigningKey(row["kid"], stored.reveal(keyring).decode("ascii"),
                      json.loads(row["public_jwk"]))


async def published_keys(conn: Conn) -> dict[str, Mapping[str, Any]]:
    """kid -> public JWK of every key a verifier may use now (the ``jwks`` view)."""
    rows = await conn.fetch("SELECT kid, public_jwk FROM nevguard.jwks ORDER BY created_at DESC")
    return {row["kid"]: json.loads(row["public_jwk"]) for row in rows}


async def activate_new_key(conn: Conn, key: SigningKey, keyring: Keyring | None, *,
                           grace: timedelta) -> None:
    """Make ``key`` the signing key. The previous one stops signing now and stays published
    for ``grace`` (the longest access-token lifetime), so the tokens it signed run out
    naturally instead of failing mid-flight. Run inside a transaction."""
    sealed = require_keyring(keyring).seal(key.private_pem.encode("ascii"),
                                           private_key_context(key.kid))
    await conn.execute(
        """UPDATE nevguard.signing_keys SET retired_at = now() + $1
            WHERE activated_at IS NOT NULL AND retired_at IS NULL""", grace)
    await conn.execute(
        """INSERT INTO nevguard.signing_keys (kid, algorithm, private_key_sealed, public_jwk,
                                              activated_at)
           VALUES ($1, $2, $3, $4::jsonb, now())""",
        key.kid, ALGORITHM, sealed, json.dumps(dict(key.public_jwk)))
