"""Same seed, same frames: generate mode is byte-for-byte reproducible."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sim_fleet import START, fleet

from gateway.protocol.codec import decode_frame, encode_frame
from gateway.protocol.errors import ProtocolError
from gateway.protocol.model import Command, Edition
from gateway.protocol.realtime import RealtimeData
from gateway.simulator.cli import run_simulate
from gateway.simulator.vin import is_valid_vin

ARGS = ["--vehicles", "12", "--start", "2025-06-02T09:00:00", "--duration", "15m",
        "--fault-fraction", "0.5", "--disconnects-per-hour", "4"]


def _generate(tmp_path: Path, name: str, seed: int) -> list[str]:
    path = tmp_path / name
    assert run_simulate([*ARGS, "--seed", str(seed), "--generate", str(path)]) == 0
    return path.read_text(encoding="ascii").splitlines()


def test_same_seed_gives_identical_frames_and_another_seed_does_not(tmp_path: Path) -> None:
    first = _generate(tmp_path, "a.hex", 42)
    second = _generate(tmp_path, "b.hex", 42)
    other = _generate(tmp_path, "c.hex", 43)
    assert len(first) > 500
    assert first == second
    assert first != other


def test_generated_frames_decode_and_re_encode_exactly(tmp_path: Path) -> None:
    lines = _generate(tmp_path, "a.hex", 7)
    editions, commands, broken = set(), set(), 0
    for line in lines:
        raw = bytes.fromhex(line)
        try:
            frame = decode_frame(raw)
        except ProtocolError:
            broken += 1
            continue
        assert encode_frame(frame) == raw
        assert is_valid_vin(frame.unique_id)
        if isinstance(frame.body, RealtimeData):
            assert frame.body.undecoded is None
            assert frame.body.collected_at is not None
            assert frame.body.collected_at.utcoffset() == timedelta(hours=8)
        editions.add(frame.edition)
        commands.add(frame.command)
    assert editions == {Edition.V2016, Edition.V2025}
    assert {Command.VEHICLE_LOGIN, Command.REALTIME, Command.REISSUE, Command.HEARTBEAT,
            Command.TIME_CALIBRATION, Command.VEHICLE_LOGOUT} <= commands
    assert broken < len(lines) // 20


def test_a_vehicle_does_not_depend_on_the_fleet_size() -> None:
    small, large = fleet(3, seed=9).vehicles, fleet(30, seed=9).vehicles
    for a, b in zip(small, large[:3], strict=True):
        assert a.spec == b.spec
        a.advance(START.replace(minute=10))
        b.advance(START.replace(minute=10))
        assert a.observe() == b.observe()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vins_are_valid_and_unique(seed: int) -> None:
    vins = [v.spec.vin for v in fleet(300, seed=seed).vehicles]
    assert len(set(vins)) == len(vins)
    assert all(is_valid_vin(vin) for vin in vins)
