"""The batched check of nested fields: the rows resolved together ask one question per
(permission, tenant, field), a refusal reaches every row and is audited once with all their
targets, and a later batch asks again (nothing is cached across batches)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from api_support import RecordingSink

from backend.api.audit import Auditor, RequestOrigin
from backend.api.graphql.access_batches import AccessBatches, AccessRequest
from backend.core.access import AccessDenied, Permission, Principal, Role

TENANT = "tbatch01"


@dataclass
class FieldContext:
    """What the check reads of a request context; a tenant actor's check needs no database
    (only provider staff look up support grants), so there is none."""

    principal: Principal | None
    audit: Auditor
    services: Any = field(default_factory=lambda: SimpleNamespace(db=None))


def _batches(principal: Principal | None) -> tuple[AccessBatches, RecordingSink]:
    sink = RecordingSink()
    context = FieldContext(principal, Auditor(sink, RequestOrigin.of("req-1", None, None)))
    return AccessBatches(context), sink  # type: ignore[arg-type]


def _rows(permission: Permission, count: int) -> list[AccessRequest]:
    return [AccessRequest(permission, TENANT, "Vehicle.rawFramesProbe", (f"VIN{row:014d}",))
            for row in range(count)]


async def test_a_refusal_reaches_every_row_and_is_audited_once() -> None:
    batches, sink = _batches(Principal("user:7", Role.VIEWER, TENANT))
    answers = await asyncio.gather(*(batches.check(row)
                                     for row in _rows(Permission.RAW_FRAMES_READ, 40)),
                                   return_exceptions=True)
    assert all(isinstance(answer, AccessDenied) for answer in answers)
    [event] = sink.events
    assert (event.operation, event.outcome, event.tenant) == (
        "Vehicle.rawFramesProbe", "denied", TENANT)
    assert len(event.targets) == 40 and event.details == {"reason": "role lacks the permission"}


async def test_allowed_rows_pass_and_each_batch_asks_again() -> None:
    batches, sink = _batches(Principal("user:7", Role.VIEWER, TENANT))
    for _ in range(2):
        answers = await asyncio.gather(*(batches.check(row)
                                         for row in _rows(Permission.VEHICLE_STATE_READ, 5)))
        assert answers == [None] * 5
    assert sink.events == []  # the dataloader of the field audits the reads
    other = AccessRequest(Permission.VEHICLE_STATE_READ, "tbatch02", "Vehicle.latestState", ())
    with pytest.raises(AccessDenied):
        await batches.check(other)
    assert [event.details for event in sink.events] == [{"reason": "cross-tenant access"}]


async def test_anonymous_rows_are_unauthenticated() -> None:
    batches, sink = _batches(None)
    answers = await asyncio.gather(*(batches.check(row)
                                     for row in _rows(Permission.VEHICLE_STATE_READ, 3)),
                                   return_exceptions=True)
    assert [getattr(answer, "code", None) for answer in answers] == ["UNAUTHENTICATED"] * 3
    assert len(sink.events) == 1
