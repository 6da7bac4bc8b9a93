"""Tenant naming: the one place where a tenant slug becomes a PostgreSQL schema name.

Every tenant (one vehicle manufacturer) owns the schema ``t_<slug>``. The slug is restricted so
the schema name is a plain lower-case identifier: it never needs quoting, cannot collide with
the shared ``nevguard`` schema or PostgreSQL's own ``pg_*`` schemas, and stays far below the
63-byte identifier limit.
"""

from __future__ import annotations

import re
from typing import ClassVar, Final

TENANT_SLUG: Final = re.compile(r"[a-z][a-z0-9_]{1,39}")
TENANT_SCHEMA_PREFIX: Final = "t_"


class InvalidTenantSlug(ValueError):
    """A tenant slug outside ``[a-z][a-z0-9_]{1,39}``; the message repeats the slug's repr."""

    code: ClassVar[str] = "tenant.invalid_slug"

    def __init__(self, slug: object) -> None:
        super().__init__(f"{self.code}: {slug!r} is not [a-z][a-z0-9_]{{1,39}}")
        self.slug = slug


def is_tenant_slug(slug: object) -> bool:
    # fullmatch, not `$`: `$` would also accept a trailing newline.
    return isinstance(slug, str) and TENANT_SLUG.fullmatch(slug) is not None


def tenant_schema(slug: str) -> str:
    """The schema that holds the tenant's tables, e.g. ``acme`` -> ``t_acme``."""
    if not is_tenant_slug(slug):
        raise InvalidTenantSlug(slug)
    return TENANT_SCHEMA_PREFIX + slug
