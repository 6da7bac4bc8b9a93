"""End to end: a level-3 insulation fault in the alarm feed → the real alarm engine commits
the event → the worker's handling cron opens a case and its delivery job sends the signed
webhook and the e-mail to local receivers → an operator acknowledges, assigns and disposes it
over GraphQL → the statistics count it."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_support import ApiWorld, codes, gql
from fleet_api_support import register

from backend.core.access import Role
from backend.core.alarm_cases.notices import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from backend.storage.alarm_feed import FeedReader, append
from backend.storage.jobs import job_pool
from backend.workers import jobs
from backend.workers.alarm_engine import AlarmEngine, EngineSettings
from tests.integration.alarm_support import entry
from tests.integration.notify_receivers import HttpReceiver, SmtpSink, receivers

pytestmark = pytest.mark.services

INSULATION = 1 << 11


async def _ok(world: ApiWorld, query: str, variables: dict[str, Any] | None,
              headers: dict[str, str]) -> dict[str, Any]:
    body = await gql(world.client, query, variables, headers=headers)
    assert not codes(body), body
    data: dict[str, Any] = body["data"]
    return data


async def test_level_3_fault_to_case_notifications_workflow_and_statistics(
        world: ApiWorld) -> None:
    admin = world.actor(Role.TENANT_ADMIN, world.tenant_a)
    operator = world.actor(Role.OPERATOR, world.tenant_a)
    [vin] = await register(world, admin, 1)
    http, smtp = HttpReceiver(), SmtpSink()
    services = world.services
    queue = await job_pool(services.settings.redis_url.reveal(),
                           queue_name=f"nevguard:test-jobs:{secrets.token_hex(6)}")
    async with receivers(http, smtp):
        await _ok(world, """mutation ($hook: String!, $port: Int!) {
            updateDutyRota(rota: {people: [{key: "duty", name: "Duty", email: "duty@oem.test"}],
              shifts: [{weekday: 0, start: "00:00", end: "00:00", people: ["duty"]},
                       {weekday: 1, start: "00:00", end: "00:00", people: ["duty"]},
                       {weekday: 2, start: "00:00", end: "00:00", people: ["duty"]},
                       {weekday: 3, start: "00:00", end: "00:00", people: ["duty"]},
                       {weekday: 4, start: "00:00", end: "00:00", people: ["duty"]},
                       {weekday: 5, start: "00:00", end: "00:00", people: ["duty"]},
                       {weekday: 6, start: "00:00", end: "00:00", people: ["duty"]}]}) {
              gaps { startMinute } }
            webhook: putNotificationChannel(channel: {kind: WEBHOOK, enabled: true,
              target: $hook, secret: "e2e-secret"}) { secretSet }
            email: putNotificationChannel(channel: {kind: EMAIL, enabled: true,
              target: "127.0.0.1", smtpPort: $port, smtpSecurity: "none",
              sender: "alarms@platform.test"}) { kind } }""",
                  {"hook": http.url("/hook"), "port": smtp.port}, admin.headers)

        stream = f"test:alarm-feed:{secrets.token_hex(6)}"
        redis = services.redis
        await append(redis, [entry(world.tenant_a, vin, s, level=3, flags=INSULATION)
                             for s in range(0, 30, 1)], stream=stream)
        engine = AlarmEngine(services.db, redis, FeedReader(redis, "e2e", stream=stream),
                             EngineSettings(block_ms=50))
        await engine._reader.ensure_group()
        while await engine.step():
            pass

        now = datetime.now(UTC)
        ctx = {"db": services.db, "redis": queue, "settings": services.settings,
               "clock": lambda: now}
        handled = await jobs.handle_alarms(ctx)
        assert handled["cases_opened"] >= 1 and handled["delivery_jobs"] >= 1
        sent = await jobs.deliver_notifications(ctx, world.tenant_a)
        assert (sent["sent"], sent["failed"]) == (2, 0)
    await queue.aclose()

    [hook] = http.received("/hook")
    assert verify(b"e2e-secret", hook.headers[TIMESTAMP_HEADER.lower()], hook.body,
                  hook.headers[SIGNATURE_HEADER.lower()], datetime.now(UTC))
    assert vin.encode() in hook.body and b'"level":3' in hook.body
    [mail] = smtp.messages
    assert mail["To"] == "duty@oem.test" and vin in mail.get_content()

    cases = await _ok(world, """query ($vin: String!) { alarmCases(filter: {vin: $vin}) {
        items { id state level code confirmDue } } }""", {"vin": vin}, operator.headers)
    [case] = cases["alarmCases"]["items"]
    assert (case["state"], case["level"], case["code"]) == ("OPEN", 3, "insulation")
    variables = {"id": case["id"]}
    refused = await gql(world.client, """mutation ($id: ID!) { disposeAlarmCase(caseId: $id,
        disposition: FALSE_ALARM) { case { state } } }""", variables, headers=operator.headers)
    assert codes(refused) == ["CONFLICT"]
    done = await _ok(world, """mutation ($id: ID!) {
        a: acknowledgeAlarmCase(caseId: $id, comment: "seen") { case { state } }
        b: assignAlarmCase(caseId: $id, assignee: "engineer-li") { case { assignee } }
        c: disposeAlarmCase(caseId: $id, disposition: SENSOR_FAULT, comment: "probe") {
             case { state disposition confirmBreached } steps { kind actor } } }""",
                     variables, operator.headers)
    assert done["c"]["case"] == {"state": "DISPOSED", "disposition": "SENSOR_FAULT",
                                 "confirmBreached": False}
    assert [s["kind"] for s in done["c"]["steps"]] == ["OPENED", "ACKNOWLEDGED", "ASSIGNED",
                                                      "DISPOSED"]
    assert done["c"]["steps"][0]["actor"] == "system:alarm-handler"

    window = {"from": (now - timedelta(days=1)).isoformat(),
              "to": (now + timedelta(days=1)).isoformat()}
    stats = await _ok(world, """query ($from: DateTime!, $to: DateTime!) {
        alarmStatistics(from: $from, to: $to) { byLevel { level count }
          topVehicles { vin count } timeToAcknowledge { count }
          timeToDispose { count } slaBreaches { cases openCases confirmBreached } } }""",
                      window, operator.headers)
    statistics = stats["alarmStatistics"]
    assert {"level": 3, "count": 1} in statistics["byLevel"]
    assert {"vin": vin, "count": 1} in statistics["topVehicles"]
    assert statistics["timeToAcknowledge"]["count"] == 1
    assert statistics["timeToDispose"]["count"] == 1
    assert statistics["slaBreaches"] == {"cases": 1, "openCases": 0, "confirmBreached": 0}
