"""Access-token key rotation and the JWKS document verifiers fetch."""

from __future__ import annotations

from typing import Any

from backend.core.access import Permission, Principal, check
from backend.core.sealed_secrets import Keyring
from backend.core.tokens import MAX_ACCESS_LIFETIME
from backend.services.auth_common import rotate_key
from backend.storage.db import Conn, Pool
from backend.storage.identity import keys as key_store
from backend.storage.identity import shared_tx


async def rotate_signing_key(db: Conn | Pool, actor: Principal, keyring: Keyring | None) -> str:
    """Start signing with a new key and return its kid. The old key stays published for the
    longest access-token lifetime, so no token it signed fails before it expires."""
    check(actor, Permission.SIGNING_KEYS_ROTATE)
    async with shared_tx(db) as conn:
        return (await rotate_key(conn, MAX_ACCESS_LIFETIME, keyring)).kid


async def jwks_document(db: Conn | Pool) -> dict[str, list[dict[str, Any]]]:
    """RFC 7517 §5 key set of every key a token may currently be signed with; public."""
    async with shared_tx(db) as conn:
        keys = await key_store.published_keys(conn)
    return {"keys": [dict(jwk) for jwk in keys.values()]}
