"""Local receivers for notification tests, on real sockets: an HTTP endpoint that records
requests and answers from a script (an error status, or silence until the sender's timeout),
and a minimal SMTP server (RFC 5321's commands as smtplib sends them) that records messages
and can refuse the first ones with a temporary error. Ports are below 32768."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email.message import EmailMessage


async def _listen(handler: object) -> tuple[asyncio.Server, int]:
    for _ in range(50):
        port = random.randint(20000, 32000)
        try:
            server = await asyncio.start_server(handler, "127.0.0.1", port)  # type: ignore[arg-type]
        except OSError:
            continue
        return server, port
    raise RuntimeError("no free port below 32768")


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpReceiver:
    """``script``: per path, the answers to give in order (a status, or "hang"); after the
    script, 200."""

    script: dict[str, list[int | str]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def received(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            _, path, _ = lines[0].split(" ", 2)
            headers = {k.strip().lower(): v.strip() for k, _, v in
                       (line.partition(":") for line in lines[1:] if line)}
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.requests.append(Request(path, headers, body))
            answers = self.script.get(path, [])
            answer = answers.pop(0) if answers else 200
            if answer == "hang":
                await reader.read()  # answer nothing until the sender gives up and closes
                return
            writer.write(f"HTTP/1.1 {answer} X\r\nContent-Length: 0\r\n"
                         "Connection: close\r\n\r\n".encode())
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()


@dataclass
class SmtpSink:
    refuse_first: int = 0  # answer 451 to DATA of this many messages
    messages: list[EmailMessage] = field(default_factory=list)
    refused: int = 0
    port: int = 0

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def say(line: str) -> None:
            writer.write(line.encode() + b"\r\n")
            await writer.drain()

        try:
            await say("220 sink ESMTP")
            while True:
                line = (await reader.readline()).decode("latin-1").strip()
                verb = line[:4].upper()
                if not line or verb == "QUIT":
                    await say("221 bye")
                    return
                if verb in {"EHLO", "HELO"}:
                    await say("250 sink")
                elif verb in {"MAIL", "RCPT", "RSET", "NOOP"}:
                    await say("250 ok")
                elif verb == "DATA":
                    if self.refused < self.refuse_first:
                        self.refused += 1
                        await say("451 try again later")
                        continue
                    await say("354 go ahead")
                    data = await reader.readuntil(b"\r\n.\r\n")
                    raw = data[:-5].replace(b"\r\n..", b"\r\n.")
                    self.messages.append(email.message_from_bytes(
                        raw, policy=email.policy.default))  # type: ignore[arg-type]
                    await say("250 queued")
                else:
                    await say("502 not here")
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@contextlib.asynccontextmanager
async def receivers(http: HttpReceiver, smtp: SmtpSink) -> AsyncIterator[None]:
    http_server, http.port = await _listen(http._handle)
    smtp_server, smtp.port = await _listen(smtp._handle)
    try:
        yield
    finally:
        for server in (http_server, smtp_server):
            server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 2)
