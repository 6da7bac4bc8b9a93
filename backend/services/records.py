"""The records the use cases return, in one place for the transport (which may not import
the storage layer that defines them)."""

from backend.services.directory import SupportGrantView
from backend.services.paging import Page
from backend.services.tenants import PlatformOverview
from backend.storage.identity.clients import ApiClientRecord
from backend.storage.identity.directory import UserSummary
from backend.storage.identity.users import InvitationRecord
from backend.storage.registry import PlatformAccount
from backend.storage.tenants import Tenant

__all__ = [
    "ApiClientRecord",
    "InvitationRecord",
    "Page",
    "PlatformAccount",
    "PlatformOverview",
    "SupportGrantView",
    "Tenant",
    "UserSummary",
]
