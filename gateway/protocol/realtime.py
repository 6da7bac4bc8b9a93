"""Realtime (0x02) and reissue (0x03) data units of both editions (§8, §14.4).

``collection time | type | body | type | body | ... [| 0xFF signature (2025)]``. Standard blocks
carry no length, so an unknown standard-range type or a block that runs past the end stops
decoding: what was decoded is kept, the rest stays raw in ``undecoded`` with a reason, and
re-encoding still reproduces the frame byte for byte.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Final, Union

from .blocks_2016 import BLOCKS_2016
from .blocks_2025 import BLOCKS_2025
from .blocks_common import UserDefinedBlock, decode_user_defined, encode_user_defined
from .errors import InvalidModel, TruncatedDataUnit
from .model import Block, Body, Command, Edition, Hex
from .registry import BOTH_EDITIONS, BlockCodec, BodyCodec, expect
from .signature import SIGNATURE_TYPE, Signature, decode_signature, encode_signature
from .wire import decode_time, encode_time

USER_DEFINED_FIRST: Final = 0x80
USER_DEFINED_LAST: Final = 0xFE

# Stable codes for why decoding stopped early.
UNKNOWN_BLOCK_TYPE: Final = "unknown_block_type"
TRUNCATED_BLOCK: Final = "truncated_block"
DATA_AFTER_SIGNATURE: Final = "data_after_signature"

# type byte -> decode function, looked up once per block on the ingest hot path.
_BLOCK_DECODERS: Final = {
    Edition.V2016: {codec.type_id: codec.decode for codec in BLOCKS_2016},
    Edition.V2025: {codec.type_id: codec.decode for codec in BLOCKS_2025},
}
_ENCODERS: Final[dict[Edition, dict[type[Block], BlockCodec]]] = {
    Edition.V2016: {codec.block_type: codec for codec in BLOCKS_2016},
    Edition.V2025: {codec.block_type: codec for codec in BLOCKS_2025},
}

if TYPE_CHECKING:
    AnyBlock = Block
else:
    AnyBlock = Union[  # noqa: UP007 - built at run time from the block tables for msgspec
        tuple(dict.fromkeys([c.block_type for c in (*BLOCKS_2016, *BLOCKS_2025)]
                            + [UserDefinedBlock]))]


class RealtimeData(Body, frozen=True, tag="realtime"):
    """Body of 0x02 and 0x03; a reissue carries the original collection time (§8, §11)."""

    collected_at: datetime | None
    blocks: tuple[AnyBlock, ...]
    collected_at_raw: Hex | None = None
    signature: Signature | None = None
    undecoded: Hex | None = None
    undecoded_reason: str | None = None

    def first(self, kind: type[Block]) -> Block | None:
        """The first block of a type (a frame normally carries each type once)."""
        for block in self.blocks:
            if type(block) is kind:
                return block
        return None


def decode_realtime(data: bytes, edition: Edition) -> Body:
    collected_at, collected_at_raw = decode_time(data, 0)
    decoders = _BLOCK_DECODERS[edition]
    signature_type = SIGNATURE_TYPE if edition is Edition.V2025 else -1
    blocks: list[Block] = []
    signature: Signature | None = None
    undecoded: Hex | None = None
    reason: str | None = None
    pos, end = 6, len(data)
    while pos < end:
        type_id = data[pos]
        try:
            decode = decoders.get(type_id)
            if decode is not None:
                block, pos_after = decode(data, pos + 1)
            elif type_id == signature_type:
                signature, pos = decode_signature(data, pos + 1)
                if pos < end:
                    undecoded, reason = Hex(data[pos:]), DATA_AFTER_SIGNATURE
                break
            elif USER_DEFINED_FIRST <= type_id <= USER_DEFINED_LAST:
                block, pos_after = decode_user_defined(data, pos + 1, type_id)
            else:
                undecoded, reason = Hex(data[pos:]), UNKNOWN_BLOCK_TYPE
                break
        except TruncatedDataUnit:
            undecoded, reason = Hex(data[pos:]), TRUNCATED_BLOCK
            break
        blocks.append(block)
        pos = pos_after
    return RealtimeData(collected_at=collected_at, collected_at_raw=collected_at_raw,
                        blocks=tuple(blocks), signature=signature, undecoded=undecoded,
                        undecoded_reason=reason)


def encode_realtime(body: Body, edition: Edition) -> bytes:
    report = expect(body, RealtimeData)
    out = bytearray(encode_time(report.collected_at, report.collected_at_raw))
    table = _ENCODERS[edition]
    for block in report.blocks:
        if isinstance(block, UserDefinedBlock):
            out.append(block.block_type)
            out += encode_user_defined(block)
            continue
        codec = table.get(type(block))
        if codec is None:
            raise InvalidModel(f"{type(block).__name__} is not a {edition.value} block")
        out.append(codec.type_id)
        out += codec.encode(block)
    if report.signature is not None:
        out.append(SIGNATURE_TYPE)
        out += encode_signature(report.signature)
    if report.undecoded is not None:
        out += report.undecoded
    return bytes(out)


def signed_part(data_unit: bytes, report: RealtimeData) -> bytes | None:
    """The bytes a 2025 signature covers: collection time up to, not including, 0xFF (§14.5)."""
    if report.signature is None:
        return None
    tail = 1 + len(encode_signature(report.signature)) + len(report.undecoded or b"")
    return data_unit[:len(data_unit) - tail]


CODECS: Final = tuple(
    BodyCodec(BOTH_EDITIONS, command, True, RealtimeData, decode_realtime, encode_realtime)
    for command in (Command.REALTIME, Command.REISSUE))
