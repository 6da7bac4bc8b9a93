"""The per-request context every resolver receives (``info.context``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from backend.api.audit import Auditor
from backend.api.errors import ApiError, Code
from backend.api.graphql.access_batches import AccessBatches
from backend.api.graphql.fleet_loaders import FleetLoaders
from backend.core.access import Principal
from backend.services import tenants
from backend.services.runtime import Services


@dataclass(eq=False)
class RequestContext:
    request: Request | WebSocket
    response: Response | WebSocket
    services: Services
    audit: Auditor
    principal: Principal | None
    # Set by strawberry from a websocket connection_init payload.
    connection_params: dict[str, Any] | None = None
    # Over websockets the context lives as long as the connection: the cap and the count of
    # its live subscriptions (backend/api/graphql/fleet_live.py).
    max_subscriptions: int = 10
    subscriptions: int = 0
    # The access token the connection was opened with, which running subscriptions re-check
    # every ``recheck_seconds`` (backend/api/graphql/subscription_guard.py).
    token: str | None = None
    recheck_seconds: float = 30.0
    vehicle_counts: DataLoader[str, int] = field(init=False)
    fleet: FleetLoaders = field(init=False)
    access: AccessBatches = field(init=False)

    def __post_init__(self) -> None:
        # One batched query per request, however many tenants a page shows. The loaders batch
        # but do not cache: over a websocket this context lives as long as the connection.
        self.vehicle_counts = DataLoader(load_fn=self._load_vehicle_counts, cache=False)
        self.fleet = FleetLoaders(self)
        self.access = AccessBatches(self)

    @property
    def request_id(self) -> str:
        return self.audit.origin.request_id

    def actor(self) -> Principal:
        """The principal; field permissions ran first, so its absence is a transport bug
        turned into the same answer an anonymous caller gets."""
        if self.principal is None:
            raise ApiError(Code.UNAUTHENTICATED, "sign in first")
        return self.principal

    def own_tenant(self) -> str:
        tenant = self.actor().tenant
        if tenant is None:
            raise ApiError(Code.FORBIDDEN, "this operation acts inside your own tenant")
        return tenant

    async def _load_vehicle_counts(self, slugs: list[str]) -> list[int]:
        counts = await tenants.vehicle_counts(self.services.db, self.actor(),
                                              sorted(set(slugs)))
        return [counts.get(slug, 0) for slug in slugs]


Info: TypeAlias = StrawberryInfo[RequestContext, None]
