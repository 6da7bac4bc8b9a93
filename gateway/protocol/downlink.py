"""Downlink commands of both editions: parameter query 0x80, parameter set 0x81, terminal control
0x82, and the vehicle's answers (§12, §14.3). Parameter values live in downlink_params.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Final

from .bodies import TimeOnly, decode_time_only, encode_time_only
from .downlink_params import Parameter, decode_parameter_list, encode_parameter_list
from .errors import InvalidModel, MalformedDataUnit, ValueOutOfRange
from .model import Body, Command, Edition, Hex, Sentinel
from .registry import BOTH_EDITIONS, BodyCodec, expect
from .wire import decode_time, encode_time, need, state_raw, state_value

REMOTE_UPGRADE: Final = 0x01
TERMINAL_ALARM: Final = 0x06
UPGRADE_SEPARATOR: Final = ";"

# Terminal control command ids (§12): id -> (zh-CN, English).
CONTROL_COMMAND_NAMES: Final[Mapping[int, tuple[str, str]]] = {
    0x01: ("远程升级", "remote upgrade"),
    0x02: ("车载终端关机", "shut down terminal"),
    0x03: ("车载终端复位", "reset terminal"),
    0x04: ("车载终端恢复出厂设置", "factory reset"),
    0x05: ("断开数据通信链路", "disconnect data link"),
    0x06: ("车载终端报警/预警", "alarm/warning to terminal"),
    0x07: ("开启抽样监测链路", "open sampling-monitoring link"),
}


# ---- parameter query 0x80 -----------------------------------------------------------------------

class ParameterQuery(Body, frozen=True, tag="parameter_query"):
    """The platform asks for ``parameter_ids``; the count byte is their number."""

    sent_at: datetime | None
    parameter_ids: tuple[int, ...]
    sent_at_raw: Hex | None = None


def decode_parameter_query(data: bytes, edition: Edition) -> Body:
    need(data, 0, 7, "parameter query")
    sent_at, sent_at_raw = decode_time(data)
    count = data[6]
    need(data, 7, count, "parameter query ids")
    if len(data) != 7 + count:
        raise MalformedDataUnit(f"parameter query: {len(data) - 7 - count} bytes after the ids",
                                offset=7 + count)
    return ParameterQuery(sent_at=sent_at, sent_at_raw=sent_at_raw,
                          parameter_ids=tuple(data[7:]))


def encode_parameter_query(body: Body, edition: Edition) -> bytes:
    query = expect(body, ParameterQuery)
    ids = query.parameter_ids
    if len(ids) > 0xFF or not all(0 <= i <= 0xFF for i in ids):
        raise ValueOutOfRange("parameter query: at most 255 ids of one byte each")
    return encode_time(query.sent_at, query.sent_at_raw) + bytes((len(ids), *ids))


# ---- parameter lists: the 0x80 answer and 0x81 ------------------------------------------------

class ParameterQueryReply(Body, frozen=True, tag="parameter_query_reply"):
    """The vehicle's parameter values. ``declared_count`` is set only when the count byte differs
    from ``len(parameters)``, i.e. decoding stopped early; ``undecoded`` then holds the rest
    (from the first unreadable id) and ``undecoded_reason`` says why (downlink_params)."""

    sent_at: datetime | None
    parameters: tuple[Parameter, ...]
    sent_at_raw: Hex | None = None
    declared_count: int | None = None
    undecoded: Hex | None = None
    undecoded_reason: str | None = None


class ParameterSet(Body, frozen=True, tag="parameter_set"):
    """The platform sets parameter values; same layout and fields as ParameterQueryReply."""

    sent_at: datetime | None
    parameters: tuple[Parameter, ...]
    sent_at_raw: Hex | None = None
    declared_count: int | None = None
    undecoded: Hex | None = None
    undecoded_reason: str | None = None


def decode_parameter_query_reply(data: bytes, edition: Edition) -> Body:
    if len(data) == 6:
        # An error answer (flag 0x02) may carry only the query's time, like other replies.
        return decode_time_only(data, edition)
    sent_at, sent_at_raw = decode_time(data)
    values = decode_parameter_list(data, 6, edition)
    return ParameterQueryReply(sent_at=sent_at, sent_at_raw=sent_at_raw,
                               parameters=values.parameters,
                               declared_count=values.declared_count, undecoded=values.undecoded,
                               undecoded_reason=values.undecoded_reason)


def decode_parameter_set(data: bytes, edition: Edition) -> Body:
    sent_at, sent_at_raw = decode_time(data)
    values = decode_parameter_list(data, 6, edition)
    return ParameterSet(sent_at=sent_at, sent_at_raw=sent_at_raw, parameters=values.parameters,
                        declared_count=values.declared_count, undecoded=values.undecoded,
                        undecoded_reason=values.undecoded_reason)


def encode_parameter_query_reply(body: Body, edition: Edition) -> bytes:
    reply = expect(body, ParameterQueryReply)
    return (encode_time(reply.sent_at, reply.sent_at_raw)
            + encode_parameter_list(reply.parameters, reply.declared_count, reply.undecoded,
                                    edition))


def encode_parameter_set(body: Body, edition: Edition) -> bytes:
    update = expect(body, ParameterSet)
    return (encode_time(update.sent_at, update.sent_at_raw)
            + encode_parameter_list(update.parameters, update.declared_count, update.undecoded,
                                    edition))


# ---- terminal control 0x82 ----------------------------------------------------------------------

class TerminalControl(Body, frozen=True, tag="terminal_control"):
    """``command_id`` (CONTROL_COMMAND_NAMES) and its parameters.

    0x01 remote upgrade: ``upgrade_fields``, the ';'-separated fields of its one string in wire
    order (§12 notes that implementations disagree on the order, so they are not named).
    0x06 alarm/warning: ``alarm_level`` and ``alarm_text`` (GB 18030).
    ``parameters`` holds the exact bytes after the command id: always for the other ids, and for
    0x01/0x06 only when the fields above would not reproduce them.
    """

    sent_at: datetime | None
    command_id: int
    sent_at_raw: Hex | None = None
    upgrade_fields: tuple[str, ...] | None = None
    alarm_level: int | Sentinel | None = None
    alarm_text: str | None = None
    parameters: Hex | None = None


def _text(raw: bytes) -> tuple[str, bool]:
    """GB 18030 text and whether encoding it again gives exactly ``raw``."""
    text = raw.decode("gb18030", errors="replace")
    return text, text.encode("gb18030") == raw


def decode_terminal_control(data: bytes, edition: Edition) -> Body:
    need(data, 0, 7, "terminal control")
    sent_at, sent_at_raw = decode_time(data)
    command_id, rest = data[6], data[7:]
    if command_id == REMOTE_UPGRADE:
        text, exact = _text(rest)
        return TerminalControl(sent_at=sent_at, sent_at_raw=sent_at_raw, command_id=command_id,
                               upgrade_fields=tuple(text.split(UPGRADE_SEPARATOR)),
                               parameters=None if exact else Hex(rest))
    if command_id == TERMINAL_ALARM:
        need(data, 7, 1, "terminal alarm level")
        text, exact = _text(rest[1:])
        return TerminalControl(sent_at=sent_at, sent_at_raw=sent_at_raw, command_id=command_id,
                               alarm_level=state_value(rest[0]), alarm_text=text,
                               parameters=None if exact else Hex(rest))
    return TerminalControl(sent_at=sent_at, sent_at_raw=sent_at_raw, command_id=command_id,
                           parameters=Hex(rest) if rest else None)


def encode_terminal_control(body: Body, edition: Edition) -> bytes:
    control = expect(body, TerminalControl)
    if not 0 <= control.command_id <= 0xFF:
        raise ValueOutOfRange(f"terminal control id {control.command_id} is not a BYTE")
    head = encode_time(control.sent_at, control.sent_at_raw) + bytes((control.command_id,))
    if control.parameters is not None:
        return head + control.parameters
    if control.command_id == REMOTE_UPGRADE and control.upgrade_fields is not None:
        return head + _upgrade_bytes(control.upgrade_fields)
    if (control.command_id == TERMINAL_ALARM and control.alarm_level is not None
            and control.alarm_text is not None):
        return head + bytes((state_raw(control.alarm_level),)) + _gb18030(control.alarm_text)
    if control.command_id in (REMOTE_UPGRADE, TERMINAL_ALARM):
        raise InvalidModel(f"terminal control 0x{control.command_id:02x} lacks its parameters")
    return head


def _upgrade_bytes(fields: tuple[str, ...]) -> bytes:
    if any(UPGRADE_SEPARATOR in field for field in fields):
        raise InvalidModel("remote upgrade: a field contains the ';' separator")
    return _gb18030(UPGRADE_SEPARATOR.join(fields))


def _gb18030(text: str) -> bytes:
    try:
        return text.encode("gb18030")
    except UnicodeEncodeError as exc:
        raise InvalidModel(f"terminal control text is not GB 18030: {exc.reason}") from exc


CODECS: Final[tuple[BodyCodec, ...]] = (
    BodyCodec(BOTH_EDITIONS, Command.PARAMETER_QUERY, True, ParameterQuery,
              decode_parameter_query, encode_parameter_query),
    BodyCodec(BOTH_EDITIONS, Command.PARAMETER_QUERY, False, ParameterQueryReply,
              decode_parameter_query_reply, encode_parameter_query_reply),
    # Same decoder: registered again so the frame codec also accepts its time-only error answer.
    BodyCodec(BOTH_EDITIONS, Command.PARAMETER_QUERY, False, TimeOnly,
              decode_parameter_query_reply, encode_time_only),
    BodyCodec(BOTH_EDITIONS, Command.PARAMETER_SET, True, ParameterSet,
              decode_parameter_set, encode_parameter_set),
    BodyCodec(BOTH_EDITIONS, Command.PARAMETER_SET, False, TimeOnly, decode_time_only,
              encode_time_only),
    BodyCodec(BOTH_EDITIONS, Command.TERMINAL_CONTROL, True, TerminalControl,
              decode_terminal_control, encode_terminal_control),
    BodyCodec(BOTH_EDITIONS, Command.TERMINAL_CONTROL, False, TimeOnly, decode_time_only,
              encode_time_only),
)
