"""The workers' tests: a database of their own for the session, a database pool and an arq
Redis client on a queue of each test's own, so no other worker on the same Redis (a running
demo, another test run) takes their jobs."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace

import pytest
from arq.connections import ArqRedis

from backend.settings import Settings, load_settings
from backend.storage.db import Pool, create_pool_for
from backend.storage.jobs import job_pool
from tests.session_database import session_database


@pytest.fixture(scope="session")
def worker_database_url(service_settings: Settings) -> Iterator[str]:
    with session_database(service_settings.database_url.reveal(), "nevguard_workers") as dsn:
        yield dsn


@pytest.fixture
def worker_settings(service_settings: Settings, worker_database_url: str) -> Settings:
    scheme = "https" if service_settings.s3_secure else "http"
    on_test_database = load_settings({
        "DATABASE_URL": worker_database_url, "REDIS_URL": service_settings.redis_url.reveal(),
        "S3_ENDPOINT": f"{scheme}://{service_settings.s3_endpoint}",
        "S3_ACCESS_KEY": service_settings.s3_access_key,
        "S3_SECRET_KEY": service_settings.s3_secret_key.reveal()}, env_file=None)
    return replace(on_test_database, secret_keys=service_settings.secret_keys)


@pytest.fixture
def queue_name() -> str:
    return f"nevguard:test-jobs:{secrets.token_hex(6)}"


@pytest.fixture
async def pool(worker_database_url: str) -> AsyncIterator[Pool]:
    created = await create_pool_for(worker_database_url, max_size=2)
    try:
        yield created
    finally:
        await created.close()


@pytest.fixture
async def queue(worker_settings: Settings, queue_name: str) -> AsyncIterator[ArqRedis]:
    redis = await job_pool(worker_settings.redis_url.reveal(), queue_name=queue_name)
    try:
        yield redis
    finally:
        await redis.delete(queue_name)
        await redis.aclose()
