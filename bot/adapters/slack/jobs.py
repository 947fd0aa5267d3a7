"""Background jobs that run beside the Slack app in `serve` and `socket` (scheduler loops).

A job is `async def job(context, client) -> None` that loops until cancelled. Feature modules list
theirs in JOB_MODULES (each exports JOBS: tuple of jobs); serve and socket start them after start-up
and cancel them on shutdown.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Awaitable, Callable

from slack_sdk.web.async_client import AsyncWebClient

from bot.services.context import AppContext

log = logging.getLogger(__name__)
Job = Callable[[AppContext, AsyncWebClient], Awaitable[None]]
JOB_MODULES: tuple[str, ...] = (
    "bot.adapters.slack.casus_jobs",
    "bot.adapters.slack.lessons_jobs",
    "bot.adapters.slack.digest_jobs",
)


def registered_jobs() -> list[Job]:
    jobs: list[Job] = []
    for name in JOB_MODULES:
        jobs.extend(importlib.import_module(name).JOBS)
    return jobs


def start_jobs(context: AppContext, client: AsyncWebClient) -> list[asyncio.Task[None]]:
    tasks = []
    for job in registered_jobs():
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
