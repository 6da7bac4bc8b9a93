"""POST /alarm-cases/{id}/evidence on the real services (PostgreSQL, Redis, S3): the bytes land
in the object store under the tenant's prefix and the case lists the file with a download URL
that gives them back; another tenant's case is not found and gets nothing stored; the route
asks for a session (bearer, or cookie plus CSRF header), alarms:ack and a tenant of the
caller's own, a file name and a media type, refuses bodies over evidence_max_bytes with 413,
and audits each outcome."""

from __future__ import annotations

import httpx2
import pytest
from alarm_api_support import open_case
from api_support import PASSWORD, ApiWorld, RecordingSink, api_client, api_settings, gql
from fleet_api_support import register

from backend.core.access import Role
from backend.settings import Settings

pytestmark = pytest.mark.services
PNG = {"Content-Type": "image/png"}
CASE = """query ($id: ID!) { alarmCase(caseId: $id) {
  evidence { id fileName contentType addedBy downloadUrl }
  steps { kind } } }"""


async def _case_of(world: ApiWorld, tenant: str) -> str:
    admin = world.actor(Role.TENANT_ADMIN, tenant)
    [vin] = await register(world, admin, 1)
    return await open_case(world, tenant, vin)


async def _evidence(world: ApiWorld, case_id: str, role: Role, tenant: str) -> list[dict]:
    body = await gql(world.client, CASE, {"id": case_id},
                     headers=world.actor(role, tenant).headers)
    evidence: list[dict] = body["data"]["alarmCase"]["evidence"]
    return evidence


async def test_a_file_is_stored_listed_and_downloadable(world: ApiWorld,
                                                        sink: RecordingSink) -> None:
    case_id = await _case_of(world, world.tenant_a)
    operator = world.actor(Role.OPERATOR, world.tenant_a)
    content = bytes(range(256)) * 40
    answer = await world.client.post(
        f"/alarm-cases/{case_id}/evidence?file_name=仪表 照片.png", content=content,
        headers={**operator.headers, **PNG})
    assert answer.status_code == 201, answer.text
    stored = answer.json()
    assert (stored["fileName"], stored["contentType"]) == ("仪表 照片.png", "image/png")

    [listed] = await _evidence(world, case_id, Role.VIEWER, world.tenant_a)
    assert listed["id"] == stored["id"] and listed["addedBy"] == f"user:{operator.user_id}"
    async with httpx2.AsyncClient() as s3:
        download = await s3.get(listed["downloadUrl"])
    assert download.status_code == 200 and download.content == content
    assert f"/{world.tenant_a}/alarm-cases/{case_id}/" in listed["downloadUrl"]
    steps = (await gql(world.client, CASE, {"id": case_id},
                       headers=operator.headers))["data"]["alarmCase"]["steps"]
    assert steps[-1]["kind"] == "EVIDENCE_ADDED"
    audited = [(e.outcome, e.tenant, e.details.get("bytes")) for e in sink.events
               if e.operation == "Upload.attachAlarmEvidence"]
    assert audited == [("ok", world.tenant_a, len(content))]


async def test_another_tenants_case_is_not_found(world: ApiWorld) -> None:
    case_of_a = await _case_of(world, world.tenant_a)
    for role in (Role.OPERATOR, Role.API_CLIENT):
        answer = await world.client.post(
            f"/alarm-cases/{case_of_a}/evidence?file_name=x.png", content=b"png",
            headers={**world.actor(role, world.tenant_b).headers, **PNG})
        assert (answer.status_code, answer.json()["error"]["code"]) == (404, "NOT_FOUND")
    assert await _evidence(world, case_of_a, Role.VIEWER, world.tenant_a) == []


async def test_who_may_upload_and_what(world: ApiWorld, sink: RecordingSink) -> None:
    case_id = await _case_of(world, world.tenant_a)

    async def status(headers: dict[str, str], query: str = "?file_name=a.png",
                     body: bytes = b"png", case: str = case_id) -> tuple[int, str]:
        answer = await world.client.post(f"/alarm-cases/{case}/evidence{query}",
                                         content=body, headers=headers)
        return answer.status_code, answer.json()["error"]["code"] if (
            answer.status_code != 201) else "ok"

    operator = world.actor(Role.OPERATOR, world.tenant_a).headers
    assert await status(PNG) == (401, "UNAUTHENTICATED")
    assert await status({**world.actor(Role.VIEWER, world.tenant_a).headers, **PNG}) == (
        403, "FORBIDDEN")
    assert await status({**world.actor(Role.PLATFORM_ADMIN).headers, **PNG}) == (
        403, "FORBIDDEN")
    assert await status({**operator, **PNG}, query="") == (400, "BAD_USER_INPUT")
    assert await status({**operator, **PNG}, query="?file_name=a/b.png") == (
        400, "BAD_USER_INPUT")
    assert await status({**operator, "Content-Type": "not a type"}) == (400, "BAD_USER_INPUT")
    assert await status({**operator, **PNG}, body=b"") == (400, "BAD_USER_INPUT")
    assert await status({**operator, **PNG}, case="not-a-case") == (404, "NOT_FOUND")
    assert await _evidence(world, case_id, Role.VIEWER, world.tenant_a) == []
    assert await status({**operator, **PNG}) == (201, "ok")
    denied = [e.details.get("code") for e in sink.events
              if e.operation == "Upload.attachAlarmEvidence" and e.outcome == "denied"]
    assert denied == ["UNAUTHENTICATED", "FORBIDDEN", "FORBIDDEN"]


async def test_cookie_sessions_need_the_csrf_header_and_files_are_capped(
        service_settings: Settings, api_database_url: str, world: ApiWorld) -> None:
    case_id = await _case_of(world, world.tenant_a)
    operator = world.actor(Role.OPERATOR, world.tenant_a)
    settings = api_settings(service_settings, api_database_url,
                            NEVGUARD_EVIDENCE_MAX_BYTES="4096")
    async with api_client(settings) as client:
        login = await client.post("/auth/login", json={"email": operator.email,
                                                       "password": PASSWORD})
        assert login.status_code == 200, login.text
        csrf = {"X-CSRF-Token": login.json()["csrf_token"], **PNG}
        url = f"/alarm-cases/{case_id}/evidence?file_name=a.png"
        refused = await client.post(url, content=b"png", headers=PNG)
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "CSRF_FAILED")
        too_big = await client.post(url, content=b"x" * 4097, headers=csrf)
        assert (too_big.status_code, too_big.json()["error"]["code"]) == (
            413, "PAYLOAD_TOO_LARGE")

        async def chunks():  # no Content-Length: the cap holds on the stream itself
            for _ in range(5):
                yield b"x" * 1000
        streamed = await client.post(url, content=chunks(), headers=csrf)
        assert (streamed.status_code, streamed.json()["error"]["code"]) == (
            413, "PAYLOAD_TOO_LARGE")
        accepted = await client.post(url, content=b"x" * 4096, headers=csrf)
        assert accepted.status_code == 201, accepted.text
    assert [e["fileName"] for e in await _evidence(world, case_id, Role.VIEWER,
                                                   world.tenant_a)] == ["a.png"]
