"""Session data units of both editions: logins, logouts, heartbeat, time calibration (§7, §14.3).

Also home of the time-only acknowledgements the platform sends to upstream commands (§6.2):
0x01-0x06 echo the request's time, 0x07 is empty, 0x08 carries the platform clock.
"""

from __future__ import annotations

import struct
from datetime import datetime
from typing import Any, Final

from .bodies import Empty, TimeOnly, decode_empty, decode_time_only, encode_empty, encode_time_only
from .errors import FieldTooLong, MalformedDataUnit, ValueOutOfRange
from .model import Body, Command, Edition, Hex, Model, Sentinel
from .registry import BOTH_EDITIONS, BodyCodec, expect
from .wire import decode_text, decode_time, encode_text, encode_time, need, state_raw, state_value

ICCID_SIZE: Final = 20
PACK_CODE_SIZE: Final = 24       # §14.3: every 2025 pack code is 24 bytes
USERNAME_SIZE: Final = 12
PASSWORD_SIZE: Final = 20
REDACTED: Final = "<redacted>"

_WORD = struct.Struct(">H")
_TIME_SERIAL = struct.Struct(">6sH")                      # §7.2 / §7.4, N = 8
_LOGIN_HEAD = struct.Struct(f">6sH{ICCID_SIZE}s")         # shared head of both logins, 28 bytes
_PLATFORM_LOGIN = struct.Struct(f">6sH{USERNAME_SIZE}s{PASSWORD_SIZE}sB")   # §7.3, N = 41


def redacted_repr(model: Model, secrets: frozenset[str]) -> str:
    """A repr that names secret fields without showing them, so logs never leak credentials."""
    parts = ", ".join(f"{name}={_shown(model, name, secrets)}" for name in model.__struct_fields__)
    return f"{type(model).__name__}({parts})"


def redacted_rich_repr(model: Model, secrets: frozenset[str]) -> list[tuple[str, Any]]:
    """The same for ``rich``, which msgspec structs otherwise feed with every raw value."""
    return [(name, REDACTED if name in secrets and getattr(model, name) is not None
             else getattr(model, name)) for name in model.__struct_fields__]


def _shown(model: Model, name: str, secrets: frozenset[str]) -> str:
    value = getattr(model, name)
    return REDACTED if name in secrets and value is not None else repr(value)


def _expect_length(data: bytes, size: int, what: str) -> None:
    """Fixed-size data units: too short is truncation, too long is a malformed unit."""
    need(data, 0, size, what)
    if len(data) != size:
        raise MalformedDataUnit(f"{what}: {len(data)} bytes, the unit has exactly {size}",
                                offset=size)


def _word(value: int, what: str) -> bytes:
    if not 0 <= value <= 0xFFFF:
        raise ValueOutOfRange(f"{what}: {value} does not fit in a WORD")
    return _WORD.pack(value)


def _count_byte(count: int, what: str) -> bytes:
    if count > 0xFF:
        raise ValueOutOfRange(f"{what}: {count} does not fit in a BYTE")
    return bytes((count,))


def _split_codes(region: bytes, count: int, width: int) -> tuple[tuple[str, ...], Hex | None]:
    """``count`` STRING codes of ``width`` bytes; the region's exact bytes come back when
    re-padding any code with NULs would not reproduce it."""
    decoded = [decode_text(region[i * width:(i + 1) * width]) for i in range(count)]
    exact = all(raw is None for _, raw in decoded)
    return tuple(text for text, _ in decoded), (None if exact else Hex(region))


def _join_codes(codes: tuple[str, ...], width: int, raw: Hex | None, what: str) -> bytes:
    if raw is None:
        return b"".join(encode_text(code, width, what=what) for code in codes)
    if len(raw) != len(codes) * width:
        raise FieldTooLong(f"{what}: {len(raw)} original bytes for {len(codes)} x {width}")
    return bytes(raw)


# ---- vehicle login 2016 (§7.1) ------------------------------------------------------------------

class VehicleLogin2016(Body, frozen=True, tag="vehicle_login_2016"):
    """n = ``len(subsystem_codes)``; with a code length m of 0 the codes are not sent and each of
    the n codes is the empty string (§7.1). ``*_raw`` fields keep bytes that are not plain
    NUL-padded text."""

    collected_at: datetime | None
    serial: int
    iccid: str
    subsystem_code_length: int
    subsystem_codes: tuple[str, ...]
    collected_at_raw: Hex | None = None
    iccid_raw: Hex | None = None
    subsystem_codes_raw: Hex | None = None


def decode_vehicle_login_2016(data: bytes, edition: Edition) -> Body:
    need(data, 0, _LOGIN_HEAD.size + 2, "vehicle login")
    time_raw, serial, iccid_bytes = _LOGIN_HEAD.unpack_from(data)
    count, width = data[28], data[29]
    size = 30 + count * width
    _expect_length(data, size, "vehicle login subsystem codes")
    collected_at, collected_at_raw = decode_time(time_raw)
    iccid, iccid_raw = decode_text(iccid_bytes)
    codes, codes_raw = _split_codes(data[30:size], count, width)
    return VehicleLogin2016(collected_at=collected_at, collected_at_raw=collected_at_raw,
                            serial=serial, iccid=iccid, iccid_raw=iccid_raw,
                            subsystem_code_length=width, subsystem_codes=codes,
                            subsystem_codes_raw=codes_raw)


def encode_vehicle_login_2016(body: Body, edition: Edition) -> bytes:
    login = expect(body, VehicleLogin2016)
    width = login.subsystem_code_length
    if not 0 <= width <= 0xFF:
        raise ValueOutOfRange(f"subsystem code length {width} does not fit in a BYTE")
    return (encode_time(login.collected_at, login.collected_at_raw)
            + _word(login.serial, "login serial")
            + encode_text(login.iccid, ICCID_SIZE, login.iccid_raw, "ICCID")
            + _count_byte(len(login.subsystem_codes), "subsystem count") + bytes((width,))
            + _join_codes(login.subsystem_codes, width, login.subsystem_codes_raw,
                          "subsystem codes"))


# ---- vehicle login 2025 (§14.3) -----------------------------------------------------------------

class BatteryManagementSystem(Model, frozen=True):
    """One BMS of a 2025 login: its pack count is ``len(pack_codes)``."""

    pack_codes: tuple[str, ...]
    pack_codes_raw: Hex | None = None


class VehicleLogin2025(Body, frozen=True, tag="vehicle_login_2025"):
    """The BMS count is ``len(battery_systems)``; no code-length byte any more (§14.3)."""

    collected_at: datetime | None
    serial: int
    iccid: str
    battery_systems: tuple[BatteryManagementSystem, ...]
    collected_at_raw: Hex | None = None
    iccid_raw: Hex | None = None


def decode_vehicle_login_2025(data: bytes, edition: Edition) -> Body:
    need(data, 0, _LOGIN_HEAD.size + 1, "vehicle login")
    time_raw, serial, iccid_bytes = _LOGIN_HEAD.unpack_from(data)
    bms_count = data[28]
    need(data, 29, bms_count, "vehicle login pack counts")
    pack_counts = data[29:29 + bms_count]
    pos = 29 + bms_count
    _expect_length(data, pos + sum(pack_counts) * PACK_CODE_SIZE, "vehicle login pack codes")
    systems = []
    for packs in pack_counts:
        end = pos + packs * PACK_CODE_SIZE
        codes, codes_raw = _split_codes(data[pos:end], packs, PACK_CODE_SIZE)
        systems.append(BatteryManagementSystem(pack_codes=codes, pack_codes_raw=codes_raw))
        pos = end
    collected_at, collected_at_raw = decode_time(time_raw)
    iccid, iccid_raw = decode_text(iccid_bytes)
    return VehicleLogin2025(collected_at=collected_at, collected_at_raw=collected_at_raw,
                            serial=serial, iccid=iccid, iccid_raw=iccid_raw,
                            battery_systems=tuple(systems))


def encode_vehicle_login_2025(body: Body, edition: Edition) -> bytes:
    login = expect(body, VehicleLogin2025)
    systems = login.battery_systems
    return (encode_time(login.collected_at, login.collected_at_raw)
            + _word(login.serial, "login serial")
            + encode_text(login.iccid, ICCID_SIZE, login.iccid_raw, "ICCID")
            + _count_byte(len(systems), "BMS count")
            + b"".join(_count_byte(len(bms.pack_codes), "pack count") for bms in systems)
            + b"".join(_join_codes(bms.pack_codes, PACK_CODE_SIZE, bms.pack_codes_raw,
                                   "pack codes") for bms in systems))


# ---- logouts (§7.2, §7.4; unchanged in 2025) ----------------------------------------------------

class VehicleLogout(Body, frozen=True, tag="vehicle_logout"):
    """``serial`` repeats the serial of the login it ends (§7.2)."""

    collected_at: datetime | None
    serial: int
    collected_at_raw: Hex | None = None


class PlatformLogout(Body, frozen=True, tag="platform_logout"):
    collected_at: datetime | None
    serial: int
    collected_at_raw: Hex | None = None


def _decode_time_serial(data: bytes, what: str) -> tuple[datetime | None, Hex | None, int]:
    _expect_length(data, _TIME_SERIAL.size, what)
    time_raw, serial = _TIME_SERIAL.unpack(data)
    collected_at, collected_at_raw = decode_time(time_raw)
    return collected_at, collected_at_raw, serial


def decode_vehicle_logout(data: bytes, edition: Edition) -> Body:
    at, at_raw, serial = _decode_time_serial(data, "vehicle logout")
    return VehicleLogout(collected_at=at, collected_at_raw=at_raw, serial=serial)


def decode_platform_logout(data: bytes, edition: Edition) -> Body:
    at, at_raw, serial = _decode_time_serial(data, "platform logout")
    return PlatformLogout(collected_at=at, collected_at_raw=at_raw, serial=serial)


def encode_vehicle_logout(body: Body, edition: Edition) -> bytes:
    logout = expect(body, VehicleLogout)
    return encode_time(logout.collected_at, logout.collected_at_raw) + _word(logout.serial,
                                                                             "logout serial")


def encode_platform_logout(body: Body, edition: Edition) -> bytes:
    logout = expect(body, PlatformLogout)
    return encode_time(logout.collected_at, logout.collected_at_raw) + _word(logout.serial,
                                                                             "logout serial")


# ---- platform login (§7.3) ----------------------------------------------------------------------

_SECRETS: Final = frozenset({"password", "password_raw"})


class PlatformLogin(Body, frozen=True, tag="platform_login"):
    """A lower platform's login. The password is protocol data and stays in the model and its
    JSON, but ``repr`` hides it so it never reaches a log line."""

    collected_at: datetime | None
    serial: int
    username: str
    password: str
    encryption_rule: int | Sentinel
    collected_at_raw: Hex | None = None
    username_raw: Hex | None = None
    password_raw: Hex | None = None

    def __repr__(self) -> str:
        return redacted_repr(self, _SECRETS)

    def __rich_repr__(self) -> list[tuple[str, Any]]:
        return redacted_rich_repr(self, _SECRETS)


def decode_platform_login(data: bytes, edition: Edition) -> Body:
    _expect_length(data, _PLATFORM_LOGIN.size, "platform login")
    time_raw, serial, user_bytes, password_bytes, rule = _PLATFORM_LOGIN.unpack(data)
    collected_at, collected_at_raw = decode_time(time_raw)
    username, username_raw = decode_text(user_bytes)
    password, password_raw = decode_text(password_bytes)
    return PlatformLogin(collected_at=collected_at, collected_at_raw=collected_at_raw,
                         serial=serial, username=username, username_raw=username_raw,
                         password=password, password_raw=password_raw,
                         encryption_rule=state_value(rule))


def encode_platform_login(body: Body, edition: Edition) -> bytes:
    login = expect(body, PlatformLogin)
    return (encode_time(login.collected_at, login.collected_at_raw)
            + _word(login.serial, "login serial")
            + encode_text(login.username, USERNAME_SIZE, login.username_raw, "username")
            + encode_text(login.password, PASSWORD_SIZE, login.password_raw, "password")
            + bytes((state_raw(login.encryption_rule),)))


# ---- codec table --------------------------------------------------------------------------------

_V2016 = frozenset({Edition.V2016})
_V2025 = frozenset({Edition.V2025})

# §6.2: these answers carry only a time (the request's, or the platform clock for 0x08).
_TIME_ONLY_REPLIES: Final = (Command.VEHICLE_LOGIN, Command.REALTIME, Command.REISSUE,
                             Command.VEHICLE_LOGOUT, Command.PLATFORM_LOGIN,
                             Command.PLATFORM_LOGOUT, Command.TIME_CALIBRATION)

CODECS: Final[tuple[BodyCodec, ...]] = (
    BodyCodec(_V2016, Command.VEHICLE_LOGIN, True, VehicleLogin2016,
              decode_vehicle_login_2016, encode_vehicle_login_2016),
    BodyCodec(_V2025, Command.VEHICLE_LOGIN, True, VehicleLogin2025,
              decode_vehicle_login_2025, encode_vehicle_login_2025),
    BodyCodec(BOTH_EDITIONS, Command.VEHICLE_LOGOUT, True, VehicleLogout,
              decode_vehicle_logout, encode_vehicle_logout),
    BodyCodec(BOTH_EDITIONS, Command.PLATFORM_LOGIN, True, PlatformLogin,
              decode_platform_login, encode_platform_login),
    BodyCodec(BOTH_EDITIONS, Command.PLATFORM_LOGOUT, True, PlatformLogout,
              decode_platform_logout, encode_platform_logout),
    BodyCodec(BOTH_EDITIONS, Command.HEARTBEAT, True, Empty, decode_empty, encode_empty),
    BodyCodec(BOTH_EDITIONS, Command.HEARTBEAT, False, Empty, decode_empty, encode_empty),
    BodyCodec(BOTH_EDITIONS, Command.TIME_CALIBRATION, True, Empty, decode_empty, encode_empty),
    *(BodyCodec(BOTH_EDITIONS, command, False, TimeOnly, decode_time_only, encode_time_only)
      for command in _TIME_ONLY_REPLIES),
)
