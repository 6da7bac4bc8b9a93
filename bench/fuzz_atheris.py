"""Coverage-guided fuzzing of the frame codec with atheris (libFuzzer for Python), for long runs.

The hypothesis fuzz tests (tests/protocol/test_fuzz.py) run 50 000 examples on every test run;
this target is for hours-long runs that libFuzzer steers by coverage of ``gateway.protocol``.

atheris is optional and NOT part of the dev extras (it ships binary wheels for some platforms
only and otherwise needs clang with libFuzzer to build). Install it next to the project:

    .venv/bin/pip install atheris

Run (libFuzzer flags pass through; the corpus directory is created and grows as coverage grows):

    .venv/bin/python -m bench.fuzz_atheris --write-seeds fuzz-corpus   # once: the seed frames
    .venv/bin/python -m bench.fuzz_atheris fuzz-corpus -max_total_time=3600 -rss_limit_mb=2048
    .venv/bin/python -m bench.fuzz_atheris fuzz-corpus -jobs=2 -workers=2   # both cores

A failing input is saved as ``crash-<sha1>``; replay it with
``.venv/bin/python -m bench.fuzz_atheris crash-<sha1>``.

Each input is checked three ways:

1. as one frame: ``decode_frame`` raises only ``ProtocolError`` subclasses, and a frame that
   decodes re-encodes to exactly the same bytes (PROTOCOL.md §13);
2. sealed: the first byte picks the edition, the rest is header + data unit, and the length
   WORD and BCC are fixed (§2, §2.1) so libFuzzer's mutations reach the body and block
   decoders instead of dying at the checksum; same invariants;
3. as a TCP stream: fed to a ``StreamFramer`` in chunks whose size comes from the last byte;
   every frame it returns satisfies 1, and every byte fed is accounted for (framed, counted as
   rejected, or still buffered).
"""

from __future__ import annotations

import sys
from functools import reduce
from operator import xor
from pathlib import Path

from bench.sample_frames import BENCH_FRAMES

HEADER_SIZE = 24
MAX_DATA_UNIT = 65531

# §15 worked example (vehicle logout and its reply) and a heartbeat, written out by hand.
_VIN = "4C 54 45 53 54 56 49 4E 30 30 30 30 30 30 30 30 31"
SEEDS = {
    "logout": bytes.fromhex(f"23 23 04 FE {_VIN} 01 00 08 18 05 01 08 1E 00 00 03 C0"),
    "logout-reply": bytes.fromhex(f"23 23 04 01 {_VIN} 01 00 06 18 05 01 08 1E 00 32"),
    "heartbeat-2025": bytes.fromhex(f"24 24 07 FE {_VIN} 01 00 00 C2"),
    **{f"realtime-{name.replace(' ', '-')}": frame for name, frame in BENCH_FRAMES.items()},
}


def seal(data: bytes) -> bytes:
    """Header + data unit with the edition from ``data[0]`` and a correct length and BCC."""
    marker = b"##" if data[0] & 1 else b"$$"
    header = bytearray(data[1:HEADER_SIZE - 1].ljust(HEADER_SIZE - 2, b"\x00"))
    unit = data[HEADER_SIZE - 1:HEADER_SIZE - 1 + MAX_DATA_UNIT]
    header[20:22] = len(unit).to_bytes(2, "big")
    body = bytes(header) + unit
    return marker + body + bytes((reduce(xor, body, 0),))


def check_frame(wire: bytes) -> None:
    from gateway.protocol.codec import decode_frame, encode_frame
    from gateway.protocol.errors import ProtocolError

    try:
        frame = decode_frame(wire)
    except ProtocolError:
        return
    encoded = encode_frame(frame)
    if encoded != wire:
        raise AssertionError(f"re-encoding changed the frame:\n{wire.hex()}\n{encoded.hex()}")


def check_stream(data: bytes) -> None:
    from gateway.protocol.framer import StreamFramer

    framer = StreamFramer()
    size = data[-1] % 64 + 1
    framed = 0
    for start in range(0, len(data), size):
        for frame in framer.feed(data[start:start + size]):
            framed += len(frame)
            check_frame(frame)
    stats = framer.stats
    accounted = (framed + stats.garbage_bytes + stats.bad_checksum + stats.oversize
                 + stats.expired_partial + framer.buffered)
    if accounted != len(data):
        raise AssertionError(f"framer accounted for {accounted} of {len(data)} bytes")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    check_frame(data)
    check_frame(seal(data))
    check_stream(data)


def write_seeds(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, frame in SEEDS.items():
        (directory / name).write_bytes(frame)
        # The sealed form of a frame: edition byte, then the frame without marker and BCC.
        edition = b"\x01" if frame[:2] == b"##" else b"\x00"
        (directory / f"{name}-sealed").write_bytes(edition + frame[2:-1])
    print(f"wrote {2 * len(SEEDS)} seed inputs to {directory}")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--write-seeds":
        write_seeds(Path(sys.argv[2]))
        return
    try:
        import atheris
    except ImportError:
        sys.exit("atheris is optional and not installed: .venv/bin/pip install atheris")
    with atheris.instrument_imports(include=["gateway.protocol"]):
        import gateway.protocol.codec
        import gateway.protocol.framer  # noqa: F401
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
