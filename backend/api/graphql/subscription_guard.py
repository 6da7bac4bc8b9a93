"""A running subscription keeps checking that its caller may still see what it streams.

The permission and the tenant are checked when a subscription starts; after that the access
token may expire and the session may end (logout, refresh-token reuse, the user disabled, the
role changed, the tenant suspended, the API client disabled) or the support grant a provider
staff member streams under may expire or be revoked. So the stream re-checks at the token's
expiry and every ``recheck_seconds`` in between: the token again (signature, claims, session or
client alive, role unchanged) and the field's permission in its tenant (role map, scopes,
support grant). The first failed re-check ends the subscription with the typed error
(UNAUTHENTICATED, FORBIDDEN) and is audited as a denial of the subscription.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from backend.api.audit import Outcome
from backend.api.errors import ApiError, Code, classify
from backend.api.graphql.access_batches import authorize, denial_reason
from backend.api.graphql.context import RequestContext
from backend.core.access import AccessDenied, Permission
from backend.core.tenancy import is_tenant_slug
from backend.services import auth

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Watch:
    """What one subscription re-checks: its field's permission in the tenant it streams."""

    context: RequestContext
    operation: str  # "Subscription.vehicleLive"
    permission: Permission
    tenant: str
    targets: tuple[str, ...] = ()

    async def seconds_to_next_check(self) -> float:
        """Raises ApiError / AccessDenied when access has ended."""
        context = self.context
        if context.token is None:
            raise ApiError(Code.UNAUTHENTICATED, "sign in first")
        services = context.services
        now = time.time()
        try:
            claims = await auth.verified_claims(services.db, services.auth, context.token,
                                                now=int(now))
        except Exception as error:
            typed = classify(error)
            raise error if typed is None else typed from None
        # The verifier allows a little clock skew; our own clock ends the stream on time.
        if now >= claims.expires_at:
            raise ApiError(Code.UNAUTHENTICATED, "the access token expired",
                           {"reason": "token.expired"})
        await authorize(context, self.permission, self.tenant)
        return min(context.recheck_seconds, claims.expires_at - now)

    async def denied(self, denial: ApiError | AccessDenied) -> None:
        context = self.context
        await context.audit.record(
            context.principal, self.operation, Outcome.DENIED,
            tenant=self.tenant if is_tenant_slug(self.tenant) else None, targets=self.targets,
            details={"reason": denial_reason(denial), "phase": "recheck"})


async def watched(source: AsyncIterator[T], watch: Watch) -> AsyncGenerator[T, None]:
    """``source``'s items while ``watch`` allows them; the refusal ends the stream."""
    step: Callable[[], Awaitable[T]] = source.__anext__
    pending: asyncio.Future[T] | None = None
    loop = asyncio.get_running_loop()
    try:
        deadline = loop.time() + await _check(watch)
        while True:
            if pending is None:
                pending = asyncio.ensure_future(step())
            done, _ = await asyncio.wait({pending}, timeout=max(0.0, deadline - loop.time()))
            if not done:
                deadline = loop.time() + await _check(watch)
                continue
            try:
                item = pending.result()
            except StopAsyncIteration:
                return
            pending = None
            yield item
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await pending
        closer = getattr(source, "aclose", None)
        if closer is not None:
            await closer()


async def _check(watch: Watch) -> float:
    try:
        return await watch.seconds_to_next_check()
    except (ApiError, AccessDenied) as denial:
        await watch.denied(denial)
        raise
