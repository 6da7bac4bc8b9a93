"""Production entry point: run the gateway until SIGTERM/SIGINT, then shut down in order.

The caller (the lead's CLI) builds the settings and the storage-backed ``Registry``,
``IngestSink`` and ``AuditLog``; nothing here knows about databases.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable

from backend.metrics.registry import MetricsRegistry

from .gateway import Gateway
from .interfaces import AuditLog, Clock, IngestSink, Registry, utc_now
from .settings import GatewaySettings

_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


async def serve(settings: GatewaySettings, registry: Registry, sink: IngestSink, audit: AuditLog,
                *, metrics: MetricsRegistry | None = None, clock: Clock = utc_now,
                started: Callable[[Gateway], object] | None = None) -> Gateway:
    """Serve until a stop signal; return the stopped gateway (its metrics stay readable).

    ``metrics`` lets the ingest writer put its own families on the same /metrics page;
    ``started`` is called once the listener is bound (readiness probes, tests).
    """
    gateway = Gateway(settings, registry, sink, audit, metrics=metrics, clock=clock)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in _STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    try:
        await gateway.start()
        if started is not None:
            started(gateway)
        await stop.wait()
    finally:
        for signum in _STOP_SIGNALS:
            loop.remove_signal_handler(signum)
        await gateway.stop()
    return gateway
