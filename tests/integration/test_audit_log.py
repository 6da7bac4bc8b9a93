"""The audit log on the real PostgreSQL: append, verify, tampering found at the exact entry,
the append-only trigger, one chain under concurrent appenders, tenant views, pruning."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from backend.core.audit import BreakReason, Result
from backend.storage import audit, audit_retention
from backend.storage.audit import ALL_TENANTS, AuditFilter
from backend.storage.db import connect
from backend.storage.errors import AuditRetentionRefused, InvalidAuditQuery
from tests.integration.audit_support import make_entry, own_database

pytestmark = pytest.mark.services


async def test_appended_entries_read_back_and_verify(test_database_url: str) -> None:
    async with own_database(test_database_url) as (_, conn):
        first = await audit.append(conn, make_entry(ip="2001:db8::1", note="ünïcode ✓"))
        batch = await audit.append_many(conn, [make_entry(f"user:{n}") for n in range(5)])
        assert first.seq == 1 and [item.seq for item in batch] == [2, 3, 4, 5, 6]
        page = await audit.query(conn, ALL_TENANTS, AuditFilter(), limit=10)
        assert [item.entry for item in reversed(page.entries)] == [
            first.entry, *(item.entry for item in batch)]
        report = await audit_retention.verify(conn)
        assert report.ok and (report.checked, report.head_seq) == (6, 6)
        assert report.head_hash == batch[-1].hash


async def _tampered(conn: asyncpg.Connection, statement: str) -> None:
    # The table owner can switch the guard off; the chain is what must still tell.
    await conn.execute("ALTER TABLE nevguard.audit_log DISABLE TRIGGER audit_log_append_only")
    await conn.execute(statement)
    await conn.execute("ALTER TABLE nevguard.audit_log ENABLE TRIGGER audit_log_append_only")


@pytest.mark.parametrize(("statement", "seq", "reason"), [
    ("UPDATE nevguard.audit_log SET result = 'ok' WHERE seq = 4", 4, BreakReason.CONTENT),
    ("UPDATE nevguard.audit_log SET details = '{\"n\": 1}' WHERE seq = 2", 2,
     BreakReason.CONTENT),
    ("UPDATE nevguard.audit_log SET at = at - interval '1 microsecond' WHERE seq = 7", 7,
     BreakReason.CONTENT),
    ("DELETE FROM nevguard.audit_log WHERE seq = 3", 3, BreakReason.SEQUENCE),
    ("DELETE FROM nevguard.audit_log WHERE seq >= 7", 7, BreakReason.SEQUENCE),
    ("UPDATE nevguard.audit_log SET seq = seq + 100 WHERE seq = 5", 5, BreakReason.SEQUENCE),
])
async def test_tampering_is_found_at_the_entry(test_database_url: str, statement: str, seq: int,
                                               reason: BreakReason) -> None:
    async with own_database(test_database_url) as (_, conn):
        await audit.append_many(conn, [make_entry(result=Result.DENIED) for _ in range(8)])
        await _tampered(conn, statement)
        report = await audit_retention.verify(conn, chunk=3)
        assert report.broken is not None
        assert (report.broken.seq, report.broken.reason) == (seq, reason)


async def test_a_verified_range_stops_where_asked(test_database_url: str) -> None:
    async with own_database(test_database_url) as (_, conn):
        await audit.append_many(conn, [make_entry() for _ in range(10)])
        await _tampered(conn, "UPDATE nevguard.audit_log SET actor_id = 'x' WHERE seq = 8")
        assert (await audit_retention.verify(conn, from_seq=2, to_seq=7)).ok
        report = await audit_retention.verify(conn, from_seq=5)
        assert report.broken is not None and report.broken.seq == 8
        with pytest.raises(InvalidAuditQuery):
            await audit_retention.verify(conn, from_seq=5, to_seq=4)


async def test_updates_deletes_and_truncates_are_refused(test_database_url: str) -> None:
    async with own_database(test_database_url) as (_, conn):
        await audit.append(conn, make_entry())
        for statement in ("UPDATE nevguard.audit_log SET result = 'ok'",
                          "DELETE FROM nevguard.audit_log",
                          "TRUNCATE nevguard.audit_log",
                          "INSERT INTO nevguard.audit_checkpoints (seq, hash, pruned_before, "
                          "deleted) VALUES (1, decode(repeat('00', 32), 'hex'), now(), 0);"
                          "DELETE FROM nevguard.audit_checkpoints"):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(statement)
        # The retention function's own switch does not free young rows either.
        async with conn.transaction():
            await conn.execute("SELECT set_config('nevguard.audit_prune_through', '1', true)")
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute("DELETE FROM nevguard.audit_log")
        assert (await audit_retention.verify(conn)).ok


async def test_concurrent_appenders_keep_one_chain(test_database_url: str) -> None:
    async with own_database(test_database_url) as (dsn, conn):
        async def appender(number: int) -> None:
            own = await connect(dsn)
            try:
                for round_ in range(20):
                    if round_ % 2:
                        await audit.append(own, make_entry(f"user:{number}"))
                    else:
                        await audit.append_many(own, [make_entry(f"user:{number}")] * 3)
            finally:
                await own.close()

        await asyncio.gather(*(appender(number) for number in range(6)))
        report = await audit_retention.verify(conn)
        assert report.ok and report.checked == report.head_seq == 6 * (10 + 10 * 3)


async def test_batches_append_thousands_per_second(test_database_url: str) -> None:
    async with own_database(test_database_url) as (_, conn):
        entries = [make_entry(f"user:{n % 50}", n=n) for n in range(20_000)]
        started = time.perf_counter()
        for start in range(0, len(entries), 1000):
            await audit.append_many(conn, entries[start:start + 1000])
        rate = len(entries) / (time.perf_counter() - started)
        print(f"audit batch append: {rate:,.0f} entries/s")  # shown with -s
        assert rate > 2000
        assert (await audit_retention.verify(conn)).ok


async def test_tenants_see_only_their_own_entries(test_database_url: str) -> None:
    async with own_database(test_database_url) as (_, conn):
        await audit.append_many(conn, [
            make_entry("user:a1"),
            make_entry("user:b1", actor_tenant="bolt", tenant="bolt"),
            # acme's user probing bolt: acme's admins see it, bolt's do not (it would show
            # them acme's user ids); the provider sees it.
            make_entry("user:a2", tenant="bolt", result=Result.DENIED),
            # provider staff under a support grant in bolt: bolt sees it.
            make_entry("user:p1", actor_tenant=None, tenant="bolt"),
            make_entry("system:cron", actor_tenant=None, tenant=None, operation="tenant.create"),
        ])

        async def actors(scope: str, filters: AuditFilter | None = None) -> list[str]:
            page = await audit.query(conn, scope, filters or AuditFilter())
            return [item.entry.actor_id for item in page.entries]

        assert await actors("acme") == ["user:a2", "user:a1"]
        assert await actors("bolt") == ["user:p1", "user:b1"]
        assert await actors("nobody") == []
        assert await actors(ALL_TENANTS) == ["system:cron", "user:p1", "user:a2", "user:b1",
                                             "user:a1"]
        assert await actors(ALL_TENANTS, AuditFilter(tenant="bolt")) == [
            "user:p1", "user:a2", "user:b1"]
        assert await actors("acme", AuditFilter(result=Result.DENIED)) == ["user:a2"]
        assert await actors("bolt", AuditFilter(actor_id="user:a2")) == []
        assert await actors(ALL_TENANTS, AuditFilter(operation="tenant.create")) == [
            "system:cron"]


async def test_keyset_pages_and_time_ranges(test_database_url: str) -> None:
    async with own_database(test_database_url) as (_, conn):
        base = datetime(2026, 1, 1, tzinfo=UTC)
        await audit.append_many(conn, [make_entry(at=base + timedelta(minutes=n))
                                       for n in range(7)])
        seen: list[int] = []
        before: int | None = None
        while True:
            page = await audit.query(conn, "acme", AuditFilter(), limit=3, before=before)
            seen += [item.seq for item in page.entries]
            if page.next_before is None:
                break
            before = page.next_before
        assert seen == [7, 6, 5, 4, 3, 2, 1]
        window = AuditFilter(since=base + timedelta(minutes=2), until=base + timedelta(minutes=4))
        page = await audit.query(conn, "acme", window)
        assert [item.seq for item in page.entries] == [4, 3]
        for limit in (0, audit.MAX_PAGE + 1):
            with pytest.raises(InvalidAuditQuery):
                await audit.query(conn, "acme", AuditFilter(), limit=limit)


async def test_pruning_keeps_the_rest_verifiable(test_database_url: str) -> None:
    async with own_database(test_database_url) as (_, conn):
        old = datetime.now(UTC) - timedelta(days=200)
        await audit.append_many(conn, [make_entry(at=old + timedelta(seconds=n))
                                       for n in range(5)])
        await audit.append_many(conn, [make_entry() for _ in range(3)])
        now = datetime.now(UTC)
        with pytest.raises(AuditRetentionRefused):
            await audit_retention.prune(conn, older_than=timedelta(days=30), actor_id="system:t",
                                        at=now)
        report = await audit_retention.prune(conn, older_than=timedelta(days=180),
                                             actor_id="system:t", at=now)
        assert (report.checkpoint_seq, report.deleted, report.prune_entry_seq) == (5, 5, 9)
        assert await conn.fetchval("SELECT min(seq) FROM nevguard.audit_log") == 6
        verified = await audit_retention.verify(conn)
        assert verified.ok and (verified.first_seq, verified.checked) == (6, 4)
        anchor = (await audit.query(conn, ALL_TENANTS, AuditFilter(operation="audit.prune"))
                  ).entries[0].entry
        assert anchor.details["hash"] == report.checkpoint_hash.hex()
        again = await audit_retention.prune(conn, older_than=timedelta(days=180),
                                            actor_id="system:t", at=now)
        assert (again.deleted, again.prune_entry_seq) == (0, None)


async def test_a_tampered_chain_is_not_pruned(test_database_url: str) -> None:
    async with own_database(test_database_url) as (_, conn):
        old = datetime.now(UTC) - timedelta(days=365)
        await audit.append_many(conn, [make_entry(at=old) for _ in range(4)])
        await _tampered(conn, "UPDATE nevguard.audit_log SET actor_id = 'x' WHERE seq = 2")
        with pytest.raises(AuditRetentionRefused, match="entry 2"):
            await audit_retention.prune(conn, older_than=timedelta(days=180),
                                        actor_id="system:t", at=datetime.now(UTC))
        assert await conn.fetchval("SELECT count(*) FROM nevguard.audit_log") == 4
