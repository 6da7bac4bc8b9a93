"""What the API's routes share: the services container (set once at startup), the rate
limiter, the audit sink and the query limits, and the caller identification they all use."""

from __future__ import annotations

from starlette.requests import Request
from starlette.websockets import WebSocket

from backend.api.audit import Auditor, AuditSink, Outcome, RequestOrigin
from backend.api.errors import ApiError, Code, classify
from backend.api.graphql.limits import QueryLimits
from backend.api.middleware import request_id_of
from backend.api.session import principal_of
from backend.core.access import Principal
from backend.services.ratelimits import RateLimiter
from backend.services.runtime import Services


class ApiRuntime:
    """What the routes share; ``services`` is set once at startup."""

    def __init__(self, *, audit: AuditSink, limits: QueryLimits) -> None:
        self.audit = audit
        self.limits = limits
        self._services: Services | None = None
        self._limiter: RateLimiter | None = None

    def start(self, services: Services) -> None:
        self._services = services
        self._limiter = RateLimiter(services.redis, services.db, services.settings.api,
                                    namespace=services.settings.database_url.path)

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the API runtime is used before startup")
        return self._services

    @property
    def limiter(self) -> RateLimiter:
        if self._limiter is None:
            raise RuntimeError("the API runtime is used before startup")
        return self._limiter

    def auditor(self, connection: Request | WebSocket) -> Auditor:
        """The auditor of one HTTP request or websocket: its request id, peer and user agent."""
        host = None if connection.client is None else connection.client.host
        return Auditor(self.audit, RequestOrigin.of(request_id_of(connection.scope), host,
                                                    connection.headers.get("user-agent")))

    async def identify(self, connection: Request | WebSocket, auditor: Auditor, *,
                       csrf: bool) -> Principal | None:
        """The caller, with a failed authentication audited before it is raised."""
        try:
            return await principal_of(self.services, connection, csrf=csrf)
        except Exception as error:
            typed = classify(error)
            if typed is None:
                raise
            await auditor.record(None, "auth.authenticate", Outcome.DENIED,
                                 details={"reason": str(typed.extensions.get("reason",
                                                                             typed.code))})
            raise typed from None

    async def tenant_uploader(self, request: Request, auditor: Auditor,
                              no_tenant: str) -> tuple[Principal, str]:
        """The signed-in caller of an upload route (CSRF checked for cookies) and its tenant,
        counted against the rate limits before any of the body is read; ``no_tenant`` is the
        refusal for provider staff, who have none."""
        principal = await self.identify(request, auditor, csrf=True)
        if principal is None:
            raise ApiError(Code.UNAUTHENTICATED, "sign in first")
        if principal.tenant is None:
            raise ApiError(Code.FORBIDDEN, no_tenant)
        await self.limiter.request(principal, auditor.origin.ip or "-")
        return principal, principal.tenant
