"""The audit entry's canonical form and the hash chain: any single edit, deletion, insertion or
reordering is found, at the right entry."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from backend.core.audit import (
    GENESIS_HASH,
    ActorKind,
    AuditEntry,
    BreakReason,
    ChainedEntry,
    ChainVerifier,
    InvalidAuditEntry,
    Result,
    canonical_bytes,
    chain,
    chain_hash,
    verify_chain,
)

text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=12)
slug = st.from_regex(r"[a-z][a-z0-9_]{1,8}", fullmatch=True)
json_scalar = st.none() | st.booleans() | st.integers() | text
details = st.dictionaries(text, st.recursive(
    json_scalar, lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(text, inner, max_size=3), max_leaves=6), max_size=3)
times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                     timezones=st.just(UTC))
ips = st.none() | st.ip_addresses().map(str)

entries = st.builds(
    AuditEntry,
    at=times,
    actor_kind=st.sampled_from(ActorKind),
    actor_id=text.filter(bool),
    operation=text.filter(bool),
    result=st.sampled_from(Result),
    actor_tenant=st.none() | slug,
    role=st.none() | text,
    tenant=st.none() | slug,
    targets=st.lists(text, max_size=3).map(tuple),
    ip=ips,
    user_agent=st.none() | text,
    request_id=st.none() | text,
    details=details,
)
chains = st.lists(entries, min_size=1, max_size=8).map(chain)


def entry(**changes: object) -> AuditEntry:
    base = AuditEntry(at=datetime(2025, 3, 1, 8, 30, tzinfo=UTC), actor_kind=ActorKind.USER,
                      actor_id="user:7", operation="vehicle.read", result=Result.OK,
                      actor_tenant="acme", role="viewer", tenant="acme", targets=("VIN1",))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_canonical_bytes_are_fixed() -> None:
    # A frozen example: changing the serialization would break every stored chain.
    expected = (
        b'{"actor_id":"user:7","actor_kind":"user","actor_tenant":"acme",'
        b'"at":"2025-03-01T08:30:00.000000+00:00","details":{},"ip":null,"operation":'
        b'"vehicle.read","request_id":null,"result":"ok","role":"viewer","seq":1,'
        b'"targets":["VIN1"],"tenant":"acme","user_agent":null,"v":1}')
    assert canonical_bytes(1, entry()) == expected
    assert chain_hash(GENESIS_HASH, 1, entry()) == hashlib.sha256(bytes(32) + expected).digest()


def test_times_are_normalized_to_utc() -> None:
    beijing = timezone(timedelta(hours=8))
    local = entry(at=datetime(2025, 3, 1, 16, 30, tzinfo=beijing))
    assert canonical_bytes(1, local) == canonical_bytes(1, entry())


def test_ip_addresses_take_one_form() -> None:
    assert entry(ip="2001:DB8:0:0::1").ip == "2001:db8::1"


@pytest.mark.parametrize("changes", [
    {"at": datetime(2025, 1, 1)},  # naive
    {"actor_id": ""},
    {"operation": "x" * 2000},
    {"tenant": "Not-A-Slug"},
    {"ip": "300.1.1.1"},
    {"ip": "fe80::1%eth0"},
    {"details": {"ratio": 0.5}},
    {"details": {"text": "a\x00b"}},
    {"details": {"big": "x" * 20000}},
    {"targets": ("\ud800",)},
    {"targets": tuple(str(n) for n in range(101))},
])
def test_values_that_would_not_survive_storage_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(InvalidAuditEntry):
        entry(**changes)


@given(chains)
def test_an_untouched_chain_verifies(rows: list[ChainedEntry]) -> None:
    assert verify_chain(rows) is None
    verifier = ChainVerifier()
    for row in rows:
        verifier.feed(row)
    assert verifier.finish(rows[-1].seq, rows[-1].hash) is None


@given(chains, st.data())
def test_editing_any_field_of_any_entry_is_found_there(rows: list[ChainedEntry],
                                                       data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(rows) - 1))
    name = data.draw(st.sampled_from([f.name for f in dataclasses.fields(AuditEntry)]))
    original = rows[index].entry
    replacement = data.draw(entries)
    assume(getattr(replacement, name) != getattr(original, name))
    forged = dataclasses.replace(original, **{name: getattr(replacement, name)})
    rows[index] = dataclasses.replace(rows[index], entry=forged)
    broken = verify_chain(rows)
    assert broken is not None and (broken.seq, broken.reason) == (index + 1, BreakReason.CONTENT)


@given(chains, st.data())
def test_rewriting_a_hash_breaks_the_next_link(rows: list[ChainedEntry],
                                               data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(rows) - 1))
    rows[index] = dataclasses.replace(rows[index], hash=bytes(31) + b"\x01")
    assert verify_chain(rows) is not None


@given(chains, st.data())
def test_deleting_an_entry_is_found(rows: list[ChainedEntry], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(rows) - 1))
    head = rows[-1]
    del rows[index]
    verifier = ChainVerifier()
    for row in rows:
        verifier.feed(row)
    broken = verifier.finish(head.seq, head.hash)
    assert broken is not None and broken.seq == index + 1


@given(chains, st.data())
def test_reordering_entries_is_found(rows: list[ChainedEntry], data: st.DataObject) -> None:
    assume(len(rows) >= 2)
    first = data.draw(st.integers(0, len(rows) - 2))
    second = data.draw(st.integers(first + 1, len(rows) - 1))
    rows[first], rows[second] = rows[second], rows[first]
    broken = verify_chain(rows)
    assert broken is not None and (broken.seq, broken.reason) == (first + 1,
                                                                   BreakReason.SEQUENCE)


@given(chains, entries, st.data())
def test_inserting_an_entry_is_found(rows: list[ChainedEntry], extra: AuditEntry,
                                     data: st.DataObject) -> None:
    # A forger who renumbers and relinks the rest would have rewritten every later hash, which
    # the next test covers; here the intruder is linked and hashed as well as it can be.
    index = data.draw(st.integers(0, len(rows) - 1))
    prev_hash = GENESIS_HASH if index == 0 else rows[index - 1].hash
    seq = index + 1
    rows.insert(index, ChainedEntry(seq, extra, prev_hash, chain_hash(prev_hash, seq, extra)))
    broken = verify_chain(rows)
    # The intruder passes for entry ``seq``; the genuine one then repeats the number.
    assert broken is not None and (broken.seq, broken.reason) == (seq, BreakReason.SEQUENCE)


@given(chains, entries, st.data())
def test_a_rebuilt_tail_does_not_match_the_head(rows: list[ChainedEntry], extra: AuditEntry,
                                               data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(rows) - 1))
    head = rows[-1]
    kept = rows[:index]
    after_seq, prev = (kept[-1].seq, kept[-1].hash) if kept else (0, GENESIS_HASH)
    rebuilt = kept + chain([extra, *(row.entry for row in rows[index:])], after_seq=after_seq,
                           prev_hash=prev)
    verifier = ChainVerifier()
    for row in rebuilt:
        assert verifier.feed(row) is None
    assert verifier.finish(head.seq, head.hash) is not None


def test_a_chain_continues_from_a_checkpoint() -> None:
    rows = chain([entry(), entry(result=Result.DENIED), entry(operation="vehicle.list")])
    assert verify_chain(rows[1:], after_seq=1, prev_hash=rows[0].hash) is None
    broken = verify_chain(rows[1:], after_seq=1, prev_hash=GENESIS_HASH)
    assert broken is not None and (broken.seq, broken.reason) == (2, BreakReason.LINK)


def test_cross_tenant_and_visibility() -> None:
    assert entry(tenant="other").cross_tenant
    assert entry(tenant="other").visible_to == "acme"
    support = entry(actor_tenant=None, role="platform_admin", tenant="acme")
    assert not support.cross_tenant and support.visible_to == "acme"
    assert entry(actor_tenant=None, tenant=None).visible_to is None
