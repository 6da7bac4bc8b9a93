"""The response workflow of alarm cases (people's side): list and read cases, acknowledge,
assign, comment, attach evidence (a presigned upload, or bytes the console sends through the
API), dispose and reopen. Each step is recorded on the case with who and when, in the same
transaction as the change; the API audits the request too. After the commit the change is
published to the live alarm list.

Acknowledging, assigning, commenting and attaching need ``alarms:ack``; disposing and
reopening need ``alarms:dispose``; reading needs ``alarms:read``. Another tenant's case id is
NotFound, like an unknown one.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Final

from redis.asyncio import Redis

from backend.core.access import Permission, Principal
from backend.core.alarm_cases import workflow
from backend.core.alarm_cases.messages import case_message
from backend.core.alarm_cases.query import (
    CaseDetail,
    CaseFilter,
    CasePage,
    Evidence,
    case_query_shape,
    clean_case_filter,
)
from backend.core.alarm_cases.workflow import Case, Disposition, Step
from backend.core.cursor import decode_cursor, encode_cursor
from backend.core.data_errors import InvalidArgument, InvalidCursor, NotFound
from backend.services.tenant_data import clock, page_size, tenant_use_case
from backend.settings import Settings
from backend.storage import alarm_cases as store
from backend.storage.alarm_live import publish_case_changes
from backend.storage.db import Conn, Pool
from backend.storage.objects import ObjectStore

P = Permission
PAGE_DEFAULT: Final = 50
PAGE_MAX: Final = 200
NO_FILTER: Final = CaseFilter()
URL_LIFETIME: Final = timedelta(minutes=15)
_CONTENT_TYPE: Final = re.compile(r"[a-z0-9][a-z0-9.+-]{0,62}/[a-z0-9][a-z0-9.+-]{0,62}")
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9._-]+")


def _case_id(case_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(case_id))
    except ValueError:
        raise NotFound("no such case", field="case_id") from None


async def list_cases(db: Conn | Pool, actor: Principal, tenant: str, *,
                     filters: CaseFilter = NO_FILTER, first: int | None = None,
                     after: str | None = None) -> CasePage:
    """Newest first; ``after`` is the previous page's ``next_cursor`` with the same filters."""
    async with tenant_use_case(db, actor, tenant, P.ALARMS_READ) as conn:
        cleaned = clean_case_filter(filters)
        size = page_size(first, PAGE_DEFAULT, PAGE_MAX, "case_page_max")
        shape = case_query_shape(cleaned)
        position = None
        if after is not None:
            opened_at, case_id = decode_cursor(after, shape, (datetime, str))
            if not isinstance(opened_at, datetime):
                raise InvalidCursor("cursor key does not fit this query", field="after")
            try:
                position = (opened_at, str(uuid.UUID(str(case_id))))
            except ValueError:
                raise InvalidCursor("cursor key is out of range", field="after") from None
        items = await store.case_page(conn, tenant, cleaned, position, size + 1)
    page = items[:size]
    next_cursor = None
    if len(items) > size:
        last = page[-1].case
        next_cursor = encode_cursor(shape, (last.opened_at, last.id))
    return CasePage(tuple(page), next_cursor)


async def _detail(conn: Conn, tenant: str, case_id: uuid.UUID) -> CaseDetail:
    view = await store.case_view(conn, tenant, case_id)
    if view is None:
        raise NotFound("no such case", field="case_id")
    steps = tuple(step for step, _ in await store.steps(conn, case_id))
    return CaseDetail(view, steps, tuple(await store.evidence(conn, case_id)))


async def get_case(db: Conn | Pool, actor: Principal, tenant: str, case_id: str) -> CaseDetail:
    async with tenant_use_case(db, actor, tenant, P.ALARMS_READ) as conn:
        return await _detail(conn, tenant, _case_id(case_id))


Change = Callable[[Case, str, datetime], tuple[Case, Step]]
Extra = Callable[[Conn, Case, Step], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Acting:
    """Who acts in which tenant, and where case changes are published (None: nowhere)."""

    db: Conn | Pool
    redis: Redis | None
    actor: Principal
    tenant: str


async def _act(acting: Acting, permission: Permission, case_id: str, change: Change, *,
               now: datetime | None, extra: Extra | None = None) -> CaseDetail:
    at = clock(now)
    async with tenant_use_case(acting.db, acting.actor, acting.tenant, permission) as conn:
        parsed = _case_id(case_id)
        case = await store.lock_case(conn, parsed)
        if case is None:
            raise NotFound("no such case", field="case_id")
        changed, step = change(case, acting.actor.subject, at)
        if changed is not case:
            await store.save_case(conn, changed)
        await store.add_step(conn, changed.id, step)
        if extra is not None:
            await extra(conn, changed, step)
        detail = await _detail(conn, acting.tenant, parsed)
    if acting.redis is not None:
        await publish_case_changes(acting.redis, acting.tenant, [case_message(changed, step)])
    return detail


async def acknowledge(acting: Acting, case_id: str, *, comment: str | None = None,
                      now: datetime | None = None) -> CaseDetail:
    return await _act(acting, P.ALARMS_ACK, case_id,
                      lambda c, who, at: workflow.acknowledge(c, who, at, comment), now=now)


async def assign(acting: Acting, case_id: str, *, assignee: str, comment: str | None = None,
                 now: datetime | None = None) -> CaseDetail:
    return await _act(acting, P.ALARMS_ACK, case_id,
                      lambda c, who, at: workflow.assign(c, who, at, assignee, comment),
                      now=now)


async def add_comment(acting: Acting, case_id: str, *, text: str,
                      now: datetime | None = None) -> CaseDetail:
    return await _act(acting, P.ALARMS_ACK, case_id,
                      lambda c, who, at: (c, workflow.comment(c, who, at, text)), now=now)


async def dispose(acting: Acting, case_id: str, *, disposition: Disposition,
                  note: str | None = None, now: datetime | None = None) -> CaseDetail:
    return await _act(acting, P.ALARMS_DISPOSE, case_id,
                      lambda c, who, at: workflow.dispose(c, who, at, disposition, note),
                      now=now)


async def reopen(acting: Acting, case_id: str, *, reason: str,
                 now: datetime | None = None) -> CaseDetail:
    return await _act(acting, P.ALARMS_DISPOSE, case_id,
                      lambda c, who, at: workflow.reopen(c, who, at, reason), now=now)


@dataclass(frozen=True, slots=True)
class Upload:
    evidence: Evidence
    upload_url: str  # HTTP PUT the file's bytes here before ``expires_at``
    expires_at: datetime


def _file_name(name: str) -> str:
    cleaned = name.strip()
    if not 0 < len(cleaned) <= 255 or any(c in cleaned for c in "/\\\x00"):
        raise InvalidArgument("a file name of 1-255 characters without slashes",
                              field="file_name")
    return cleaned


def _media_type(content_type: str) -> str:
    kind = content_type.strip().lower()
    if _CONTENT_TYPE.fullmatch(kind) is None:
        raise InvalidArgument("a media type like image/jpeg", field="content_type")
    return kind


def _object_key(tenant: str, case_id: str, evidence_id: str, name: str) -> str:
    return f"{tenant}/alarm-cases/{case_id}/{evidence_id}/{_UNSAFE.sub('_', name)[-100:]}"


async def _record_evidence(acting: Acting, case_id: str, evidence_id: str, *, name: str,
                           kind: str, at: datetime) -> Evidence:
    def add(case: Case, who: str, when: datetime) -> tuple[Case, Step]:
        return case, Step(workflow.StepKind.EVIDENCE_ADDED, who, when, name)

    async def record(conn: Conn, case: Case, step: Step) -> None:
        await store.add_evidence(conn, case.id, Evidence(
            evidence_id, name, kind, step.actor, step.at,
            _object_key(acting.tenant, case.id, evidence_id, name)))

    detail = await _act(acting, P.ALARMS_ACK, case_id, add, now=at, extra=record)
    return next(e for e in detail.evidence if e.id == evidence_id)


async def attach_evidence(acting: Acting, settings: Settings, case_id: str, *,
                          file_name: str, content_type: str,
                          now: datetime | None = None) -> Upload:
    """Record an evidence file on the case and return where to upload it (a presigned PUT)."""
    at = clock(now)
    name = _file_name(file_name)
    kind = _media_type(content_type)
    evidence = await _record_evidence(acting, case_id, str(uuid.uuid4()), name=name,
                                      kind=kind, at=at)
    url = await ObjectStore.from_settings(settings).upload_url(evidence.object_key,
                                                               URL_LIFETIME)
    return Upload(evidence, url, at + URL_LIFETIME)


async def store_evidence(acting: Acting, settings: Settings, case_id: str, *,
                         file_name: str, content_type: str, data: IO[bytes], length: int,
                         now: datetime | None = None) -> Evidence:
    """Store an evidence file's bytes and record it on the case (the console's upload: the
    bytes come through the API). The case is looked up first, so nothing is stored for an
    unknown case or one of another tenant; the object is written before the record, so a
    listed file always has its bytes."""
    at = clock(now)
    name = _file_name(file_name)
    kind = _media_type(content_type)
    async with tenant_use_case(acting.db, acting.actor, acting.tenant, P.ALARMS_ACK) as conn:
        parsed = _case_id(case_id)
        if await store.case_view(conn, acting.tenant, parsed) is None:
            raise NotFound("no such case", field="case_id")
    evidence_id = str(uuid.uuid4())
    await ObjectStore.from_settings(settings).put(
        _object_key(acting.tenant, str(parsed), evidence_id, name), data, length, kind)
    return await _record_evidence(acting, case_id, evidence_id, name=name, kind=kind,
                                  at=at)


async def evidence_url(settings: Settings, evidence: Evidence) -> str:
    """A presigned GET of an evidence file, valid for ``URL_LIFETIME`` (the caller read the
    case, so its permission and tenant were checked)."""
    return await ObjectStore.from_settings(settings).download_url(evidence.object_key,
                                                                  URL_LIFETIME)
