"""The app's default audit sink appends to the hash-chained log (docs/audit.md), and an event
the chain cannot take still reaches the log lines."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import httpx2
import pytest

from backend.api.app import create_app
from backend.api.audit import AuditEvent, DatabaseAuditSink, Outcome
from backend.api.graphql.limits import QueryLimits
from backend.services import audit as audit_service
from backend.services.runtime import Services
from backend.settings import Settings

pytestmark = pytest.mark.services


async def test_a_refused_login_lands_in_the_chain_and_the_chain_verifies(
        settings: Settings, services: Services) -> None:
    app = create_app(settings, services, limits=QueryLimits())
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app),
                                  base_url="https://api.test") as http:
        answer = await http.post("/auth/login", json={"email": "nobody@example.com",
                                                      "password": "not the password 1"},
                                 headers={"X-Request-ID": "chain-test-1"})
    assert answer.status_code in (400, 401)
    async with services.db.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT operation, result FROM nevguard.audit_log WHERE request_id = $1",
            "chain-test-1")
        broken = await conn.fetchval(
            "SELECT count(*) FROM nevguard.audit_log WHERE hash IS NULL")
    assert row is not None and row["result"] in ("failed", "denied")
    assert broken == 0


async def test_an_event_the_chain_refuses_is_kept_as_a_log_line(
        services: Services, caplog: pytest.LogCaptureFixture) -> None:
    sink = DatabaseAuditSink(lambda: services)
    event = AuditEvent(at=datetime.now(UTC), actor_kind="nobody-knows-this-kind", actor_id="x",
                       actor_tenant=None, role=None, tenant=None, operation="probe",
                       targets=(), outcome=Outcome.DENIED, ip=None, user_agent=None,
                       request_id="chain-test-2")
    with caplog.at_level(logging.INFO, logger="nevguard.audit"):
        await sink.record(event)
    assert "chain-test-2" in caplog.text


async def test_concurrent_events_are_group_committed_into_one_intact_chain(
        services: Services) -> None:
    """Fifty requests auditing at once: every event is in the chain when its record() returns,
    the chain verifies, and they took far fewer transactions than events (one lock of the
    chain head per batch instead of per request)."""
    sink = DatabaseAuditSink(lambda: services)
    prefix = f"group-{datetime.now(UTC).timestamp()}"

    async def one(index: int) -> int:
        await sink.record(AuditEvent(
            at=datetime.now(UTC), actor_kind="user", actor_id=f"user:{index}",
            actor_tenant=None, role=None, tenant=None, operation="Query.probe", targets=(),
            outcome=Outcome.OK, ip="127.0.0.1", user_agent=None,
            request_id=f"{prefix}-{index}"))
        async with services.db.acquire() as conn:
            stored: int = await conn.fetchval(
                "SELECT count(*) FROM nevguard.audit_log WHERE request_id = $1",
                f"{prefix}-{index}")
        return stored

    assert await asyncio.gather(*(one(index) for index in range(50))) == [1] * 50
    async with services.db.acquire() as conn:
        transactions = await conn.fetchval(
            "SELECT count(DISTINCT xmin::text) FROM nevguard.audit_log "
            "WHERE request_id LIKE $1", f"{prefix}-%")
        report = await audit_service.verify(conn)
    assert transactions < 10
    assert report.broken is None
