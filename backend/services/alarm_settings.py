"""The tenant's alarm handling settings: policy per level with SLA and working calendar, the
duty rota, and the notification channels (docs/alarms.md "Handling and response").

Reading and changing any of them needs ``alarms:configure`` (safety engineers and tenant
admins): the rota holds people's phone numbers and the channels say where alarms go. Channel
secrets are sealed with the keyring (docs/auth.md "secrets at rest") and never read back: the
answer only says whether one is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from backend.core.access import Permission, Principal
from backend.core.alarm_cases.calendar import DEFAULT_ZONE, SlaSettings, calendar
from backend.core.alarm_cases.errors import InvalidSettings
from backend.core.alarm_cases.policy import (
    Channel,
    HandlingSettings,
    LevelPolicy,
    level_policies,
    settings_from_document,
)
from backend.core.alarm_cases.rota import Rota, rota_from_document, rota_to_document
from backend.core.data_errors import NotFound
from backend.core.sealed_secrets import Keyring, require_keyring
from backend.services.tenant_data import tenant_use_case
from backend.storage import alarm_handling as store
from backend.storage.db import Conn, Pool

P = Permission
HANDLING: Final = "handling"
ROTA: Final = "rota"
_HOST: Final = re.compile(r"[A-Za-z0-9.-]{1,253}")
_EMAIL: Final = re.compile(r"[^@\s<>]{1,64}@[^@\s<>]{1,255}")
SMTP_SECURITY: Final = ("none", "starttls", "tls")
MAX_SECRET: Final = 500


def secret_context(kind: Channel) -> str:
    return f"notification_channels.secret:{kind.value}"


async def load_handling(conn: Conn) -> HandlingSettings:
    document = await store.settings_document(conn, HANDLING)
    return HandlingSettings() if document is None else settings_from_document(document)


async def load_rota(conn: Conn) -> Rota:
    document = await store.settings_document(conn, ROTA)
    return Rota() if document is None else rota_from_document(document)


async def handling_settings(db: Conn | Pool, actor: Principal,
                            tenant: str) -> HandlingSettings:
    async with tenant_use_case(db, actor, tenant, P.ALARMS_CONFIGURE) as conn:
        return await load_handling(conn)


@dataclass(frozen=True, slots=True)
class SlaInput:
    confirm_minutes: int = 15
    dispose_working_days: int = 10
    escalation_repeat_minutes: int = 15
    max_escalations: int = 3
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    holidays: tuple[date, ...] = ()
    extra_workdays: tuple[date, ...] = ()
    zone: str = DEFAULT_ZONE


async def update_handling(db: Conn | Pool, actor: Principal, tenant: str, *,
                          policies: list[LevelPolicy], sla: SlaInput) -> HandlingSettings:
    """Replace the policy of the given levels (others keep theirs), the SLA and calendar."""
    async with tenant_use_case(db, actor, tenant, P.ALARMS_CONFIGURE) as conn:
        current = await load_handling(conn)
        level_policies(policies)  # levels 1-4, each at most once
        settings = HandlingSettings(
            {**current.policies, **{p.level: p for p in policies}},
            SlaSettings(sla.confirm_minutes, sla.dispose_working_days,
                        sla.escalation_repeat_minutes, sla.max_escalations,
                        calendar(sla.weekdays, sla.holidays, sla.extra_workdays, sla.zone)))
        await store.put_settings_document(conn, HANDLING, settings.to_document(),
                                          actor.subject)
        return settings


async def rota(db: Conn | Pool, actor: Principal, tenant: str) -> Rota:
    async with tenant_use_case(db, actor, tenant, P.ALARMS_CONFIGURE) as conn:
        return await load_rota(conn)


async def update_rota(db: Conn | Pool, actor: Principal, tenant: str,
                      document: dict[str, Any]) -> Rota:
    """Replace the rota (checked: known people, shift times, override ranges)."""
    async with tenant_use_case(db, actor, tenant, P.ALARMS_CONFIGURE) as conn:
        checked = rota_from_document(document)
        await store.put_settings_document(conn, ROTA, rota_to_document(checked), actor.subject)
        return checked


@dataclass(frozen=True, slots=True)
class ChannelView:
    kind: Channel
    enabled: bool
    target: str
    settings: dict[str, Any]
    secret_set: bool
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ChannelInput:
    kind: Channel
    enabled: bool
    target: str  # webhook / SMS hook URL, or the SMTP host
    secret: str | None = None  # None keeps the stored one; "" removes it
    smtp_port: int | None = None
    smtp_security: str | None = None
    smtp_username: str | None = None
    sender: str | None = None


def _checked(given: ChannelInput) -> tuple[str, dict[str, Any]]:
    target = given.target.strip()
    if given.kind is Channel.EMAIL:
        if _HOST.fullmatch(target) is None:
            raise InvalidSettings("the SMTP host is a host name or address", field="target")
        port = given.smtp_port if given.smtp_port is not None else 587
        security = given.smtp_security or "starttls"
        if not 1 <= port <= 65535 or security not in SMTP_SECURITY:
            raise InvalidSettings("SMTP port 1-65535, security none, starttls or tls",
                                  field="smtp_security")
        if given.sender is None or _EMAIL.fullmatch(given.sender) is None:
            raise InvalidSettings("the sender is an e-mail address", field="sender")
        username = (given.smtp_username or "").strip()[:200] or None
        return target, {"port": port, "security": security, "username": username,
                        "sender": given.sender}
    if not target.lower().startswith(("https://", "http://")) or len(target) > 2000 or \
            any(c.isspace() for c in target):
        raise InvalidSettings("the URL is http(s)://…", field="target")
    return target, {}


def _view(row: store.ChannelRow) -> ChannelView:
    return ChannelView(row.kind, row.enabled, row.target, row.settings,
                       row.secret_sealed is not None, row.updated_by, row.updated_at)


async def channels(db: Conn | Pool, actor: Principal, tenant: str) -> list[ChannelView]:
    async with tenant_use_case(db, actor, tenant, P.ALARMS_CONFIGURE) as conn:
        return [_view(row) for row in await store.channels(conn)]


async def put_channel(db: Conn | Pool, actor: Principal, tenant: str, given: ChannelInput,
                      keyring: Keyring | None) -> ChannelView:
    async with tenant_use_case(db, actor, tenant, P.ALARMS_CONFIGURE) as conn:
        target, settings = _checked(given)
        sealed = None
        if given.secret:
            if len(given.secret) > MAX_SECRET:
                raise InvalidSettings(f"at most {MAX_SECRET} characters", field="secret")
            sealed = require_keyring(keyring).seal(given.secret.encode("utf-8"),
                                                   secret_context(given.kind))
        await store.put_channel(conn, given.kind, enabled=given.enabled, target=target,
                                settings=settings, secret_sealed=sealed,
                                keep_secret=given.secret is None, actor=actor.subject)
        row = next(r for r in await store.channels(conn) if r.kind is given.kind)
        return _view(row)


async def remove_channel(db: Conn | Pool, actor: Principal, tenant: str,
                         kind: Channel) -> None:
    async with tenant_use_case(db, actor, tenant, P.ALARMS_CONFIGURE) as conn:
        if not await store.delete_channel(conn, kind):
            raise NotFound("no such channel", field="kind")
