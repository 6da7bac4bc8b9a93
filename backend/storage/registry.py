"""The shared registry the gateway reads: VIN -> tenant routing, upstream platform accounts
(0x05 login, §7.3) and terminal keys (§5, §14). The gateway caches these answers."""

from __future__ import annotations

import asyncio
import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

import asyncpg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from backend.core.tenancy import tenant_schema
from backend.storage.db import Conn, registry_vins
from backend.storage.errors import InvalidRegistryValue, UnknownTenant

VIN: Final = re.compile(r"[0-9A-Z]{17}")
USAGE_TYPES: Final = frozenset({"private", "operating"})
KEY_KINDS: Final = frozenset({"aes128", "sm4", "rsa", "sm2", "signature"})
# §7.3: STRING fields of 12 (username) and 20 (password) bytes, ASCII.
USERNAME_BYTES: Final = 12
PASSWORD_BYTES: Final = 20

_HASHER: Final = PasswordHasher()


@dataclass(frozen=True, slots=True)
class VehicleRoute:
    vin: str
    tenant_slug: str
    tenant_active: bool
    usage_type: str
    ack_realtime: bool | None


@dataclass(frozen=True, slots=True)
class PlatformAccount:
    id: int
    username: str
    tenant_slug: str | None  # None: may carry vehicles of any tenant
    enabled: bool
    max_vins: int | None
    frames_per_second: float | None
    ack_realtime: bool | None


@dataclass(frozen=True, slots=True)
class DeviceKey:
    unique_id: str
    key_kind: str
    key_material: bytes
    parameters: Mapping[str, Any]
    valid_from: datetime
    valid_until: datetime | None


_ROUTE_SELECT: Final = """
    SELECT v.vin::text AS vin, t.slug, t.status = 'active' AS active, v.usage_type,
           v.ack_realtime
      FROM nevguard.vehicles AS v JOIN nevguard.tenants AS t ON t.id = v.tenant_id"""
_ACCOUNT_SELECT: Final = """
    SELECT a.id, a.username, t.slug, a.enabled, a.max_vins, a.frames_per_second,
           a.ack_realtime, a.password_hash
      FROM nevguard.platform_accounts AS a LEFT JOIN nevguard.tenants AS t ON t.id = a.tenant_id"""


def _route(row: asyncpg.Record) -> VehicleRoute:
    return VehicleRoute(row["vin"], row["slug"], row["active"], row["usage_type"],
                        row["ack_realtime"])


def _account(row: asyncpg.Record) -> PlatformAccount:
    return PlatformAccount(row["id"], row["username"], row["slug"], row["enabled"],
                           row["max_vins"], row["frames_per_second"], row["ack_realtime"])


async def _tenant_id(conn: Conn, slug: str) -> int:
    tenant_schema(slug)
    tenant_id: int | None = await conn.fetchval(
        "SELECT id FROM nevguard.tenants WHERE slug = $1", slug)
    if tenant_id is None:
        raise UnknownTenant(slug)
    return tenant_id


async def add_vehicle(conn: Conn, vin: str, tenant_slug: str, *, model: str | None = None,
                      usage_type: str = "private", sale_date: date | None = None,
                      ack_realtime: bool | None = None) -> VehicleRoute:
    """Register a VIN for a tenant, or update its details when it is already that tenant's.
    A VIN registered to another tenant is refused: moving vehicles is a deliberate act."""
    if VIN.fullmatch(vin) is None:
        raise InvalidRegistryValue(f"VIN {vin!r}: expected 17 upper-case letters or digits")
    if usage_type not in USAGE_TYPES:
        raise InvalidRegistryValue(f"usage type {usage_type!r}: expected private or operating")
    tenant_id = await _tenant_id(conn, tenant_slug)
    stored = await conn.fetchval(
        """INSERT INTO nevguard.vehicles (vin, tenant_id, model, usage_type, sale_date,
                                          ack_realtime)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (vin) DO UPDATE
              SET model = excluded.model, usage_type = excluded.usage_type,
                  sale_date = excluded.sale_date, ack_realtime = excluded.ack_realtime
            WHERE vehicles.tenant_id = excluded.tenant_id
        RETURNING vin""",
        vin, tenant_id, model, usage_type, sale_date, ack_realtime)
    if stored is None:
        raise InvalidRegistryValue(f"VIN {vin} is registered to another tenant")
    route = await vehicle_route(conn, vin)
    if route is None:  # deleted concurrently: report it like any missing registration
        raise InvalidRegistryValue(f"VIN {vin} vanished while being registered")
    return route


async def vehicle_route(conn: Conn, vin: str) -> VehicleRoute | None:
    row = await conn.fetchrow(_ROUTE_SELECT + " WHERE v.vin = $1", vin)
    return None if row is None else _route(row)


async def vehicle_routes(conn: Conn, vins: Sequence[str] | None = None) -> list[VehicleRoute]:
    """Routing rows for the given VINs, or for every registered VIN (cache warm-up)."""
    if vins is None:
        rows = await conn.fetch(_ROUTE_SELECT + " ORDER BY v.vin")
    else:
        rows = await conn.fetch(
            _ROUTE_SELECT + f" WHERE v.vin = ANY({registry_vins('$1')}) ORDER BY v.vin",
            list(vins))
    return [_route(row) for row in rows]


def _check_ascii(label: str, value: str, limit: int) -> None:
    if not value or not value.isascii() or not value.isprintable() or len(value) > limit:
        raise InvalidRegistryValue(f"{label}: 1 to {limit} printable ASCII characters (§7.3)")


async def add_platform_account(conn: Conn, username: str, password: str, *,
                               tenant_slug: str | None = None, max_vins: int | None = None,
                               frames_per_second: float | None = None,
                               ack_realtime: bool | None = None) -> PlatformAccount:
    """Create an upstream platform account; the password is stored as an argon2 hash."""
    _check_ascii("username", username, USERNAME_BYTES)
    _check_ascii("password", password, PASSWORD_BYTES)
    tenant_id = None if tenant_slug is None else await _tenant_id(conn, tenant_slug)
    password_hash = await asyncio.to_thread(_HASHER.hash, password)
    try:
        await conn.execute(
            """INSERT INTO nevguard.platform_accounts
                   (username, password_hash, tenant_id, max_vins, frames_per_second, ack_realtime)
               VALUES ($1, $2, $3, $4, $5, $6)""",
            username, password_hash, tenant_id, max_vins, frames_per_second, ack_realtime)
    except asyncpg.UniqueViolationError:
        raise InvalidRegistryValue(f"platform account {username!r} exists") from None
    row = await conn.fetchrow(_ACCOUNT_SELECT + " WHERE a.username = $1", username)
    if row is None:
        raise InvalidRegistryValue(f"platform account {username!r} vanished while created")
    return _account(row)


async def verify_platform_login(conn: Conn, username: str,
                                password: str) -> PlatformAccount | None:
    """The enabled account whose password matches, else None (unknown, disabled or wrong
    password look the same to the caller). Hashing runs in a thread: argon2 is slow on
    purpose and must not stall the event loop."""
    row = await conn.fetchrow(_ACCOUNT_SELECT + " WHERE a.username = $1", username)
    stored_hash: str | None = None if row is None else row["password_hash"]
    if not await asyncio.to_thread(_verify, stored_hash, password):
        return None
    if row is None or stored_hash is None or not row["enabled"]:
        return None
    if _HASHER.check_needs_rehash(stored_hash):
        new_hash = await asyncio.to_thread(_HASHER.hash, password)
        await conn.execute("UPDATE nevguard.platform_accounts SET password_hash = $2 WHERE id = $1",
                           row["id"], new_hash)
    return _account(row)


@functools.cache
def _decoy_hash() -> str:
    """Verified when the username is unknown, so a miss costs as much as a wrong password."""
    return _HASHER.hash("nevguard-decoy")


def _verify(stored_hash: str | None, password: str) -> bool:
    try:
        _HASHER.verify(_decoy_hash() if stored_hash is None else stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    return stored_hash is not None


async def add_device_key(conn: Conn, unique_id: str, key_kind: str, key_material: bytes, *,
                         parameters: Mapping[str, Any] | None = None,
                         valid_from: datetime | None = None,
                         valid_until: datetime | None = None) -> None:
    if key_kind not in KEY_KINDS:
        raise InvalidRegistryValue(f"key kind {key_kind!r}: expected one of {sorted(KEY_KINDS)}")
    await conn.execute(
        """INSERT INTO nevguard.device_keys
               (unique_id, key_kind, key_material, parameters, valid_from, valid_until)
           VALUES ($1, $2, $3, $4::jsonb, coalesce($5, now()), $6)""",
        unique_id, key_kind, key_material, json.dumps(dict(parameters or {})), valid_from,
        valid_until)


async def device_keys(conn: Conn, *, at: datetime | None = None,
                      unique_ids: Sequence[str] | None = None) -> list[DeviceKey]:
    """Keys valid at ``at`` (default now): per unique id and kind, the newest one started."""
    rows = await conn.fetch(
        """SELECT DISTINCT ON (unique_id, key_kind)
                  unique_id::text AS unique_id, key_kind, key_material, parameters,
                  valid_from, valid_until
             FROM nevguard.device_keys
            WHERE valid_from <= coalesce($1, now())
              AND (valid_until IS NULL OR valid_until > coalesce($1, now()))
              AND ($2::text[] IS NULL OR unique_id = ANY($2::text[]))
            ORDER BY unique_id, key_kind, valid_from DESC""",
        at, None if unique_ids is None else list(unique_ids))
    return [DeviceKey(row["unique_id"], row["key_kind"], row["key_material"],
                      json.loads(row["parameters"]), row["valid_from"], row["valid_until"])
            for row in rows]


REJECTION_COLUMNS: Final = ("at", "peer", "unique_id", "reason", "detail")


async def record_rejections(conn: Conn, rows: Sequence[Sequence[object]]) -> None:
    """Append refused logins/frames to the security access log; rows are tuples in
    REJECTION_COLUMNS order with ``detail`` as JSON text (never a password)."""
    if rows:
        await conn.copy_records_to_table("gateway_rejections", schema_name="nevguard",
                                         records=rows, columns=REJECTION_COLUMNS)


async def platform_accounts_page(conn: Conn, *, after_id: int | None,
                                 limit: int) -> list[PlatformAccount]:
    """Up to ``limit`` accounts in id order after ``after_id`` (keyset paging)."""
    rows = await conn.fetch(_ACCOUNT_SELECT + " WHERE $1::bigint IS NULL OR a.id > $1"
                            " ORDER BY a.id LIMIT $2", after_id, limit)
    return [_account(row) for row in rows]


async def platform_account_exists(conn: Conn, username: str) -> bool:
    return bool(await conn.fetchval(
        "SELECT EXISTS (SELECT FROM nevguard.platform_accounts WHERE username = $1)", username))
