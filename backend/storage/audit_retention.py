"""Verifying the audit chain in the database and pruning it past the retention period.

Verification streams the rows in chunks through ``ChainVerifier`` inside one REPEATABLE READ
transaction, so the rows and the chain head it compares them with are one snapshot while
appends go on. It starts from the newest checkpoint: what was pruned is gone, and the
checkpoint's (seq, hash) is what the remaining rows must continue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from backend.core.audit import (
    GENESIS_HASH,
    MIN_RETENTION,
    PRUNE_OPERATION,
    ActorKind,
    AuditEntry,
    BreakReason,
    ChainBreak,
    ChainVerifier,
    Result,
)
from backend.storage.audit import SELECT, append, row_to_entry
from backend.storage.db import Conn
from backend.storage.errors import AuditRetentionRefused, InvalidAuditQuery, NestedTransaction

CHUNK: Final = 2000


@dataclass(frozen=True, slots=True)
class VerifyReport:
    first_seq: int  # the first entry checked (after the checkpoint when pruned)
    last_seq: int  # the last entry asked for
    checked: int
    checkpoint_seq: int  # entries up to here were pruned (0: none)
    head_seq: int
    head_hash: bytes
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


@dataclass(frozen=True, slots=True)
class PruneReport:
    checkpoint_seq: int
    checkpoint_hash: bytes
    deleted: int
    prune_entry_seq: int | None  # the audit.prune entry anchoring the checkpoint in the chain


async def _checkpoint(conn: Conn) -> tuple[int, bytes]:
    row = await conn.fetchrow(
        "SELECT seq, hash FROM nevguard.audit_checkpoints ORDER BY seq DESC LIMIT 1")
    return (0, GENESIS_HASH) if row is None else (row["seq"], bytes(row["hash"]))


async def verify(conn: Conn, *, from_seq: int | None = None, to_seq: int | None = None,
                 chunk: int = CHUNK) -> VerifyReport:
    """Check entries ``from_seq..to_seq`` (default: all that remain). The whole chain is also
    compared with the recorded head, which finds rows deleted from its end."""
    if conn.is_in_transaction():
        raise NestedTransaction("verification reads one snapshot in a transaction of its own")
    if (from_seq is not None and from_seq < 1) or (to_seq is not None and to_seq < 1):
        raise InvalidAuditQuery("sequence numbers start at 1")
    if from_seq is not None and to_seq is not None and from_seq > to_seq:
        raise InvalidAuditQuery("--from is after --to")
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        head = await conn.fetchrow("SELECT seq, hash FROM nevguard.audit_chain_head")
        if head is None:
            raise InvalidAuditQuery("the audit chain head is missing (migration 0005)")
        head_seq, head_hash = head["seq"], bytes(head["hash"])
        checkpoint_seq, checkpoint_hash = await _checkpoint(conn)
        last = head_seq if to_seq is None else min(to_seq, head_seq)
        first = max(from_seq or 1, checkpoint_seq + 1)
        verifier = ChainVerifier(after_seq=checkpoint_seq, prev_hash=checkpoint_hash)
        if first > checkpoint_seq + 1:
            # A range starts from the stored hash of the entry before it; the full run checks
            # that hash too.
            prev = await conn.fetchval("SELECT hash FROM nevguard.audit_log WHERE seq = $1",
                                       first - 1)
            verifier = ChainVerifier(after_seq=first - 1, prev_hash=bytes(prev or b""))
            if prev is None:
                verifier.broken = ChainBreak(first - 1, BreakReason.SEQUENCE,
                                             f"entry {first - 1} is missing")
        cursor = first - 1
        while verifier.broken is None and cursor < last:
            rows = await conn.fetch(f"{SELECT} WHERE seq > $1 AND seq <= $2 ORDER BY seq "
                                    "LIMIT $3", cursor, last, chunk)
            if not rows:
                break
            for row in rows:
                if verifier.feed(row_to_entry(row)) is not None:
                    break
            cursor = rows[-1]["seq"]
        if verifier.broken is None and verifier.last_seq < last:
            # Nothing more came back before ``last``: the missing entries follow the last seen.
            verifier.broken = ChainBreak(verifier.last_seq + 1, BreakReason.SEQUENCE,
                                         f"entries {verifier.last_seq + 1}..{last} are missing")
        if last == head_seq:
            verifier.finish(head_seq, head_hash)
    return VerifyReport(first, last, verifier.checked, checkpoint_seq, head_seq, head_hash,
                        verifier.broken)


async def prune(conn: Conn, *, older_than: timedelta, actor_id: str, at: datetime,
                retention: timedelta = MIN_RETENTION) -> PruneReport:
    """Delete the oldest entries, all older than ``older_than``, after verifying them and
    recording a checkpoint; an ``audit.prune`` entry by ``actor_id`` anchors the checkpoint in
    the chain. A chain that does not verify up to the cut is left alone (it is evidence).
    ``retention`` is the configured period, which ``older_than`` may not undercut."""
    floor = max(retention, MIN_RETENTION)
    if older_than < floor:
        raise AuditRetentionRefused(f"entries are kept at least {floor.days} days")
    through = await conn.fetchval(
        """SELECT coalesce((SELECT min(seq) - 1 FROM nevguard.audit_log
                             WHERE at >= now() - $1::interval),
                           (SELECT max(seq) FROM nevguard.audit_log))""", older_than)
    checkpoint_seq, checkpoint_hash = await _checkpoint(conn)
    if through is None or through <= checkpoint_seq:
        return PruneReport(checkpoint_seq, checkpoint_hash, 0, None)
    report = await verify(conn, to_seq=through)
    if report.broken is not None:
        raise AuditRetentionRefused(
            f"the chain is broken at entry {report.broken.seq} ({report.broken.reason}): "
            "nothing pruned")
    async with conn.transaction():
        row = await conn.fetchrow("SELECT * FROM nevguard.prune_audit_log($1, $2)", through,
                                  older_than)
        if row is None:  # the function always returns a row or raises
            raise AuditRetentionRefused("the prune function returned nothing")
        pruned_hash = bytes(row["checkpoint_hash"])
        anchored = await append(conn, AuditEntry(
            at=at, actor_kind=ActorKind.SYSTEM, actor_id=actor_id, operation=PRUNE_OPERATION,
            result=Result.OK, targets=(str(through),),
            details={"through_seq": through, "hash": pruned_hash.hex(),
                     "deleted": row["deleted"], "older_than_days": older_than.days}))
    return PruneReport(through, pruned_hash, row["deleted"], anchored.seq)
