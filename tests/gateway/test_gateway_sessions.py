"""Session rules over real sockets: logins, reports, logouts, platforms, answers (§6.2, §7, §10)."""

from __future__ import annotations

import asyncio

import gateway_frames as f
import pytest
from gateway_harness import NOW, GatewayFactory, Harness

from gateway.protocol.model import Edition
from gateway.protocol.realtime import RealtimeData
from gateway.server.interfaces import FrameKind, PlatformAccount, SessionEvent, TenantRoute
from gateway.server.settings import DuplicatePolicy

LOGIN, LOGOUT = SessionEvent.LOGIN, SessionEvent.LOGOUT
CONNECTED, DISCONNECTED = SessionEvent.CONNECTED, SessionEvent.DISCONNECTED
PLATFORM = (f.PLATFORM_USER, f.PLATFORM_PASSWORD)


async def test_login_realtime_reissue_logout(harness: Harness) -> None:
    client = await harness.client()
    assert await client.request(f.login()) == f.LOGIN_OK
    await client.send(f.realtime(), f.realtime(command=0x03))
    assert await client.silent()            # §6.2: valid reports are not answered by default
    assert await client.request(f.logout()) == f.LOGOUT_OK

    realtime, reissue = harness.sink.items
    assert (realtime.tenant, realtime.vin, realtime.kind) == ("acme", f.VIN1, FrameKind.REALTIME)
    assert realtime.raw == f.realtime() and realtime.received_at == NOW
    assert isinstance(realtime.frame.body, RealtimeData) and not realtime.reissued
    assert reissue.kind is FrameKind.REISSUE and reissue.reissued
    assert harness.sink.kinds() == [(f.VIN1, LOGIN), (f.VIN1, LOGOUT)]
    login = harness.sink.events[0]
    assert login.tenant == "acme" and login.details["serial"] == 1
    assert login.details["iccid"] == "89860117851014783261"
    assert harness.metrics.frames.get("realtime", "2016", "acme") == 1
    assert harness.metrics.answers.get("success") == 2
    # The accepted login and logout are archived as they arrived, like every accepted frame.
    assert [(item.raw, item.kind, item.tenant) for item in harness.sink.session_frames] == [
        (f.login(), FrameKind.SESSION, "acme"), (f.logout(), FrameKind.SESSION, "acme")]


async def test_2025_login_and_report(harness: Harness) -> None:
    client = await harness.client()
    answer = await client.request(f.login(marker=f.V2025))
    assert answer == b"$$" + f.LOGIN_OK[2:]        # same bytes after the marker, same BCC (§2.1)
    await client.send(f.realtime(marker=f.V2025))
    assert await client.silent()
    (item,) = harness.sink.items
    assert item.frame.edition is Edition.V2025


async def test_realtime_before_login_is_refused_and_not_stored(harness: Harness) -> None:
    client = await harness.client()
    assert await client.request(f.realtime()) == f.REALTIME_ERROR
    assert harness.sink.items == []
    assert harness.metrics.rejects.get("not_logged_in") == 1
    # The link stays usable: the terminal logs in and retries.
    assert await client.request(f.login()) == f.LOGIN_OK


async def test_realtime_for_another_vin_than_the_logged_in_one(harness: Harness) -> None:
    client = await harness.client()
    assert await client.request(f.login()) == f.LOGIN_OK
    answer = await client.request(f.realtime(vin=f.VIN2))
    assert answer[3] == 0x02 and answer[4:21] == f.VIN2.encode()
    assert harness.sink.items == []


async def test_ack_realtime_profile(make_gateway: GatewayFactory) -> None:
    harness = await make_gateway()
    harness.registry.routes[f.VIN1] = TenantRoute("acme", "bus", ack_realtime=True)
    client = await harness.client()
    await client.request(f.login())
    assert await client.request(f.realtime()) == f.REALTIME_OK
    assert len(harness.sink.items) == 1


async def test_unregistered_vin_is_refused_audited_and_closed(harness: Harness) -> None:
    client = await harness.client()
    await client.send(f.login(vin="LUNKNOWN000000009"))
    answer = await client.frame()
    assert answer[2:4] == b"\x01\x02"                 # 2016: plain error (§6.2)
    assert await client.closed_by_peer()              # reject-then-close
    assert harness.audit.reasons() == [("LUNKNOWN000000009", "unregistered_vin")]
    assert harness.sink.items == [] and harness.sink.events == []
    assert harness.metrics.rejects.get("unregistered_vin") == 1


async def test_unregistered_vin_on_2025_gets_vin_unknown(harness: Harness) -> None:
    del harness.registry.routes[f.VIN1]
    client = await harness.client()
    assert await client.request(f.login(marker=f.V2025)) == f.LOGIN_UNKNOWN_2025


async def test_malformed_data_unit_answers_error_per_edition(harness: Harness) -> None:
    client = await harness.client()
    await client.request(f.login(marker=f.V2025))
    short = f.build(0x02, "18 05 01 08 1E 00"[:-3], marker=f.V2025)   # 5-byte time
    assert (await client.request(short))[:4] == b"$$\x02\x06"          # §14.2 structure invalid
    assert harness.metrics.rejects.get("invalid_data_unit") == 1
    assert harness.sink.items == []


async def test_heartbeat_and_time_calibration_before_and_after_login(harness: Harness) -> None:
    client = await harness.client()
    assert await client.request(f.heartbeat()) == f.HEARTBEAT_OK
    assert await client.request(f.time_request()) == f.TIME_OK
    await client.request(f.login())
    assert await client.request(f.heartbeat()) == f.HEARTBEAT_OK
    assert await client.request(f.time_request()) == f.TIME_OK


@pytest.mark.parametrize("flag", [0x01, 0x02, 0x03, 0x07, 0x42])
async def test_replies_are_never_answered(harness: Harness, flag: int) -> None:
    client = await harness.client()
    await client.request(f.login())
    await client.send(f.build(0x07, flag=flag), f.build(0x01, f.TIME, flag=flag))
    # The next thing the terminal reads is the answer to its heartbeat, nothing before it.
    assert await client.request(f.heartbeat()) == f.HEARTBEAT_OK


async def test_vehicle_reply_to_a_platform_command_reaches_the_sink(harness: Harness) -> None:
    client = await harness.client()
    await client.request(f.login())
    await client.send(f.build(0x80, f.TIME + " 00", flag=0x01))   # parameter query answer
    assert await client.request(f.heartbeat()) == f.HEARTBEAT_OK
    (item,) = harness.sink.items
    assert item.kind is FrameKind.REPLY


async def test_logout_without_login_is_an_error(harness: Harness) -> None:
    client = await harness.client()
    answer = await client.request(f.logout())
    assert answer[2:4] == b"\x04\x02"


async def test_platform_multiplexes_two_vins(harness: Harness) -> None:
    platform = await harness.client()
    assert await platform.request(f.platform_login()) == f.PLATFORM_OK
    await platform.send(f.realtime(f.VIN1), f.realtime(f.VIN2), f.realtime(f.VIN1))
    assert await platform.silent()
    assert [(i.vin, i.tenant) for i in harness.sink.items] == [
        (f.VIN1, "acme"), (f.VIN2, "zeta"), (f.VIN1, "acme")]
    assert await platform.request(f.platform_logout()) == f.PLATFORM_LOGOUT_OK
    assert harness.sink.kinds() == [(f.VIN1, CONNECTED), (f.VIN2, CONNECTED),
                                    (f.VIN1, DISCONNECTED), (f.VIN2, DISCONNECTED)]
    # After the platform logout the link is a plain vehicle link again.
    assert (await platform.request(f.realtime(f.VIN1)))[3] == 0x02


async def test_platform_forwards_vehicle_login_and_logout(harness: Harness) -> None:
    platform = await harness.client()
    await platform.request(f.platform_login())
    assert await platform.request(f.login(f.VIN1)) == f.LOGIN_OK
    assert await platform.request(f.logout(f.VIN1)) == f.LOGOUT_OK
    assert harness.sink.kinds() == [(f.VIN1, LOGIN), (f.VIN1, LOGOUT)]


async def test_platform_refuses_unregistered_and_foreign_vins(make_gateway: GatewayFactory) -> None:
    harness = await make_gateway()
    harness.registry.platforms[PLATFORM] = PlatformAccount(f.PLATFORM_USER, tenant="acme")
    platform = await harness.client()
    await platform.request(f.platform_login())
    assert (await platform.request(f.realtime(f.VIN2)))[3] == 0x02   # zeta's vehicle
    assert (await platform.request(f.realtime("LUNKNOWN000000009")))[3] == 0x02
    assert harness.sink.items == []
    assert {reason for _, reason in harness.audit.reasons()} == {
        "vin_outside_platform_tenant", "unregistered_vin"}


async def test_platform_vin_quota(make_gateway: GatewayFactory) -> None:
    harness = await make_gateway()
    harness.registry.platforms[PLATFORM] = PlatformAccount(f.PLATFORM_USER, max_vins=1)
    platform = await harness.client()
    await platform.request(f.platform_login())
    await platform.send(f.realtime(f.VIN1))
    assert (await platform.request(f.realtime(f.VIN2)))[3] == 0x03   # §4: over the VIN quota
    assert [item.vin for item in harness.sink.items] == [f.VIN1]


async def test_wrong_platform_password(harness: Harness) -> None:
    platform = await harness.client()
    assert await platform.request(f.platform_login("wrong")) == f.PLATFORM_ERROR
    assert await platform.closed_by_peer()
    (rejection,) = harness.audit.rejections
    assert rejection.reason == "platform_auth_failed"
    assert "wrong" not in repr(rejection)                # the password is never audited


async def test_duplicate_vin_rejected_by_default(harness: Harness) -> None:
    first, second = await harness.client(), await harness.client()
    assert await first.request(f.login()) == f.LOGIN_OK
    assert await second.request(f.login()) == f.LOGIN_DUPLICATE
    assert await second.closed_by_peer()
    assert await first.request(f.heartbeat()) == f.HEARTBEAT_OK      # the first one lives on
    assert harness.metrics.rejects.get("duplicate_vin") == 1


async def test_duplicate_vin_replaces_a_silent_holder_even_when_rejecting(
        make_gateway: GatewayFactory) -> None:
    harness = await make_gateway(stale_link_s=0.3)
    first, second = await harness.client(), await harness.client()
    await first.request(f.login())
    await asyncio.sleep(0.4)                           # first missed its heartbeat: half dead?
    assert await second.request(f.login()) == f.LOGIN_OK
    assert await first.closed_by_peer()
    assert harness.metrics.rejects.get("duplicate_vin") == 0


async def test_duplicate_vin_replaces_old_session(make_gateway: GatewayFactory) -> None:
    harness = await make_gateway(duplicate_policy=DuplicatePolicy.REPLACE_OLD)
    first, second = await harness.client(), await harness.client()
    await first.request(f.login())
    assert await second.request(f.login()) == f.LOGIN_OK
    assert await first.closed_by_peer()
    await second.send(f.realtime())
    assert await second.silent()
    assert harness.sink.kinds() == [(f.VIN1, LOGIN), (f.VIN1, DISCONNECTED), (f.VIN1, LOGIN)]
    assert harness.sink.events[1].details["reason"] == "replaced"
    assert len(harness.sink.items) == 1
    assert harness.metrics.connections_closed.get("replaced") == 1


async def test_dropped_link_closes_the_vin_session(harness: Harness) -> None:
    client = await harness.client()
    await client.request(f.login())
    await client.close()
    async with asyncio.timeout(2):
        while len(harness.sink.events) < 2:
            await asyncio.sleep(0.01)
    assert harness.sink.kinds() == [(f.VIN1, LOGIN), (f.VIN1, DISCONNECTED)]
    # The VIN is free again for a new connection.
    again = await harness.client()
    assert await again.request(f.login()) == f.LOGIN_OK


async def test_registry_is_cached_per_vin(harness: Harness) -> None:
    for _ in range(3):
        client = await harness.client()
        assert await client.request(f.login()) == f.LOGIN_OK
        assert await client.request(f.logout()) == f.LOGOUT_OK
    assert harness.registry.route_calls == [f.VIN1]
