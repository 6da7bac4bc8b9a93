"""A tiny GB/T 32960 platform for driver tests: real sockets on 127.0.0.1, the codec's framer,
decoder and reply builder; it records what arrives and can cut a vehicle's link on purpose."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import datetime

from gateway.protocol.codec import decode_frame
from gateway.protocol.envelope import split_frame
from gateway.protocol.errors import ProtocolError
from gateway.protocol.frame import Frame
from gateway.protocol.framer import StreamFramer
from gateway.protocol.model import Command, ResponseFlag
from gateway.protocol.replies import reply_to
from gateway.protocol.wire import BEIJING

ANSWERED = frozenset({Command.VEHICLE_LOGIN, Command.VEHICLE_LOGOUT, Command.PLATFORM_LOGIN,
                      Command.PLATFORM_LOGOUT, Command.HEARTBEAT, Command.TIME_CALIBRATION})


@dataclass
class Received:
    connection: int
    frame: Frame


@dataclass
class StubPlatform:
    login_flag: ResponseFlag = ResponseFlag.SUCCESS
    answer_logins: bool = True
    cut_after_realtime: dict[str, int] = field(default_factory=dict)
    """VIN -> cut its connection once after this many realtime frames."""
    received: list[Received] = field(default_factory=list)
    undecodable: int = 0
    _connections: int = 0
    _server: asyncio.Server | None = None
    _handlers: set[asyncio.Task[None]] = field(default_factory=set)

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def stop(self) -> None:
        """Stop listening, then let every connection read to its end (the clients closed)."""
        if self._server is not None:
            self._server.close()
        if self._handlers:
            await asyncio.wait(self._handlers, timeout=5)

    def frames(self, vin: str | None = None,
               command: Command | None = None) -> list[Frame]:
        return [r.frame for r in self.received
                if (vin is None or r.frame.unique_id == vin)
                and (command is None or r.frame.command == command)]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections += 1
        connection = self._connections
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        framer = StreamFramer()
        with contextlib.suppress(ConnectionError):
            while chunk := await reader.read(65536):
                for raw in framer.feed(chunk):
                    if not self._handle(connection, raw, writer):
                        writer.close()
                        return
        self.undecodable += framer.stats.bad_checksum
        writer.close()

    def _handle(self, connection: int, raw: bytes, writer: asyncio.StreamWriter) -> bool:
        """Record and answer one frame; False when the link is to be cut now."""
        try:
            frame = decode_frame(raw)
        except ProtocolError:
            self.undecodable += 1
            return True
        self.received.append(Received(connection, frame))
        if frame.command in ANSWERED:
            is_login = frame.command in (Command.VEHICLE_LOGIN, Command.PLATFORM_LOGIN)
            if is_login and not self.answer_logins:
                return True
            flag = self.login_flag if is_login else ResponseFlag.SUCCESS
            answer = reply_to(split_frame(raw), flag, datetime.now(BEIJING))
            if answer is not None:
                writer.write(answer)
        if frame.command == Command.REALTIME and frame.unique_id in self.cut_after_realtime:
            seen = len(self.frames(frame.unique_id, Command.REALTIME))
            if seen >= self.cut_after_realtime[frame.unique_id]:
                del self.cut_after_realtime[frame.unique_id]
                return False
        return True
