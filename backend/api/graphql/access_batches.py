"""The permission check of one GraphQL field, and its batched form for nested fields that a
page repeats on every row (``Vehicle.model``, ``Vehicle.latestState``, ...).

A batched field still declares its permission and is still checked on every row, but the rows
resolved together ask one question per (permission, tenant): a provider staff member's support
grant is looked up once for a page of 100 vehicles, not 100 times, and a refusal is audited
once with the targets of every row it refused. The loader does not cache (``cache=False``):
over a websocket the context lives as long as the connection, and a decision must not outlive
the operation it was made for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from backend.api.audit import Outcome
from backend.api.errors import ApiError, Code
from backend.core.access import PLATFORM_PERMISSIONS, AccessDenied, Permission
from backend.core.tenancy import is_tenant_slug
from backend.services import support

if TYPE_CHECKING:
    from backend.api.graphql.context import RequestContext


async def authorize(context: RequestContext, permission: Permission | None,
                    tenant: str | None) -> None:
    """Raise ApiError (not signed in) or AccessDenied; ``permission`` None: any principal."""
    principal = context.principal
    if principal is None:
        raise ApiError(Code.UNAUTHENTICATED, "sign in first")
    if permission is None:
        return
    if permission in PLATFORM_PERMISSIONS:
        await support.authorize(context.services.db, principal, permission)
    else:
        await support.authorize(context.services.db, principal, permission, tenant=tenant)


def denial_reason(denial: ApiError | AccessDenied) -> str:
    return denial.reason if isinstance(denial, AccessDenied) else denial.message


Question = tuple[Permission | None, str | None, str]  # permission, tenant, operation


@dataclass(frozen=True, slots=True)
class AccessRequest:
    permission: Permission | None
    tenant: str | None
    operation: str  # "Vehicle.latestState"
    targets: tuple[str, ...]

    @property
    def question(self) -> Question:
        return self.permission, self.tenant, self.operation


class AccessBatches:
    def __init__(self, context: RequestContext) -> None:
        self._context = context
        self._loader: DataLoader[AccessRequest, None] = DataLoader(load_fn=self._decide,
                                                                   cache=False)

    async def check(self, request: AccessRequest) -> None:
        """Returns when allowed; raises the refusal shared by the rows of its batch."""
        await self._loader.load(request)

    async def _decide(self, requests: list[AccessRequest]) -> Sequence[BaseException | None]:
        asked: dict[Question, list[AccessRequest]] = defaultdict(list)
        for request in requests:
            asked[request.question].append(request)
        answers: dict[Question, BaseException | None] = {}
        for question, group in asked.items():
            permission, tenant, operation = question
            try:
                await authorize(self._context, permission, tenant)
            except (ApiError, AccessDenied) as denial:
                answers[question] = denial
                targets = tuple(dict.fromkeys(t for request in group for t in request.targets))
                await self._context.audit.record(
                    self._context.principal, operation, Outcome.DENIED,
                    tenant=tenant if tenant is not None and is_tenant_slug(tenant) else None,
                    targets=targets, details={"reason": denial_reason(denial)})
            else:
                answers[question] = None
        return [answers[request.question] for request in requests]
