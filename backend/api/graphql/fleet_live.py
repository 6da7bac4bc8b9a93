"""Subscriptions over graphql-transport-ws: a vehicle's live state and the tenant's fleet
events, fed from what the gateway publishes to Redis (backend/services/live.py); and the
query of the newest stored fleet events, which such a list starts from.

The permission and the tenant are checked when a subscription starts (another tenant's VIN is
NOT_FOUND), and again while it runs: at the token's expiry and every ``recheck_seconds``
(subscription_guard.py), so a revoked session or an expired grant ends it. A connection holds
at most ``max_subscriptions`` live subscriptions at once; one more is refused with
TOO_MANY_SUBSCRIPTIONS, and a finished or cancelled one frees its place.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import TypeVar, cast

import strawberry
from strawberry.scalars import JSON

from backend.api.errors import ApiError, Code
from backend.api.graphql.context import Info, RequestContext
from backend.api.graphql.fleet_data import TenantArg, data_tenant
from backend.api.graphql.permissions import requires, requires_subscription
from backend.api.graphql.subscription_guard import Watch, watched
from backend.core.access import Permission as P
from backend.core.live import FleetEvent, LiveState
from backend.services import live

S = TypeVar("S")
T = TypeVar("T")


@strawberry.type
class VehicleLiveState:
    """The newest known values; null: not known yet (a frame without a position keeps the
    previous one)."""

    vin: str
    online: bool | None
    last_frame_at: datetime | None
    collected_at: datetime | None
    received_at: datetime | None
    soc_pct: int | None
    speed_kmh: float | None
    alarm_level: int | None
    charging_state: int | None
    longitude_deg: float | None
    latitude_deg: float | None
    position_valid: bool | None


def live_state_node(state: LiveState) -> VehicleLiveState:
    return VehicleLiveState(
        vin=state.vin, online=state.online, last_frame_at=state.last_frame_at,
        collected_at=state.collected_at, received_at=state.received_at, soc_pct=state.soc_pct,
        speed_kmh=state.speed_kmh, alarm_level=state.alarm_level,
        charging_state=state.charging_state, longitude_deg=state.longitude_deg,
        latitude_deg=state.latitude_deg, position_valid=state.position_valid)


@strawberry.type
class FleetEventNode:
    vin: str
    kind: str = strawberry.field(description="login, logout, connected or disconnected.")
    at: datetime
    collected_at: datetime | None
    serial: int | None
    online: bool | None = strawberry.field(description="What the event says of the link.")
    details: JSON


def fleet_event_node(event: FleetEvent) -> FleetEventNode:
    return FleetEventNode(vin=event.vin, kind=event.kind, at=event.at,
                          collected_at=event.collected_at, serial=event.serial,
                          online=event.online, details=cast(JSON, dict(event.details)))


def take_place(context: RequestContext) -> None:
    """Counts a new subscription of the connection, or refuses it over the cap."""
    if context.subscriptions >= context.max_subscriptions:
        raise ApiError(Code.TOO_MANY_SUBSCRIPTIONS,
                       f"at most {context.max_subscriptions} subscriptions per connection",
                       {"limit": "subscriptions_per_connection",
                        "maximum": context.max_subscriptions})
    context.subscriptions += 1


class Counted(AsyncIterator[T]):
    """A subscription's stream that frees its place once, however it ends: exhausted,
    completed by the client, or cancelled with the connection."""

    def __init__(self, source: AsyncGenerator[T, None], context: RequestContext) -> None:
        self._source = source
        self._context = context
        self._open = True

    def __aiter__(self) -> Counted[T]:
        return self

    async def __anext__(self) -> T:
        try:
            return await self._source.__anext__()
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        if self._open:
            self._open = False
            self._context.subscriptions -= 1
            await self._source.aclose()


async def _mapped(source: AsyncGenerator[S, None],
                  convert: Callable[[S], T]) -> AsyncGenerator[T, None]:
    try:
        async for item in source:
            yield convert(item)
    finally:
        await source.aclose()


async def _subscribe(watch: Watch,
                     start: Callable[[], Awaitable[AsyncGenerator[S, None]]],
                     convert: Callable[[S], T]) -> AsyncIterator[T]:
    context = watch.context
    take_place(context)
    try:
        source = await start()
    except BaseException:
        context.subscriptions -= 1
        raise
    return Counted(_mapped(watched(source, watch), convert), context)


@strawberry.type
class FleetLiveQuery:
    @requires(P.FLEET_READ)
    async def recent_fleet_events(self, info: Info, limit: int = 20,
                                  tenant: TenantArg = None) -> list[FleetEventNode]:
        """The newest logins, logouts, connects and disconnects of the tenant's vehicles in
        the last 24 h (at most `limit`, 1-100), newest first: what a live event list shows
        before `fleetEvents` adds to it."""
        context = info.context
        scope = data_tenant(info, tenant)
        found = await live.recent_fleet_events(context.services.db, context.actor(), scope,
                                               limit=limit)
        return [fleet_event_node(event) for event in found]


@strawberry.type
class FleetSubscription:
    @requires_subscription(P.VEHICLE_STATE_READ)
    async def vehicle_live(self, info: Info, vin: str,
                           tenant: TenantArg = None) -> AsyncIterator[VehicleLiveState]:
        """The vehicle's latest known state, then one message per live frame and per change
        of its link."""
        context = info.context
        scope = data_tenant(info, tenant)
        watch = Watch(context, "Subscription.vehicleLive", P.VEHICLE_STATE_READ, scope, (vin,))
        return await _subscribe(watch, lambda: live.vehicle_live(
            context.services.db, context.services.redis, context.actor(), scope, vin),
            live_state_node)

    @requires_subscription(P.FLEET_READ)
    async def fleet_events(self, info: Info,
                           tenant: TenantArg = None) -> AsyncIterator[FleetEventNode]:
        """Every login, logout, connect and disconnect of the tenant's vehicles."""
        context = info.context
        scope = data_tenant(info, tenant)
        watch = Watch(context, "Subscription.fleetEvents", P.FLEET_READ, scope)
        return await _subscribe(watch, lambda: live.fleet_events(
            context.services.db, context.services.redis, context.actor(), scope),
            fleet_event_node)
