"""Start-up without the garbage collector's full passes.

Starting a command imports the libraries and builds the deck and the search index: several hundred thousand
objects that live as long as the process. While they are made, the collector walks all of them again and
again (about 50 ms of a 0.5 s start); none of them is garbage. `no_collection()` keeps it off while they are
made, then freezes them (gc.freeze: out of every later pass, as `serve` does before it forks its workers)
and turns it back on as it was, so what the command does afterwards is collected as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_collection() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
