"""Spool segment files: record framing, scanning, torn-tail repair (blocking file I/O only).

A segment is ``MAGIC`` followed by records ``length DWORD | crc32 DWORD | payload`` (big
endian). The CRC covers the length bytes and the payload, so a torn or garbled length is caught
as well as a torn payload. These functions run in a worker thread (``asyncio.to_thread``); the
asyncio side is ``spool.Spool``.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path
from typing import BinaryIO, Final, NamedTuple

MAGIC: Final = b"NGSPOOL\x01"
RECORD_HEAD: Final = struct.Struct(">II")
MAX_RECORD: Final = 1 << 20
"""A frame is at most 65 555 bytes (§2); anything near a megabyte is a garbled length."""
SUFFIX: Final = ".spool"
CORRUPT_SUFFIX: Final = ".corrupt"


class Scan(NamedTuple):
    records: int
    valid_size: int
    """Bytes up to the end of the last intact record (the magic included)."""


def segment_path(directory: Path, segment_id: int) -> Path:
    return directory / f"{segment_id:012d}{SUFFIX}"


def list_segments(directory: Path) -> list[tuple[int, Path]]:
    found = []
    for path in directory.glob(f"*{SUFFIX}"):
        if path.stem.isdigit():
            found.append((int(path.stem), path))
    return sorted(found)


def frame_record(payload: bytes) -> bytes:
    length = len(payload)
    head = struct.pack(">I", length)
    return head + struct.pack(">I", zlib.crc32(payload, zlib.crc32(head))) + payload


def _check(head: bytes, payload: bytes, crc: int) -> bool:
    return zlib.crc32(payload, zlib.crc32(head[:4])) == crc


def scan(path: Path) -> Scan:
    """Count the intact records of a segment; stops at the first torn or corrupt one."""
    with path.open("rb") as file:
        if file.read(len(MAGIC)) != MAGIC:
            return Scan(0, 0)
        records, good = 0, len(MAGIC)
        while True:
            head = file.read(RECORD_HEAD.size)
            if len(head) < RECORD_HEAD.size:
                return Scan(records, good)
            length, crc = RECORD_HEAD.unpack(head)
            if length > MAX_RECORD:
                return Scan(records, good)
            payload = file.read(length)
            if len(payload) < length or not _check(head, payload, crc):
                return Scan(records, good)
            records += 1
            good += RECORD_HEAD.size + length


def repair(path: Path, valid_size: int) -> int:
    """Cut a segment back to its intact prefix; the cut bytes are kept beside it in a
    ``.corrupt`` file for inspection. Returns how many bytes were cut."""
    size = path.stat().st_size
    if size <= valid_size:
        return 0
    with path.open("rb") as source:
        source.seek(valid_size)
        tail = source.read()
    corrupt = path.with_suffix(CORRUPT_SUFFIX)
    with corrupt.open("ab") as keep:
        keep.write(tail)
        keep.flush()
        os.fsync(keep.fileno())
    if valid_size < len(MAGIC):
        path.unlink()
    else:
        with path.open("r+b") as file:
            file.truncate(valid_size)
            file.flush()
            os.fsync(file.fileno())
    sync_directory(path.parent)
    return size - valid_size


def read_records(path: Path, offset: int, end: int, max_records: int, max_bytes: int
                 ) -> tuple[list[bytes], int, bool]:
    """Records of ``path`` from ``offset`` up to ``end`` (the durable size), at most
    ``max_records`` of them and, once ``max_bytes`` are read, no more.

    Returns (payloads, offset after them, intact). ``intact`` is False when a record fails its
    check, which in a segment already repaired at open means the disk changed under us: the
    caller moves the rest aside instead of replaying garbage.
    """
    payloads: list[bytes] = []
    start = offset
    with path.open("rb") as file:
        file.seek(offset)
        while offset < end and len(payloads) < max_records and offset - start < max_bytes:
            head = file.read(RECORD_HEAD.size)
            if len(head) < RECORD_HEAD.size:
                return payloads, offset, False
            length, crc = RECORD_HEAD.unpack(head)
            if length > MAX_RECORD or offset + RECORD_HEAD.size + length > end:
                return payloads, offset, False
            payload = file.read(length)
            if len(payload) < length or not _check(head, payload, crc):
                return payloads, offset, False
            payloads.append(payload)
            offset += RECORD_HEAD.size + length
    return payloads, offset, True


def create(path: Path) -> BinaryIO:
    """A new segment holding only the magic, durable together with its directory entry. An
    existing file of that name can only be a leftover of a failed creation: it is replaced."""
    file = path.open("wb")
    file.write(MAGIC)
    file.flush()
    os.fsync(file.fileno())
    sync_directory(path.parent)
    return file


def append(file: BinaryIO, records: list[bytes]) -> int:
    """Write and fsync a group of framed records; returns the file size after them."""
    file.write(b"".join(records))
    file.flush()
    os.fsync(file.fileno())
    return file.tell()


def sync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def truncate(file: BinaryIO, size: int) -> None:
    """Cut an open segment back to ``size`` (after a failed, possibly partial, append)."""
    file.truncate(size)
    file.seek(size)
