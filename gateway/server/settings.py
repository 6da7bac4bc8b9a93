"""Gateway settings: one frozen object, read once at start-up (ARCHITECTURE.md rule 6).

Every limit that protects the gateway from one misbehaving peer lives here with its default;
docs/gateway.md explains each one.
"""

from __future__ import annotations

import enum
import ssl
from dataclasses import dataclass, field
from pathlib import Path

from gateway.protocol.framer import DEFAULT_MAX_FRAME


class DuplicatePolicy(enum.StrEnum):
    """What to do when a VIN logs in while it is online on another connection (§10)."""

    REJECT_NEW = "reject_new"        # answer the new login with 0x03 (§4)
    REPLACE_OLD = "replace_old"      # close the old session, accept the new one


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Token bucket of frames per second with a burst allowance.

    Frames over the limit are delayed (TCP backpressure), not dropped. Each delayed frame also
    takes a token from an "abuse" bucket of ``abuse_frames`` refilled over ``abuse_window_s``;
    when that bucket is empty the peer has been over the limit for too long and is disconnected.
    """

    frames_per_second: float
    burst: int
    abuse_frames: int
    abuse_window_s: float = 60.0

    def __post_init__(self) -> None:
        if self.frames_per_second <= 0 or self.burst < 1 or self.abuse_frames < 1:
            raise ValueError("rate limits must be positive")
        if self.abuse_window_s <= 0:
            raise ValueError("abuse_window_s must be positive")


@dataclass(frozen=True, slots=True)
class TlsFiles:
    """PEM certificate chain and private key; the listener speaks TLS when these are set."""

    cert_path: Path
    key_path: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.cert_path, self.key_path)
        return context


@dataclass(frozen=True, slots=True)
class GatewaySettings:
    host: str = "0.0.0.0"  # noqa: S104 - a public listener is the point of the gateway
    port: int = 32960
    # SO_REUSEPORT: several gateway processes on one host share the port and the kernel spreads
    # connections over them (one event loop is one core). Each needs its own spool directory.
    reuse_port: bool = False
    tls: TlsFiles | None = None
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = 9460          # None: no /metrics endpoint

    # Connections and timeouts (seconds).
    max_connections: int = 10_000
    handshake_timeout_s: float = 30.0        # connect (or logout) -> successful login
    heartbeat_interval_s: float = 60.0       # what terminals are configured with (§10)
    idle_timeout_s: float | None = None      # None: 3 x heartbeat_interval_s (§10 policy)
    partial_frame_timeout_s: float = 30.0    # a started frame that does not complete
    drain_timeout_s: float = 10.0            # a peer that does not read our answers
    shutdown_grace_s: float = 10.0

    # Frames and buffers.
    max_frame_size: int = 16 * 1024
    read_chunk: int = 64 * 1024
    reader_buffer: int = 64 * 1024           # StreamReader pauses the socket above 2x this
    write_buffer_high: int = 64 * 1024       # drain() blocks above this many unsent bytes
    socket_send_buffer: int | None = None    # SO_SNDBUF per connection; None: kernel default
    max_garbage_bytes: int = 64 * 1024       # garbage since the last valid frame -> close
    vehicle_rate: RateLimit = field(default_factory=lambda: RateLimit(50.0, 500, 1000))
    platform_rate: RateLimit = field(default_factory=lambda: RateLimit(5000.0, 20_000, 100_000))

    # Session policy.
    duplicate_policy: DuplicatePolicy = DuplicatePolicy.REJECT_NEW
    stale_link_s: float | None = None        # None: 1.5 x heartbeat; a silent holder is replaced
    ack_realtime: bool = False               # §6.2: silent on valid 0x02/0x03 unless a profile asks
    close_after_login_reject: bool = True    # "reject-then-close" (§6.2)
    max_vins_per_vehicle_connection: int = 1  # a T-Box is one VIN; platforms use 0x05

    # Registry cache (seconds / entries).
    route_ttl_s: float = 300.0
    negative_ttl_s: float = 30.0
    route_cache_size: int = 200_000
    keys_ttl_s: float = 60.0

    def __post_init__(self) -> None:
        if not 25 <= self.max_frame_size <= DEFAULT_MAX_FRAME:
            raise ValueError(f"max_frame_size must be within 25..{DEFAULT_MAX_FRAME}")
        if self.max_connections < 1 or self.max_vins_per_vehicle_connection < 1:
            raise ValueError("connection limits must be positive")
        timeouts = (self.handshake_timeout_s, self.heartbeat_interval_s,
                    self.partial_frame_timeout_s, self.drain_timeout_s, self.effective_idle_timeout,
                    self.effective_stale_link)
        if min(timeouts) <= 0 or self.shutdown_grace_s < 0:
            raise ValueError("timeouts must be positive")

    @property
    def effective_stale_link(self) -> float:
        """A link silent this long has missed a heartbeat: under REJECT_NEW a new login for its
        VIN replaces it instead of being refused (a rebooted T-Box whose old TCP connection
        is half dead must not be locked out until the idle timeout)."""
        if self.stale_link_s is not None:
            return self.stale_link_s
        return 1.5 * self.heartbeat_interval_s

    @property
    def effective_idle_timeout(self) -> float:
        if self.idle_timeout_s is not None:
            return self.idle_timeout_s
        return 3 * self.heartbeat_interval_s
