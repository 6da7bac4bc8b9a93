"""Placeholder replaced by the block tables (being written)."""

from .registry import BlockCodec

BLOCKS_2025: tuple[BlockCodec, ...] = ()
