"""``nevguard worker``: run the arq worker (jobs and the cron schedule, docs/operations.md)
until SIGINT/SIGTERM; ``--burst`` runs the queued jobs and exits."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from backend.settings import load_settings
from backend.workers.settings import build_worker


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nevguard worker", description=__doc__)
    parser.add_argument("--burst", action="store_true",
                        help="run what is queued, then exit (no cron)")
    args = parser.parse_args(sys.argv[2:] if argv is None else list(argv))
    settings = load_settings()
    logging.basicConfig(level=settings.log_level.value,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    build_worker(settings, burst=args.burst).run()
    return 0
