"""Logging for `maatwerk serve` and `maatwerk socket`: no user text in any log, at any level.

Our own modules (`bot.*`) log codes, ids and counts only. Libraries do not: slack_bolt logs the whole
body of a request whose signature is rejected (at INFO) and of a failing request, slack_sdk logs every
Web API request and response body at DEBUG, aiohttp's access log carries query strings. So one filter
sits on the handler that writes the log (a handler filter sees every record, also those passed up from
child loggers such as `slack_bolt.AsyncApp`, which a filter on the `slack_bolt` logger would not) and
rewrites each library record, and each record of bolt's app logger `bot.slack`, to a short code: the
leading words of its message, up to the first character that is not a letter or a space ('Invalid
request signature detected', 'Sending a request', 'request body'). Tracebacks keep their frames but
lose the exception messages, which can quote input; exception types stay.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from types import TracebackType
from typing import TextIO

__all__ = ["BOLT_APP_LOGGER", "NoUserText", "configure"]

BOLT_APP_LOGGER = "bot.slack"
OWN_PREFIX = "bot."
FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
WITHHELD = "(inhoud weggelaten)"
_LEADING_WORDS = re.compile(r"[A-Za-z][A-Za-z ]{0,59}")
_REQUEST_LINE = re.compile(r"^(?P<method>[A-Z]{3,7}) (?P<path>/[A-Za-z0-9/_.\-]{0,100})")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def _trusted(name: str) -> bool:
    """Our own module loggers; bolt names the loggers it makes for listeners '<name>:<class>'."""
    if ":" in name or name == BOLT_APP_LOGGER or name.startswith(BOLT_APP_LOGGER + "."):
        return False
    return name.startswith(OWN_PREFIX)


def _code(record: logging.LogRecord) -> str:
    if record.name == "aiohttp.access":
        line = str(getattr(record, "first_request_line", ""))
        found = _REQUEST_LINE.match(line)
        status = getattr(record, "response_status", "")
        return f"{found.group('method')} {found.group('path')} {status}" if found else f"request {status}"
    try:
        message = record.getMessage()
    except (TypeError, ValueError):
        message = str(record.msg)
    found = _LEADING_WORDS.match(message)
    words = found.group(0).strip() if found else ""
    return f"{words} {WITHHELD}" if len(words) < len(message.strip()) else words or WITHHELD


def _traceback_without_messages(exc_info: ExcInfo) -> str:
    """The stack of every exception in the chain, each closed by its type name only."""
    lines: list[str] = []
    error: BaseException | None = exc_info[1]
    seen: set[int] = set()
    chain: list[BaseException] = []
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        chain.append(error)
        error = error.__cause__ or error.__context__
    for error in reversed(chain):
        lines.append("Traceback (most recent call last):\n")
        lines += traceback.format_tb(error.__traceback__)
        lines.append(f"{type(error).__module__}.{type(error).__qualname__} {WITHHELD}\n")
    return "".join(lines).rstrip("\n")


class NoUserText(logging.Filter):
    """Rewrites library records to a code and strips exception messages from every traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _trusted(record.name):
            record.msg = _code(record)
            record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            exc_type, error, trace = record.exc_info
            assert exc_type is not None
            record.exc_text = _traceback_without_messages((exc_type, error, trace))
        return True


def configure(level: str | int, stream: TextIO | None = None) -> None:
    """Log to stderr (or `stream`) at `level`, through the NoUserText filter; replaces earlier handlers."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(NoUserText())
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
