"""Transports for the TCP driver: one connection per vehicle, or many VINs behind one platform
login (0x05, REGULATORY.md §1), both speaking real GB/T 32960 over asyncio streams."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

from gateway.protocol.codec import decode_frame, encode_frame
from gateway.protocol.errors import ProtocolError
from gateway.protocol.frame import Frame
from gateway.protocol.framer import StreamFramer
from gateway.protocol.model import Command, Edition, EncryptionType, ResponseFlag
from gateway.protocol.session import PlatformLogin, PlatformLogout
from gateway.protocol.wire import BEIJING

from .clock import SimClock
from .terminal_config import LoginSerials

log = logging.getLogger(__name__)

ReplyHandler = Callable[[Frame], None]
LossHandler = Callable[[], None]
_READ_SIZE: Final = 65536


class Channel(Protocol):
    def send(self, data: bytes) -> None: ...
    async def drain(self) -> None: ...
    def close(self) -> None: ...


class Connector(Protocol):
    async def open(self, vin: str, on_reply: ReplyHandler, on_lost: LossHandler) -> Channel:
        """A channel for one vehicle; raises ``OSError`` when no link can be had now."""
        ...


async def _read_frames(reader: asyncio.StreamReader, deliver: ReplyHandler) -> None:
    """Feed received bytes through the framer (§2.2) and hand decoded frames on."""
    framer = StreamFramer()
    while chunk := await reader.read(_READ_SIZE):
        for raw in framer.feed(chunk):
            try:
                deliver(decode_frame(raw))
            except ProtocolError as error:
                log.warning("undecodable frame from the platform: %s", error.message)


class _StreamChannel:
    """A vehicle's own TCP connection."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer
        self.reader_task: asyncio.Task[None] | None = None
        self.closed = False

    def send(self, data: bytes) -> None:
        if not self._writer.is_closing():
            self._writer.write(data)

    async def drain(self) -> None:
        with contextlib.suppress(ConnectionError):
            await self._writer.drain()

    def close(self) -> None:
        self.closed = True
        if self.reader_task is not None:
            self.reader_task.cancel()
        self._writer.close()


class DirectConnector:
    """One TCP connection per vehicle terminal (§1)."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port

    async def open(self, vin: str, on_reply: ReplyHandler, on_lost: LossHandler) -> Channel:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        channel = _StreamChannel(writer)

        async def read() -> None:
            with contextlib.suppress(ConnectionError):
                await _read_frames(reader, on_reply)
            if not channel.closed:
                channel.closed = True
                writer.close()
                on_lost()

        channel.reader_task = asyncio.create_task(read(), name=f"read-{vin}")
        return channel


@dataclass(frozen=True, slots=True)
class PlatformAccount:
    username: str
    password: str
    unique_id: str = "NEVGUARDSIM000001"
    """The lower platform's own 17-byte code in the unique-id field (§2)."""
    edition: Edition = Edition.V2016


class _Route:
    def __init__(self, link: PlatformConnector, vin: str, on_reply: ReplyHandler,
                 on_lost: LossHandler) -> None:
        self.link, self.vin, self.on_reply, self.on_lost = link, vin, on_reply, on_lost

    def send(self, data: bytes) -> None:
        self.link.write(data)

    async def drain(self) -> None:
        await self.link.drain()

    def close(self) -> None:
        self.link.routes.pop(self.vin, None)


class PlatformConnector:
    """Many VINs through one platform-login link. A vehicle "connects" by being routed over the
    logged-in link; when the link drops every routed vehicle sees its link go down."""

    def __init__(self, host: str, port: int, account: PlatformAccount, clock: SimClock, *,
                 retry_s: int = 60, attempts: int = 3, backoff_s: int = 1800) -> None:
        self.host, self.port, self.account, self.clock = host, port, account, clock
        self.retry_s, self.attempts, self.backoff_s = retry_s, attempts, backoff_s
        self.routes: dict[str, _Route] = {}
        self._writer: asyncio.StreamWriter | None = None
        self._up = False
        self._answer: asyncio.Future[int] | None = None
        self._serials = LoginSerials()
        self._serial = 0
        self.rejected = False

    def write(self, data: bytes) -> None:
        if self._writer is not None and not self._writer.is_closing():
            self._writer.write(data)

    async def drain(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(ConnectionError):
                await self._writer.drain()

    async def open(self, vin: str, on_reply: ReplyHandler, on_lost: LossHandler) -> Channel:
        if not self._up:
            raise ConnectionRefusedError("platform link not logged in")
        route = _Route(self, vin, on_reply, on_lost)
        self.routes[vin] = route
        return route

    def _frame(self, command: Command, body: PlatformLogin | PlatformLogout) -> bytes:
        return encode_frame(Frame(edition=self.account.edition, command=command,
                                  response=ResponseFlag.COMMAND, unique_id=self.account.unique_id,
                                  encryption=EncryptionType.NONE, body=body))

    def _deliver(self, frame: Frame) -> None:
        if frame.command == Command.PLATFORM_LOGIN and self._answer is not None:
            if not self._answer.done():
                self._answer.set_result(frame.response)
            return
        route = self.routes.get(frame.unique_id)
        if route is not None:
            route.on_reply(frame)

    async def _login(self, writer: asyncio.StreamWriter) -> int | None:
        """Send 0x05 and wait for the answer; None when it never came (REGULATORY.md §1)."""
        for _ in range(self.attempts):
            self._answer = asyncio.get_running_loop().create_future()
            now = datetime.fromtimestamp(self.clock.now_s(), BEIJING)
            self._serial = self._serials.next(now)
            writer.write(self._frame(Command.PLATFORM_LOGIN, PlatformLogin(
                collected_at=now, serial=self._serial, username=self.account.username,
                password=self.account.password, encryption_rule=EncryptionType.NONE)))
            with contextlib.suppress(TimeoutError):
                return await asyncio.wait_for(asyncio.shield(self._answer),
                                              self.clock.wall_seconds(self.retry_s))
        return None

    async def run(self, stop: asyncio.Event) -> None:
        """Keep the platform link logged in until ``stop``; then log out (0x06)."""
        while not stop.is_set():
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            except OSError as error:
                log.warning("platform link: cannot connect: %s", error)
                await self.clock.sleep_for(self.retry_s, stop)
                continue
            self._writer = writer
            reading = asyncio.create_task(_read_frames(reader, self._deliver))
            answer = await self._login(writer)
            if answer == ResponseFlag.SUCCESS:
                self._up = True
                await _first_done(reading, stop)
            elif answer is not None:
                # An error answer means wrong credentials: retrying blindly does not help.
                self.rejected = True
                log.error("platform login rejected (flag 0x%02x); check the credentials",
                          answer)
            await self._drop(writer, reading, stop)
            if not stop.is_set():
                await self.clock.sleep_for(self.backoff_s if answer is None or self.rejected
                                           else self.retry_s, stop)

    async def _drop(self, writer: asyncio.StreamWriter, reading: asyncio.Task[None],
                    stop: asyncio.Event) -> None:
        if stop.is_set() and self._up and not writer.is_closing():
            now = datetime.fromtimestamp(self.clock.now_s(), BEIJING)
            writer.write(self._frame(Command.PLATFORM_LOGOUT,
                                     PlatformLogout(collected_at=now, serial=self._serial)))
            with contextlib.suppress(ConnectionError):
                await writer.drain()
        self._up = False
        self._writer = None
        reading.cancel()
        writer.close()
        for route in list(self.routes.values()):
            route.close()
            route.on_lost()


async def _first_done(reading: asyncio.Task[None], stop: asyncio.Event) -> None:
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
