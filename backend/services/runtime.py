"""The long-lived resources of an API process, opened once at startup: the PostgreSQL pool,
the Redis client and the identity configuration. The transport holds this container and hands
its parts to the use cases; it never opens connections itself."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from redis.asyncio import Redis

from backend.services.auth_common import AuthConfig
from backend.settings import Settings
from backend.storage.db import Pool, create_pool


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    db: Pool
    redis: Redis
    auth: AuthConfig


@asynccontextmanager
async def open_services(settings: Settings, *, pool_size: int = 10) -> AsyncIterator[Services]:
    pool = await create_pool(settings, max_size=pool_size, application="nevguard-api",
                             statement_timeout=settings.api.statement_timeout)
    redis = Redis.from_url(settings.redis_url.reveal())
    try:
        yield Services(settings, pool, redis,
                       AuthConfig.from_settings(settings.auth, keyring=settings.secret_keys))
    finally:
        await redis.aclose()
        await pool.close()


async def health(services: Services) -> dict[str, bool]:
    """Whether each backing service answers right now (for /healthz)."""
    # Any failure means "not healthy": the probe reports, it does not diagnose.
    checks: dict[str, bool] = {}
    try:
        checks["postgres"] = await services.db.fetchval("SELECT true") is True
    except Exception:
        checks["postgres"] = False
    try:
        checks["redis"] = bool(await services.redis.ping())
    except Exception:
        checks["redis"] = False
    return checks
