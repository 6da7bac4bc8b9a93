"""Fixtures of the gateway tests; the helpers live in gateway_harness (a unique module name)."""

from gateway_harness import harness, make_gateway

__all__ = ["harness", "make_gateway"]
