from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.tenancy import InvalidTenantSlug, is_tenant_slug, tenant_schema


@pytest.mark.parametrize(
    ("slug", "schema"),
    [
        ("acme", "t_acme"),
        ("ab", "t_ab"),
        ("byd_2", "t_byd_2"),
        ("a" * 40, "t_" + "a" * 40),
        ("x_", "t_x_"),
    ],
)
def test_schema_is_prefixed_slug(slug: str, schema: str) -> None:
    assert tenant_schema(slug) == schema


@pytest.mark.parametrize(
    "slug",
    [
        "",
        "a",  # too short: at least two characters
        "a" * 41,  # too long
        "Acme",  # upper case would need quoting
        "1acme",  # must start with a letter
        "_acme",
        "ac-me",
        "ac me",
        "acme\n",  # `$` in a regex would let this through
        "acme;drop",
        "ac\u00e9me",  # non-ASCII letter
        "ac\u0661",  # non-ASCII digit (str.isdigit would accept it)
    ],
)
def test_invalid_slugs_are_refused(slug: str) -> None:
    assert not is_tenant_slug(slug)
    with pytest.raises(InvalidTenantSlug) as caught:
        tenant_schema(slug)
    assert caught.value.code == "tenant.invalid_slug"
    assert caught.value.slug == slug


def test_non_string_is_refused() -> None:
    assert not is_tenant_slug(None)
    with pytest.raises(InvalidTenantSlug):
        tenant_schema(42)  # type: ignore[arg-type]


@given(st.from_regex(r"[a-z][a-z0-9_]{1,39}", fullmatch=True))
def test_every_valid_slug_gives_a_plain_identifier(slug: str) -> None:
    schema = tenant_schema(slug)
    assert schema == "t_" + slug
    assert len(schema.encode()) <= 63
    # A plain identifier: PostgreSQL would not need to quote it.
    assert schema.isascii() and schema.islower() and schema.replace("_", "").isalnum()
