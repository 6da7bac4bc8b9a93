"""The real services answer with the settings scripts/services hands out, and they check
credentials: PostgreSQL (with pg_partman), Redis with a password, S3 with signatures."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
import redis.asyncio as redis_asyncio
import urllib3
from minio import Minio
from minio.error import S3Error
from redis.exceptions import AuthenticationError, ResponseError

from backend.settings import Settings

pytestmark = pytest.mark.services


def s3_client(settings: Settings, secret_key: str | None = None) -> Minio:
    return Minio(
        settings.s3_endpoint,
        access_key=settings.s3_access_key,
        secret_key=secret_key or settings.s3_secret_key.reveal(),
        secure=settings.s3_secure,
    )


@pytest.fixture
def s3_object(service_settings: Settings) -> Iterator[tuple[str, bytes]]:
    """A fresh object in the bucket, removed afterwards."""
    client = s3_client(service_settings)
    name = f"tests/{uuid.uuid4().hex}.bin"
    body = uuid.uuid4().bytes * 4
    client.put_object(service_settings.s3_bucket, name, io.BytesIO(body), len(body))
    yield name, body
    client.remove_object(service_settings.s3_bucket, name)


async def test_postgres_answers_and_has_pg_partman(service_settings: Settings) -> None:
    connection = await asyncpg.connect(service_settings.database_url.reveal(), timeout=10)
    try:
        version = await connection.fetchval("SELECT version()")
        partman = await connection.fetchval(
            "SELECT extversion FROM pg_extension WHERE extname = 'pg_partman'"
        )
    finally:
        await connection.close()
    assert version.startswith("PostgreSQL ")
    assert partman is not None, "pg_partman is not installed in the database"


async def test_postgres_rejects_a_wrong_password(service_settings: Settings) -> None:
    url = service_settings.database_url
    with pytest.raises(asyncpg.InvalidPasswordError):
        await asyncpg.connect(
            host=url.host, port=url.port, database=url.path, user="nevguard", password="wrong"
        )


async def test_redis_needs_the_password(service_settings: Settings) -> None:
    client = redis_asyncio.Redis.from_url(service_settings.redis_url.reveal())
    try:
        assert await client.ping() is True
    finally:
        await client.aclose()
    url = service_settings.redis_url
    anonymous = redis_asyncio.Redis(host=url.host, port=url.port or 6379)
    try:
        with pytest.raises((AuthenticationError, ResponseError)):
            await anonymous.ping()
    finally:
        await anonymous.aclose()


def test_s3_put_and_get(service_settings: Settings, s3_object: tuple[str, bytes]) -> None:
    name, body = s3_object
    response = s3_client(service_settings).get_object(service_settings.s3_bucket, name)
    try:
        assert response.read() == body
    finally:
        response.close()
        response.release_conn()


def test_s3_presigned_url_works_until_it_expires(
    service_settings: Settings, s3_object: tuple[str, bytes]
) -> None:
    name, body = s3_object
    client = s3_client(service_settings)
    fresh = client.presigned_get_object(service_settings.s3_bucket, name, timedelta(minutes=5))
    assert urllib3.request("GET", fresh).data == body
    # Signed ten minutes ago for one minute: expired, without waiting in the test.
    expired = client.get_presigned_url(
        "GET",
        service_settings.s3_bucket,
        name,
        expires=timedelta(minutes=1),
        request_date=datetime.now(UTC) - timedelta(minutes=10),
    )
    response = urllib3.request("GET", expired)
    assert response.status == 403
    assert b"expired" in response.data.lower()


def test_s3_rejects_a_wrong_secret_key(
    service_settings: Settings, s3_object: tuple[str, bytes]
) -> None:
    name, _ = s3_object
    impostor = s3_client(service_settings, secret_key="not-the-secret-key")
    with pytest.raises(S3Error) as caught:
        impostor.stat_object(service_settings.s3_bucket, name)
    assert caught.value.code in {"SignatureDoesNotMatch", "AccessDenied", "Forbidden"}


def test_s3_rejects_anonymous_reads(
    service_settings: Settings, s3_object: tuple[str, bytes]
) -> None:
    name, _ = s3_object
    scheme = "https" if service_settings.s3_secure else "http"
    url = f"{scheme}://{service_settings.s3_endpoint}/{service_settings.s3_bucket}/{name}"
    assert urllib3.request("GET", url).status == 403
