"""Fleet statistics over a period (docs/fleet-data.md, "Fleet statistics"): per Beijing day or
per vehicle model, from the hourly rollup. Permission fleet:read, in the tenant asked."""

from __future__ import annotations

from datetime import datetime

from backend.core.access import Permission, Principal
from backend.core.data_errors import InvalidArgument
from backend.core.fleet_statistics import (
    FleetStatistics,
    StatisticsGrouping,
    check_statistics_range,
)
from backend.services.tenant_data import tenant_use_case
from backend.storage import fleet_statistics as store
from backend.storage.db import Conn, Pool


async def fleet_statistics(db: Conn | Pool, actor: Principal, tenant: str, *,
                           start: datetime, end: datetime,
                           grouping: StatisticsGrouping) -> FleetStatistics:
    async with tenant_use_case(db, actor, tenant, Permission.FLEET_READ) as conn:
        check_statistics_range(start, end)
        if grouping not in set(StatisticsGrouping):
            raise InvalidArgument("group by day or model", field="groupBy")
        chosen = StatisticsGrouping(grouping)
        groups = await store.fleet_statistics(conn, tenant, start, end, chosen)
    return FleetStatistics(start, end, chosen, tuple(groups))
