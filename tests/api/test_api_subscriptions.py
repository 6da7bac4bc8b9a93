"""Subscriptions over graphql-transport-ws with a real websocket client and real Redis
publishes: a vehicle's live state (snapshot, frames, link changes), the tenant's fleet events,
NOT_FOUND for another tenant's VIN, FORBIDDEN without the permission, the per-connection
cap with its typed error, and the isolation matrix of every subscription."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_support import PASSWORD, RecordingSink, fresh_slug
from graphql import GraphQLNonNull
from redis import Redis
from schema_walk import operations
from starlette.testclient import TestClient, WebSocketTestSession

from backend.api.app import create_app
from backend.api.graphql.limits import QueryLimits
from backend.core.access import PROVIDER_ROLES, TENANT_USER_ROLES, Principal, Role, allowed
from backend.core.vehicles import VehicleSpec
from backend.services import vehicles
from backend.services.auth_common import hash_secret
from backend.settings import Settings
from backend.storage.alarm_live import event_channel
from backend.storage.db import connect
from backend.storage.identity import users
from backend.storage.live import events_channel, frames_channel, latest_key
from backend.storage.migrate import migrate_shared
from backend.storage.tenants import provision_tenant

pytestmark = pytest.mark.services
PROTOCOL = ["graphql-transport-ws"]
LIVE = "subscription ($vin: String!) { vehicleLive(vin: $vin) { vin online socPct speedKmh } }"
EVENTS = "subscription ($t: String) { fleetEvents(tenant: $t) { vin kind online details } }"


@dataclass(frozen=True)
class Fleet:
    """Tenants A and B with a vehicle each, and one user of every role (tenant roles in A)."""

    tenant_a: str
    tenant_b: str
    vin_a: str
    vin_b: str
    emails: dict[str, str]  # role name -> e-mail


def _vin() -> str:
    return ("LS" + secrets.token_hex(9).upper())[:17]


async def _fleet(settings: Settings) -> Fleet:
    tenant_a, tenant_b = fresh_slug(), fresh_slug()
    vin_a, vin_b = _vin(), _vin()
    emails = {}
    conn = await connect(settings.database_url.reveal())
    try:
        await migrate_shared(conn)
        for tenant, vin in ((tenant_a, vin_a), (tenant_b, vin_b)):
            await provision_tenant(conn, tenant)
            await vehicles.create_vehicle(conn, Principal("user:1", Role.TENANT_ADMIN, tenant),
                                          tenant, VehicleSpec(vin))
        places = [(role, tenant_a) for role in TENANT_USER_ROLES] + [
            (role, None) for role in PROVIDER_ROLES]
        for role, tenant in places:
            email = f"ws.{secrets.token_hex(4)}@example.test"
            await users.insert_user(conn, tenant=tenant, email=email, role=role,
                                    password_hash=await hash_secret(PASSWORD),
                                    totp_required=False)
            emails[role.value] = email
    finally:
        await conn.close()
    return Fleet(tenant_a, tenant_b, vin_a, vin_b, emails)


@pytest.fixture
def fleet(settings: Settings) -> Fleet:
    return asyncio.run(_fleet(settings))


@pytest.fixture
def redis(settings: Settings) -> Iterator[Redis]:
    client = Redis.from_url(settings.redis_url.reveal())
    yield client
    client.close()


@pytest.fixture
def client(settings: Settings) -> Iterator[tuple[TestClient, RecordingSink]]:
    sink = RecordingSink()
    app = create_app(settings, audit=sink, limits=QueryLimits(max_subscriptions=2))
    with TestClient(app, base_url="https://api.test") as test_client:
        yield test_client, sink


def _connect(client: TestClient, email: str) -> Any:
    token = client.post("/auth/login", json={"email": email, "password": PASSWORD,
                                             "session": "token"}).json()["access_token"]
    socket = client.websocket_connect("/graphql", subprotocols=PROTOCOL)
    return socket, token


def _init(socket: WebSocketTestSession, token: str) -> None:
    socket.send_json({"type": "connection_init",
                      "payload": {"Authorization": f"Bearer {token}"}})
    assert socket.receive_json()["type"] == "connection_ack"


def _subscribe(socket: WebSocketTestSession, operation_id: str, query: str,
               **variables: Any) -> None:
    socket.send_json({"id": operation_id, "type": "subscribe",
                      "payload": {"query": query, "variables": variables}})


def _codes(message: dict[str, Any]) -> list[str]:
    payload = message["payload"]
    errors = payload if isinstance(payload, list) else payload.get("errors", [])
    return [error["extensions"]["code"] for error in errors]


def _await_subscribers(redis: Redis, channel: str, count: int) -> None:
    """Publishing before the server subscribed would lose the message: wait until the
    channel has exactly ``count`` subscribers."""
    deadline = time.monotonic() + 10
    while dict(redis.pubsub_numsub(channel)).get(channel.encode(), 0) != count:
        assert time.monotonic() < deadline, f"no subscriber on {channel}"
        time.sleep(0.02)


def _frame(vin: str, tenant: str, soc: int, *, reissued: bool = False) -> dict[str, Any]:
    return {"vin": vin, "tenant": tenant, "collected_at": "2024-05-01T00:30:00+00:00",
            "received_at": "2024-05-01T00:30:01+00:00", "reissued": reissued, "soc_pct": soc,
            "speed_kmh": 42.5, "position": None, "alarm_level": 0, "charging_state": 3}


def _event(vin: str, tenant: str, kind: str) -> str:
    return json.dumps({"vin": vin, "tenant": tenant, "kind": kind,
                       "at": "2024-05-01T00:31:00+00:00", "collected_at": None, "serial": 2,
                       "details": {"reason": "link_closed"}})


def test_vehicle_live_snapshot_frames_and_link(fleet: Fleet, redis: Redis,
                                              client: tuple[TestClient, RecordingSink]) -> None:
    test_client, sink = client
    redis.hset(latest_key(fleet.tenant_a, fleet.vin_a), mapping={
        "soc_pct": 55, "online": 1, "last_frame_at": "2024-05-01T00:29:00.000000+00:00"})
    socket, token = _connect(test_client, fleet.emails["viewer"])
    with socket:
        _init(socket, token)
        _subscribe(socket, "live", LIVE, vin=fleet.vin_a.lower())
        first = socket.receive_json()
        assert first["payload"]["data"]["vehicleLive"] == {
            "vin": fleet.vin_a, "online": True, "socPct": 55, "speedKmh": None}
        frames = frames_channel(fleet.tenant_a)
        # One message per pipeline: the summaries of all the tenant's vehicles, in order.
        redis.publish(frames, json.dumps([
            _frame(fleet.vin_b, fleet.tenant_a, 10),  # another vehicle
            _frame(fleet.vin_a, fleet.tenant_a, 11, reissued=True), "not a summary",
            _frame(fleet.vin_a, fleet.tenant_a, 56), _frame(fleet.vin_a, fleet.tenant_a, 57)]))
        redis.publish(frames, "not json")
        for soc in (56, 57):
            assert socket.receive_json()["payload"]["data"]["vehicleLive"] == {
                "vin": fleet.vin_a, "online": True, "socPct": soc, "speedKmh": 42.5}
        # A single object: what a gateway from before the arrays publishes.
        redis.publish(frames, json.dumps(_frame(fleet.vin_a, fleet.tenant_a, 58)))
        assert socket.receive_json()["payload"]["data"]["vehicleLive"] == {
            "vin": fleet.vin_a, "online": True, "socPct": 58, "speedKmh": 42.5}
        redis.publish(events_channel(fleet.tenant_a),
                      _event(fleet.vin_a, fleet.tenant_a, "disconnected"))
        assert socket.receive_json()["payload"]["data"]["vehicleLive"] == {
            "vin": fleet.vin_a, "online": False, "socPct": 58, "speedKmh": 42.5}
        socket.send_json({"id": "live", "type": "complete"})
    started = [e for e in sink.events if e.operation == "Subscription.vehicleLive"]
    assert [(e.outcome, e.targets, e.tenant) for e in started] == [
        ("ok", (fleet.vin_a.lower(),), fleet.tenant_a)]


def test_fleet_events_isolation_permissions_and_cap(fleet: Fleet, redis: Redis,
                                                   client: tuple[TestClient, RecordingSink]
                                                   ) -> None:
    test_client, _sink = client
    socket, token = _connect(test_client, fleet.emails["viewer"])
    with socket:
        _init(socket, token)
        _subscribe(socket, "other-vin", LIVE, vin=fleet.vin_b)
        assert _codes(socket.receive_json()) == ["NOT_FOUND"]
        _subscribe(socket, "other-tenant", EVENTS, t=fleet.tenant_b)
        assert _codes(socket.receive_json()) == ["NOT_FOUND"]
        channel = events_channel(fleet.tenant_a)
        _subscribe(socket, "one", EVENTS)
        _subscribe(socket, "two", EVENTS)
        _await_subscribers(redis, channel, 2)
        _subscribe(socket, "three", EVENTS)
        refused = socket.receive_json()
        assert refused["id"] == "three" and _codes(refused) == ["TOO_MANY_SUBSCRIPTIONS"]
        assert refused["payload"][0]["extensions"]["maximum"] == 2
        socket.send_json({"id": "one", "type": "complete"})
        _await_subscribers(redis, channel, 1)
        _subscribe(socket, "four", EVENTS)  # the completed one freed its place
        _await_subscribers(redis, channel, 2)
        redis.publish(channel, _event(fleet.vin_a, fleet.tenant_a, "login"))
        received = {}
        for _ in range(2):
            message = socket.receive_json()
            received[message["id"]] = message["payload"]["data"]["fleetEvents"]
        assert received == {name: {"vin": fleet.vin_a, "kind": "login", "online": True,
                                   "details": {"reason": "link_closed"}}
                            for name in ("two", "four")}
    staff, staff_token = _connect(test_client, fleet.emails["platform_operator"])
    with staff:
        _init(staff, staff_token)
        _subscribe(staff, "no-grant", EVENTS, t=fleet.tenant_a)
        assert _codes(staff.receive_json()) == ["FORBIDDEN"]


def test_role_subscription_matrix(fleet: Fleet, redis: Redis,
                                  client: tuple[TestClient, RecordingSink]) -> None:
    """Generated from the schema: each subscription for each role either starts (its first
    message arrives) or is refused with FORBIDDEN."""
    test_client, _sink = client
    redis.hset(latest_key(fleet.tenant_a, fleet.vin_a), mapping={"soc_pct": 50})
    channel = events_channel(fleet.tenant_a)
    mismatches = []
    subscriptions = list(operations(kinds=("subscription",)))
    assert {op.name for op in subscriptions} == {"vehicleLive", "fleetEvents", "alarmEvents"}
    alarms = event_channel(fleet.tenant_a)
    alarm_opened = json.dumps({"id": "00000000-0000-4000-8000-000000000001",
                               "change": "opened", "vin": fleet.vin_a, "state": "open",
                               "peak_level": 3, "last_seen_at": "2024-05-01T00:00:00+00:00"})
    for role_name, email in sorted(fleet.emails.items()):
        role = Role(role_name)
        tenant = None if role in PROVIDER_ROLES else fleet.tenant_a
        socket, token = _connect(test_client, email)
        with socket:
            _init(socket, token)
            for operation in subscriptions:
                permission = operation.requires.permission
                assert permission is not None
                expected = allowed(Principal("probe", role, tenant), permission,
                                   tenant=fleet.tenant_a)
                _subscribe(socket, operation.name, operation.document({"vin": fleet.vin_a}))
                if expected and operation.name == "fleetEvents":
                    _await_subscribers(redis, channel, 1)
                    redis.publish(channel, _event(fleet.vin_a, fleet.tenant_a, "login"))
                if expected and operation.name == "alarmEvents":
                    _await_subscribers(redis, alarms, 1)
                    redis.publish(alarms, alarm_opened)
                message = socket.receive_json()
                got = "next" if message["type"] == "next" else _codes(message)
                if got != ("next" if expected else ["FORBIDDEN"]):
                    mismatches.append(f"{role_name} {operation.name}: {message}")
                socket.send_json({"id": operation.name, "type": "complete"})
                _await_subscribers(redis, channel, 0)
                _await_subscribers(redis, alarms, 0)
    assert not mismatches, "\n".join(mismatches)


def test_subscription_isolation_matrix(fleet: Fleet, redis: Redis,
                                       client: tuple[TestClient, RecordingSink]) -> None:
    """Generated from the schema, like tests/api/test_api_isolation.py for queries and
    mutations: tenant A's admin subscribing with tenant B's ids gets NOT_FOUND; subscribing
    without ids streams A's messages and never one published for B."""
    test_client, _sink = client
    ids_of_b: dict[str, str] = {"vin": fleet.vin_b, "tenant": fleet.tenant_b}
    alarm = {"id": "00000000-0000-4000-8000-0000000000b1", "change": "opened", "state": "open",
             "peak_level": 3, "last_seen_at": "2024-05-01T00:00:00+00:00"}
    # Subscription -> (its tenant's channel, a message of that tenant for one of its VINs).
    feeds = {
        "fleetEvents": (events_channel, lambda tenant, vin: _event(vin, tenant, "login")),
        "alarmEvents": (event_channel, lambda tenant, vin: json.dumps({**alarm, "vin": vin})),
    }
    tested = []
    socket, token = _connect(test_client, fleet.emails["tenant_admin"])
    with socket:
        _init(socket, token)
        for operation in operations(kinds=("subscription",)):
            values = {}
            for name in operation.argument_names():
                assert name in ids_of_b, f"{operation.label}: give tenant B an object for {name!r}"
                values[name] = ids_of_b[name]
            variants = [values]
            if "tenant" in values and len(values) > 1:
                variants.append({k: v for k, v in values.items() if k != "tenant"})
            for number, given in enumerate(variants):
                operation_id = f"{operation.name}-{number}"
                _subscribe(socket, operation_id, operation.document(given))
                refused = socket.receive_json()
                assert refused["id"] == operation_id, refused
                assert _codes(refused) == ["NOT_FOUND"], f"{operation.label} {given}: {refused}"
            if not any(isinstance(arg.type, GraphQLNonNull)
                       for arg in operation.field.args.values()):
                # Without ids it streams A's own messages: B's, published first, never arrive.
                assert operation.name in feeds, f"{operation.name}: where do its messages come?"
                channel, message = feeds[operation.name]
                _subscribe(socket, operation.name, operation.document({}, fields="vin"))
                _await_subscribers(redis, channel(fleet.tenant_a), 1)
                _await_subscribers(redis, channel(fleet.tenant_b), 0)
                redis.publish(channel(fleet.tenant_b), message(fleet.tenant_b, fleet.vin_b))
                redis.publish(channel(fleet.tenant_a), message(fleet.tenant_a, fleet.vin_a))
                first = socket.receive_json()
                assert first["id"] == operation.name and first["type"] == "next", first
                shown = json.dumps(first["payload"])
                assert fleet.vin_a in shown and fleet.vin_b not in shown, shown
                socket.send_json({"id": operation.name, "type": "complete"})
                _await_subscribers(redis, channel(fleet.tenant_a), 0)
            tested.append(operation.label)
    assert set(tested) == {"vehicleLive", "fleetEvents", "alarmEvents"}
