"""Frame-level decode and encode for both editions on one code path (§2, dispatch on marker)."""

from __future__ import annotations

from typing import Final

from .bodies import Encrypted, Opaque
from .crypto import KeyRing, decrypt, encrypt, public_key_for, verify_signature
from .envelope import UNIQUE_ID_SIZE, Envelope, join_frame, split_frame
from .errors import InvalidModel
from .frame import BODY_CODECS, Frame
from .model import Body, Command, Edition, EncryptionType, Hex, ResponseFlag
from .realtime import RealtimeData, signed_part
from .registry import BodyCodec
from .wire import decode_text, encode_text

ENCRYPTED: Final = frozenset({EncryptionType.RSA, EncryptionType.AES128, EncryptionType.SM2,
                              EncryptionType.SM4})

_DECODERS: Final[dict[tuple[Edition, int, bool], BodyCodec]] = {
    (edition, codec.command, codec.request): codec
    for codec in BODY_CODECS for edition in codec.editions}
_ENCODERS: Final[dict[tuple[type[Body], Edition], BodyCodec]] = {}
_ALLOWED: Final[dict[tuple[type[Body], Edition], set[tuple[int, bool]]]] = {}
for _codec in BODY_CODECS:
    for _edition in _codec.editions:
        _ENCODERS.setdefault((_codec.body_type, _edition), _codec)
        _ALLOWED.setdefault((_codec.body_type, _edition), set()).add((_codec.command,
                                                                       _codec.request))


def is_request(response: int) -> bool:
    """0xFE marks a command; every other flag is a reply, which is never answered (§4)."""
    return response == ResponseFlag.COMMAND


def decode_frame(frame: bytes, *, keys: KeyRing | None = None) -> Frame:
    """Decode exactly one complete frame; raises a ``PeerError`` subclass on invalid input."""
    return decode_envelope(split_frame(frame), keys=keys)


def decode_envelope(envelope: Envelope, *, keys: KeyRing | None = None) -> Frame:
    """Decode the data unit of an envelope that ``split_frame`` already checked."""
    unique_id, unique_id_raw = decode_text(envelope.unique_id_raw)
    data = envelope.data_unit
    ciphertext: Hex | None = None
    if envelope.encryption in ENCRYPTED:
        plain = decrypt(envelope.encryption, unique_id, data, keys) if keys else None
        if plain is None:
            return _frame(envelope, unique_id, unique_id_raw, Encrypted(ciphertext=Hex(data)))
        ciphertext, data = Hex(data), plain
    # Any other encryption byte (0x00 in fixtures, 0xFE/0xFF) is read as plaintext: §5 calls
    # the undefined values "reserved" and rejecting them would lose the data.
    codec = _DECODERS.get((envelope.edition, envelope.command, is_request(envelope.response)))
    body = codec.decode(data, envelope.edition) if codec else Opaque(data=Hex(data))
    verified: bool | None = None
    if keys is not None and isinstance(body, RealtimeData) and body.signature is not None:
        public_key = public_key_for(keys, unique_id)
        signed = signed_part(data, body)
        if public_key is not None and signed is not None:
            verified = verify_signature(body.signature, signed, public_key)
    return _frame(envelope, unique_id, unique_id_raw, body, ciphertext=ciphertext,
                  verified=verified)


def _frame(envelope: Envelope, unique_id: str, unique_id_raw: Hex | None, body: Body, *,
           ciphertext: Hex | None = None, verified: bool | None = None) -> Frame:
    return Frame(edition=envelope.edition, command=envelope.command, response=envelope.response,
                 unique_id=unique_id, unique_id_raw=unique_id_raw,
                 encryption=envelope.encryption, body=body, ciphertext=ciphertext,
                 signature_verified=verified)


def encode_body(frame: Frame) -> bytes:
    """The plaintext data unit of a frame (raises ``EncodeError`` for an impossible model)."""
    body = frame.body
    if isinstance(body, Opaque):
        return bytes(body.data)
    key = (type(body), frame.edition)
    codec = _ENCODERS.get(key)
    if codec is None:
        raise InvalidModel(f"{type(body).__name__} does not exist in the "
                           f"{frame.edition.value} edition")
    if (frame.command, is_request(frame.response)) not in _ALLOWED[key]:
        raise InvalidModel(f"{type(body).__name__} is not the data unit of command "
                           f"0x{frame.command:02x} with flag 0x{frame.response:02x}")
    return codec.encode(body, frame.edition)


def encode_frame(frame: Frame, *, keys: KeyRing | None = None) -> bytes:
    """Encode a frame; an encrypted frame reuses its original ciphertext when it has one."""
    if isinstance(frame.body, Encrypted):
        data = bytes(frame.body.ciphertext)
    elif frame.encryption in ENCRYPTED and frame.ciphertext is not None:
        data = bytes(frame.ciphertext)
    elif frame.encryption in ENCRYPTED:
        if keys is None:
            raise InvalidModel("encrypted frame without ciphertext needs a key ring")
        data = encrypt(frame.encryption, frame.unique_id, encode_body(frame), keys)
    else:
        data = encode_body(frame)
    unique_id_raw = encode_text(frame.unique_id, UNIQUE_ID_SIZE, frame.unique_id_raw, "unique id")
    return join_frame(Envelope(frame.edition, frame.command, frame.response, unique_id_raw,
                               frame.encryption, data))


__all__ = ["Command", "Frame", "decode_envelope", "decode_frame", "encode_body", "encode_frame",
           "is_request"]
