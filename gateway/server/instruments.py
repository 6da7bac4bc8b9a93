"""The gateway's metric names in one place (listed in docs/gateway.md).

The ingest writer registers its own families (batch sizes, commit latency, spool depth) on the
same ``MetricsRegistry`` so one /metrics page shows the whole path.
"""

from __future__ import annotations

from typing import Final

from backend.metrics.registry import MetricsRegistry
from gateway.protocol.framer import FramerStats
from gateway.protocol.model import Command, ResponseFlag

NO_TENANT: Final = "none"
_FRAMER_REASONS: Final = ("bad_checksum", "oversize", "expired_partial")


# Labels by value, built once: an enum lookup per frame showed in the gateway's profile.
_COMMAND_LABELS: Final = {command.value: command.name.lower() for command in Command}
_FLAG_LABELS: Final = {flag.value: flag.name.lower() for flag in ResponseFlag}


def command_label(command: int) -> str:
    label = _COMMAND_LABELS.get(command)
    return f"0x{command:02x}" if label is None else label


def flag_label(flag: int) -> str:
    label = _FLAG_LABELS.get(flag)
    return f"0x{flag:02x}" if label is None else label


class GatewayMetrics:
    def __init__(self, registry: MetricsRegistry) -> None:
        self.registry = registry
        self.connections = registry.gauge(
            "gb32960_connections", "Open GB/T 32960 connections").labels()
        self.connections_total = registry.counter(
            "gb32960_connections_total", "Accepted GB/T 32960 connections").labels()
        self.connections_rejected = registry.counter(
            "gb32960_connections_rejected_total",
            "Connections refused before a session started", ["reason"])
        self.connections_closed = registry.counter(
            "gb32960_connections_closed_total", "Connections closed, by reason", ["reason"])
        self.frames = registry.counter(
            "gb32960_frames_total", "BCC-valid frames received", ["command", "edition", "tenant"])
        self.rejects = registry.counter(
            "gb32960_rejects_total", "Frames or logins refused, by reason", ["reason"])
        self.answers = registry.counter(
            "gb32960_answers_total", "Answers sent, by response flag", ["flag"])
        self.framer_rejections = registry.counter(
            "gb32960_framer_rejections_total",
            "Frame candidates the stream framer dropped, by reason", ["reason"])
        self.framer_garbage_bytes = registry.counter(
            "gb32960_framer_garbage_bytes_total", "Bytes found outside any frame").labels()
        self.partial_data_units = registry.counter(
            "gb32960_partial_data_units_total",
            "Accepted realtime frames whose tail could not be decoded", ["reason"])
        self.sink_seconds = registry.histogram(
            "gb32960_sink_submit_seconds", "Time the ingest sink took to take a frame").labels()
        self.registry_lookups = registry.counter(
            "gb32960_registry_lookups_total", "VIN routing lookups, by cache result", ["result"])
        self.events = registry.counter(
            "gb32960_session_events_total", "Session events sent to the sink", ["kind"])

    def framer_delta(self, before: FramerStats, after: FramerStats) -> None:
        """Add what a framer counted since ``before`` (a copy taken earlier)."""
        garbage = after.garbage_bytes - before.garbage_bytes
        if garbage:
            self.framer_garbage_bytes.inc(garbage)
        for reason in _FRAMER_REASONS:
            added = getattr(after, reason) - getattr(before, reason)
            if added:
                self.framer_rejections.inc(reason, amount=added)
