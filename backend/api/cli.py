"""The API commands of ``nevguard``:

    api                        serve the API with uvicorn (host and port from the settings)
    schema-export [--output F] print the GraphQL SDL (frontend/schema.graphql is its output)
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from backend.api.graphql.schema import build_schema


def schema_sdl() -> str:
    """The full schema as the development server publishes it (production only hides
    introspection, not types)."""
    return build_schema(production=False).as_str() + "\n"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nevguard", description="NEVGuard API")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("api", help="serve the GraphQL API (uvicorn)")
    export = commands.add_parser("schema-export", help="print the GraphQL SDL")
    export.add_argument("--output", type=Path, help="write to this file instead of stdout")
    return parser


def run_api() -> int:
    import uvicorn  # noqa: PLC0415 - only the server needs it

    from backend.api.app import create_app  # noqa: PLC0415
    from backend.settings import load_settings  # noqa: PLC0415

    settings = load_settings()
    logging.basicConfig(level=settings.log_level.value,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(create_app(settings), host=settings.api_host, port=settings.api_port,
                ws="wsproto", log_level=settings.log_level.value.lower(),
                # Request ids and CSRF rely on exact headers; no server banner to advertise.
                server_header=False, proxy_headers=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else list(argv))
    if args.command == "api":
        return run_api()
    sdl = schema_sdl()
    if args.output is None:
        sys.stdout.write(sdl)
    else:
        args.output.write_text(sdl, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
