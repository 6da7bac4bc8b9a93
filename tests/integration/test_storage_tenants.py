"""Tenant provisioning and the tenant transaction: the search path is set for one transaction
only, so a pooled connection never carries one tenant's path into another's work."""

from __future__ import annotations

import secrets

import asyncpg
import pytest
import storage_rows as rows

from backend.core.tenancy import InvalidTenantSlug
from backend.storage.db import create_pool_for, tenant_tx
from backend.storage.errors import NestedTransaction, UnknownTenant
from backend.storage.ingest import write_batch
from backend.storage.tenants import get_tenant, list_tenants, provision_tenant

pytestmark = pytest.mark.services


async def test_provisioning_is_idempotent(db: asyncpg.Connection, fresh_slug: str) -> None:
    tenant, report = await provision_tenant(db, fresh_slug, name="Acme Motors",
                                            quotas={"vehicles": 1000})
    again, second = await provision_tenant(db, fresh_slug, name="Renamed")
    assert report.applied and second.applied == ()
    assert again == tenant
    assert (tenant.name, tenant.status, tenant.quotas) == ("Acme Motors", "active",
                                                           {"vehicles": 1000})
    assert tenant.schema == f"t_{fresh_slug}"
    assert await db.fetchval("SELECT to_regnamespace($1) IS NOT NULL", tenant.schema)
    assert fresh_slug in [t.slug for t in await list_tenants(db)]
    assert await get_tenant(db, fresh_slug) == tenant


async def test_bad_or_unknown_slugs_are_refused(db: asyncpg.Connection) -> None:
    with pytest.raises(InvalidTenantSlug):
        await provision_tenant(db, "Bad-Slug")
    assert not await db.fetchval("SELECT EXISTS (SELECT FROM nevguard.tenants "
                                 "WHERE slug = 'Bad-Slug')")
    with pytest.raises(UnknownTenant):
        await get_tenant(db, "nobody_here")


async def test_no_search_path_leaks_between_tenants_on_one_pooled_connection(
    test_database_url: str, db: asyncpg.Connection
) -> None:
    first, second = (f"t{secrets.token_hex(5)}" for _ in range(2))
    for slug, vin in ((first, rows.VIN_A), (second, rows.VIN_B)):
        await provision_tenant(db, slug)
        await write_batch(db, slug, latest_rows=[rows.latest(vin)])
    pool = await create_pool_for(test_database_url, min_size=1, max_size=1)
    seen = {}
    try:
        # Held across both tenants: the pool's RESET ALL on release must not be what saves us.
        async with pool.acquire() as conn:
            default_path = await conn.fetchval("SHOW search_path")
            for slug in (first, second, first):
                async with tenant_tx(conn, slug) as tx:
                    # The same statement text (asyncpg caches it) must see each tenant's table.
                    seen[slug] = (await tx.fetchval("SHOW search_path"),
                                  await tx.fetchval("SELECT vin FROM latest_state"),
                                  await tx.fetchval("SELECT pg_backend_pid()"))
                assert await conn.fetchval("SHOW search_path") == default_path
                assert await conn.fetchval("SELECT to_regclass('latest_state')") is None
        # And through the pool itself, which hands out the same single connection.
        async with tenant_tx(pool, second) as tx:
            assert await tx.fetchval("SELECT pg_backend_pid()") == seen[first][2]
            assert await tx.fetchval("SELECT vin FROM latest_state") == rows.VIN_B
        assert await pool.fetchval("SHOW search_path") == default_path
    finally:
        await pool.close()
    assert seen[first][:2] == (f"t_{first}", rows.VIN_A)
    assert seen[second][:2] == (f"t_{second}", rows.VIN_B)
    assert seen[first][2] == seen[second][2], "both transactions ran on the one connection"


async def test_a_failed_tenant_transaction_leaves_the_default_path(
    db: asyncpg.Connection, fresh_slug: str
) -> None:
    await provision_tenant(db, fresh_slug)
    default_path = await db.fetchval("SHOW search_path")
    with pytest.raises(asyncpg.UndefinedTableError):
        async with tenant_tx(db, fresh_slug) as tx:
            await tx.execute("SELECT * FROM no_such_table")
    assert await db.fetchval("SHOW search_path") == default_path


async def test_tenant_transactions_do_not_nest(db: asyncpg.Connection, fresh_slug: str) -> None:
    await provision_tenant(db, fresh_slug)
    async with db.transaction():
        with pytest.raises(NestedTransaction):
            async with tenant_tx(db, fresh_slug):
                pass


async def test_repair_undoes_a_session_level_path_change(
    db: asyncpg.Connection, fresh_slug: str
) -> None:
    # pg_partman sets search_path with set_config(..., false) inside our transaction; the
    # repair helper must leave only the transaction-local value behind.
    await provision_tenant(db, fresh_slug)
    default_path = await db.fetchval("SHOW search_path")
    async with tenant_tx(db, fresh_slug) as tx:
        await tx.execute("SELECT set_config('search_path', $1, false)", f"t_{fresh_slug}")
        await tx.execute("SELECT nevguard.repair_session_search_path()")
        assert await tx.fetchval("SHOW search_path") == f"t_{fresh_slug}"
    assert await db.fetchval("SHOW search_path") == default_path
