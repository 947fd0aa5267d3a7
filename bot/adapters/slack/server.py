"""HTTP mode: bolt on aiohttp at POST /slack/events, plus GET /healthz and GET /metrics.

Every request to /slack/events is verified first (verify.py: size, content type, timestamp, signature),
then checked for the shape our listeners need (payloads.py), and only then handed to bolt.

With OAuth on (many workspaces, bot.adapters.slack.oauth) two GET routes are added: /slack/install and
/slack/oauth_redirect. They go to bolt's OAuth flow only (install page, code exchange), never to the
listeners, so nothing reaches a listener without passing the verification above.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import socket
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.adapters.slack import payloads
from bot.adapters.slack.app import VERIFIED, build_app, build_client
from bot.adapters.slack.http_session import SharedSession
from bot.adapters.slack.jobs import start_jobs, stop_jobs
from bot.adapters.slack.metrics import Metrics
from bot.adapters.slack.oauth import INSTALL_PATH, REDIRECT_PATH
from bot.adapters.slack.verify import MAX_BODY_BYTES, Rejection, RequestVerifier
from bot.adapters.slack.workers import run_workers
from bot.services.context import AppContext
from bot.store.db import Store

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
STORE_THREADS = 2


def _verifier(context: AppContext) -> RequestVerifier:
    settings = context.settings
    return RequestVerifier([settings.slack_signing_secret, settings.slack_signing_secret_previous])


def build_web_app(context: AppContext, app: AsyncApp | None = None, *, jobs: bool = True) -> web.Application:
    """The aiohttp app; `jobs=False` leaves the background jobs to another worker process, all but the
    outbox poster: each worker posts what its own requests queued.

    Our front verifies every request (both secrets while rotating), so bolt's own check, which knows only
    one secret, is switched off here; socket mode has no signatures at all."""
    session = SharedSession(app.client) if app else SharedSession(build_client(context))
    bolt = app or build_app(context, session=session, verify_requests=False)
    verifier = _verifier(context)
    metrics = Metrics()

    async def events(request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        response, kind = await _handle(request)
        metrics.observe(kind, response.status, time.perf_counter() - started)
        return response

    async def _handle(request: web.Request) -> tuple[web.StreamResponse, str]:
        try:
            verified = await verifier.verify(request)
        except Rejection as rejection:
            log.warning("slack request rejected: %s (%d)", rejection.reason, rejection.status)
            return web.Response(status=rejection.status, text=rejection.reason), "rejected"
        outcome = payloads.check(verified)
        if not outcome.dispatch:
            return web.Response(status=outcome.status or 200), outcome.kind
        bolt_request = AsyncBoltRequest(body=verified.body, query=request.query_string, headers=dict(request.headers))
        bolt_request.context[VERIFIED] = True
        bolt_response = await bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response), outcome.kind

    async def healthz(_: web.Request) -> web.Response:
        with context.store.read() as db:
            db.execute("SELECT 1").fetchone()
        return web.json_response({"status": "ok"})

    async def metrics_page(_: web.Request) -> web.Response:
        return web.Response(text=metrics.render(), content_type="text/plain", charset="utf-8")

    async def outgoing(_: web.Application) -> AsyncIterator[None]:
        await session.open()
        yield
        await session.close()

    async def install(request: web.Request) -> web.StreamResponse:
        assert bolt.oauth_flow is not None
        response = await bolt.oauth_flow.handle_installation(await _oauth_request(request))
        return await to_aiohttp_response(response)

    async def oauth_redirect(request: web.Request) -> web.StreamResponse:
        assert bolt.oauth_flow is not None
        response = await bolt.oauth_flow.handle_callback(await _oauth_request(request))
        return await to_aiohttp_response(response)

    async def warm(_: web.Application) -> AsyncIterator[None]:
        context.warm_up_in_background()  # here, in each worker, not before the fork
        yield

    async def background(_: web.Application) -> AsyncIterator[None]:
        tasks = start_jobs(context, bolt.client, all_jobs=jobs)
        yield
        await stop_jobs(tasks)

    # aiohttp's own cap stays above ours, so an oversized body meets our 413, not aiohttp's.
    web_app = web.Application(client_max_size=MAX_BODY_BYTES + 1)
    web_app.add_routes([web.post(EVENTS_PATH, events), web.get("/healthz", healthz), web.get("/metrics", metrics_page)])
    if bolt.oauth_flow is not None:
        web_app.add_routes([web.get(INSTALL_PATH, install), web.get(REDIRECT_PATH, oauth_redirect)])
    web_app.cleanup_ctx.append(outgoing)
    web_app.cleanup_ctx.append(warm)
    web_app.cleanup_ctx.append(background)
    return web_app


async def _oauth_request(request: web.Request) -> AsyncBoltRequest:
    """A GET of the install flow as bolt's request: only the query string and headers (a GET has no body)."""
    return AsyncBoltRequest(body="", query=request.query_string, headers=dict(request.headers))


def event_loop(context: AppContext) -> asyncio.AbstractEventLoop:
    """The loop `serve` runs on: uvloop's (libuv), which spends less CPU per request than asyncio's own on
    the socket reads and writes, timers and thread hand-offs of every Slack request and Web API call
    (about 3-6 % of the server's CPU per dialogue answer in bench/bench_dialogues_http.py). Windows has
    no uvloop: there it is asyncio's loop. One-shot commands and in-process tests keep asyncio's loop.

    On SQLite, `asyncio.to_thread` gets STORE_THREADS threads instead of asyncio's min(32, cores + 4):
    the store runs everything on one connection under one lock, so more threads only queue on that lock,
    woken in no particular order (a later answer can overtake an earlier one) and each wake-up a context
    switch; two keep one free while the other runs something long (a digest chart). PostgreSQL keeps the
    default: its calls wait on the network, on a pool of connections."""
    try:
        import uvloop
    except ImportError:
        loop = asyncio.new_event_loop()
    else:
        loop = uvloop.new_event_loop()
    if isinstance(context.store, Store):
        loop.set_default_executor(ThreadPoolExecutor(max_workers=STORE_THREADS, thread_name_prefix="maatwerk-store"))
    return loop


def serve(context: AppContext, host: str, port: int, *, access_log: bool = False, workers: int = 1) -> None:
    """Serve until SIGTERM/SIGINT; with workers > 1 as a pre-fork parent (see workers.py)."""
    log.info("serving Slack events on http://%s:%d%s", host, port, EVENTS_PATH)
    access = logging.getLogger("aiohttp.access") if access_log else None
    # The cards and the index live as long as the process: keep them out of the garbage collector's
    # full passes (~150 ms each with the index, a pause for every request in flight) and, with
    # workers, keep the pages they share after fork() from being copied by the collector.
    gc.freeze()
    if workers <= 1:
        loop = event_loop(context)

        def announce(_: str) -> None:
            # Once the port accepts requests (aiohttp calls this after the site started): one line on stdout
            # for the person who started it, and a known event for whatever waits for the server.
            print(f"maatwerk luistert op http://{host}:{port}", flush=True)

        web.run_app(build_web_app(context), host=host, port=port, print=announce, access_log=access, loop=loop)
        return

    def run(worker: AppContext, index: int, sock: socket.socket) -> None:
        loop = event_loop(worker)  # in the worker, after fork
        web.run_app(build_web_app(worker, jobs=index == 0), sock=sock, print=None, access_log=access, loop=loop)

    code = run_workers(context, host, port, workers, run)
    if code:
        raise SystemExit(code)
