"""In-process stand-ins for the storage side's Registry, IngestSink and AuditLog that record
every call, and a socket client that reads whole frames."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from gateway.protocol.crypto import KeyRing
from gateway.server.interfaces import (
    AcceptedFrame,
    FrameKind,
    PlatformAccount,
    SessionEvent,
    TenantRoute,
)


@dataclass
class FakeRegistry:
    routes: dict[str, TenantRoute] = field(default_factory=dict)
    platforms: dict[tuple[str, str], PlatformAccount] = field(default_factory=dict)
    key_ring: KeyRing | None = None
    failing: bool = False
    route_calls: list[str] = field(default_factory=list)

    async def route(self, vin: str) -> TenantRoute | None:
        self.route_calls.append(vin)
        if self.failing:
            raise ConnectionRefusedError("database down")
        return self.routes.get(vin)

    async def check_platform(self, username: str, password: str) -> PlatformAccount | None:
        return self.platforms.get((username, password))

    async def keys(self) -> KeyRing | None:
        return self.key_ring


@dataclass(frozen=True)
class Event:
    tenant: str
    vin: str
    kind: SessionEvent
    at: datetime
    details: Mapping[str, object]


@dataclass
class RecordingSink:
    items: list[AcceptedFrame] = field(default_factory=list)
    """Data frames: realtime, reissue and replies."""
    session_frames: list[AcceptedFrame] = field(default_factory=list)
    """Accepted vehicle logins and logouts, archived as raw frames."""
    events: list[Event] = field(default_factory=list)
    drained: bool = False
    gate: asyncio.Event | None = None       # when set up, data frames wait for it (a slow sink)
    waiting: int = 0

    async def submit(self, item: AcceptedFrame) -> None:
        if self.gate is not None and item.kind is not FrameKind.SESSION:
            self.waiting += 1
            await self.gate.wait()
            self.waiting -= 1
        target = self.session_frames if item.kind is FrameKind.SESSION else self.items
        target.append(item)

    async def event(self, tenant: str, vin: str, kind: SessionEvent, at: datetime,
                    details: Mapping[str, object]) -> None:
        self.events.append(Event(tenant, vin, kind, at, details))

    async def drain(self) -> None:
        self.drained = True

    def kinds(self) -> list[tuple[str, SessionEvent]]:
        return [(event.vin, event.kind) for event in self.events]


@dataclass(frozen=True)
class Rejection:
    peer: str
    unique_id: str
    reason: str
    detail: Mapping[str, object]


@dataclass
class RecordingAudit:
    rejections: list[Rejection] = field(default_factory=list)

    async def rejected(self, peer: str, unique_id: str, reason: str,
                       detail: Mapping[str, object]) -> None:
        self.rejections.append(Rejection(peer, unique_id, reason, detail))

    def reasons(self) -> list[tuple[str, str]]:
        return [(item.unique_id, item.reason) for item in self.rejections]


class Client:
    """A terminal or platform on a real socket."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(cls, port: int, tls: ssl.SSLContext | None = None) -> Client:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=tls)
        return cls(reader, writer)

    async def send(self, *frames: bytes) -> None:
        self.writer.write(b"".join(frames))
        await self.writer.drain()

    async def frame(self, timeout: float = 2.0) -> bytes:
        """One whole frame: 24 header bytes, then N data bytes and the BCC."""
        async with asyncio.timeout(timeout):
            head = await self.reader.readexactly(24)
            rest = await self.reader.readexactly(int.from_bytes(head[22:24], "big") + 1)
        return head + rest

    async def request(self, frame: bytes) -> bytes:
        await self.send(frame)
        return await self.frame()

    async def silent(self, period: float = 0.2) -> bool:
        """True when nothing arrives (and the link stays open) for ``period`` seconds."""
        try:
            async with asyncio.timeout(period):
                await self.reader.read(1)
        except TimeoutError:
            return True
        return False

    async def closed_by_peer(self, timeout: float = 3.0) -> bool:
        """True when the server closes the link within ``timeout`` (answers are skipped)."""
        try:
            async with asyncio.timeout(timeout):
                while await self.reader.read(4096):
                    pass
        except TimeoutError:
            return False
        except ConnectionError:
            return True
        return True

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            await self.writer.wait_closed()
