"""Alarm use cases: event queries (filters, keyset pages, one event) and the tenant's platform
rule settings. The engine writes events (backend/workers/alarm_engine.py); nothing here does."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from backend.core.access import Permission, Principal
from backend.core.alarms.query import (
    AlarmEventPage,
    AlarmEventView,
    EventFilter,
    clean_filter,
    query_shape,
)
from backend.core.alarms.rules import (
    RULES,
    Rule,
    RuleOverride,
    check_override,
    resolve,
)
from backend.core.cursor import decode_cursor, encode_cursor
from backend.core.data_errors import InvalidCursor, NotFound
from backend.services.tenant_data import page_size, tenant_use_case
from backend.storage import alarm_queries, alarms
from backend.storage.db import Conn, Pool

P = Permission
NO_FILTER = EventFilter()
PAGE_DEFAULT = 50
PAGE_MAX = 200


async def list_events(db: Conn | Pool, actor: Principal, tenant: str, *,
                      filters: EventFilter = NO_FILTER, first: int | None = None,
                      after: str | None = None) -> AlarmEventPage:
    """Newest first; ``after`` is the previous page's ``next_cursor`` with the same filters."""
    async with tenant_use_case(db, actor, tenant, P.ALARMS_READ) as conn:
        cleaned = clean_filter(filters)
        size = page_size(first, PAGE_DEFAULT, PAGE_MAX, "alarm_page_max")
        shape = query_shape(cleaned)
        position = None
        if after is not None:
            opened_at, event_id = decode_cursor(after, shape, (datetime, str))
            position = _position(opened_at, event_id)
        items = await alarm_queries.event_page(conn, tenant, cleaned, position, size + 1)
    page = items[:size]
    next_cursor = None
    if len(items) > size:
        last = page[-1].event
        next_cursor = encode_cursor(shape, (last.opened_at, last.id))
    return AlarmEventPage(tuple(page), next_cursor)


def _position(opened_at: object, event_id: object) -> tuple[datetime, str]:
    """A cursor carries no authority but must not crash the query (a forged id)."""
    try:
        parsed = uuid.UUID(str(event_id))
    except ValueError:
        raise InvalidCursor("cursor key is out of range", field="after") from None
    if not isinstance(opened_at, datetime):
        raise InvalidCursor("cursor key does not fit this query", field="after")
    return opened_at, str(parsed)


async def get_event(db: Conn | Pool, actor: Principal, tenant: str,
                    event_id: str) -> AlarmEventView:
    async with tenant_use_case(db, actor, tenant, P.ALARMS_READ) as conn:
        try:
            parsed = uuid.UUID(event_id)
        except ValueError:
            raise NotFound("no such alarm event", field="id") from None
        view = await alarm_queries.event_by_id(conn, tenant, parsed)
    if view is None:
        raise NotFound("no such alarm event", field="id")
    return view


@dataclass(frozen=True, slots=True)
class RuleView:
    """A rule as it applies to the tenant (``model_id`` None) or to one model."""

    rule: Rule
    model_id: int | None
    unit: str
    name_zh: str
    name_en: str
    default_threshold: float
    default_level: int
    overridden: bool


def _views(overrides: list[RuleOverride], model_id: int | None) -> list[RuleView]:
    rules = resolve(overrides, model_id)
    own = {o.code for o in overrides if o.model_id == model_id}
    return [RuleView(rules[code], model_id, info.unit, info.name_zh, info.name_en,
                     info.default_threshold, info.default_level, code in own)
            for code, info in RULES.items()]


async def list_rules(db: Conn | Pool, actor: Principal, tenant: str, *,
                     model_id: int | None = None) -> list[RuleView]:
    """Every rule in force for the tenant, or for vehicles of ``model_id``."""
    async with tenant_use_case(db, actor, tenant, P.ALARMS_READ) as conn:
        if model_id is not None and not await alarms.model_exists(conn, model_id):
            raise NotFound("no such vehicle model", field="model_id")
        return _views(await alarms.rule_overrides(conn), model_id)


async def update_rule(db: Conn | Pool, actor: Principal, tenant: str,
                      override: RuleOverride) -> RuleView:
    """Set the tenant's (or a model's) threshold, level and switch of one rule; every part
    left None falls back to the value below it, all None removes the override. The engine
    picks the change up within its rule refresh interval."""
    async with tenant_use_case(db, actor, tenant, P.ALARMS_CONFIGURE) as conn:
        check_override(override)
        if override.model_id is not None and not await alarms.model_exists(conn,
                                                                           override.model_id):
            raise NotFound("no such vehicle model", field="model_id")
        await alarms.put_rule_override(conn, override, actor.subject)
        views = _views(await alarms.rule_overrides(conn), override.model_id)
    return next(view for view in views if view.rule.code is override.code)
