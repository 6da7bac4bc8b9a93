"""What the transport tells the audit log: every authentication event, every mutation, every
read of vehicle data and every denial, with who, where and which request.

The transport writes through the small ``AuditSink`` protocol so it does not depend on how the
log is stored. ``DatabaseAuditSink`` appends to the hash-chained log (backend.services.audit,
docs/audit.md); ``LogAuditSink`` writes structured log lines, and is where an entry goes when
the database cannot take it, so no event is dropped silently.
"""

from __future__ import annotations

import asyncio
import enum
import ipaddress
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from backend.core.access import Principal
from backend.core.audit import ActorKind, AuditEntry, Result
from backend.services import audit as audit_log
from backend.services.runtime import Services

LOG = logging.getLogger("nevguard.audit")


class Outcome(enum.StrEnum):
    OK = "ok"  # done
    FAILED = "failed"  # attempted and refused for its content (bad password, invalid input)
    DENIED = "denied"  # refused by authentication, a permission or a tenant check


@dataclass(frozen=True, slots=True)
class AuditEvent:
    at: datetime
    actor_kind: str  # "user" | "client" | "anonymous"
    actor_id: str
    actor_tenant: str | None
    role: str | None
    tenant: str | None  # the tenant acted in or aimed at; None for platform operations
    operation: str
    targets: tuple[str, ...]
    outcome: Outcome
    ip: str | None
    user_agent: str | None
    request_id: str
    details: dict[str, Any] = field(default_factory=dict)


class AuditSink(Protocol):
    async def record(self, event: AuditEvent) -> None: ...


class LogAuditSink:
    async def record(self, event: AuditEvent) -> None:
        LOG.info("audit %s", json.dumps(asdict(event), default=str, sort_keys=True))


class DatabaseAuditSink:
    """Appends each event to the tamper-evident log; ``services`` is read at call time because
    the pool opens after the app is built (uvicorn's lifespan).

    Group commit: the chain has one head, locked by every append, so one transaction per
    request made concurrent requests queue on that lock and on the pool (measured: most of
    the API's capacity under 100 users). Events that arrive while a batch is being written go
    into the next one, written in one transaction; each caller still waits until its own
    event is committed, so nothing is acknowledged before it is in the chain."""

    MAX_BATCH = 500

    def __init__(self, services: Callable[[], Services]) -> None:
        self._services = services
        self._fallback = LogAuditSink()
        self._waiting: list[tuple[AuditEntry, AuditEvent, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, event: AuditEvent) -> None:
        try:
            entry = _entry(event)
        except Exception:
            LOG.exception("audit: the chain refuses this event; kept as a log line")
            await self._fallback.record(event)
            return
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((entry, event, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="audit-group-commit")
        # Shielded: a request cancelled while waiting must not cancel its event's write.
        await asyncio.shield(done)

    async def _write(self) -> None:
        while self._waiting:
            batch = self._waiting[:self.MAX_BATCH]
            del self._waiting[:self.MAX_BATCH]
            if not await self._append([entry for entry, _, _ in batch]):
                # One at a time: an event the chain's canonical form refuses must not take the
                # others of its batch along to the log lines.
                for entry, event, _ in batch:
                    if len(batch) == 1 or not await self._append([entry]):
                        await self._fallback.record(event)
            for _, _, done in batch:
                if not done.done():
                    done.set_result(None)

    async def _append(self, entries: list[AuditEntry]) -> bool:
        try:
            await audit_log.record_many(self._services().db, entries)
        except Exception:
            # The log line keeps the event when the chain cannot (database away, a value the
            # chain's canonical form refuses); the failure itself is logged for the operators.
            LOG.exception("audit: appending to the hash-chained log failed; kept as a log line")
            return False
        return True


def _entry(event: AuditEvent) -> AuditEntry:
    return AuditEntry(
        at=event.at, actor_kind=ActorKind(event.actor_kind), actor_id=event.actor_id,
        operation=event.operation, result=Result(event.outcome.value),
        actor_tenant=event.actor_tenant, role=event.role, tenant=event.tenant,
        targets=tuple(event.targets), ip=event.ip, user_agent=event.user_agent,
        request_id=event.request_id, details=dict(event.details))


@dataclass(frozen=True, slots=True)
class RequestOrigin:
    """Where a request came from, as the transport saw it."""

    request_id: str
    ip: str | None
    user_agent: str | None

    @classmethod
    def of(cls, request_id: str, host: str | None, user_agent: str | None) -> RequestOrigin:
        # Test clients and unix sockets report names, not addresses; the log keeps addresses.
        try:
            ip = None if host is None else str(ipaddress.ip_address(host))
        except ValueError:
            ip = None
        return cls(request_id, ip, None if user_agent is None else user_agent[:512])


class Auditor:
    """Fills in the actor and the request for each event of one request."""

    def __init__(self, sink: AuditSink, origin: RequestOrigin) -> None:
        self._sink = sink
        self.origin = origin

    async def record(self, principal: Principal | None, operation: str, outcome: Outcome, *,
                     tenant: str | None = None, targets: tuple[str, ...] = (),
                     details: dict[str, Any] | None = None, actor_hint: str | None = None) -> None:
        """``actor_hint`` names the claimed actor of a failed login (an e-mail or client id)
        when there is no principal yet."""
        if principal is None:
            kind, actor_id, actor_tenant, role = "anonymous", actor_hint or "-", None, None
        else:
            kind, _, _ = principal.subject.partition(":")
            actor_id, actor_tenant, role = principal.subject, principal.tenant, principal.role
        await self._sink.record(AuditEvent(
            at=datetime.now(UTC), actor_kind=kind, actor_id=actor_id, actor_tenant=actor_tenant,
            role=None if role is None else str(role), tenant=tenant, operation=operation,
            targets=targets, outcome=outcome, ip=self.origin.ip,
            user_agent=self.origin.user_agent, request_id=self.origin.request_id,
            details=details or {}))
