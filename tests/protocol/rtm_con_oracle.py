"""Field-by-field comparison of our decoded frames with rtm-con's parse of the same bytes.

rtm-con (beidouchangxi/rtm_con, GPL-2.0) is a test-only oracle from the dev extras: only tests
import it, never product code. ``same_frame(wire)`` decodes ``wire`` with both and asserts that
every value rtm-con models agrees, in its units (V instead of mV, unsigned degrees, naive local
times). The one known bug of the peer it meets on valid frames, the 2016 subsystem current
offset, is asserted as the exact difference ``SUBSYSTEM_CURRENT_OFFSET_ERROR_A``; its other
deviations are in test_differential.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import rtm_con

from gateway.protocol.activation import Activation, ActivationResponse, KeyExchange
from gateway.protocol.bodies import Empty, Opaque, TimeOnly
from gateway.protocol.codec import decode_frame
from gateway.protocol.frame import Frame
from gateway.protocol.model import Edition, Sentinel
from gateway.protocol.realtime import RealtimeData
from gateway.protocol.session import (
    PlatformLogin,
    PlatformLogout,
    VehicleLogin2016,
    VehicleLogin2025,
    VehicleLogout,
)

SUBSYSTEM_CURRENT_OFFSET_ERROR_A = -2000.0
"""rtm-con's 2016 subsystem current minus ours: its -3000 A offset against the standard's
-1000 A (§8.8)."""


# ---- comparing one value -------------------------------------------------------------------------

def raw_code(value: int | Sentinel, width: int = 1) -> int:
    """The raw integer behind a decoded code (sentinels are the two top values, §8.0)."""
    if isinstance(value, Sentinel):
        top = (1 << 8 * width) - 1
        return top - 1 if value is Sentinel.ABNORMAL else top
    return value


def same_code(peer: Any, ours: int | Sentinel) -> None:
    """An enumerated byte: rtm-con keeps the raw code (named when it knows it)."""
    assert int(peer) == raw_code(ours)


def same_quantity(peer: Any, ours: int | float | Sentinel, scale: float = 1.0,
                  shift: float = 0.0) -> None:
    """rtm-con's DataItem: value = raw x factor + offset, valid False = abnormal, None = invalid.
    ``scale``/``shift`` convert our unit into the peer's (mV -> V, a known offset error)."""
    if isinstance(ours, Sentinel):
        assert peer.valid is (False if ours is Sentinel.ABNORMAL else None)
        return
    assert peer.valid is True
    assert peer.value == pytest.approx(ours * scale + shift, abs=1e-6)


def same_time(peer: datetime, ours: datetime | None) -> None:
    """rtm-con turns the Beijing time (§6.1) into a naive local time; the same instant."""
    assert ours is not None
    assert peer == ours.astimezone().replace(tzinfo=None)


def same_list(peer: Any, ours: tuple[Any, ...], scale: float = 1.0) -> None:
    assert len(peer) == len(ours)
    for peer_item, our_item in zip(peer, ours, strict=True):
        same_quantity(peer_item, our_item, scale)


# ---- comparing blocks (§8, §14.4) ----------------------------------------------------------------

def _vehicle(peer: Any, ours: Any) -> None:
    for peer_name, our_name in (("vehicle_state", "vehicle_state"),
                                ("charge_state", "charging_state"),
                                ("operate_state", "running_mode"), ("dcdc_state", "dcdc_state")):
        same_code(peer[peer_name], getattr(ours, our_name))
    same_quantity(peer.vehicle_speed, ours.speed_kmh)
    same_quantity(peer.mileage_total, ours.odometer_km)
    same_quantity(peer.voltage_total, ours.total_voltage_v)
    same_quantity(peer.current_total, ours.total_current_a)
    same_quantity(peer.soc, ours.soc_pct)
    gear = peer.gear_state
    assert (gear.driving_force, gear.braking_force, int(gear.gear)) == (
        ours.driving_force, ours.braking_force, ours.gear_position)
    if "gear_postion_validity" in gear:                       # 2025: bit 7 (§14.4)
        assert (gear.gear_postion_validity == "valid") is ours.gear_valid
        same_quantity(peer.insulation_resistance, ours.insulation_kohm)
    else:                                                     # 2016: no sentinels (§8.0)
        assert peer.insulation_resistance.value == ours.insulation_kohm
        same_quantity(peer.accelerator_padel, ours.accelerator_pedal_pct)
        same_quantity(peer.brake_padel, ours.brake_pedal)


def _motors(peer: Any, ours: Any) -> None:
    assert len(peer) == len(ours.motors)
    for peer_motor, motor in zip(peer, ours.motors, strict=True):
        assert peer_motor.index == raw_code(motor.motor_no)
        same_code(peer_motor.state, motor.state)
        same_quantity(peer_motor.ctrl_temp, motor.controller_temperature_c)
        same_quantity(peer_motor.speed, motor.speed_rpm)
        same_quantity(peer_motor.torque, motor.torque_nm)
        same_quantity(peer_motor.temp, motor.temperature_c)
        if "ctrl_volt" in peer_motor:                          # 2016 only
            same_quantity(peer_motor.ctrl_volt, motor.controller_voltage_v)
            same_quantity(peer_motor.ctrl_curr, motor.controller_current_a)


def _engine(peer: Any, ours: Any) -> None:
    # rtm-con names the crankshaft speed (rpm) "engine_torque".
    same_quantity(peer.engine_torque, ours.crankshaft_speed_rpm)
    if "engine_state" in peer:                                 # 2016 only
        same_code(peer.engine_state, ours.state)
        same_quantity(peer.fuel_consumption, ours.fuel_consumption_l_per_100km)


def _position(peer: Any, ours: Any) -> None:
    state = peer.gnss_state
    assert state.gnss_valid is ours.fix_valid
    assert (state.gnss_e_w == "w", state.gnss_n_s == "s") == (bool(ours.status & 0x04),
                                                              bool(ours.status & 0x02))
    # rtm-con keeps the unsigned magnitude; ours carries the hemisphere as the sign (§8.5).
    for peer_value, value in ((peer.gnss_lng, ours.longitude_deg),
                              (peer.gnss_lat, ours.latitude_deg)):
        same_quantity(peer_value, value if isinstance(value, Sentinel) else abs(value))
    if "gnss_gcs" in peer:                                     # 2025 coordinate system
        same_code(peer.gnss_gcs, ours.coordinate_system)


def _extremes(peer: Any, ours: Any) -> None:
    for side in ("max", "min"):
        for peer_name, our_name, scale in (
                ("volt_pack_index", "voltage_subsystem_no", 1.0),
                ("volt_cell_index", "voltage_cell_no", 1.0),
                ("cell_volt", "cell_voltage_mv", 0.001),
                ("temp_pack_index", "temperature_subsystem_no", 1.0),
                ("temp_cell_index", "temperature_probe_no", 1.0),
                ("cell_temp", "temperature_c", 1.0)):
            same_quantity(peer[f"{side}_{peer_name}"], getattr(ours, f"{side}_{our_name}"), scale)


def _alarm(peer: Any, ours: Any) -> None:
    assert peer.max_warning_level == raw_code(ours.max_level)
    flags = [value for name, value in peer.general_warnings.items() if not name.startswith("_")]
    assert flags == [bool(ours.general_flags >> bit & 1) for bit in range(len(flags))]
    for peer_name, our_name in (("pack_failures", "battery_fault_codes"),
                                ("emotor_failures", "motor_fault_codes"),
                                ("engine_failures", "engine_fault_codes"),
                                ("other_failures", "other_fault_codes")):
        assert [int(code, 16) for code in peer[peer_name]] == list(getattr(ours, our_name))
    if "general_warning_list" in peer:                         # 2025 N5 list
        assert [(int(e.warning), e.level) for e in peer.general_warning_list] == [
            (entry.bit, raw_code(entry.level)) for entry in ours.alarm_levels]


def _cell_voltages_2016(peer: Any, ours: Any) -> None:
    assert len(peer) == len(ours.subsystems)
    for peer_sub, sub in zip(peer, ours.subsystems, strict=True):
        same_quantity(peer_sub.index, sub.subsystem_no)
        same_quantity(peer_sub.volt, sub.voltage_v)
        # Known rtm-con bug: -3000 A instead of the standard's -1000 A (§8.8).
        same_quantity(peer_sub.curr, sub.current_a, shift=SUBSYSTEM_CURRENT_OFFSET_ERROR_A)
        same_quantity(peer_sub.cell_total, sub.cell_total)
        assert peer_sub.cell_start_index == raw_code(sub.first_cell_index, 2)
        same_list(peer_sub.cell_volts, sub.cell_voltages_mv, 0.001)


def _cell_voltages_2025(peer: Any, ours: Any) -> None:
    assert len(peer) == len(ours.packs)
    for peer_pack, pack in zip(peer, ours.packs, strict=True):
        same_quantity(peer_pack.index, pack.pack_no)
        same_quantity(peer_pack.volt, pack.voltage_v)
        same_quantity(peer_pack.curr, pack.current_a)         # both -3000 A in 2025 (§14.4)
        same_list(peer_pack.cell_volts, pack.cell_voltages_mv, 0.001)


def _temperatures(peer: Any, ours: Any) -> None:
    assert len(peer) == len(ours.subsystems)
    for peer_sub, sub in zip(peer, ours.subsystems, strict=True):
        same_quantity(peer_sub.index, sub.subsystem_no)
        same_list(peer_sub.probe_temps, sub.temperatures_c)


COMPARE = {
    Edition.V2016: {0x01: _vehicle, 0x02: _motors, 0x04: _engine, 0x05: _position,
                    0x06: _extremes, 0x07: _alarm, 0x08: _cell_voltages_2016,
                    0x09: _temperatures},
    Edition.V2025: {0x01: _vehicle, 0x02: _motors, 0x04: _engine, 0x05: _position,
                    0x06: _alarm, 0x07: _cell_voltages_2025, 0x08: _temperatures},
}


def _user_defined(peer: Any, ours: Any) -> None:
    assert peer == ours.data.hex()


def same_realtime(peer: Any, ours: RealtimeData, edition: Edition) -> None:
    same_time(peer.timestamp, ours.collected_at)
    assert len(peer.data_list) == len(ours.blocks)
    for item, block in zip(peer.data_list, ours.blocks, strict=True):
        type_id = int(item.data_type)
        compare = _user_defined if type_id >= 0x80 else COMPARE[edition][type_id]
        compare(item.data_content, block)
    if edition is Edition.V2025:
        assert ours.signature is not None
        assert (int(peer.sig.algo), peer.sig.r_value, peer.sig.s_value) == (
            ours.signature.algorithm, ours.signature.r.hex(), ours.signature.s.hex())


def same_frame(wire: bytes) -> Frame:
    """Decode ``wire`` with both decoders and compare everything rtm-con models."""
    ours, peer = decode_frame(wire), rtm_con.msg_checked.parse(wire)
    assert int(peer.starter) == (0x2323 if ours.edition is Edition.V2016 else 0x2424)
    assert (int(peer.msg_type), int(peer.ack), peer.vin, int(peer.enc)) == (
        ours.command, ours.response, ours.unique_id, ours.encryption)
    body, payload = ours.body, peer.payload
    if isinstance(body, RealtimeData):
        same_realtime(payload, body, ours.edition)
    elif isinstance(body, VehicleLogin2016):
        same_time(payload.timestamp, body.collected_at)
        assert (payload.session_id, payload.iccid, payload.bms_total, payload.pack_sn_len,
                list(payload.pack_sn)) == (body.serial, body.iccid, len(body.subsystem_codes),
                                           body.subsystem_code_length, list(body.subsystem_codes))
    elif isinstance(body, VehicleLogin2025):
        same_time(payload.timestamp, body.collected_at)
        assert (payload.session_id, payload.iccid, list(payload.pack_per_bms)) == (
            body.serial, body.iccid, [len(bms.pack_codes) for bms in body.battery_systems])
        assert [list(codes) for codes in payload.pack_sn_list] == [
            list(bms.pack_codes) for bms in body.battery_systems]
    elif isinstance(body, VehicleLogout):
        same_time(payload.timestamp, body.collected_at)
        assert payload.session_id == body.serial
    elif isinstance(body, TimeOnly):
        same_time(payload.timestamp, body.at)
    elif isinstance(body, Empty | Opaque):
        assert payload == (bytes(body.data) if isinstance(body, Opaque) else b"")
    elif isinstance(body, PlatformLogin):
        same_time(payload.timestamp, body.collected_at)
        assert (payload.session_id, payload.username, payload.password) == (
            body.serial, body.username, body.password)
        same_code(payload.enc, body.encryption_rule)
    elif isinstance(body, PlatformLogout):
        same_time(payload.timestamp, body.collected_at)
        assert payload.session_id == body.serial
    elif isinstance(body, Activation):
        same_time(payload.timestamp, body.collected_at)
        assert (payload.sec_chip_id, payload.pubkey, payload.vin) == (
            body.chip_id, body.public_key.hex(), body.vin)
        assert (int(payload.sig.algo), payload.sig.r_value, payload.sig.s_value) == (
            body.signature.algorithm, body.signature.r.hex(), body.signature.s.hex())
    elif isinstance(body, ActivationResponse):
        same_code(payload.activation_result, body.result)
        same_code(payload.activation_info, body.detail)
    elif isinstance(body, KeyExchange):
        same_code(payload.payload_enc, body.key_type)
        assert payload.payload_key == body.key.hex()
        same_time(payload.key_starttime, body.valid_from)
        same_time(payload.key_endtime, body.valid_until)
    else:
        pytest.fail(f"no comparison for {type(body).__name__}")
    return ours
