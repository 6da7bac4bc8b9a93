"""``nevguard simulate``: run simulated vehicles against a platform over TCP, or write their
frames to a file (``--generate``). Usage and scenarios: docs/simulator.md."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from datetime import datetime
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from gateway.protocol.crypto import SigningKey
from gateway.protocol.model import Edition
from gateway.protocol.sm2 import Sm2PrivateKey
from gateway.protocol.wire import BEIJING

from .clock import SimClock
from .connectors import Connector, DirectConnector, PlatformAccount, PlatformConnector
from .driver import DriverStats, run_fleet
from .faults.base import FaultKind
from .fleet import FleetConfig, build_fleet
from .generate import hex_line_sink, run_offline
from .terminal import Terminal
from .terminal_config import TerminalConfig

DEFAULT_HORIZON_S: Final = 3600.0
_UNITS: Final = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_SM2_HEX_LENGTH: Final = 64
log = logging.getLogger("nevguard.simulate")


def duration_seconds(text: str) -> int:
    """``90``, ``90s``, ``15m``, ``2h`` or ``1d`` as seconds."""
    unit = _UNITS.get(text[-1:].lower())
    number = text[:-1] if unit else text
    try:
        value = float(number) * (unit or 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("a duration must be positive")
    return round(value)


def fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("expected a fraction between 0 and 1")
    return value


def start_time(text: str) -> datetime:
    at = datetime.fromisoformat(text)
    return at if at.tzinfo else at.replace(tzinfo=BEIJING)


def fault_kinds(text: str) -> tuple[FaultKind, ...]:
    try:
        return tuple(FaultKind(name.strip()) for name in text.split(",") if name.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            "fault kinds: " + ", ".join(k.value for k in FaultKind)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nevguard simulate", description=__doc__)
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="platform address (default 127.0.0.1)")
    add("--port", type=int, default=32960, help="platform port (default 32960)")
    add("--vehicles", type=int, default=10, help="fleet size (default 10)")
    add("--edition-mix", type=fraction, default=0.5, metavar="FRACTION",
        help="share of vehicles speaking the 2025 edition (default 0.5)")
    add("--seed", type=int, default=1, help="master seed; same seed, same fleet and frames")
    add("--start", type=start_time, help="simulated start, ISO-8601 (default: now, UTC+8)")
    add("--interval", type=int, default=10, help="realtime period in seconds (default 10)")
    add("--heartbeat", type=int, default=60, help="heartbeat period in seconds (default 60)")
    add("--speedup", type=float, default=1.0, help="simulated seconds per wall second")
    add("--duration", type=duration_seconds, help="simulated run time, e.g. 600, 15m, 2h")
    add("--platform-login", metavar="USER:PASS",
        help="send every VIN through one platform-login (0x05) link")
    add("--platform-id", default="NEVGUARDSIM000001",
        help="unique id of the simulated lower platform (17 characters)")
    add("--labels", type=Path, help="write the fault ground truth as JSON lines here")
    add("--fault-fraction", type=fraction, default=0.0, help="share of vehicles with a fault")
    add("--fault-kinds", type=fault_kinds, default=tuple(FaultKind),
        help="comma-separated subset of: " + ", ".join(k.value for k in FaultKind))
    add("--disconnects-per-hour", type=float, default=0.0,
        help="random link losses per reporting hour per vehicle (then reissue)")
    add("--sign-key", type=Path,
        help="2025 signature key: PEM (RSA / EC) or 64 hex digits (SM2 private key)")
    add("--generate", metavar="PATH",
        help="no TCP: write the frames as hex lines to PATH ('-' = stdout)")
    add("--log-level", default="INFO")
    return parser


def load_signing_key(path: Path) -> SigningKey:
    data = path.read_bytes().strip()
    if len(data) == _SM2_HEX_LENGTH:
        return Sm2PrivateKey(bytes.fromhex(data.decode("ascii")))
    key = load_pem_private_key(data, password=None)
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path}: only RSA, EC or SM2 keys can sign frames")
    return key


def _connector(args: argparse.Namespace, clock: SimClock) -> Connector:
    if not args.platform_login:
        return DirectConnector(args.host, args.port)
    username, _, password = args.platform_login.partition(":")
    edition = Edition.V2025 if args.edition_mix >= 1.0 else Edition.V2016
    account = PlatformAccount(username, password, args.platform_id, edition)
    return PlatformConnector(args.host, args.port, account, clock)


async def _run_tcp(args: argparse.Namespace, terminals: list[Terminal], start_s: int,
                   end_s: int) -> DriverStats:
    clock = SimClock(start_s, args.speedup)
    stop, link_stop = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Not available on every platform, nor outside the main thread.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    connector = _connector(args, clock)
    link = (asyncio.create_task(connector.run(link_stop))
            if isinstance(connector, PlatformConnector) else None)
    try:
        return await run_fleet(terminals, connector, clock, end_s, stop)
    finally:
        link_stop.set()
        if link is not None:
            await link


def run_simulate(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.generate and not args.duration:
        parser.error("--generate needs --duration")
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    start = args.start or datetime.now(BEIJING).replace(microsecond=0)
    start_s = int(start.timestamp())
    fleet = build_fleet(FleetConfig(
        start=start, vehicles=args.vehicles, seed=args.seed, fraction_2025=args.edition_mix,
        fault_fraction=args.fault_fraction, fault_kinds=args.fault_kinds,
        horizon_s=float(args.duration or DEFAULT_HORIZON_S)))
    if args.labels:
        fleet.write_labels(args.labels)
    config = TerminalConfig(interval_s=args.interval, heartbeat_s=args.heartbeat,
                            disconnects_per_hour=args.disconnects_per_hour)
    key = load_signing_key(args.sign_key) if args.sign_key else None
    terminals = [Terminal(vehicle, config, key) for vehicle in fleet.vehicles]
    end_s = start_s + args.duration if args.duration else 2**40
    if args.generate:
        with contextlib.ExitStack() as stack:
            out = sys.stdout if args.generate == "-" else stack.enter_context(
                Path(args.generate).open("w", encoding="ascii"))
            run_offline(terminals, end_s, hex_line_sink(out.write))
        return 0
    stats = asyncio.run(_run_tcp(args, terminals, start_s, end_s))
    log.info("sent %s; connects %d, failed connects %d, links lost %d",
             dict(sorted(stats.sent.items())), stats.connects, stats.connect_failures,
             stats.link_losses)
    return 0
