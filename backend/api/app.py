"""The API application: starlette routes around the GraphQL view, built from the settings.

    create_app(settings)            opens the database pool and Redis at startup (uvicorn)
    create_app(settings, services)  uses services the caller opened and will close (tests)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from backend.api.audit import AuditSink, DatabaseAuditSink
from backend.api.auth_routes import AuthRoutes
from backend.api.evidence_route import EvidenceRoute
from backend.api.frontend_app import frontend_routes
from backend.api.graphql.limits import QueryLimits
from backend.api.graphql.schema import build_schema
from backend.api.graphql.view import GraphQLView
from backend.api.import_route import ImportRoute
from backend.api.middleware import TransportMiddleware
from backend.api.oauth import OAuthRoutes
from backend.api.runtime import ApiRuntime
from backend.api.session import CSRF_HEADER
from backend.services import runtime as service_runtime
from backend.services import signing_keys
from backend.services.runtime import Services
from backend.settings import Environment, Settings


def create_app(settings: Settings, services: Services | None = None, *,
               audit: AuditSink | None = None, limits: QueryLimits | None = None) -> Starlette:
    runtime = ApiRuntime(audit=audit or DatabaseAuditSink(lambda: runtime.services),
                         limits=limits or QueryLimits())
    production = settings.environment is Environment.PRODUCTION
    view = GraphQLView(build_schema(production=production, limits=runtime.limits), runtime,
                       allowed_origins=settings.api.cors_origins,
                       query_timeout=settings.api.query_timeout)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            runtime.start(await stack.enter_async_context(
                service_runtime.open_services(settings)))
            yield

    if services is not None:
        runtime.start(services)

    async def jwks(_request: Request) -> Response:
        document = await signing_keys.jwks_document(runtime.services.db)
        # Verifiers may cache briefly; a rotated key is published before it signs.
        return JSONResponse(document, headers={"Cache-Control": "public, max-age=60"})

    async def healthz(_request: Request) -> Response:
        checks = await service_runtime.health(runtime.services)
        healthy = all(checks.values())
        return JSONResponse({"status": "ok" if healthy else "unavailable", **checks},
                            status_code=200 if healthy else 503,
                            headers={"Cache-Control": "no-store"})

    routes = [
        *AuthRoutes(runtime).routes(),
        *OAuthRoutes(runtime).routes(),
        *ImportRoute(runtime).routes(),
        *EvidenceRoute(runtime).routes(),
        Route("/.well-known/jwks.json", jwks, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/graphql", view, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", view),
        # Last: the console answers every remaining GET address (it routes in the browser).
        *frontend_routes(settings),
    ]
    middleware = [
        Middleware(TransportMiddleware, hsts=settings.api.tls),
        Middleware(CORSMiddleware, allow_origins=list(settings.api.cors_origins),
                   allow_credentials=True, allow_methods=["GET", "POST"],
                   allow_headers=["Authorization", "Content-Type", CSRF_HEADER, "X-Request-ID"],
                   expose_headers=["X-Request-ID", "Retry-After"], max_age=600),
    ]
    return Starlette(routes=routes, middleware=middleware,
                     lifespan=None if services is not None else lifespan)
