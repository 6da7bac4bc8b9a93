"""From a ``VehicleState`` to GB/T 32960 frames of the vehicle's edition (§8, §14.4).

Only this module knows the block classes; the signal model above it is edition-free.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from gateway.protocol import blocks_2016 as b16
from gateway.protocol import blocks_2016_alarm as a16
from gateway.protocol import blocks_2016_battery as bat16
from gateway.protocol import blocks_2025 as b25
from gateway.protocol import blocks_2025_alarm as a25
from gateway.protocol import blocks_2025_energy as bat25
from gateway.protocol.blocks_common import ProbeSubsystem, ProbeTemperatures
from gateway.protocol.codec import encode_body, encode_frame
from gateway.protocol.crypto import SigningKey, sign
from gateway.protocol.frame import Frame
from gateway.protocol.model import (
    Block,
    Body,
    Command,
    Edition,
    EncryptionType,
    ResponseFlag,
    Sentinel,
)
from gateway.protocol.realtime import RealtimeData
from gateway.protocol.session import (
    BatteryManagementSystem,
    VehicleLogin2016,
    VehicleLogin2025,
    VehicleLogout,
)

from .alarms import extremes
from .spec import VehicleSpec
from .state import LAST_2016_ALARM_BIT, MAX_LEVEL_2016, IntReading, Reading, VehicleState

PACK_CODE_LENGTH = 24
_DRIVING_FORCE = 0x20
_BRAKING_FORCE = 0x10
_WGS84 = 0x01
_MAX_TORQUE_NM = 1999.0
_TEMPERATURE_RANGE_C = (-40, 210)
_2016_FLAGS = (1 << (LAST_2016_ALARM_BIT + 1)) - 1


def frame(spec: VehicleSpec, command: Command, body: Body) -> bytes:
    return encode_frame(Frame(edition=spec.edition, command=command,
                              response=ResponseFlag.COMMAND, unique_id=spec.vin,
                              encryption=EncryptionType.NONE, body=body))


def pack_code(spec: VehicleSpec) -> str:
    """A 24-character battery pack code (§14.3 width) naming chemistry and production lot,
    so batch screening has something to group by."""
    lot = spec.seed % 40 + 1
    return f"BAT{spec.model.chemistry.value}{lot:04d}{spec.vin[-14:]}"[:PACK_CODE_LENGTH]


def login_body(spec: VehicleSpec, at: datetime, serial: int) -> Body:
    if spec.edition is Edition.V2016:
        return VehicleLogin2016(collected_at=at, serial=serial, iccid=spec.iccid,
                                subsystem_code_length=PACK_CODE_LENGTH,
                                subsystem_codes=(pack_code(spec),))
    return VehicleLogin2025(collected_at=at, serial=serial, iccid=spec.iccid,
                            battery_systems=(BatteryManagementSystem(
                                pack_codes=(pack_code(spec),)),))


def logout_body(at: datetime, serial: int) -> Body:
    return VehicleLogout(collected_at=at, serial=serial)


# ---- value conversions -------------------------------------------------------------------------

def _int(value: Reading) -> int | Sentinel:
    return value if isinstance(value, Sentinel) else round(value)


def _temperature(value: Reading) -> int | Sentinel:
    if isinstance(value, Sentinel):
        return value
    low, high = _TEMPERATURE_RANGE_C
    return min(high, max(low, round(value)))


def _torque(value: Reading) -> float | Sentinel:
    if isinstance(value, Sentinel):
        return value
    return min(_MAX_TORQUE_NM, max(-_MAX_TORQUE_NM, value))


def _gear(state: VehicleState) -> int:
    return (state.gear | (_DRIVING_FORCE if state.driving_force else 0)
            | (_BRAKING_FORCE if state.braking_force else 0))


def _dcdc(state: VehicleState) -> int:
    return 1 if state.dcdc_working else 2


def _extreme(values: list[IntReading], highest: bool) -> tuple[int | Sentinel, IntReading]:
    """(1-based number, value) of the highest/lowest real reading; sentinels when none."""
    found = extremes(values)
    if found is None:
        return Sentinel.INVALID, Sentinel.INVALID
    value = found[0] if highest else found[1]
    return values.index(value) + 1, value


def _temperatures(values: list[IntReading]) -> tuple[int | Sentinel, ...]:
    found = extremes(values)
    low, high = _TEMPERATURE_RANGE_C
    if found is None or (found[0] <= high and found[1] >= low):
        return tuple(values)
    return tuple(_temperature(t) for t in values)


def _probes(state: VehicleState) -> ProbeTemperatures:
    return ProbeTemperatures(subsystems=(ProbeSubsystem(
        subsystem_no=1, temperatures_c=_temperatures(state.probe_temperatures_c)),))


# ---- 2016 blocks (§8) --------------------------------------------------------------------------

def _blocks_2016(state: VehicleState) -> list[Block]:
    insulation = state.insulation_kohm
    cells = tuple(state.cell_voltages_mv)
    max_cell, max_v = _extreme(state.cell_voltages_mv, True)
    min_cell, min_v = _extreme(state.cell_voltages_mv, False)
    max_probe, max_t = _extreme(state.probe_temperatures_c, True)
    min_probe, min_t = _extreme(state.probe_temperatures_c, False)
    alarm = state.alarm
    return [
        b16.Vehicle(
            vehicle_state=int(state.vehicle_state),
            charging_state=int(state.charging_state),
            running_mode=1, speed_kmh=state.speed_kmh, odometer_km=state.odometer_km,
            total_voltage_v=state.total_voltage_v, total_current_a=state.total_current_a,
            soc_pct=_int(state.soc_pct), dcdc_state=_dcdc(state), gear=_gear(state),
            # 2016 insulation has no sentinels (§8.0); the raw top values are what a
            # terminal without a reading sends.
            insulation_kohm=(0xFFFF if isinstance(insulation, Sentinel)
                             else min(60_000, round(insulation))),
            accelerator_pedal_pct=_int(state.accelerator_pct),
            brake_pedal=_int(state.brake_pct)),
        b16.DriveMotors(motors=tuple(
            b16.DriveMotor(
                motor_no=m.number, state=int(m.state),
                controller_temperature_c=_temperature(m.controller_temperature_c),
                speed_rpm=_int(m.speed_rpm), torque_nm=_torque(m.torque_nm),
                temperature_c=_temperature(m.temperature_c),
                controller_voltage_v=m.controller_voltage_v,
                controller_current_a=m.controller_current_a)
            for m in state.motors)),
        b16.Position.at(state.longitude_deg, state.latitude_deg, state.position_valid),
        bat16.Extremes(
            max_voltage_subsystem_no=1, max_voltage_cell_no=max_cell,
            max_cell_voltage_mv=max_v, min_voltage_subsystem_no=1,
            min_voltage_cell_no=min_cell, min_cell_voltage_mv=min_v,
            max_temperature_subsystem_no=1, max_temperature_probe_no=max_probe,
            max_temperature_c=_temperature(max_t), min_temperature_subsystem_no=1,
            min_temperature_probe_no=min_probe, min_temperature_c=_temperature(min_t)),
        a16.Alarm(max_level=min(alarm.max_level, MAX_LEVEL_2016),
                  general_flags=alarm.flags & _2016_FLAGS,
                  battery_fault_codes=alarm.battery_fault_codes,
                  motor_fault_codes=alarm.motor_fault_codes,
                  engine_fault_codes=alarm.engine_fault_codes,
                  other_fault_codes=alarm.other_fault_codes),
        bat16.CellVoltages(subsystems=(bat16.CellVoltageSubsystem(
            subsystem_no=1, voltage_v=state.total_voltage_v, current_a=state.total_current_a,
            cell_total=len(cells), first_cell_index=1, cell_voltages_mv=cells),)),
        _probes(state),
    ]


# ---- 2025 blocks (§14.4) -----------------------------------------------------------------------

def _blocks_2025(state: VehicleState) -> list[Block]:
    alarm = state.alarm
    insulation = state.insulation_kohm
    return [
        b25.Vehicle2025(
            vehicle_state=int(state.vehicle_state),
            charging_state=int(state.charging_state),
            running_mode=1, speed_kmh=state.speed_kmh, odometer_km=state.odometer_km,
            total_voltage_v=state.total_voltage_v, total_current_a=state.total_current_a,
            soc_pct=_int(state.soc_pct), dcdc_state=_dcdc(state), gear=_gear(state),
            insulation_kohm=insulation if isinstance(insulation, Sentinel)
            else min(60_000, round(insulation))),
        b25.DriveMotors2025(motors=tuple(
            b25.DriveMotor2025(
                motor_no=m.number, state=int(m.state),
                controller_temperature_c=_temperature(m.controller_temperature_c),
                speed_rpm=_int(m.speed_rpm), torque_nm=_torque(m.torque_nm),
                temperature_c=_temperature(m.temperature_c))
            for m in state.motors)),
        b25.Position2025(status=0 if state.position_valid else 1, coordinate_system=_WGS84,
                         longitude_deg=state.longitude_deg, latitude_deg=state.latitude_deg),
        a25.Alarm2025(max_level=alarm.max_level, general_flags=alarm.flags,
                      battery_fault_codes=alarm.battery_fault_codes,
                      motor_fault_codes=alarm.motor_fault_codes,
                      engine_fault_codes=alarm.engine_fault_codes,
                      other_fault_codes=alarm.other_fault_codes,
                      alarm_levels=tuple(a25.AlarmBitLevel(bit=bit, level=level)
                                         for bit, level in sorted(alarm.flag_levels.items()))),
        bat25.CellVoltages2025(packs=(bat25.PackVoltages(
            pack_no=1, voltage_v=state.total_voltage_v, current_a=state.total_current_a,
            cell_voltages_mv=tuple(state.cell_voltages_mv)),)),
        _probes(state),
    ]


def realtime_body(spec: VehicleSpec, state: VehicleState,
                  signing_key: SigningKey | None = None) -> RealtimeData:
    """The 0x02/0x03 data unit of one snapshot; 2025 frames are signed when a key is given
    (§14.5: the signature covers collection time through the last block)."""
    if spec.edition is Edition.V2016:
        return RealtimeData(collected_at=state.at, blocks=tuple(_blocks_2016(state)))
    body = RealtimeData(collected_at=state.at, blocks=tuple(_blocks_2025(state)))
    if signing_key is None:
        return body
    unsigned = encode_body(Frame(edition=spec.edition, command=Command.REALTIME,
                                 response=ResponseFlag.COMMAND, unique_id=spec.vin,
                                 encryption=EncryptionType.NONE, body=body))
    return msgspec.structs.replace(body, signature=sign(unsigned, signing_key))
