"""Access-token signing keys and the published key set (JWKS)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from backend.core.tokens import ALGORITHM, SigningKey
from backend.storage.db import Conn


async def active_key(conn: Conn) -> SigningKey | None:
    row = await conn.fetchrow(
        """SELECT kid, private_key_pem, public_jwk FROM nevguard.signing_keys
            WHERE activated_at IS NOT NULL AND activated_at <= now() AND retired_at IS NULL""")
    if row is None:
        return None
    return SigningKey(row["kid"], row["private_key_pem"], json.loads(row["public_jwk"]))


async def published_keys(conn: Conn) -> dict[str, Mapping[str, Any]]:
    """kid -> public JWK of every key a verifier may use now (the ``jwks`` view)."""
    rows = await conn.fetch("SELECT kid, public_jwk FROM nevguard.jwks ORDER BY created_at DESC")
    return {row["kid"]: json.loads(row["public_jwk"]) for row in rows}


async def activate_new_key(conn: Conn, key: SigningKey, *, grace: timedelta) -> None:
    """Make ``key`` the signing key. The previous one stops signing now and stays published
    for ``grace`` (the longest access-token lifetime), so the tokens it signed run out
    naturally instead of failing mid-flight. Run inside a transaction."""
    await conn.execute(
        """UPDATE nevguard.signing_keys SET retired_at = now() + $1
            WHERE activated_at IS NOT NULL AND retired_at IS NULL""", grace)
    await conn.execute(
        """INSERT INTO nevguard.signing_keys (kid, algorithm, private_key_pem, public_jwk,
                                              activated_at)
           VALUES ($1, $2, $3, $4::jsonb, now())""",
        key.kid, ALGORITHM, key.private_pem, json.dumps(dict(key.public_jwk)))
