"""POST /vehicles/import on the real services: a 20,000-row file with faulty rows gets its
per-row report and the valid rows registered; a dry run writes nothing; the route asks for a
session (bearer, or cookie plus CSRF header), the vehicles:import permission, a tenant of the
caller's own and text/csv, refuses bodies over import_max_bytes with 413, and audits each
outcome."""

from __future__ import annotations

import secrets

import pytest
from api_support import PASSWORD, ApiWorld, RecordingSink, api_client, api_settings, gql
from fleet_api_support import create_model, register

from backend.core.access import Role
from backend.settings import Settings

pytestmark = pytest.mark.services
CSV = {"Content-Type": "text/csv"}


def _vins(count: int) -> list[str]:
    return sorted({("LU" + secrets.token_hex(9).upper())[:17] for _ in range(count)})


async def test_a_twenty_thousand_row_file(world: ApiWorld, sink: RecordingSink) -> None:
    admin = world.actor(Role.TENANT_ADMIN, world.tenant_a)
    await create_model(world, admin, name="Upload Model")
    [vin_of_b] = await register(world, world.actor(Role.TENANT_ADMIN, world.tenant_b), 1)
    vins = _vins(20_000)
    while len(vins) < 20_000:
        vins = sorted({*vins, *_vins(20_000 - len(vins))})
    rows = [f"{vin},Upload Model,operating,2024-05-01" for vin in vins]
    # Row numbers are spreadsheet rows: the header is row 1, vins[i] is row i + 2.
    rows[10] = "NOT-A-VIN,Upload Model,private,"
    rows[500] = f"{vins[500]},No Such Model,private,"
    rows[7000] = f"{vins[7000]},Upload Model,private,2024-13-40"
    rows[19_999] = f"{vin_of_b},Upload Model,private,"
    body = ("vin,model,usage_type,sale_date\n" + "\n".join(rows) + "\n").encode()
    assert len(body) > 64 * 1024 * 10

    dry = await world.client.post("/vehicles/import?dry_run=true", content=body,
                                  headers={**admin.headers, **CSV})
    assert dry.status_code == 200, dry.text
    assert (dry.json()["dryRun"], len(dry.json()["created"])) == (True, 19_996)
    listed = await gql(world.client, "{ vehicles(first: 5) { items { vin } } }",
                       headers=admin.headers)
    assert listed["data"]["vehicles"]["items"] == []

    answer = await world.client.post("/vehicles/import", content=body,
                                     headers={**admin.headers, **CSV})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["total"] == 20_000 and report["dryRun"] is False
    assert [(e["row"], e["field"], e["code"]) for e in report["errors"]] == [
        (12, "vin", "invalid_vin"), (502, "model", "unknown_model"),
        (7002, "sale_date", "invalid_date"), (20_001, "vin", "vin_taken")]
    skipped = {vins[10], vins[500], vins[7000], vins[19_999]}
    assert report["created"] == [vin for vin in vins if vin not in skipped]
    overview = await gql(world.client, "{ fleetOverview { counts { total } } }",
                         headers=admin.headers)
    assert overview["data"]["fleetOverview"]["counts"]["total"] == 19_996

    again = await world.client.post("/vehicles/import", content=body,
                                    headers={**admin.headers, **CSV})
    assert (len(again.json()["created"]), len(again.json()["updated"])) == (0, 19_996)
    uploads = [(e.outcome, e.tenant, e.details.get("created"))
               for e in sink.events if e.operation == "Upload.importVehicles"]
    assert uploads == [("ok", world.tenant_a, 19_996), ("ok", world.tenant_a, 19_996),
                       ("ok", world.tenant_a, 0)]


async def test_who_may_upload_and_how(world: ApiWorld, sink: RecordingSink) -> None:
    body = f"vin\n{_vins(1)[0]}\n".encode()

    async def status(headers: dict[str, str], query: str = "") -> tuple[int, str]:
        answer = await world.client.post(f"/vehicles/import{query}", content=body,
                                         headers=headers)
        code = answer.json()["error"]["code"] if answer.status_code != 200 else "ok"
        return answer.status_code, code

    viewer = world.actor(Role.VIEWER, world.tenant_a)
    staff = world.actor(Role.PLATFORM_ADMIN)
    client_a = world.actor(Role.API_CLIENT, world.tenant_a)
    assert await status(CSV) == (401, "UNAUTHENTICATED")
    assert await status({**viewer.headers, **CSV}) == (403, "FORBIDDEN")
    assert await status({**staff.headers, **CSV}) == (403, "FORBIDDEN")
    assert await status({**client_a.headers}) == (400, "BAD_REQUEST")
    assert await status({**client_a.headers, "Content-Type": "text/plain"}) == (
        400, "BAD_REQUEST")
    assert await status({**client_a.headers, **CSV}, "?dry_run=maybe") == (
        400, "BAD_USER_INPUT")
    # An API client with registry:write may upload.
    assert await status({**client_a.headers, **CSV}) == (200, "ok")
    denied = [e.details.get("code") for e in sink.events
              if e.operation == "Upload.importVehicles" and e.outcome == "denied"]
    assert denied == ["UNAUTHENTICATED", "FORBIDDEN", "FORBIDDEN"]


async def test_cookie_sessions_need_the_csrf_header_and_bodies_are_capped(
        service_settings: Settings, api_database_url: str, world: ApiWorld) -> None:
    admin = world.actor(Role.TENANT_ADMIN, world.tenant_a)
    settings = api_settings(service_settings, api_database_url,
                            NEVGUARD_IMPORT_MAX_BYTES="4096")
    async with api_client(settings) as client:
        login = await client.post("/auth/login", json={"email": admin.email,
                                                       "password": PASSWORD})
        assert login.status_code == 200, login.text
        csrf = login.json()["csrf_token"]
        body = f"vin\n{_vins(1)[0]}\n".encode()
        refused = await client.post("/vehicles/import", content=body, headers=CSV)
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "CSRF_FAILED")
        accepted = await client.post("/vehicles/import", content=body,
                                     headers={**CSV, "X-CSRF-Token": csrf})
        assert accepted.status_code == 200 and len(accepted.json()["created"]) == 1
        big = ("vin\n" + "\n".join(_vins(300)) + "\n").encode()
        assert len(big) > 4096
        too_big = await client.post("/vehicles/import", content=big,
                                    headers={**CSV, "X-CSRF-Token": csrf})
        assert (too_big.status_code, too_big.json()["error"]["code"]) == (
            413, "PAYLOAD_TOO_LARGE")
