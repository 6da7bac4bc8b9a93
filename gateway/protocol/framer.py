"""Cut complete, BCC-valid frames out of a TCP byte stream (PROTOCOL.md §2.2).

One ``StreamFramer`` per connection. It never decodes a data unit: it only finds a start marker,
reads the length WORD, waits for ``25 + N`` bytes and checks the BCC (§2, §2.1). Every byte it
throws away is counted in ``stats`` and described by a short ``Rejection`` history so the
session can log why a connection misbehaves. Design notes: docs/protocol/framing.md.
"""

from __future__ import annotations

import enum
import struct
from collections import deque
from dataclasses import dataclass
from typing import Final

from .envelope import FRAME_OVERHEAD, HEADER_SIZE, MAX_DATA_UNIT, bcc

DEFAULT_MAX_FRAME: Final = FRAME_OVERHEAD + MAX_DATA_UNIT
DEFAULT_REJECTION_HISTORY: Final = 64
_MARKER_2016: Final = b"##"
_MARKER_2025: Final = b"$$"
_MARKER_BYTES: Final = frozenset(b"#$")
_LENGTH = struct.Struct(">H")
_LENGTH_OFFSET: Final = 22


class RejectReason(enum.StrEnum):
    """String values so a log line or error code can embed them directly (``peer.garbage``)."""

    GARBAGE = "garbage"                  # bytes before a start marker
    BAD_CHECKSUM = "bad_checksum"        # complete candidate frame whose BCC does not match
    OVERSIZE = "oversize"                # header announces more than max_frame_size bytes
    EXPIRED_PARTIAL = "expired_partial"  # caller's idle timeout fired on an incomplete frame


@dataclass(frozen=True, slots=True)
class Rejection:
    """One rejection: ``byte_count`` is the garbage run, or the size of the rejected candidate
    (announced size for bad checksum/oversize, buffered size for an expired partial frame);
    ``stream_offset`` counts bytes from the start of the connection."""

    reason: RejectReason
    byte_count: int
    stream_offset: int


@dataclass(slots=True)
class FramerStats:
    frames: int = 0
    garbage_bytes: int = 0
    bad_checksum: int = 0
    oversize: int = 0
    expired_partial: int = 0


class StreamFramer:
    """Incremental framer: ``feed`` bytes as they arrive, get back whole frames.

    A rejected candidate costs exactly its first marker byte; scanning resumes at the next byte,
    so a genuine frame starting anywhere inside the rejected region (even on the second byte of a
    ``###`` run) is still found. Memory stays bounded: at most ``max_buffer`` bytes are held while
    a chunk is being scanned and fewer than ``max_frame_size`` between calls.
    """

    def __init__(self, *, max_frame_size: int = DEFAULT_MAX_FRAME, max_buffer: int | None = None,
                 rejection_history: int = DEFAULT_REJECTION_HISTORY) -> None:
        if not FRAME_OVERHEAD <= max_frame_size <= DEFAULT_MAX_FRAME:
            raise ValueError(f"max_frame_size must be within {FRAME_OVERHEAD}..{DEFAULT_MAX_FRAME}")
        buffer_limit = 2 * max_frame_size if max_buffer is None else max_buffer
        # A partial frame of up to max_frame_size - 1 bytes stays buffered between scans; twice
        # that guarantees each scan pass takes at least max_frame_size new bytes.
        if buffer_limit < 2 * max_frame_size:
            raise ValueError("max_buffer must be at least twice max_frame_size")
        self.max_frame_size: Final = max_frame_size
        self.max_buffer: Final = buffer_limit
        self.stats = FramerStats()
        self.rejections: deque[Rejection] = deque(maxlen=rejection_history)
        self._buffer = bytearray()
        self._consumed = 0        # stream offset of self._buffer[0]
        self._high_water = 0

    @property
    def buffered(self) -> int:
        """Bytes held back: an incomplete frame, or a lone byte that may start a marker."""
        return len(self._buffer)

    @property
    def high_water(self) -> int:
        """The most bytes ever held at once (never above ``max_buffer``)."""
        return self._high_water

    def drain_rejections(self) -> list[Rejection]:
        """Return the recent rejections (oldest first) and forget them."""
        drained = list(self.rejections)
        self.rejections.clear()
        return drained

    def feed(self, chunk: bytes | bytearray | memoryview) -> list[bytes]:
        """Append received bytes; return every complete, BCC-valid frame now available."""
        frames: list[bytes] = []
        with memoryview(chunk) as incoming:
            start = 0
            while start < len(incoming):
                room = self.max_buffer - len(self._buffer)
                piece = incoming[start:start + room]
                self._buffer += piece
                start += len(piece)
                self._high_water = max(self._high_water, len(self._buffer))
                frames.extend(self._scan())
        return frames

    def expire_partial(self) -> list[bytes]:
        """Give up on the buffered incomplete frame (call after an idle timeout, §2.2 step 4).

        A corrupted length can make the framer wait for bytes that never come; dropping the
        candidate's first marker byte and rescanning recovers any whole frame hidden behind it.
        """
        held = len(self._buffer)
        if held == 0:
            return []
        if held == 1:
            # A lone '#'/'$' kept in case its partner arrived next; it did not.
            self._reject(RejectReason.GARBAGE, 1, 0)
            self.stats.garbage_bytes += 1
            self._drop_prefix(1)
            return []
        self._reject(RejectReason.EXPIRED_PARTIAL, held, 0)
        self.stats.expired_partial += 1
        self._drop_prefix(1)
        return self._scan()

    def _scan(self) -> list[bytes]:
        """Extract frames from the buffer, then drop everything consumed in one compaction."""
        frames: list[bytes] = []
        buffer = self._buffer
        end = len(buffer)
        pos = 0
        # Cached positions of the next marker of each edition: each find() covers new ground,
        # so one pass costs O(len(buffer)) however many frames it holds.
        next_2016 = next_2025 = -1
        with memoryview(buffer) as view:
            while pos < end:
                if pos + 1 < end and view[pos] in _MARKER_BYTES and view[pos + 1] == view[pos]:
                    # The usual case, and the only one while a big frame trickles in byte by
                    # byte: no find() over the whole buffer on every feed.
                    marker = pos
                else:
                    if next_2016 < pos:
                        next_2016 = buffer.find(_MARKER_2016, pos)
                        if next_2016 < 0:
                            next_2016 = end
                    if next_2025 < pos:
                        next_2025 = buffer.find(_MARKER_2025, pos)
                        if next_2025 < 0:
                            next_2025 = end
                    marker = min(next_2016, next_2025)
                if marker == end:
                    # No marker: keep a trailing '#'/'$' that may pair with the next chunk.
                    keep = 1 if buffer[end - 1] in _MARKER_BYTES else 0
                    self._discard_garbage(pos, end - keep)
                    pos = end - keep
                    break
                if marker > pos:
                    self._discard_garbage(pos, marker)
                    pos = marker
                if end - pos < HEADER_SIZE:
                    break
                (length,) = _LENGTH.unpack_from(view, pos + _LENGTH_OFFSET)
                frame_size = FRAME_OVERHEAD + length
                if frame_size > self.max_frame_size:
                    self._reject(RejectReason.OVERSIZE, frame_size, pos)
                    self.stats.oversize += 1
                    pos += 1
                    continue
                if end - pos < frame_size:
                    break
                check_at = pos + frame_size - 1
                if view[check_at] != bcc(view[pos + 2:check_at]):
                    self._reject(RejectReason.BAD_CHECKSUM, frame_size, pos)
                    self.stats.bad_checksum += 1
                    pos += 1
                    continue
                frames.append(bytes(view[pos:check_at + 1]))
                pos = check_at + 1
        self.stats.frames += len(frames)
        self._drop_prefix(pos)
        return frames

    def _discard_garbage(self, start: int, stop: int) -> None:
        if stop > start:
            self.stats.garbage_bytes += stop - start
            self._reject(RejectReason.GARBAGE, stop - start, start)

    def _reject(self, reason: RejectReason, byte_count: int, pos: int) -> None:
        self.rejections.append(Rejection(reason, byte_count, self._consumed + pos))

    def _drop_prefix(self, count: int) -> None:
        if count:
            del self._buffer[:count]
            self._consumed += count
