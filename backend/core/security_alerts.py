"""Security alert rules over recent audit entries (docs/audit.md).

- brute force: ``login_failures`` failed logins for one account, or ``ip_failures`` from one
  IP address, within ``login_window``;
- repeated denials: ``denials`` denied operations by one actor within ``denial_window``;
- cross-tenant: any entry whose actor belongs to another tenant than the one acted in, at once.

A finding lists the sequence numbers of the entries behind it, so whoever stores it can count
each entry once however often overlapping stretches of the log are evaluated.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from backend.core.audit import LOGIN_OPERATIONS, ActorKind, ChainedEntry, JsonValue, Result

_Key = TypeVar("_Key", bound=tuple[str | None, ...])


class AlertKind(enum.StrEnum):
    BRUTE_FORCE_ACCOUNT = "brute_force_account"
    BRUTE_FORCE_IP = "brute_force_ip"
    REPEATED_DENIALS = "repeated_denials"
    CROSS_TENANT = "cross_tenant"
    # Raised by the storage measurement (backend/services/storage_usage.py), not by the
    # audit rules below.
    STORAGE_QUOTA = "storage_quota"


@dataclass(frozen=True, slots=True)
class AlertThresholds:
    login_failures: int = 10
    ip_failures: int = 30  # one office NAT carries many people's typos
    login_window: timedelta = timedelta(minutes=10)
    denials: int = 20
    denial_window: timedelta = timedelta(minutes=10)

    @property
    def lookback(self) -> timedelta:
        """How far back an evaluation must read to see every window that ends now."""
        return max(self.login_window, self.denial_window)


@dataclass(frozen=True, slots=True)
class Finding:
    kind: AlertKind
    tenant: str | None
    subject: str
    first_seen: datetime
    last_seen: datetime
    seqs: tuple[int, ...]
    details: dict[str, JsonValue]


_FAILED = frozenset({Result.FAILED, Result.DENIED})


def _is_failed_login(row: ChainedEntry) -> bool:
    return row.entry.operation in LOGIN_OPERATIONS and row.entry.result in _FAILED


def _bursts(rows: Sequence[ChainedEntry], threshold: int,
            window: timedelta) -> list[ChainedEntry]:
    """The rows (in time order) that lie in some window holding at least ``threshold`` rows."""
    ordered = sorted(rows, key=lambda row: (row.entry.at, row.seq))
    hit: set[int] = set()
    start = 0
    for end, row in enumerate(ordered):
        while row.entry.at - ordered[start].entry.at > window:
            start += 1
        if end - start + 1 >= threshold:
            hit.update(range(start, end + 1))
    return [ordered[index] for index in sorted(hit)]


def _grouped(rows: Iterable[ChainedEntry], key: Callable[[ChainedEntry], _Key | None],
             ) -> list[tuple[_Key, list[ChainedEntry]]]:
    """Groups in a stable order (by key), so the findings come out the same every time."""
    groups: dict[_Key, list[ChainedEntry]] = defaultdict(list)
    for row in rows:
        value = key(row)
        if value is not None:
            groups[value].append(row)
    return sorted(groups.items(), key=lambda item: tuple(part or "" for part in item[0]))


def _actor(row: ChainedEntry) -> tuple[str, str | None]:
    # Anonymous callers all look alike ("-" or a claimed name): their address tells them apart.
    if row.entry.actor_kind is ActorKind.ANONYMOUS:
        return f"anonymous@{row.entry.ip or '-'}", None
    return row.entry.actor_id, row.entry.actor_tenant


def _names(values: Iterable[str | None]) -> list[JsonValue]:
    # Bounded: an alert names a sample of what it saw, its count says how much there was.
    return list(sorted({value for value in values if value})[:50])


def _finding(kind: AlertKind, tenant: str | None, subject: str, rows: list[ChainedEntry],
             details: dict[str, JsonValue]) -> Finding:
    return Finding(kind, tenant, subject, rows[0].entry.at, rows[-1].entry.at,
                   tuple(sorted(row.seq for row in rows)), details)


def evaluate(rows: Iterable[ChainedEntry], thresholds: AlertThresholds) -> list[Finding]:
    """Findings over ``rows`` (any order, any span): the rules look only at the entries."""
    rows = list(rows)
    findings: list[Finding] = []
    failed_logins = [row for row in rows if _is_failed_login(row)]

    by_account = _grouped(failed_logins, lambda row: (row.entry.actor_id, row.entry.tenant))
    for (account, tenant), group in by_account:
        burst = _bursts(group, thresholds.login_failures, thresholds.login_window)
        if burst:
            findings.append(_finding(AlertKind.BRUTE_FORCE_ACCOUNT, tenant, account, burst,
                                     {"ips": _names(r.entry.ip for r in burst)}))

    by_ip = _grouped(failed_logins, lambda row: None if row.entry.ip is None else (row.entry.ip,))
    for (ip,), group in by_ip:
        burst = _bursts(group, thresholds.ip_failures, thresholds.login_window)
        if burst:
            findings.append(_finding(AlertKind.BRUTE_FORCE_IP, None, f"ip:{ip}", burst,
                                     {"accounts": _names(r.entry.actor_id for r in burst)}))

    denied = [row for row in rows if row.entry.result is Result.DENIED
              and not _is_failed_login(row)]
    for (actor, actor_tenant), group in _grouped(denied, _actor):
        burst = _bursts(group, thresholds.denials, thresholds.denial_window)
        if burst:
            findings.append(_finding(AlertKind.REPEATED_DENIALS, actor_tenant, actor, burst,
                                     {"operations": _names(r.entry.operation for r in burst)}))

    crossing = _grouped((row for row in rows if row.entry.cross_tenant), _actor)
    for (actor, actor_tenant), group in crossing:
        group.sort(key=lambda row: (row.entry.at, row.seq))
        findings.append(_finding(AlertKind.CROSS_TENANT, actor_tenant, actor, group,
                                 {"target_tenants": _names(r.entry.tenant for r in group)}))
    return findings
