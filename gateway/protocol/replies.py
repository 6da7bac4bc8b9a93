"""The platform's answers to vehicle and lower-platform commands (§6.2, §14.2).

A reply keeps the command id, unique id and encryption byte of the request, sets the response
flag, and carries: the request's 6-byte time for 0x01-0x06, nothing for the heartbeat, and the
platform clock for time calibration. Replies are never sent to replies (§4).
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from .envelope import Envelope, join_frame
from .model import Command, ResponseFlag
from .wire import encode_time

_ECHO_TIME: Final = frozenset({Command.VEHICLE_LOGIN, Command.REALTIME, Command.REISSUE,
                               Command.VEHICLE_LOGOUT, Command.PLATFORM_LOGIN,
                               Command.PLATFORM_LOGOUT})


def reply_to(request: Envelope, flag: ResponseFlag, now: datetime,
             plain_data_unit: bytes | None = None) -> bytes | None:
    """Wire bytes answering ``request`` with ``flag``, or None when it must not be answered.

    ``plain_data_unit`` is the decrypted data unit when the request was encrypted; the echoed
    time is taken from it. A request too short to hold a time is answered with the platform
    clock so the terminal still learns the verdict.
    """
    if request.response != ResponseFlag.COMMAND:
        return None
    data = request.data_unit if plain_data_unit is None else plain_data_unit
    if request.command == Command.HEARTBEAT:
        answer = b""
    elif request.command in _ECHO_TIME and len(data) >= 6:
        answer = data[:6]
    else:
        answer = encode_time(now)
    return join_frame(request._replace(response=int(flag), data_unit=answer))
