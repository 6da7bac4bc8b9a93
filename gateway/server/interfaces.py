"""What the gateway needs from the rest of the system, as small typed protocols.

The storage side implements ``Registry``, ``IngestSink`` and ``AuditLog``; the gateway never
writes SQL. Everything crossing these boundaries is an immutable value.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import msgspec

from gateway.protocol.crypto import KeyRing
from gateway.protocol.frame import Frame

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class TenantRoute:
    """Where a registered VIN's data goes. ``ack_realtime`` overrides the gateway default for
    terminals whose profile waits for an answer to every realtime frame (§6.2). ``active`` is
    False while the tenant is suspended: the VIN is known but its frames are refused."""

    tenant: str
    usage: str
    ack_realtime: bool | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class PlatformAccount:
    """A lower platform allowed to log in with 0x05 (§7.3).

    ``tenant`` restricts the VINs it may send to one tenant's vehicles; ``max_vins`` is its VIN
    quota (extra VINs get 0x03, §4); ``frames_per_second`` overrides the platform rate limit.
    """

    account_id: str
    tenant: str | None = None
    max_vins: int | None = None
    ack_realtime: bool | None = None
    frames_per_second: float | None = None


class RegistryUnavailable(Exception):
    """The registry could not answer (database down) and no cached answer exists."""


class Registry(Protocol):
    async def route(self, vin: str) -> TenantRoute | None:
        """The tenant of a registered VIN (``active`` False while the tenant is suspended),
        or None when it is not registered."""
        ...

    async def check_platform(self, username: str, password: str) -> PlatformAccount | None:
        """The account when the credentials are right, otherwise None."""
        ...

    async def keys(self) -> KeyRing | None:
        """Decryption and signature keys (§5, §14.5); None when none are configured."""
        ...


class FrameKind(enum.StrEnum):
    REALTIME = "realtime"    # 0x02
    REISSUE = "reissue"      # 0x03: collected earlier, must be treated as historical (§11)
    REPLY = "reply"          # a terminal's answer to a platform command (flag != 0xFE)
    SESSION = "session"      # an accepted vehicle login (0x01) or logout (0x04), archived raw


class AcceptedFrame(msgspec.Struct, frozen=True):
    """A frame from a routed VIN that passed every session check. ``raw`` is the exact frame
    as received (BCC included) so the archive can be replayed byte for byte. A Struct, not a
    frozen dataclass: one is built per frame and the dataclass's ``__init__`` cost ten times
    as much."""

    tenant: str
    vin: str
    received_at: datetime
    raw: bytes
    frame: Frame
    connection_id: str
    peer: str
    kind: FrameKind

    @property
    def reissued(self) -> bool:
        return self.kind is FrameKind.REISSUE


class SessionEvent(enum.StrEnum):
    """Per-VIN link events. Every LOGIN or CONNECTED is later closed by exactly one LOGOUT or
    DISCONNECTED."""

    LOGIN = "login"                  # 0x01 answered with success
    LOGOUT = "logout"                # 0x04 answered with success
    CONNECTED = "connected"          # first frame of a VIN on a platform link without its 0x01
    DISCONNECTED = "disconnected"    # link closed, platform logout or session replaced


class IngestSink(Protocol):
    async def submit(self, item: AcceptedFrame) -> None:
        """Take ownership of an accepted frame. May await (backpressure), must never drop."""
        ...

    async def event(self, tenant: str, vin: str, kind: SessionEvent, at: datetime,
                    details: Mapping[str, object]) -> None:
        """Record a session event of a routed VIN."""
        ...

    async def drain(self) -> None:
        """Flush everything submitted so far (called once on shutdown)."""
        ...


class AuditLog(Protocol):
    async def rejected(self, peer: str, unique_id: str, reason: str,
                       detail: Mapping[str, object]) -> None:
        """A refused login or frame; ``detail`` never contains a password."""
        ...
