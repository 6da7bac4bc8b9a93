"""Sealing stored secrets: the plaintext rows written before migration 0007, and re-sealing
under the keyring's active KEK after a rotation (``nevguard migrate`` and
``nevguard secrets rotate``; docs/operations.md).

Each run is one transaction holding the rows it rewrites, so a concurrent enrolment or key
rotation waits instead of being overwritten; rows already sealed under the active key are left
alone, so the commands are idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.core.sealed_secrets import Keyring
from backend.storage.db import Conn
from backend.storage.identity.keys import private_key_context
from backend.storage.identity.users import totp_context


@dataclass(frozen=True, slots=True)
class SealReport:
    totp_sealed: int  # plaintext TOTP keys sealed
    totp_resealed: int  # sealed under an older KEK, now under the active one
    signing_keys_sealed: int
    signing_keys_resealed: int


async def seal_stored_secrets(conn: Conn, keyring: Keyring, *, reseal: bool) -> SealReport:
    """Seal every plaintext secret; with ``reseal`` also move every sealed one to the active
    KEK (each must open under a key the keyring still holds, or the run fails and changes
    nothing)."""
    async with conn.transaction():
        totp = await _seal_totp(conn, keyring, reseal=reseal)
        keys = await _seal_signing_keys(conn, keyring, reseal=reseal)
    return SealReport(totp[0], totp[1], keys[0], keys[1])


async def _seal_totp(conn: Conn, keyring: Keyring, *, reseal: bool) -> tuple[int, int]:
    sealed = resealed = 0
    rows = await conn.fetch(
        """SELECT id, totp_secret, totp_secret_sealed FROM nevguard.users
            WHERE totp_secret IS NOT NULL OR ($1 AND totp_secret_sealed IS NOT NULL)
            ORDER BY id FOR UPDATE""", reseal)
    for row in rows:
        context = totp_context(row["id"])
        if row["totp_secret"] is not None:
            plaintext, sealed = row["totp_secret"], sealed + 1
        elif keyring.is_current(row["totp_secret_sealed"]):
            continue
        else:
            plaintext, resealed = keyring.open(row["totp_secret_sealed"], context), resealed + 1
        await conn.execute(
            """UPDATE nevguard.users SET totp_secret = NULL, totp_secret_sealed = $2
                WHERE id = $1""", row["id"], keyring.seal(plaintext, context))
    return sealed, resealed


async def _seal_signing_keys(conn: Conn, keyring: Keyring, *, reseal: bool) -> tuple[int, int]:
    sealed = resealed = 0
    rows = await conn.fetch(
        """SELECT kid, private_key_pem, private_key_sealed FROM nevguard.signing_keys
            WHERE private_key_pem IS NOT NULL OR ($1 AND private_key_sealed IS NOT NULL)
            ORDER BY kid FOR UPDATE""", reseal)
    for row in rows:
        context = private_key_context(row["kid"])
        if row["private_key_pem"] is not None:
            plaintext, sealed = row["private_key_pem"].encode("ascii"), sealed + 1
        elif keyring.is_current(row["private_key_sealed"]):
            continue
        else:
            plaintext, resealed = keyring.open(row["private_key_sealed"], context), resealed + 1
        await conn.execute(
            """UPDATE nevguard.signing_keys SET private_key_pem = NULL, private_key_sealed = $2
                WHERE kid = $1""", row["kid"], keyring.seal(plaintext, context))
    return sealed, resealed
