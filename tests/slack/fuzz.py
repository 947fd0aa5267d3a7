"""Fuzzing the real Slack endpoint: hypothesis strategies for requests, and the app served over HTTP.

Shared by tests/slack/test_fuzz.py (a short profile in CI) and bench/bench_fuzz.py (10,000 cases).
The app, the Web API stand-in and a trap server run on their own event loop in a background thread;
cases are sent with a plain blocking HTTP client so hypothesis can drive them. Requests that Slack did not
sign carry "UNVERIFIED" in every id and point response_url at the trap: any call the bot makes because
of them shows up as a trap hit or a stand-in call naming UNVERIFIED. Text fields carry a canary that
must never reach the log.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from hypothesis import strategies as st

from bot.adapters.slack.ids import ActionId, CallbackId
from bot.adapters.slack.verify import MAX_BODY_BYTES
from bot.services.context import AppContext
from tests.slack.conftest import SIGNING_SECRET, make_settings, sign, start_web_app
from tests.slack.standin import StandIn

MARK = "UNVERIFIED"
CANARY = "kanarie7f3"
FORM = "application/x-www-form-urlencoded"
JSON_TYPE = "application/json"
SLOW_SECONDS = 1.0


@dataclass(frozen=True)
class Case:
    """One request: the body as sent, its headers, whether Slack signed it, and a lying length if any."""

    label: str
    body: bytes
    headers: dict[str, str]
    signed: bool
    declared_length: int | None = None
    chunked: bool = False


@dataclass
class Outcome:
    status: int
    seconds: float


class LogWatch(logging.Handler):
    """Counts tracebacks and log lines that contain the canary, from every logger in the process."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.tracebacks = 0
        self.canaries = 0
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info or record.stack_info or "Traceback" in text:
            self.tracebacks += 1
            self.errors.append(f"{record.name}: {text[:200]}")
        if CANARY in text:
            self.canaries += 1
            self.errors.append(f"canary in {record.name}")


@dataclass
class Target:
    """The app over real HTTP in a background thread, with the stand-in and the response_url trap."""

    db_path: Path
    standin: StandIn = field(default_factory=StandIn)
    trap_hits: int = 0
    url_port: int = 0
    trap_url: str = ""
    watch: LogWatch = field(default_factory=LogWatch)
    _loop: asyncio.AbstractEventLoop | None = None
    _runners: list[web.AppRunner] = field(default_factory=list)
    _context: AppContext | None = None
    _connection: http.client.HTTPConnection | None = None

    def start(self) -> Target:
        loop = asyncio.new_event_loop()
        self._loop = loop
        threading.Thread(target=loop.run_forever, name="fuzz-server", daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._start(), loop).result(timeout=30)
        logging.getLogger().addHandler(self.watch)
        return self

    async def _start(self) -> None:
        await self.standin.start()
        self._context = AppContext.create(make_settings(self.standin, self.db_path))
        runner, url = await start_web_app(self._context)
        self._runners.append(runner)
        self.url_port = int(url.rsplit(":", 1)[1])
        trap = web.Application()
        trap.add_routes([web.route("*", "/{tail:.*}", self._trap)])
        trap_runner = web.AppRunner(trap)
        await trap_runner.setup()
        site = web.TCPSite(trap_runner, "127.0.0.1", 0)
        await site.start()
        self._runners.append(trap_runner)
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.trap_url = f"http://127.0.0.1:{port}/{MARK}"

    async def _trap(self, _: web.Request) -> web.Response:
        self.trap_hits += 1
        return web.Response(text="ok")

    def stop(self) -> None:
        logging.getLogger().removeHandler(self.watch)
        if self._connection is not None:
            self._connection.close()
        if self._loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)

    async def _stop(self) -> None:
        for runner in self._runners:
            await runner.cleanup()
        await self.standin.stop()
        if self._context is not None:
            self._context.close()
        # Connections whose client went away mid-body may still have a handler task: end them here.
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def settle(self, seconds: float = 2.0) -> None:
        """Wait until background work caused by earlier cases is done: the loop answers a no-op in time."""
        assert self._loop is not None
        deadline = time.monotonic() + seconds
        quiet_since = len(self.standin.calls), time.monotonic()
        while time.monotonic() < deadline:
            asyncio.run_coroutine_threadsafe(asyncio.sleep(0), self._loop).result(timeout=seconds)
            if len(self.standin.calls) != quiet_since[0]:
                quiet_since = len(self.standin.calls), time.monotonic()
            elif time.monotonic() - quiet_since[1] > 0.3:
                return
            time.sleep(0.05)

    def unverified_calls(self) -> int:
        return self.trap_hits + sum(MARK in json.dumps(call.args, default=str) for call in self.standin.calls)

    def send(self, case: Case) -> Outcome:
        if case.declared_length is not None:
            return self._send_lying(case)
        for attempt in (1, 2):
            connection = self._connection or http.client.HTTPConnection("127.0.0.1", self.url_port, timeout=30)
            self._connection = connection
            started = time.perf_counter()
            try:
                body = _chunks(case.body) if case.chunked else case.body
                # Header values as UTF-8 bytes: some cases carry non-Latin-1 timestamps on purpose.
                headers = {key: value.encode() for key, value in case.headers.items()}
                connection.request("POST", "/slack/events", body=body, headers=headers)  # type: ignore[arg-type]
                response = connection.getresponse()
                response.read()
            except (ConnectionError, http.client.HTTPException):
                connection.close()
                self._connection = None
                if attempt == 2:
                    raise
                continue
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                self._connection = None
            return Outcome(response.status, time.perf_counter() - started)
        raise AssertionError("unreachable")

    def _send_lying(self, case: Case) -> Outcome:
        """Declare a body far over the cap and send only the start of it: the answer must not wait for the rest."""
        with socket.create_connection(("127.0.0.1", self.url_port), timeout=30) as sock:
            head = [
                "POST /slack/events HTTP/1.1",
                f"Host: 127.0.0.1:{self.url_port}",
                f"Content-Length: {case.declared_length}",
                *(f"{key}: {value}" for key, value in case.headers.items()),
                "",
                "",
            ]
            started = time.perf_counter()
            sock.sendall("\r\n".join(head).encode() + case.body)
            status_line = sock.makefile("rb").readline().decode()
            return Outcome(int(status_line.split()[1]), time.perf_counter() - started)


def _chunks(body: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """The body in chunks, so http.client sends it with Transfer-Encoding: chunked and no length."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


# -- strategies ---------------------------------------------------------------------------------

junk_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
user_text = st.one_of(
    st.text(max_size=200),
    st.text(alphabet="abcdefghij klmnop", min_size=100, max_size=4_500),
    st.sampled_from(["", " ", "a" * 4_001, "schulden " * 50, "<!channel> & <@U1>", "\x00\ud7ff\uffff"]),
).map(lambda text: f"{text} {CANARY}")
ids = st.sampled_from(["T1", "C1", "U1", "D1", "", "C404"])


@st.composite
def mangled(draw: st.DrawFn, fields: dict[str, Any]) -> dict[str, Any]:
    """Each field kept, dropped, or replaced by a JSON value of another type."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        choice = draw(st.sampled_from(["keep", "keep", "keep", "keep", "drop", "junk"]))
        if choice == "keep":
            out[key] = value
        elif choice == "junk":
            out[key] = draw(junk_json)
    return out


def _signed(label: str, body: str, content_type: str, *, signed: bool = True) -> Case:
    headers = {"Content-Type": content_type, **(sign(body) if signed else {})}
    return Case(label, body.encode(), headers, signed=signed)


@st.composite
def slash_commands(draw: st.DrawFn, target_hook: str) -> Case:
    sub = draw(st.sampled_from(["help", "signaal", "argument", "kaart", "lessen", "casus", "mijn", "zz", ""]))
    fields = {
        "command": "/maatwerk",
        "text": f"{sub} {draw(user_text)}",
        "team_id": draw(ids),
        "channel_id": draw(ids),
        "user_id": draw(ids),
        "response_url": target_hook,
        "trigger_id": f"trig-{draw(st.uuids())}",
    }
    form = {key: value if isinstance(value, str) else json.dumps(value) for key, value in draw(mangled(fields)).items()}
    return _signed("command", urlencode(form), FORM)


@st.composite
def message_events(draw: st.DrawFn) -> dict[str, Any]:
    event = draw(
        mangled(
            {
                "type": "message",
                "subtype": draw(st.sampled_from([None, "bot_message", "message_changed", "message_deleted", "x"])),
                "user": draw(ids),
                "channel": draw(ids),
                "ts": "1700000000.000100",
                "thread_ts": draw(st.sampled_from(["1700000000.000001", "1700000000.000100", "x"])),
                "text": draw(user_text),
                "bot_id": draw(st.sampled_from([None, "B1"])),
            }
        )
    )
    return event


@st.composite
def event_callbacks(draw: st.DrawFn) -> Case:
    home = {"type": "app_home_opened", "user": draw(ids), "tab": draw(st.sampled_from(["home", "messages", "x"]))}
    event = draw(st.one_of(message_events(), mangled(home), junk_json))
    envelope = {
        "type": "event_callback",
        "team_id": "T1",
        "api_app_id": "A1",
        "event_id": f"Ev{draw(st.uuids())}",
        "event": event,
        "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
    }
    return _signed("event", json.dumps(draw(mangled(envelope))), JSON_TYPE)


@st.composite
def block_actions(draw: st.DrawFn, target_hook: str) -> Case:
    action_ids = [*(a.value for a in ActionId), f"{ActionId.CARD_PAGE}_next", "onbekend"]
    action = {
        "action_id": draw(st.sampled_from(action_ids)),
        "value": draw(st.one_of(user_text, st.just('{"team":"T1","channel":"C1"}'), st.just("signalen|1"))),
        "action_ts": str(time.time()),
    }
    actions = draw(st.one_of(st.just([]), st.lists(mangled(action), min_size=1, max_size=2), junk_json))
    payload = {
        "type": "block_actions",
        "team": {"id": draw(ids)},
        "user": {"id": draw(ids)},
        "channel": {"id": draw(ids)},
        "container": {"type": "message", "message_ts": "1.1"},
        "trigger_id": f"trig-{draw(st.uuids())}",
        "response_url": target_hook,
        "actions": actions,
    }
    return _signed("block_actions", urlencode({"payload": json.dumps(draw(mangled(payload)))}), FORM)


@st.composite
def shortcuts(draw: st.DrawFn, target_hook: str) -> Case:
    payload = {
        "type": "message_action",
        "callback_id": draw(st.sampled_from([CallbackId.FIND_SIGNALS.value, "x"])),
        "team": {"id": draw(ids)},
        "user": {"id": draw(ids)},
        "channel": {"id": draw(ids)},
        "message": draw(mangled({"ts": "1.2", "text": draw(user_text)})),
        "trigger_id": f"trig-{draw(st.uuids())}",
        "response_url": target_hook,
    }
    return _signed("shortcut", urlencode({"payload": json.dumps(draw(mangled(payload)))}), FORM)


@st.composite
def malformed_signed(draw: st.DrawFn) -> Case:
    kind = draw(st.sampled_from(["array", "payload_not_json", "payload_array", "empty_form", "json_scalar"]))
    if kind == "array":
        return _signed(kind, json.dumps(draw(st.lists(junk_json, max_size=4))), JSON_TYPE)
    if kind == "payload_not_json":
        return _signed(kind, urlencode({"payload": draw(st.text(max_size=50)) + "{"}), FORM)
    if kind == "payload_array":
        return _signed(kind, urlencode({"payload": "[1, 2]"}), FORM)
    if kind == "empty_form":
        return _signed(kind, "", FORM)
    return _signed(kind, json.dumps(draw(st.integers() | st.text(max_size=10))), JSON_TYPE)


def _unverified_command(text: str, trap_url: str) -> str:
    return urlencode(
        {
            "command": "/maatwerk",
            "text": f"signaal {text}",
            "team_id": MARK,
            "channel_id": MARK,
            "user_id": MARK,
            "response_url": trap_url,
            "trigger_id": MARK,
        }
    )


@st.composite
def unverified(draw: st.DrawFn, trap_url: str) -> Case:
    """Everything Slack did not sign: forged, stale, future, odd or missing timestamps, junk, lies."""
    body = _unverified_command(draw(user_text), trap_url)
    now = int(time.time())
    kind = draw(
        st.sampled_from(
            ["forged", "stale", "future", "non_numeric", "missing", "junk", "plain_text", "huge", "chunked", "lying"]
        )
    )
    form = {"Content-Type": FORM}
    if kind == "forged":
        # Printable secrets only: SignatureVerifier (which the tests' sign() may use) refuses blank ones.
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-"
        secret = draw(st.text(alphabet, min_size=1, max_size=20).filter(lambda secret: secret != SIGNING_SECRET))
        return Case(kind, body.encode(), form | sign(body, secret=secret), signed=False)
    if kind == "stale":
        return Case(kind, body.encode(), form | sign(body, timestamp=now - 301 - draw(st.integers(0, 10**6))), False)
    if kind == "future":
        return Case(kind, body.encode(), form | sign(body, timestamp=now + 360 + draw(st.integers(0, 10**6))), False)
    if kind == "non_numeric":
        stamp = draw(st.sampled_from(["abc", "", " 1", "+1", "1e9", "１２３", "1_000", str(now) + ".5"]))
        headers = form | sign(body) | {"X-Slack-Request-Timestamp": stamp}
        return Case(kind, body.encode(), headers, signed=False)
    if kind == "missing":
        headers = form | sign(body)
        del headers[draw(st.sampled_from(["X-Slack-Request-Timestamp", "X-Slack-Signature"]))]
        return Case(kind, body.encode(), headers, signed=False)
    if kind == "junk":
        junk = draw(st.binary(max_size=2_000)) + MARK.encode()
        content_type = draw(st.sampled_from([FORM, JSON_TYPE, "text/plain", "multipart/form-data", ""]))
        headers = {"Content-Type": content_type} if content_type else {}
        return Case(kind, junk, headers, signed=False)
    if kind == "plain_text":
        # A correctly signed command, but as text/plain: content types are enforced.
        return Case(kind, body.encode(), {"Content-Type": "text/plain"} | sign(body), signed=False)
    if kind in {"huge", "chunked"}:
        huge = body + "&x=" + "a" * (MAX_BODY_BYTES + draw(st.integers(1, 100_000)))
        return Case(kind, huge.encode(), form | sign(huge), signed=False, chunked=kind == "chunked")
    return Case(kind, body.encode()[:100], form | sign(body), signed=False, declared_length=100 * MAX_BODY_BYTES)


def cases(target: Target) -> dict[str, st.SearchStrategy[Case]]:
    """One strategy per kind of request; run each on its own so every kind gets its share of cases."""
    hook = target.standin.response_url("fuzz")
    return {
        "command": slash_commands(hook),
        "event": event_callbacks(),
        "block_actions": block_actions(hook),
        "shortcut": shortcuts(hook),
        "malformed": malformed_signed(),
        "unverified": unverified(target.trap_url),
    }
