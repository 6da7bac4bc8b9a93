"""Fixtures for the API tests: a database of their own on the real PostgreSQL (shared schema
migrated), the real Redis, the services container and the app, driven in-process through
httpx2's ASGI transport (scripts/services)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx2
import pytest
from api_support import ApiWorld, RecordingSink, api_settings

from backend.api.app import create_app
from backend.api.graphql.limits import QueryLimits
from backend.services.runtime import Services, open_services
from backend.settings import Settings
from tests.session_database import session_database

pytestmark = pytest.mark.services


@pytest.fixture(scope="session")
def api_database_url(service_settings: Settings) -> Iterator[str]:
    with session_database(service_settings.database_url.reveal(), "nevguard_api") as dsn:
        yield dsn


@pytest.fixture
def settings(service_settings: Settings, api_database_url: str) -> Settings:
    return api_settings(service_settings, api_database_url)


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    async with open_services(settings, pool_size=4) as opened:
        yield opened


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


@pytest.fixture
async def client(settings: Settings, services: Services,
                 sink: RecordingSink) -> AsyncIterator[httpx2.AsyncClient]:
    app = create_app(settings, services, audit=sink, limits=QueryLimits())
    # https: the session cookies are Secure and httpx2 only sends them back over TLS.
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app),
                                 base_url="https://api.test") as http:
        yield http


@pytest.fixture
async def world(services: Services, client: httpx2.AsyncClient) -> ApiWorld:
    return await ApiWorld.build(services, client)
