"""HTTP mode: bolt on aiohttp at POST /slack/events, plus GET /healthz and GET /metrics."""

from __future__ import annotations

import gc
import json
import logging
import socket
import time
from collections.abc import AsyncIterator
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bot.adapters.slack.app import build_app, build_client
from bot.adapters.slack.http_session import SharedSession
from bot.adapters.slack.jobs import start_jobs, stop_jobs
from bot.adapters.slack.metrics import Metrics
from bot.adapters.slack.workers import run_workers
from bot.services.context import AppContext

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


def _kind(content_type: str, raw: str) -> str:
    """Which kind of Slack request this is, for metrics (never logs its content)."""
    if "json" in content_type:
        try:
            return str(json.loads(raw).get("type", "event"))
        except ValueError:
            return "invalid"
    form = parse_qs(raw)
    if "payload" in form:
        try:
            return str(json.loads(form["payload"][0]).get("type", "interactive"))
        except ValueError:
            return "invalid"
    return "command" if "command" in form else "unknown"


def build_web_app(context: AppContext, app: AsyncApp | None = None, *, jobs: bool = True) -> web.Application:
    """The aiohttp app; `jobs=False` leaves the background jobs to another worker process."""
    session = SharedSession(app.client) if app else SharedSession(build_client(context))
    bolt = app or build_app(context, session=session)
    metrics = Metrics()

    async def events(request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        bolt_request = await to_bolt_request(request)
        bolt_response = await bolt.async_dispatch(bolt_request)
        response = await to_aiohttp_response(bolt_response)
        kind = _kind(request.content_type, bolt_request.raw_body)
        metrics.observe(kind, response.status, time.perf_counter() - started)
        return response

    async def healthz(_: web.Request) -> web.Response:
        context.store.db.execute("SELECT 1").fetchone()
        return web.json_response({"status": "ok"})

    async def metrics_page(_: web.Request) -> web.Response:
        return web.Response(text=metrics.render(), content_type="text/plain", charset="utf-8")

    async def outgoing(_: web.Application) -> AsyncIterator[None]:
        await session.open()
        yield
        await session.close()

    async def background(_: web.Application) -> AsyncIterator[None]:
        tasks = start_jobs(context, bolt.client) if jobs else []
        yield
        await stop_jobs(tasks)

    web_app = web.Application()
    web_app.add_routes([web.post(EVENTS_PATH, events), web.get("/healthz", healthz), web.get("/metrics", metrics_page)])
    web_app.cleanup_ctx.append(outgoing)
    web_app.cleanup_ctx.append(background)
    return web_app


def serve(context: AppContext, host: str, port: int, *, access_log: bool = False, workers: int = 1) -> None:
    """Serve until SIGTERM/SIGINT; with workers > 1 as a pre-fork parent (see workers.py)."""
    log.info("serving Slack events on http://%s:%d%s", host, port, EVENTS_PATH)
    access = logging.getLogger("aiohttp.access") if access_log else None
    # The cards and the index live as long as the process: keep them out of the garbage collector's
    # full passes (~150 ms each with the index, a pause for every request in flight) and, with
    # workers, keep the pages they share after fork() from being copied by the collector.
    gc.freeze()
    if workers <= 1:
        web.run_app(build_web_app(context), host=host, port=port, print=None, access_log=access)
        return

    def run(worker: AppContext, index: int, sock: socket.socket) -> None:
        web.run_app(build_web_app(worker, jobs=index == 0), sock=sock, print=None, access_log=access)

    code = run_workers(context, host, port, workers, run)
    if code:
        raise SystemExit(code)
