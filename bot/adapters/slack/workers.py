"""`maatwerk serve --workers N`: a pre-fork parent and N worker processes on one listening socket.

The parent binds the port once, forks the workers (they share the loaded cards and index copy-on-write)
and waits. Each worker opens its own SQLite connection to the same file (WAL; writes are short
BEGIN IMMEDIATE transactions, see bot/store/db.py) and accepts connections from the shared socket, so an
idle worker takes the next one. Only worker 0 runs the background jobs (weekly lessons, timeouts,
retention); every worker posts the outbox entries its own requests queued (casus_jobs.EVERY_WORKER).
The parent forwards SIGTERM and SIGINT to the workers; when one worker exits, the parent stops the others
and exits with the first non-zero exit code, so a supervisor restarts the whole set.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import signal
import socket
from collections.abc import Callable
from types import FrameType
from typing import NoReturn

from bot.services.context import AppContext
from bot.store.db import open_store

log = logging.getLogger(__name__)
BACKLOG = 1024
Run = Callable[[AppContext, int, socket.socket], None]


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=BACKLOG)


def run_workers(context: AppContext, host: str, port: int, count: int, run: Run) -> int:
    """Fork `count` workers that each call run(their context, their index, the socket); return an exit code."""
    sock = listen(host, port)
    context.store.close()  # a SQLite connection must not cross fork(); each worker opens its own
    children: dict[int, int] = {}
    stopping: set[int] = set()
    asked_to_stop = False

    def forward(signum: int, _: FrameType | None) -> None:
        """SIGTERM each worker once: a second one could cut short its graceful shutdown."""
        nonlocal asked_to_stop
        asked_to_stop = True
        for pid in set(children) - stopping:
            stopping.add(pid)
            _signal(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    for index in range(count):
        if asked_to_stop:
            break
        pid = os.fork()
        if pid == 0:
            _worker(context, index, sock, run)
        children[pid] = index
    sock.close()
    log.info("started %d workers", len(children))
    code = 0
    while children:
        pid, status = os.wait()
        index = children.pop(pid)
        exit_code = os.waitstatus_to_exitcode(status)
        code = code or (exit_code if exit_code > 0 else 0)
        log.info("worker %d exited with %d", index, exit_code)
        forward(signal.SIGTERM, None)
    return code


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _worker(context: AppContext, index: int, sock: socket.socket, run: Run) -> NoReturn:
    """The body of a forked worker; never returns."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    code = 0
    try:
        worker = dataclasses.replace(context, store=open_store(context.settings.db_path))
        try:
            run(worker, index, sock)
        finally:
            worker.close()
    except BaseException as error:  # a worker must end in os._exit, whatever happened
        log.error("worker %d failed: %s", index, type(error).__name__)
        code = 1
    finally:
        logging.shutdown()
        os._exit(code)
