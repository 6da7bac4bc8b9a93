"""The built web console (``frontend/dist``) served by the API itself, so the page, the GraphQL
endpoint and the session cookies share one origin.

``index.html`` is answered for every console address (the app routes in the browser) with the
deployment's runtime config written into its JSON data block: one build serves every
deployment. Hashed assets are cached for a year; the page itself is revalidated each time.
Without a build the console routes are absent and the API works alone.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path, PurePosixPath
from typing import Final
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from backend.settings import Environment, Settings

LOG = logging.getLogger("nevguard.api")
CONFIG_BLOCK: Final = '<script id="nevguard-config" type="application/json">{}</script>'
# Paths the console never owns: an unknown one is the API's 404, not the app's page.
API_PREFIXES: Final = ("/graphql", "/auth/", "/oauth/", "/.well-known/", "/healthz", "/assets/")
IMMUTABLE: Final = "public, max-age=31536000, immutable"


def runtime_config(settings: Settings) -> dict[str, object]:
    """What the browser may know about the deployment (nothing secret)."""
    frontend = settings.frontend
    return {
        "environment": settings.environment.value,
        "defaultLocale": frontend.default_locale,
        "deploymentName": frontend.deployment_name,
        "mapTileUrl": frontend.map_tile_url,
    }


def render_index(template: str, config: dict[str, object]) -> str:
    """The page with the config in its data block. ``<``, ``>`` and ``&`` are escaped so no
    value can close the script element (a deployment name is free text)."""
    if CONFIG_BLOCK not in template:
        raise ValueError("index.html has no runtime config block")
    payload = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c") \
        .replace(">", "\\u003e").replace("&", "\\u0026")
    return template.replace(CONFIG_BLOCK, CONFIG_BLOCK.replace("{}", payload), 1)


def content_security_policy(settings: Settings) -> str:
    """Scripts only from this origin; Ant Design writes its styles inline at run time, so
    styles need 'unsafe-inline'. A configured tile server is the one other image source."""
    images = "'self' data: blob:"
    tiles = settings.frontend.map_tile_url
    if tiles is not None:
        parts = urlsplit(tiles)
        images += f" {parts.scheme}://{parts.netloc.replace('{s}', '*')}"
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src {images}; font-src 'self' data:; connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'")


class _ImmutableAssets(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = IMMUTABLE
        return response


def frontend_routes(settings: Settings) -> list[BaseRoute]:
    dist = settings.frontend.dist_dir
    index = dist / "index.html"
    if not index.is_file():
        level = logging.WARNING if settings.environment is Environment.PRODUCTION else logging.INFO
        LOG.log(level, "web console not built (%s missing): serving the API only", index)
        return []
    page = render_index(index.read_text(encoding="utf-8"), runtime_config(settings))
    headers = {"Cache-Control": "no-cache",
               "Content-Security-Policy": content_security_policy(settings)}

    async def console_page(request: Request) -> Response:
        path = request.url.path
        # A missing file (an old asset name, a typo) is a plain 404, not the app's page.
        if path.startswith(API_PREFIXES) or PurePosixPath(path).suffix:
            return JSONResponse({"error": {"code": "NOT_FOUND", "message": "no such path"}},
                                status_code=404)
        return HTMLResponse(page, headers=headers)

    routes: list[BaseRoute] = []
    if (dist / "assets").is_dir():
        routes.append(Mount("/assets", app=_ImmutableAssets(directory=Path(dist / "assets")),
                            name="console-assets"))
    routes.append(Route("/{path:path}", console_page, methods=["GET", "HEAD"]))
    return routes
