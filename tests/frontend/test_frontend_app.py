"""The console served by the API: the page with its runtime config for every app address,
hashed assets with long caching, API paths and missing files left as 404, its own CSP, and the
settings that feed it."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx2
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from backend.api.frontend_app import (
    CONFIG_BLOCK,
    content_security_policy,
    frontend_routes,
    render_index,
    runtime_config,
)
from backend.api.middleware import TransportMiddleware
from backend.settings import InvalidSetting, Settings, load_settings

BASE = {
    "DATABASE_URL": "postgresql://nevguard@127.0.0.1:15432/nevguard",
    "REDIS_URL": "redis://127.0.0.1:16379/0",
    "S3_ENDPOINT": "http://127.0.0.1:18333",
    "S3_ACCESS_KEY": "NGACCESS",
    "S3_SECRET_KEY": "secret",
}
TEMPLATE = f"<html><head>{CONFIG_BLOCK}</head><body><div id=root></div></body></html>"


def settings_for(dist: Path, **environment: str) -> Settings:
    return load_settings({**BASE, "NEVGUARD_FRONTEND_DIR": str(dist), **environment},
                         env_file=None)


def config_of(page: str) -> dict[str, object]:
    found = re.search(r'<script id="nevguard-config" type="application/json">(.*?)</script>',
                      page, re.S)
    assert found is not None
    parsed: dict[str, object] = json.loads(found.group(1))
    return parsed


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)")
    (tmp_path / "index.html").write_text(TEMPLATE)
    return tmp_path


async def client_for(settings: Settings) -> AsyncIterator[httpx2.AsyncClient]:
    async def api(_request: object) -> PlainTextResponse:
        return PlainTextResponse("api")

    app = Starlette(routes=[Route("/healthz", api), *frontend_routes(settings)],
                    middleware=[Middleware(TransportMiddleware, hsts=False)])
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app),
                                  base_url="http://console.test") as http:
        yield http


@pytest.fixture
async def client(dist: Path) -> AsyncIterator[httpx2.AsyncClient]:
    async for http in client_for(settings_for(dist, NEVGUARD_DEPLOYMENT_NAME="示范 OEM")):
        yield http


@pytest.mark.parametrize("path", ["/", "/dashboard", "/vehicles/LNBSCB3F5JW123456", "/login"])
async def test_app_addresses_get_the_page_with_config(client: httpx2.AsyncClient,
                                                      path: str) -> None:
    answer = await client.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["cache-control"] == "no-cache"
    assert config_of(answer.text) == {"environment": "development", "defaultLocale": "zh-CN",
                                      "deploymentName": "示范 OEM", "mapTileUrl": None}


async def test_page_csp_allows_own_scripts_only(client: httpx2.AsyncClient) -> None:
    csp = (await client.get("/")).headers["content-security-policy"]
    assert "script-src 'self';" in csp
    assert "connect-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp


async def test_assets_are_immutable_and_missing_files_404(client: httpx2.AsyncClient) -> None:
    asset = await client.get("/assets/index-abc123.js")
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert (await client.get("/assets/gone-000.js")).status_code == 404
    assert (await client.get("/favicon.ico")).status_code == 404


@pytest.mark.parametrize("path", ["/graphql/x", "/auth/unknown", "/oauth/x", "/.well-known/x"])
async def test_api_paths_are_never_the_page(client: httpx2.AsyncClient, path: str) -> None:
    answer = await client.get(path)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "NOT_FOUND"


async def test_earlier_routes_win(client: httpx2.AsyncClient) -> None:
    assert (await client.get("/healthz")).text == "api"


async def test_without_a_build_only_the_api_is_served(tmp_path: Path) -> None:
    assert frontend_routes(settings_for(tmp_path / "missing")) == []


def test_config_cannot_break_out_of_its_block() -> None:
    page = render_index(TEMPLATE, {"deploymentName": "</script><script>alert(1)</script>&"})
    assert page.count("</script>") == 1
    assert config_of(page) == {"deploymentName": "</script><script>alert(1)</script>&"}


def test_template_without_block_is_refused() -> None:
    with pytest.raises(ValueError, match="runtime config block"):
        render_index("<html></html>", {})


def test_tile_server_settings(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path, NEVGUARD_MAP_TILE_URL="https://{s}.tiles.example/{z}/{x}/{y}.png",
                            NEVGUARD_DEFAULT_LOCALE="en")
    assert runtime_config(settings)["mapTileUrl"] == "https://{s}.tiles.example/{z}/{x}/{y}.png"
    assert runtime_config(settings)["defaultLocale"] == "en"
    assert "img-src 'self' data: blob: https://*.tiles.example;" in \
        content_security_policy(settings)


@pytest.mark.parametrize(("key", "value"), [
    ("NEVGUARD_DEFAULT_LOCALE", "fr"),
    ("NEVGUARD_MAP_TILE_URL", "http://tiles.example/{z}/{x}/{y}.png"),
    ("NEVGUARD_MAP_TILE_URL", "https://tiles.example/tile.png"),
])
def test_bad_frontend_settings(tmp_path: Path, key: str, value: str) -> None:
    with pytest.raises(InvalidSetting) as caught:
        settings_for(tmp_path, **{key: value})
    assert caught.value.key == key
