"""Background jobs that run beside the Slack app in `serve` and `socket` (scheduler loops).

A job is `async def job(context, client) -> None` that loops until cancelled. Each feature module exports
JOBS (a tuple of jobs) and is imported by name in `registered_jobs`; serve and socket start them after
start-up and cancel them on shutdown.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import casus_jobs, digest_jobs, lessons_jobs
from bot.services.context import AppContext

log = logging.getLogger(__name__)
Job = Callable[[AppContext, AsyncWebClient], Awaitable[None]]


def registered_jobs() -> list[Job]:
    return [*casus_jobs.JOBS, *lessons_jobs.JOBS, *digest_jobs.JOBS]


def start_jobs(context: AppContext, client: AsyncWebClient, *, all_jobs: bool = True) -> list[asyncio.Task[None]]:
    """`all_jobs=False` (the other workers of `serve --workers N`): only the jobs every worker runs."""
    tasks = []
    for job in registered_jobs() if all_jobs else list(casus_jobs.EVERY_WORKER):
        log.info("starting background job %s", job.__name__)
        tasks.append(asyncio.create_task(_guarded(job, context, client), name=job.__name__))
    return tasks


async def _guarded(job: Job, context: AppContext, client: AsyncWebClient) -> None:
    """Keep a job alive across unexpected errors (logged without content), with a pause between tries."""
    while True:
        try:
            await job(context, client)
            return
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.error("background job %s failed: %s; restarting in 30 s", job.__name__, type(error).__name__)
            await asyncio.sleep(30)


async def stop_jobs(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
