"""Shared fixtures. `service_settings` gives tests marked `services` the real PostgreSQL, Redis
and S3 started by scripts/services; `redis` is a client of that Redis (the tests' database)."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis.asyncio as redis_asyncio

from backend.core.sealed_secrets import new_key_entry
from backend.settings import Settings, load_settings

REPO_ROOT = Path(__file__).resolve().parent.parent
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY")
# The alarm feed, job queues and live channels are not namespaced by the PostgreSQL database:
# tests write to Redis database 15 of the server, so a demo on database 0 never reads (and
# warns about) what a test run left there. The browser e2e stack takes one of 1-14.
TEST_REDIS_DATABASE = 15


def _exports_from_services_script() -> dict[str, str]:
    """The `export KEY=VALUE` lines of `scripts/services env`, or nothing when it has no state."""
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [str(REPO_ROOT / "scripts" / "services"), "env"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if result.returncode != 0:
        return {}
    exports: dict[str, str] = {}
    for line in result.stdout.splitlines():
        words = shlex.split(line)
        if len(words) == 2 and words[0] == "export":
            key, _, value = words[1].partition("=")
            exports[key] = value
    return exports


@pytest.fixture(scope="session")
def service_settings() -> Settings:
    """Settings pointing at the real services: from the environment exported by scripts/test,
    else from `scripts/services env`. Skips when neither is there, unless
    NEVGUARD_REQUIRE_SERVICES=1 (scripts/test sets it) turns that into a failure."""
    environ = dict(os.environ)
    if not all(environ.get(key) for key in SERVICE_VARIABLES):
        environ = {**_exports_from_services_script(), **environ}
    if not all(environ.get(key) for key in SERVICE_VARIABLES):
        reason = "services are not running: start them with scripts/services up"
        if os.environ.get("NEVGUARD_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    # A KEK for this test run when none is exported (secrets at rest, docs/auth.md).
    environ.setdefault("NEVGUARD_SECRET_KEYS", new_key_entry("test-kek"))
    environ["REDIS_URL"] = urlsplit(environ["REDIS_URL"])._replace(
        path=f"/{TEST_REDIS_DATABASE}").geturl()
    return load_settings(environ, env_file=None)


@pytest.fixture
async def redis(service_settings: Settings) -> AsyncIterator[redis_asyncio.Redis]:
    client = redis_asyncio.Redis.from_url(service_settings.redis_url.reveal())
    yield client
    await client.aclose()
