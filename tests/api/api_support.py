"""Helpers of the API tests: settings for the test database, an audit sink that keeps what it
is told, and a small world of two tenants with one signed-in actor per role."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx2

from backend.api.app import create_app
from backend.api.audit import AuditEvent
from backend.api.graphql.limits import QueryLimits
from backend.core.access import PROVIDER_ROLES, TENANT_USER_ROLES, Role
from backend.core.sealed_secrets import new_key_entry
from backend.services import api_clients
from backend.services.auth_common import hash_secret, user_principal
from backend.services.runtime import Services, open_services
from backend.settings import Settings, load_settings
from backend.storage.identity import users
from backend.storage.migrate import migrate_shared
from backend.storage.tenants import provision_tenant

PASSWORD = "violet-kettle-orbit-42"
# A KEK of this test run only: what the API seals TOTP and signing keys with.
TEST_SECRET_KEYS = new_key_entry("test-kek")
ALL_SCOPES = ("alarms:read", "alarms:write", "exports", "fleet:read", "raw_frames:read",
              "registry:write", "telemetry:read")


def api_settings(services: Settings, database_url: str, **environment: str) -> Settings:
    """The services' settings on the test database, with rate limits high enough that only
    the tests about them meet them."""
    return load_settings({
        "DATABASE_URL": database_url,
        "REDIS_URL": services.redis_url.reveal(),
        "S3_ENDPOINT": services.s3_endpoint,
        "S3_ACCESS_KEY": services.s3_access_key,
        "S3_SECRET_KEY": services.s3_secret_key.reveal(),
        "NEVGUARD_API_LOGIN_RPM": "100000",
        "NEVGUARD_API_ANONYMOUS_RPM": "100000",
        "NEVGUARD_API_PRINCIPAL_RPM": "100000",
        "NEVGUARD_API_TENANT_RPM": "100000",
        "NEVGUARD_SECRET_KEYS": TEST_SECRET_KEYS,
        **environment,
    }, env_file=None)


@dataclass
class RecordingSink:
    events: list[AuditEvent] = field(default_factory=list)

    async def record(self, event: AuditEvent) -> None:
        self.events.append(event)

    def operations(self, outcome: str | None = None) -> list[str]:
        return [e.operation for e in self.events if outcome is None or e.outcome == outcome]


@dataclass
class Actor:
    role: Role
    tenant: str | None
    email: str
    token: str
    user_id: int | None = None  # None for the API client

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def fresh_slug() -> str:
    return f"t{secrets.token_hex(5)}"


async def login(client: httpx2.AsyncClient, email: str, password: str = PASSWORD) -> str:
    answer = await client.post("/auth/login", json={"email": email, "password": password,
                                                    "session": "token"})
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


async def gql(client: httpx2.AsyncClient, query: str, variables: dict[str, Any] | None = None,
              *, headers: dict[str, str] | None = None) -> dict[str, Any]:
    answer = await client.post("/graphql", json={"query": query, "variables": variables or {}},
                               headers=headers or {})
    body: dict[str, Any] = answer.json()
    return body


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


@dataclass
class ApiWorld:
    services: Services
    client: httpx2.AsyncClient
    tenant_a: str
    tenant_b: str
    actors: dict[tuple[Role, str | None], Actor]

    def actor(self, role: Role, tenant: str | None = None) -> Actor:
        return self.actors[(role, tenant)]

    @classmethod
    async def build(cls, services: Services, client: httpx2.AsyncClient) -> ApiWorld:
        tenant_a, tenant_b = fresh_slug(), fresh_slug()
        password_hash = await hash_secret(PASSWORD)
        actors: dict[tuple[Role, str | None], Actor] = {}
        async with services.db.acquire() as conn:
            await migrate_shared(conn)
            for slug in (tenant_a, tenant_b):
                await provision_tenant(conn, slug)
            places = [(role, None) for role in PROVIDER_ROLES] + [
                (role, slug) for slug in (tenant_a, tenant_b) for role in TENANT_USER_ROLES]
            records = []
            for role, tenant in places:
                email = f"{role.value}.{secrets.token_hex(4)}@example.test"
                records.append(await users.insert_user(
                    conn, tenant=tenant, email=email, role=role, password_hash=password_hash,
                    totp_required=False))
        for record in records:
            token = await login(client, record.email)
            actors[(record.role, record.tenant)] = Actor(record.role, record.tenant,
                                                         record.email, token, record.id)
        for slug in (tenant_a, tenant_b):
            admin = next(r for r in records if r.tenant == slug and r.role is Role.TENANT_ADMIN)
            created = await api_clients.create_client(
                services.db, user_principal(admin), tenant=slug, name="oem system",
                scope=" ".join(ALL_SCOPES))
            answer = await client.post("/oauth/token", data={
                "grant_type": "client_credentials", "client_id": created.client.client_id,
                "client_secret": created.secret})
            assert answer.status_code == 200, answer.text
            actors[(Role.API_CLIENT, slug)] = Actor(Role.API_CLIENT, slug,
                                                    created.client.client_id,
                                                    answer.json()["access_token"])
        return cls(services, client, tenant_a, tenant_b, actors)


@asynccontextmanager
async def api_client(settings: Settings, *, limits: QueryLimits | None = None,
                     sink: RecordingSink | None = None) -> AsyncIterator[httpx2.AsyncClient]:
    """A client of an app with its own settings (and so its own services and limits)."""
    async with open_services(settings, pool_size=2) as services:
        app = create_app(settings, services, audit=sink or RecordingSink(), limits=limits)
        # Its own client address: per-IP rate counters of other tests do not count here.
        address = "127." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))
        transport = httpx2.ASGITransport(app=app, client=(address, 40000))
        async with httpx2.AsyncClient(transport=transport,
                                     base_url="https://api.test") as client:
            yield client


async def signed_in(services: Services, client: httpx2.AsyncClient, role: Role,
                    tenant: str | None = None) -> Actor:
    """One user of ``role`` (in ``tenant``, which is created when missing), signed in."""
    email = f"{role.value}.{secrets.token_hex(4)}@example.test"
    async with services.db.acquire() as conn:
        await migrate_shared(conn)
        if tenant is not None:
            await provision_tenant(conn, tenant)
        record = await users.insert_user(conn, tenant=tenant, email=email, role=role,
                                         password_hash=await hash_secret(PASSWORD),
                                         totp_required=False)
    return Actor(role, tenant, email, await login(client, email), record.id)


async def outside_minute_edge() -> None:
    """Rate windows are whole minutes: start each counted burst well inside one, with room
    for a loaded machine (a login hashes a password; a burst can take seconds)."""
    if time.time() % 60 > 40:
        await asyncio.sleep(61 - time.time() % 60)
