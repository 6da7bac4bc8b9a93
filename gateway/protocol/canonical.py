"""The canonical JSON form of a decoded frame (docs/protocol-json.md).

One encoder and one decoder for the CLI, exports and the API: bytes as lowercase hex, times as
RFC 3339 with the +08:00 offset they were sent in, sentinels as "abnormal" / "invalid", each
body and block tagged by ``kind``. ``from_json(to_json(frame)) == frame`` for every frame.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .errors import InvalidDocument
from .frame import Frame
from .model import Hex


def _enc_hook(value: Any) -> Any:
    if isinstance(value, Hex):
        return value.hex()
    raise NotImplementedError(f"no canonical JSON form for {type(value).__name__}")


def _dec_hook(kind: type, value: Any) -> Any:
    if kind is Hex and isinstance(value, str):
        try:
            return Hex(bytes.fromhex(value))
        except ValueError as exc:
            raise msgspec.ValidationError(f"not hex: {value[:16]!r}") from exc
    raise NotImplementedError(f"cannot build {kind.__name__} from JSON")


_ENCODER = msgspec.json.Encoder(enc_hook=_enc_hook)
_DECODER = msgspec.json.Decoder(Frame, dec_hook=_dec_hook)


def to_json(frame: Frame) -> bytes:
    return _ENCODER.encode(frame)


def to_builtins(frame: Frame) -> dict[str, Any]:
    result: dict[str, Any] = msgspec.to_builtins(frame, enc_hook=_enc_hook)
    return result


def from_json(document: bytes | str) -> Frame:
    """Parse canonical JSON; a document that does not fit the schema raises a typed error."""
    try:
        return _DECODER.decode(document)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise InvalidDocument(f"not a canonical frame document: {exc}") from exc


def from_builtins(document: dict[str, Any]) -> Frame:
    try:
        return msgspec.convert(document, Frame, dec_hook=_dec_hook)
    except msgspec.ValidationError as exc:
        raise InvalidDocument(f"not a canonical frame document: {exc}") from exc
