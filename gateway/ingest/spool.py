"""A local append-only spool of accepted frames for when PostgreSQL is down or slow.

Records are opaque byte strings (``records.py`` defines what the writer puts in them), framed
with a length and a CRC-32 in numbered segment files (``segments.py``). Properties:

* Group commit: appends go to an in-memory group that one background task writes and fsyncs
  every ``sync_interval_s`` or every ``sync_records`` records, whichever comes first. An
  append returns a future that completes when its group is durable. A crash loses at most the
  group not yet fsynced.
* Bounded memory: only the open group lives in memory; ``append`` waits for the next fsync
  when the group holds ``max_buffered_bytes``.
* Replay in order: ``read`` walks the records oldest first; ``release`` says everything read so
  far is committed to the database and deletes the segments left behind; ``rewind`` goes back
  to the last release after a failed commit.
* Crash recovery: ``open`` scans the segments, cuts a torn tail off (keeping the cut bytes in
  a ``.corrupt`` file) and never raises for it. New appends start a fresh segment.
* A failing disk (ENOSPC, EIO) is retried forever with the group kept in memory: appends then
  wait (backpressure) instead of dropping anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from . import segments

log = logging.getLogger(__name__)

_DISK_RETRY_S: Final = 1.0


@dataclass(frozen=True, slots=True)
class SpoolSettings:
    directory: Path
    segment_bytes: int = 16 << 20
    sync_interval_s: float = 0.05
    sync_records: int = 1000
    max_buffered_bytes: int = 8 << 20


@dataclass(slots=True)
class _Segment:
    segment_id: int
    path: Path
    size: int  # durable (fsynced) bytes, the magic included
    records: int


@dataclass(slots=True)
class _Cursor:
    index: int = 0  # into ``Spool._segments``; always 0 for the release cursor
    offset: int = len(segments.MAGIC)
    records_in_segment: int = 0


@dataclass(slots=True)
class SpoolStats:
    disk_errors: int = 0
    corrupt_bytes: int = 0
    fsyncs: int = 0
    records_written: int = 0
    last_fsync_s: float = 0.0


class Spool:
    def __init__(self, settings: SpoolSettings,
                 on_fsync: Callable[[float], None] | None = None) -> None:
        """``on_fsync`` gets the seconds each group took to write and fsync (a metric)."""
        self.settings = settings
        self._on_fsync = on_fsync
        self.stats = SpoolStats()
        self._segments: list[_Segment] = []
        self._file: BinaryIO | None = None
        self._next_id = 1
        self._group: list[bytes] = []
        self._group_bytes = 0
        self._group_started = 0.0
        self._group_done: asyncio.Future[None] | None = None
        self._urgent = asyncio.Event()
        self._space = asyncio.Event()
        self._has_data = asyncio.Event()
        self._io = asyncio.Lock()
        self._read = _Cursor()
        self._released = _Cursor()
        self._appended = 0
        self._released_records = 0
        self._read_unreleased = 0
        self._syncer: asyncio.Task[None] | None = None

    # ---- lifecycle ------------------------------------------------------------------------

    async def open(self) -> None:
        directory = self.settings.directory
        directory.mkdir(parents=True, exist_ok=True)
        found = await asyncio.to_thread(segments.list_segments, directory)
        for segment_id, path in found:
            scan = await asyncio.to_thread(segments.scan, path)
            cut = await asyncio.to_thread(segments.repair, path, scan.valid_size)
            if cut:
                self.stats.corrupt_bytes += cut
                log.warning("spool: cut a torn tail of %d bytes off %s", cut, path.name)
            if scan.records == 0:
                await asyncio.to_thread(path.unlink, True)
                continue
            self._segments.append(_Segment(segment_id, path, scan.valid_size, scan.records))
            self._appended += scan.records
        self._next_id = (found[-1][0] + 1) if found else 1
        self._syncer = asyncio.create_task(self._run_syncer(), name="spool-syncer")

    async def close(self) -> None:
        """Make everything appended durable, then stop the syncer."""
        await self.sync()
        if self._syncer is not None:
            self._syncer.cancel()
            await asyncio.gather(self._syncer, return_exceptions=True)
            self._syncer = None
        async with self._io:
            if self._file is not None:
                await asyncio.to_thread(self._file.close)
                self._file = None

    # ---- appending ------------------------------------------------------------------------

    @property
    def depth_records(self) -> int:
        """Records appended and not yet released (read and committed)."""
        return self._appended - self._released_records

    @property
    def depth_bytes(self) -> int:
        stored = sum(segment.size for segment in self._segments)
        return stored - self._released.offset * bool(self._segments) + self._group_bytes

    async def append(self, payload: bytes) -> asyncio.Future[None]:
        """Add a record to the open group; the future completes once it is on disk."""
        while self._group_bytes >= self.settings.max_buffered_bytes:
            self._space.clear()
            self._urgent.set()
            await self._space.wait()
        record = segments.frame_record(payload)
        done = self._open_group()
        if not self._group:
            self._group_started = time.monotonic()
        self._group.append(record)
        self._group_bytes += len(record)
        self._appended += 1
        self._has_data.set()
        if len(self._group) >= self.settings.sync_records:
            self._urgent.set()
        return done

    async def sync(self) -> None:
        """Write and fsync everything appended so far, now."""
        if self._group:
            done = self._open_group()
            self._urgent.set()
            await asyncio.shield(done)
        else:
            async with self._io:  # a group being written holds the lock until it is durable
                pass

    def _open_group(self) -> asyncio.Future[None]:
        if self._group_done is None:
            self._group_done = asyncio.get_running_loop().create_future()
        return self._group_done

    async def _run_syncer(self) -> None:
        while True:
            await self._has_data.wait()
            delay = self._group_started + self.settings.sync_interval_s - time.monotonic()
            if delay > 0 and not self._urgent.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._urgent.wait(), delay)
            try:
                await self._write_group()
            except Exception:
                # The syncer must outlive our own bugs: appenders wait on it.
                log.exception("spool: group commit failed; retrying")
                await asyncio.sleep(_DISK_RETRY_S)

    async def _write_group(self) -> None:
        async with self._io:
            group, done = self._group, self._group_done
            if not group:
                self._has_data.clear()
                return
            self._group, self._group_done = [], None
            self._has_data.clear()
            self._urgent.clear()
            while True:
                try:
                    await self._write_durably(group)
                    break
                except OSError as exc:
                    self.stats.disk_errors += 1
                    log.error("spool: cannot write %d records (%s); retrying", len(group), exc)
                    await asyncio.sleep(_DISK_RETRY_S)
            self._group_bytes -= sum(map(len, group))
            self.stats.records_written += len(group)
            self._space.set()
        if done is not None:
            done.set_result(None)

    async def _write_durably(self, group: list[bytes]) -> None:
        started = time.monotonic()
        active = self._segments[-1] if self._segments and self._file is not None else None
        if active is None or active.size >= self.settings.segment_bytes:
            path = segments.segment_path(self.settings.directory, self._next_id)
            old, self._file = self._file, None
            if old is not None:
                await asyncio.to_thread(old.close)
            self._file = await asyncio.to_thread(segments.create, path)
            active = _Segment(self._next_id, path, len(segments.MAGIC), 0)
            self._segments.append(active)
            self._next_id += 1
        file = self._file
        if file is None:
            raise OSError("spool segment is not open")
        try:
            active.size = await asyncio.to_thread(segments.append, file, group)
        except OSError:
            # A partial write would sit in front of the retried group: cut it off first.
            await asyncio.to_thread(segments.truncate, file, active.size)
            raise
        active.records += len(group)
        self.stats.fsyncs += 1
        self.stats.last_fsync_s = time.monotonic() - started
        if self._on_fsync is not None:
            self._on_fsync(self.stats.last_fsync_s)

    # ---- replay ---------------------------------------------------------------------------

    async def read(self, max_records: int, max_bytes: int = 8 << 20) -> list[bytes]:
        """The next durable records in append order (empty when none is durable yet); about
        ``max_bytes`` at most, so a replay batch stays small whatever the records hold."""
        out: list[bytes] = []
        size = 0
        async with self._io:
            while (len(out) < max_records and size < max_bytes
                   and self._read.index < len(self._segments)):
                segment = self._segments[self._read.index]
                payloads, offset, intact = await asyncio.to_thread(
                    segments.read_records, segment.path, self._read.offset, segment.size,
                    max_records - len(out), max_bytes - size)
                out += payloads
                size += offset - self._read.offset
                self._read.offset = offset
                self._read.records_in_segment += len(payloads)
                self._read_unreleased += len(payloads)
                if not intact:
                    self._skip_corrupt(segment)
                sealed = segment is not self._segments[-1] or self._file is None
                if self._read.offset < segment.size or not sealed:
                    break
                self._read = _Cursor(self._read.index + 1)
        return out

    def _skip_corrupt(self, segment: _Segment) -> None:
        lost = segment.records - self._read.records_in_segment
        self.stats.corrupt_bytes += segment.size - self._read.offset
        log.error("spool: %s is corrupt at offset %d; %d records cannot be replayed",
                  segment.path.name, self._read.offset, lost)
        self._read_unreleased += lost
        self._read.records_in_segment = segment.records
        self._read.offset = segment.size

    def rewind(self) -> None:
        """Forget what was read since the last release (its commit failed)."""
        self._read = _Cursor(0, self._released.offset, self._released.records_in_segment)
        self._read_unreleased = 0

    async def release(self) -> None:
        """Everything read so far is committed: delete the segments it used up."""
        async with self._io:
            self._released_records += self._read_unreleased
            self._read_unreleased = 0
            done = self._segments[:self._read.index]
            del self._segments[:self._read.index]
            self._read.index = 0
            self._released = _Cursor(0, self._read.offset, self._read.records_in_segment)
            if len(self._segments) == 1 and self._read.offset == self._segments[0].size:
                # Fully consumed active segment: retire it; the next append starts a new one.
                if self._file is not None:
                    await asyncio.to_thread(self._file.close)
                    self._file = None
                done.append(self._segments.pop())
                self._read = _Cursor()
                self._released = _Cursor()
            for segment in done:
                await asyncio.to_thread(segment.path.unlink, True)
            if done:
                await asyncio.to_thread(segments.sync_directory, self.settings.directory)

