"""Upstream platform accounts (GB/T 32960 §7.3 0x05 platform login) managed by provider
staff; the gateway checks logins against them."""

from __future__ import annotations

from backend.core.access import Permission, Principal, check
from backend.core.tenancy import is_tenant_slug
from backend.services.errors import Conflict, InvalidInput, NotFound
from backend.services.paging import Page, id_cursor, page_of, page_size
from backend.storage import registry
from backend.storage.db import Conn, Pool
from backend.storage.errors import InvalidRegistryValue, UnknownTenant
from backend.storage.identity import shared_tx
from backend.storage.registry import PlatformAccount


async def list_accounts(db: Conn | Pool, actor: Principal, *, first: int,
                        after: str | None) -> Page[PlatformAccount]:
    check(actor, Permission.PLATFORM_ACCOUNTS_READ)
    size = page_size(first)
    async with shared_tx(db) as conn:
        rows = await registry.platform_accounts_page(conn, after_id=id_cursor(after),
                                                     limit=size + 1)
    return page_of(rows, size, lambda account: account.id)


async def create_account(db: Conn | Pool, actor: Principal, *, username: str, password: str,
                         tenant: str | None, max_vins: int | None,
                         frames_per_second: float | None) -> PlatformAccount:
    """The password is the one the upstream platform will send; only its hash is kept."""
    check(actor, Permission.PLATFORM_ACCOUNTS_MANAGE)
    if tenant is not None and not is_tenant_slug(tenant):
        raise NotFound(f"no tenant {tenant!r}")
    if max_vins is not None and max_vins < 1:
        raise InvalidInput("max_vins must be positive")
    if frames_per_second is not None and not 0 < frames_per_second <= 1_000_000:
        raise InvalidInput("frames_per_second must be positive")
    async with shared_tx(db) as conn:
        if await registry.platform_account_exists(conn, username):
            raise Conflict(f"platform account {username!r} exists")
        try:
            return await registry.add_platform_account(
                conn, username, password, tenant_slug=tenant, max_vins=max_vins,
                frames_per_second=frames_per_second)
        except UnknownTenant:
            raise NotFound(f"no tenant {tenant!r}") from None
        except InvalidRegistryValue as error:
            raise InvalidInput(error.detail) from None
