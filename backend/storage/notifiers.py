"""Sending notifications out: an HTTPS webhook, e-mail over SMTP, and the SMS / IM gateway
hook (an HTTP endpoint of the tenant's SMS or IM provider, signed like the webhook).

The standard library does the talking (urllib, smtplib) in a worker thread: notifications are
few, and this keeps HTTP and SMTP clients out of the dependencies. Every call has a timeout;
any failure raises ``SendFailed`` and the caller schedules the retry.
"""

from __future__ import annotations

import asyncio
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Final

from backend.core.alarm_cases.notices import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
)

TIMEOUT_S: Final = 10.0
USER_AGENT: Final = "NEVGuard-Notifier/1"


class SendFailed(Exception):
    """The receiver refused, answered an error, or could not be reached in time."""


def _post(url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> None:
    if not url.lower().startswith(("https://", "http://")):
        raise SendFailed("the URL is not http(s)")
    request = urllib.request.Request(url, data=body, method="POST",  # noqa: S310 - scheme checked
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "User-Agent": USER_AGENT, **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        raise SendFailed(f"HTTP {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:  # timeouts are OSErrors
        raise SendFailed(f"unreachable: {error}") from None
    if not 200 <= status < 300:
        raise SendFailed(f"HTTP {status}")


def signed_headers(secret: bytes | None, body: bytes, now: datetime) -> dict[str, str]:
    if secret is None:
        return {}
    timestamp = int(now.timestamp())
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(secret, timestamp, body)}


async def post_webhook(url: str, body: bytes, secret: bytes | None, *,
                       timeout_s: float = TIMEOUT_S) -> None:
    headers = signed_headers(secret, body, datetime.now(UTC))
    await asyncio.to_thread(_post, url, body, headers, timeout_s)


async def post_sms(url: str, phone: str, text: str, secret: bytes | None, *,
                   timeout_s: float = TIMEOUT_S) -> None:
    body = json.dumps({"to": phone, "text": text}, ensure_ascii=False).encode("utf-8")
    await asyncio.to_thread(_post, url, body, signed_headers(secret, body, datetime.now(UTC)),
                            timeout_s)


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int
    security: str  # "none", "starttls" or "tls"
    sender: str
    username: str | None = None
    password: str | None = None
    timeout_s: float = TIMEOUT_S


def _send_mail(server: SmtpServer, to: str, subject: str, text: str) -> None:
    message = EmailMessage()
    message["From"] = server.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    try:
        client: smtplib.SMTP
        if server.security == "tls":
            client = smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout_s,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=server.timeout_s)
        with client:
            if server.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if server.username is not None and server.password is not None:
                client.login(server.username, server.password)
            client.send_message(message)
    except (smtplib.SMTPException, OSError, ValueError) as error:
        raise SendFailed(f"SMTP: {type(error).__name__}: {error}") from None


async def send_mail(server: SmtpServer, to: str, subject: str, text: str) -> None:
    await asyncio.to_thread(_send_mail, server, to, subject, text)
