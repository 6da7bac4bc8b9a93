"""The security alert rules as tables: which stretches of the log raise which alert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.core.audit import ActorKind, AuditEntry, ChainedEntry, Result
from backend.core.security_alerts import AlertKind, AlertThresholds, evaluate
from backend.settings import InvalidSetting, load_settings

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LIMITS = AlertThresholds(login_failures=3, ip_failures=4, login_window=timedelta(minutes=5),
                         denials=3, denial_window=timedelta(minutes=5))


def login(account: str, minute: float, *, ip: str = "192.0.2.1",
          result: Result = Result.FAILED) -> AuditEntry:
    return AuditEntry(at=T0 + timedelta(minutes=minute), actor_kind=ActorKind.ANONYMOUS,
                      actor_id=account, operation="auth.login", result=result, ip=ip)


def act(actor: str, minute: float, *, result: Result = Result.DENIED, tenant: str = "acme",
        actor_tenant: str | None = "acme", kind: ActorKind = ActorKind.USER,
        ip: str = "192.0.2.9") -> AuditEntry:
    return AuditEntry(at=T0 + timedelta(minutes=minute), actor_kind=kind, actor_id=actor,
                      operation="vehicle.read", result=result, actor_tenant=actor_tenant,
                      role="viewer", tenant=tenant, ip=ip)


def rows(*entries: AuditEntry) -> list[ChainedEntry]:
    return [ChainedEntry(seq, entry, b"", b"") for seq, entry in enumerate(entries, start=1)]


def kinds(*entries: AuditEntry) -> list[tuple[AlertKind, str | None, str, tuple[int, ...]]]:
    return [(f.kind, f.tenant, f.subject, f.seqs) for f in evaluate(rows(*entries), LIMITS)]


BF, BIP, DEN, XT = (AlertKind.BRUTE_FORCE_ACCOUNT, AlertKind.BRUTE_FORCE_IP,
                    AlertKind.REPEATED_DENIALS, AlertKind.CROSS_TENANT)


@pytest.mark.parametrize(("entries", "expected"), [
    # Three failures for one account inside five minutes.
    ([login("a@x", 0), login("a@x", 2), login("a@x", 4)], [(BF, None, "a@x", (1, 2, 3))]),
    # Spread wider than the window: nothing.
    ([login("a@x", 0), login("a@x", 3), login("a@x", 6)], []),
    # Successes do not count.
    ([login("a@x", 0), login("a@x", 1, result=Result.OK), login("a@x", 2)], []),
    # Only the failures inside a qualifying window are named.
    ([login("a@x", 0), login("a@x", 10), login("a@x", 11), login("a@x", 12)],
     [(BF, None, "a@x", (2, 3, 4))]),
    # Different accounts from one IP: no account alert, an IP alert at four.
    ([login(f"u{n}@x", n) for n in range(4)], [(BIP, None, "ip:192.0.2.1", (1, 2, 3, 4))]),
    # Four accounts from four IPs: nothing.
    ([login(f"u{n}@x", n, ip=f"192.0.2.{n + 10}") for n in range(4)], []),
    # Denied API client-credential grants count as failed logins.
    ([AuditEntry(at=T0 + timedelta(minutes=n), actor_kind=ActorKind.ANONYMOUS,
                 actor_id="client-7", operation="auth.client_credentials",
                 result=Result.DENIED) for n in range(3)], [(BF, None, "client-7", (1, 2, 3))]),
])
def test_brute_force(entries: list[AuditEntry],
                     expected: list[tuple[AlertKind, str | None, str, tuple[int, ...]]]) -> None:
    assert kinds(*entries) == expected


@pytest.mark.parametrize(("entries", "expected"), [
    ([act("user:1", 0), act("user:1", 1), act("user:1", 2)],
     [(DEN, "acme", "user:1", (1, 2, 3))]),
    ([act("user:1", 0), act("user:2", 1), act("user:1", 2)], []),
    ([act("user:1", 0), act("user:1", 1, result=Result.OK), act("user:1", 2)], []),
    ([act("user:1", 0), act("user:1", 4), act("user:1", 9)], []),
    # Anonymous callers are told apart by address, not lumped under one name.
    ([act("-", n, kind=ActorKind.ANONYMOUS, actor_tenant=None, ip=f"198.51.100.{n}")
      for n in range(3)], []),
    ([act("-", n, kind=ActorKind.ANONYMOUS, actor_tenant=None) for n in range(3)],
     [(DEN, None, "anonymous@192.0.2.9", (1, 2, 3))]),
])
def test_repeated_denials(entries: list[AuditEntry],
                          expected: list[tuple[AlertKind, str | None, str, tuple[int, ...]]]
                          ) -> None:
    assert kinds(*entries) == expected


@pytest.mark.parametrize(("entries", "expected"), [
    # One attempt is enough, allowed or not.
    ([act("user:1", 0, tenant="bolt")], [(XT, "acme", "user:1", (1,))]),
    ([act("user:1", 0, tenant="bolt", result=Result.OK)], [(XT, "acme", "user:1", (1,))]),
    # Provider staff (no tenant of their own) under a support grant: not cross-tenant.
    ([act("user:9", 0, tenant="bolt", actor_tenant=None)], []),
    ([act("user:1", 0)], []),
])
def test_cross_tenant(entries: list[AuditEntry],
                      expected: list[tuple[AlertKind, str | None, str, tuple[int, ...]]]) -> None:
    assert kinds(*entries) == expected


def test_one_stretch_can_raise_several_alerts() -> None:
    findings = evaluate(rows(*[act("user:1", n, tenant="bolt") for n in range(3)]), LIMITS)
    assert sorted(f.kind for f in findings) == [XT, DEN]
    cross = next(f for f in findings if f.kind is XT)
    assert cross.details == {"target_tenants": ["bolt"]}
    assert (cross.first_seen, cross.last_seen) == (T0, T0 + timedelta(minutes=2))


def test_input_order_does_not_matter() -> None:
    entries = rows(login("a@x", 2), login("a@x", 0), login("a@x", 1))
    assert evaluate(entries, LIMITS) == evaluate(list(reversed(entries)), LIMITS)


SERVICES = {"DATABASE_URL": "postgresql://u:p@h/db", "REDIS_URL": "redis://h",
            "S3_ENDPOINT": "h:9000", "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "s"}


def test_thresholds_and_retention_come_from_the_environment() -> None:
    defaults = load_settings(SERVICES, env_file=None).audit
    assert defaults.retention == timedelta(days=365) and defaults.alerts == AlertThresholds()
    custom = load_settings({**SERVICES, "NEVGUARD_AUDIT_RETENTION_DAYS": "180",
                            "NEVGUARD_ALERT_LOGIN_FAILURES": "5",
                            "NEVGUARD_ALERT_DENIAL_WINDOW_SECONDS": "60"}, env_file=None).audit
    assert custom.retention == timedelta(days=180)
    assert (custom.alerts.login_failures, custom.alerts.denial_window) == (5, timedelta(minutes=1))


@pytest.mark.parametrize(("key", "value"), [
    ("NEVGUARD_AUDIT_RETENTION_DAYS", "179"),
    ("NEVGUARD_AUDIT_RETENTION_DAYS", "a year"),
    ("NEVGUARD_ALERT_IP_FAILURES", "0"),
    ("NEVGUARD_ALERT_LOGIN_WINDOW_SECONDS", "-5"),
])
def test_bad_audit_settings_are_refused(key: str, value: str) -> None:
    with pytest.raises(InvalidSetting) as raised:
        load_settings({**SERVICES, key: value}, env_file=None)
    assert raised.value.key == key
