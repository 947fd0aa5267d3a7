"""Throughput and p99 of 1 vs 2 `maatwerk serve` instances on one PostgreSQL database.

Starts a throwaway PostgreSQL 15 the way .ci/run does (initdb into a temp dir as the postgres user, a
free port, stopped and removed at exit), unless MAATWERK_TEST_PG_URL names a server already; starts the
Slack Web API stand-in; then, for 1 and for 2 instances (each run in a fresh schema), starts that many
`maatwerk serve` processes, opens casus dialogues, and sends signed casus answers (thread replies)
spread round-robin over the instances, as a load balancer would, with CONCURRENCY requests in flight.
Each answer is a database transaction committed before the ack, and a next question posted by the
outbox. Reported: acks per second, ack latency p50/p99, and the time until every next question was
posted (end-to-end throughput).

Run on demand: .venv/bin/python bench/bench_instances.py [ANSWERS] [CONCURRENCY]
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, ServeProcess, Slack, free_port
from tests.slack.crash import Thread, start_dialogues, wait_until
from tests.slack.standin import StandIn
from tests.store.pg import PG_URL_VARIABLE, schema_url

PG_BIN = Path("/usr/lib/postgresql/15/bin")
DIALOGUES = 24


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL 15 server in a temp dir, as .ci/run starts it; its URL."""
    if url := os.environ.get(PG_URL_VARIABLE):
        yield url
        return
    root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if root else []
    folder = Path(tempfile.mkdtemp())
    if root:
        shutil.chown(folder, "postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = folder / "data"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    subprocess.run([*prefix, PG_BIN / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"], **quiet)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
    subprocess.run(
        [*prefix, PG_BIN / "pg_ctl", "-D", data, "-w", "-l", folder / "server.log", "-o", options, "start"], **quiet
    )
    try:
        subprocess.run(
            [*prefix, PG_BIN / "createdb", "-h", folder, "-p", str(port), "-U", "postgres", "bench"], **quiet
        )
        yield f"postgresql://postgres@127.0.0.1:{port}/bench"
    finally:
        subprocess.run(
            [*prefix, PG_BIN / "pg_ctl", "-D", data, "-m", "immediate", "stop"], check=False, capture_output=True
        )
        shutil.rmtree(folder, ignore_errors=True)


async def run(instances: int, pg: str, answers: int, concurrency: int, logs: Path) -> dict[str, float]:
    standin = await StandIn().start()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.base_url,
        "MAATWERK_DB": schema_url(pg, f"bench-{instances}-{time.time_ns()}"),
        "MAATWERK_LOG_LEVEL": "WARNING",
    }
    servers = [ServeProcess(env, free_port(), logs / f"serve-{instances}-{i}.log") for i in range(instances)]
    try:
        for server in servers:
            await server.start(within=120)
        async with aiohttp.ClientSession() as session:
            slacks = [Slack(server.url, standin, session) for server in servers]
            threads: list[Thread] = []
            for i, slack in enumerate(itertools.islice(itertools.cycle(slacks), DIALOGUES)):
                threads += await start_dialogues(slack, standin, 1, first=i)
            answers = min(answers, sum(t.total - 1 for t in threads))  # no dialogue may close mid-run
            posted_before = len(standin.of("chat.postMessage"))
            gate = asyncio.Semaphore(concurrency)
            acks: list[float] = []
            failed = 0

            async def answer(n: int) -> None:
                nonlocal failed
                thread = threads[n % len(threads)]
                slack = slacks[n % len(slacks)]
                event = {
                    "type": "message",
                    "channel": "C1",
                    "user": f"U{n % 7 + 2}",
                    "text": f"antwoord {n}",
                    "ts": f"{int(thread.ts.split('.')[0]) + 1}.{n:06d}",
                    "thread_ts": thread.ts,
                }
                async with gate:
                    started = time.perf_counter()
                    response = await slack.event(event, event_id=f"Ev-bench-{n}")
                    acks.append((time.perf_counter() - started) * 1000)
                    failed += response.status != 200

            started = time.perf_counter()
            await asyncio.gather(*(answer(n) for n in range(answers)))
            acked = time.perf_counter() - started
            await wait_until(lambda: len(standin.of("chat.postMessage")) >= posted_before + answers, within=300)
            posted = time.perf_counter() - started
    finally:
        for server in servers:
            server.kill()
        await standin.stop()
    return {
        "answers": answers,
        "acks/s": answers / acked,
        "p50 ms": statistics.median(acks),
        "p99 ms": pct(acks, 99),
        "posted/s": answers / posted,
        "non-200": failed,
    }


async def main(answers: int, concurrency: int) -> None:
    with throwaway_postgres() as pg, tempfile.TemporaryDirectory() as logs:
        print(
            f"PostgreSQL {pg.rsplit('@', 1)[-1]}, {answers} answers over {DIALOGUES} dialogues, "
            f"{concurrency} in flight, {os.cpu_count()} CPUs"
        )
        print(f"{'instances':>9} {'acks/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'posted/s':>9} {'non-200':>8}")
        for instances in (1, 2):
            result = await run(instances, pg, answers, concurrency, Path(logs))
            print(
                f"{instances:>9} {result['acks/s']:>8.1f} {result['p50 ms']:>8.1f} {result['p99 ms']:>8.1f}"
                f" {result['posted/s']:>9.1f} {int(result['non-200']):>8}  ({int(result['answers'])} answers)"
            )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 400, int(sys.argv[2]) if len(sys.argv) > 2 else 16))
