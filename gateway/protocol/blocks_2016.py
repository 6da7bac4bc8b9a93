"""Placeholder replaced by the block tables (being written)."""

from .registry import BlockCodec

BLOCKS_2016: tuple[BlockCodec, ...] = ()
