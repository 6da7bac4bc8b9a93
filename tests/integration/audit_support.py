"""Helpers for the audit tests: a database of its own per test (the chain is platform-wide, and
tampering tests break it on purpose) and entry builders."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from urllib.parse import urlsplit

import asyncpg

from backend.core.audit import ActorKind, AuditEntry, Result
from backend.storage.db import connect
from backend.storage.migrate import migrate_shared


@asynccontextmanager
async def own_database(url: str) -> AsyncIterator[tuple[str, asyncpg.Connection]]:
    """A freshly migrated database next to ``url``'s; dropped afterwards."""
    name = f"nevguard_audit_{secrets.token_hex(5)}"
    admin = await connect(url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template1')
        dsn = urlsplit(url)._replace(path=f"/{name}").geturl()
        conn = await connect(dsn)
        try:
            await migrate_shared(conn)
            yield dsn, conn
        finally:
            await conn.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def make_entry(actor: str = "user:1", *, actor_tenant: str | None = "acme",
               tenant: str | None = "acme", operation: str = "vehicle.read",
               result: Result = Result.OK, at: datetime | None = None,
               kind: ActorKind = ActorKind.USER, ip: str | None = "10.0.0.1",
               **details: str | int) -> AuditEntry:
    return AuditEntry(at=at or datetime.now(UTC), actor_kind=kind, actor_id=actor,
                      operation=operation, result=result, actor_tenant=actor_tenant,
                      role="viewer", tenant=tenant, targets=("LNBSCB3F5HG000001",), ip=ip,
                      user_agent="pytest", request_id=secrets.token_hex(4), details=details)
