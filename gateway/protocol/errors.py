"""Typed codec errors with stable codes.

Two families never mix (ARCHITECTURE.md rule 7): ``PeerError`` means the bytes we received break
GB/T 32960 and the vehicle side gets the protocol's error answer; ``EncodeError`` means our own code
asked the encoder for something the standard cannot express, which is a bug on our side.
"""

from __future__ import annotations

from typing import ClassVar


class ProtocolError(Exception):
    """Base of every codec error. ``code`` is stable and safe to show to API clients."""

    code: ClassVar[str] = "protocol.error"

    def __init__(self, message: str, *, offset: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset

    def as_dict(self) -> dict[str, object]:
        detail: dict[str, object] = {"code": self.code, "message": self.message}
        if self.offset is not None:
            detail["offset"] = self.offset
        return detail


class PeerError(ProtocolError):
    """The peer sent something that is not valid GB/T 32960."""

    code = "peer.invalid"


class BadStartMarker(PeerError):
    code = "peer.bad_start_marker"


class FrameTooShort(PeerError):
    code = "peer.frame_too_short"


class LengthMismatch(PeerError):
    code = "peer.length_mismatch"


class BadChecksum(PeerError):
    code = "peer.bad_checksum"


class FrameTooLarge(PeerError):
    code = "peer.frame_too_large"


class TruncatedDataUnit(PeerError):
    code = "peer.truncated_data_unit"


class MalformedDataUnit(PeerError):
    code = "peer.malformed_data_unit"


class UnsupportedEncryption(PeerError):
    code = "peer.unsupported_encryption"


class DecryptionFailed(PeerError):
    code = "peer.decryption_failed"


class SignatureInvalid(PeerError):
    code = "peer.signature_invalid"


class InvalidDocument(ProtocolError):
    """A canonical JSON document (CLI, API input) does not describe a frame."""

    code = "input.invalid_document"


class EncodeError(ProtocolError):
    """We asked the encoder for something the standard cannot carry (our bug, not the peer's)."""

    code = "encode.invalid"


class ValueOutOfRange(EncodeError):
    code = "encode.value_out_of_range"


class FieldTooLong(EncodeError):
    code = "encode.field_too_long"


class InvalidModel(EncodeError):
    code = "encode.invalid_model"
