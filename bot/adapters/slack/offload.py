"""CPU-heavy pure work (search; redaction and summaries may follow) runs here, off the event loop.

One worker thread, so at most one such job competes with the loop for the GIL at a time: the loop then
gets it back every switch interval (5 ms) and /healthz, acks and other requests stay fast. A long search
delays only the searches queued behind it, never the answers of other requests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="maatwerk-cpu")


async def off_loop(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `function(*args, **kwargs)` in the CPU worker and wait for it without holding the loop."""
    return await asyncio.get_running_loop().run_in_executor(_WORKER, partial(function, *args, **kwargs))
