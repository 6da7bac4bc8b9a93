"""Typed job contracts: how the API, the cron and the gateway ask the arq workers for work
(docs/operations.md). Jobs travel as JSON, never pickle, so nothing a producer writes to Redis
can run code in a worker; arguments are plain strings checked before they are queued.

A job id per (job, tenant) makes enqueueing idempotent while that job waits: a burst of
requests for one tenant's rollups queues one refresh, not a thousand.
"""

from __future__ import annotations

import enum
from typing import Any, Final

import msgspec
from arq.connections import ArqRedis, RedisSettings, create_pool

from backend.core.tenancy import tenant_schema

QUEUE_NAME: Final = "nevguard:jobs"
_ENCODER: Final = msgspec.json.Encoder()


class JobName(enum.StrEnum):
    REFRESH_ROLLUPS = "refresh_rollups"
    DELIVER_NOTIFICATIONS = "deliver_notifications"


def serialize_job(value: dict[str, Any]) -> bytes:
    return _ENCODER.encode(value)


def deserialize_job(data: bytes) -> dict[str, Any]:
    decoded = msgspec.json.decode(data)
    if not isinstance(decoded, dict):
        raise msgspec.DecodeError("a job is a JSON object")
    return decoded


async def job_pool(redis_url: str, *, queue_name: str = QUEUE_NAME) -> ArqRedis:
    """A Redis client that enqueues with the workers' queue and serializer."""
    return await create_pool(RedisSettings.from_dsn(redis_url), job_serializer=serialize_job,
                             job_deserializer=deserialize_job, default_queue_name=queue_name)


def job_id(name: JobName, tenant_slug: str) -> str:
    return f"{name.value}:{tenant_slug}"


async def enqueue_rollup_refresh(pool: ArqRedis, tenant_slug: str) -> bool:
    """Queue a refresh of the tenant's hourly rollups; False when one is already waiting."""
    tenant_schema(tenant_slug)  # InvalidTenantSlug before anything reaches Redis
    job = await pool.enqueue_job(JobName.REFRESH_ROLLUPS.value, tenant_slug,
                                 _job_id=job_id(JobName.REFRESH_ROLLUPS, tenant_slug))
    return job is not None


async def enqueue_notification_delivery(pool: ArqRedis, tenant_slug: str) -> bool:
    """Queue a run of the tenant's due alarm notifications; False when one is waiting."""
    tenant_schema(tenant_slug)
    job = await pool.enqueue_job(JobName.DELIVER_NOTIFICATIONS.value, tenant_slug,
                                 _job_id=job_id(JobName.DELIVER_NOTIFICATIONS, tenant_slug))
    return job is not None
