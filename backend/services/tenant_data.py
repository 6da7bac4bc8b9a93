"""What every tenant data use case does first: check the permission (with the support-grant
case, through ``support.authorize``, the one place that turns a grant into access), then open
one tenant transaction; plus the shared argument checks (VIN, page size, clock).

The tenant is an explicit argument, never taken from the principal: provider staff have no
tenant of their own and act inside the tenant that granted them support access.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from backend.core.access import Permission, Principal
from backend.core.data_errors import InvalidArgument, LimitExceeded, NotFound
from backend.core.vehicles import clean_vin
from backend.services.support import authorize
from backend.settings import DataSettings
from backend.storage.db import Conn, Pool, tenant_tx
from backend.storage.vehicle_registry import is_registered


@asynccontextmanager
async def tenant_use_case(db: Conn | Pool, actor: Principal, tenant: str,
                          permission: Permission) -> AsyncIterator[Conn]:
    """Raises backend.core.access.AccessDenied before anything of the tenant is read."""
    await authorize(db, actor, permission, tenant=tenant)
    async with tenant_tx(db, tenant) as conn:
        yield conn


async def tenant_vehicle(conn: Conn, tenant: str, vin: str) -> str:
    """The normalised VIN when the tenant has registered it; NotFound otherwise, whether the
    VIN is unknown or another tenant's."""
    cleaned = clean_vin(vin)
    if not await is_registered(conn, tenant, cleaned):
        raise NotFound("no such vehicle", field="vin")
    return cleaned


def page_size(requested: int | None, default: int, maximum: int, limit_name: str) -> int:
    if requested is None:
        return default
    if requested < 1:
        raise InvalidArgument("a page holds at least one item", field="first",
                              reason="out_of_range")
    if requested > maximum:
        raise LimitExceeded(limit_name, maximum, f"a page of {requested} was asked for")
    return requested


def point_budget(requested: int | None, limits: DataSettings) -> int:
    return page_size(requested, limits.points_default, limits.points_max, "points_max")


def clock(now: datetime | None) -> datetime:
    """``now`` for tests and reproducible reports, else the current time."""
    if now is not None and now.tzinfo is None:
        raise InvalidArgument("times need a UTC offset", field="now")
    return now or datetime.now(UTC)
