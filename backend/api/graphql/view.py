"""/graphql over HTTP (POST, JSON) and websockets (graphql-transport-ws).

Before strawberry sees an HTTP request, the transport caps the body, identifies the caller
(bearer token, or the access cookie plus the CSRF header), and counts the request against the
rate limits; each step answers with a typed error. The whole execution runs under the query
timeout. Over websockets the caller is identified by the access cookie at the handshake
(strawberry refuses origins outside the allow-list first) or by ``Authorization`` in the
connection_init payload. The connection counts as one request, and so does every operation
(``subscribe`` message) sent over it: a refused one gets an ``error`` message naming the limit,
the connection stays open for the next window. The connection keeps the access token it was
opened with; running subscriptions re-check it (subscription_guard.py).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage

from backend.api.audit import Auditor, Outcome
from backend.api.errors import ApiError, Code, classify, error_document, internal
from backend.api.graphql.context import RequestContext
from backend.api.graphql.schema import NevguardSchema
from backend.api.middleware import request_id_of
from backend.api.responses import graphql_error_response, read_body
from backend.api.runtime import ApiRuntime
from backend.api.session import credential
from backend.core.access import Principal
from backend.services import auth

LOG = logging.getLogger("nevguard.api")


class RateLimitedTransportWS(BaseGraphQLTransportWSHandler[RequestContext, None]):
    """graphql-transport-ws whose every operation passes the caller's rate limits first."""

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        # Before the handshake or with a reused id strawberry closes the socket itself.
        if self.connection_acknowledged and message["id"] not in self.operations:
            view = self.view
            if not isinstance(view, GraphQLView):
                raise TypeError("the rate-limited handler serves GraphQLView only")
            refusal = await view.limit_operation(self.context)
            if refusal is not None:
                document = error_document(refusal, self.context.request_id)
                await self.send_message({"id": message["id"], "type": "error",
                                         "payload": document["errors"]})
                return
        await super().handle_subscribe(message)


class GraphQLView(GraphQL[RequestContext, None]):
    graphql_transport_ws_handler_class = RateLimitedTransportWS

    def __init__(self, schema: NevguardSchema, runtime: ApiRuntime, *,
                 allowed_origins: tuple[str, ...], query_timeout: timedelta) -> None:
        super().__init__(schema, graphql_ide=None, allow_queries_via_get=False,
                         subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
                         connection_init_wait_timeout=timedelta(seconds=10),
                         allowed_origins=allowed_origins)
        self.runtime = runtime
        self.query_timeout = query_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.run(WebSocket(scope, receive=receive, send=send))
            return
        request = Request(scope, receive)
        request_id = request_id_of(scope)
        try:
            response = await self._serve(request)
        except ApiError as error:
            response = graphql_error_response(error, request_id)
        except HTTPException as error:
            # strawberry's refusals of the HTTP shape: body, content type, operation type.
            response = graphql_error_response(ApiError(Code.BAD_REQUEST, error.reason),
                                              request_id)
        except TimeoutError:
            response = graphql_error_response(ApiError(
                Code.TIMEOUT, f"the query ran longer than {self.query_timeout}"), request_id)
        await response(scope, receive, send)

    async def _serve(self, request: Request) -> Response:
        runtime = self.runtime
        if request.method != "POST":
            raise ApiError(Code.BAD_REQUEST, "GraphQL is served over POST (or websockets)")
        auditor = runtime.auditor(request)
        await read_body(request, runtime.limits.max_body_bytes)
        principal = await runtime.identify(request, auditor, csrf=True)
        refusal = await self._limit(principal, auditor)
        if refusal is not None:
            raise refusal
        request.state.principal = principal
        request.state.auditor = auditor
        async with asyncio.timeout(self.query_timeout.total_seconds()):
            return await self.run(request)

    async def _limit(self, principal: Principal | None, auditor: Auditor) -> ApiError | None:
        """The typed refusal when a rate limit fires (audited), else None."""
        try:
            await self.runtime.limiter.request(principal, auditor.origin.ip or "-")
        except Exception as error:
            typed = classify(error)
            if typed is None:
                raise
            await auditor.record(principal, "api.request", Outcome.DENIED,
                                 details={"limit": str(typed.extensions.get("limit"))})
            return typed
        return None

    async def limit_operation(self, context: RequestContext) -> ApiError | None:
        """One operation over an acknowledged websocket, counted like an HTTP request."""
        return await self._limit(context.principal, context.audit)

    async def get_context(self, request: Request | WebSocket,
                          response: Response | WebSocket) -> RequestContext:
        if isinstance(request, Request):
            return RequestContext(request, response, self.runtime.services,
                                  request.state.auditor, request.state.principal)
        auditor = self.runtime.auditor(request)
        token = None
        try:
            principal = await self.runtime.identify(request, auditor, csrf=False)
            found = credential(request)
            token = None if found is None else found.token
        except ApiError:
            principal = None  # connection_init may still bring a bearer token
        limits = self.runtime.limits
        return RequestContext(request, response, self.runtime.services, auditor, principal,
                              max_subscriptions=limits.max_subscriptions, token=token,
                              recheck_seconds=limits.subscription_recheck_seconds)

    async def on_ws_connect(self, context: RequestContext) -> None:
        params: dict[str, Any] = context.connection_params or {}
        header = params.get("Authorization", params.get("authorization"))
        try:
            if isinstance(header, str):
                scheme, _, token = header.partition(" ")
                if scheme.lower() != "bearer" or not token.strip():
                    raise ApiError(Code.UNAUTHENTICATED, "expected Bearer <token>")
                services = self.runtime.services
                context.principal = await auth.authenticate(services.db, services.auth,
                                                            token.strip())
                context.token = token.strip()
            if context.principal is None:
                raise ApiError(Code.UNAUTHENTICATED, "sign in first")
            await self.runtime.limiter.request(context.principal,
                                               context.audit.origin.ip or "-")
        except Exception as error:
            typed = classify(error)
            if typed is None:
                LOG.exception("request %s: websocket connection failed", context.request_id)
                typed = internal(context.request_id)
            await context.audit.record(context.principal, "api.websocket", Outcome.DENIED,
                                       details={"code": typed.code.value})
            raise ConnectionRejectionError from None
