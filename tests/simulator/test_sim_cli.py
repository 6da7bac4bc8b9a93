"""``nevguard simulate`` argument handling, labels and 2025 signatures."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from gateway.protocol.codec import decode_frame
from gateway.protocol.crypto import KeyRing, UnitKeys
from gateway.protocol.model import Edition
from gateway.protocol.realtime import RealtimeData
from gateway.protocol.sm2 import Sm2PrivateKey
from gateway.simulator.cli import duration_seconds, run_simulate

BASE = ["--vehicles", "6", "--start", "2025-06-02T09:00:00", "--duration", "5m"]


@pytest.mark.parametrize(("text", "seconds"), [("90", 90), ("90s", 90), ("15m", 900),
                                               ("2h", 7200), ("1d", 86400), ("0.5m", 30)])
def test_durations(text: str, seconds: int) -> None:
    assert duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "m", "-5", "0", "ten"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        duration_seconds(text)


def test_generate_needs_a_duration(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stopped:
        run_simulate(["--generate", str(tmp_path / "x.hex")])
    assert stopped.value.code == 2


def test_unknown_fault_kind_is_refused() -> None:
    with pytest.raises(SystemExit):
        run_simulate([*BASE, "--fault-kinds", "gremlins"])


def test_labels_and_frames_are_written(tmp_path: Path) -> None:
    labels, frames = tmp_path / "labels.jsonl", tmp_path / "frames.hex"
    code = run_simulate([*BASE, "--fault-fraction", "1", "--fault-kinds",
                         "insulation_decline,soc_jump", "--labels", str(labels),
                         "--generate", str(frames)])
    assert code == 0
    lines = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
    assert {line["kind"] for line in lines} == {"insulation_decline", "soc_jump"}
    assert len(lines) == 6
    assert frames.read_text(encoding="ascii").count("\n") > 20


def test_2025_frames_carry_a_verifiable_sm2_signature(tmp_path: Path) -> None:
    key = Sm2PrivateKey(bytes.fromhex(
        "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8"))
    key_file = tmp_path / "sm2.key"
    key_file.write_text(key.secret.hex(), encoding="ascii")
    frames = tmp_path / "frames.hex"
    assert run_simulate([*BASE, "--edition-mix", "1", "--sign-key", str(key_file),
                         "--generate", str(frames)]) == 0
    signed = 0
    for line in frames.read_text(encoding="ascii").splitlines():
        raw = bytes.fromhex(line)
        vin = decode_frame(raw).unique_id
        frame = decode_frame(raw, keys=KeyRing({vin: UnitKeys(signature=key.public)}))
        assert frame.edition is Edition.V2025
        if isinstance(frame.body, RealtimeData):
            assert frame.signature_verified is True
            signed += 1
    assert signed > 10
