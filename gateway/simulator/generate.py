"""Generate mode: run a fleet against an in-process platform and write every frame the vehicles
send as one hex line, in send order, without any socket or wall clock.

The in-process platform accepts every login (``replies.reply_to`` builds the §6.2 answer) and
links go down only where the scenario says so, so the output depends on the seed alone.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from datetime import datetime

from gateway.protocol.codec import decode_frame
from gateway.protocol.envelope import split_frame
from gateway.protocol.model import Command, ResponseFlag
from gateway.protocol.replies import reply_to
from gateway.protocol.wire import BEIJING

from .terminal import Terminal
from .terminal_config import Outgoing

_ANSWERED = frozenset({Command.VEHICLE_LOGIN, Command.TIME_CALIBRATION})

Sink = Callable[[Outgoing], None]


def _deliver(terminal: Terminal, outgoing: list[Outgoing], now_s: int, sink: Sink) -> None:
    """Hand frames to the sink and feed the platform's answers back to the terminal."""
    pending = list(outgoing)
    while pending:
        item = pending.pop(0)
        sink(item)
        if item.command in _ANSWERED:
            answer = reply_to(split_frame(item.data), ResponseFlag.SUCCESS,
                              datetime.fromtimestamp(now_s, BEIJING))
            if answer is not None:
                pending += terminal.on_reply(decode_frame(answer), now_s)


def _settle_link(terminal: Terminal, now_s: int) -> list[Outgoing]:
    if terminal.wants_link and not terminal.connected:
        return terminal.on_link_up(now_s)
    if terminal.connected and not terminal.wants_link:
        terminal.on_link_down(now_s)
    return []


def run_offline(terminals: Iterable[Terminal], end_s: int, sink: Sink) -> None:
    """Advance every terminal to ``end_s`` in global time order, then log them out."""
    fleet = list(terminals)
    queue = [(terminal.next_wakeup_s, index) for index, terminal in enumerate(fleet)]
    heapq.heapify(queue)
    while queue and queue[0][0] <= end_s:
        now_s, index = heapq.heappop(queue)
        terminal = fleet[index]
        _deliver(terminal, terminal.tick(now_s), now_s, sink)
        _deliver(terminal, _settle_link(terminal, now_s), now_s, sink)
        if not terminal.dead:
            heapq.heappush(queue, (terminal.next_wakeup_s, index))
    for terminal in fleet:
        _deliver(terminal, terminal.shutdown(end_s), end_s, sink)


def hex_line_sink(write: Callable[[str], object]) -> Sink:
    def sink(item: Outgoing) -> None:
        write(item.data.hex() + "\n")
    return sink
