"""The per-connection session: who is logged in on this link, and the helpers every command
handler shares (answers, refusals, events, audit, sink). The rules per command are in
``handlers.py``; the socket side is in ``connection.py``.

A link is a *vehicle link* until a lower platform logs in with 0x05 (§7.3), then a *platform
link* on which many VINs multiplex without their own 0x01 (§1). ``present`` holds the VINs this
link currently speaks for, with their route; each of them got exactly one LOGIN or CONNECTED
event and gets exactly one LOGOUT or DISCONNECTED event.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Final, Protocol

from gateway.protocol.bodies import Encrypted
from gateway.protocol.codec import ENCRYPTED, decode_envelope, encode_body
from gateway.protocol.crypto import KeyRing
from gateway.protocol.envelope import Envelope, split_framed
from gateway.protocol.errors import DecryptionFailed, EncodeError, PeerError
from gateway.protocol.frame import Frame
from gateway.protocol.model import Command, Edition, ResponseFlag
from gateway.protocol.replies import reply_to
from gateway.protocol.wire import decode_text

from .context import NOTHING, GatewayContext, Outcome, Refusal
from .handlers import HANDLERS
from .instruments import NO_TENANT, command_label, flag_label
from .interfaces import (
    AcceptedFrame,
    FrameKind,
    PlatformAccount,
    SessionEvent,
    TenantRoute,
)

log = logging.getLogger(__name__)

AUDIT_MEMORY: Final = 256      # distinct (reason, unique id) audit rows one connection may cause
_REPLY_FLAGS: Final = frozenset(range(ResponseFlag.SUCCESS, ResponseFlag.DECRYPTION_FAILED + 1))
_SIGNED: Final = frozenset({Command.REALTIME, Command.REISSUE})


class Link(Protocol):
    """The socket side of a session (``connection.Connection``)."""

    def request_close(self, reason: str) -> None: ...

    def idle_for(self) -> float: ...


def unique_id_text(envelope: Envelope) -> str:
    return decode_text(envelope.unique_id_raw)[0]


class Session:
    def __init__(self, context: GatewayContext, connection_id: str, peer: str,
                 link: Link) -> None:
        self.context = context
        self.connection_id = connection_id
        self.peer = peer
        self.platform: PlatformAccount | None = None
        self.present: dict[str, TenantRoute] = {}
        self.claimed: set[str] = set()          # VINs this session holds in the online table
        self._link = link
        self._audited: set[tuple[str, str]] = set()

    def idle_for(self) -> float:
        """Seconds since the link last received bytes (stale-link check of the duplicate
        policy)."""
        return self._link.idle_for()

    @property
    def authenticated(self) -> bool:
        """A vehicle or a platform is logged in; until then the handshake timeout runs."""
        return self.platform is not None or bool(self.present)

    # ---- entry points -------------------------------------------------------------------------

    async def handle(self, raw: bytes, received_at: datetime) -> Outcome:
        """Apply one BCC-valid frame from the framer; return what to answer."""
        envelope = split_framed(raw)
        if envelope.response == ResponseFlag.COMMAND:
            outcome = await self._request(envelope, raw, received_at)
        else:
            outcome = await self._peer_reply(envelope, raw, received_at)
        self.context.metrics.frames.inc(command_label(envelope.command), envelope.edition.value,
                                        outcome.tenant)
        return outcome

    async def evict(self, vin: str) -> None:
        """Another connection logged the VIN in under the REPLACE_OLD policy."""
        self.claimed.discard(vin)
        route = self.present.pop(vin, None)
        if route is not None:
            await self.event(route, vin, SessionEvent.DISCONNECTED, self.context.clock(),
                             {"reason": "replaced"})
        if not self.authenticated:
            self._link.request_close("replaced")

    async def end(self, reason: str) -> None:
        """The connection is closing: close every open VIN session."""
        await self.disconnect_all(reason)
        self.platform = None

    async def recheck_routes(self) -> str | None:
        """Route every VIN this link speaks for again (after a tenant change notice, and every
        ``route_ttl_s``); end the session of each VIN whose tenant is suspended or whose route
        is gone. Returns the reason to close when no login is left on the link."""
        registry = self.context.registry
        ended: str | None = None
        for vin, route in list(self.present.items()):
            fresh = await registry.route(vin)
            if fresh is not None and fresh.active and fresh.tenant == route.tenant:
                if vin in self.present:
                    self.present[vin] = fresh
                continue
            ended = "tenant_suspended" if fresh is not None and not fresh.active \
                else "route_withdrawn"
            if self.present.pop(vin, None) is None:
                continue
            if vin in self.claimed:
                self.claimed.discard(vin)
                self.context.online.release(vin, self)
            await self.event(route, vin, SessionEvent.DISCONNECTED, self.context.clock(),
                             {"reason": ended})
        return ended if ended is not None and not self.authenticated else None

    async def disconnect_all(self, reason: str) -> None:
        at = self.context.clock()
        present, self.present = self.present, {}
        for vin, route in present.items():
            await self.event(route, vin, SessionEvent.DISCONNECTED, at, {"reason": reason})
        for vin in self.claimed:
            self.context.online.release(vin, self)
        self.claimed.clear()

    # ---- dispatch -----------------------------------------------------------------------------

    async def _request(self, envelope: Envelope, raw: bytes, received_at: datetime) -> Outcome:
        handler = HANDLERS.get(envelope.command)
        if handler is None:
            # 2025 activation / key exchange and reserved ids are not served here yet: counted,
            # audited once, not answered (§4: an answer the terminal cannot interpret helps no one).
            return await self.refuse(envelope, "unsupported_command", None,
                                     audit={"command": envelope.command})
        edition = envelope.edition
        try:
            frame = decode_envelope(envelope, keys=await self._keys_for(envelope))
        except DecryptionFailed as exc:
            return await self.refuse(envelope, "decryption_failed",
                                     Refusal.DECRYPTION.flag(edition), audit=exc.as_dict())
        except PeerError as exc:
            return await self.refuse(envelope, "invalid_data_unit",
                                     Refusal.STRUCTURE.flag(edition), audit=exc.as_dict())
        if isinstance(frame.body, Encrypted):
            # §5: no key configured for this unit; the data cannot be checked or stored.
            return await self.refuse(envelope, "undecryptable", Refusal.DECRYPTION.flag(edition),
                                     audit={"encryption": frame.encryption})
        return await handler(self, envelope, frame, raw, received_at)

    async def _peer_reply(self, envelope: Envelope, raw: bytes, received_at: datetime) -> Outcome:
        """A terminal's answer to one of our commands: never answered (§4); kept when it comes
        from a VIN this link speaks for."""
        metrics = self.context.metrics
        if envelope.response not in _REPLY_FLAGS:
            metrics.rejects.inc("unknown_flag")
            return NOTHING
        vin = unique_id_text(envelope)
        route = self.present.get(vin)
        if route is None:
            metrics.rejects.inc("unsolicited_reply")
            return NOTHING
        try:
            frame = decode_envelope(envelope, keys=await self._keys_for(envelope))
        except PeerError:
            metrics.rejects.inc("invalid_data_unit")
            return Outcome(tenant=route.tenant)
        await self.submit(route, vin, frame, raw, received_at=received_at, kind=FrameKind.REPLY)
        return Outcome(tenant=route.tenant)

    async def _keys_for(self, envelope: Envelope) -> KeyRing | None:
        """Keys only when the frame needs them: encrypted, or a 2025 report with a signature."""
        if envelope.encryption in ENCRYPTED or (envelope.edition is Edition.V2025
                                                and envelope.command in _SIGNED):
            return await self.context.registry.keys()
        return None

    # ---- helpers for handlers -----------------------------------------------------------------

    def answer(self, envelope: Envelope, flag: ResponseFlag, frame: Frame | None = None) -> bytes:
        plain = _plaintext(frame) if frame is not None and frame.ciphertext is not None else None
        answer = reply_to(envelope, flag, self.context.clock(), plain)
        if answer is None:
            # Only reached if a caller answered a reply; _peer_reply never does.
            raise ValueError("replies are never answered (§4)")
        self.context.metrics.answers.inc(flag_label(flag))
        return answer

    async def refuse(self, envelope: Envelope, reason: str, flag: ResponseFlag | None, *,
                     audit: Mapping[str, object] | None = None, close: bool = False,
                     tenant: str = NO_TENANT) -> Outcome:
        """Count a refusal, audit it (once per reason and unique id), and answer ``flag``."""
        self.context.metrics.rejects.inc(reason)
        if audit is not None:
            await self._audit(unique_id_text(envelope), reason, audit)
        answer = self.answer(envelope, flag) if flag is not None else None
        return Outcome(answer, reason if close else None, tenant)

    async def event(self, route: TenantRoute, vin: str, kind: SessionEvent, at: datetime,
                    details: Mapping[str, object]) -> None:
        self.context.metrics.events.inc(kind.value)
        await self.context.sink.event(route.tenant, vin, kind, at, {
            **details, "connection_id": self.connection_id, "peer": self.peer})

    async def submit(self, route: TenantRoute, vin: str, frame: Frame, raw: bytes, *,
                     received_at: datetime, kind: FrameKind) -> None:
        item = AcceptedFrame(tenant=route.tenant, vin=vin, received_at=received_at, raw=raw,
                             frame=frame, connection_id=self.connection_id, peer=self.peer,
                             kind=kind)
        started = time.perf_counter()
        await self.context.sink.submit(item)
        self.context.metrics.sink_seconds.observe(time.perf_counter() - started)

    async def _audit(self, unique_id: str, reason: str, detail: Mapping[str, object]) -> None:
        key = (reason, unique_id)
        if key in self._audited or len(self._audited) >= AUDIT_MEMORY:
            return
        self._audited.add(key)
        try:
            await self.context.audit.rejected(self.peer, unique_id, reason, {
                **detail, "connection_id": self.connection_id})
        except Exception:
            # The audit trail is best effort: a storage hiccup must not cut vehicles off.
            log.exception("audit write failed for %s on %s", reason, self.connection_id)


def _plaintext(frame: Frame) -> bytes | None:
    """The decrypted data unit, so an answer to an encrypted request echoes its real time."""
    try:
        return encode_body(frame)
    except EncodeError:
        return None
