"""A local stand-in for the Slack Web API: records every call, answers like Slack, can be told to fail.

Start it in a test (it listens on 127.0.0.1, a free port) and give its `base_url` to the app as
SLACK_API_URL. Calls land in `calls`; response_url posts land there too, as method "response_url".
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web

BARRIER_USER = "UBARRIER"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    headers: dict[str, str]

    def blocks(self) -> list[dict[str, Any]]:
        """The blocks sent, whether the client sent JSON or a form field holding JSON."""
        blocks = self.args.get("blocks", [])
        return list(json.loads(blocks)) if isinstance(blocks, str) else list(blocks)

    def text(self) -> str:
        """Blocks and fallback text as one string, for `in` assertions."""
        return json.dumps(self.blocks(), ensure_ascii=False) + str(self.args.get("text", ""))


@dataclass
class StandIn:
    calls: list[Call] = field(default_factory=list)
    rate_limits: dict[str, list[int]] = field(default_factory=dict)
    channel_errors: dict[str, str] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rate_windows: dict[str, tuple[int, list[float]]] = field(default_factory=dict)
    base_url: str = ""
    _runner: web.AppRunner | None = None
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _last_ts: int = 0
    _websocket_messages: list[dict[str, Any]] = field(default_factory=list)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    _barriers: dict[str, asyncio.Event] = field(default_factory=dict)
    # OAuth: code -> team it installs into (see `grant`), and the bot token -> team of each install
    oauth_codes: dict[str, str] = field(default_factory=dict)
    bot_tokens: dict[str, str] = field(default_factory=dict)
    client_id: str = "1111.2222"
    client_secret: str = "oauth-client-secret"
    _upload_names: dict[str, str] = field(default_factory=dict)

    # -- configuration --------------------------------------------------------------------------
    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer `method` with 429 + Retry-After for the next `times` calls."""
        self.rate_limits[method] = [retry_after] * times

    def limit_rate(self, method: str, per_second: int) -> None:
        """Answer 429 (Retry-After: 1) once more than `per_second` calls of `method` came in the last second."""
        self.rate_windows[method] = (per_second, [])

    def fail_channel(self, channel: str, error: str) -> None:
        self.channel_errors[channel] = error

    def grant(self, team: str) -> str:
        """A code Slack would put in the redirect after an admin of `team` approved the install."""
        code = f"code-{team}-{next(self._ts)}"
        self.oauth_codes[code] = team
        return code

    def team_of(self, call: Call) -> str | None:
        """The team whose bot token made this call (None for a token the stand-in did not issue)."""
        token = call.headers.get("Authorization", "").removeprefix("Bearer ")
        return self.bot_tokens.get(token)

    def queue_socket_message(self, envelope: dict[str, Any]) -> None:
        self._websocket_messages.append(envelope)

    # -- inspection ---------------------------------------------------------------------------
    def of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1, within: float = 5.0) -> list[Call]:
        deadline = asyncio.get_running_loop().time() + within
        while len(self.of(method)) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"expected {count} x {method}, got {len(self.of(method))}: {self.methods()}")
            await asyncio.sleep(0.01)
        return self.of(method)

    async def wait_for_socket_ack(self, within: float = 5.0) -> dict[str, Any]:
        deadline = asyncio.get_running_loop().time() + within
        while True:
            if self.socket_acks:
                return self.socket_acks[0]
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("no Socket Mode ack arrived")
            await asyncio.sleep(0.02)

    def barrier(self, user: str) -> asyncio.Event:
        """An event set when the app publishes a home view for `user` (a user id starting with BARRIER_USER).

        Barrier calls are not recorded in `calls`: a test sends a request that ends in that call after the
        requests it checks, waits for it, and then asserts that nothing else came (see Slack.barrier)."""
        return self._barriers.setdefault(user, asyncio.Event())

    def _next_ts(self) -> str:
        """Message ts like Slack's: the time of posting (µs), strictly increasing, at least 100 µs apart so
        a test can place a person's reply between two bot messages."""
        micros = max(round(time.time() * 1_000_000), self._last_ts + 100)
        self._last_ts = micros
        next(self._ts)
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def methods(self) -> list[str]:
        return [call.method for call in self.calls]

    # -- server -------------------------------------------------------------------------------
    async def start(self) -> StandIn:
        app = web.Application()
        app.add_routes(
            [
                web.post("/api/{method}", self._api),
                web.get("/api/{method}", self._api),
                web.post("/response/{hook}", self._response_url),
                web.post("/upload/{file_id}", self._upload),
                web.get("/socket", self._socket),
            ]
        )
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}/api/"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def response_url(self, hook: str = "hook") -> str:
        return self.base_url.replace("/api/", f"/response/{hook}")

    async def _args(self, request: web.Request) -> dict[str, Any]:
        raw = await request.text()
        query = dict(request.query)  # slack_sdk sends some arguments (files.completeUploadExternal) as query
        if request.content_type == "application/json":
            return query | dict(json.loads(raw or "{}"))
        return query | {key: values[0] for key, values in parse_qs(raw).items()}

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        barrier_user = str(args.get("user_id", ""))
        if method == "views.publish" and barrier_user.startswith(BARRIER_USER):
            self.barrier(barrier_user).set()
            return web.json_response({"ok": True})
        self.calls.append(Call(method, args, dict(request.headers)))
        pending = self.rate_limits.get(method)
        if pending:
            retry_after = pending.pop(0)
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(retry_after)}
            )
        if method in self.rate_windows:
            per_second, recent = self.rate_windows[method]
            now = asyncio.get_running_loop().time()
            recent[:] = [t for t in recent if now - t < 1.0]
            if len(recent) >= per_second:
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
                )
            recent.append(now)
        channel = str(args.get("channel", ""))
        if channel in self.channel_errors:
            return web.json_response({"ok": False, "error": self.channel_errors[channel]})
        if method == "oauth.v2.access":
            return web.json_response(self._oauth_access(args, request.headers.get("Authorization", "")))
        if method == "auth.test" and (team := self.team_of(self.calls[-1])) is not None:
            return web.json_response(
                {"ok": True, "user_id": "UBOT", "bot_id": f"B{team}", "team_id": team, "team": team, "user": "maatwerk"}
            )
        return web.json_response(self._answer(method, args))

    def _oauth_access(self, args: dict[str, Any], authorization: str) -> dict[str, Any]:
        """oauth.v2.access as Slack answers it: client id and secret (HTTP Basic, or in the form) must match,
        and a code is used once."""
        basic = authorization.removeprefix("Basic ")
        given = base64.b64decode(basic).decode() if basic != authorization else ""
        form = f"{args.get('client_id', '')}:{args.get('client_secret', '')}"
        if f"{self.client_id}:{self.client_secret}" not in (given, form):
            return {"ok": False, "error": "invalid_client_id"}
        team = self.oauth_codes.pop(str(args.get("code", "")), None)
        if team is None:
            return {"ok": False, "error": "invalid_code"}
        token = f"xoxb-{team}-{next(self._ts)}-secretpart"
        self.bot_tokens[token] = team
        return {
            "ok": True,
            "app_id": "A1",
            "authed_user": {"id": f"UADMIN{team}"},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": "UBOT",
            "team": {"id": team, "name": f"Gemeente {team}"},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        ok: dict[str, Any] = {"ok": True}
        if method == "auth.test":
            return ok | {"user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "team": "Test", "user": "maatwerk"}
        if method in {"chat.postMessage", "chat.update"}:
            ts = self._next_ts()
            message = {"ts": ts, "text": args.get("text"), "metadata": args.get("metadata")}
            if args.get("thread_ts"):
                message["thread_ts"] = args.get("thread_ts")
            if method == "chat.postMessage":
                self.messages.setdefault(str(args.get("channel")), []).append(message)
            return ok | {"channel": args.get("channel"), "ts": ts, "message": message}
        if method == "conversations.history":
            return ok | {"messages": list(reversed(self.messages.get(str(args.get("channel")), []))), "has_more": False}
        if method == "conversations.replies":
            thread = str(args.get("ts"))
            replies = [m for m in self.messages.get(str(args.get("channel")), []) if m.get("thread_ts") == thread]
            return ok | {"messages": replies, "has_more": False}
        if method == "chat.postEphemeral":
            return ok | {"message_ts": self._next_ts()}
        if method == "users.info":
            user = args.get("user", "")
            profile = self.users.get(str(user), {})
            return ok | {"user": {"id": user, "is_admin": False, "is_owner": False} | profile}
        if method == "conversations.info":
            return ok | {"channel": {"id": args.get("channel"), "creator": "UCREATOR", "is_member": True}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts)}"
            self._upload_names[file_id] = str(args.get("filename", ""))
            return ok | {"upload_url": self.base_url.replace("/api/", f"/upload/{file_id}"), "file_id": file_id}
        if method == "files.completeUploadExternal":
            return ok | {"files": self._share_files(args)}
        if method == "apps.connections.open":
            return ok | {"url": self.base_url.replace("http://", "ws://").replace("/api/", "/socket")}
        return ok

    def _share_files(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """files.completeUploadExternal: the completed files; shared with channel_id (and thread_ts) they
        show up as one file-share message there, as `conversations.replies` returns it from Slack."""
        raw = args.get("files", "[]")
        listed = json.loads(raw) if isinstance(raw, str) else raw
        files = [
            {"id": f["id"], "name": self._upload_names.get(f["id"], ""), "title": f.get("title", "")}
            for f in listed or []
        ]
        channel = str(args.get("channel_id") or "")
        if channel and files:
            message: dict[str, Any] = {"ts": self._next_ts(), "text": args.get("initial_comment") or "", "files": files}
            if args.get("thread_ts"):
                message["thread_ts"] = args.get("thread_ts")
            message["upload"] = True
            self.messages.setdefault(channel, []).append(message)
        return files

    async def _response_url(self, request: web.Request) -> web.Response:
        self.calls.append(Call("response_url", await self._args(request), dict(request.headers)))
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.calls.append(Call("upload", {"file_id": request.match_info["file_id"], "bytes": body}, {}))
        return web.Response(text="OK - uploaded")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
        for envelope in self._websocket_messages:
            await ws.send_json(envelope)
        async for message in ws:
            if message.type == web.WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
        return ws
