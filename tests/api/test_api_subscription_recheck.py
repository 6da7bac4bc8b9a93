"""A running subscription ends when its caller's access ends: the access token expires, the
session is revoked (logout, the user disabled, the role changed) or the support grant it
streams under is revoked. A real websocket client on the real services; the re-check runs
every 0.2 s here (30 s by default) and the expiry test mints 2-second access tokens."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest
from api_support import PASSWORD, RecordingSink, api_settings, fresh_slug
from redis import Redis
from starlette.testclient import TestClient, WebSocketTestSession

from backend.api.app import create_app
from backend.api.graphql.limits import QueryLimits
from backend.core.access import Role
from backend.services.auth_common import hash_secret
from backend.settings import Settings
from backend.storage.db import connect
from backend.storage.identity import users
from backend.storage.live import events_channel
from backend.storage.migrate import migrate_shared
from backend.storage.tenants import provision_tenant

pytestmark = pytest.mark.services
PROTOCOL = ["graphql-transport-ws"]
EVENTS = "subscription ($t: String) { fleetEvents(tenant: $t) { vin kind } }"
RECHECK = 0.2


async def _people(settings: Settings, tenant: str) -> dict[str, tuple[str, int]]:
    """role name -> (e-mail, user id): the tenant's admin and viewer, a platform operator."""
    people = {}
    conn = await connect(settings.database_url.reveal())
    try:
        await migrate_shared(conn)
        await provision_tenant(conn, tenant)
        for role, home in ((Role.TENANT_ADMIN, tenant), (Role.VIEWER, tenant),
                           (Role.ANALYST, tenant), (Role.PLATFORM_OPERATOR, None)):
            email = f"recheck.{secrets.token_hex(4)}@example.test"
            record = await users.insert_user(conn, tenant=home, email=email, role=role,
                                             password_hash=await hash_secret(PASSWORD),
                                             totp_required=False)
            people[role.value] = (email, record.id)
    finally:
        await conn.close()
    return people


@pytest.fixture
def redis(settings: Settings) -> Iterator[Redis]:
    client = Redis.from_url(settings.redis_url.reveal())
    yield client
    client.close()


def _client(settings: Settings, sink: RecordingSink) -> TestClient:
    app = create_app(settings, audit=sink,
                     limits=QueryLimits(subscription_recheck_seconds=RECHECK))
    return TestClient(app, base_url="https://api.test")


def _token(client: TestClient, email: str) -> str:
    answer = client.post("/auth/login", json={"email": email, "password": PASSWORD,
                                              "session": "token"})
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


def _gql(client: TestClient, token: str, query: str, **variables: Any) -> dict[str, Any]:
    body: dict[str, Any] = client.post("/graphql", json={"query": query, "variables": variables},
                                       headers={"Authorization": f"Bearer {token}"}).json()
    assert not body.get("errors"), body
    return body


def _socket(client: TestClient) -> WebSocketTestSession:
    return client.websocket_connect("/graphql", subprotocols=PROTOCOL)


def _subscribe(socket: WebSocketTestSession, token: str, redis: Redis, tenant: str,
               named: str | None = None) -> None:
    socket.send_json({"type": "connection_init",
                      "payload": {"Authorization": f"Bearer {token}"}})
    assert socket.receive_json()["type"] == "connection_ack"
    socket.send_json({"id": "events", "type": "subscribe",
                      "payload": {"query": EVENTS, "variables": {"t": named}}})
    channel = events_channel(tenant)
    deadline = time.monotonic() + 10
    while dict(redis.pubsub_numsub(channel)).get(channel.encode(), 0) < 1:
        assert time.monotonic() < deadline, "the subscription did not start"
        time.sleep(0.02)


def _ended(socket: WebSocketTestSession, redis: Redis, tenant: str) -> list[str]:
    """The codes the subscription ended with; it must also complete and leave Redis."""
    message = socket.receive_json()
    assert message["id"] == "events", message
    payload = message["payload"]
    errors = payload if isinstance(payload, list) else payload.get("errors") or []
    if message["type"] == "next":
        assert socket.receive_json() == {"id": "events", "type": "complete"}
    else:
        assert message["type"] == "error", message
    channel = events_channel(tenant)
    deadline = time.monotonic() + 5
    while dict(redis.pubsub_numsub(channel)).get(channel.encode(), 0):
        assert time.monotonic() < deadline, "the ended subscription still listens"
        time.sleep(0.02)
    return [error["extensions"]["code"] for error in errors]


def _denials(sink: RecordingSink) -> list[tuple[str, str]]:
    return [(str(e.details.get("reason")), str(e.details.get("phase")))
            for e in sink.events
            if e.operation == "Subscription.fleetEvents" and e.outcome == "denied"]


def test_logout_disabling_and_a_role_change_end_subscriptions(settings: Settings,
                                                              redis: Redis) -> None:
    tenant = fresh_slug()
    people = asyncio.run(_people(settings, tenant))
    sink = RecordingSink()
    with _client(settings, sink) as client:
        admin = _token(client, people["tenant_admin"][0])

        viewer = _token(client, people["viewer"][0])
        with _socket(client) as socket:
            _subscribe(socket, viewer, redis, tenant)
            assert client.post("/auth/logout",
                               headers={"Authorization": f"Bearer {viewer}"}).status_code == 200
            assert _ended(socket, redis, tenant) == ["UNAUTHENTICATED"]

        viewer = _token(client, people["viewer"][0])
        with _socket(client) as socket:
            _subscribe(socket, viewer, redis, tenant)
            _gql(client, admin, "mutation ($id: Int!) { setUserDisabled(userId: $id,"
                 " disabled: true) { id } }", id=people["viewer"][1])
            assert _ended(socket, redis, tenant) == ["UNAUTHENTICATED"]

        analyst = _token(client, people["analyst"][0])
        with _socket(client) as socket:
            _subscribe(socket, analyst, redis, tenant)
            _gql(client, admin, "mutation ($id: Int!) { setUserRole(userId: $id, role: VIEWER)"
                 " { id } }", id=people["analyst"][1])
            assert _ended(socket, redis, tenant) == ["UNAUTHENTICATED"]

        still = _token(client, people["tenant_admin"][0])
        with _socket(client) as socket:
            _subscribe(socket, still, redis, tenant)
            time.sleep(RECHECK * 4)  # several re-checks pass while access lasts
            redis.publish(events_channel(tenant), '{"vin": "LRECHECK000000001", "tenant": "'
                          + tenant + '", "kind": "login", "at": "2024-05-01T00:00:00+00:00"}')
            assert socket.receive_json()["payload"]["data"]["fleetEvents"]["kind"] == "login"
            socket.send_json({"id": "events", "type": "complete"})
    assert _denials(sink) == [("session or client no longer valid", "recheck")] * 3


def test_a_revoked_support_grant_ends_the_staff_subscription(settings: Settings,
                                                             redis: Redis) -> None:
    tenant = fresh_slug()
    people = asyncio.run(_people(settings, tenant))
    sink = RecordingSink()
    with _client(settings, sink) as client:
        admin = _token(client, people["tenant_admin"][0])
        granted = _gql(client, admin, """mutation ($email: String!) { grantSupport(
            email: $email, reason: "ticket 9", hours: 1) { id } }""",
                       email=people["platform_operator"][0])
        staff = _token(client, people["platform_operator"][0])
        with _socket(client) as socket:
            _subscribe(socket, staff, redis, tenant, named=tenant)
            _gql(client, admin, "mutation ($id: Int!) { revokeSupport(grantId: $id) }",
                 id=granted["data"]["grantSupport"]["id"])
            assert _ended(socket, redis, tenant) == ["FORBIDDEN"]
    assert _denials(sink) == [("provider staff without a support grant", "recheck")]


def test_an_expired_access_token_ends_the_subscription_on_time(
        service_settings: Settings, api_database_url: str, redis: Redis) -> None:
    settings = api_settings(service_settings, api_database_url,
                            NEVGUARD_ACCESS_TOKEN_SECONDS="2")
    tenant = fresh_slug()
    people = asyncio.run(_people(settings, tenant))
    sink = RecordingSink()
    # Re-checks every 30 s: only the token's own expiry can end it within the test.
    app = create_app(settings, audit=sink, limits=QueryLimits())
    with TestClient(app, base_url="https://api.test") as client:
        token = _token(client, people["viewer"][0])
        started = time.monotonic()
        with _socket(client) as socket:
            _subscribe(socket, token, redis, tenant)
            assert _ended(socket, redis, tenant) == ["UNAUTHENTICATED"]
        assert time.monotonic() - started < 4
    assert _denials(sink) == [("the access token expired", "recheck")]
