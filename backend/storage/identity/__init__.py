"""Identity tables of the shared schema (migrations/shared/0004_identity.sql): users and
invitations, sessions and refresh tokens, signing keys, API clients and support grants.

Plain queries, no decisions: who may do what is checked by backend/services against
backend/core/access.py before these run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from backend.storage.db import Conn, Pool
from backend.storage.errors import NestedTransaction, StorageError


class IdentityConflict(StorageError):
    """A unique identity value (e-mail, client id) is taken."""

    code = "storage.identity_conflict"


@asynccontextmanager
async def shared_tx(target: Conn | Pool) -> AsyncIterator[Conn]:
    """A transaction on the shared schema (a pooled connection when given the pool). Like
    ``tenant_tx`` it refuses to nest: identity changes commit or roll back as one."""
    if isinstance(target, asyncpg.Pool):
        async with target.acquire() as pooled, pooled.transaction():
            yield pooled
        return
    if target.is_in_transaction():
        raise NestedTransaction("shared_tx needs a connection outside any transaction")
    async with target.transaction():
        yield target
