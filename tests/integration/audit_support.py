"""Helpers for the audit tests: a database of its own per test (the chain is platform-wide, and
tampering tests break it on purpose) and entry builders."""

from __future__ import annotations

import secrets
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime

import asyncpg

from backend.core.audit import ActorKind, AuditEntry, Result
from tests.session_database import migrated_database


def own_database(url: str) -> AbstractAsyncContextManager[tuple[str, asyncpg.Connection]]:
    """A freshly migrated database next to ``url``'s; dropped afterwards."""
    return migrated_database(url, "nevguard_audit")


def make_entry(actor: str = "user:1", *, actor_tenant: str | None = "acme",
               tenant: str | None = "acme", operation: str = "vehicle.read",
               result: Result = Result.OK, at: datetime | None = None,
               kind: ActorKind = ActorKind.USER, ip: str | None = "10.0.0.1",
               **details: str | int) -> AuditEntry:
    return AuditEntry(at=at or datetime.now(UTC), actor_kind=kind, actor_id=actor,
                      operation=operation, result=result, actor_tenant=actor_tenant,
                      role="viewer", tenant=tenant, targets=("LNBSCB3F5HG000001",), ip=ip,
                      user_agent="pytest", request_id=secrets.token_hex(4), details=details)
