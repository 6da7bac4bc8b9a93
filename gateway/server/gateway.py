"""The listener: accepts connections within the limit, runs one ``Connection`` each, and shuts
down in order (stop accepting, close idle links, finish in-flight frames, drain the sink)."""

from __future__ import annotations

import asyncio
import itertools
import logging
import secrets
import socket
from collections import Counter

from backend.metrics.registry import MetricsRegistry
from backend.metrics.server import MetricsServer

from .cached_registry import CachedRegistry
from .connection import Connection
from .context import GatewayContext
from .instruments import GatewayMetrics
from .interfaces import AuditLog, Clock, IngestSink, Registry, utc_now
from .online import OnlineVehicles
from .settings import GatewaySettings

log = logging.getLogger(__name__)


class Gateway:
    def __init__(self, settings: GatewaySettings, registry: Registry, sink: IngestSink,
                 audit: AuditLog, *, metrics: MetricsRegistry | None = None,
                 clock: Clock = utc_now) -> None:
        self.settings = settings
        self.metrics_registry = metrics if metrics is not None else MetricsRegistry()
        self.metrics = GatewayMetrics(self.metrics_registry)
        cached = CachedRegistry(registry, ttl_s=settings.route_ttl_s,
                                negative_ttl_s=settings.negative_ttl_s,
                                max_entries=settings.route_cache_size,
                                keys_ttl_s=settings.keys_ttl_s,
                                lookups=self.metrics.registry_lookups)
        self.context = GatewayContext(settings=settings, registry=cached, sink=sink, audit=audit,
                                      metrics=self.metrics, online=OnlineVehicles(), clock=clock)
        self.port: int | None = None
        self.metrics_port: int | None = None
        self._server: asyncio.Server | None = None
        self._metrics_server: MetricsServer | None = None
        self._connections: dict[Connection, asyncio.Task[object]] = {}
        self._stopping = False
        # Connection ids are unique across gateway processes and restarts: they end up in
        # events and audit rows next to those of other gateways.
        self._id_prefix = secrets.token_hex(4)
        self._sequence = itertools.count(1)

    @property
    def connection_count(self) -> int:
        return len(self._connections)

    def vehicles_by_tenant(self) -> Counter[str]:
        """Vehicles logged in here now (directly or through a platform link), per tenant."""
        return Counter(route.tenant for connection in self._connections
                       for route in connection.session.present.values())

    def tenant_changed(self, tenant: str | None) -> None:
        """A tenant was suspended or resumed (None: any may have been): forget its cached
        routes and have every link speaking for one of its VINs route them again now."""
        forgotten = self.context.registry.invalidate_tenant(tenant)
        rechecking = 0
        for connection in self._connections:
            if tenant is None or any(route.tenant == tenant
                                     for route in connection.session.present.values()):
                connection.request_recheck()
                rechecking += 1
        log.info("tenant %s changed: %d cached routes forgotten, %d links rechecking",
                 tenant or "(all)", forgotten, rechecking)

    async def start(self, host: str | None = None, port: int | None = None) -> int:
        """Listen (TLS when configured) and serve /metrics when enabled; return the bound port."""
        settings = self.settings
        tls = settings.tls.server_context() if settings.tls is not None else None
        self._server = await asyncio.start_server(
            self._accept, settings.host if host is None else host,
            settings.port if port is None else port, ssl=tls,
            ssl_handshake_timeout=settings.handshake_timeout_s if tls is not None else None,
            limit=settings.reader_buffer, reuse_port=settings.reuse_port or None)
        self.port = self._server.sockets[0].getsockname()[1]
        if settings.metrics_port is not None:
            self._metrics_server = MetricsServer(self.metrics_registry)
            self.metrics_port = await self._metrics_server.start(settings.metrics_host,
                                                                 settings.metrics_port)
        log.info("GB/T 32960 gateway listening on port %s (tls=%s)", self.port, tls is not None)
        return self.port

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._stopping or len(self._connections) >= self.settings.max_connections:
            reason = "shutting_down" if self._stopping else "max_connections"
            self.metrics.connections_rejected.inc(reason)
            writer.transport.abort()
            return
        writer.transport.set_write_buffer_limits(high=self.settings.write_buffer_high)
        raw_socket = writer.get_extra_info("socket")
        if self.settings.socket_send_buffer is not None and raw_socket is not None:
            raw_socket.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF,
                                  self.settings.socket_send_buffer)
        connection = Connection(self.context, f"{self._id_prefix}-{next(self._sequence)}",
                                reader, writer)
        task = asyncio.current_task()
        if task is None:
            raise RuntimeError("connection handler outside a task")
        self._connections[connection] = task
        try:
            await connection.run()
        finally:
            del self._connections[connection]

    async def stop(self) -> None:
        """Graceful shutdown; connections still busy after ``shutdown_grace_s`` are cancelled."""
        if self._stopping:
            return
        self._stopping = True
        if self._server is not None:
            self._server.close()
        for connection in list(self._connections):
            connection.request_close("shutdown")
        tasks = list(self._connections.values())
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=self.settings.shutdown_grace_s)
            for task in late:
                task.cancel()
            if late:
                log.warning("cancelled %d connections still busy at shutdown", len(late))
                await asyncio.gather(*late, return_exceptions=True)
        await self.context.sink.drain()
        if self._metrics_server is not None:
            await self._metrics_server.stop()
        log.info("GB/T 32960 gateway stopped")
