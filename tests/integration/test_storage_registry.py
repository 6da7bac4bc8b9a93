"""The shared registry (VIN routing, platform accounts, device keys) and the admin CLI."""

from __future__ import annotations

import io
import json
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from backend import cli
from backend.settings import Settings, load_settings
from backend.storage import registry
from backend.storage.errors import InvalidRegistryValue, UnknownTenant
from backend.storage.tenants import provision_tenant

pytestmark = pytest.mark.services

@pytest.fixture
async def tenant(db: asyncpg.Connection, fresh_slug: str) -> str:
    await provision_tenant(db, fresh_slug)
    return fresh_slug


def _vin() -> str:
    return f"LTEST{secrets.token_hex(6).upper()}"


async def test_vehicles_route_to_their_tenant(db: asyncpg.Connection, tenant: str) -> None:
    vin = _vin()
    route = await registry.add_vehicle(db, vin, tenant, model="EV-1", usage_type="operating",
                                       sale_date=date(2023, 3, 1))
    assert route == registry.VehicleRoute(vin, tenant, True, "operating", None)
    updated = await registry.add_vehicle(db, vin, tenant, usage_type="private")
    assert updated.usage_type == "private"
    assert await registry.vehicle_route(db, vin) == updated
    assert await registry.vehicle_routes(db, [vin, _vin()]) == [updated]
    assert updated in await registry.vehicle_routes(db)
    assert await registry.vehicle_route(db, _vin()) is None


async def test_a_vin_cannot_be_taken_by_another_tenant(
    db: asyncpg.Connection, tenant: str
) -> None:
    vin = _vin()
    await registry.add_vehicle(db, vin, tenant)
    other = f"o{secrets.token_hex(5)}"
    await provision_tenant(db, other)
    with pytest.raises(InvalidRegistryValue):
        await registry.add_vehicle(db, vin, other)
    route = await registry.vehicle_route(db, vin)
    assert route is not None and route.tenant_slug == tenant


@pytest.mark.parametrize(
    ("vin", "usage", "error"),
    [
        ("lnbscb3f5jw000001", "private", InvalidRegistryValue),  # lower case
        ("LNBSCB3F5JW00001", "private", InvalidRegistryValue),  # 16 characters
        ("LNBSCB3F5JW000001", "fleet", InvalidRegistryValue),
    ],
)
async def test_bad_vehicle_values_are_refused(db: asyncpg.Connection, tenant: str, vin: str,
                                              usage: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        await registry.add_vehicle(db, vin, tenant, usage_type=usage)


async def test_unknown_tenant_is_refused(db: asyncpg.Connection) -> None:
    with pytest.raises(UnknownTenant):
        await registry.add_vehicle(db, _vin(), "no_such_tenant")


async def test_platform_login_checks_the_argon2_hash(db: asyncpg.Connection,
                                                     tenant: str) -> None:
    username = f"p{secrets.token_hex(5)}"
    account = await registry.add_platform_account(db, username, "s3cret-Pa55",
                                                  tenant_slug=tenant, max_vins=100)
    stored = await db.fetchval(
        "SELECT password_hash FROM nevguard.platform_accounts WHERE id = $1", account.id)
    assert stored.startswith("$argon2id$") and "s3cret" not in stored
    assert await registry.verify_platform_login(db, username, "s3cret-Pa55") == account
    assert (account.tenant_slug, account.max_vins, account.enabled) == (tenant, 100, True)
    assert await registry.verify_platform_login(db, username, "wrong") is None
    assert await registry.verify_platform_login(db, "nobody", "s3cret-Pa55") is None
    await db.execute("UPDATE nevguard.platform_accounts SET enabled = false WHERE id = $1",
                     account.id)
    assert await registry.verify_platform_login(db, username, "s3cret-Pa55") is None
    with pytest.raises(InvalidRegistryValue):
        await registry.add_platform_account(db, username, "another")


@pytest.mark.parametrize(
    ("username", "password"),
    [("x" * 13, "pw"), ("", "pw"), ("user", "p" * 21), ("user", "пароль")],
)
async def test_platform_values_must_fit_the_login_frame(db: asyncpg.Connection, username: str,
                                                        password: str) -> None:
    with pytest.raises(InvalidRegistryValue):
        await registry.add_platform_account(db, username, password)


async def test_device_keys_valid_at_a_time(db: asyncpg.Connection) -> None:
    unit = _vin()
    start = datetime(2024, 1, 1, tzinfo=UTC)
    await registry.add_device_key(db, unit, "sm4", b"\x01" * 16, valid_from=start,
                                  parameters={"mode": "ecb"})
    await registry.add_device_key(db, unit, "sm4", b"\x02" * 16,
                                  valid_from=start + timedelta(days=30),
                                  valid_until=start + timedelta(days=60))
    keys = await registry.device_keys(db, at=start + timedelta(days=40), unique_ids=[unit])
    assert [(k.key_kind, k.key_material, k.parameters) for k in keys] == [("sm4", b"\x02" * 16, {})]
    old = await registry.device_keys(db, at=start + timedelta(days=1), unique_ids=[unit])
    assert [(k.key_material, k.parameters) for k in old] == [(b"\x01" * 16, {"mode": "ecb"})]
    later = await registry.device_keys(db, at=start + timedelta(days=90), unique_ids=[unit])
    assert [k.key_material for k in later] == [b"\x01" * 16]
    with pytest.raises(InvalidRegistryValue):
        await registry.add_device_key(db, unit, "des", b"\x00" * 8)


async def test_rejections_are_appended_to_the_access_log(db: asyncpg.Connection) -> None:
    peer = f"198.51.100.{secrets.randbelow(250)}:{secrets.randbelow(60000)}"
    now = datetime.now(UTC)
    await registry.record_rejections(db, [
        (now, peer, None, "bad_frame", '{"bytes": 12}'),
        (now - timedelta(days=400), peer, "LTEST0000000000001", "unknown_vin", "{}"),
    ])
    logged = await db.fetch("SELECT reason, unique_id, detail FROM nevguard.gateway_rejections "
                            "WHERE peer = $1 ORDER BY at", peer)
    assert [tuple(r) for r in logged] == [("unknown_vin", "LTEST0000000000001", "{}"),
                                          ("bad_frame", None, '{"bytes": 12}')]


def _settings_for(service_settings: Settings, database_url: str) -> Settings:
    scheme = "https" if service_settings.s3_secure else "http"
    return load_settings({
        "DATABASE_URL": database_url,
        "REDIS_URL": service_settings.redis_url.reveal(),
        "S3_ENDPOINT": f"{scheme}://{service_settings.s3_endpoint}",
        "S3_ACCESS_KEY": service_settings.s3_access_key,
        "S3_SECRET_KEY": service_settings.s3_secret_key.reveal(),
    }, env_file=None)


def _run(settings: Settings, *argv: str) -> tuple[int, list[dict[str, Any]], str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(argv), settings=settings, stdout=out, stderr=err)
    return status, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_cli_administers_tenants_vehicles_and_accounts(
    service_settings: Settings, test_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings_for(service_settings, test_database_url)
    slug, vin = f"c{secrets.token_hex(5)}", _vin()

    status, created, _ = _run(settings, "tenant", "create", slug, "--name", "CLI Motors")
    assert status == 0
    assert (created[0]["slug"], created[0]["name"], created[0]["schema"]) == (
        slug, "CLI Motors", f"t_{slug}")
    assert created[0]["migrations_applied"]
    assert slug in [t["slug"] for t in _run(settings, "tenant", "list")[1]]

    status, added, _ = _run(settings, "vehicle", "add", vin, "--tenant", slug, "--usage",
                            "operating", "--sale-date", "2024-02-29", "--model", "EV-9")
    assert (status, added) == (0, [{"vin": vin, "tenant": slug, "usage": "operating"}])

    monkeypatch.setenv("NEVGUARD_TEST_PLATFORM_PASSWORD", "upstream-pw")
    status, account, _ = _run(settings, "platform-account", "add", f"u{slug[:8]}",
                              "--password-env", "NEVGUARD_TEST_PLATFORM_PASSWORD",
                              "--tenant", slug)
    assert status == 0 and account[0]["tenant"] == slug

    status, reports, _ = _run(settings, "migrate")
    assert status == 0
    assert {"schema": f"t_{slug}", "applied": [], "skipped": len(created[0]["migrations_applied"])
            } in reports


def test_cli_reports_errors_as_json(service_settings: Settings, test_database_url: str) -> None:
    settings = _settings_for(service_settings, test_database_url)
    status, output, error = _run(settings, "tenant", "create", "Not-A-Slug")
    assert (status, output) == (1, [])
    assert json.loads(error)["error"]["code"] == "tenant.invalid_slug"
    status, _, error = _run(settings, "platform-account", "add", "someone", "--password-env",
                            "NEVGUARD_TEST_UNSET_VARIABLE")
    assert status == 1 and json.loads(error)["error"]["code"] == "cli.usage"
    status, _, error = _run(settings, "vehicle", "add", _vin(), "--tenant", "nobody_at_all")
    assert status == 1 and json.loads(error)["error"]["code"] == "storage.unknown_tenant"
