"""Hypothesis strategies for the non-realtime data units (session, activation, downlink).

Each model is built from wire-level choices (padding bytes, counts, widths) with the rules of
PROTOCOL.md §1, §7, §12, §14.3, so it is exactly what the decoder makes of the bytes it encodes
to; nothing here calls the codec under test. ``bodies_for(edition, command, request)`` gives
every model one codec slot can produce, including its opaque / time-only fall-backs.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from hypothesis import strategies as st

from gateway.protocol.activation import Activation, ActivationResponse, KeyExchange
from gateway.protocol.bodies import Empty, Opaque, TimeOnly
from gateway.protocol.downlink import (
    ParameterQuery,
    ParameterQueryReply,
    ParameterSet,
    TerminalControl,
)
from gateway.protocol.downlink_params import (
    DATA_AFTER_PARAMETERS,
    UNKNOWN_PARAMETER,
    Parameter,
)
from gateway.protocol.model import Body, Command, Edition, Hex, Sentinel
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

_ASCII = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_/:"
_HANZI = "电池过温报警充电车辆平台"           # two bytes each in GB 18030
_REPLACEMENT = "\ufffd"                       # what a lone 0x80 byte decodes to


class Text(NamedTuple):
    """A fixed-width STRING as the decoder reports it, and its exact wire bytes."""

    text: str
    raw: Hex | None
    wire: bytes


# ---- primitives ---------------------------------------------------------------------------------

def state(raw: int) -> int | Sentinel:
    """§8.0: an enumerated BYTE as the decoder reports it."""
    return Sentinel.ABNORMAL if raw == 0xFE else Sentinel.INVALID if raw == 0xFF else raw


states = st.integers(0, 0xFF).map(state)
words = st.integers(0, 0xFFFF)


@st.composite
def times(draw: st.DrawFn) -> tuple[datetime | None, Hex | None]:
    """A valid Beijing time, or an impossible date (month 0 / 13+) kept as raw bytes (§6.1)."""
    if draw(st.integers(0, 4)) == 0:
        month = draw(st.sampled_from((0, 13, 0xFF)))
        rest = draw(st.lists(st.integers(0, 0xFF), min_size=5, max_size=5))
        return None, Hex(bytes((rest[0], month, *rest[1:])))
    moment = draw(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2255, 12, 31)))
    return moment.replace(microsecond=0, tzinfo=BEIJING), None


@st.composite
def texts(draw: st.DrawFn, width: int) -> Text:
    """§1 STRING: NUL padding (canonical), space padding or an undecodable byte (kept raw)."""
    alphabet = st.sampled_from(_ASCII + _HANZI)
    text = draw(st.text(alphabet, max_size=width).filter(
        lambda t: len(t.encode("gb18030")) <= width))
    body = text.encode("gb18030")
    room = width - len(body)
    variant = draw(st.integers(0, 3)) if room else 0
    if variant == 1:
        wire = body.ljust(width, b" ")
        return Text(text, Hex(wire), wire)
    if variant == 2:
        wire = (body + b"\x80").ljust(width, b"\x00")
        return Text(text + _REPLACEMENT, Hex(wire), wire)
    return Text(text, None, body.ljust(width, b"\x00"))


def _region_raw(codes: list[Text]) -> Hex | None:
    """Several STRINGs in a row keep one raw region when any of them needs it."""
    if all(code.raw is None for code in codes):
        return None
    return Hex(b"".join(code.wire for code in codes))


# ---- session (§7, §14.3) ------------------------------------------------------------------------

@st.composite
def vehicle_login_2016(draw: st.DrawFn) -> VehicleLogin2016:
    at, at_raw = draw(times())
    iccid = draw(texts(20))
    width = draw(st.sampled_from((0, 0, 1, 5, 12, 24)))
    codes = draw(st.lists(texts(width), max_size=4 if width else 12))
    return VehicleLogin2016(collected_at=at, collected_at_raw=at_raw, serial=draw(words),
                            iccid=iccid.text, iccid_raw=iccid.raw, subsystem_code_length=width,
                            subsystem_codes=tuple(code.text for code in codes),
                            subsystem_codes_raw=_region_raw(codes))


@st.composite
def _bms(draw: st.DrawFn) -> BatteryManagementSystem:
    codes = draw(st.lists(texts(24), max_size=3))
    return BatteryManagementSystem(pack_codes=tuple(code.text for code in codes),
                                   pack_codes_raw=_region_raw(codes))


@st.composite
def vehicle_login_2025(draw: st.DrawFn) -> VehicleLogin2025:
    at, at_raw = draw(times())
    iccid = draw(texts(20))
    return VehicleLogin2025(collected_at=at, collected_at_raw=at_raw, serial=draw(words),
                            iccid=iccid.text, iccid_raw=iccid.raw,
                            battery_systems=tuple(draw(st.lists(_bms(), max_size=3))))


@st.composite
def vehicle_logout(draw: st.DrawFn) -> VehicleLogout:
    at, at_raw = draw(times())
    return VehicleLogout(collected_at=at, collected_at_raw=at_raw, serial=draw(words))


@st.composite
def platform_logout(draw: st.DrawFn) -> PlatformLogout:
    at, at_raw = draw(times())
    return PlatformLogout(collected_at=at, collected_at_raw=at_raw, serial=draw(words))


@st.composite
def platform_login(draw: st.DrawFn) -> PlatformLogin:
    at, at_raw = draw(times())
    user, password = draw(texts(12)), draw(texts(20))
    return PlatformLogin(collected_at=at, collected_at_raw=at_raw, serial=draw(words),
                         username=user.text, username_raw=user.raw, password=password.text,
                         password_raw=password.raw, encryption_rule=draw(states))


@st.composite
def time_only(draw: st.DrawFn) -> TimeOnly:
    at, at_raw = draw(times())
    return TimeOnly(at=at, at_raw=at_raw)


def opaque(min_size: int = 0, exclude_size: int | None = None) -> st.SearchStrategy[Opaque]:
    return st.binary(min_size=min_size, max_size=40).filter(
        lambda data: len(data) != exclude_size).map(lambda data: Opaque(data=Hex(data)))


# ---- activation (§14.3, §14.5) ------------------------------------------------------------------

@st.composite
def signatures(draw: st.DrawFn) -> Signature:
    return Signature(algorithm=draw(st.integers(0, 0xFF)),
                     r=Hex(draw(st.binary(max_size=64))), s=Hex(draw(st.binary(max_size=64))))


@st.composite
def activation(draw: st.DrawFn) -> Activation:
    at, at_raw = draw(times())
    chip, vin = draw(texts(16)), draw(texts(17))
    return Activation(collected_at=at, collected_at_raw=at_raw, chip_id=chip.text,
                      chip_id_raw=chip.raw, public_key=Hex(draw(st.binary(max_size=80))),
                      vin=vin.text, vin_raw=vin.raw, signature=draw(signatures()))


activation_response = st.builds(ActivationResponse, result=states, detail=states)


@st.composite
def key_exchange(draw: st.DrawFn) -> KeyExchange:
    start, start_raw = draw(times())
    end, end_raw = draw(times())
    return KeyExchange(key_type=draw(states), key=Hex(draw(st.binary(max_size=48))),
                       valid_from=start, valid_from_raw=start_raw, valid_until=end,
                       valid_until_raw=end_raw)


# ---- downlink (§12, §14.3) ----------------------------------------------------------------------

def _numeric_ids(edition: Edition) -> dict[int, int]:
    """Numeric parameter ids and their widths; 0x02/0x03 shrink to a BYTE in 2025."""
    widths = {0x01: 2, 0x02: 2, 0x03: 2, 0x06: 2, 0x09: 1, 0x0A: 2, 0x0B: 2, 0x0C: 1,
              0x0F: 2, 0x10: 1}
    if edition is Edition.V2025:
        widths.update({0x02: 1, 0x03: 1})
    return widths


@st.composite
def _parameter_run(draw: st.DrawFn, edition: Edition) -> list[Parameter]:
    """One numeric parameter, one 5-byte version, or a domain-name length followed by its name."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        param_id = draw(st.sampled_from((0x07, 0x08)))
        return [Parameter(param_id=param_id, value_raw=Hex(draw(st.binary(min_size=5,
                                                                          max_size=5))))]
    if kind == 1:
        length_id, name_id = draw(st.sampled_from(((0x04, 0x05), (0x0D, 0x0E))))
        width = draw(st.integers(0, 30))
        name = draw(texts(width))
        return [Parameter(param_id=length_id, value=width),
                Parameter(param_id=name_id, value=name.text, value_raw=name.raw)]
    param_id, width = draw(st.sampled_from(sorted(_numeric_ids(edition).items())))
    return [Parameter(param_id=param_id, value=draw(st.integers(0, (1 << 8 * width) - 1)))]


class ParameterValues(NamedTuple):
    parameters: tuple[Parameter, ...]
    declared_count: int | None
    undecoded: Hex | None
    undecoded_reason: str | None


@st.composite
def parameter_values(draw: st.DrawFn, edition: Edition) -> ParameterValues:
    """A parameter list, sometimes ending in bytes the decoder cannot read (§12)."""
    runs = draw(st.lists(_parameter_run(edition), max_size=5))
    parameters = tuple(p for run in runs for p in run)
    tail = draw(st.integers(0, 3))
    if tail == 1:        # an unknown id: the declared count covers more than was decoded
        unknown = draw(st.sampled_from((0x00, 0x11, 0x7F, 0x80, 0xFE, 0xFF)))
        rest = bytes((unknown,)) + draw(st.binary(max_size=10))
        declared = draw(st.integers(len(parameters) + 1, 0xFF))
        return ParameterValues(parameters, declared, Hex(rest), UNKNOWN_PARAMETER)
    if tail == 2:        # bytes after the declared count
        rest = draw(st.binary(min_size=1, max_size=10))
        return ParameterValues(parameters, None, Hex(rest), DATA_AFTER_PARAMETERS)
    return ParameterValues(parameters, None, None, None)


@st.composite
def parameter_query(draw: st.DrawFn) -> ParameterQuery:
    at, at_raw = draw(times())
    ids = draw(st.lists(st.integers(0, 0xFF), max_size=20))
    return ParameterQuery(sent_at=at, sent_at_raw=at_raw, parameter_ids=tuple(ids))


@st.composite
def parameter_query_reply(draw: st.DrawFn, edition: Edition) -> ParameterQueryReply:
    at, at_raw = draw(times())
    values = draw(parameter_values(edition))
    return ParameterQueryReply(sent_at=at, sent_at_raw=at_raw, **values._asdict())


@st.composite
def parameter_set(draw: st.DrawFn, edition: Edition) -> ParameterSet:
    at, at_raw = draw(times())
    values = draw(parameter_values(edition))
    return ParameterSet(sent_at=at, sent_at_raw=at_raw, **values._asdict())


def _gb18030_text(exclude: str = "") -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(_ASCII + _HANZI + " ;,@").filter(lambda c: c not in exclude),
                   max_size=30)


@st.composite
def terminal_control(draw: st.DrawFn) -> TerminalControl:
    at, at_raw = draw(times())
    command_id = draw(st.sampled_from((0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x80)))
    # Appending a lone 0x80 byte makes the text undecodable, so the exact bytes are kept.
    undecodable = draw(st.booleans())
    if command_id == 0x01:
        fields = draw(st.lists(_gb18030_text(exclude=";"), min_size=1, max_size=10))
        wire = ";".join(fields).encode("gb18030")
        if undecodable:
            fields[-1] += _REPLACEMENT
            wire += b"\x80"
        return TerminalControl(sent_at=at, sent_at_raw=at_raw, command_id=command_id,
                               upgrade_fields=tuple(fields),
                               parameters=Hex(wire) if undecodable else None)
    if command_id == 0x06:
        level, text = draw(st.integers(0, 0xFF)), draw(_gb18030_text())
        wire = bytes((level,)) + text.encode("gb18030") + (b"\x80" if undecodable else b"")
        return TerminalControl(sent_at=at, sent_at_raw=at_raw, command_id=command_id,
                               alarm_level=state(level),
                               alarm_text=text + (_REPLACEMENT if undecodable else ""),
                               parameters=Hex(wire) if undecodable else None)
    rest = draw(st.binary(max_size=20))
    return TerminalControl(sent_at=at, sent_at_raw=at_raw, command_id=command_id,
                           parameters=Hex(rest) if rest else None)


# ---- one strategy per codec slot ----------------------------------------------------------------

def _time_only_reply() -> st.SearchStrategy[Body]:
    """bodies.decode_time_only: 6 bytes are a time, a longer unit stays opaque."""
    return st.one_of(time_only(), opaque(min_size=7))


def bodies_for(edition: Edition, command: int, request: bool) -> st.SearchStrategy[Body]:
    """Every body the decoder of one (edition, command, request?) slot can return."""
    if not request:
        if command == Command.HEARTBEAT:
            return st.one_of(st.just(Empty()), opaque(min_size=1))
        if command in (Command.ACTIVATION_RESPONSE, Command.KEY_EXCHANGE):
            return st.one_of(time_only(), opaque(exclude_size=6))
        if command == Command.PARAMETER_QUERY:
            return st.one_of(time_only(), parameter_query_reply(edition))
        return _time_only_reply()
    requests: dict[int, st.SearchStrategy[Body]] = {
        Command.VEHICLE_LOGIN: (vehicle_login_2016() if edition is Edition.V2016
                                else vehicle_login_2025()),
        Command.VEHICLE_LOGOUT: vehicle_logout(),
        Command.PLATFORM_LOGIN: platform_login(),
        Command.PLATFORM_LOGOUT: platform_logout(),
        Command.HEARTBEAT: st.one_of(st.just(Empty()), opaque(min_size=1)),
        Command.TIME_CALIBRATION: st.one_of(st.just(Empty()), opaque(min_size=1)),
        Command.ACTIVATION: activation(),
        Command.ACTIVATION_RESPONSE: activation_response,
        Command.KEY_EXCHANGE: key_exchange(),
        Command.PARAMETER_QUERY: parameter_query(),
        Command.PARAMETER_SET: parameter_set(edition),
        Command.TERMINAL_CONTROL: terminal_control(),
    }
    return requests[command]
