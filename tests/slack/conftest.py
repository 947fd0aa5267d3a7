"""Fixtures for end-to-end Slack tests: the Web API stand-in, the app served over real HTTP,
signed Slack-like requests, and `maatwerk serve` as a real subprocess."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack.server import build_web_app
from bot.services.context import AppContext
from bot.settings import Settings
from tests.slack.standin import BARRIER_USER, StandIn

SIGNING_SECRET = "test-signing-secret"
_barrier_ids = itertools.count(1)
BOT_TOKEN = "xoxb-test"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    server = await StandIn().start()
    yield server
    await server.stop()


def make_settings(standin: StandIn, db_path: Path) -> Settings:
    return Settings(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_APP_TOKEN="xapp-test",
        SLACK_API_URL=standin.base_url,
        MAATWERK_DB=db_path,
    )


@pytest.fixture
async def app_context(
    standin: StandIn, tmp_path: Path, make_context: Callable[[Settings], AppContext]
) -> AsyncIterator[AppContext]:
    context = make_context(make_settings(standin, tmp_path / "slack.db"))
    yield context
    context.close()


def sign(body: str, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    """Slack's request signature headers, made by slack_sdk's own SignatureVerifier."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


@dataclass
class Slack:
    """Sends requests to the app the way Slack does: form-encoded or JSON, signed."""

    url: str
    standin: StandIn
    session: aiohttp.ClientSession
    _trigger: int = 0

    async def post(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> aiohttp.ClientResponse:
        all_headers = {"Content-Type": content_type, **sign(body), **(headers or {})}
        async with self.session.post(f"{self.url}/slack/events", data=body.encode(), headers=all_headers) as response:
            await response.read()
            return response

    async def barrier(self, within: float = 5.0) -> None:
        """Send a request that ends in a known Web API call and wait for that call: requests sent before
        it have been handled, so a test can then assert that nothing else came. No sleeping."""
        n = next(_barrier_ids)
        user = f"{BARRIER_USER}{n}"
        done = self.standin.barrier(user)
        event = {"type": "app_home_opened", "user": user, "tab": "home", "channel": "D1"}
        await self.event(event, event_id=f"Ev-barrier-{n}")
        await asyncio.wait_for(done.wait(), within)

    def _next_trigger(self) -> str:
        self._trigger += 1
        return f"trigger-{self._trigger}-{time.monotonic_ns()}"

    def command_body(self, text: str, user: str = "U1", channel: str = "C1", team: str = "T1") -> str:
        return urlencode(
            {
                "token": "legacy",
                "team_id": team,
                "team_domain": "test",
                "channel_id": channel,
                "channel_name": "maatwerkplaats",
                "user_id": user,
                "user_name": user.lower(),
                "command": "/maatwerk",
                "text": text,
                "api_app_id": "A1",
                "response_url": self.standin.response_url(f"cmd-{self._trigger}"),
                "trigger_id": self._next_trigger(),
            }
        )

    async def command(self, text: str, user: str = "U1", channel: str = "C1") -> aiohttp.ClientResponse:
        return await self.post(self.command_body(text, user, channel), "application/x-www-form-urlencoded")

    async def event(
        self, event: dict[str, Any], event_id: str = "Ev1", retry: int | None = None
    ) -> aiohttp.ClientResponse:
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": "T1",
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
                "event": event,
                "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
            }
        )
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return await self.post(body, "application/json", headers)

    async def interactive(self, payload: dict[str, Any]) -> aiohttp.ClientResponse:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def click(
        self,
        action_id: str,
        value: str,
        user: str = "U1",
        channel: str = "C1",
        message_ts: str = "1.1",
        thread_ts: str | None = None,
        team: str = "T1",
    ) -> aiohttp.ClientResponse:
        """A button click on a message; `thread_ts` when that message sits in a thread (casus questions)."""
        container: dict[str, Any] = {"type": "message", "message_ts": message_ts, "channel_id": channel}
        message: dict[str, Any] = {"ts": message_ts, "text": "x"}
        if thread_ts is not None:
            container["thread_ts"] = message["thread_ts"] = thread_ts
        return await self.interactive(
            {
                "type": "block_actions",
                "team": {"id": team},
                "user": {"id": user},
                "api_app_id": "A1",
                "channel": {"id": channel},
                "container": container,
                "message": message,
                "trigger_id": self._next_trigger(),
                "response_url": self.standin.response_url("action"),
                "actions": [{"type": "button", "action_id": action_id, "value": value, "action_ts": str(time.time())}],
            }
        )


async def start_web_app(context: AppContext) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(build_web_app(context))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


@pytest.fixture
async def slack(app_context: AppContext, standin: StandIn) -> AsyncIterator[Slack]:
    runner, url = await start_web_app(app_context)
    async with aiohttp.ClientSession() as session:
        yield Slack(url, standin, session)
    await runner.cleanup()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServeProcess:
    """`maatwerk serve` in a subprocess, to be killed and restarted like a real deployment."""

    env: dict[str, str]
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def log(self) -> str:
        """Everything the server wrote to stderr (its log) so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, within: float = 30.0) -> None:
        """Start the server and wait for its known event: the line it prints once the port accepts requests."""
        with self.log_path.open("ab") as log:  # the child process keeps its own copy open; a file never fills up
            self.process = subprocess.Popen(  # noqa: ASYNC220 (starts and returns; the server runs on)
                [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env,
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=log,
            )
        assert self.process.stdout is not None
        try:
            line = await asyncio.wait_for(asyncio.to_thread(self.process.stdout.readline), within)
        except TimeoutError:
            self.kill()  # closes the pipe, so the reading thread ends too
            raise RuntimeError("maatwerk serve did not start listening") from None
        if not line.startswith(b"maatwerk luistert op"):
            raise RuntimeError(self.log()[-4000:])  # it exited (an empty line) before listening
        async with aiohttp.ClientSession() as session, session.get(f"{self.url}/healthz") as response:
            if response.status != 200:
                raise RuntimeError(f"/healthz answered {response.status} once listening")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def serve_process(standin: StandIn, tmp_path: Path) -> Iterator[ServeProcess]:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.base_url,
        "MAATWERK_DB": str(tmp_path / "serve.db"),
    }
    process = ServeProcess(env, free_port(), tmp_path / "serve.log")
    yield process
    process.kill()
