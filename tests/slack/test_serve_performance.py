"""The serving side of performance: one keep-alive connection for outgoing HTTP, the access log off by
default, and `maatwerk serve --workers N` (pre-fork, background jobs in worker 0 only but for
the outbox poster, SIGTERM forwarded)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.adapters.slack.jobs import registered_jobs
from bot.adapters.slack.server import STORE_THREADS, event_loop
from bot.cli import main
from bot.services.context import AppContext
from bot.settings import Settings
from tests.slack.conftest import BOT_TOKEN, REPO, SIGNING_SECRET, Slack, free_port, sign
from tests.slack.standin import StandIn


class PeerStandIn(StandIn):
    """The stand-in, noting from which client port every call came (one port = one TCP connection)."""

    def __init__(self) -> None:
        super().__init__()
        self.peers: list[tuple[str, int]] = []

    def _peer(self, request: web.Request) -> None:
        peer = request.transport.get_extra_info("peername") if request.transport else None
        self.peers.append(tuple(peer[:2]) if peer else ("?", 0))

    async def _api(self, request: web.Request) -> web.Response:
        self._peer(request)
        return await super()._api(request)

    async def _response_url(self, request: web.Request) -> web.Response:
        self._peer(request)
        return await super()._response_url(request)


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    server = await PeerStandIn().start()
    yield server
    await server.stop()


async def test_web_api_and_response_url_share_one_kept_alive_connection(slack: Slack, standin: PeerStandIn) -> None:
    for n in range(3):
        response = await slack.command("help")
        assert response.status == 200
        await standin.wait_for("response_url", count=n + 1)
    assert "auth.test" in standin.methods()
    assert len(standin.peers) >= 4  # auth.test and three answers
    assert len(set(standin.peers)) == 1


def _serve(standin: StandIn, tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.base_url,
        "MAATWERK_DB": str(tmp_path / "serve.db"),
        "MAATWERK_LOG_LEVEL": "INFO",
    }
    log = tmp_path / "serve.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port), *extra],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    return process, f"http://127.0.0.1:{port}", log


async def _healthy(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            assert process.poll() is None, "maatwerk serve exited"
            try:
                async with session.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError("maatwerk serve did not become healthy")


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task").iterdir()
    return [int(child) for task in tasks for child in (task / "children").read_text().split()]


def _running(pids: list[int]) -> list[int]:
    return [pid for pid in pids if Path(f"/proc/{pid}").exists()]


def _stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=60)


async def test_serve_has_no_access_log_by_default(standin: StandIn, tmp_path: Path) -> None:
    process, url, log = _serve(standin, tmp_path)
    try:
        await _healthy(process, url)
    finally:
        assert _stop(process) == 0
    text = log.read_text()
    assert "serving Slack events" in text
    assert "aiohttp.access" not in text


async def test_workers_share_the_port_run_jobs_once_and_stop_on_sigterm(standin: StandIn, tmp_path: Path) -> None:
    process, url, log = _serve(standin, tmp_path, "--workers", "2", "--access-log")
    try:
        await _healthy(process, url)
        workers = _children(process.pid)
        assert len(workers) == 2
        async with aiohttp.ClientSession() as session:
            slack = Slack(url, standin, session)
            # signaal searches and redacts: the workers must not inherit a lock from a thread of the parent
            for n, text in enumerate(["help", "signaal mevrouw kan de huur niet betalen", "help", "argument kosten"]):
                response = await slack.command(text)
                assert response.status == 200
                await standin.wait_for("response_url", count=n + 1)
    finally:
        code = _stop(process)
    assert code == 0
    assert _running(workers) == []
    text = log.read_text()
    # every job once, and the outbox poster also in the other worker (each posts what it queued)
    assert text.count("starting background job") == len(registered_jobs()) + 1
    assert text.count("starting background job post_outbox") == 2
    assert "aiohttp.access" in text
    assert text.count("exited with 0") == 2


def _loaded(pid: int, library: str) -> bool:
    return library in Path(f"/proc/{pid}/maps").read_text()


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc; uvloop is not used on Windows")
@pytest.mark.parametrize("workers", ["1", "2"])
async def test_serve_runs_on_uvloop_and_keeps_its_guarantees(standin: StandIn, tmp_path: Path, workers: str) -> None:
    """The served loop is uvloop's (server.event_loop), in each worker after fork. On it, a forged request
    gets 401 and no outbound call, a retried delivery is ignored, bad input gets its 200/400, thread hand-
    offs work (search and redaction run in threads), and SIGTERM still stops cleanly."""
    process, url, log = _serve(standin, tmp_path, "--workers", workers)
    try:
        await _healthy(process, url)
        servers = _children(process.pid) if workers == "2" else [process.pid]
        assert len(servers) == int(workers)
        assert all(_loaded(pid, "uvloop") for pid in servers)
        async with aiohttp.ClientSession() as session:
            slack = Slack(url, standin, session)
            forged = slack.command_body("signaal schulden")
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(forged, secret="nope")}
            async with session.post(f"{url}/slack/events", data=forged, headers=headers) as response:
                assert response.status == 401
            assert (await slack.post("[1, 2]", "application/json")).status == 400
            assert (await slack.event({"type": "app_home_opened"}, event_id="Ev-bad")).status == 200
            home = {"type": "app_home_opened", "user": "U7", "tab": "home", "channel": "D7"}
            assert (await slack.event(home, event_id="Ev-home")).status == 200
            assert (await slack.event(home, event_id="Ev-home", retry=1)).status == 200
            response = await slack.command("signaal ik heb grote schulden")  # search in its thread
            assert response.status == 200
            [answer] = await standin.wait_for("response_url", within=10)
            await slack.barrier()
        assert len(standin.of("views.publish")) == 1  # the home once: the retry did nothing (barriers are not kept)
        assert "S-03" in json.dumps(answer.args["blocks"])
        assert len(standin.of("response_url")) == 1  # nothing for the forged one
    finally:
        code = _stop(process)
    assert code == 0
    assert "Traceback" not in log.read_text()


def test_serve_loop_on_sqlite_gives_to_thread_two_threads_and_a_long_job_blocks_nothing(
    tmp_path: Path, make_context: Callable[[Settings], AppContext]
) -> None:
    """server.event_loop: on SQLite, asyncio.to_thread runs on STORE_THREADS threads. One held by a long
    job (here one that waits until the others are done) must not stop store calls and answers."""
    settings = Settings(
        SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, MAATWERK_DB=tmp_path / "loop.db"
    )
    context = make_context(settings)
    loop = event_loop(context)

    async def scenario() -> tuple[list[bool], bool, set[str]]:
        held = threading.Event()
        names: set[str] = set()

        def long_job() -> bool:
            names.add(threading.current_thread().name)
            return held.wait(timeout=10)

        def claim(n: int) -> bool:
            names.add(threading.current_thread().name)
            return context.store.deliveries().claim(f"event:Ev-loop-{n}", datetime.now(UTC))

        job = asyncio.ensure_future(asyncio.to_thread(long_job))
        claims = [await asyncio.wait_for(asyncio.to_thread(claim, n), 5) for n in range(6)]
        held.set()
        return claims, await job, names

    try:
        claims, finished, names = loop.run_until_complete(scenario())
    finally:
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
        context.close()
    assert claims == [True] * 6
    assert finished
    assert len(names) == STORE_THREADS
    assert all(name.startswith("maatwerk-store") for name in names)


def test_workers_must_be_a_small_positive_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--workers", "0"])
    assert exit_info.value.code == 2
    assert "kies een aantal van 1 tot en met" in capsys.readouterr().err
