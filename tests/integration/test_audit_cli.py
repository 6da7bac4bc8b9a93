"""``nevguard audit verify|prune``: JSON lines, exit statuses, typed errors for bad input."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from backend import cli
from backend.console import main as console_main
from backend.settings import Settings, load_settings
from backend.storage import audit
from tests.integration.audit_support import make_entry, own_database

pytestmark = pytest.mark.services


def _settings(service: Settings, dsn: str, **extra: str) -> Settings:
    scheme = "https" if service.s3_secure else "http"
    return load_settings({
        "DATABASE_URL": dsn, "REDIS_URL": service.redis_url.reveal(),
        "S3_ENDPOINT": f"{scheme}://{service.s3_endpoint}",
        "S3_ACCESS_KEY": service.s3_access_key, "S3_SECRET_KEY": service.s3_secret_key.reveal(),
        **extra}, env_file=None)


def _run(settings: Settings, *argv: str) -> tuple[int, list[dict[str, Any]], dict[str, Any]]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(argv), settings=settings, stdout=out, stderr=err)
    error = json.loads(err.getvalue())["error"] if err.getvalue() else {}
    return status, [json.loads(line) for line in out.getvalue().splitlines()], error


async def test_verify_reports_and_exits_by_the_chain(service_settings: Settings,
                                                     test_database_url: str) -> None:
    async with own_database(test_database_url) as (dsn, conn):
        settings = _settings(service_settings, dsn)
        chained = await audit.append_many(conn, [make_entry() for _ in range(5)])
        status, (report,), _ = await _in_thread(settings, "audit", "verify")
        assert status == 0 and report["ok"] and report["broken"] is None
        assert (report["checked"], report["head_seq"], report["head_hash"]) == (
            5, 5, chained[-1].hash.hex())
        status, (ranged,), _ = await _in_thread(settings, "audit", "verify", "--from", "2",
                                                "--to", "3")
        assert status == 0 and (ranged["first_seq"], ranged["last_seq"], ranged["checked"]) == (
            2, 3, 2)

        await conn.execute("ALTER TABLE nevguard.audit_log DISABLE TRIGGER audit_log_append_only")
        await conn.execute("UPDATE nevguard.audit_log SET operation = 'nothing' WHERE seq = 4")
        status, (broken,), _ = await _in_thread(settings, "audit", "verify")
        assert status == 2 and not broken["ok"]
        assert (broken["broken"]["seq"], broken["broken"]["reason"]) == (4, "content")


async def test_prune_through_the_cli(service_settings: Settings, test_database_url: str) -> None:
    async with own_database(test_database_url) as (dsn, conn):
        settings = _settings(service_settings, dsn, NEVGUARD_AUDIT_RETENTION_DAYS="200")
        old = datetime.now(UTC) - timedelta(days=300)
        await audit.append_many(conn, [make_entry(at=old), make_entry(at=old), make_entry()])
        status, _, error = await _in_thread(settings, "audit", "prune", "--older-than-days",
                                            "190")
        assert (status, error["code"]) == (1, "audit.retention_refused")
        status, (pruned,), _ = await _in_thread(settings, "audit", "prune",
                                                "--older-than-days", "250")
        assert status == 0
        assert (pruned["checkpoint_seq"], pruned["deleted"], pruned["prune_entry_seq"]) == (
            2, 2, 4)
        status, (report,), _ = await _in_thread(settings, "audit", "verify")
        assert status == 0 and (report["checkpoint_seq"], report["checked"]) == (2, 2)


@pytest.mark.parametrize(("argv", "code"), [
    (["audit"], "cli.usage"),
    (["audit", "verify", "--from", "abc"], "cli.usage"),
    (["audit", "verify", "--sideways"], "cli.usage"),
    (["audit", "prune"], "cli.usage"),
    (["audit", "prune", "--older-than-days", "1e3"], "cli.usage"),
    (["audit", "verify", "--from", "5", "--to", "2"], "audit.invalid_query"),
    (["audit", "verify", "--from", "0"], "audit.invalid_query"),
    (["audit", "prune", "--older-than-days", "-1"], "audit.retention_refused"),
])
async def test_malformed_input_gives_typed_json_errors(service_settings: Settings,
                                                       test_database_url: str,
                                                       argv: list[str], code: str) -> None:
    status, output, error = await _in_thread(_settings(service_settings, test_database_url),
                                             *argv)
    assert (status, output, error["code"]) == (1, [], code)
    assert error["message"]


async def test_the_console_command_dispatches_audit(
        service_settings: Settings, test_database_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    async with own_database(test_database_url) as (dsn, conn):
        await audit.append(conn, make_entry())
        monkeypatch.setenv("DATABASE_URL", dsn)
        status = await asyncio.to_thread(console_main, ["audit", "verify"])
        assert status == 0
        assert json.loads(capsys.readouterr().out)["checked"] == 1


async def _in_thread(settings: Settings, *argv: str
                     ) -> tuple[int, list[dict[str, Any]], dict[str, Any]]:
    # cli.main runs its own event loop (asyncio.run), which cannot nest inside the test's.
    return await asyncio.to_thread(_run, settings, *argv)
