"""The decoded frame: envelope fields plus one typed data unit (PROTOCOL.md §2)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Union

from . import activation, downlink, realtime, session
from .bodies import Empty, Encrypted, Opaque, TimeOnly
from .model import Body, Edition, Hex, Model
from .registry import BodyCodec

BODY_CODECS: Final[tuple[BodyCodec, ...]] = (
    *session.CODECS, *realtime.CODECS, *activation.CODECS, *downlink.CODECS)

if TYPE_CHECKING:
    AnyBody = Body
else:
    AnyBody = Union[  # noqa: UP007 - built at run time from the codec tables for msgspec
        tuple(dict.fromkeys([Empty, TimeOnly, Opaque, Encrypted,
                             *(codec.body_type for codec in BODY_CODECS)]))]


class Frame(Model, frozen=True):
    """One GB/T 32960 frame of either edition.

    ``command``, ``response`` and ``encryption`` stay plain integers so reserved or unknown code
    points survive (§3-§5); compare them with the ``Command`` / ``ResponseFlag`` /
    ``EncryptionType`` enums. ``unique_id_raw`` is set only when the 17 id bytes are not simply
    ASCII text padded with NULs; ``ciphertext`` keeps the original encrypted data unit when the
    body was decrypted, so re-encoding reproduces the frame exactly.
    """

    edition: Edition
    command: int
    response: int
    unique_id: str
    encryption: int
    body: AnyBody
    unique_id_raw: Hex | None = None
    ciphertext: Hex | None = None
    signature_verified: bool | None = None
