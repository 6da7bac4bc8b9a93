"""Creating users: directly (bootstrap, provider staff creating a tenant's first admin) or
through an invitation the new user accepts with a password of their own."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from backend.core.access import (
    AccessDenied,
    Permission,
    Principal,
    Role,
    assignable_roles,
    check,
    is_provider_role,
    totp_required,
)
from backend.core.passwords import check_password
from backend.core.totp import SECRET_BYTES, provisioning_uri
from backend.services.auth_common import (
    AuthConfig,
    hash_secret,
    new_opaque_token,
    normalize_email,
    token_hash,
    user_id_of,
)
from backend.services.auth_errors import InvalidInvitation, InvalidRequest
from backend.storage.db import Conn, Pool
from backend.storage.identity import shared_tx, users
from backend.storage.identity.users import InvitationRecord, UserRecord

INVITATION_PREFIX: Final = "nvi_"
INVITATION_TTL: Final = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class NewUser:
    user: UserRecord
    # otpauth:// URI to show once as a QR code, when the role needs a second factor.
    totp_uri: str | None


@dataclass(frozen=True, slots=True)
class Invitation:
    record: InvitationRecord
    token: str  # sent to the invitee; only its hash is stored


def _authorize_assignment(actor: Principal, tenant: str | None, role: Role,
                          permission: Permission) -> None:
    """``permission`` inside the tenant, or the provider permission that stands for it, and
    a role the actor may hand out (a tenant admin never makes provider staff)."""
    if tenant is None:
        check(actor, Permission.PROVIDER_STAFF_MANAGE)
    elif is_provider_role(actor.role):
        check(actor, Permission.TENANT_ADMINS_MANAGE)
    else:
        check(actor, permission, tenant=tenant)
    if role not in assignable_roles(actor, tenant=tenant):
        raise AccessDenied(permission, f"role {role.value} is not assignable here")


async def _insert(conn: Conn, config: AuthConfig, *, tenant: str | None, email: str,
                  role: Role, password: str, display_name: str) -> NewUser:
    normalized = check_password(password, identities=(email, display_name))
    user = await users.insert_user(conn, tenant=tenant, email=email, role=role,
                                   password_hash=await hash_secret(normalized),
                                   display_name=display_name,
                                   totp_required=totp_required(role))
    if not user.totp_required:
        return NewUser(user, None)
    secret = secrets.token_bytes(SECRET_BYTES)
    await users.set_totp_secret(conn, user.id, secret, config.keyring)
    uri = provisioning_uri(secret, account=email, issuer=config.totp_issuer)
    return NewUser(user, uri)


async def create_user(db: Conn | Pool, config: AuthConfig, actor: Principal, *,
                      tenant: str | None, email: str, role: Role, password: str,
                      display_name: str = "") -> NewUser:
    _authorize_assignment(actor, tenant, role, Permission.USERS_MANAGE)
    address = normalize_email(email)
    async with shared_tx(db) as conn:
        return await _insert(conn, config, tenant=tenant, email=address, role=role,
                             password=password, display_name=display_name)


async def bootstrap_platform_admin(db: Conn | Pool, config: AuthConfig, *, email: str,
                                   password: str) -> NewUser:
    """The first provider admin of a new platform, from the CLI; refused once any exists,
    so it cannot become a back door."""
    address = normalize_email(email)
    async with shared_tx(db) as conn:
        await conn.execute("LOCK TABLE nevguard.users IN SHARE ROW EXCLUSIVE MODE")
        if await conn.fetchval("SELECT EXISTS (SELECT FROM nevguard.users "
                               "WHERE role = 'platform_admin')"):
            raise InvalidRequest("a platform admin exists; create users through them")
        return await _insert(conn, config, tenant=None, email=address,
                             role=Role.PLATFORM_ADMIN, password=password, display_name="")


async def invite(db: Conn | Pool, actor: Principal, *, tenant: str | None, email: str,
                 role: Role) -> Invitation:
    _authorize_assignment(actor, tenant, role, Permission.INVITATIONS_MANAGE)
    inviter = user_id_of(actor)
    if inviter is None:
        raise AccessDenied(Permission.INVITATIONS_MANAGE, "only people invite people")
    token = new_opaque_token(INVITATION_PREFIX)
    async with shared_tx(db) as conn:
        record = await users.insert_invitation(
            conn, tenant=tenant, email=normalize_email(email), role=role,
            token_hash=token_hash(token), invited_by=inviter,
            expires_at=datetime.now(UTC) + INVITATION_TTL)
    return Invitation(record, token)


async def accept_invitation(db: Conn | Pool, config: AuthConfig, token: str, *,
                            password: str, display_name: str = "") -> NewUser:
    """Create the invited user with their own password. The token works once, before it
    expires, and only if the inviter's tenant still exists."""
    async with shared_tx(db) as conn:
        record = await users.invitation_by_token_hash(conn, token_hash(token))
        if (record is None or record.accepted_at is not None or record.revoked_at is not None
                or record.expires_at <= datetime.now(UTC)):
            raise InvalidInvitation("unknown, used or expired invitation")
        await users.mark_invitation_accepted(conn, record.id)
        return await _insert(conn, config, tenant=record.tenant, email=record.email,
                             role=record.role, password=password, display_name=display_name)
