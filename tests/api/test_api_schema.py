"""The schema as a contract: the checked-in SDL is current, every root field and every nested
field with a resolver declares its permission, and every typed error of the layers below has
an API code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from strawberry.types.base import StrawberryObjectDefinition

import backend
from backend.api.cli import schema_sdl
from backend.api.errors import classify
from backend.api.graphql.permissions import Requires, declared_permissions
from backend.api.graphql.schema import build_schema
from backend.core.access import AccessDenied, Permission
from backend.services.auth_errors import AccountLocked
from backend.services.ratelimits import RateLimited

REPO = Path(__file__).resolve().parents[2]
# Errors that are never an answer to an API caller: operator and deployment problems.
INTERNAL_ONLY = {"storage.error", "storage.migration_file", "storage.migration_checksum_mismatch",
                 "storage.migration_unknown", "storage.nested_transaction", "service.error",
                 "access.error", "settings.error", "settings.missing", "settings.invalid",
                 "settings.env_file", "audit.invalid_entry", "data.error",
                 # A missing or wrong key-encryption key, or a tampered row: the operator's
                 # problem; the caller gets the masked internal error with the request id.
                 "secrets.error", "secrets.keyring_invalid", "secrets.keyring_missing",
                 "secrets.unknown_key", "secrets.unreadable"}
# Errors whose constructors need their own arguments.
SAMPLES: dict[str, Exception] = {
    "AccessDenied": AccessDenied(Permission.USERS_READ, "role lacks the permission"),
    "AccountLocked": AccountLocked(datetime(2030, 1, 1, tzinfo=UTC)),
    "RateLimited": RateLimited("tenant_requests_per_minute", 600, 12),
}


def test_checked_in_schema_is_current() -> None:
    checked_in = (REPO / "frontend" / "schema.graphql").read_text(encoding="utf-8")
    assert checked_in == schema_sdl(), \
        "frontend/schema.graphql is stale: run `nevguard schema-export --output " \
        "frontend/schema.graphql`"


def test_every_root_field_declares_its_permission() -> None:
    declared = declared_permissions(build_schema(production=False))
    assert declared, "no root fields found"
    missing = sorted(f"{kind}.{name}" for (kind, name), found in declared.items() if found is None)
    assert not missing, f"fields without @requires: {missing}"


def test_every_nested_field_that_reads_declares_its_permission() -> None:
    """A field with a resolver of its own reads more than its parent (a model, a latest
    state, a count, a history): it declares the permission that read needs."""
    schema = build_schema(production=False)
    missing = []
    for type_name in sorted(schema._schema.type_map):
        definition = schema.get_type_by_name(type_name)
        if type_name in {"Query", "Mutation", "Subscription"} or \
                not isinstance(definition, StrawberryObjectDefinition):
            continue
        for field in definition.fields:
            declared = [ext for ext in field.extensions if isinstance(ext, Requires)]
            if field.base_resolver is not None and len(declared) != 1:
                missing.append(f"{type_name}.{field.python_name}")
    assert not missing, f"nested resolvers without a declared permission: {missing}"


def _error_classes() -> list[type[Exception]]:
    """Every exception class with a ``code`` in the core, services and storage packages."""
    found: dict[str, type[Exception]] = {}
    for package in ("backend.core", "backend.services", "backend.storage"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            module = importlib.import_module(info.name)
            for _, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, Exception) and isinstance(getattr(value, "code", None), str) \
                        and value.__module__.startswith(backend.__name__):
                    found[f"{value.__module__}.{value.__qualname__}"] = value
    return list(found.values())


@pytest.mark.parametrize("error_class", _error_classes(), ids=lambda cls: cls.__qualname__)
def test_every_typed_error_has_an_api_code(error_class: type[Exception]) -> None:
    code = error_class.code  # type: ignore[attr-defined]
    if code in INTERNAL_ONLY:
        return
    instance = SAMPLES.get(error_class.__name__)
    if instance is None:
        instance = error_class.__new__(error_class)
        Exception.__init__(instance, "probe")
    assert classify(instance) is not None, f"{code} has no API code: add it to errors.py"
