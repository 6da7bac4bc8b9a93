"""The audit entry, its canonical bytes and the hash chain (docs/audit.md).

Entry ``n`` of the platform's one chain stores ``hash = sha256(prev_hash || canonical)`` where
``prev_hash`` is the hash of entry ``n - 1`` (32 zero bytes before the first entry) and
``canonical`` is the deterministic JSON of the entry *including its sequence number*, so a row
moved to another position no longer matches its own hash. Editing any field breaks that row's
hash; deleting, inserting or reordering rows breaks the link or the numbering of the next row.

Every value must survive a round trip through PostgreSQL unchanged, or verification would
report tampering that never happened: times are whole microseconds in UTC, IP addresses are
kept in Python's normal form (asyncpg reads ``inet`` back as ``ipaddress`` objects), and
``details`` may hold strings, integers, booleans, null, lists and objects but no floats
(``jsonb`` rewrites their text form) and no NUL characters (``jsonb`` and ``text`` refuse them).
"""

from __future__ import annotations

import enum
import hashlib
import ipaddress
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import ClassVar, Final, TypeAlias

from backend.core.tenancy import is_tenant_slug

GENESIS_HASH: Final = bytes(32)
FORMAT_VERSION: Final = 1
MAX_TEXT: Final = 1024
MAX_TARGETS: Final = 100
MAX_DETAILS_BYTES: Final = 16384
# The floor under any retention; migration 0005 repeats it (audit_min_retention()).
MIN_RETENTION: Final = timedelta(days=180)

JsonValue: TypeAlias = "str | int | bool | list[JsonValue] | dict[str, JsonValue] | None"


class ActorKind(enum.StrEnum):
    USER = "user"
    CLIENT = "client"  # an OEM system's API client
    SYSTEM = "system"  # workers, the CLI, scheduled jobs
    VEHICLE_GATEWAY = "vehicle-gateway"
    # Not authenticated (yet): a failed login names the account it claimed as actor_id.
    ANONYMOUS = "anonymous"


class Result(enum.StrEnum):
    ALLOWED = "allowed"  # an access decision that let the actor through
    DENIED = "denied"  # refused by a permission or tenant check
    FAILED = "failed"  # attempted and did not succeed (wrong password, invalid input)
    OK = "ok"  # done


# Operation names other modules and the alert rules agree on.
LOGIN_OPERATIONS: Final = frozenset({"auth.login", "auth.client_credentials"})
PRUNE_OPERATION: Final = "audit.prune"


class InvalidAuditEntry(ValueError):
    code: ClassVar[str] = "audit.invalid_entry"

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"{self.code}: {field_name}: {reason}")
        self.field_name = field_name
        self.reason = reason


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """What happened, who did it, where, and to what.

    ``actor_tenant`` is the actor's own tenant (None for provider staff, systems and the
    gateway); ``tenant`` is the tenant the operation acted in or aimed at (None for platform
    operations). They differ exactly when an actor reaches outside its tenant.
    """

    at: datetime
    actor_kind: ActorKind
    actor_id: str
    operation: str
    result: Result
    actor_tenant: str | None = None
    role: str | None = None
    tenant: str | None = None
    targets: tuple[str, ...] = ()
    ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None
    details: Mapping[str, JsonValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise InvalidAuditEntry("at", "needs a time zone")
        object.__setattr__(self, "at", self.at.astimezone(UTC))
        object.__setattr__(self, "actor_kind", ActorKind(self.actor_kind))
        object.__setattr__(self, "result", Result(self.result))
        object.__setattr__(self, "targets", tuple(self.targets))
        object.__setattr__(self, "ip", normalize_ip(self.ip))
        for name in ("actor_id", "operation"):
            if not getattr(self, name):
                raise InvalidAuditEntry(name, "must not be empty")
        for name in ("actor_id", "operation", "role", "user_agent", "request_id"):
            _check_text(name, getattr(self, name))
        for name in ("actor_tenant", "tenant"):
            value = getattr(self, name)
            if value is not None and not is_tenant_slug(value):
                raise InvalidAuditEntry(name, "not a tenant slug")
        if len(self.targets) > MAX_TARGETS:
            raise InvalidAuditEntry("targets", f"at most {MAX_TARGETS}")
        for target in self.targets:
            _check_text("targets", target)
        details = dict(self.details)
        _check_json("details", details)
        if len(_dumps(details)) > MAX_DETAILS_BYTES:
            raise InvalidAuditEntry("details", f"at most {MAX_DETAILS_BYTES} bytes of JSON")
        object.__setattr__(self, "details", details)

    @property
    def cross_tenant(self) -> bool:
        return (self.actor_tenant is not None and self.tenant is not None
                and self.actor_tenant != self.tenant)

    @property
    def visible_to(self) -> str | None:
        """The tenant whose admins may read this entry: the actor's own tenant, else the tenant
        acted in (provider staff with a support grant, the gateway). An actor of another tenant
        probing this one is not shown to it, which would leak that tenant's user ids; the
        provider sees every entry and the cross-tenant alert."""
        return self.actor_tenant if self.actor_tenant is not None else self.tenant


@dataclass(frozen=True, slots=True)
class ChainedEntry:
    seq: int
    entry: AuditEntry
    prev_hash: bytes
    hash: bytes


def normalize_ip(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        raise InvalidAuditEntry("ip", "not an IP address") from None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id is not None:
        raise InvalidAuditEntry("ip", "zone ids are not stored")  # inet has no zone
    return str(address)


def _check_text(name: str, value: str | None) -> None:
    if value is None:
        return
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise InvalidAuditEntry(name, f"text of at most {MAX_TEXT} characters")
    _check_string(name, value)


def _check_string(name: str, value: str) -> None:
    if "\x00" in value:
        raise InvalidAuditEntry(name, "NUL characters cannot be stored")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidAuditEntry(name, "not encodable as UTF-8") from None


def _check_json(name: str, value: object) -> None:
    # bool is an int subclass and allowed; float is refused (its jsonb text form changes).
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str):
        _check_string(name, value)
    elif isinstance(value, list):
        for item in value:
            _check_json(name, item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidAuditEntry(name, "object keys must be strings")
            _check_string(name, key)
            _check_json(name, item)
    else:
        raise InvalidAuditEntry(name, f"{type(value).__name__} is not allowed in details")


def _dumps(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def format_time(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_bytes(seq: int, entry: AuditEntry) -> bytes:
    """Deterministic JSON: sorted keys, no spaces, UTF-8, UTC times with microseconds."""
    return _dumps({
        "v": FORMAT_VERSION,
        "seq": seq,
        "at": format_time(entry.at),
        "actor_kind": entry.actor_kind.value,
        "actor_id": entry.actor_id,
        "actor_tenant": entry.actor_tenant,
        "role": entry.role,
        "tenant": entry.tenant,
        "operation": entry.operation,
        "targets": list(entry.targets),
        "result": entry.result.value,
        "ip": entry.ip,
        "user_agent": entry.user_agent,
        "request_id": entry.request_id,
        "details": entry.details,
    })


def chain_hash(prev_hash: bytes, seq: int, entry: AuditEntry) -> bytes:
    return hashlib.sha256(prev_hash + canonical_bytes(seq, entry)).digest()


def chain(entries: Iterable[AuditEntry], *, after_seq: int = 0,
          prev_hash: bytes = GENESIS_HASH) -> list[ChainedEntry]:
    """Number and link ``entries`` after the chain head ``(after_seq, prev_hash)``."""
    chained: list[ChainedEntry] = []
    for seq, entry in enumerate(entries, start=after_seq + 1):
        digest = chain_hash(prev_hash, seq, entry)
        chained.append(ChainedEntry(seq, entry, prev_hash, digest))
        prev_hash = digest
    return chained


class BreakReason(enum.StrEnum):
    SEQUENCE = "sequence"  # a number is missing or out of order: rows deleted, inserted, moved
    LINK = "link"  # prev_hash is not the previous row's hash: a row before it went or came
    CONTENT = "content"  # the row no longer hashes to its stored hash: it was edited
    HEAD = "head"  # the newest row is not the recorded chain head: rows at the end went


@dataclass(frozen=True, slots=True)
class ChainBreak:
    seq: int
    reason: BreakReason
    message: str


class ChainVerifier:
    """Checks rows one at a time, so a chain of any length streams through in chunks. It
    reports the first break only: after it, every later row is suspect anyway."""

    def __init__(self, *, after_seq: int = 0, prev_hash: bytes = GENESIS_HASH) -> None:
        self.last_seq = after_seq
        self.last_hash = prev_hash
        self.checked = 0
        self.broken: ChainBreak | None = None

    def feed(self, row: ChainedEntry) -> ChainBreak | None:
        if self.broken is not None:
            return self.broken
        expected = self.last_seq + 1
        if row.seq != expected:
            # A gap names the first missing number; a repeat or step back names the row.
            self.broken = ChainBreak(min(row.seq, expected), BreakReason.SEQUENCE,
                                     f"expected entry {expected} here, found {row.seq}")
        elif row.prev_hash != self.last_hash:
            self.broken = ChainBreak(row.seq, BreakReason.LINK,
                                     f"prev_hash is not the hash of entry {self.last_seq}")
        elif chain_hash(row.prev_hash, row.seq, row.entry) != row.hash:
            self.broken = ChainBreak(row.seq, BreakReason.CONTENT,
                                     "the entry does not match its stored hash")
        else:
            self.last_seq, self.last_hash = row.seq, row.hash
            self.checked += 1
        return self.broken

    def finish(self, head_seq: int, head_hash: bytes) -> ChainBreak | None:
        """Compare the last row seen with the recorded head (full verification only)."""
        if self.broken is None and (self.last_seq, self.last_hash) != (head_seq, head_hash):
            self.broken = ChainBreak(self.last_seq + 1, BreakReason.HEAD,
                                     f"the chain head is entry {head_seq} but the rows end at "
                                     f"{self.last_seq} or differ from it")
        return self.broken


def verify_chain(rows: Sequence[ChainedEntry] | Iterable[ChainedEntry], *, after_seq: int = 0,
                 prev_hash: bytes = GENESIS_HASH) -> ChainBreak | None:
    """The first break in ``rows`` (which must continue ``(after_seq, prev_hash)``), or None."""
    verifier = ChainVerifier(after_seq=after_seq, prev_hash=prev_hash)
    for row in rows:
        if verifier.feed(row) is not None:
            break
    return verifier.broken
