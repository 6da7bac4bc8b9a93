"""The ``nevguard`` console entry point. The API commands are dispatched here because the
gateway's command module may not depend on the API (import-linter); everything else is the
gateway's command line (gateway/cli.py), which hands administration on to backend/cli.py."""

from __future__ import annotations

import sys
from typing import Final

API_COMMANDS: Final = frozenset({"api", "schema-export"})


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["worker"]:
        # Here for the same reason as the API: the gateway's module may not import workers.
        from backend.workers.cli import main as worker_main  # noqa: PLC0415

        return worker_main(argv[1:])
    if argv[:1] == ["alarm-engine"]:
        from backend.workers.alarm_engine_main import main as engine_main  # noqa: PLC0415

        return engine_main(argv[1:])
    if argv[:1] and argv[0] in API_COMMANDS:
        from backend.api.cli import main as api_main  # noqa: PLC0415 - loads the schema

        return api_main(argv)
    from gateway.cli import main as gateway_main  # noqa: PLC0415

    return gateway_main(argv)


if __name__ == "__main__":
    sys.exit(main())
