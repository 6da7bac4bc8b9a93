"""One TCP (or TLS) connection: read, frame, rate-limit, hand frames to the session, write answers.

Memory per connection is bounded by construction: the StreamReader pauses the socket above
2 x ``reader_buffer`` bytes, the framer holds less than one frame between reads, and frames
are handled one at a time, so while the sink applies backpressure nothing more is read.
Timeouts (settings): handshake (no login yet), idle (no bytes at all), partial frame (bytes
buffered but no complete frame), drain (the peer does not read our answers).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import ssl
from datetime import datetime
from typing import Final

from gateway.protocol.framer import FramerStats, StreamFramer

from .context import GatewayContext
from .interfaces import RegistryUnavailable
from .ratelimit import FrameRateLimiter
from .session import Session

log = logging.getLogger(__name__)

_PARTIAL: Final = "partial_frame"
# Peers that stopped cooperating get no orderly close: we would only wait for them again.
_ABORT: Final = frozenset({"slow_reader", "rate_limit", "garbage", "peer_reset"})
_CLOSE_WAIT_S: Final = 1.0


def format_peer(peername: object) -> str:
    if isinstance(peername, tuple) and len(peername) >= 2:
        host, port = peername[0], peername[1]
        return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"
    return str(peername)


class Connection:
    def __init__(self, context: GatewayContext, connection_id: str,
                 reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        settings = context.settings
        self.id = connection_id
        self.peer = format_peer(writer.get_extra_info("peername"))
        self.session = Session(context, connection_id, self.peer, self)
        self._context = context
        self._settings = settings
        self._reader = reader
        self._writer = writer
        self._loop = asyncio.get_running_loop()
        self._framer = StreamFramer(max_frame_size=settings.max_frame_size)
        self._framer_seen = FramerStats()
        now = self._loop.time()
        self._idle_since = now                # last bytes received, or end of our own work
        self._last_progress = now            # last complete frame, or when the buffer was empty
        self._handshake_deadline: float | None = now + settings.handshake_timeout_s
        self._noise = 0                      # bytes dropped by the framer since the last frame
        self._limiter = FrameRateLimiter(settings.vehicle_rate, now)
        self._limited_for: object = None     # the platform account the limiter was built for
        self._close_reason: str | None = None
        self._read_timeout: asyncio.Timeout | None = None
        # Routes of the VINs on this link are checked again at this time, or at once when a
        # tenant change notice arrives (a suspension must not wait for the next login).
        self._recheck_at = now + settings.route_ttl_s
        self._recheck_requested = False

    def request_close(self, reason: str) -> None:
        """Close after the frames already received are handled; wakes a waiting read now."""
        if self._close_reason is None:
            self._close_reason = reason
        if self._read_timeout is not None:
            self._read_timeout.reschedule(self._loop.time())

    def request_recheck(self) -> None:
        """Route this link's VINs again before the next frame; wakes a waiting read now."""
        self._recheck_requested = True
        if self._read_timeout is not None:
            self._read_timeout.reschedule(self._loop.time())

    def idle_for(self) -> float:
        return self._loop.time() - self._idle_since

    def _requested_close(self) -> str | None:
        """Read through a call: ``request_close`` changes the field while we await."""
        return self._close_reason

    def _recheck_pending(self) -> bool:
        """Read through a call, like ``_requested_close``."""
        return self._recheck_requested

    async def run(self) -> None:
        metrics = self._context.metrics
        metrics.connections.inc()
        metrics.connections_total.inc()
        reason = "internal_error"
        try:
            reason = await self._serve()
        except RegistryUnavailable as exc:
            reason = "registry_unavailable"
            log.warning("closing %s: %s", self.id, exc)
        except (ConnectionError, ssl.SSLError):
            reason = "peer_reset"
        except asyncio.CancelledError:
            reason = "cancelled"
            raise
        except Exception:
            log.exception("closing %s after an unexpected error", self.id)
        finally:
            await self._finish(reason)

    async def _finish(self, reason: str) -> None:
        metrics = self._context.metrics
        try:
            await self.session.end(reason)
        except Exception:
            log.exception("could not record the end of %s", self.id)
        finally:
            metrics.connections.dec()
            metrics.connections_closed.inc(reason)
            await self._close_transport(abort=reason in _ABORT)

    async def _close_transport(self, *, abort: bool) -> None:
        if abort:
            self._writer.transport.abort()
            return
        self._writer.close()
        try:
            async with asyncio.timeout(_CLOSE_WAIT_S):
                await self._writer.wait_closed()
        except (TimeoutError, OSError):
            self._writer.transport.abort()

    async def _serve(self) -> str:
        while True:
            received = await self._receive()
            if isinstance(received, str):
                return received
            withdrawn = await self._recheck_routes()
            received_at = self._context.clock()
            # Frames already received are still handled: those of a withdrawn VIN get an
            # error answer (not logged in) rather than silence, which would mean "stored".
            for raw in received:
                reason = await self._process(raw, received_at)
                if reason is not None:
                    return reason
            if received:
                # Time spent waiting for the sink is ours, not the peer's silence.
                self._idle_since = self._loop.time()
            requested = self._requested_close() or withdrawn
            if requested is not None:
                return requested

    async def _recheck_routes(self) -> str | None:
        now = self._loop.time()
        if not self._recheck_requested and now < self._recheck_at:
            return None
        self._recheck_requested = False
        self._recheck_at = now + self._settings.route_ttl_s
        reason = await self.session.recheck_routes()
        self._follow_session()
        return reason

    async def _receive(self) -> list[bytes] | str:
        """Complete frames, or the reason to close."""
        while True:
            requested = self._requested_close()
            if requested is not None:
                return requested
            if self._recheck_pending():
                return []
            deadline, why = self._next_deadline()
            try:
                async with asyncio.timeout_at(deadline) as timeout:
                    self._read_timeout = timeout
                    chunk = await self._reader.read(self._settings.read_chunk)
            except TimeoutError:
                requested = self._requested_close()
                if requested is not None:
                    return requested
                if self._recheck_pending():
                    return []
                if why != _PARTIAL:
                    return why
                # §2.2 step 4: a corrupted length must not stall the link forever.
                frames = self._framer.expire_partial()
                self._last_progress = self._loop.time()
                verdict = self._account_framer(frames)
                if verdict is not None or frames:
                    return verdict or frames
                continue
            finally:
                self._read_timeout = None
            if not chunk:
                return "peer_closed"
            now = self._loop.time()
            self._idle_since = now
            if self._framer.buffered == 0:
                self._last_progress = now
            frames = self._framer.feed(chunk)
            if frames:
                self._last_progress = now
            verdict = self._account_framer(frames)
            if verdict is not None or frames:
                return verdict or frames

    def _next_deadline(self) -> tuple[float, str]:
        settings = self._settings
        deadline = (self._idle_since + settings.effective_idle_timeout, "idle_timeout")
        if self._handshake_deadline is not None:
            deadline = min(deadline, (self._handshake_deadline, "handshake_timeout"))
        if self._framer.buffered:
            deadline = min(deadline, (self._last_progress + settings.partial_frame_timeout_s,
                                      _PARTIAL))
        return deadline

    def _account_framer(self, frames: list[bytes]) -> str | None:
        """Publish the framer's counters; too much noise without a frame closes the link."""
        stats = self._framer.stats
        seen = self._framer_seen
        self._context.metrics.framer_delta(seen, stats)
        noise = (stats.garbage_bytes - seen.garbage_bytes + stats.bad_checksum - seen.bad_checksum
                 + stats.oversize - seen.oversize + stats.expired_partial - seen.expired_partial)
        self._framer_seen = dataclasses.replace(stats)
        self._noise = noise if frames else self._noise + noise
        if self._noise > self._settings.max_garbage_bytes:
            return "garbage"
        return None

    async def _process(self, raw: bytes, received_at: datetime) -> str | None:
        """Handle one frame; return a reason to close, or None to go on."""
        delay = self._limiter.admit(self._loop.time())
        if delay is None:
            self._context.metrics.rejects.inc("rate_limited")
            return "rate_limit"
        if delay:
            self._context.metrics.rejects.inc("rate_limited")
            await asyncio.sleep(delay)
        outcome = await self.session.handle(raw, received_at)
        self._follow_session()
        if outcome.answer is not None:
            failure = await self._send(outcome.answer)
            if failure is not None:
                return failure
        return outcome.close

    def _follow_session(self) -> None:
        """Re-arm the handshake timer after the last logout; switch rate limits on 0x05/0x06."""
        session = self.session
        now = self._loop.time()
        if session.authenticated:
            self._handshake_deadline = None
        elif self._handshake_deadline is None:
            self._handshake_deadline = now + self._settings.handshake_timeout_s
        account = session.platform
        if account is not self._limited_for:
            self._limited_for = account
            if account is None:
                self._limiter = FrameRateLimiter(self._settings.vehicle_rate, now)
            else:
                self._limiter = FrameRateLimiter(self._settings.platform_rate, now,
                                                 account.frames_per_second)

    async def _send(self, answer: bytes) -> str | None:
        writer = self._writer
        try:
            writer.write(answer)
            if not writer.transport.get_write_buffer_size() and not writer.is_closing():
                # The socket took it all: drain would return at once, and its timeout costs
                # a timer per answer.
                return None
            async with asyncio.timeout(self._settings.drain_timeout_s):
                await writer.drain()
        except TimeoutError:
            return "slow_reader"
        except ConnectionError:
            return "peer_reset"
        return None
