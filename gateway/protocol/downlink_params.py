"""Terminal parameters of 0x80 replies and 0x81 (§12, §14.3): ``id | value`` pairs whose value
width follows from the id alone, with no length prefix.

An id without a known width (reserved, user defined, or a domain name whose length parameter did
not come first) makes the rest of the list unreadable: decoding stops there, keeps the remaining
bytes raw with a reason, and re-encoding still reproduces the data unit byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, NamedTuple

from .errors import FieldTooLong, InvalidModel, ValueOutOfRange
from .model import Edition, Hex, Model
from .wire import decode_text, encode_text, need

# Stable codes for why decoding of a parameter list stopped early.
UNKNOWN_PARAMETER: Final = "unknown_parameter"
MISSING_DOMAIN_LENGTH: Final = "missing_domain_length"
DATA_AFTER_PARAMETERS: Final = "data_after_parameters"

# Domain names (0x05, 0x0E) are as long as the value of the length parameter before them.
DOMAIN_LENGTH_ID: Final[Mapping[int, int]] = {0x05: 0x04, 0x0E: 0x0D}
_LENGTH_IDS: Final = frozenset(DOMAIN_LENGTH_ID.values())
VERSION_IDS: Final = frozenset({0x07, 0x08})    # 5 bytes in a vendor format, kept as bytes

_WIDTHS_2016: Final[Mapping[int, int]] = {
    0x01: 2, 0x02: 2, 0x03: 2, 0x04: 1, 0x06: 2, 0x07: 5, 0x08: 5, 0x09: 1, 0x0A: 2, 0x0B: 2,
    0x0C: 1, 0x0D: 1, 0x0F: 2, 0x10: 1}
# §14.3: 2025 narrows the normal and alarm reporting periods to one BYTE.
_WIDTHS_2025: Final[Mapping[int, int]] = {**_WIDTHS_2016, 0x02: 1, 0x03: 1}
PARAMETER_WIDTHS: Final[Mapping[Edition, Mapping[int, int]]] = {
    Edition.V2016: _WIDTHS_2016, Edition.V2025: _WIDTHS_2025}

# Display names: id -> (zh-CN, English).
PARAMETER_NAMES: Final[Mapping[int, tuple[str, str]]] = {
    0x01: ("车载终端本地存储时间周期", "local storage period (ms)"),
    0x02: ("正常时信息上报时间周期", "normal reporting period (s)"),
    0x03: ("出现报警时信息上报时间周期", "reporting period while alarm (ms)"),
    0x04: ("远程服务与管理平台域名长度", "management platform domain name length"),
    0x05: ("远程服务与管理平台域名", "management platform domain name"),
    0x06: ("远程服务与管理平台端口", "management platform port"),
    0x07: ("硬件版本", "hardware version"),
    0x08: ("固件版本", "firmware version"),
    0x09: ("车载终端心跳发送周期", "heartbeat period (s)"),
    0x0A: ("终端应答超时时间", "terminal response timeout (s)"),
    0x0B: ("平台应答超时时间", "platform response timeout (s)"),
    0x0C: ("连续三次登入失败后的登入间隔", "wait after three failed logins (min)"),
    0x0D: ("公共平台域名长度", "public platform domain name length"),
    0x0E: ("公共平台域名", "public platform domain name"),
    0x0F: ("公共平台端口", "public platform port"),
    0x10: ("是否处于抽样监测中", "sampling monitoring active"),
}


class Parameter(Model, frozen=True):
    """One terminal parameter. Numeric ids carry ``value`` as the raw integer; domain names carry
    ``value`` as text; the version ids carry ``value`` None and their 5 bytes in ``value_raw``.
    ``value_raw`` also keeps a domain name whose bytes are not plain NUL-padded text."""

    param_id: int
    value: int | str | None = None
    value_raw: Hex | None = None


class ParameterList(NamedTuple):
    parameters: tuple[Parameter, ...]
    declared_count: int | None
    undecoded: Hex | None
    undecoded_reason: str | None


def _value_width(param_id: int, widths: Mapping[int, int],
                 lengths: Mapping[int, int]) -> tuple[int | None, str]:
    """The value width of ``param_id`` and, when there is none, why."""
    width = widths.get(param_id)
    if width is not None:
        return width, ""
    length_id = DOMAIN_LENGTH_ID.get(param_id)
    if length_id is None:
        return None, UNKNOWN_PARAMETER
    if length_id not in lengths:
        return None, MISSING_DOMAIN_LENGTH
    return lengths[length_id], ""


def decode_parameter_list(data: bytes, pos: int, edition: Edition) -> ParameterList:
    """``pos`` points at the count byte."""
    need(data, pos, 1, "parameter count")
    count = data[pos]
    pos += 1
    widths = PARAMETER_WIDTHS[edition]
    lengths: dict[int, int] = {}
    parameters: list[Parameter] = []
    for _ in range(count):
        need(data, pos, 1, "parameter id")
        param_id = data[pos]
        width, reason = _value_width(param_id, widths, lengths)
        if width is None:
            return ParameterList(tuple(parameters), count, Hex(data[pos:]), reason)
        need(data, pos + 1, width, f"parameter 0x{param_id:02x}")
        raw = data[pos + 1:pos + 1 + width]
        parameters.append(_decode_value(param_id, raw))
        if param_id in _LENGTH_IDS:
            lengths[param_id] = raw[0]
        pos += 1 + width
    if pos < len(data):
        return ParameterList(tuple(parameters), None, Hex(data[pos:]), DATA_AFTER_PARAMETERS)
    return ParameterList(tuple(parameters), None, None, None)


def _decode_value(param_id: int, raw: bytes) -> Parameter:
    if param_id in VERSION_IDS:
        return Parameter(param_id=param_id, value_raw=Hex(raw))
    if param_id in DOMAIN_LENGTH_ID:
        text, text_raw = decode_text(raw)
        return Parameter(param_id=param_id, value=text, value_raw=text_raw)
    return Parameter(param_id=param_id, value=int.from_bytes(raw, "big"))


def encode_parameter_list(parameters: tuple[Parameter, ...], declared_count: int | None,
                          undecoded: Hex | None, edition: Edition) -> bytes:
    count = len(parameters) if declared_count is None else declared_count
    if not 0 <= count <= 0xFF:
        raise ValueOutOfRange(f"parameter count {count} does not fit in a BYTE")
    widths = PARAMETER_WIDTHS[edition]
    lengths: dict[int, int] = {}
    out = bytearray((count,))
    for parameter in parameters:
        width, reason = _value_width(parameter.param_id, widths, lengths)
        if width is None:
            raise InvalidModel(f"parameter 0x{parameter.param_id:02x} cannot be encoded in "
                               f"{edition.value} ({reason})")
        value = _encode_value(parameter, width)
        if parameter.param_id in _LENGTH_IDS:
            lengths[parameter.param_id] = value[0]
        out.append(parameter.param_id)
        out += value
    if undecoded is not None:
        out += undecoded
    return bytes(out)


def _encode_value(parameter: Parameter, width: int) -> bytes:
    what = f"parameter 0x{parameter.param_id:02x}"
    value = parameter.value
    if parameter.param_id in DOMAIN_LENGTH_ID and isinstance(value, str):
        return encode_text(value, width, parameter.value_raw, what)
    if parameter.value_raw is not None:
        if len(parameter.value_raw) != width:
            raise FieldTooLong(f"{what}: {len(parameter.value_raw)} bytes, the value has {width}")
        return bytes(parameter.value_raw)
    if not isinstance(value, int):
        raise InvalidModel(f"{what}: needs an integer value or value_raw of {width} bytes")
    if not 0 <= value < 1 << (8 * width):
        raise ValueOutOfRange(f"{what}: {value} does not fit in {width} byte(s)")
    return value.to_bytes(width, "big")
