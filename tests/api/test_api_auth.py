"""The authentication routes end to end: cookie sessions with the CSRF double submit, bearer
tokens, refresh rotation and reuse, logout, OAuth2 client credentials, invitations."""

from __future__ import annotations

import base64

import httpx2
import pytest
from api_support import PASSWORD, ApiWorld, RecordingSink, codes, gql

from backend.core.access import Role
from backend.services import api_clients
from backend.services.auth_common import user_principal
from backend.storage.identity.users import user_by_email

pytestmark = pytest.mark.services

ME = "{ me { subject } }"


async def test_browser_login_sets_cookies_and_needs_the_csrf_header(
        world: ApiWorld, sink: RecordingSink) -> None:
    client = world.client
    viewer = world.actor(Role.VIEWER, world.tenant_a)
    answer = await client.post("/auth/login", json={"email": viewer.email, "password": PASSWORD})
    assert answer.status_code == 200
    csrf = answer.json()["csrf_token"]
    assert "access_token" not in answer.json()
    cookies = answer.headers.get_list("set-cookie")
    access = next(c for c in cookies if c.startswith("__Host-nevguard_access="))
    assert all(flag in access.lower() for flag in ("httponly", "secure", "samesite=strict",
                                                   "path=/"))
    refresh = next(c for c in cookies if c.startswith("__Secure-nevguard_refresh="))
    assert "path=/auth" in refresh.lower() and "httponly" in refresh.lower()
    assert "httponly" not in next(c for c in cookies if c.startswith("__Host-nevguard_csrf="))

    refused = await client.post("/graphql", json={"query": ME})
    assert refused.status_code == 403 and codes(refused.json()) == ["CSRF_FAILED"]
    wrong = await client.post("/graphql", json={"query": ME}, headers={"X-CSRF-Token": "x"})
    assert codes(wrong.json()) == ["CSRF_FAILED"]
    body = await gql(client, ME, headers={"X-CSRF-Token": csrf})
    assert body["data"]["me"]["subject"] == f"user:{viewer.user_id}"
    assert "auth.login" in sink.operations("ok")


async def test_bearer_login_and_wrong_password(world: ApiWorld, sink: RecordingSink) -> None:
    client = world.client
    viewer = world.actor(Role.VIEWER, world.tenant_b)
    wrong = await client.post("/auth/login", json={"email": viewer.email, "password": "nope" * 4,
                                                   "session": "token"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "UNAUTHENTICATED"
    assert wrong.json()["error"]["reason"] == "auth.invalid_credentials"
    failed = [e for e in sink.events if e.operation == "auth.login" and e.outcome == "failed"]
    assert failed[-1].actor_id == viewer.email
    assert (await gql(client, ME, headers=viewer.headers))["data"]["me"]
    bad = await client.post("/graphql", json={"query": ME},
                            headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401 and bad.json()["errors"][0]["extensions"]["reason"] == \
        "token.malformed"


async def test_login_needs_json(client: httpx2.AsyncClient) -> None:
    form = await client.post("/auth/login", data={"email": "a@b.c", "password": "x"})
    assert form.status_code == 400 and form.json()["error"]["code"] == "BAD_REQUEST"
    broken = await client.post("/auth/login", content=b"{not json",
                               headers={"Content-Type": "application/json"})
    assert broken.json()["error"]["code"] == "BAD_REQUEST"
    typed = await client.post("/auth/login", json={"email": 5, "password": []})
    assert typed.json()["error"]["code"] == "BAD_REQUEST"


async def test_refresh_rotates_and_reuse_ends_the_session(world: ApiWorld) -> None:
    client = world.client
    analyst = world.actor(Role.ANALYST, world.tenant_a)
    first = (await client.post("/auth/login", json={
        "email": analyst.email, "password": PASSWORD, "session": "token"})).json()
    second = await client.post("/auth/refresh", json={"session": "token",
                                                      "refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    reused = await client.post("/auth/refresh", json={"session": "token",
                                                      "refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    assert reused.json()["error"]["reason"] == "auth.refresh_reused"
    # The whole family ended: the rotated pair is dead too.
    dead = await client.post("/graphql", json={"query": ME},
                             headers={"Authorization": f"Bearer {rotated['access_token']}"})
    assert dead.status_code == 401


async def test_cookie_refresh_and_logout(world: ApiWorld) -> None:
    client = world.client
    operator = world.actor(Role.OPERATOR, world.tenant_a)
    csrf = (await client.post("/auth/login", json={"email": operator.email,
                                                   "password": PASSWORD})).json()["csrf_token"]
    no_csrf = await client.post("/auth/refresh", json={})
    assert no_csrf.status_code == 403
    refreshed = await client.post("/auth/refresh", json={}, headers={"X-CSRF-Token": csrf})
    assert refreshed.status_code == 200
    csrf = refreshed.json()["csrf_token"]
    assert (await gql(client, ME, headers={"X-CSRF-Token": csrf}))["data"]["me"]
    old_access = client.cookies.get("__Host-nevguard_access")
    out = await client.post("/auth/logout", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 200 and out.json() == {"revoked": True}
    assert "__Host-nevguard_access" not in client.cookies
    replay = await client.post("/graphql", json={"query": ME},
                               headers={"Authorization": f"Bearer {old_access}"})
    assert replay.status_code == 401
    assert replay.json()["errors"][0]["extensions"]["reason"] == "auth.session_revoked"


async def test_bearer_logout_revokes(world: ApiWorld) -> None:
    viewer = world.actor(Role.VIEWER, world.tenant_a)
    out = await world.client.post("/auth/logout", headers=viewer.headers)
    assert out.json() == {"revoked": True}
    assert (await world.client.post("/graphql", json={"query": ME},
                                    headers=viewer.headers)).status_code == 401


async def _client_secret(world: ApiWorld, scope: str) -> tuple[str, str]:
    admin = world.actor(Role.TENANT_ADMIN, world.tenant_a)
    async with world.services.db.acquire() as conn:
        record = await user_by_email(conn, admin.email)
    assert record is not None
    created = await api_clients.create_client(world.services.db, user_principal(record),
                                              tenant=world.tenant_a, name="telematics",
                                              scope=scope)
    return created.client.client_id, created.secret


async def test_client_credentials_basic_and_post(world: ApiWorld) -> None:
    client = world.client
    client_id, secret = await _client_secret(world, "fleet:read telemetry:read")
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    answer = await client.post("/oauth/token", data={"grant_type": "client_credentials",
                                                     "scope": "fleet:read"},
                               headers={"Authorization": f"Basic {basic}"})
    assert answer.status_code == 200, answer.text
    token = answer.json()
    assert token["token_type"] == "Bearer" and token["scope"] == "fleet:read"
    assert answer.headers["cache-control"] == "no-store"
    me = await gql(client, "{ me { role tenant } }",
                   headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me["data"]["me"] == {"role": "API_CLIENT", "tenant": world.tenant_a}
    posted = await client.post("/oauth/token", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    assert posted.json()["scope"] == "fleet:read telemetry:read"


async def test_client_credentials_errors(world: ApiWorld) -> None:
    client = world.client
    client_id, secret = await _client_secret(world, "fleet:read")
    basic = base64.b64encode(f"{client_id}:wrong".encode()).decode()
    wrong = await client.post("/oauth/token", data={"grant_type": "client_credentials"},
                              headers={"Authorization": f"Basic {basic}"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    assert wrong.headers["www-authenticate"].startswith("Basic")
    both = await client.post("/oauth/token", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
        headers={"Authorization": f"Basic {basic}"})
    assert both.status_code == 400 and both.json()["error"] == "invalid_request"
    grant = await client.post("/oauth/token", data={"grant_type": "password"})
    assert grant.json()["error"] == "unsupported_grant_type"
    scope = await client.post("/oauth/token", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret,
        "scope": "raw_frames:read"})
    assert scope.status_code == 400 and scope.json()["error"] == "invalid_scope"
    repeated = await client.post("/oauth/token", content=b"grant_type=a&grant_type=b",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert repeated.json()["error"] == "invalid_request"
    as_json = await client.post("/oauth/token", json={"grant_type": "client_credentials"})
    assert as_json.json()["error"] == "invalid_request"


async def test_invitation_accepted_through_the_api(world: ApiWorld) -> None:
    admin = world.actor(Role.TENANT_ADMIN, world.tenant_b)
    invited = await gql(world.client, """mutation ($email: String!) {
        inviteUser(email: $email, role: ANALYST) { token invitation { email role } } }""",
                        {"email": "new.analyst@example.test"}, headers=admin.headers)
    token = invited["data"]["inviteUser"]["token"]
    accepted = await world.client.post("/auth/invitations/accept", json={
        "token": token, "password": "quiet-harbor-lantern-77"})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["user"]["tenant"] == world.tenant_b
    again = await world.client.post("/auth/invitations/accept", json={
        "token": token, "password": "quiet-harbor-lantern-77"})
    assert again.json()["error"]["code"] == "BAD_USER_INPUT"
    weak = await gql(world.client, """mutation { inviteUser(email: "w@example.test",
        role: VIEWER) { token } }""", headers=admin.headers)
    short = await world.client.post("/auth/invitations/accept", json={
        "token": weak["data"]["inviteUser"]["token"], "password": "short"})
    assert short.json()["error"]["reason"] == "password.too_short"
