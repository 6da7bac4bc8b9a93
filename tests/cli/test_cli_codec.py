"""`nevguard decode` / `nevguard encode`: JSON lines out, typed error lines, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from bench.sample_frames import BENCH_FRAMES

# PROTOCOL.md §15: a 2016 vehicle logout and the same frame with a broken BCC.
LOGOUT = "232304FE4C5445535456494E303030303030303031010008180501081E000003C0"
BAD_BCC = LOGOUT[:-2] + "00"


def nevguard(argv: list[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    """The real console entry point in a child process, as a user runs it."""
    return subprocess.run(  # noqa: S603 - our own console entry point
        [sys.executable, "-m", "gateway.cli", *argv], input=stdin, capture_output=True,
        timeout=60, check=False)


def run(argv: list[str], stdin: bytes) -> tuple[int, list[dict[str, Any]]]:
    result = nevguard(argv, stdin)
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    return result.returncode, [json.loads(line) for line in result.stdout.splitlines()]


def test_decode_hex_lines_with_errors_keeps_going() -> None:
    text = f"# capture\n{LOGOUT}\nnot hex at all\n{BAD_BCC}\n\n{LOGOUT.lower()}\n".encode()
    status, lines = run(["decode"], text)
    assert status == 0
    assert [sorted(line) for line in lines] == [
        sorted(lines[0]), ["error"], ["error"], sorted(lines[0])]
    assert lines[0]["unique_id"] == "LTESTVIN000000001"
    assert lines[0]["body"] == {"kind": "vehicle_logout", "serial": 3, "collected_at_raw": None,
                                "collected_at": "2024-05-01T08:30:00+08:00"}
    assert lines[1]["error"] == {"code": "input.not_hex", "message": "line is not hexadecimal",
                                 "line": 3}
    error = lines[2]["error"]
    assert isinstance(error, dict)
    assert error["code"] == "peer.bad_checksum"
    assert error["line"] == 4


def test_decode_binary_stream_reports_garbage_and_truncation() -> None:
    frame = bytes.fromhex(LOGOUT)
    realtime = BENCH_FRAMES["96 cells"]
    stream = b"\x00\x01garbage" + frame + realtime + frame[:10]
    status, lines = run(["decode", "--binary"], stream)
    assert status == 0
    kinds = [line.get("body", {}).get("kind") if "body" in line else line["error"]["code"]
             for line in lines]
    assert "vehicle_logout" in kinds
    assert "realtime" in kinds
    assert "peer.garbage" in kinds
    assert kinds[-1] == "peer.truncated_frame"


def test_encode_reverses_decode_byte_for_byte() -> None:
    realtime = BENCH_FRAMES["600 cells"].hex()
    _, decoded = run(["decode"], f"{LOGOUT}\n{realtime}\n".encode())
    documents = "\n".join(json.dumps(doc) for doc in decoded).encode()
    result = nevguard(["encode"], documents)
    assert result.returncode == 0
    assert result.stdout.decode().split() == [LOGOUT.lower(), realtime]


@pytest.mark.parametrize("document", [
    b"{not json",
    b'{"edition": "2016"}',
    b'{"edition": "1999", "command": 4, "response": 254, "unique_id": "X", "encryption": 1,'
    b' "body": {"kind": "empty"}}',
])
def test_encode_rejects_bad_documents_with_typed_errors(document: bytes) -> None:
    status, lines = run(["encode"], document + b"\n")
    assert status == 1
    assert lines[0]["error"]["code"] == "input.invalid_document"


def test_console_script_never_prints_a_traceback() -> None:
    status, lines = run(["decode"], b"\xff\xfe\x00garbage\n" * 3)
    assert status == 0
    assert lines
    assert all("error" in line for line in lines)
