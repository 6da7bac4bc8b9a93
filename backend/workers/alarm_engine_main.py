"""``nevguard alarm-engine``: run the alarm engine until SIGINT/SIGTERM.

    nevguard alarm-engine [--consumer NAME] [--close-after S] [--flap-window S]
                          [--batch N] [--claim-idle-ms MS] [--metrics-host H] [--metrics-port P]

One engine per feed: the consumer group hands each entry to one consumer, and the engine needs
every record of a vehicle in order, so run one process (a second one with another consumer name
takes over the first one's pending entries after ``--claim-idle-ms`` when it dies).
``GET /metrics`` (alarm_engine_metrics.py) is served on ``--metrics-port`` (9461; 0: none).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Sequence

from redis.asyncio import Redis

from backend.core.alarms.lifecycle import LifecycleSettings
from backend.metrics.registry import MetricsRegistry
from backend.metrics.server import MetricsServer
from backend.settings import load_settings
from backend.storage.alarm_feed import FeedReader
from backend.storage.db import create_pool
from backend.workers.alarm_engine import AlarmEngine, EngineSettings
from backend.workers.alarm_engine_metrics import EngineMetrics, watch_feed

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nevguard alarm-engine",
                                     description="NEVGuard alarm engine")
    parser.add_argument("--consumer", default=f"engine-{socket.gethostname()}")
    parser.add_argument("--close-after", type=float, default=60.0, metavar="S",
                        help="close an event after its condition stayed clear this long")
    parser.add_argument("--flap-window", type=float, default=600.0, metavar="S",
                        help="a condition back within this time reopens its event")
    parser.add_argument("--batch", type=int, default=EngineSettings().batch,
                        help="feed entries per read (up to 100 rows each)")
    parser.add_argument("--claim-idle-ms", type=int, default=30_000)
    parser.add_argument("--metrics-host", default="127.0.0.1")
    parser.add_argument("--metrics-port", type=int, default=9461,
                        help="GET /metrics on this port (0: no endpoint); a standby needs its own")
    return parser


async def serve_metrics(registry: MetricsRegistry, host: str, port: int) -> MetricsServer | None:
    """The endpoint, or None when it is off or cannot listen: alarms matter more than their
    metrics, so a taken port is logged and the engine runs on."""
    if not port:
        return None
    server = MetricsServer(registry)
    try:
        await server.start(host, port)
    except OSError:
        log.exception("alarm engine: no /metrics endpoint on %s:%d", host, port)
        return None
    return server


async def run(args: argparse.Namespace) -> None:
    settings = load_settings()
    logging.basicConfig(level=settings.log_level.value,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    pool = await create_pool(settings, application="nevguard-alarm-engine", max_size=4)
    redis = Redis.from_url(settings.redis_url.reveal())
    reader = FeedReader(redis, args.consumer, claim_idle_ms=args.claim_idle_ms)
    registry = MetricsRegistry()
    metrics = EngineMetrics(registry)
    engine = AlarmEngine(pool, redis, reader,
                         EngineSettings(lifecycle=LifecycleSettings(
                             close_after_s=args.close_after, flap_window_s=args.flap_window),
                             batch=args.batch), metrics)
    server = await serve_metrics(registry, args.metrics_host, args.metrics_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    log.info("alarm engine %s started", args.consumer)
    watcher = asyncio.create_task(watch_feed(metrics, reader, stop))
    try:
        await engine.run(stop)
    finally:
        stop.set()
        await watcher
        if server is not None:
            await server.stop()
        with contextlib.suppress(Exception):
            await redis.aclose()
        await pool.close()
        log.info("alarm engine stopped: %d records, %d skipped as already applied",
                 engine.processed, engine.skipped)


def main(argv: Sequence[str]) -> int:
    asyncio.run(run(build_parser().parse_args(list(argv))))
    return 0
