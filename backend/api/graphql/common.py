"""Types shared by the provider and tenant-admin parts: enums, pages, the signed-in principal,
and conversions from service records (records never reach the schema directly, so a column
added to a table is not published by accident)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

import strawberry

from backend.api.errors import ApiError, Code
from backend.api.graphql.context import Info
from backend.api.graphql.permissions import Requires
from backend.core.access import Permission, Role
from backend.core.storage_quota import StorageUse
from backend.services.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page
from backend.services.records import (
    ApiClientRecord,
    InvitationRecord,
    PlatformAccount,
    SupportGrantView,
    Tenant,
    UserSummary,
)

RoleName = strawberry.enum(Role, name="Role")
PermissionName = strawberry.enum(Permission, name="Permission")

T = TypeVar("T")


def checked_first(first: int) -> int:
    """The page size asked for, refused above the cap before any work is done."""
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise ApiError(Code.BAD_USER_INPUT, f"first must be between 1 and {MAX_PAGE_SIZE}",
                       {"max": MAX_PAGE_SIZE})
    return first


PAGE_DEFAULT = DEFAULT_PAGE_SIZE


@strawberry.type(name="Page")
class GraphPage(Generic[T]):
    items: list[T]
    next_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; null on the last page.")


def page(source: Page[Any], items: list[T]) -> GraphPage[T]:
    return GraphPage(items=items, next_cursor=source.next_cursor)


@strawberry.type
class Me:
    subject: str
    role: RoleName  # type: ignore[valid-type]
    tenant: str | None
    permissions: list[PermissionName]  # type: ignore[valid-type]
    email: str | None = strawberry.field(description="Null for an API client.")
    display_name: str | None = strawberry.field(description="Null for an API client.")


@strawberry.type
class Quotas:
    vehicles: int | None
    storage_gb: int | None
    api_requests_per_minute: int | None


@strawberry.type(name="TenantStorage")
class TenantStorageNode:
    used_bytes: float | None = strawberry.field(
        description="Bytes of the tenant's data (tables, TOAST, indexes) at the latest "
                    "hourly measurement; null before the first.")
    measured_at: datetime | None
    quota_gb: int | None
    percent_of_quota: float | None
    registrations_refused: bool = strawberry.field(
        description="At or over the storage quota: new vehicles are refused (storage_quota); "
                    "vehicle data is still received and kept.")


def storage_node(use: StorageUse) -> TenantStorageNode:
    percent = use.percent
    return TenantStorageNode(
        used_bytes=None if use.bytes is None else float(use.bytes), measured_at=use.measured_at,
        quota_gb=use.quota_gb, percent_of_quota=None if percent is None else round(percent, 2),
        registrations_refused=use.registrations_refused)


async def _vehicle_count(root: TenantNode, info: Info) -> int:
    return await info.context.vehicle_counts.load(root.slug)


@strawberry.type(name="Tenant")
class TenantNode:
    slug: str
    name: str
    status: str
    created_at: datetime
    quotas: Quotas
    storage: TenantStorageNode
    vehicle_count: int = strawberry.field(
        resolver=_vehicle_count, description="Registered vehicles (batched).",
        extensions=[Requires(Permission.TENANTS_READ, batched=True)])


def tenant_node(tenant: Tenant) -> TenantNode:
    def quota(name: str) -> int | None:
        value = tenant.quotas.get(name)
        return value if isinstance(value, int) else None

    return TenantNode(slug=tenant.slug, name=tenant.name, status=tenant.status,
                      created_at=tenant.created_at,
                      quotas=Quotas(vehicles=quota("vehicles"), storage_gb=quota("storage_gb"),
                                    api_requests_per_minute=quota("api_requests_per_minute")),
                      storage=storage_node(StorageUse(tenant.storage_bytes,
                                                      tenant.storage_measured_at,
                                                      quota("storage_gb"))))


@strawberry.type(name="PlatformAccount")
class PlatformAccountNode:
    id: int
    username: str
    tenant: str | None
    enabled: bool
    max_vins: int | None
    frames_per_second: float | None


def platform_account_node(account: PlatformAccount) -> PlatformAccountNode:
    return PlatformAccountNode(id=account.id, username=account.username,
                               tenant=account.tenant_slug, enabled=account.enabled,
                               max_vins=account.max_vins,
                               frames_per_second=account.frames_per_second)


@strawberry.type(name="User")
class UserNode:
    id: int
    email: str
    display_name: str
    role: RoleName  # type: ignore[valid-type]
    disabled: bool
    totp_enrolled: bool
    locked_until: datetime | None
    created_at: datetime


def user_node(user: UserSummary) -> UserNode:
    return UserNode(id=user.id, email=user.email, display_name=user.display_name,
                    role=user.role, disabled=user.disabled, totp_enrolled=user.totp_enrolled,
                    locked_until=user.locked_until, created_at=user.created_at)


@strawberry.type(name="Invitation")
class InvitationNode:
    id: int
    email: str
    role: RoleName  # type: ignore[valid-type]
    expires_at: datetime


def invitation_node(invitation: InvitationRecord) -> InvitationNode:
    return InvitationNode(id=invitation.id, email=invitation.email, role=invitation.role,
                          expires_at=invitation.expires_at)


@strawberry.type(name="ApiClient")
class ApiClientNode:
    client_id: str
    name: str
    scopes: list[str]
    enabled: bool


def api_client_node(client: ApiClientRecord) -> ApiClientNode:
    return ApiClientNode(client_id=client.client_id, name=client.name,
                         scopes=sorted(client.scopes), enabled=client.enabled)


@strawberry.type(name="SupportGrant")
class SupportGrantNode:
    id: int
    grantee_email: str | None
    granted_by_email: str | None
    reason: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


def support_grant_node(view: SupportGrantView) -> SupportGrantNode:
    grant = view.grant
    return SupportGrantNode(id=grant.id, grantee_email=view.grantee_email,
                            granted_by_email=view.granted_by_email, reason=grant.reason,
                            created_at=grant.created_at, expires_at=grant.expires_at,
                            revoked_at=grant.revoked_at)
