"""graphql-transport-ws on /graphql: the bearer token travels in connection_init; without
credentials the connection is refused (4403); every operation counts against the rate limits.
Served through the app's own lifespan."""

from __future__ import annotations

import asyncio
import secrets

import pytest
from api_support import PASSWORD, api_settings, fresh_slug
from starlette.testclient import TestClient

from backend.api.app import create_app
from backend.core.access import Role
from backend.services.auth_common import hash_secret
from backend.settings import Settings
from backend.storage.db import connect
from backend.storage.identity import users
from backend.storage.tenants import provision_tenant

pytestmark = pytest.mark.services
PROTOCOL = ["graphql-transport-ws"]


async def _user(settings: Settings, *, tenant: str | None = None) -> str:
    """A platform operator, or an analyst of ``tenant`` (created here)."""
    email = f"ws.{secrets.token_hex(4)}@example.test"
    conn = await connect(settings.database_url.reveal())
    try:
        if tenant is not None:
            await provision_tenant(conn, tenant)
        await users.insert_user(conn, tenant=tenant, email=email,
                                role=Role.PLATFORM_OPERATOR if tenant is None else Role.ANALYST,
                                password_hash=await hash_secret(PASSWORD), totp_required=False)
    finally:
        await conn.close()
    return email


def test_query_over_websocket(settings: Settings) -> None:
    email = asyncio.run(_user(settings))
    with TestClient(create_app(settings), base_url="https://api.test") as client:
        token = client.post("/auth/login", json={"email": email, "password": PASSWORD,
                                                 "session": "token"}).json()["access_token"]
        with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as socket:
            socket.send_json({"type": "connection_init",
                              "payload": {"Authorization": f"Bearer {token}"}})
            assert socket.receive_json()["type"] == "connection_ack"
            socket.send_json({"id": "1", "type": "subscribe",
                              "payload": {"query": "{ me { role } }"}})
            answer = socket.receive_json()
            assert answer == {"id": "1", "type": "next",
                              "payload": {"data": {"me": {"role": "PLATFORM_OPERATOR"}}}}
        with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as socket:
            socket.send_json({"type": "connection_init", "payload": {}})
            closed = socket.receive()
            assert closed["type"] == "websocket.close" and closed["code"] == 4403


def test_each_operation_counts_against_the_tenant_rate(service_settings: Settings,
                                                       api_database_url: str) -> None:
    settings = api_settings(service_settings, api_database_url, NEVGUARD_API_TENANT_RPM="3")
    email = asyncio.run(_user(settings, tenant=fresh_slug()))
    with TestClient(create_app(settings), base_url="https://api.test") as client:
        token = client.post("/auth/login", json={"email": email, "password": PASSWORD,
                                                 "session": "token"}).json()["access_token"]
        with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as socket:
            socket.send_json({"type": "connection_init",
                              "payload": {"Authorization": f"Bearer {token}"}})
            assert socket.receive_json()["type"] == "connection_ack"  # request 1 of 3
            answers = []
            # Nine requests in all: however a minute boundary splits them, one window holds
            # at least five, more than the quota of three.
            for number in range(8):
                socket.send_json({"id": str(number), "type": "subscribe",
                                  "payload": {"query": "{ me { role } }"}})
                answer = socket.receive_json()
                if answer["type"] == "next":
                    assert socket.receive_json() == {"id": str(number), "type": "complete"}
                answers.append(answer)
            refused = [answer for answer in answers if answer["type"] == "error"]
            served = [answer for answer in answers if answer["type"] == "next"]
            assert refused and len(served) >= 2
            assert all(answer["payload"] == {"data": {"me": {"role": "ANALYST"}}}
                       for answer in served)
            for answer in refused:
                (error,) = answer["payload"]
                assert error["extensions"]["code"] == "RATE_LIMITED"
                assert error["extensions"]["limit"] == "tenant_requests_per_minute"
                assert error["extensions"]["quota"] == 3
                assert 1 <= error["extensions"]["retry_after_s"] <= 60
            # A refusal ends the operation, not the connection.
            socket.send_json({"type": "ping"})
            assert socket.receive_json() == {"type": "pong"}
