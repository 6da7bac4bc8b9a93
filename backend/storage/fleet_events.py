"""The newest link events (login, logout, connect, disconnect) of a tenant's registered
vehicles across the fleet, newest first: what the console's live event list starts from
before the subscription adds to it. Served by ``vehicle_events (at DESC)`` (tenant migration
0011). Call inside ``tenant_tx``."""

from __future__ import annotations

import json
from datetime import datetime

from backend.core.live import FleetEvent
from backend.core.sessions import LINK_KINDS
from backend.storage.db import Conn


async def recent_fleet_events(conn: Conn, tenant: str, since: datetime,
                              limit: int) -> list[FleetEvent]:
    """Up to ``limit`` link events at or after ``since``; events of VINs that are not (or no
    longer) the tenant's are left out, like everywhere in the fleet views."""
    rows = await conn.fetch(
        """SELECT e.vin, e.kind, e.at, e.collected_at, e.serial, e.details
             FROM vehicle_events AS e
            WHERE e.at >= $2 AND e.kind = ANY($4::text[])
              AND EXISTS (SELECT FROM nevguard.vehicles AS v
                            JOIN nevguard.tenants AS t ON t.id = v.tenant_id AND t.slug = $1
                           WHERE v.vin = e.vin::char(17))
            ORDER BY e.at DESC
            LIMIT $3""",
        tenant, since, limit, sorted(LINK_KINDS))
    return [FleetEvent(vin=row["vin"], kind=row["kind"], at=row["at"],
                       collected_at=row["collected_at"], serial=row["serial"],
                       details=json.loads(row["details"]) if row["details"] else {})
            for row in rows]
