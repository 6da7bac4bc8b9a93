"""Frames → table rows (pure): both editions, sentinels, extremes, events, latest state, summary,
and the spool record round trip."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest
from ingest_frames import (
    AT,
    LOGIN_2016,
    LOGOUT,
    REALTIME_2016_FULL,
    REALTIME_2016_SENTINELS,
    REALTIME_2025_FULL,
    REALTIME_BAD_TIME,
    REALTIME_UNKNOWN_TAIL,
    RECEIVED,
    VIN,
    accepted,
    realtime_at,
    wire,
)

from gateway.ingest import rows as rows_module
from gateway.ingest.batch import build_rows
from gateway.ingest.columns import (
    EVENT_COLUMNS,
    LATEST_COLUMNS,
    RAW_FRAME_COLUMNS,
    REALTIME_COLUMNS,
)
from gateway.ingest.records import EventItem, RawOnly, decode_item, encode_item, item_rows
from gateway.ingest.rows import FrameRows, frame_rows, latest_rows, summary
from gateway.protocol.crypto import KeyRing, SymmetricKey, UnitKeys, encrypt
from gateway.protocol.model import EncryptionType
from gateway.server.interfaces import AcceptedFrame, FrameKind, SessionEvent

BEIJING_AT = AT.astimezone(UTC)


def realtime(raw: bytes) -> dict[str, Any]:
    item = accepted(raw)
    rows = frame_rows(item.frame, item.raw, item.received_at)
    assert rows.realtime is not None
    return dict(zip(REALTIME_COLUMNS, rows.realtime, strict=True))


def jsonb(value: str | None) -> Any:
    return None if value is None else json.loads(value)


CASES = [
    pytest.param(wire("##", 0x02, REALTIME_2016_FULL), {
        "edition": 2016, "reissued": False, "vehicle_state": 1, "charging_state": 3,
        "running_mode": 1, "speed_kmh": 65.2, "odometer_km": 123456.7, "total_voltage_v": 355.1,
        "total_current_a": -13.0, "soc_pct": 76, "dcdc_state": 1, "gear": 0x2E,
        "insulation_kohm": 4200, "accelerator_pct": 20, "brake_pct": 0, "position_valid": True,
        "longitude_deg": -122.419416, "latitude_deg": 37.774929, "coordinate_system": None,
        # from the 0x06 block, not from the four cells of this frame (§8.6)
        "max_cell_voltage_mv": 3712, "min_cell_voltage_mv": 3690, "max_temperature_c": 28,
        "min_temperature_c": 23, "alarm_level": 2, "alarm_flags": 0x00040800,
        "cell_voltages_mv": [3700, 3701, 3699, None], "probe_temperatures_c": [25, 26, None],
        "undecoded": None, "signature_verified": None, "alarm_levels": None,
    }, {
        "fault_codes": {"battery": [0xABCD], "motor": [], "engine": [],
                        "other": [0x12345678, 0xDEADBEEF]},
        "sentinels": {"cell_voltages_mv[3]": "abnormal", "probe_temperatures_c[2]": "invalid"},
        "engine": {"kind": "engine", "state": 1, "crankshaft_speed_rpm": 3000,
                   "fuel_consumption_l_per_100km": 6.0},
        "extras": {"user_defined": [{"type": 0x80, "data": "aabbcc"}]},
    }, id="2016 all blocks"),
    pytest.param(wire("##", 0x02, REALTIME_2016_SENTINELS), {
        "speed_kmh": None, "soc_pct": None, "odometer_km": 123456.7,
        # no 0x06 block: extremes come from the arrays, sentinel items left out
        "max_cell_voltage_mv": 3701, "min_cell_voltage_mv": 3699, "max_temperature_c": 26,
        "min_temperature_c": 25, "position_valid": None, "alarm_level": None,
    }, {
        "sentinels": {"speed_kmh": "invalid", "soc_pct": "abnormal",
                      "cell_voltages_mv[3]": "abnormal", "probe_temperatures_c[2]": "invalid"},
        "fault_codes": None, "motors": None, "extras": None,
    }, id="2016 sentinels, no extremes block"),
    pytest.param(wire("$$", 0x02, REALTIME_2025_FULL), {
        "edition": 2025, "total_current_a": -13.0, "insulation_kohm": None,
        "accelerator_pct": None, "brake_pct": None, "coordinate_system": 2,
        "longitude_deg": 116.397128, "latitude_deg": 39.916527, "alarm_level": 3,
        "alarm_flags": 0x00800001, "cell_voltages_mv": [3700, 3701, 3699],
        "probe_temperatures_c": [25, 26],
        # 2025 has no extremes block (§14.4): computed from the arrays
        "max_cell_voltage_mv": 3701, "min_cell_voltage_mv": 3699, "max_temperature_c": 26,
        "min_temperature_c": 25,
    }, {
        "sentinels": {"insulation_kohm": "abnormal"},
        "alarm_levels": [{"bit": 0, "level": 1}, {"bit": 23, "level": 3}],
        "extras": {"signature_algorithm": 1},
        "battery": {"packs": [{"pack_no": 1, "voltage_v": 355.1, "current_a": -13.0,
                               "cells": 3}],
                    "probe_subsystems": [{"subsystem_no": 1, "probes": 2}],
                    "extremes_source": "computed"},
    }, id="2025 with signature"),
    pytest.param(wire("##", 0x03, REALTIME_2016_FULL), {"reissued": True}, {},
                 id="2016 reissue"),
    pytest.param(wire("##", 0x02, REALTIME_UNKNOWN_TAIL), {"undecoded": bytes.fromhex("310102"),
                                                          "speed_kmh": 65.2}, {
        "extras": {"undecoded_reason": "unknown_block_type"},
    }, id="unknown block type keeps the tail"),
]


@pytest.mark.parametrize(("raw", "columns", "json_columns"), CASES)
def test_realtime_row(raw: bytes, columns: dict[str, Any], json_columns: dict[str, Any]) -> None:
    row = realtime(raw)
    assert row["vin"] == VIN
    assert row["collected_at"] == BEIJING_AT
    assert row["received_at"] == RECEIVED
    # content hash: BLAKE2b-128 of the data unit, i.e. the frame without header and BCC (§2)
    assert row["content_hash"] == hashlib.blake2b(raw[24:-1], digest_size=16).digest()
    for column, expected in columns.items():
        assert row[column] == expected, column
    for column, expected in json_columns.items():
        assert jsonb(row[column]) == expected, column


def test_live_and_reissued_copies_share_the_dedupe_key() -> None:
    live = realtime(wire("##", 0x02, REALTIME_2016_FULL))
    reissued = realtime(wire("##", 0x03, REALTIME_2016_FULL))
    key = ("vin", "collected_at", "content_hash")
    assert [live[k] for k in key] == [reissued[k] for k in key]


def test_a_value_outside_the_realtime_columns_is_an_error(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """The row tuple is the builder's dict in column order: a stray key must not shift it."""
    build = rows_module.realtime_values

    def with_a_stray_key(report: Any) -> dict[str, Any]:
        return {**build(report), "not_a_column": 1}

    monkeypatch.setattr(rows_module, "realtime_values", with_a_stray_key)
    item = accepted(wire("##", 0x02, REALTIME_2016_FULL))
    with pytest.raises(KeyError, match="not_a_column"):
        frame_rows(item.frame, item.raw, item.received_at)


def test_impossible_collection_time_keeps_only_the_raw_frame() -> None:
    raw = wire("##", 0x02, REALTIME_BAD_TIME)
    item = accepted(raw)
    rows = frame_rows(item.frame, raw, RECEIVED)
    assert rows.realtime is None
    assert rows.raw is not None
    raw_row = dict(zip(RAW_FRAME_COLUMNS, rows.raw, strict=True))
    assert raw_row == {"vin": VIN, "received_at": RECEIVED, "collected_at": None, "command": 2,
                       "edition": 2016, "frame": raw,
                       "frame_hash": hashlib.blake2b(raw, digest_size=16).digest()}


@pytest.mark.parametrize(("command", "unit", "kind", "online", "details"), [
    (0x01, LOGIN_2016, "login", True,
     {"iccid": "89860012345678901234", "subsystem_codes": ["BAT1"]}),
    (0x04, LOGOUT, "logout", False, {}),
])
def test_login_and_logout_frames_make_events(command: int, unit: str, kind: str, online: bool,
                                             details: dict[str, Any]) -> None:
    item = accepted(wire("##", command, unit))
    rows = frame_rows(item.frame, item.raw, RECEIVED)
    assert rows.online is online
    (event,) = rows.events
    assert dict(zip(EVENT_COLUMNS, event, strict=True)) == {
        "vin": VIN, "at": RECEIVED, "collected_at": BEIJING_AT, "kind": kind, "serial": 1,
        "details": json.dumps(details, separators=(",", ":"))}


def _rows(raw: bytes, second: int) -> FrameRows:
    item = accepted(raw, received_at=RECEIVED + timedelta(seconds=second))
    return frame_rows(item.frame, item.raw, item.received_at)


def test_latest_state_takes_the_newest_live_record_and_the_last_link_state() -> None:
    now = datetime(2024, 5, 2, tzinfo=UTC)
    newest_live = _rows(realtime_at(VIN, 20, soc_pct=50), 1)
    older_live = _rows(realtime_at(VIN, 10, soc_pct=60), 2)
    reissue_newer = _rows(realtime_at(VIN, 30, soc_pct=70, command=0x03), 3)
    logout = _rows(wire("##", 0x04, LOGOUT), 4)
    (row,) = latest_rows([newest_live, older_live, reissue_newer, logout], now)
    latest = dict(zip(LATEST_COLUMNS, row, strict=True))
    assert latest["online"] is False
    assert latest["last_frame_at"] == RECEIVED + timedelta(seconds=4)
    assert latest["last_collected_at"] == AT + timedelta(seconds=20)
    assert latest["soc_pct"] == 50
    assert latest["updated_at"] == now


def test_a_disconnect_moves_the_link_state_but_not_the_snapshot() -> None:
    frame = _rows(realtime_at(VIN, 0), 0)
    event = EventItem("acme", VIN, SessionEvent.DISCONNECTED, RECEIVED + timedelta(seconds=9),
                      {"reason": "idle"})
    (row,) = latest_rows([frame, item_rows(event)], RECEIVED)
    latest = dict(zip(LATEST_COLUMNS, row, strict=True))
    assert latest["online"] is False
    assert latest["last_frame_at"] == event.at
    assert latest["last_collected_at"] == AT
    (alone,) = latest_rows([item_rows(event)], RECEIVED)
    assert alone[LATEST_COLUMNS.index("last_collected_at")] is None


def test_summary_of_a_committed_frame() -> None:
    item = accepted(wire("$$", 0x02, REALTIME_2025_FULL))
    rows = frame_rows(item.frame, item.raw, RECEIVED)
    assert rows.realtime is not None
    assert summary("acme", rows.realtime) == {
        "vin": VIN, "tenant": "acme", "collected_at": "2024-05-01T08:30:00+08:00",
        "received_at": "2024-05-01T00:30:02.123456+00:00", "reissued": False, "soc_pct": 76,
        "speed_kmh": 65.2, "alarm_level": 3, "charging_state": 3,
        "position": {"longitude_deg": 116.397128, "latitude_deg": 39.916527, "valid": True}}


@pytest.mark.parametrize("item", [
    accepted(wire("##", 0x02, REALTIME_2016_FULL)),
    accepted(wire("$$", 0x03, REALTIME_2025_FULL), kind=FrameKind.REISSUE),
    EventItem("acme", VIN, SessionEvent.LOGIN, RECEIVED, {"serial": 7, "peer": "1.2.3.4:5"}),
], ids=["2016 realtime", "2025 reissue", "login event"])
def test_spool_records_rebuild_the_same_rows(item: AcceptedFrame | EventItem) -> None:
    replayed = decode_item(encode_item(item))
    assert replayed == item
    assert replayed is not None
    assert item_rows(replayed) == item_rows(item)


def test_a_batch_collects_rows_of_every_table() -> None:
    items = [accepted(realtime_at(VIN, s)) for s in range(3)]
    items += [accepted(realtime_at("LNGTEST0000000002", 0))]
    rows = build_rows([*items, EventItem("acme", VIN, SessionEvent.LOGOUT, RECEIVED, {})],
                      RECEIVED)
    assert (len(rows.realtime), len(rows.raw), len(rows.events), len(rows.latest)) == (4, 4, 1, 2)
    assert rows.items == 5


def test_an_encrypted_frame_replays_without_the_key() -> None:
    # §5: AES-128 (0x03), ECB + PKCS#7; the spool keeps the decrypted unit for the replay.
    ring = KeyRing({VIN: UnitKeys(aes128=SymmetricKey(bytes(range(16))))})
    plaintext = bytes.fromhex(REALTIME_2016_FULL)
    ciphertext = encrypt(EncryptionType.AES128, VIN, plaintext, ring)
    assert ciphertext is not None
    item = accepted(wire("##", 0x02, ciphertext.hex(), encryption=0x03), keys=ring)
    original = item_rows(item)
    assert original.realtime is not None
    row = dict(zip(REALTIME_COLUMNS, original.realtime, strict=True))
    assert row["content_hash"] == hashlib.blake2b(plaintext, digest_size=16).digest()
    assert row["speed_kmh"] == 65.2
    replayed = decode_item(encode_item(item))
    assert isinstance(replayed, AcceptedFrame)
    assert replayed.frame == item.frame
    assert item_rows(replayed) == original


def test_a_record_the_codec_no_longer_accepts_is_stored_raw() -> None:
    item = accepted(wire("##", 0x02, REALTIME_2016_FULL))
    broken = msgspec.structs.replace(item, raw=item.raw[:-1] + bytes((item.raw[-1] ^ 0xFF,)))  # BCC
    replayed = decode_item(encode_item(broken))
    assert isinstance(replayed, RawOnly)
    rows = item_rows(replayed)
    assert rows.realtime is None
    assert rows.raw is not None and rows.raw[RAW_FRAME_COLUMNS.index("frame")] == broken.raw
