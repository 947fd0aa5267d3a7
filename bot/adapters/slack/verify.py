"""Verify a request to /slack/events before anything else looks at it.

Order, cheapest first, so that junk costs almost nothing: the declared length, the content type, the
timestamp header (ASCII digits, within five minutes either way), then the raw body read under the size
cap, then the v0 signature against the current signing secret and, during a rotation, the previous one.
Nothing here parses the body; a rejection names a reason code, never content.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

MAX_BODY_BYTES = 1024 * 1024
MAX_CLOCK_SKEW_SECONDS = 5 * 60
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
ALLOWED_CONTENT_TYPES = (FORM, JSON)
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


class Rejection(Exception):
    """Why a request was refused, as an HTTP status and a short reason code for the log."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Verified:
    """A request whose body Slack signed: the raw body as text and its content type (form or JSON)."""

    body: str
    content_type: str


class RequestVerifier:
    """Checks Slack's v0 signature with one or two secrets (the second only while rotating)."""

    def __init__(self, secrets: list[str]) -> None:
        self._verifiers = [SignatureVerifier(secret) for secret in secrets if secret.strip()]

    async def verify(self, request: web.Request) -> Verified:
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            raise Rejection(413, "body_too_large")
        if request.content_type not in ALLOWED_CONTENT_TYPES:
            raise Rejection(400, "content_type")
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not _TIMESTAMP.fullmatch(timestamp):
            raise Rejection(401, "timestamp_missing_or_not_numeric")
        if abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
            raise Rejection(401, "timestamp_out_of_window")
        if not _SIGNATURE.fullmatch(signature):
            raise Rejection(401, "signature_malformed")
        if not self._verifiers:
            raise Rejection(401, "no_signing_secret_configured")
        raw = await read_capped(request)
        # SignatureVerifier re-checks the window with the same clock; our check above already passed.
        if not any(verifier.is_valid(raw, timestamp, signature) for verifier in self._verifiers):
            raise Rejection(401, "signature_mismatch")
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Rejection(400, "body_not_utf8") from None
        return Verified(body=body, content_type=request.content_type)


async def read_capped(request: web.Request) -> bytes:
    """The raw body, reading at most MAX_BODY_BYTES + 1 bytes whatever the client declared."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_BODY_BYTES:
        chunk = await request.content.read(MAX_BODY_BYTES + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if request.content.at_eof():
            break  # the whole body is in: no further read just to learn that
    if size > MAX_BODY_BYTES:
        raise Rejection(413, "body_too_large")
    return b"".join(chunks)
