"""GET /metrics over a minimal asyncio HTTP/1.1 server (one request per connection).

Only what a Prometheus scraper needs; anything else gets 404/405/400. Requests are bounded in
size and time so the endpoint cannot be used to hold memory or sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Final

from .registry import CONTENT_TYPE, MetricsRegistry

_MAX_HEAD: Final = 8192
_READ_TIMEOUT_S: Final = 5.0


class MetricsServer:
    def __init__(self, registry: MetricsRegistry) -> None:
        self._registry = registry
        self._server: asyncio.Server | None = None

    async def start(self, host: str, port: int) -> int:
        """Listen; return the bound port (useful with port 0)."""
        self._server = await asyncio.start_server(self._handle, host, port, limit=_MAX_HEAD)
        bound: int = self._server.sockets[0].getsockname()[1]
        return bound

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(_READ_TIMEOUT_S):
                head = await reader.readuntil(b"\r\n\r\n")
                writer.write(self._respond(head))
                await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(OSError, TimeoutError):
                async with asyncio.timeout(_READ_TIMEOUT_S):
                    await writer.wait_closed()

    def _respond(self, head: bytes) -> bytes:
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = request_line.split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            return _response("400 Bad Request", b"bad request\n")
        method, target = parts[0], parts[1].split("?", 1)[0]
        if target != "/metrics":
            return _response("404 Not Found", b"not found\n")
        if method != "GET":
            return _response("405 Method Not Allowed", b"method not allowed\n", "Allow: GET\r\n")
        return _response("200 OK", self._registry.render().encode(), content_type=CONTENT_TYPE)


def _response(status: str, body: bytes, extra_headers: str = "",
              content_type: str = "text/plain; charset=utf-8") -> bytes:
    head = (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n{extra_headers}\r\n")
    return head.encode("latin-1") + body
