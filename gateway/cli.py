"""The ``nevguard`` command line: decode / encode GB/T 32960 frames, run the simulator.

``decode`` and ``encode`` print one JSON object per line and never a traceback: a bad input
line becomes ``{"error": {"code": ..., "message": ..., "line": n}}`` and the next line goes on.
"""

from __future__ import annotations

import argparse
import string
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import msgspec

from .protocol.canonical import from_json, to_json
from .protocol.codec import decode_frame, encode_frame
from .protocol.errors import ProtocolError
from .protocol.framer import StreamFramer

# Hex captures are printable text; a raw capture of GB/T 32960 is not (headers hold 0x00-0x08).
_TEXT = frozenset(string.printable.encode())
_ERROR = msgspec.json.Encoder()


def _error_line(code: str, message: str, **where: object) -> bytes:
    return _ERROR.encode({"error": {"code": code, "message": message, **where}})


def _decode_hex_lines(lines: Iterable[bytes]) -> Iterator[bytes]:
    for number, line in enumerate(lines, start=1):
        text = line.split(b"#", 1)[0].strip()
        if not text:
            continue
        try:
            frame = bytes.fromhex(text.replace(b":", b"").decode("ascii"))
        except (ValueError, UnicodeDecodeError):
            yield _error_line("input.not_hex", "line is not hexadecimal", line=number)
            continue
        try:
            yield to_json(decode_frame(frame))
        except ProtocolError as exc:
            yield _ERROR.encode({"error": {**exc.as_dict(), "line": number}})


def _decode_binary(stream: BinaryIO) -> Iterator[bytes]:
    framer = StreamFramer()
    while chunk := stream.read(65536):
        for frame in framer.feed(chunk):
            try:
                yield to_json(decode_frame(frame))
            except ProtocolError as exc:
                yield _ERROR.encode({"error": exc.as_dict()})
        for event in framer.drain_rejections():
            yield _error_line(f"peer.{event.reason}", "bytes discarded by the framer",
                              bytes=event.byte_count)
    if framer.buffered:
        yield _error_line("peer.truncated_frame", "input ends inside a frame",
                          bytes=framer.buffered)


def _looks_like_text(head: bytes) -> bool:
    return all(byte in _TEXT for byte in head)


def run_decode(args: argparse.Namespace, stdin: BinaryIO, stdout: BinaryIO) -> int:
    source: BinaryIO = open(args.file, "rb") if args.file else stdin  # noqa: SIM115
    with source:
        head = source.peek(4096)[:4096] if hasattr(source, "peek") else b""
        binary = args.binary or (not args.hex and bool(head) and not _looks_like_text(head))
        lines = _decode_binary(source) if binary else _decode_hex_lines(source)
        for line in lines:
            stdout.write(line + b"\n")
    return 0


def run_encode(args: argparse.Namespace, stdin: BinaryIO, stdout: BinaryIO) -> int:
    source: BinaryIO = open(args.file, "rb") if args.file else stdin  # noqa: SIM115
    status = 0
    with source:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                out = encode_frame(from_json(line)).hex()
                stdout.write(out.encode() + b"\n")
            except ProtocolError as exc:
                stdout.write(_ERROR.encode({"error": {**exc.as_dict(), "line": number}}) + b"\n")
                status = 1
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nevguard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    decode = commands.add_parser("decode", help="frames (hex lines or raw binary) -> JSON lines")
    decode.add_argument("file", nargs="?", help="input file (default: stdin)")
    mode = decode.add_mutually_exclusive_group()
    mode.add_argument("--hex", action="store_true", help="input is one hex frame per line")
    mode.add_argument("--binary", action="store_true", help="input is a raw byte stream")
    encode = commands.add_parser("encode", help="canonical JSON lines -> hex frames")
    encode.add_argument("file", nargs="?", help="input file (default: stdin)")
    commands.add_parser("simulate", help="run the vehicle simulator", add_help=False)
    commands.add_parser("gateway", help="run the GB/T 32960 gateway", add_help=False)
    for admin in sorted(ADMIN_COMMANDS):
        commands.add_parser(admin, help="administration (see backend/cli.py)", add_help=False)
    # Listed for --help only: backend/console.py dispatches them before this parser runs.
    commands.add_parser("api", help="serve the GraphQL API (see backend/api/cli.py)",
                        add_help=False)
    commands.add_parser("schema-export", help="print the GraphQL SDL", add_help=False)
    commands.add_parser("worker", help="run the arq worker (see backend/workers/cli.py)",
                        add_help=False)
    return parser


ADMIN_COMMANDS = frozenset({"tenant", "migrate", "vehicle", "platform-account", "audit",
                            "secrets"})


def run_gateway_command(argv: list[str]) -> int:
    import asyncio  # noqa: PLC0415 - only the server commands need the event loop
    import logging  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    import uvloop  # noqa: PLC0415 - the event loop of the server only

    from backend.settings import load_settings  # noqa: PLC0415

    from .server.runtime import run_gateway  # noqa: PLC0415

    parser = argparse.ArgumentParser(prog="nevguard gateway",
                                     description="run the GB/T 32960 gateway")
    parser.add_argument("--spool-dir", type=Path, default=Path(".state/spool"))
    parser.add_argument("--metrics-port", type=int, default=9460)
    parser.add_argument("--max-connections", type=int)
    parser.add_argument("--reuse-port", action="store_true",
                        help="share the port with other gateway processes (SO_REUSEPORT); "
                             "give each its own --spool-dir and --metrics-port")
    parser.add_argument("--event-loop", choices=("uvloop", "asyncio"), default="uvloop",
                        help="uvloop (default: libuv transports, less CPU per frame and per "
                             "connection) or the standard library's loop")
    args = parser.parse_args(argv)
    settings = load_settings()
    logging.basicConfig(level=settings.log_level.value,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    loop_factory = uvloop.new_event_loop if args.event_loop == "uvloop" else None
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(run_gateway(settings, spool_dir=args.spool_dir,
                               metrics_port=args.metrics_port,
                               max_connections=args.max_connections,
                               reuse_port=args.reuse_port))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["simulate"]:
        from .simulator.cli import run_simulate  # noqa: PLC0415 - heavy, only for this command

        return run_simulate(argv[1:])
    if argv[:1] == ["gateway"]:
        return run_gateway_command(argv[1:])
    if argv[:1] and argv[0] in ADMIN_COMMANDS:
        from backend.cli import main as admin_main  # noqa: PLC0415 - needs the database

        return admin_main(argv)
    args = build_parser().parse_args(argv)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    if args.command == "decode":
        return run_decode(args, stdin, stdout)
    return run_encode(args, stdin, stdout)


if __name__ == "__main__":
    sys.exit(main())
