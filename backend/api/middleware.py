"""The outermost layer of every HTTP and websocket exchange: a request id (the caller's
X-Request-ID when it is a sane token, else a new one), security headers on every answer, and a
last-resort handler that turns an unexpected exception into a masked error quoting the id."""

from __future__ import annotations

import logging
import re
import uuid
from typing import Final

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.errors import internal
from backend.api.responses import rest_error_response

LOG = logging.getLogger("nevguard.api")
_REQUEST_ID: Final = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# The API serves JSON only: nothing may be framed, scripted or embedded from a response.
SECURITY_HEADERS: Final = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none';"
                               " form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-site",
}
HSTS: Final = "max-age=63072000; includeSubDomains"


def request_id_of(scope: Scope) -> str:
    state = scope.get("state") or {}
    value = state.get("request_id")
    return value if isinstance(value, str) else "-"


class TransportMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if self.hsts:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            LOG.exception("request %s failed", request_id)
            if scope["type"] == "http" and not started:
                response = rest_error_response(internal(request_id), request_id)
                await response(scope, receive, send_with_headers)
            elif scope["type"] == "http":
                raise
