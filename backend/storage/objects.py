"""Object storage (S3 API: SeaweedFS in development, MinIO or a cloud S3 in production) through
the minio SDK: presigned upload and download URLs for files people attach, so the bytes go
between the client and the store and never through the API process; and a direct upload for
the console's evidence route, which the browser cannot PUT to another origin without CORS on
the bucket (docs/alarms.md, "Evidence").

Object keys start with the tenant's slug (``<tenant>/...``): one bucket serves every tenant
and a key made for one tenant never names another's object.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, BinaryIO, Final, cast

from minio import Minio

from backend.settings import Settings

# A fixed region: presigning then needs no round trip to ask the store for it.
REGION: Final = "us-east-1"


@dataclass(frozen=True, slots=True)
class ObjectStore:
    client: Minio
    bucket: str

    @classmethod
    def from_settings(cls, settings: Settings) -> ObjectStore:
        client = Minio(settings.s3_endpoint, access_key=settings.s3_access_key,
                       secret_key=settings.s3_secret_key.reveal(), secure=settings.s3_secure,
                       region=REGION)
        return cls(client, settings.s3_bucket)

    async def ensure_bucket(self) -> None:
        def make() -> None:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket)
        await asyncio.to_thread(make)

    async def upload_url(self, key: str, expires: timedelta) -> str:
        await self.ensure_bucket()
        return await asyncio.to_thread(self.client.presigned_put_object, self.bucket, key,
                                       expires)

    async def download_url(self, key: str, expires: timedelta) -> str:
        return await asyncio.to_thread(self.client.presigned_get_object, self.bucket, key,
                                       expires)

    async def put(self, key: str, data: IO[bytes], length: int, content_type: str) -> None:
        """Store ``length`` bytes read from ``data`` (the minio SDK sends them in parts)."""
        await self.ensure_bucket()
        # The SDK only reads (read(n)); its BinaryIO annotation is narrower than it needs.
        await asyncio.to_thread(self.client.put_object, self.bucket, key,
                                cast(BinaryIO, data), length, content_type=content_type)
