"""``nevguard alarm-engine``: run the alarm engine until SIGINT/SIGTERM.

    nevguard alarm-engine [--consumer NAME] [--close-after S] [--flap-window S]
                          [--batch N] [--claim-idle-ms MS]

One engine per feed: the consumer group hands each entry to one consumer, and the engine needs
every record of a vehicle in order, so run one process (a second one with another consumer name
takes over the first one's pending entries after ``--claim-idle-ms`` when it dies).
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
from backend.settings import load_settings
from backend.storage.alarm_feed import FeedReader
from backend.storage.db import create_pool
from backend.workers.alarm_engine import AlarmEngine, EngineSettings

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nevguard alarm-engine",
                                     description="NEVGuard alarm engine")
    parser.add_argument("--consumer", default=f"engine-{socket.gethostname()}")
    parser.add_argument("--close-after", type=float, default=60.0, metavar="S",
                        help="close an event after its condition stayed clear this long")
    parser.add_argument("--flap-window", type=float, default=600.0, metavar="S",
                        help="a condition back within this time reopens its event")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--claim-idle-ms", type=int, default=30_000)
    return parser


async def run(args: argparse.Namespace) -> None:
    settings = load_settings()
    logging.basicConfig(level=settings.log_level.value,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    pool = await create_pool(settings, application="nevguard-alarm-engine", max_size=4)
    redis = Redis.from_url(settings.redis_url.reveal())
    engine = AlarmEngine(pool, redis, FeedReader(redis, args.consumer,
                                                 claim_idle_ms=args.claim_idle_ms),
                         EngineSettings(lifecycle=LifecycleSettings(
                             close_after_s=args.close_after, flap_window_s=args.flap_window),
                             batch=args.batch))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    log.info("alarm engine %s started", args.consumer)
    try:
        await engine.run(stop)
    finally:
        with contextlib.suppress(Exception):
            await redis.aclose()
        await pool.close()
        log.info("alarm engine stopped: %d records, %d skipped as already applied",
                 engine.processed, engine.skipped)


def main(argv: Sequence[str]) -> int:
    asyncio.run(run(build_parser().parse_args(list(argv))))
    return 0
