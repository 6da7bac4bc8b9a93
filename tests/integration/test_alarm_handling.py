"""Automatic alarm handling on the real PostgreSQL with local receivers on real sockets: the
trigger queues event changes, the policy opens cases and queues notifications for the rota's
people, webhook / e-mail / SMS-hook deliveries are signed, sent and retried with backoff after
500s, timeouts and SMTP refusals, and escalations fire by a fake clock."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from fleet_support import Tenants, actor, register, two_tenants
from notify_receivers import HttpReceiver, SmtpSink, receivers

from backend.core.access import AccessDenied, Role
from backend.core.alarm_cases.delivery import MAX_ATTEMPTS, DeliveryStatus, retry_delay
from backend.core.alarm_cases.errors import IllegalTransition
from backend.core.alarm_cases.notices import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from backend.core.alarm_cases.policy import Channel
from backend.core.alarm_cases.workflow import CaseState, Disposition, StepKind
from backend.core.alarms.conditions import Source
from backend.core.alarms.lifecycle import AlarmEvent, EventState
from backend.core.data_errors import NotFound
from backend.core.sealed_secrets import Keyring, new_key_entry, parse_keyring
from backend.services import alarm_cases, alarm_delivery, alarm_handling, alarm_settings
from backend.services.alarm_cases import Acting
from backend.services.alarm_settings import ChannelInput
from backend.storage import alarm_handling as outbox
from backend.storage.alarms import save_events
from backend.storage.db import tenant_tx

pytestmark = pytest.mark.services

NOW = datetime(2024, 5, 6, 2, 0, tzinfo=UTC)  # a Monday, 10:00 in Beijing
SECRET = "whsec-test-0123456789"
KEYRING: Keyring = parse_keyring(new_key_entry("handling-test"))


def event(vin: str, level: int, *, code: str = "insulation", historical: bool = False,
          minutes: int = 0) -> AlarmEvent:
    opened = NOW - timedelta(minutes=5 - minutes)
    return AlarmEvent(str(uuid.uuid4()), vin, Source.VEHICLE, code, EventState.OPEN, opened,
                      opened, level, level, historical=historical, feed_position="1-0")


async def configure(db: asyncpg.Connection, t: Tenants, http: HttpReceiver,
                    smtp: SmtpSink) -> None:
    admin = t.admin_a
    await alarm_settings.update_rota(db, admin, t.a, {
        "people": [{"key": "duty", "name": "值班员 Wang", "email": "duty@oem.test",
                    "phone": "+8613800000000"},
                   {"key": "boss", "name": "Supervisor", "email": "boss@oem.test"}],
        "shifts": [{"weekday": d, "start": "00:00", "end": "00:00", "people": ["duty"]}
                   for d in range(7)],
        "escalation": ["boss"]})
    for given in (ChannelInput(Channel.WEBHOOK, True, http.url("/hook"), secret=SECRET),
                  ChannelInput(Channel.SMS, True, http.url("/sms"), secret=SECRET),
                  ChannelInput(Channel.EMAIL, True, "127.0.0.1", smtp_port=smtp.port,
                               smtp_security="none", sender="nevguard@platform.test")):
        await alarm_settings.put_channel(db, admin, t.a, given, KEYRING)


async def deliveries(db: asyncpg.Connection, tenant: str,
                     event_id: str) -> list[outbox.Delivery]:
    async with tenant_tx(db, tenant) as conn:
        return await outbox.deliveries_of(conn, [uuid.UUID(event_id)])


async def test_level_policy_cases_signed_deliveries_and_retries(db: asyncpg.Connection,
                                                                fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    http = HttpReceiver(script={"/hook": [500, "hang"]})
    smtp = SmtpSink(refuse_first=1)
    async with receivers(http, smtp):
        await configure(db, t, http, smtp)
        critical, warning, minor, replayed = (event(vin, 3), event(vin, 2, code="soc_low"),
                                              event(vin, 1, code="soc_jump"),
                                              event(vin, 3, code="braking_system",
                                                    historical=True))
        async with tenant_tx(db, t.a) as conn:
            await save_events(conn, [critical, warning, minor, replayed])
        report = await alarm_handling.drain(db, t.a, NOW)
        assert (report.changes, report.cases_opened) == (4, 1)
        assert await alarm_handling.drain(db, t.a, NOW) == alarm_handling.HandlingReport()

        page = await alarm_cases.list_cases(db, actor(Role.VIEWER, t.a), t.a)
        [view] = page.items
        case = view.case
        assert (case.event_id, case.state, case.level) == (critical.id, CaseState.OPEN, 3)
        assert case.confirm_due == NOW + timedelta(minutes=15)
        # 10 working days after Monday 6 May 2024 (Beijing): Monday 20 May, due at its end.
        assert case.dispose_due == datetime(2024, 5, 20, 16, 0, tzinfo=UTC)
        assert [(d.channel, d.recipient) for d in await deliveries(db, t.a, critical.id)] == [
            (Channel.WEBHOOK, "webhook"), (Channel.EMAIL, "duty@oem.test"),
            (Channel.SMS, "+8613800000000")]
        assert len(await deliveries(db, t.a, warning.id)) == 3  # level 2: notify, no case
        assert await deliveries(db, t.a, minor.id) == []  # level 1: record only
        assert await deliveries(db, t.a, replayed.id) == []  # reissued data: never live

        # First round: the webhook answers 500 (twice: two alarms) and SMTP refuses once.
        first = await alarm_delivery.deliver(db, t.a, NOW, KEYRING, timeout_s=1.0)
        assert first.attempted == 6 and first.retrying >= 2
        states = {(d.channel, d.status) for d in await deliveries(db, t.a, critical.id)}
        assert (Channel.SMS, DeliveryStatus.SENT) in states
        # Nothing is due before the backoff has passed.
        assert (await alarm_delivery.deliver(db, t.a, NOW + timedelta(seconds=5), KEYRING,
                                             timeout_s=1.0)).attempted == 0
        # The second round gets 200s everywhere; a third would find nothing left to do.
        later = NOW + retry_delay(1)
        await alarm_delivery.deliver(db, t.a, later, KEYRING, timeout_s=1.0)
        assert (await alarm_delivery.deliver(db, t.a, later + retry_delay(2), KEYRING,
                                             timeout_s=1.0)).attempted == 0
        final = await deliveries(db, t.a, critical.id) + await deliveries(db, t.a, warning.id)
        assert {d.status for d in final} == {DeliveryStatus.SENT}
        retried = [d for d in final if d.attempts > 1]
        assert retried and all(d.last_error for d in retried)

    hooks = http.received("/hook")
    assert len(hooks) == 2 + 2  # two alarms: a 500 and a timeout, then both through
    for request in hooks:
        assert verify(SECRET.encode(), request.headers[TIMESTAMP_HEADER.lower()], request.body,
                      request.headers[SIGNATURE_HEADER.lower()], datetime.now(UTC))
        assert not verify(b"another secret", request.headers[TIMESTAMP_HEADER.lower()],
                          request.body, request.headers[SIGNATURE_HEADER.lower()],
                          datetime.now(UTC))
    bodies = [request.body.decode() for request in hooks]
    assert any(critical.id in body and '"case_id":"' + case.id + '"' in body for body in bodies)
    assert len(http.received("/sms")) == 2
    assert smtp.refused == 1 and len(smtp.messages) == 2
    mail = next(m for m in smtp.messages if "绝缘" in str(m["Subject"]))
    assert mail["To"] == "duty@oem.test" and vin in mail.get_content()
    assert "Level 3 alarm" in str(mail["Subject"])


async def test_a_delivery_gives_up_after_its_last_attempt(db: asyncpg.Connection,
                                                          fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    # A webhook on a port nobody listens on: every attempt fails to connect.
    await alarm_settings.put_channel(db, t.admin_a, t.a, ChannelInput(
        Channel.WEBHOOK, True, "http://127.0.0.1:9/hook", secret=SECRET), KEYRING)
    alarm = event(vin, 3)
    async with tenant_tx(db, t.a) as conn:
        await save_events(conn, [alarm])
    await alarm_handling.drain(db, t.a, NOW)
    moment = NOW
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = await alarm_delivery.deliver(db, t.a, moment, KEYRING, timeout_s=1.0)
        assert report.attempted == 1
        moment += retry_delay(attempt)
    [delivery] = await deliveries(db, t.a, alarm.id)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)
    assert delivery.last_error and "unreachable" in delivery.last_error
    assert (await alarm_delivery.deliver(db, t.a, moment + timedelta(days=1), KEYRING)
            ).attempted == 0


async def test_escalation_by_fake_clock_and_the_workflow(db: asyncpg.Connection,
                                                         fresh_slug: str) -> None:
    t = await two_tenants(db, fresh_slug)
    [vin] = await register(db, t.a, t.admin_a, 1)
    http, smtp = HttpReceiver(port=9), SmtpSink(port=9)  # nothing is sent in this test
    await configure(db, t, http, smtp)
    alarm = event(vin, 4, code="storage_thermal_event")
    async with tenant_tx(db, t.a) as conn:
        await save_events(conn, [alarm])
    await alarm_handling.drain(db, t.a, NOW)
    [view] = (await alarm_cases.list_cases(db, t.admin_a, t.a)).items
    case_id = view.case.id

    assert (await alarm_handling.escalate(db, t.a, NOW + timedelta(minutes=14))).escalations == 0
    first = await alarm_handling.escalate(db, t.a, NOW + timedelta(minutes=15))
    assert first.escalations == 1 and first.deliveries == 4  # webhook, 2 mails, 1 SMS
    assert (await alarm_handling.escalate(db, t.a, NOW + timedelta(minutes=20))).escalations == 0
    assert (await alarm_handling.escalate(db, t.a, NOW + timedelta(minutes=30))).escalations == 1
    mails = [d.recipient for d in await deliveries(db, t.a, alarm.id)
             if d.purpose == "escalation" and d.channel is Channel.EMAIL]
    assert sorted(set(mails)) == ["boss@oem.test", "duty@oem.test"]

    operator = actor(Role.OPERATOR, t.a)
    acting = Acting(db, None, operator, t.a)
    with pytest.raises(IllegalTransition):
        await alarm_cases.dispose(acting, case_id, disposition=Disposition.FALSE_ALARM,
                                  now=NOW + timedelta(minutes=31))
    at = NOW + timedelta(minutes=40)
    await alarm_cases.acknowledge(acting, case_id, comment="on it", now=at)
    await alarm_cases.assign(acting, case_id, assignee="engineer-li", now=at)
    await alarm_cases.add_comment(acting, case_id, text="vehicle towed to the workshop", now=at)
    # Acknowledged: no more confirmation escalations, one disposal escalation when overdue.
    assert (await alarm_handling.escalate(db, t.a, NOW + timedelta(hours=5))).escalations == 0
    overdue = NOW + timedelta(days=15)
    assert (await alarm_handling.escalate(db, t.a, overdue)).escalations == 1
    assert (await alarm_handling.escalate(db, t.a, overdue + timedelta(days=1))
            ).escalations == 0
    detail = await alarm_cases.dispose(acting, case_id, disposition=Disposition.CONFIRMED_FAULT,
                                       note="pack replaced", now=overdue)
    assert detail.view.case.state is CaseState.DISPOSED
    assert [s.kind for s in detail.steps] == [
        StepKind.OPENED, StepKind.ESCALATED, StepKind.ESCALATED, StepKind.ACKNOWLEDGED,
        StepKind.ASSIGNED, StepKind.COMMENTED, StepKind.ESCALATED, StepKind.DISPOSED]
    assert detail.steps[3].actor == operator.subject
    reopened = await alarm_cases.reopen(acting, case_id, reason="fault back", now=overdue)
    assert reopened.view.case.state is CaseState.ASSIGNED

    # Tenant B sees nothing of A's case; a viewer may not act on it.
    with pytest.raises(NotFound):
        await alarm_cases.get_case(db, t.admin_b, t.b, case_id)
    with pytest.raises(AccessDenied):
        await alarm_cases.get_case(db, t.admin_b, t.a, case_id)
    with pytest.raises(AccessDenied):
        await alarm_cases.acknowledge(Acting(db, None, actor(Role.VIEWER, t.a), t.a), case_id)
    with pytest.raises(NotFound):
        await alarm_cases.get_case(db, t.admin_a, t.a, "not-a-uuid")
