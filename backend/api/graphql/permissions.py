"""Every root field declares its permission with ``requires(...)``; the extension checks it
before the resolver runs, records a denial in the audit log, and records every mutation and
every read of vehicle data whatever its outcome. The services check again.

Object fields below a root field are reached only through it, so they share its check; a
nested field that reads more (a vehicle's model, latest state, history, raw frames, sessions)
declares its own permission, checked in the tenant its parent was read in (the parent's
``tenant_scope``) and audited with the parent's VIN as target. A nested field a page repeats on
every row is declared ``batched``: the rows resolved together share one check per (permission,
tenant) and one audit record of a refusal (access_batches.py), and its dataloader audits the
reads.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Final, TypeVar, cast

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types.base import StrawberryObjectDefinition

from backend.api.audit import Outcome
from backend.api.errors import ApiError, Code, classify
from backend.api.graphql.access_batches import AccessRequest, authorize, denial_reason
from backend.api.graphql.context import Info, RequestContext
from backend.core.access import PLATFORM_PERMISSIONS, AccessDenied, Permission
from backend.core.tenancy import is_tenant_slug

_F = TypeVar("_F", bound=Callable[..., Any])
ROOT_TYPES: Final = ("Query", "Mutation", "Subscription")
# Reads of these are audited like mutations: who looked at which vehicles is evidence.
VEHICLE_DATA: Final = frozenset({
    Permission.VEHICLES_READ, Permission.FLEET_READ, Permission.VEHICLE_STATE_READ,
    Permission.VEHICLE_HISTORY_READ, Permission.RAW_FRAMES_READ, Permission.SESSIONS_READ,
    Permission.ALARMS_READ, Permission.EXPORTS_READ,
})
# Arguments that name the objects an operation touches (python names).
TARGET_ARGUMENTS: Final = ("slug", "tenant", "id", "user_id", "client_id", "invitation_id",
                           "grant_id", "vin", "vins", "username", "email", "case_id")


class Requires(FieldExtension):
    """``permission`` None: any signed-in principal. ``batched``: a nested field checked once
    per batch of rows, whose reads its dataloader audits."""

    def __init__(self, permission: Permission | None, *, batched: bool = False) -> None:
        self.permission = permission
        self.batched = batched

    async def resolve_async(self, next_: Callable[..., Awaitable[Any]], source: Any,
                            info: Info, **kwargs: Any) -> Any:
        context = info.context
        root = info.path.typename or ""
        operation = f"{root}.{info.field_name}"
        tenant = self._tenant(context, kwargs, source)
        targets = (*_source_targets(source), *_targets(kwargs))
        if self.batched:
            await context.access.check(AccessRequest(self.permission, tenant, operation,
                                                     targets))
            return await next_(source, info, **kwargs)
        audit_tenant = tenant if tenant is not None and is_tenant_slug(tenant) else None
        try:
            await authorize(context, self.permission, tenant)
        except (ApiError, AccessDenied) as denial:
            await context.audit.record(context.principal, operation, Outcome.DENIED,
                                       tenant=audit_tenant, targets=targets,
                                       details={"reason": denial_reason(denial)})
            raise
        audited = root == "Mutation" or self.permission in VEHICLE_DATA
        try:
            result = await next_(source, info, **kwargs)
        except Exception as error:
            if audited:
                mapped = classify(error)
                outcome = Outcome.DENIED if isinstance(error, AccessDenied) else Outcome.FAILED
                code = Code.INTERNAL_SERVER_ERROR if mapped is None else mapped.code
                await context.audit.record(context.principal, operation, outcome,
                                           tenant=audit_tenant, targets=targets,
                                           details={"code": code.value})
            raise
        if audited:
            await context.audit.record(context.principal, operation, Outcome.OK,
                                       tenant=audit_tenant, targets=targets)
        return result

    def _tenant(self, context: RequestContext, kwargs: dict[str, Any],
                source: Any) -> str | None:
        """The tenant a tenant permission is checked in: an explicit ``tenant`` argument
        (provider staff with a support grant name it), else for a nested field the tenant its
        parent was read in, else the actor's own."""
        if self.permission in PLATFORM_PERMISSIONS:
            named = kwargs.get("tenant", kwargs.get("slug"))
            return named if isinstance(named, str) else None
        named = kwargs.get("tenant", getattr(source, "tenant_scope", None))
        if isinstance(named, str):
            return named
        return None if context.principal is None else context.principal.tenant

def _source_targets(source: Any) -> tuple[str, ...]:
    """A nested field's parent object, when it is a vehicle."""
    vin = getattr(source, "vin", None)
    return (vin,) if isinstance(vin, str) else ()


def _targets(kwargs: dict[str, Any]) -> Iterable[str]:
    for name in TARGET_ARGUMENTS:
        value = kwargs.get(name)
        if isinstance(value, list | tuple):
            yield from (str(item) for item in value)
        elif value is not None:
            yield str(value)


def requires(permission: Permission | None, **options: Any) -> Callable[[_F], _F]:
    """A query field guarded by ``permission`` (strawberry.field options pass through)."""
    return cast(Callable[[_F], _F], strawberry.field(extensions=[Requires(permission)],
                                                     **options))


def requires_mutation(permission: Permission | None, **options: Any) -> Callable[[_F], _F]:
    return cast(Callable[[_F], _F], strawberry.mutation(extensions=[Requires(permission)],
                                                        **options))


def requires_subscription(permission: Permission | None,
                          **options: Any) -> Callable[[_F], _F]:
    """A subscription, checked (and, for vehicle data, audited) when it starts."""
    return cast(Callable[[_F], _F], strawberry.subscription(extensions=[Requires(permission)],
                                                            **options))


def declared_permissions(schema: strawberry.Schema) -> dict[tuple[str, str], Requires | None]:
    """(root type, GraphQL field name) -> its Requires, None where a field declares none."""
    declared: dict[tuple[str, str], Requires | None] = {}
    for type_name in ROOT_TYPES:
        definition = schema.get_type_by_name(type_name)
        if not isinstance(definition, StrawberryObjectDefinition):
            continue
        for field in definition.fields:
            name = schema.config.name_converter.get_graphql_name(field)
            found = [ext for ext in field.extensions if isinstance(ext, Requires)]
            declared[(type_name, name)] = found[0] if len(found) == 1 else None
    return declared
