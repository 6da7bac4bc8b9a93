"""OAuth2 clients of OEM systems: created by tenant admins, authenticated with the
client-credentials grant (RFC 6749 §4.4) and limited to their scopes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Final

from backend.core.access import (
    AccessDenied,
    Permission,
    Principal,
    Role,
    UnknownScope,
    check,
    parse_scope,
)
from backend.core.tokens import AccessClaims
from backend.services.auth_common import (
    AuthConfig,
    hash_secret,
    mint_access_token,
    new_opaque_token,
    user_id_of,
    verify_secret,
)
from backend.services.auth_errors import InvalidClient, InvalidRequest, InvalidScope, NotFound
from backend.storage.db import Conn, Pool
from backend.storage.identity import clients, shared_tx
from backend.storage.identity.clients import ApiClientRecord

SECRET_PREFIX: Final = "nvs_"  # noqa: S105 - a marker for secret scanners, not a secret


@dataclass(frozen=True, slots=True)
class NewClient:
    client: ApiClientRecord
    secret: str  # shown once; only its argon2 hash is stored


@dataclass(frozen=True, slots=True)
class ClientToken:
    access_token: str
    expires_in: int
    scope: str


async def create_client(db: Conn | Pool, actor: Principal, *, tenant: str, name: str,
                        scope: str) -> NewClient:
    check(actor, Permission.API_CLIENTS_MANAGE, tenant=tenant)
    creator = user_id_of(actor)
    if creator is None:
        raise AccessDenied(Permission.API_CLIENTS_MANAGE, "clients are created by people")
    try:
        scopes = parse_scope(scope)
    except UnknownScope as error:
        raise InvalidScope(error.detail) from None
    if not scopes or not name.strip():
        raise InvalidRequest("a client needs a name and at least one scope")
    secret = new_opaque_token(SECRET_PREFIX)
    client_id = f"{tenant.replace('_', '-')}-{secrets.token_hex(6)}"
    async with shared_tx(db) as conn:
        record = await clients.insert_client(conn, tenant=tenant, client_id=client_id,
                                             name=name.strip(),
                                             secret_hash=await hash_secret(secret),
                                             scopes=scopes, created_by=creator)
    return NewClient(record, secret)


async def set_client_enabled(db: Conn | Pool, actor: Principal, *, tenant: str,
                             client_id: str, enabled: bool) -> None:
    """Disabling also ends the client's outstanding tokens: verification checks it."""
    check(actor, Permission.API_CLIENTS_MANAGE, tenant=tenant)
    async with shared_tx(db) as conn:
        record = await clients.client_by_id(conn, client_id)
        if record is None or record.tenant != tenant:
            raise NotFound("no such client in this tenant")
        await clients.set_client_enabled(conn, client_id, enabled)


async def client_credentials_token(db: Conn | Pool, config: AuthConfig, *, client_id: str,
                                   client_secret: str, scope: str | None = None) -> ClientToken:
    """An access token for the client; ``scope`` may narrow the client's scopes, never widen
    them (RFC 6749 §3.3). No refresh token: the client simply asks again (§4.4.3)."""
    async with shared_tx(db) as conn:
        record = await clients.client_by_id(conn, client_id)
        matches = await verify_secret(None if record is None else record.secret_hash,
                                      client_secret)
        if record is None or not matches or not record.enabled or not record.tenant_active:
            raise InvalidClient("unknown client or wrong secret")
        try:
            requested = record.scopes if scope is None else parse_scope(scope)
        except UnknownScope:
            raise InvalidScope("unknown scope") from None
        if not requested or not requested <= record.scopes:
            raise InvalidScope("scope beyond what the client was given")
        principal = Principal(f"client:{record.client_id}", Role.API_CLIENT, record.tenant,
                              requested)
        token, claims = await mint_access_token(conn, config, principal)
    return ClientToken(token, _lifetime(claims), " ".join(sorted(requested)))


def _lifetime(claims: AccessClaims) -> int:
    return claims.expires_at - claims.issued_at
