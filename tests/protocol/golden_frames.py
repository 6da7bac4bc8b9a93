"""Hand-built frames of both editions and what they must decode to (PROTOCOL.md §2-§15).

Every data unit is written as hex from the field tables, with comments; ``envelope`` adds the
24-byte header and the BCC with its own XOR (not the codec's encoder) and checks the BCC written
next to each frame. The expected models are written out field by field. test_frames checks
decode and encode against them; test_fuzz uses the wire bytes as a seed corpus.
"""

from __future__ import annotations

from datetime import datetime
from functools import reduce
from operator import xor
from typing import NamedTuple

from gateway.protocol.activation import Activation, ActivationResponse, KeyExchange
from gateway.protocol.blocks_2016 import DriveMotor, DriveMotors, Engine, Position, Vehicle
from gateway.protocol.blocks_2016_alarm import Alarm
from gateway.protocol.blocks_2016_battery import (
    CellVoltages,
    CellVoltageSubsystem,
    Extremes,
    FuelCell,
)
from gateway.protocol.blocks_2025 import DriveMotor2025, DriveMotors2025, Position2025, Vehicle2025
from gateway.protocol.blocks_2025_alarm import Alarm2025, AlarmBitLevel
from gateway.protocol.blocks_2025_energy import CellVoltages2025, PackVoltages
from gateway.protocol.blocks_common import ProbeSubsystem, ProbeTemperatures, UserDefinedBlock
from gateway.protocol.bodies import Empty, Encrypted, Opaque, TimeOnly
from gateway.protocol.downlink import (
    ParameterQuery,
    ParameterQueryReply,
    ParameterSet,
    TerminalControl,
)
from gateway.protocol.downlink_params import Parameter
from gateway.protocol.frame import Frame
from gateway.protocol.model import Body, Edition, Hex, Sentinel
from gateway.protocol.realtime import RealtimeData
from gateway.protocol.session import (
    BatteryManagementSystem,
    PlatformLogin,
    PlatformLogout,
    VehicleLogin2016,
    VehicleLogin2025,
    VehicleLogout,
)
from gateway.protocol.signature import Signature
from gateway.protocol.wire import BEIJING

VIN = "LTESTVIN000000001"
VIN_HEX = "4C 54 45 53 54 56 49 4E 30 30 30 30 30 30 30 30 31"
PLATFORM = "123456789"                       # §2: a platform code, "123456789" + 8 NULs
PLATFORM_HEX = "31 32 33 34 35 36 37 38 39" + " 00" * 8
T = "18 05 01 08 1E 00"                      # §6.1 binary time: 2024-05-01 08:30:00 UTC+8
AT = datetime(2024, 5, 1, 8, 30, tzinfo=BEIJING)
ICCID = "89860012345678901234"
R_HEX = bytes(range(0x20)).hex()       # SM2 signature R and S, 32 bytes each (§14.5)
S_HEX = bytes(range(0x20, 0x40)).hex()


def ascii_hex(text: str, width: int | None = None) -> str:
    """A STRING field: ASCII bytes padded with NULs to ``width`` (§1)."""
    raw = text.encode("ascii")
    return raw.ljust(width or len(raw), b"\x00").hex()


def envelope(marker: str, command: int, flag: int, data_unit: str, bcc: int, *,
             unique_id: str = VIN_HEX, encryption: int = 0x01) -> bytes:
    """§2 header + data unit + BCC (XOR of bytes 2 .. last data byte, §2.1)."""
    data = bytes.fromhex(data_unit)
    header = bytes((command, flag)) + bytes.fromhex(unique_id) + bytes((encryption,))
    body = header + len(data).to_bytes(2, "big") + data
    computed = reduce(xor, body, 0)
    if computed != bcc:
        raise ValueError(f"hand-written BCC {bcc:02X} != {computed:02X}")
    return marker.encode("ascii") + body + bytes((bcc,))


class Golden(NamedTuple):
    name: str
    wire: bytes
    expected: Frame


def _frame(edition: Edition, command: int, response: int, body: Body, *,
           unique_id: str = VIN, encryption: int = 0x01) -> Frame:
    return Frame(edition=edition, command=command, response=response, unique_id=unique_id,
                 encryption=encryption, body=body)


V16, V25 = Edition.V2016, Edition.V2025

# ---- §15 worked example, written out completely --------------------------------------------------

LOGOUT = bytes.fromhex(
    "23 23"                 # "##" 2016
    "04 FE"                 # vehicle logout, command packet
    f"{VIN_HEX}"            # "LTESTVIN000000001"
    "01 00 08"              # not encrypted, N = 8
    f"{T}"                  # 2024-05-01 08:30:00
    "00 03"                 # logout serial 3
    "C0")                   # BCC
LOGOUT_REPLY = bytes.fromhex(f"23 23 04 01 {VIN_HEX} 01 00 06 {T} 32")
LOGOUT_FRAME = _frame(V16, 0x04, 0xFE, VehicleLogout(collected_at=AT, serial=3))

# ---- 2016 realtime with all nine standard block types and one OEM block (§8) ------------------

REALTIME_2016_UNIT = (
    T
    # 0x01 vehicle: started, not charging, electric, 65.2 km/h, 123456.7 km, 355.1 V,
    # 9870 raw = -13.0 A, SOC 76, DC-DC on, gear 0x2E (drive force + D), 4200 kΩ, pedal 20, brake 0
    + "01 01 03 01 028C 0012D687 0DDF 268E 4C 01 2E 1068 14 00"
    # 0x02 two motors, motor 2 first (§8.2): no, state, ctrl temp, rpm, torque, temp, V, A
    + "02 02"
    + "02 04 3C 4E20 4E20 3C 0DDF 2710"     # ready, 20 °C, 0 rpm, 0.0 N·m, 20 °C, 355.1 V, 0 A
    + "01 01 4B 5BCC 4F7E 44 0DDF 2710"     # consuming, 35 °C, 3500 rpm, 35.0 N·m, 28 °C
    # 0x03 fuel cell: 400.0 V, 50.0 A, 1.00 kg/100km, 2 probes 25/26 °C, H2 40.0 °C probe 1,
    # 200 mg/kg sensor 2, 35.0 MPa sensor 3, DC/DC working
    + "03 0FA0 01F4 0064 0002 41 42 0320 01 00C8 02 015E 03 01"
    # 0x04 engine: running, 3000 rpm, 6.00 L/100km
    + "04 01 0BB8 0258"
    # 0x05 position: status 0x04 = valid fix, west; 122.419416 W, 37.774929 N
    + "05 04 074BF8D8 02406651"
    # 0x06 extremes: max 3712 mV (sub 1 cell 17), min 3690 mV (sub 1 cell 42),
    # max 28 °C (sub 1 probe 3), min 23 °C (sub 1 probe 9)
    + "06 01 11 0E80 01 2A 0E6A 01 03 44 01 09 3F"
    # 0x07 alarm: level 2, flags bits 11 + 18, 1 battery code, 0 motor, 0 engine, 2 other
    + "07 02 00040800 01 0000ABCD 00 00 02 12345678 DEADBEEF"
    # 0x08 voltages: 1 subsystem, 355.1 V, -13.0 A (-1000 A offset, §8.8), 96 cells, first 1,
    # 4 cells in this frame: 3700, 3701, 3699 mV and abnormal
    + "08 01 01 0DDF 268E 0060 0001 04 0E74 0E75 0E73 FFFE"
    # 0x09 temperatures: 1 subsystem, 3 probes: 25 °C, 26 °C, invalid
    + "09 01 01 0003 41 42 FF"
    # 0x80 OEM block with a length WORD (§8.10)
    + "80 0003 AABBCC")

REALTIME_2016_BLOCKS = (
    Vehicle(vehicle_state=1, charging_state=3, running_mode=1, speed_kmh=65.2,
            odometer_km=123456.7, total_voltage_v=355.1, total_current_a=-13.0, soc_pct=76,
            dcdc_state=1, gear=0x2E, insulation_kohm=4200, accelerator_pedal_pct=20,
            brake_pedal=0),
    DriveMotors(motors=(
        DriveMotor(motor_no=2, state=4, controller_temperature_c=20, speed_rpm=0, torque_nm=0.0,
                   temperature_c=20, controller_voltage_v=355.1, controller_current_a=0.0),
        DriveMotor(motor_no=1, state=1, controller_temperature_c=35, speed_rpm=3500,
                   torque_nm=35.0, temperature_c=28, controller_voltage_v=355.1,
                   controller_current_a=0.0))),
    FuelCell(voltage_v=400.0, current_a=50.0, fuel_consumption_kg_per_100km=1.0,
             probe_temperatures_c=(25, 26), hydrogen_max_temperature_c=40.0,
             hydrogen_max_temperature_probe_no=1, hydrogen_max_concentration_mg_per_kg=200,
             hydrogen_max_concentration_sensor_no=2, hydrogen_max_pressure_mpa=35.0,
             hydrogen_max_pressure_sensor_no=3, dcdc_state=1),
    Engine(state=1, crankshaft_speed_rpm=3000, fuel_consumption_l_per_100km=6.0),
    Position(status=0x04, longitude_deg=-122.419416, latitude_deg=37.774929),
    Extremes(max_voltage_subsystem_no=1, max_voltage_cell_no=17, max_cell_voltage_mv=3712,
             min_voltage_subsystem_no=1, min_voltage_cell_no=42, min_cell_voltage_mv=3690,
             max_temperature_subsystem_no=1, max_temperature_probe_no=3, max_temperature_c=28,
             min_temperature_subsystem_no=1, min_temperature_probe_no=9, min_temperature_c=23),
    Alarm(max_level=2, general_flags=0x00040800, battery_fault_codes=(0xABCD,),
          motor_fault_codes=(), engine_fault_codes=(),
          other_fault_codes=(0x12345678, 0xDEADBEEF)),
    CellVoltages(subsystems=(CellVoltageSubsystem(
        subsystem_no=1, voltage_v=355.1, current_a=-13.0, cell_total=96, first_cell_index=1,
        cell_voltages_mv=(3700, 3701, 3699, Sentinel.ABNORMAL)),)),
    ProbeTemperatures(subsystems=(ProbeSubsystem(subsystem_no=1,
                                                 temperatures_c=(25, 26, Sentinel.INVALID)),)),
    UserDefinedBlock(block_type=0x80, data=Hex(bytes.fromhex("AABBCC"))),
)

# ---- 2025 realtime with the 0xFF SM2 signature (§14.4, §14.5) ----------------------------------

REALTIME_2025_UNIT = (
    T
    # 0x01 vehicle, 18 bytes: -13.0 A is raw 29870 with the 2025 offset of -3000 A
    + "01 01 03 01 028C 0012D687 0DDF 74AE 4C 01 2E 1068"
    # 0x02 one 10-byte motor: 3500 rpm = raw 35500 (-32000), 35.0 N·m = raw 200350 DWORD
    + "02 01 01 01 4B 8AAC 00030E9E 44"
    # 0x05 position with the coordinate-system byte: WGS-84, 116.397128 E, 39.916527 N
    + "05 00 01 06F01448 026113EF"
    # 0x06 alarm: level 3, flags bits 0 + 23, four empty code lists, N5 = 2:
    # bit 0 at level 1, bit 23 (thermal event) at level 3
    + "06 03 00800001 00 00 00 00 02 00 01 17 03"
    # 0x07 pack voltages: pack 1, 355.1 V, -13.0 A, 3 units: 3700, 3701, 3699 mV
    + "07 01 01 0DDF 74AE 0003 0E74 0E75 0E73"
    # 0x08 temperatures (same layout as 2016 0x09): 1 subsystem, 2 probes, 25 °C and 26 °C
    + "08 01 01 0002 41 42"
    # 0xFF signature: SM2, R length 32, R, S length 32, S
    + f"FF 01 0020 {R_HEX} 0020 {S_HEX}")

REALTIME_2025_BODY = RealtimeData(
    collected_at=AT,
    blocks=(
        Vehicle2025(vehicle_state=1, charging_state=3, running_mode=1, speed_kmh=65.2,
                    odometer_km=123456.7, total_voltage_v=355.1, total_current_a=-13.0,
                    soc_pct=76, dcdc_state=1, gear=0x2E, insulation_kohm=4200),
        DriveMotors2025(motors=(DriveMotor2025(motor_no=1, state=1, controller_temperature_c=35,
                                               speed_rpm=3500, torque_nm=35.0,
                                               temperature_c=28),)),
        Position2025(status=0, coordinate_system=1, longitude_deg=116.397128,
                     latitude_deg=39.916527),
        Alarm2025(max_level=3, general_flags=0x00800001, battery_fault_codes=(),
                  motor_fault_codes=(), engine_fault_codes=(), other_fault_codes=(),
                  alarm_levels=(AlarmBitLevel(bit=0, level=1), AlarmBitLevel(bit=23, level=3))),
        CellVoltages2025(packs=(PackVoltages(pack_no=1, voltage_v=355.1, current_a=-13.0,
                                             cell_voltages_mv=(3700, 3701, 3699)),)),
        ProbeTemperatures(subsystems=(ProbeSubsystem(subsystem_no=1, temperatures_c=(25, 26)),)),
    ),
    signature=Signature(algorithm=1, r=Hex(bytes.fromhex(R_HEX)), s=Hex(bytes.fromhex(S_HEX))))

# ---- downlink parameters: 0x02/0x03 are WORDs in 2016, BYTEs in 2025 (§12, §14.3) ---------------

PARAMETERS_2016_UNIT = T + "03 01 03E8 02 000A 03 03E8"   # 1000 ms, 10 s, 1000 ms
PARAMETERS_2025_UNIT = T + "03 01 03E8 02 0A 03 01"       # 1000 ms, 10 s, 1 s
PARAMETERS = (Parameter(param_id=1, value=1000), Parameter(param_id=2, value=10))
UPGRADE = "CMNET;user;secret;ota.example.com;9000;OEM01;HW1.0;FW2.1;http://ota.example.com/f;60"

GOLDEN: tuple[Golden, ...] = (
    Golden("2016 vehicle logout (§15)", LOGOUT, LOGOUT_FRAME),
    Golden("2016 vehicle logout reply (§15)", LOGOUT_REPLY,
           _frame(V16, 0x04, 0x01, TimeOnly(at=AT))),
    Golden("2025 vehicle logout", envelope("$$", 0x04, 0xFE, f"{T} 00 03", 0xC0),
           _frame(V25, 0x04, 0xFE, VehicleLogout(collected_at=AT, serial=3))),
    Golden("2016 vehicle login, 2 codes of 5 bytes (§7.1)", envelope(
        "##", 0x01, 0xFE,
        f"{T} 00D1 {ascii_hex(ICCID)} 02 05 {ascii_hex('BAT01')} {ascii_hex('BAT02')}", 0x39),
        _frame(V16, 0x01, 0xFE, VehicleLogin2016(
            collected_at=AT, serial=209, iccid=ICCID, subsystem_code_length=5,
            subsystem_codes=("BAT01", "BAT02")))),
    Golden("2016 vehicle login, code length 0 (§7.1)", envelope(
        "##", 0x01, 0xFE, f"{T} 00D2 {ascii_hex('8986', 20)} 01 00", 0x0C),
        _frame(V16, 0x01, 0xFE, VehicleLogin2016(
            collected_at=AT, serial=210, iccid="8986", subsystem_code_length=0,
            subsystem_codes=("",)))),
    Golden("2025 vehicle login, 2 BMS with 1 + 2 packs (§14.3)", envelope(
        "$$", 0x01, 0xFE,
        f"{T} 0001 {ascii_hex(ICCID)} 02 01 02"
        + "".join(ascii_hex(f"PACK{n}", 24) for n in (1, 2, 3)), 0x8A),
        _frame(V25, 0x01, 0xFE, VehicleLogin2025(
            collected_at=AT, serial=1, iccid=ICCID,
            battery_systems=(BatteryManagementSystem(pack_codes=("PACK1",)),
                             BatteryManagementSystem(pack_codes=("PACK2", "PACK3")))))),
    Golden("2016 realtime, all nine block types", envelope("##", 0x02, 0xFE, REALTIME_2016_UNIT,
                                                           0x26),
           _frame(V16, 0x02, 0xFE, RealtimeData(collected_at=AT, blocks=REALTIME_2016_BLOCKS))),
    Golden("2025 realtime with SM2 signature", envelope("$$", 0x02, 0xFE, REALTIME_2025_UNIT,
                                                        0x16),
           _frame(V25, 0x02, 0xFE, REALTIME_2025_BODY)),
    Golden("2016 heartbeat (§7.5)", bytes.fromhex(f"23 23 07 FE {VIN_HEX} 01 00 00 C2"),
           _frame(V16, 0x07, 0xFE, Empty())),
    Golden("2016 heartbeat reply (§6.2)", envelope("##", 0x07, 0x01, "", 0x3D),
           _frame(V16, 0x07, 0x01, Empty())),
    Golden("2025 heartbeat", envelope("$$", 0x07, 0xFE, "", 0xC2),
           _frame(V25, 0x07, 0xFE, Empty())),
    Golden("2016 time calibration request", envelope("##", 0x08, 0xFE, "", 0xCD),
           _frame(V16, 0x08, 0xFE, Empty())),
    Golden("2016 time calibration reply: platform clock (§6.2)",
           envelope("##", 0x08, 0x01, "18 05 01 08 1E 05", 0x3B),
           _frame(V16, 0x08, 0x01, TimeOnly(at=AT.replace(second=5)))),
    Golden("2016 platform login (§7.3)", envelope(
        "##", 0x05, 0xFE,
        f"{T} 0001 {ascii_hex('platform01', 12)} {ascii_hex('s3cret-password', 20)} 01",
        0x84, unique_id=PLATFORM_HEX),
        _frame(V16, 0x05, 0xFE, PlatformLogin(
            collected_at=AT, serial=1, username="platform01", password="s3cret-password",
            encryption_rule=1), unique_id=PLATFORM)),
    Golden("2016 platform login reply", envelope("##", 0x05, 0x01, T, 0x38,
                                                 unique_id=PLATFORM_HEX),
           _frame(V16, 0x05, 0x01, TimeOnly(at=AT), unique_id=PLATFORM)),
    Golden("2025 platform logout (§7.4)", envelope("$$", 0x06, 0xFE, f"{T} 0001", 0xCB,
                                                   unique_id=PLATFORM_HEX),
           _frame(V25, 0x06, 0xFE, PlatformLogout(collected_at=AT, serial=1),
                  unique_id=PLATFORM)),
    Golden("2025 activation 0x09 (§14.3)", envelope(
        "$$", 0x09, 0xFE,
        f"{T} {ascii_hex('CHIP0123456789AB')} 0004 04A1B2C3 {VIN_HEX}"
        f" 01 0020 {R_HEX} 0020 {S_HEX}", 0x4F),
        _frame(V25, 0x09, 0xFE, Activation(
            collected_at=AT, chip_id="CHIP0123456789AB",
            public_key=Hex(bytes.fromhex("04A1B2C3")), vin=VIN,
            signature=Signature(algorithm=1, r=Hex(bytes.fromhex(R_HEX)),
                                s=Hex(bytes.fromhex(S_HEX)))))),
    Golden("2025 activation response 0x0A: success, ok", envelope("$$", 0x0A, 0xFE, "01 01",
                                                                   0xCD),
           _frame(V25, 0x0A, 0xFE, ActivationResponse(result=1, detail=1))),
    Golden("2025 key exchange 0x0B: SM4 key, valid for a year", envelope(
        "$$", 0x0B, 0xFE,
        f"05 0010 {bytes(range(16)).hex()} {T} 19 05 01 08 1E 00", 0xC5),
        _frame(V25, 0x0B, 0xFE, KeyExchange(
            key_type=5, key=Hex(bytes(range(16))), valid_from=AT,
            valid_until=AT.replace(year=2025)))),
    Golden("2016 parameter query 0x80", envelope("##", 0x80, 0xFE, f"{T} 03 01 02 03", 0x46),
           _frame(V16, 0x80, 0xFE, ParameterQuery(sent_at=AT, parameter_ids=(1, 2, 3)))),
    Golden("2016 parameter query reply: 0x02/0x03 are WORDs",
           envelope("##", 0x80, 0x01, PARAMETERS_2016_UNIT, 0xA9),
           _frame(V16, 0x80, 0x01, ParameterQueryReply(
               sent_at=AT, parameters=(*PARAMETERS, Parameter(param_id=3, value=1000))))),
    Golden("2025 parameter query reply: 0x02/0x03 are BYTEs",
           envelope("$$", 0x80, 0x01, PARAMETERS_2025_UNIT, 0x5D),
           _frame(V25, 0x80, 0x01, ParameterQueryReply(
               sent_at=AT, parameters=(*PARAMETERS, Parameter(param_id=3, value=1))))),
    Golden("2025 parameter set 0x81: normal period 30 s, heartbeat 60 s",
           envelope("$$", 0x81, 0xFE, f"{T} 02 02 1E 09 3C", 0x6E),
           _frame(V25, 0x81, 0xFE, ParameterSet(
               sent_at=AT, parameters=(Parameter(param_id=2, value=30),
                                       Parameter(param_id=9, value=60))))),
    Golden("2016 parameter set 0x81: domain name after its length",
           envelope("##", 0x81, 0xFE, f"{T} 02 04 0B 05 {ascii_hex('example.com')}", 0x74),
           _frame(V16, 0x81, 0xFE, ParameterSet(
               sent_at=AT, parameters=(Parameter(param_id=4, value=11),
                                       Parameter(param_id=5, value="example.com"))))),
    Golden("2016 parameter set reply", envelope("##", 0x81, 0x01, T, 0xB7),
           _frame(V16, 0x81, 0x01, TimeOnly(at=AT))),
    Golden("2016 terminal control 0x82: remote upgrade",
           envelope("##", 0x82, 0xFE, f"{T} 01 {ascii_hex(UPGRADE)}", 0x54),
           _frame(V16, 0x82, 0xFE, TerminalControl(sent_at=AT, command_id=1,
                                                   upgrade_fields=tuple(UPGRADE.split(";"))))),
    Golden("2025 terminal control 0x82: level-2 alarm text in GB 18030",
           envelope("$$", 0x82, 0xFE, f"{T} 06 02 B5E7 B3D8 B9FD CEC2", 0x28),
           _frame(V25, 0x82, 0xFE, TerminalControl(sent_at=AT, command_id=6, alarm_level=2,
                                                   alarm_text="电池过温"))),
    Golden("2025 terminal control reply", envelope("$$", 0x82, 0x01, T, 0xB4),
           _frame(V25, 0x82, 0x01, TimeOnly(at=AT))),
    Golden("platform-exchange command 0xC0 kept opaque (§3)",
           envelope("##", 0xC0, 0xFE, "01 02 03", 0x06),
           _frame(V16, 0xC0, 0xFE, Opaque(data=Hex(b"\x01\x02\x03")))),
    Golden("0x09 is reserved in 2016: kept opaque", envelope("##", 0x09, 0xFE, T, 0xC0),
           _frame(V16, 0x09, 0xFE, Opaque(data=Hex(bytes.fromhex(T))))),
    Golden("AES-128 data unit without a key stays ciphertext (§5)", envelope(
        "##", 0x02, 0xFE, bytes(range(0xA0, 0xB0)).hex(), 0xD5, encryption=0x03),
        _frame(V16, 0x02, 0xFE, Encrypted(ciphertext=Hex(bytes(range(0xA0, 0xB0)))),
               encryption=0x03)),
)
