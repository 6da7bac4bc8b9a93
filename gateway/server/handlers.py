"""The session rules, one handler per upstream command (PROTOCOL.md §3, §6.2, §7, §10).

| command | accepted when | answer |
|---|---|---|
| 0x01 vehicle login | VIN registered, not online elsewhere (policy) | 0x01 / 0x02-0x04 |
| 0x02/0x03 report | VIN logged in on this link, or a platform link | none (or 0x01 by profile) |
| 0x04 vehicle logout | VIN logged in on this link | 0x01 / 0x02 |
| 0x05 platform login | credentials accepted by the registry | 0x01 / 0x02 |
| 0x06 platform logout | platform logged in | 0x01 / 0x02 |
| 0x07 heartbeat, 0x08 time | always | 0x01 (0x08 carries the platform clock) |
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Final

from gateway.protocol.envelope import Envelope
from gateway.protocol.frame import Frame
from gateway.protocol.model import Command, ResponseFlag
from gateway.protocol.realtime import RealtimeData
from gateway.protocol.session import (
    PlatformLogin,
    PlatformLogout,
    VehicleLogin2016,
    VehicleLogin2025,
    VehicleLogout,
)

from .context import Outcome, Refusal
from .instruments import NO_TENANT
from .interfaces import FrameKind, SessionEvent, TenantRoute
from .settings import DuplicatePolicy

if TYPE_CHECKING:
    from .session import Session

log = logging.getLogger(__name__)

Handler = Callable[["Session", Envelope, Frame, bytes, datetime], Awaitable[Outcome]]
SUCCESS: Final = ResponseFlag.SUCCESS
ERROR: Final = ResponseFlag.ERROR


async def _malformed(session: Session, envelope: Envelope, frame: Frame) -> Outcome:
    """A data unit that decoded to something other than the command's body (e.g. trailing
    bytes after an empty heartbeat turned it into an opaque unit)."""
    return await session.refuse(envelope, "invalid_data_unit",
                                Refusal.STRUCTURE.flag(envelope.edition),
                                audit={"body": type(frame.body).__name__})


async def platform_route(session: Session, envelope: Envelope,
                         vin: str) -> TenantRoute | Outcome:
    """Route a VIN that a logged-in platform speaks for, or the refusal to send."""
    account = session.platform
    if account is None:
        raise ValueError("platform_route needs a platform link")
    route = await session.context.registry.route(vin)
    detail = {"platform": account.account_id}
    unknown = Refusal.UNREGISTERED.flag(envelope.edition)
    if route is None:
        return await session.refuse(envelope, "unregistered_vin", unknown, audit=detail)
    if account.tenant is not None and route.tenant != account.tenant:
        # Answered like an unknown VIN so a platform cannot probe other tenants' fleets.
        return await session.refuse(envelope, "vin_outside_platform_tenant", unknown, audit=detail)
    if not route.active:
        # A plain error (§6.2), not "VIN unknown": the VIN is registered; the lower platform
        # keeps the data and resends it (§11) once the tenant is resumed.
        return await session.refuse(envelope, "tenant_suspended", ERROR,
                                    audit={**detail, "tenant": route.tenant})
    if (vin not in session.present and account.max_vins is not None
            and len(session.present) >= account.max_vins):
        return await session.refuse(envelope, "platform_vin_quota", ResponseFlag.VIN_DUPLICATE,
                                    audit={**detail, "max_vins": account.max_vins})
    return route


async def _claim(session: Session, envelope: Envelope, vin: str) -> Outcome | None:
    """Apply the duplicate-login policy (§10); None when the VIN is now held by this session."""
    context = session.context
    owner = context.online.owner(vin)
    if owner is not None and owner is not session:
        settings = context.settings
        if (settings.duplicate_policy is DuplicatePolicy.REJECT_NEW
                and owner.idle_for() < settings.effective_stale_link):
            return await session.refuse(envelope, "duplicate_vin", ResponseFlag.VIN_DUPLICATE,
                                        audit={"online_on": owner.connection_id},
                                        close=settings.close_after_login_reject)
        context.online.claim(vin, session)
        await owner.evict(vin)
    else:
        context.online.claim(vin, session)
    session.claimed.add(vin)
    return None


async def vehicle_login(session: Session, envelope: Envelope, frame: Frame, raw: bytes,
                        at: datetime) -> Outcome:
    login = frame.body
    if not isinstance(login, VehicleLogin2016 | VehicleLogin2025):
        return await _malformed(session, envelope, frame)
    vin = frame.unique_id
    settings = session.context.settings
    if session.platform is not None:
        routed = await platform_route(session, envelope, vin)
        if isinstance(routed, Outcome):
            return routed
        route = routed
    else:
        if vin not in session.present and (len(session.present)
                                           >= settings.max_vins_per_vehicle_connection):
            return await session.refuse(envelope, "too_many_vins", ERROR,
                                        audit={"logged_in": sorted(session.present)})
        found = await session.context.registry.route(vin)
        if found is None:
            return await session.refuse(envelope, "unregistered_vin",
                                        Refusal.UNREGISTERED.flag(envelope.edition),
                                        audit={"command": "vehicle_login"},
                                        close=settings.close_after_login_reject)
        if not found.active:
            # The terminal keeps its records and reissues them (0x03, §11) after a later
            # successful login: refusing loses nothing, accepting and not storing would.
            return await session.refuse(envelope, "tenant_suspended", ERROR,
                                        audit={"command": "vehicle_login",
                                               "tenant": found.tenant},
                                        close=settings.close_after_login_reject)
        route = found
        refused = await _claim(session, envelope, vin)
        if refused is not None:
            return refused
    if vin not in session.present:
        # A repeated login on the same link (our answer got lost) is answered, not re-announced.
        session.present[vin] = route
        await session.event(route, vin, SessionEvent.LOGIN, at, {
            "serial": login.serial, "iccid": login.iccid, "edition": frame.edition.value})
    else:
        session.present[vin] = route
    # Every accepted frame is kept as it arrived (the regulator may ask for the raw bytes).
    await session.submit(route, vin, frame, raw, received_at=at, kind=FrameKind.SESSION)
    return Outcome(session.answer(envelope, SUCCESS, frame), tenant=route.tenant)


async def report(session: Session, envelope: Envelope, frame: Frame, raw: bytes,
                 at: datetime) -> Outcome:
    """0x02 realtime and 0x03 reissue (§8, §11)."""
    body = frame.body
    if not isinstance(body, RealtimeData):
        return await _malformed(session, envelope, frame)
    vin = frame.unique_id
    account = session.platform
    if account is not None:
        routed = await platform_route(session, envelope, vin)
        if isinstance(routed, Outcome):
            return routed
        route = routed
        if vin not in session.present:
            session.present[vin] = route
            await session.event(route, vin, SessionEvent.CONNECTED, at,
                                {"platform": account.account_id})
    else:
        known = session.present.get(vin)
        if known is None:
            # §10: reports are accepted only after a successful login.
            return await session.refuse(envelope, "not_logged_in", ERROR)
        route = known
    if frame.signature_verified is False:
        return await session.refuse(envelope, "signature_invalid",
                                    Refusal.SIGNATURE.flag(envelope.edition),
                                    audit={"command": envelope.command}, tenant=route.tenant)
    if body.undecoded_reason is not None:
        session.context.metrics.partial_data_units.inc(body.undecoded_reason)
    kind = FrameKind.REISSUE if envelope.command == Command.REISSUE else FrameKind.REALTIME
    await session.submit(route, vin, frame, raw, received_at=at, kind=kind)
    ack = route.ack_realtime
    if ack is None and account is not None:
        ack = account.ack_realtime
    if ack is None:
        ack = session.context.settings.ack_realtime
    return Outcome(session.answer(envelope, SUCCESS, frame) if ack else None,
                   tenant=route.tenant)


async def vehicle_logout(session: Session, envelope: Envelope, frame: Frame, raw: bytes,
                         at: datetime) -> Outcome:
    logout = frame.body
    if not isinstance(logout, VehicleLogout):
        return await _malformed(session, envelope, frame)
    vin = frame.unique_id
    route = session.present.pop(vin, None)
    if route is None:
        return await session.refuse(envelope, "not_logged_in", ERROR)
    if vin in session.claimed:
        session.claimed.discard(vin)
        session.context.online.release(vin, session)
    await session.event(route, vin, SessionEvent.LOGOUT, at, {"serial": logout.serial})
    await session.submit(route, vin, frame, raw, received_at=at, kind=FrameKind.SESSION)
    return Outcome(session.answer(envelope, SUCCESS, frame), tenant=route.tenant)


async def platform_login(session: Session, envelope: Envelope, frame: Frame, raw: bytes,
                         at: datetime) -> Outcome:
    login = frame.body
    if not isinstance(login, PlatformLogin):
        return await _malformed(session, envelope, frame)
    account = await session.context.registry.check_platform(login.username, login.password)
    if account is None:
        return await session.refuse(envelope, "platform_auth_failed", ERROR,
                                    audit={"username": login.username},
                                    close=session.context.settings.close_after_login_reject)
    session.platform = account
    log.info("platform %s logged in on %s from %s", account.account_id, session.connection_id,
             session.peer)
    return Outcome(session.answer(envelope, SUCCESS, frame), tenant=account.tenant or NO_TENANT)


async def platform_logout(session: Session, envelope: Envelope, frame: Frame, raw: bytes,
                          at: datetime) -> Outcome:
    if not isinstance(frame.body, PlatformLogout):
        return await _malformed(session, envelope, frame)
    account = session.platform
    if account is None:
        return await session.refuse(envelope, "not_logged_in", ERROR)
    await session.disconnect_all("platform_logout")
    session.platform = None
    return Outcome(session.answer(envelope, SUCCESS, frame), tenant=account.tenant or NO_TENANT)


async def keepalive(session: Session, envelope: Envelope, frame: Frame, raw: bytes,
                    at: datetime) -> Outcome:
    """0x07 heartbeat (empty answer) and 0x08 time calibration (answer carries our clock,
    §6.2); both are answered before login too, so a terminal can set its clock first."""
    return Outcome(session.answer(envelope, SUCCESS, frame))


HANDLERS: Final[dict[int, Handler]] = {
    Command.VEHICLE_LOGIN: vehicle_login,
    Command.REALTIME: report,
    Command.REISSUE: report,
    Command.VEHICLE_LOGOUT: vehicle_logout,
    Command.PLATFORM_LOGIN: platform_login,
    Command.PLATFORM_LOGOUT: platform_logout,
    Command.HEARTBEAT: keepalive,
    Command.TIME_CALIBRATION: keepalive,
}
