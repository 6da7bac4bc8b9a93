"""Every fault scenario writes its label and shows up in the frames the way the label says."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sim_fleet import START_S, fleet

from gateway.protocol.canonical import to_json
from gateway.protocol.codec import decode_frame
from gateway.protocol.errors import ProtocolError
from gateway.protocol.frame import Frame
from gateway.protocol.model import Command, Edition, Sentinel
from gateway.protocol.realtime import RealtimeData
from gateway.simulator.faults.base import FaultKind
from gateway.simulator.generate import run_offline
from gateway.simulator.geo import Position, distance_m
from gateway.simulator.terminal import Terminal
from gateway.simulator.terminal_config import Outgoing, TerminalConfig

HORIZON_S = 1800
LABEL_KEYS = {"vin", "kind", "onset", "expected_alarm_level", "edition", "usage", "params"}


def _scenario(kind: FaultKind, vehicles: int = 4,
              seed: int = 31) -> tuple[list[dict[str, Any]], dict[str, list[Frame]], int]:
    """Labels, decoded realtime/reissue/other frames per VIN, and undecodable chunk count."""
    sim = fleet(vehicles, seed=seed, fault_fraction=1.0, kinds=(kind,), horizon_s=HORIZON_S)
    sent: list[Outgoing] = []
    run_offline([Terminal(v, TerminalConfig()) for v in sim.vehicles], START_S + HORIZON_S,
                sent.append)
    frames: dict[str, list[Frame]] = defaultdict(list)
    broken = 0
    for item in sent:
        try:
            frame = decode_frame(item.data)
        except ProtocolError:
            broken += 1
            continue
        frames[frame.unique_id].append(frame)
    return sim.labels(), frames, broken


def _reports(frames: list[Frame]) -> list[RealtimeData]:
    bodies = [f.body for f in frames if f.command in (Command.REALTIME, Command.REISSUE)]
    return sorted((b for b in bodies if isinstance(b, RealtimeData)),
                  key=lambda b: b.collected_at)


def _alarm(body: RealtimeData) -> Any:
    return next(b for b in body.blocks if hasattr(b, "general_flags"))


def _vehicle(body: RealtimeData) -> Any:
    return body.blocks[0]


@pytest.mark.parametrize("kind", [FaultKind.CELL_INCONSISTENCY, FaultKind.THERMAL_RUNAWAY,
                                  FaultKind.INSULATION_DECLINE, FaultKind.SOC_JUMP,
                                  FaultKind.FREQUENT_ALARMS])
def test_alarm_scenarios_reach_their_expected_level_after_onset(kind: FaultKind) -> None:
    labels, frames, _ = _scenario(kind)
    assert len(labels) == 4
    for label in labels:
        onset = datetime.fromisoformat(label["onset"])
        bits = label["params"]["alarm_bits"]
        raised = [b for b in _reports(frames[label["vin"]])
                  if any(_alarm(b).general_flags & (1 << bit) for bit in bits)]
        assert raised, f"{label['vin']}: alarm bits {bits} never raised"
        assert raised[0].collected_at >= onset
        if label["edition"] == Edition.V2025.value:
            levels = [entry.level for b in raised for entry in _alarm(b).alarm_levels
                      if entry.bit in bits]
            assert max(levels) == label["expected_alarm_level"]
        else:
            assert max(_alarm(b).max_level for b in raised) >= label["expected_alarm_level"]
            assert max(_alarm(b).max_level for b in raised) <= 3


def test_thermal_runaway_labels_match_the_editions() -> None:
    labels, frames, _ = _scenario(FaultKind.THERMAL_RUNAWAY, vehicles=6)
    for label in labels:
        top = 4 if label["edition"] == "2025" else 3
        assert label["expected_alarm_level"] == top
        last = _reports(frames[label["vin"]])[-1]
        assert _alarm(last).max_level == top
        assert bool(_alarm(last).general_flags & (1 << 23)) == (top == 4)


def test_sensor_sentinels_appear_only_after_onset() -> None:
    labels, frames, _ = _scenario(FaultKind.SENSOR_SENTINEL, vehicles=6)
    for label in labels:
        onset = datetime.fromisoformat(label["onset"])
        with_sentinel = [b for b in _reports(frames[label["vin"]])
                         if Sentinel.ABNORMAL.value in json.dumps(_as_json(b))
                         or Sentinel.INVALID.value in json.dumps(_as_json(b))]
        assert with_sentinel, label
        assert with_sentinel[0].collected_at >= onset
        assert label["expected_alarm_level"] == 0


def _as_json(body: RealtimeData) -> Any:
    return json.loads(to_json(body))


def test_long_offline_vehicles_stop_sending_at_onset() -> None:
    labels, frames, _ = _scenario(FaultKind.LONG_OFFLINE)
    for label in labels:
        onset = datetime.fromisoformat(label["onset"])
        reports = _reports(frames[label["vin"]])
        assert reports, "it reported before going silent"
        assert reports[-1].collected_at < onset
        assert frames[label["vin"]][-1].command != Command.VEHICLE_LOGOUT
        assert label["params"]["screening_threshold_days"] in (60, 90)


def test_cluster_members_park_together_with_a_high_soc() -> None:
    labels, frames, _ = _scenario(FaultKind.PARKING_CLUSTER, vehicles=7)
    clusters = {label["params"]["cluster_id"] for label in labels}
    for cluster in clusters:
        members = [label for label in labels if label["params"]["cluster_id"] == cluster]
        assert len(members) == members[0]["params"]["members"] >= 3
    for label in labels:
        params = label["params"]
        lot = Position(params["lot_latitude_deg"], params["lot_longitude_deg"])
        last = _reports(frames[label["vin"]])[-1]
        position = next(b for b in last.blocks if hasattr(b, "longitude_deg"))
        here = Position(position.latitude_deg, position.longitude_deg)
        assert distance_m(here, lot) <= params["radius_m"] + 20
        assert _vehicle(last).soc_pct > 80


def test_malformed_frames_are_sent_between_good_ones() -> None:
    labels, frames, broken = _scenario(FaultKind.MALFORMED_FRAMES)
    events = sum(len(label["params"]["events"]) for label in labels)
    assert 0 < broken <= events
    assert all(_reports(frames[label["vin"]]) for label in labels)


def test_fault_fraction_picks_that_share_and_labels_are_json_lines(tmp_path: Path) -> None:
    sim = fleet(40, seed=33, fault_fraction=0.5)
    path = tmp_path / "labels.jsonl"
    sim.write_labels(path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 20
    assert len({line["vin"] for line in lines}) == 20
    assert {line["kind"] for line in lines} == {k.value for k in FaultKind}
    for line in lines:
        assert set(line) == LABEL_KEYS
        onset = datetime.fromisoformat(line["onset"])
        assert onset.utcoffset() is not None
        assert 0 <= (onset.timestamp() - START_S) <= HORIZON_S
    assert fleet(40, seed=33, fault_fraction=0.0).faults == []
