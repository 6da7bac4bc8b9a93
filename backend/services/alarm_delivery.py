"""Sending the queued notifications of one tenant (the worker's ``deliver_notifications``
job). Due deliveries are leased in one short transaction, sent concurrently outside any
transaction (a slow receiver holds no lock and no connection), and their outcomes recorded
in another: sent, or due again after the backoff (backend/core/alarm_cases/delivery.py), or
failed after the last attempt.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from backend.core.alarm_cases.delivery import (
    LEASE,
    DeliveryStatus,
    after_failure,
    error_text,
)
from backend.core.alarm_cases.notices import email_text, sms_text, webhook_body
from backend.core.alarm_cases.policy import Channel
from backend.core.sealed_secrets import Keyring, SealedSecretError, require_keyring
from backend.services.alarm_settings import secret_context
from backend.storage import alarm_handling as store
from backend.storage import notifiers
from backend.storage.db import Conn, Pool, tenant_tx

BATCH: Final = 50


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    attempted: int
    sent: int
    retrying: int
    failed: int


def _secret(row: store.ChannelRow, keyring: Keyring | None) -> bytes | None:
    if row.secret_sealed is None:
        return None
    return require_keyring(keyring).open(row.secret_sealed, secret_context(row.kind))


async def _send(delivery: store.Delivery, row: store.ChannelRow | None,
                keyring: Keyring | None, timeout_s: float) -> None:
    if row is None or not row.enabled:
        raise notifiers.SendFailed(f"the {delivery.channel.value} channel is not configured")
    try:
        secret = _secret(row, keyring)
    except SealedSecretError as error:
        raise notifiers.SendFailed(f"channel secret: {error.code}") from None
    document = delivery.payload
    if delivery.channel is Channel.WEBHOOK:
        await notifiers.post_webhook(row.target, webhook_body(document, delivery.id), secret,
                                     timeout_s=timeout_s)
    elif delivery.channel is Channel.SMS:
        await notifiers.post_sms(row.target, delivery.recipient, sms_text(document), secret,
                                 timeout_s=timeout_s)
    else:
        settings = row.settings
        server = notifiers.SmtpServer(
            row.target, int(settings["port"]), str(settings["security"]),
            str(settings["sender"]), settings.get("username"),
            None if secret is None else secret.decode("utf-8"), timeout_s)
        subject, text = email_text(document)
        await notifiers.send_mail(server, delivery.recipient, subject, text)


async def deliver(db: Conn | Pool, tenant: str, now: datetime, keyring: Keyring | None, *,
                  timeout_s: float = notifiers.TIMEOUT_S) -> DeliveryReport:
    """Attempt the tenant's due deliveries (at most ``BATCH``), each within ``timeout_s``."""
    async with tenant_tx(db, tenant) as conn:
        leased = await store.lease_due(conn, now, now + LEASE, BATCH)
        rows = {row.kind: row for row in await store.channels(conn)} if leased else {}
    if not leased:
        return DeliveryReport(0, 0, 0, 0)
    outcomes = await asyncio.gather(
        *(_send(d, rows.get(d.channel), keyring, timeout_s) for d in leased),
        return_exceptions=True)
    sent = retrying = failed = 0
    async with tenant_tx(db, tenant) as conn:
        for delivery, outcome in zip(leased, outcomes, strict=True):
            if outcome is None:
                sent += 1
                await store.record_outcome(conn, delivery.id, DeliveryStatus.SENT,
                                           next_try_at=None, error=None, sent_at=now)
                continue
            if not isinstance(outcome, Exception):
                raise outcome  # cancellation and the like: not a receiver's fault
            status, next_try = after_failure(delivery.attempts, now)
            failed += status is DeliveryStatus.FAILED
            retrying += status is DeliveryStatus.PENDING
            await store.record_outcome(conn, delivery.id, status, next_try_at=next_try,
                                       error=error_text(outcome), sent_at=None)
    return DeliveryReport(len(leased), sent, retrying, failed)


async def any_due(db: Conn | Pool, tenant: str, now: datetime) -> bool:
    async with tenant_tx(db, tenant) as conn:
        return await store.any_due(conn, now)
