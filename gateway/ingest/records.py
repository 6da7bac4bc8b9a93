"""What a spool record holds, and how a replay turns it back into rows.

A record carries the exact frame bytes plus what the gateway knew when it accepted them
(tenant, receive time, frame kind, connection), never decoded values: a replay re-decodes the
bytes with the codec, so a spool written by one version replays with the next. For an
encrypted frame the decrypted data unit is kept too, because the replaying process may not
hold the key (§5).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, Final, NamedTuple

import msgspec

from gateway.protocol.codec import decode_envelope, encode_body
from gateway.protocol.envelope import split_frame
from gateway.protocol.errors import EncodeError, ProtocolError
from gateway.protocol.frame import Frame
from gateway.protocol.model import EncryptionType, Hex
from gateway.server.interfaces import AcceptedFrame, FrameKind, SessionEvent

from .rows import FrameRows, event_row, frame_rows, raw_only

log = logging.getLogger(__name__)

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_ONLINE_EVENTS: Final = frozenset({SessionEvent.LOGIN, SessionEvent.CONNECTED})


class SpooledFrame(msgspec.Struct, array_like=True, tag=1, frozen=True):
    tenant: str
    vin: str
    received_at_us: int
    kind: str
    connection_id: str
    peer: str
    raw: bytes
    plaintext: bytes | None = None
    """The decrypted data unit, only for a frame that arrived encrypted."""
    signature_verified: bool | None = None


class SpooledEvent(msgspec.Struct, array_like=True, tag=2, frozen=True):
    tenant: str
    vin: str
    kind: str
    at_us: int
    details: dict[str, Any]


class EventItem(NamedTuple):
    """A session event waiting for its batch, shaped like the ``IngestSink.event`` call.
    ``kind`` is a ``SessionEvent`` from the gateway, plain text once read back from the spool
    (a newer release may know kinds this one does not)."""

    tenant: str
    vin: str
    kind: str
    at: datetime
    details: dict[str, Any]


class RawOnly(NamedTuple):
    """A spooled frame the current codec rejects: it still reaches ``raw_frames``."""

    record: SpooledFrame


Item = AcceptedFrame | EventItem
Replayed = AcceptedFrame | EventItem | RawOnly
Record = SpooledFrame | SpooledEvent

# Event details come from the gateway as a free mapping: anything msgpack cannot carry is kept
# as its text rather than refused (a spool append must not fail).
_ENCODER: Final = msgspec.msgpack.Encoder(enc_hook=str)
_DECODER: Final = msgspec.msgpack.Decoder(Record)


def microseconds(at: datetime) -> int:
    delta = at - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_microseconds(value: int) -> datetime:
    return datetime.fromtimestamp(value // 1_000_000, UTC).replace(microsecond=value % 1_000_000)


def encode_item(item: Item) -> bytes:
    if isinstance(item, EventItem):
        return _ENCODER.encode(SpooledEvent(item.tenant, item.vin, str(item.kind),
                                            microseconds(item.at), dict(item.details)))
    frame = item.frame
    plaintext = None
    if frame.ciphertext is not None:
        try:
            plaintext = encode_body(frame)
        except EncodeError:
            log.exception("spool: decrypted unit of %s does not re-encode; kept encrypted",
                          item.vin)
    return _ENCODER.encode(SpooledFrame(
        item.tenant, item.vin, microseconds(item.received_at), str(item.kind),
        item.connection_id, item.peer, item.raw, plaintext, frame.signature_verified))


def decode_item(payload: bytes) -> Replayed | None:
    """The item a record was made from; None (logged) for a record no codec can read back."""
    try:
        record = _DECODER.decode(payload)
    except msgspec.DecodeError:
        log.exception("spool: a record is not a spooled item; skipped")
        return None
    if isinstance(record, SpooledEvent):
        return EventItem(record.tenant, record.vin, record.kind,
                         from_microseconds(record.at_us), record.details)
    try:
        frame = _decode_frame(record)
        kind = FrameKind(record.kind)
    except (ProtocolError, ValueError):
        log.exception("spool: frame of %s no longer decodes; storing it raw", record.vin)
        return RawOnly(record)
    return AcceptedFrame(tenant=record.tenant, vin=record.vin,
                         received_at=from_microseconds(record.received_at_us), raw=record.raw,
                         frame=frame, connection_id=record.connection_id, peer=record.peer,
                         kind=kind)


def _decode_frame(record: SpooledFrame) -> Frame:
    envelope = split_frame(record.raw)
    if record.plaintext is None:
        frame = decode_envelope(envelope)
    else:
        # Decode the kept plaintext as an unencrypted unit, then restore what the vehicle sent.
        frame = decode_envelope(envelope._replace(encryption=EncryptionType.NONE,
                                                  data_unit=record.plaintext))
        frame = msgspec.structs.replace(frame, encryption=envelope.encryption,
                                        ciphertext=Hex(envelope.data_unit))
    if record.signature_verified is not None:
        frame = msgspec.structs.replace(frame, signature_verified=record.signature_verified)
    return frame


def item_rows(item: Replayed) -> FrameRows:
    if isinstance(item, AcceptedFrame):
        return frame_rows(item.frame, item.raw, item.received_at)
    if isinstance(item, EventItem):
        online = item.kind in _ONLINE_EVENTS
        serial = item.details.get("serial")
        event = event_row(item.vin, item.at, str(item.kind), dict(item.details),
                          serial=serial if isinstance(serial, int) else None)
        return FrameRows(item.vin, item.at, online, None, None, (event,))
    record = item.record
    return raw_only(record.vin, record.raw, from_microseconds(record.received_at_us))
