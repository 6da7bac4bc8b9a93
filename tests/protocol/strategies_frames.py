"""Hypothesis strategies for whole GB/T 32960 frames of both editions (PROTOCOL.md §2-§5, §14).

``frames(edition)`` draws any frame the codec can produce: every (edition, command, request?)
slot registered in ``gateway.protocol.frame.BODY_CODECS`` with every body its decoder returns
(fall-backs included), reserved commands with ``Opaque`` bodies, and frames encrypted with
0x02-0x05 whose data unit stays ciphertext (``Encrypted``) because no key is configured.
``frames_of(message_type)`` draws one entry of ``MESSAGE_TYPES`` so tests can prove each type
separately. Bodies come from the per-edition body and block strategies; nothing here calls the
codec under test.
"""

from __future__ import annotations

import string
from typing import NamedTuple

import msgspec
from hypothesis import strategies as st
from strategies_2016 import realtime_2016
from strategies_2025 import realtime_2025
from strategies_bodies import bodies_for, texts

from gateway.protocol.bodies import Encrypted, Opaque
from gateway.protocol.frame import BODY_CODECS, Frame
from gateway.protocol.model import Body, Command, Edition, EncryptionType, Hex, ResponseFlag
from gateway.protocol.realtime import (
    DATA_AFTER_SIGNATURE,
    TRUNCATED_BLOCK,
    UNKNOWN_BLOCK_TYPE,
    RealtimeData,
)

EDITIONS = (Edition.V2016, Edition.V2025)
REALTIME_COMMANDS = frozenset({Command.REALTIME, Command.REISSUE})
ENCRYPTED_TYPES = (EncryptionType.RSA, EncryptionType.AES128, EncryptionType.SM2,
                   EncryptionType.SM4)

REGISTERED: frozenset[tuple[Edition, int, bool]] = frozenset(
    (edition, codec.command, codec.request) for codec in BODY_CODECS for edition in codec.editions)
"""Every slot the frame codec decodes into a typed body."""

RESERVED_COMMANDS: dict[Edition, tuple[int, ...]] = {
    edition: tuple(command for command in range(0x100)
                   if (edition, command, True) not in REGISTERED
                   and (edition, command, False) not in REGISTERED)
    for edition in EDITIONS}
"""§3 / §14.2 reserved ids (2016: 0x09-0x7F too), platform-exchange ids and 0x00/0xFF."""


class MessageType(NamedTuple):
    """One kind of frame: a registered slot, a reserved command, or an encrypted data unit."""

    edition: Edition
    command: int | None
    """None for the reserved and encrypted kinds, which draw their command."""
    request: bool
    kind: str

    def __str__(self) -> str:
        if self.command is None:
            return f"{self.edition.value}-{self.kind}"
        direction = "request" if self.request else "reply"
        return f"{self.edition.value}-0x{self.command:02x}-{direction}"


MESSAGE_TYPES: tuple[MessageType, ...] = (
    *(MessageType(edition, command, request, "plain")
      for edition, command, request in sorted(REGISTERED,
                                              key=lambda s: (s[0].value, s[1], not s[2]))),
    *(MessageType(edition, None, True, kind) for edition in EDITIONS
      for kind in ("reserved", "encrypted")),
)


# ---- envelope fields -----------------------------------------------------------------------------

_VIN_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"   # ISO 3779: no I, O, Q


class UniqueId(NamedTuple):
    text: str
    raw: Hex | None


_vins = st.text(_VIN_ALPHABET, min_size=17, max_size=17).map(lambda vin: UniqueId(vin, None))
# §2: platform-level messages carry the sender's code, e.g. "123456789" + 8 NULs.
_platform_codes = st.one_of(st.just(UniqueId("123456789", None)),
                            st.text(string.digits, min_size=1, max_size=16)
                            .map(lambda code: UniqueId(code, None)))
# Space padding or an undecodable byte: the decoder keeps the 17 bytes in unique_id_raw.
_odd_ids = texts(17).map(lambda text: UniqueId(text.text, text.raw))
unique_ids = st.one_of(_vins, _platform_codes, _odd_ids)

# 0x01 is the only value seen in real traffic; any byte that names no algorithm (0x00 in
# fixtures, 0xFE abnormal, 0xFF invalid, reserved codes) is read as plaintext (§5).
plain_encryption = st.sampled_from((0x01, 0x01, 0x01, 0x01, 0x00, 0x06, 0xFD, 0xFE, 0xFF))


def reply_flags(edition: Edition) -> st.SearchStrategy[int]:
    """§4 / §14.2 answer flags, and unknown ones: anything but 0xFE is a reply."""
    known = (1, 2, 3) if edition is Edition.V2016 else (1, 2, 3, 4, 5, 6, 7)
    return st.one_of(st.sampled_from(known),
                     st.integers(0, 0xFF).filter(lambda flag: flag != ResponseFlag.COMMAND))


# ---- realtime data units with their lossless tails (§8, §14.4) -----------------------------------

_FIXED_BLOCK_SIZE = {Edition.V2016: 20, Edition.V2025: 18}    # type 0x01, whole vehicle
_UNKNOWN_TYPES = {Edition.V2016: (0x0A, 0x2F, 0x30, 0x7F, 0xFF),
                  Edition.V2025: (0x00, 0x09, 0x2F, 0x33, 0x7F)}


@st.composite
def _truncated_tail(draw: st.DrawFn, edition: Edition) -> Hex:
    """A standard block cut short, or a user block whose length runs past the end (§8.10)."""
    if draw(st.booleans()):
        short = draw(st.binary(max_size=_FIXED_BLOCK_SIZE[edition] - 1))
        return Hex(b"\x01" + short)
    body = draw(st.binary(max_size=8))
    declared = draw(st.integers(len(body) + 1, 0xFFFF))
    return Hex(bytes((draw(st.integers(0x80, 0xFE)),)) + declared.to_bytes(2, "big") + body)


@st.composite
def realtime(draw: st.DrawFn, edition: Edition) -> RealtimeData:
    """A realtime/reissue body; sometimes the decoder had to stop early and kept the rest."""
    body = draw(realtime_2016() if edition is Edition.V2016 else realtime_2025())
    tail = draw(st.sampled_from(("as drawn", "as drawn", "unknown", "truncated", "after")))
    if tail == "unknown":
        first = draw(st.sampled_from(_UNKNOWN_TYPES[edition]))
        rest = Hex(bytes((first,)) + draw(st.binary(max_size=12)))
        return msgspec.structs.replace(body, signature=None, undecoded=rest,
                                       undecoded_reason=UNKNOWN_BLOCK_TYPE)
    if tail == "truncated":
        return msgspec.structs.replace(body, signature=None,
                                       undecoded=draw(_truncated_tail(edition)),
                                       undecoded_reason=TRUNCATED_BLOCK)
    if tail == "after" and body.signature is not None:
        rest = Hex(draw(st.binary(min_size=1, max_size=12)))
        return msgspec.structs.replace(body, undecoded=rest, undecoded_reason=DATA_AFTER_SIGNATURE)
    return body


# ---- frames --------------------------------------------------------------------------------------

def bodies(edition: Edition, command: int, request: bool) -> st.SearchStrategy[Body]:
    """Every body the frame decoder returns for one slot (unencrypted)."""
    if (edition, command, request) not in REGISTERED:
        return st.binary(max_size=64).map(lambda data: Opaque(data=Hex(data)))
    if request and command in REALTIME_COMMANDS:
        return realtime(edition)
    return bodies_for(edition, command, request)


@st.composite
def _frame(draw: st.DrawFn, edition: Edition, command: int, request: bool, *,
           encryption: st.SearchStrategy[int], body: st.SearchStrategy[Body]) -> Frame:
    unique_id = draw(unique_ids)
    return Frame(edition=edition, command=command,
                 response=ResponseFlag.COMMAND if request else draw(reply_flags(edition)),
                 unique_id=unique_id.text, unique_id_raw=unique_id.raw,
                 encryption=draw(encryption), body=draw(body))


def frames_of(message_type: MessageType) -> st.SearchStrategy[Frame]:
    edition = message_type.edition
    if message_type.kind == "plain" and message_type.command is not None:
        command, request = message_type.command, message_type.request
        return _frame(edition, command, request, encryption=plain_encryption,
                      body=bodies(edition, command, request))
    if message_type.kind == "reserved":
        return st.tuples(st.sampled_from(RESERVED_COMMANDS[edition]), st.booleans()).flatmap(
            lambda slot: _frame(edition, slot[0], slot[1], encryption=plain_encryption,
                                body=bodies(edition, slot[0], slot[1])))
    # §5: without a configured key the data unit stays ciphertext, whatever the command.
    ciphertext = st.binary(max_size=64).map(lambda data: Encrypted(ciphertext=Hex(data)))
    return st.tuples(st.integers(0, 0xFF), st.booleans()).flatmap(
        lambda slot: _frame(edition, slot[0], slot[1],
                            encryption=st.sampled_from(ENCRYPTED_TYPES), body=ciphertext))


def frames(edition: Edition | None = None) -> st.SearchStrategy[Frame]:
    """Any valid frame of one edition, or of either when ``edition`` is None."""
    return st.one_of(*(frames_of(message_type) for message_type in MESSAGE_TYPES
                       if edition is None or message_type.edition is edition))
