"""Abuse resistance: each limit fires with its typed error, malformed requests get typed
errors, internal errors are masked with the request id, production hides the schema."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2
import pytest
from api_support import (
    api_client,
    api_settings,
    codes,
    gql,
    login,
    outside_minute_edge,
    signed_in,
)

from backend.api.graphql.limits import QueryLimits
from backend.core.access import Role
from backend.services import tenants
from backend.services.runtime import Services
from backend.settings import Settings

pytestmark = pytest.mark.services

TENANT_SLUGS = "query ($n: Int!) { tenants(first: $n) { items { slug } } }"


def _extensions(body: dict[str, Any]) -> dict[str, Any]:
    extensions: dict[str, Any] = body["errors"][0]["extensions"]
    return extensions


async def test_static_query_limits(settings: Settings, services: Services) -> None:
    limits = QueryLimits(max_depth=3, max_aliases=3, max_tokens=200, max_cost=100)
    async with api_client(settings, limits=limits) as client:
        admin = await signed_in(services, client, Role.PLATFORM_ADMIN)
        deep = await gql(client, "{ tenants { items { quotas { vehicles } } } }",
                         headers=admin.headers)
        assert codes(deep) == ["QUERY_TOO_DEEP"] and _extensions(deep)["limit"] == 3
        aliases = await gql(client, "{ a: me { role } b: me { role } c: me { role } "
                            "d: me { role } }", headers=admin.headers)
        assert codes(aliases) == ["TOO_MANY_ALIASES"]
        tokens = await gql(client, "{ me { " + "role " * 250 + "} }", headers=admin.headers)
        assert codes(tokens) == ["TOO_MANY_TOKENS"]
        cheap = await gql(client, TENANT_SLUGS, {"n": 10}, headers=admin.headers)
        assert "errors" not in cheap
        costly = await gql(client, TENANT_SLUGS, {"n": 100}, headers=admin.headers)
        assert codes(costly) == ["QUERY_TOO_COSTLY"]
        assert _extensions(costly)["cost"] == 201 and _extensions(costly)["limit"] == 100


async def test_page_size_is_capped(client: httpx2.AsyncClient, services: Services) -> None:
    admin = await signed_in(services, client, Role.PLATFORM_ADMIN)
    body = await gql(client, TENANT_SLUGS, {"n": 101}, headers=admin.headers)
    assert codes(body) == ["BAD_USER_INPUT"] and _extensions(body)["max"] == 100


async def test_principal_and_anonymous_rate_limits(service_settings: Settings,
                                                   api_database_url: str,
                                                   services: Services) -> None:
    settings = api_settings(service_settings, api_database_url,
                            NEVGUARD_API_PRINCIPAL_RPM="3", NEVGUARD_API_ANONYMOUS_RPM="2",
                            NEVGUARD_API_LOGIN_RPM="3")
    async with api_client(settings) as client:
        viewer = await signed_in(services, client, Role.VIEWER, "ratelimited")
        await outside_minute_edge()
        answers = [await client.post("/graphql", json={"query": "{ me { role } }"},
                                     headers=viewer.headers) for _ in range(4)]
        assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
        limited = _extensions(answers[-1].json())
        assert limited["code"] == "RATE_LIMITED"
        assert limited["limit"] == "principal_requests_per_minute" and limited["quota"] == 3
        assert 1 <= limited["retry_after_s"] <= 60
        assert answers[-1].headers["retry-after"] == str(limited["retry_after_s"])
        await outside_minute_edge()
        anonymous = [await client.post("/graphql", json={"query": "{ me { role } }"})
                     for _ in range(3)]
        assert anonymous[-1].status_code == 429
        assert _extensions(anonymous[-1].json())["limit"] == "anonymous_requests_per_minute"
        await outside_minute_edge()
        # signed_in's own login counts when it fell into this window, so the fourth attempt is
        # refused either way and the third one depending on the clock.
        logins = [await client.post("/auth/login", json={"email": "x@example.test",
                                                         "password": "whatever-it-is"})
                  for _ in range(4)]
        assert [login.status_code for login in logins[:2]] == [401, 401]
        assert logins[-1].status_code == 429
        assert logins[-1].json()["error"]["limit"] == "login_attempts_per_minute"


async def test_tenant_quota_sets_the_tenant_rate(service_settings: Settings,
                                                 api_database_url: str,
                                                 services: Services) -> None:
    settings = api_settings(service_settings, api_database_url, NEVGUARD_API_LOGIN_RPM="100")
    async with api_client(settings) as client:
        admin = await signed_in(services, client, Role.PLATFORM_ADMIN)
        first = await signed_in(services, client, Role.VIEWER, "quotaed")
        second = await signed_in(services, client, Role.ANALYST, "quotaed")
        body = await gql(client, """mutation { setTenantQuotas(slug: "quotaed",
            quotas: {apiRequestsPerMinute: 2}) { quotas { apiRequestsPerMinute } } }""",
                         headers=admin.headers)
        assert body["data"]["setTenantQuotas"]["quotas"]["apiRequestsPerMinute"] == 2
        await outside_minute_edge()
        statuses = []
        for actor in (first, second, first):
            answer = await client.post("/graphql", json={"query": "{ me { role } }"},
                                       headers=actor.headers)
            statuses.append(answer.status_code)
        assert statuses == [200, 200, 429]
        limited = _extensions(answer.json())
        assert limited["limit"] == "tenant_requests_per_minute" and limited["quota"] == 2


async def test_malformed_requests_get_typed_errors(client: httpx2.AsyncClient,
                                                   services: Services) -> None:
    admin = await signed_in(services, client, Role.PLATFORM_ADMIN)
    headers = {**admin.headers, "Content-Type": "application/json"}
    bad_json = await client.post("/graphql", content=b'{"query": ', headers=headers)
    assert bad_json.status_code == 400 and codes(bad_json.json()) == ["BAD_REQUEST"]
    batch = await client.post("/graphql", content=b'[{"query": "{ me { role } }"}]',
                              headers=headers)
    assert codes(batch.json()) == ["BAD_REQUEST"]
    huge = await client.post("/graphql", content=b" " * 70_000, headers=headers)
    assert huge.status_code == 413 and codes(huge.json()) == ["PAYLOAD_TOO_LARGE"]
    get = await client.get("/graphql", params={"query": "{ me { role } }"})
    assert codes(get.json()) == ["BAD_REQUEST"]
    assert codes(await gql(client, "{ me { ", headers=admin.headers)) == ["GRAPHQL_PARSE_FAILED"]
    assert codes(await gql(client, "{ nope }", headers=admin.headers)) == \
        ["GRAPHQL_VALIDATION_FAILED"]
    wrong_type = await gql(client, TENANT_SLUGS, {"n": "many"}, headers=admin.headers)
    assert codes(wrong_type) == ["BAD_USER_INPUT"]
    not_json_type = await client.post("/graphql", content=b"query", headers={
        **admin.headers, "Content-Type": "text/plain"})
    assert codes(not_json_type.json()) == ["BAD_REQUEST"]


async def test_internal_errors_are_masked_with_the_request_id(
        client: httpx2.AsyncClient, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = await signed_in(services, client, Role.PLATFORM_ADMIN)

    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("password=hunter2 in a stack frame")

    monkeypatch.setattr(tenants, "platform_overview", broken)
    answer = await client.post("/graphql", json={"query": "{ platformHealth { tenants } }"},
                               headers={**admin.headers, "X-Request-ID": "req-42"})
    assert answer.headers["x-request-id"] == "req-42"
    error = answer.json()["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert "req-42" in error["message"] and "hunter2" not in answer.text
    assert "Traceback" not in answer.text
    generated = await client.post("/graphql", json={"query": "{ me { role } }"},
                                  headers={**admin.headers, "X-Request-ID": "bad id!"})
    assert generated.headers["x-request-id"] != "bad id!"
    assert len(generated.headers["x-request-id"]) == 32


async def test_query_timeout(service_settings: Settings, api_database_url: str,
                             services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = api_settings(service_settings, api_database_url,
                            NEVGUARD_API_QUERY_TIMEOUT_SECONDS="1")

    async def slow(*_args: object, **_kwargs: object) -> None:
        await asyncio.sleep(5)

    monkeypatch.setattr(tenants, "platform_overview", slow)
    async with api_client(settings) as client:
        admin = await signed_in(services, client, Role.PLATFORM_ADMIN)
        answer = await client.post("/graphql", json={"query": "{ platformHealth { tenants } }"},
                                   headers=admin.headers)
        assert answer.status_code == 504 and codes(answer.json()) == ["TIMEOUT"]


async def test_database_statement_timeout_is_a_timeout(service_settings: Settings,
                                                       api_database_url: str, services: Services,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    settings = api_settings(service_settings, api_database_url,
                            NEVGUARD_API_STATEMENT_TIMEOUT_SECONDS="1")

    async def sleeps_in_the_database(db: Any, *_args: object) -> None:
        await db.execute("SELECT pg_sleep(3)")

    monkeypatch.setattr(tenants, "platform_overview", sleeps_in_the_database)
    async with api_client(settings) as client:
        admin = await signed_in(services, client, Role.PLATFORM_ADMIN)
        answer = await client.post("/graphql", json={"query": "{ platformHealth { tenants } }"},
                                   headers=admin.headers)
        assert codes(answer.json()) == ["TIMEOUT"], answer.json()
        assert _extensions(answer.json())["reason"] == "database.statement_timeout"


async def test_production_hides_the_schema(service_settings: Settings, api_database_url: str,
                                           services: Services) -> None:
    introspection = "{ __schema { types { name } } }"
    development = api_settings(service_settings, api_database_url)
    async with api_client(development) as client:
        admin = await signed_in(services, client, Role.PLATFORM_ADMIN)
        assert "errors" not in await gql(client, introspection, headers=admin.headers)
        typo = await gql(client, "{ tenant(slug: \"x\") { slugg } }", headers=admin.headers)
        assert "Did you mean" in typo["errors"][0]["message"]
    production = api_settings(service_settings, api_database_url, NEVGUARD_ENV="production",
                              NEVGUARD_API_TLS="true",
                              NEVGUARD_API_CORS_ORIGINS="https://console.example.test")
    async with api_client(production) as client:
        token = await login(client, admin.email)
        headers = {"Authorization": f"Bearer {token}"}
        hidden = await gql(client, introspection, headers=headers)
        assert set(codes(hidden)) == {"GRAPHQL_VALIDATION_FAILED"}
        typo = await gql(client, "{ tenant(slug: \"x\") { slugg } }", headers=headers)
        assert "Did you mean" not in typo["errors"][0]["message"]
        answer = await client.get("/healthz")
        assert answer.headers["strict-transport-security"].startswith("max-age=")
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["referrer-policy"] == "no-referrer"
        preflight = {"Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "content-type,x-csrf-token"}
        allowed = await client.options("/graphql", headers={
            "Origin": "https://console.example.test", **preflight})
        assert allowed.headers["access-control-allow-origin"] == "https://console.example.test"
        assert allowed.headers["access-control-allow-credentials"] == "true"
        refused = await client.options("/graphql", headers={
            "Origin": "https://evil.example.test", **preflight})
        assert "access-control-allow-origin" not in refused.headers
