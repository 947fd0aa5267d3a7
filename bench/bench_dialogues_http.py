"""100 concurrent casus dialogues over HTTP: answers per second and answer-to-next-question latency.

Starts `maatwerk serve` (pinned like bench/bench_http.py: the server on core 0, or on both cores with
--workers 2; this load generator and the Web API stand-in on core 1) and, in the same run, the bare bolt
yardstick (bench/bare_bolt.py, which makes the same Slack calls without the work), opens D dialogues with signed
`/maatwerk casus …` commands (one channel each), then every dialogue answers A questions as thread
replies (signed `message` events), each waiting for the next question to be posted in its thread before
answering again. Each answer is one transaction (delivery key, answer, step and outbox entry), committed
before Slack gets its 200.

Both servers are measured once they are idle after start-up (their CPU time stands still): `serve` loads
the name lists and language data in a background thread after /healthz answers, and that second of
start-up used to land on the first answers. Beside the latencies it prints the servers' CPU time per
answer, the figure least moved by other jobs on a shared machine.

`--db postgresql://…` runs maatwerk on PostgreSQL (a fresh schema per run) instead of a SQLite file.

Run: .venv/bin/python bench/bench_dialogues_http.py [--dialogues 100] [--answers 10] [--workers 1] [--db URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_http import LOAD_CORE, SERVER_CORE, Server, _tree, pct, server_environment  # noqa: E402

from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, sign  # noqa: E402
from tests.slack.standin import StandIn  # noqa: E402

ANSWER = "We hebben gebeld en een afspraak gemaakt; de regels passen hier niet goed bij de situatie."


class ThreadStandIn(StandIn):
    """The stand-in, telling when a message is posted in a channel (root or thread reply)."""

    def __init__(self) -> None:
        super().__init__()
        self.posted: dict[str, asyncio.Queue[tuple[float, dict[str, Any]]]] = {}

    def channel(self, name: str) -> asyncio.Queue[tuple[float, dict[str, Any]]]:
        return self.posted.setdefault(name, asyncio.Queue())

    async def _api(self, request: web.Request) -> web.Response:
        response = await super()._api(request)
        method = request.match_info["method"]
        if method == "chat.postMessage" and isinstance(response.text, str):
            call = self.calls[-1]
            answer = json.loads(response.text)
            self.channel(str(call.args.get("channel"))).put_nowait((time.perf_counter(), answer))
        self.calls.clear()  # keep memory flat over thousands of calls
        return response


class Dialogues:
    def __init__(self, standin: ThreadStandIn, session: aiohttp.ClientSession, url: str, tag: str) -> None:
        self.tag = tag
        self.standin = standin
        self.session = session
        self.url = url
        self.events = 0
        self.errors = 0

    async def post(self, body: str, content_type: str) -> None:
        headers = {"Content-Type": content_type, **sign(body)}
        async with self.session.post(f"{self.url}/slack/events", data=body, headers=headers) as response:
            await response.read()
            if response.status != 200:
                self.errors += 1

    async def open(self, n: int) -> str:
        """Start dialogue n in channel C{n}; return its thread ts once the first question is posted."""
        channel = f"C{self.tag}{n}"
        queue = self.standin.channel(channel)
        body = urlencode(
            {
                "team_id": "T1",
                "channel_id": channel,
                "user_id": f"U{n}",
                "command": "/maatwerk",
                "text": f"casus Bench {n}",
                "response_url": self.standin.response_url(f"casus-{n}"),
                "trigger_id": f"trigger-casus-{self.tag}{n}",
            }
        )
        await self.post(body, "application/x-www-form-urlencoded")
        _, root = await queue.get()
        await queue.get()  # the first question, in the thread
        return str(root["ts"])

    async def answer(self, n: int, thread_ts: str, answers: int, latencies: list[float]) -> None:
        channel = f"C{self.tag}{n}"
        queue = self.standin.channel(channel)
        for k in range(answers):
            self.events += 1
            event = {
                "type": "message",
                "channel": channel,
                "user": f"U{n}",
                "text": f"{ANSWER} ({k})",
                "ts": f"1800000000.{self.events:06d}",
                "thread_ts": thread_ts,
            }
            body = json.dumps(
                {
                    "team_id": "T1",
                    "api_app_id": "A1",
                    "type": "event_callback",
                    "event_id": f"Ev{self.tag}{n}-{k}",
                    "event_time": int(time.time()),
                    "event": event,
                    "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
                }
            )
            started = time.perf_counter()
            await self.post(body, "application/json")
            arrived, _ = await asyncio.wait_for(queue.get(), timeout=30)
            latencies.append((arrived - started) * 1000)


@dataclass
class Figures:
    opened_s: float
    answers_per_s: float
    latencies: list[float]
    errors: int
    cpu_s: float

    @property
    def cpu_us_per_answer(self) -> float:
        return self.cpu_s / len(self.latencies) * 1e6


def cpu_seconds(server: Server) -> float:
    """User and system CPU time of the server and its worker processes so far."""
    assert server.process is not None
    total = 0
    for pid in _tree(server.process.pid):
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def settled(server: Server, quiet_s: float = 0.2, within_s: float = 30.0) -> None:
    """Wait until the server has used almost no CPU for `quiet_s` (start-up work in the background done)."""
    deadline = time.perf_counter() + within_s
    last = cpu_seconds(server)
    while time.perf_counter() < deadline:
        await asyncio.sleep(quiet_s)
        now = cpu_seconds(server)
        if now - last < 0.02 * quiet_s + 0.011:  # under 2 % of a core, give or take a clock tick
            return
        last = now


async def measure(
    server: Server, standin: ThreadStandIn, session: aiohttp.ClientSession, args: argparse.Namespace
) -> Figures:
    await server.start(session)
    try:
        await settled(server)
        dialogues = Dialogues(standin, session, server.url, tag=server.name.split()[0])
        started = time.perf_counter()
        threads = await asyncio.gather(*(dialogues.open(n) for n in range(args.dialogues)))
        opened = time.perf_counter() - started
        latencies: list[float] = []
        cpu = cpu_seconds(server)
        started = time.perf_counter()
        await asyncio.gather(*(dialogues.answer(n, ts, args.answers, latencies) for n, ts in enumerate(threads)))
        seconds = time.perf_counter() - started
        cpu = cpu_seconds(server) - cpu
    finally:
        server.stop()
    return Figures(opened, len(latencies) / seconds, latencies, dialogues.errors, cpu)


async def main(args: argparse.Namespace) -> None:
    os.sched_setaffinity(0, {LOAD_CORE})
    standin = await ThreadStandIn().start()
    cpus = {SERVER_CORE} if args.workers == 1 else {SERVER_CORE, LOAD_CORE}
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **server_environment(),
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": standin.base_url,
            "MAATWERK_DB": str(Path(tmp) / "dialogues.db"),
        }
        if args.db:
            from tests.store.pg import schema_url

            env["MAATWERK_DB"] = schema_url(args.db, f"bench-dialogues-{time.time_ns()}")
        argv = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--workers", str(args.workers), "--port"]
        ours = Server(f"maatwerk x{args.workers}", argv, cpus, env)
        bare = Server("bare bolt", [sys.executable, str(REPO / "bench" / "bare_bolt.py")], {SERVER_CORE}, env)
        connector = aiohttp.TCPConnector(limit=256)
        async with aiohttp.ClientSession(connector=connector) as session:
            bare_figures = await measure(bare, standin, session, args)
            our_figures = await measure(ours, standin, session, args)
    await standin.stop()
    print(
        f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
        f"maatwerk serve --workers {args.workers} on core(s) {sorted(cpus)}, bare bolt on core {SERVER_CORE}, "
        f"load generator on core {LOAD_CORE}; maatwerk on {'PostgreSQL' if args.db else 'SQLite'}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"| {args.dialogues} concurrent dialogues, {args.answers} answers each | maatwerk | bare bolt | ratio |")
    print("|---|---|---|---|")
    a, b = our_figures, bare_figures
    print(f"| opening the dialogues (s) | {a.opened_s:.2f} | {b.opened_s:.2f} | {a.opened_s / b.opened_s:.2f}x |")
    print(f"| answers/s | {a.answers_per_s:.0f} | {b.answers_per_s:.0f} | {a.answers_per_s / b.answers_per_s:.2f}x |")
    p99 = pct(a.latencies, 99), pct(b.latencies, 99)
    print(
        f"| answer to next question p50 / p99 (ms) | {statistics.median(a.latencies):.1f} / {p99[0]:.1f} "
        f"| {statistics.median(b.latencies):.1f} / {p99[1]:.1f} | {p99[0] / p99[1]:.2f}x (p99) |"
    )
    print(
        f"| server CPU per answer (µs) | {a.cpu_us_per_answer:.0f} | {b.cpu_us_per_answer:.0f} "
        f"| {a.cpu_us_per_answer / b.cpu_us_per_answer:.2f}x |"
    )
    print(f"| non-200 answers | {a.errors} | {b.errors} | |")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dialogues", type=int, default=100)
    parser.add_argument("--answers", type=int, default=10, help="answers per dialogue")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--db", default="", help="a postgresql:// URL: run maatwerk on PostgreSQL")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
