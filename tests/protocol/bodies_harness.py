"""Drive body codecs the way the frame codec does, one (edition, command, request?) slot at a time.

The frame codec picks the decoder by slot and the encoder by the body's type, and writes an
``Opaque`` body's bytes itself; these helpers do the same so body tests need no envelope.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from gateway.protocol.bodies import Opaque
from gateway.protocol.frame import Frame
from gateway.protocol.model import Body, Edition
from gateway.protocol.registry import BodyCodec


class Slot(NamedTuple):
    edition: Edition
    command: int
    request: bool

    def __str__(self) -> str:
        return f"{self.edition.value}-0x{self.command:02x}-{'req' if self.request else 'reply'}"


def slots(codecs: Iterable[BodyCodec]) -> list[Slot]:
    found = {Slot(edition, c.command, c.request) for c in codecs for edition in c.editions}
    return sorted(found, key=lambda s: (s.edition.value, s.command, s.request))


def decode(codecs: Iterable[BodyCodec], slot: Slot, data: bytes) -> Body:
    matches = {c.decode for c in codecs
               if slot.edition in c.editions and (c.command, c.request) == slot[1:]}
    assert len(matches) == 1, f"{slot}: {len(matches)} decoders"
    return matches.pop()(data, slot.edition)


def encode(codecs: Iterable[BodyCodec], slot: Slot, body: Body) -> bytes:
    if isinstance(body, Opaque):
        return bytes(body.data)
    matches = [c for c in codecs if slot.edition in c.editions
               and (c.command, c.request) == slot[1:] and c.body_type is type(body)]
    assert len(matches) == 1, f"{slot}: no encoder for {type(body).__name__}"
    return matches[0].encode(body, slot.edition)


def json_round_trip(body: Body, slot: Slot) -> dict[str, object]:
    """Check that a frame carrying ``body`` survives its canonical JSON form
    (docs/protocol-json.md) and return the body's JSON object."""
    from gateway.protocol.canonical import from_json, to_builtins, to_json

    frame = Frame(edition=slot.edition, command=slot.command,
                  response=0xFE if slot.request else 0x01, unique_id="LTESTVIN000000001",
                  encryption=1, body=body)
    assert from_json(to_json(frame)) == frame
    document: dict[str, object] = to_builtins(frame)["body"]
    return document
