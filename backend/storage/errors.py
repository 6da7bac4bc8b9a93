"""Typed storage errors with stable codes (callers match on the class or on ``code``)."""

from __future__ import annotations

from typing import ClassVar


class StorageError(Exception):
    code: ClassVar[str] = "storage.error"

    def __init__(self, detail: str) -> None:
        super().__init__(f"{self.code}: {detail}")
        self.detail = detail


class MigrationFileError(StorageError):
    """A migrations directory holds a file that is not ``NNNN_name.sql`` or repeats a version."""

    code = "storage.migration_file"


class MigrationChecksumMismatch(StorageError):
    """An applied migration's file changed afterwards: applied files are immutable, write a new
    migration instead."""

    code = "storage.migration_checksum_mismatch"

    def __init__(self, schema: str, version: int, name: str) -> None:
        super().__init__(f"{schema}: migration {version:04d}_{name} changed after it was applied")
        self.schema = schema
        self.version = version


class MigrationUnknown(StorageError):
    """The database has a migration this code does not know (the code is older than the
    schema); running older code against it is refused."""

    code = "storage.migration_unknown"

    def __init__(self, schema: str, version: int) -> None:
        super().__init__(f"{schema}: applied migration {version:04d} is not in this release")
        self.schema = schema
        self.version = version


class NestedTransaction(StorageError):
    """A tenant or migration transaction was asked for on a connection already inside one;
    its transaction-local settings would leak into, or be undone by, the outer one."""

    code = "storage.nested_transaction"


class UnknownTenant(StorageError):
    code = "storage.unknown_tenant"

    def __init__(self, slug: str) -> None:
        super().__init__(f"no tenant {slug!r}")
        self.slug = slug


class InvalidRegistryValue(StorageError):
    """A VIN, username, password or key that the registry refuses before touching the table."""

    code = "storage.invalid_registry_value"


class InvalidAuditQuery(StorageError):
    """An audit read or append the log refuses (page size, range, a missing chain head)."""

    code = "audit.invalid_query"


class AuditRetentionRefused(StorageError):
    """A prune that would cut into the retention period or destroy evidence of tampering."""

    code = "audit.retention_refused"
