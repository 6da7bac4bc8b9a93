"""The metrics registry's text format and the /metrics endpoint."""

from __future__ import annotations

import asyncio

import gateway_frames as f
import pytest
from gateway_harness import Harness

from backend.metrics.registry import MetricsRegistry


def test_counter_gauge_text_format() -> None:
    registry = MetricsRegistry()
    frames = registry.counter("demo_frames_total", "Frames seen", ["command", "tenant"])
    frames.inc("realtime", "acme")
    frames.inc("realtime", "acme", amount=2)
    frames.inc("login", 'we"ird\\ten\nant')
    registry.gauge("demo_open", "Open links").labels().set(3)
    assert registry.render() == (
        "# HELP demo_frames_total Frames seen\n"
        "# TYPE demo_frames_total counter\n"
        'demo_frames_total{command="realtime",tenant="acme"} 3\n'
        'demo_frames_total{command="login",tenant="we\\"ird\\\\ten\\nant"} 1\n'
        "# HELP demo_open Open links\n"
        "# TYPE demo_open gauge\n"
        "demo_open 3\n")


def test_histogram_buckets_are_cumulative_and_le_inclusive() -> None:
    registry = MetricsRegistry()
    latency = registry.histogram("demo_seconds", "Latency", buckets=[0.1, 1.0])
    for value in (0.05, 0.1, 0.5, 7.0):
        latency.labels().observe(value)
    assert registry.render().splitlines()[2:] == [
        'demo_seconds_bucket{le="0.1"} 2',
        'demo_seconds_bucket{le="1"} 3',
        'demo_seconds_bucket{le="+Inf"} 4',
        "demo_seconds_sum 7.65",
        "demo_seconds_count 4"]


def test_registry_returns_the_same_family_and_refuses_kind_clashes() -> None:
    registry = MetricsRegistry()
    first = registry.counter("demo_total", "x", ["a"])
    assert registry.counter("demo_total", "x", ["a"]) is first
    with pytest.raises(ValueError, match="already registered"):
        registry.gauge("demo_total", "x")
    with pytest.raises(ValueError, match="takes labels"):
        first.inc("one", "two")
    with pytest.raises(ValueError, match="only goes up"):
        first.labels("one").inc(-1)
    with pytest.raises(ValueError, match="invalid"):
        registry.counter("bad name", "x")


async def _http(port: int, request: bytes) -> tuple[str, str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        response = (await asyncio.wait_for(reader.read(), 2)).decode()
    finally:
        writer.close()
        await writer.wait_closed()
    head, _, body = response.partition("\r\n\r\n")
    return head.split("\r\n")[0], body


async def test_metrics_endpoint_shows_gateway_counters(harness: Harness) -> None:
    client = await harness.client()
    await client.request(f.login())
    await client.send(b"noise")
    await client.request(f.heartbeat())
    port = harness.gateway.metrics_port
    if port is None:
        raise AssertionError("metrics endpoint not started")
    status, body = await _http(port, b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == "HTTP/1.1 200 OK"
    for line in ('gb32960_frames_total{command="vehicle_login",edition="2016",tenant="acme"} 1',
                 'gb32960_answers_total{flag="success"} 2',
                 "gb32960_connections 1",
                 "gb32960_framer_garbage_bytes_total 5",
                 'gb32960_registry_lookups_total{result="miss"} 1',
                 'gb32960_session_events_total{kind="login"} 1'):
        assert line in body.splitlines()
    assert "# TYPE gb32960_sink_submit_seconds histogram" in body


@pytest.mark.parametrize(("request_bytes", "status"), [
    (b"GET /other HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found"),
    (b"POST /metrics HTTP/1.1\r\n\r\n", "HTTP/1.1 405 Method Not Allowed"),
    (b"hello\r\n\r\n", "HTTP/1.1 400 Bad Request"),
])
async def test_metrics_endpoint_other_requests(harness: Harness, request_bytes: bytes,
                                               status: str) -> None:
    port = harness.gateway.metrics_port
    if port is None:
        raise AssertionError("metrics endpoint not started")
    assert (await _http(port, request_bytes))[0] == status
