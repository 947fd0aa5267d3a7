"""Throughput and p99 of 1 vs 2 `maatwerk serve` instances on one PostgreSQL database.

Starts a throwaway PostgreSQL 15 the way .ci/run does (initdb into a temp dir as the postgres user, a
free port, stopped and removed at exit), unless MAATWERK_TEST_PG_URL names a server already; starts the
Slack Web API stand-in; then, for 1 and for 2 instances (each run in a fresh schema), starts that many
`maatwerk serve` processes and opens DIALOGUES casus dialogues. Then every dialogue is answered at
once by its own simulated person: a signed thread reply, sent round-robin to the instances as a load
balancer would, then waiting for the next question before answering it. Each answer is a database
transaction committed before the ack, and the next question is posted by an instance's outbox worker.
Reported: answers per second, the ack's latency (p50/p99) and the turn's (answer sent until the next
question is posted in Slack, p50/p99).

Run on demand: .venv/bin/python bench/bench_instances.py [ANSWERS] [DIALOGUES]
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
from tests.slack.crash import Thread, after, posted_ts, questions_in, start_dialogues, wait_until
from tests.slack.standin import StandIn
from tests.store.pg import PG_URL_VARIABLE, schema_url

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def written_after(question_ts: str) -> str:
    """The reply's ts: 50 µs after the question it answers (the stand-in's ts may run ahead of the clock)."""
    return after(question_ts, 50)


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


async def run(instances: int, pg: str, answers: int, dialogues: int, logs: Path) -> dict[str, float]:
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
            for i, slack in enumerate(itertools.islice(itertools.cycle(slacks), dialogues)):
                threads += await start_dialogues(slack, standin, 1, first=i)
            each = min(answers // dialogues, min(t.total for t in threads) - 1)  # no dialogue closes mid-run
            acks: list[float] = []
            turns: list[float] = []
            failed = 0
            sent = itertools.count()

            async def converse(thread: Thread) -> None:
                """One person answering one dialogue: answer, wait for the next question, answer that."""
                nonlocal failed
                for _ in range(each):
                    n = next(sent)
                    slack = slacks[n % len(slacks)]  # round-robin, as a load balancer would
                    questions = questions_in(standin, thread.ts)
                    asked = len(questions)
                    event = {
                        "type": "message",
                        "channel": "C1",
                        "user": "U2",
                        "text": f"antwoord {n}",
                        "ts": written_after(posted_ts(standin, questions[-1])),
                        "thread_ts": thread.ts,
                    }
                    started = time.perf_counter()
                    response = await slack.event(event, event_id=f"Ev-bench-{n}")
                    acks.append((time.perf_counter() - started) * 1000)
                    failed += response.status != 200
                    await wait_until(lambda asked=asked: len(questions_in(standin, thread.ts)) > asked, within=60)
                    turns.append((time.perf_counter() - started) * 1000)

            started = time.perf_counter()
            await asyncio.gather(*(converse(thread) for thread in threads))
            elapsed = time.perf_counter() - started
    finally:
        for server in servers:
            server.kill()
        await standin.stop()
    return {
        "answers": len(acks),
        "answers/s": len(acks) / elapsed,
        "ack p50": statistics.median(acks),
        "ack p99": pct(acks, 99),
        "turn p50": statistics.median(turns),
        "turn p99": pct(turns, 99),
        "non-200": failed,
    }


async def main(answers: int, dialogues: int) -> None:
    with throwaway_postgres() as pg, tempfile.TemporaryDirectory() as logs:
        where = pg.rsplit("@", 1)[-1]
        print(f"PostgreSQL {where}; {dialogues} dialogues answered at once; {os.cpu_count()} CPUs on this machine")
        print(
            f"{'instances':>9} {'answers':>8} {'answers/s':>9} {'ack p50/p99 ms':>16}"
            f" {'turn p50/p99 ms':>17} {'non-200':>7}"
        )
        for instances in (1, 2):
            r = await run(instances, pg, answers, dialogues, Path(logs))
            print(
                f"{instances:>9} {int(r['answers']):>8} {r['answers/s']:>9.1f}"
                f" {r['ack p50']:>7.1f} / {r['ack p99']:>6.1f}"
                f" {r['turn p50']:>8.1f} / {r['turn p99']:>6.1f} {int(r['non-200']):>7}"
            )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 480, int(sys.argv[2]) if len(sys.argv) > 2 else 24))
