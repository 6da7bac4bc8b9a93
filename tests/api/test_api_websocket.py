"""graphql-transport-ws on /graphql: the bearer token travels in connection_init; without
credentials the connection is refused (4403). Served through the app's own lifespan."""

from __future__ import annotations

import asyncio
import secrets

import pytest
from api_support import PASSWORD
from starlette.testclient import TestClient

from backend.api.app import create_app
from backend.core.access import Role
from backend.services.auth_common import hash_secret
from backend.settings import Settings
from backend.storage.db import connect
from backend.storage.identity import users

pytestmark = pytest.mark.services
PROTOCOL = ["graphql-transport-ws"]


async def _user(settings: Settings) -> str:
    email = f"ws.{secrets.token_hex(4)}@example.test"
    conn = await connect(settings.database_url.reveal())
    try:
        await users.insert_user(conn, tenant=None, email=email, role=Role.PLATFORM_OPERATOR,
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
