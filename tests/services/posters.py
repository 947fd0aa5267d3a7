"""A recording poster for the delivery services (weekly lessons, monthly digest): it keeps posts in
memory, as a channel would, and can fail on purpose."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from bot.services.lessons import ChannelGoneError, PostFailedError


class Prompt(Protocol):
    @property
    def channel(self) -> str: ...

    @property
    def key(self) -> str: ...


P = TypeVar("P", bound=Prompt)


class RecordingPoster(Generic[P]):
    def __init__(self, gone: set[str] | None = None, fail_first: int = 0) -> None:
        self.posts: list[tuple[P, str]] = []
        self.gone = gone or set()
        self.fail_first = fail_first
        self.lock = threading.Lock()

    async def post(self, prompt: P) -> str:
        await asyncio.sleep(0)
        if prompt.channel in self.gone:
            raise ChannelGoneError("not_in_channel")
        with self.lock:
            if self.fail_first:
                self.fail_first -= 1
                raise PostFailedError("ratelimited")
            ts = f"{len(self.posts) + 1}.000"
            self.posts.append((prompt, ts))
        return ts

    async def find(self, prompt: P, since: datetime) -> str | None:
        return next((ts for posted, ts in self.posts if posted.key == prompt.key), None)

    def count(self, channel: str) -> int:
        return sum(1 for prompt, _ in self.posts if prompt.channel == channel)
