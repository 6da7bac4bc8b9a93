"""The on-disk spool: group commit, ordered replay, release, torn-tail repair (files only)."""

from __future__ import annotations

import asyncio
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.ingest import segments
from gateway.ingest.spool import Spool, SpoolSettings


def payloads(count: int, size: int = 40) -> list[bytes]:
    return [f"record-{index:06d}-".encode().ljust(size, b"x") for index in range(count)]


async def opened(directory: Path, **options: float) -> Spool:
    spool = Spool(SpoolSettings(directory, **options))  # type: ignore[arg-type]
    await spool.open()
    return spool


async def read_all(spool: Spool) -> list[bytes]:
    out: list[bytes] = []
    while batch := await spool.read(7):
        out += batch
    return out


def segment_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.spool"))


async def test_records_come_back_in_order_after_reopen(tmp_path: Path) -> None:
    spool = await opened(tmp_path)
    for payload in payloads(50):
        await spool.append(payload)
    await spool.close()
    again = await opened(tmp_path)
    assert again.depth_records == 50
    assert await read_all(again) == payloads(50)
    await again.close()


async def test_group_commit_fsyncs_once_per_window_or_count(tmp_path: Path) -> None:
    spool = await opened(tmp_path, sync_interval_s=0.3, sync_records=10)
    loop = asyncio.get_running_loop()
    started = loop.time()
    full = [await spool.append(payload) for payload in payloads(10)]
    await asyncio.gather(*full)
    assert loop.time() - started < 0.2  # a full group does not wait for the window
    assert spool.stats.fsyncs == 1
    partial = [await spool.append(payload) for payload in payloads(5)]
    await asyncio.sleep(0.1)
    assert not partial[-1].done()  # a partial group waits for the window...
    await asyncio.wait_for(partial[-1], 1.0)
    assert spool.stats.fsyncs == 2  # ...and then all five share one fsync
    assert spool.stats.records_written == 15
    await spool.close()


async def test_a_future_completes_only_when_the_record_is_in_the_file(tmp_path: Path) -> None:
    spool = await opened(tmp_path, sync_interval_s=0.05)
    done = await spool.append(b"hello")
    assert not segment_files(tmp_path)
    await done
    (path,) = segment_files(tmp_path)
    assert path.read_bytes().endswith(b"hello")
    await spool.close()


async def test_segments_rotate_and_release_deletes_used_ones(tmp_path: Path) -> None:
    spool = await opened(tmp_path, segment_bytes=500, sync_records=1)
    for payload in payloads(40):
        await (await spool.append(payload))
    assert len(segment_files(tmp_path)) > 3
    first = await spool.read(20)
    assert first == payloads(40)[:20]
    await spool.release()
    assert spool.depth_records == 20
    assert await read_all(spool) == payloads(40)[20:]
    await spool.release()
    assert spool.depth_records == 0
    assert segment_files(tmp_path) == []
    await spool.append(b"after")
    await spool.sync()
    assert await read_all(spool) == [b"after"]
    await spool.close()


async def test_rewind_replays_what_was_not_released(tmp_path: Path) -> None:
    spool = await opened(tmp_path, segment_bytes=300, sync_records=1)
    for payload in payloads(30):
        await (await spool.append(payload))
    assert await spool.read(10) == payloads(30)[:10]
    await spool.release()
    assert await spool.read(15) == payloads(30)[10:25]
    spool.rewind()
    assert await read_all(spool) == payloads(30)[10:]
    await spool.close()


async def test_read_sees_only_durable_records(tmp_path: Path) -> None:
    spool = await opened(tmp_path, sync_interval_s=10)
    await spool.append(b"buffered")
    assert await spool.read(10) == []
    assert spool.depth_records == 1
    await spool.sync()
    assert await spool.read(10) == [b"buffered"]
    await spool.close()


async def test_append_waits_when_the_group_is_full(tmp_path: Path) -> None:
    spool = await opened(tmp_path, sync_interval_s=10, sync_records=10_000,
                         max_buffered_bytes=200)
    for payload in payloads(20):
        await spool.append(payload)
    # Each wait forced a group to disk instead of growing memory past the bound.
    assert spool.stats.fsyncs >= 3
    await spool.close()
    assert len(await read_all(await opened(tmp_path))) == 20


async def test_read_stops_near_max_bytes(tmp_path: Path) -> None:
    spool = await opened(tmp_path)
    for payload in payloads(10, size=100):
        await spool.append(payload)
    await spool.sync()
    assert len(await spool.read(100, max_bytes=250)) == 3   # 108-byte records: stop past 250
    await spool.close()


async def test_corruption_appearing_after_open_is_skipped_not_replayed(tmp_path: Path) -> None:
    spool = await opened(tmp_path, sync_records=1, segment_bytes=300)
    for payload in payloads(12):
        await (await spool.append(payload))
    first = segment_files(tmp_path)[0]
    data = bytearray(first.read_bytes())
    data[len(segments.MAGIC) + 8 + 60] ^= 0xFF      # inside the second record's payload
    first.write_bytes(bytes(data))
    records = await read_all(spool)
    assert records[0] == payloads(12)[0]
    assert payloads(12)[1] not in records
    assert records[-1] == payloads(12)[-1]          # later segments still replay
    await spool.release()
    assert spool.depth_records == 0
    assert spool.stats.corrupt_bytes > 0
    await spool.close()


def torn(kind: str, path: Path) -> None:
    data = path.read_bytes()
    if kind == "partial_header":
        path.write_bytes(data + b"\x00\x00")
    elif kind == "partial_payload":
        path.write_bytes(data + struct.pack(">II", 100, 0) + b"abc")
    elif kind == "bad_crc":
        path.write_bytes(data + struct.pack(">II", 3, 12345) + b"abc")
    elif kind == "garbage_length":
        path.write_bytes(data + b"\xff" * 20)
    elif kind == "flipped_last_byte":
        path.write_bytes(data[:-1] + bytes((data[-1] ^ 1,)))


@pytest.mark.parametrize(("kind", "intact"), [
    ("partial_header", 10), ("partial_payload", 10), ("bad_crc", 10), ("garbage_length", 10),
    ("flipped_last_byte", 9),
])
async def test_torn_tail_is_cut_not_fatal(tmp_path: Path, kind: str, intact: int) -> None:
    spool = await opened(tmp_path)
    for payload in payloads(10):
        await spool.append(payload)
    await spool.close()
    (path,) = segment_files(tmp_path)
    torn(kind, path)
    again = await opened(tmp_path)
    assert again.depth_records == intact
    assert again.stats.corrupt_bytes > 0
    assert path.with_suffix(".corrupt").exists()
    await again.append(b"new")
    await again.sync()
    assert await read_all(again) == [*payloads(10)[:intact], b"new"]
    await again.close()


async def test_a_segment_cut_inside_its_magic_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "000000000007.spool").write_bytes(segments.MAGIC[:3])
    spool = await opened(tmp_path)
    assert spool.depth_records == 0
    await spool.append(b"x")
    await spool.sync()
    assert [p.name for p in segment_files(tmp_path)] == ["000000000008.spool"]
    await spool.close()


def test_record_framing_matches_the_documented_layout() -> None:
    # length 3 | crc32 over (length bytes + payload) | payload
    record = segments.frame_record(b"abc")
    assert record[:4] == bytes.fromhex("00000003")
    assert record[4:8] == struct.pack(">I", zlib.crc32(b"abc", zlib.crc32(b"\x00\x00\x00\x03")))
    assert record[8:] == b"abc"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sizes=st.lists(st.integers(0, 60), min_size=1, max_size=12), cut=st.integers(0, 2000))
def test_any_crash_point_keeps_exactly_the_complete_records(
        tmp_path_factory: pytest.TempPathFactory, sizes: list[int], cut: int) -> None:
    directory = tmp_path_factory.mktemp("spool")
    written = [bytes([index]) * size for index, size in enumerate(sizes)]
    path = segments.segment_path(directory, 1)
    with segments.create(path) as file:
        segments.append(file, [segments.frame_record(p) for p in written])
    data = path.read_bytes()
    cut = min(cut, len(data))
    path.write_bytes(data[:cut])
    ends, position = [], len(segments.MAGIC)
    for payload in written:
        position += segments.RECORD_HEAD.size + len(payload)
        ends.append(position)
    expected = [p for p, end in zip(written, ends, strict=True) if end <= cut]

    async def recover() -> list[bytes]:
        spool = await opened(directory)
        records = await read_all(spool)
        await spool.close()
        return records

    assert asyncio.run(recover()) == expected
