"""What every session of one gateway shares, and the edition-dependent answer flags (§4, §14.2)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from gateway.protocol.model import Edition, ResponseFlag

from .cached_registry import CachedRegistry
from .instruments import NO_TENANT, GatewayMetrics
from .interfaces import AuditLog, Clock, IngestSink
from .online import OnlineVehicles
from .settings import GatewaySettings


@dataclass(frozen=True, slots=True)
class GatewayContext:
    settings: GatewaySettings
    registry: CachedRegistry
    sink: IngestSink
    audit: AuditLog
    metrics: GatewayMetrics
    online: OnlineVehicles
    clock: Clock


@dataclass(frozen=True, slots=True)
class Outcome:
    """Result of one frame: the answer to send (if any), a reason to close the connection after
    sending it (if any), and the tenant the frame belonged to (for the frames metric)."""

    answer: bytes | None = None
    close: str | None = None
    tenant: str = NO_TENANT


NOTHING: Final = Outcome()



class Refusal(enum.Enum):
    """Refusals that 2025 answers with a dedicated flag and 2016 with plain 0x02 (§4, §14.2)."""

    UNREGISTERED = ResponseFlag.VIN_UNKNOWN
    SIGNATURE = ResponseFlag.SIGNATURE_INVALID
    STRUCTURE = ResponseFlag.STRUCTURE_INVALID
    DECRYPTION = ResponseFlag.DECRYPTION_FAILED

    def flag(self, edition: Edition) -> ResponseFlag:
        return self.value if edition is Edition.V2025 else ResponseFlag.ERROR
