"""Side-by-side HTTP benchmark: `maatwerk serve` against a bare slack-bolt app (bench/bare_bolt.py).

Both servers run as subprocesses pinned to one core (os.sched_setaffinity), this load generator and the
Web API stand-in (tests/slack/standin.py, which also receives the response_url posts) on the other core.
Per server: start-up time to /healthz 200 (median of --starts starts; also the CPU seconds the process used
by then, which a busy shared machine disturbs less than wall time), idle RSS after a warm-up, open-loop
rates (signed `/maatwerk signaal …` commands sent on a fixed schedule whatever the server does, latency
counted from the scheduled moment, so a slow server is not hidden), and a closed loop (C clients, each
waiting for its answer before sending the next). Starts, rates and the closed loop run alternately bare /
maatwerk, each in --rounds turns whose samples are pooled, so that noise on the shared machine hits both
alike; the ratios are from this one run. Then `maatwerk serve --workers 2` (both cores, shared with the
load generator) against one worker at the highest rate.

An ack slower than Slack's 3 s, a non-200 and a connection error count as errors; an answer that has not
reached response_url 10 s after the last request counts as lost.

Run: .venv/bin/python bench/bench_http.py [--duration 6] [--rounds 3] [--rates 50,100,200,400] [--concurrency 16]
     [--starts 3] [--start-only]   (--start-only: start-up and idle RSS, no load)
Prints a Markdown table (the README's Performance section holds one).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, free_port, sign  # noqa: E402
from tests.slack.standin import StandIn  # noqa: E402

SLACK_ACK_TIMEOUT_S = 3.0
ANSWER_GRACE_S = 10.0
SERVER_CORE = 0
LOAD_CORE = 1
PHRASES = [
    "mevrouw kan de huur niet betalen sinds haar man overleed",
    "meneer reageert niet op brieven en wantrouwt de overheid",
    "grote schulden, deurwaarder en een zieke partner",
    "jongere van achttien valt tussen wal en schip bij de overgang naar volwassenenzorg",
    "gezin met vier kinderen dreigt uit huis gezet te worden",
    "de regels passen niet bij deze situatie, de uitkering wordt gekort",
    "inwoner durft niet te bellen en schaamt zich voor zijn situatie",
    "mantelzorger is overbelast en krijgt geen respijtzorg",
    "zzp'er met wisselend inkomen moet toeslagen terugbetalen",
    "statushouder begrijpt de brieven van de gemeente niet",
    "oudere man vereenzaamt en komt niet meer buiten",
    "wat eten we vanavond",
]


def text_for(i: int) -> str:
    """Varied request texts, so that no cache sees the same few queries over and over."""
    return f"signaal {PHRASES[i % len(PHRASES)]}, {PHRASES[(i * 7 + 3) % len(PHRASES)]} ({i % 97} jaar)"


class TimedStandIn(StandIn):
    """The stand-in, noting when each response_url post arrives (per hook) instead of storing it."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[str, float] = {}
        self.waiters: dict[str, asyncio.Future[float]] = {}

    async def _response_url(self, request: web.Request) -> web.Response:
        await request.read()
        hook = request.match_info["hook"]
        now = time.perf_counter()
        self.arrived[hook] = now
        waiter = self.waiters.pop(hook, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(now)
        return web.Response(text="ok")

    def expect(self, hook: str) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        if hook in self.arrived:
            future.set_result(self.arrived[hook])
        else:
            self.waiters[hook] = future
        return future


@dataclass
class Server:
    name: str
    argv: list[str]
    cpus: set[int]
    env: dict[str, str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    starts: list[float] = field(default_factory=list)
    start_cpu: list[float] = field(default_factory=list)  # CPU seconds of the process at /healthz 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, session: aiohttp.ClientSession) -> None:
        self.port = free_port()
        cpus = self.cpus
        started = time.perf_counter()
        self.process = subprocess.Popen(  # noqa: ASYNC220 (starts and returns; the server runs on)
            [*self.argv, str(self.port)],
            env=self.env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: os.sched_setaffinity(0, cpus),
        )
        while time.perf_counter() - started < 60:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}")
            try:
                async with session.get(f"{self.url}/healthz") as response:
                    if response.status == 200:
                        self.starts.append(time.perf_counter() - started)
                        self.start_cpu.append(_cpu_seconds(self.process.pid))
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.005)
        raise RuntimeError(f"{self.name} did not become healthy")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def rss_mib(self) -> float:
        """Resident memory of the server and all its child processes."""
        assert self.process is not None
        return sum(_status_kib(pid, "VmRSS:") for pid in _tree(self.process.pid)) / 1024

    def pss_mib(self) -> float:
        """Proportional memory of the server and its children: pages shared after fork() counted once."""
        assert self.process is not None
        return sum(_status_kib(pid, "Pss:", "smaps_rollup") for pid in _tree(self.process.pid)) / 1024


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in children:
            pids += _tree(int(child))
    return pids


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _status_kib(pid: int, field: str, name: str = "status") -> int:
    for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


@dataclass
class Result:
    sent: int = 0
    acks: list[float] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)
    errors: int = 0
    lost: int = 0
    seconds: float = 0.0
    busy: float = 0.0  # from the first request to the last answer, summed over rounds

    @property
    def throughput(self) -> float:
        """Answers per second, over the time from the first request until the last answer arrived."""
        return len(self.answers) / self.busy if self.busy else 0.0

    def add(self, other: Result) -> None:
        self.sent += other.sent
        self.acks += other.acks
        self.answers += other.answers
        self.errors += other.errors
        self.lost += other.lost
        self.seconds += other.seconds
        self.busy += other.busy


def server_environment() -> dict[str, str]:
    """This environment, but with bytecode caching on, as in the Docker image (pip compiles at install):
    with PYTHONDONTWRITEBYTECODE=1 an editable checkout compiles all of bot/ again at every start."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Load:
    def __init__(self, standin: TimedStandIn, session: aiohttp.ClientSession) -> None:
        self.standin = standin
        self.session = session
        self.counter = 0
        self.last_answer = 0.0

    def body(self, hook: str, i: int) -> str:
        return urlencode(
            {
                "token": "legacy",
                "team_id": "T1",
                "team_domain": "bench",
                "channel_id": "C1",
                "channel_name": "maatwerkplaats",
                "user_id": f"U{i % 50}",
                "user_name": "bench",
                "command": "/maatwerk",
                "text": text_for(i),
                "api_app_id": "A1",
                "response_url": self.standin.response_url(hook),
                "trigger_id": f"trigger-{hook}",
            }
        )

    async def one(self, url: str, since: float, result: Result) -> None:
        """One command; ack and answer times are counted from `since` (the scheduled moment)."""
        self.counter += 1
        i = self.counter
        hook = f"h{i}"
        answer = self.standin.expect(hook)
        body = self.body(hook, i)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
        result.sent += 1
        try:
            async with self.session.post(f"{url}/slack/events", data=body, headers=headers) as response:
                await response.read()
                ack = time.perf_counter() - since
                if response.status != 200 or ack > SLACK_ACK_TIMEOUT_S:
                    result.errors += 1
                result.acks.append(ack * 1000)
        except (aiohttp.ClientError, TimeoutError):
            result.errors += 1
        try:
            arrived = await asyncio.wait_for(answer, timeout=ANSWER_GRACE_S + result.seconds)
        except TimeoutError:
            self.standin.waiters.pop(hook, None)
            result.lost += 1
            return
        result.answers.append((arrived - since) * 1000)
        self.last_answer = max(self.last_answer, arrived)

    async def open_loop(self, url: str, rate: int, duration: float) -> Result:
        result = Result(seconds=duration)
        tasks = []
        start = time.perf_counter()
        for n in range(int(rate * duration)):
            due = start + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.one(url, due, result)))
        await asyncio.gather(*tasks)
        result.busy = self.last_answer - start
        return result

    async def closed_loop(self, url: str, clients: int, duration: float) -> Result:
        result = Result(seconds=duration)
        end = time.perf_counter() + duration

        async def client() -> None:
            while time.perf_counter() < end:
                await self.one(url, time.perf_counter(), result)

        start = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        result.busy = self.last_answer - start
        return result


def fmt_ms(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} / {pct(values, 99):.1f}" if values else "-"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def row(label: str, ours: str, bare: str, rat: str = "") -> str:
    return f"| {label} | {ours} | {bare} | {rat} |"


def rate_rows(rate: int, ours: Result, bare: Result) -> list[str]:
    return [
        row(
            f"{rate}/s ack p50 / p99 (ms)",
            fmt_ms(ours.acks),
            fmt_ms(bare.acks),
            ratio(pct(ours.acks, 99), pct(bare.acks, 99)) + " (p99)",
        ),
        row(
            f"{rate}/s answer p50 / p99 (ms)",
            fmt_ms(ours.answers),
            fmt_ms(bare.answers),
            ratio(pct(ours.answers, 99), pct(bare.answers, 99)) + " (p99)",
        ),
        row(
            f"{rate}/s answers/s, errors, lost",
            f"{ours.throughput:.0f}, {ours.errors}, {ours.lost}",
            f"{bare.throughput:.0f}, {bare.errors}, {bare.lost}",
        ),
    ]


async def warm_up(load: Load, server: Server) -> None:
    await load.open_loop(server.url, 50, 1.0)
    await asyncio.sleep(2)


async def under_load(load: Load, ours: Server, bare: Server, rates: list[int], args: argparse.Namespace) -> list[str]:
    """The open-loop rates and the closed loop, bare and maatwerk alternately."""
    out: list[str] = []
    for rate in rates:
        bare_result, ours_result = Result(), Result()
        for _ in range(args.rounds):
            bare_result.add(await load.open_loop(bare.url, rate, args.duration / args.rounds))
            ours_result.add(await load.open_loop(ours.url, rate, args.duration / args.rounds))
        out += rate_rows(rate, ours_result, bare_result)
        print(f"# {rate}/s done", file=sys.stderr)
    bare_closed, ours_closed = Result(), Result()
    for _ in range(args.rounds):
        bare_closed.add(await load.closed_loop(bare.url, args.concurrency, args.duration / args.rounds))
        ours_closed.add(await load.closed_loop(ours.url, args.concurrency, args.duration / args.rounds))
    out.append(
        row(
            f"closed loop ({args.concurrency} clients), answers/s",
            f"{ours_closed.throughput:.0f}",
            f"{bare_closed.throughput:.0f}",
            ratio(ours_closed.throughput, bare_closed.throughput),
        )
    )
    out.append(row("closed loop answer p50 / p99 (ms)", fmt_ms(ours_closed.answers), fmt_ms(bare_closed.answers)))
    out.append(row("RSS after the load (MiB)", f"{ours.rss_mib():.0f}", f"{bare.rss_mib():.0f}"))
    return out


async def main(args: argparse.Namespace) -> None:
    os.sched_setaffinity(0, {LOAD_CORE})
    standin = await TimedStandIn().start()
    rates = [int(r) for r in args.rates.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        base_env = {
            **server_environment(),
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": standin.base_url,
        }
        serve = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1"]

        def maatwerk(workers: int, cpus: set[int]) -> Server:
            env = base_env | {"MAATWERK_DB": str(Path(tmp) / f"bench-{workers}.db")}
            return Server(f"maatwerk x{workers}", [*serve, "--workers", str(workers), "--port"], cpus, env)

        ours = maatwerk(1, {SERVER_CORE})
        bare = Server("bare bolt", [sys.executable, str(REPO / "bench" / "bare_bolt.py")], {SERVER_CORE}, base_env)
        connector = aiohttp.TCPConnector(limit=256)
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            load = Load(standin, session)
            lines = ["| | maatwerk | bare bolt | ratio |", "|---|---|---|---|"]
            try:
                for n in range(args.starts):
                    for server in (bare, ours):  # alternately, so that both see the same noise
                        await server.start(session)
                        if n < args.starts - 1:
                            server.stop()
                for server in (bare, ours):
                    await warm_up(load, server)
                ours_start, bare_start = statistics.median(ours.starts), statistics.median(bare.starts)
                lines.append(
                    row(
                        "start to /healthz 200 (s)",
                        f"{ours_start:.2f}",
                        f"{bare_start:.2f}",
                        ratio(ours_start, bare_start),
                    )
                )
                ours_cpu, bare_cpu = statistics.median(ours.start_cpu), statistics.median(bare.start_cpu)
                lines.append(
                    row("CPU until /healthz 200 (s)", f"{ours_cpu:.2f}", f"{bare_cpu:.2f}", ratio(ours_cpu, bare_cpu))
                )
                ours_rss, bare_rss = ours.rss_mib(), bare.rss_mib()
                lines.append(row("idle RSS (MiB)", f"{ours_rss:.0f}", f"{bare_rss:.0f}", ratio(ours_rss, bare_rss)))
                if not args.start_only:
                    lines += await under_load(load, ours, bare, rates, args)
            finally:
                bare.stop()
                ours.stop()
            if args.workers and not args.start_only:
                lines += await compare_workers(load, session, maatwerk, rates[-1], args)
        print(
            f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores; "
            f"servers on core {SERVER_CORE}, load generator on core {LOAD_CORE}; {args.duration:.0f} s per rate"
        )
        print("\n".join(lines))
    await standin.stop()


async def compare_workers(
    load: Load,
    session: aiohttp.ClientSession,
    maatwerk: Callable[[int, set[int]], Server],
    rate: int,
    args: argparse.Namespace,
) -> list[str]:
    """The same rate against 1 worker on one core and 2 workers on both cores."""
    one, two = maatwerk(1, {SERVER_CORE}), maatwerk(2, {SERVER_CORE, LOAD_CORE})
    lines = ["", "| | 1 worker (1 core) | 2 workers (2 cores) | ratio 1 / 2 |", "|---|---|---|---|"]
    try:
        for server in (one, two):
            await server.start(session)
            await warm_up(load, server)
        rss = (one.rss_mib(), two.rss_mib())
        pss = (one.pss_mib(), two.pss_mib())
        first, second = Result(), Result()
        for _ in range(args.rounds):
            first.add(await load.open_loop(one.url, rate, args.duration / args.rounds))
            second.add(await load.open_loop(two.url, rate, args.duration / args.rounds))
        lines.append(row("start to /healthz 200 (s)", f"{one.starts[0]:.2f}", f"{two.starts[0]:.2f}"))
        lines.append(
            row("idle RSS / PSS, all processes (MiB)", f"{rss[0]:.0f} / {pss[0]:.0f}", f"{rss[1]:.0f} / {pss[1]:.0f}")
        )
        lines += rate_rows(rate, first, second)
        closed_one = await load.closed_loop(one.url, args.concurrency, args.duration)
        closed_two = await load.closed_loop(two.url, args.concurrency, args.duration)
        lines.append(
            row(
                f"closed loop ({args.concurrency} clients), answers/s",
                f"{closed_one.throughput:.0f}",
                f"{closed_two.throughput:.0f}",
                ratio(closed_one.throughput, closed_two.throughput),
            )
        )
    finally:
        one.stop()
        two.stop()
    return lines


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=6.0, help="seconds per rate and for the closed loop")
    parser.add_argument("--rates", default="50,100,200,400", help="open-loop rates, requests per second")
    parser.add_argument("--rounds", type=int, default=3, help="alternate bare / maatwerk this often per rate")
    parser.add_argument("--concurrency", type=int, default=16, help="clients in the closed loop")
    parser.add_argument("--no-workers", dest="workers", action="store_false", help="skip the 1 vs 2 workers part")
    parser.add_argument("--starts", type=int, default=3, help="starts of each server for the start-up figures")
    parser.add_argument("--start-only", action="store_true", help="only start-up and idle RSS (after a warm-up)")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
