"""How data-unit codecs plug into the frame codec.

Each body module lists ``CODECS``; the frame codec picks one by (edition, command, request?)
to decode, and by the body's type to encode. A request is a frame whose response flag is 0xFE
(§4); every other flag marks a reply, whose data unit usually differs (§6.2).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, TypeVar

from .errors import InvalidModel
from .model import Block, Body, Edition, Model

B = TypeVar("B", bound=Model)
BOTH_EDITIONS = frozenset({Edition.V2016, Edition.V2025})


class BodyCodec(NamedTuple):
    editions: frozenset[Edition]
    command: int
    request: bool
    body_type: type[Body]
    decode: Callable[[bytes, Edition], Body]
    encode: Callable[[Body, Edition], bytes]


class BlockCodec(NamedTuple):
    """One realtime information block type of one edition (§8, §14.4).

    ``decode(data, pos)`` reads the block body that starts at ``pos`` (just after the type byte)
    and returns the block and the position after it; it raises ``TruncatedDataUnit`` when the
    body runs past the data. ``encode(block)`` returns the body bytes without the type byte.
    """

    type_id: int
    block_type: type[Block]
    decode: Callable[[bytes, int], tuple[Block, int]]
    encode: Callable[[Block], bytes]


def expect(value: Model, kind: type[B]) -> B:
    """Narrow a body or block handed to an encoder; a mismatch is our bug, not the peer's."""
    if not isinstance(value, kind):
        raise InvalidModel(f"encoder for {kind.__name__} got {type(value).__name__}")
    return value
