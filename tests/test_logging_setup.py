"""The log filter: library records become codes, tracebacks lose their messages, our own lines stay."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot import logging_setup

SECRET = "mevrouw Jansen BSN 111222333"


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    logging_setup.configure("DEBUG", stream)
    yield stream
    for handler in root.handlers[:]:
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.mark.parametrize(
    ("name", "message", "code"),
    [
        ("slack_bolt.RequestVerification", f"Invalid request signature detected (body: text={SECRET})", "Invalid"),
        (
            "slack_sdk.web.async_base_client",
            f"Sending a request - url: x, json_body: {{'text': '{SECRET}'}}",
            "Sending",
        ),
        ("bot.slack", f"request body: {{'text': '{SECRET}'}}", "request body"),
        ("bot.adapters.slack.listeners.actions:AsyncListener", f"Error: {SECRET}", "Error"),
        ("slack_bolt.AsyncApp", f"{{'text': '{SECRET}'}}", logging_setup.WITHHELD),
    ],
)
def test_library_records_are_reduced_to_a_code(log: io.StringIO, name: str, message: str, code: str) -> None:
    logging.getLogger(name).info(message)
    written = log.getvalue()
    assert code in written
    assert "Jansen" not in written
    assert "111222333" not in written


def test_access_log_keeps_method_path_and_status_without_query(log: io.StringIO) -> None:
    extra = {"first_request_line": "GET /healthz?naam=Jansen HTTP/1.1", "response_status": 200}
    logging.getLogger("aiohttp.access").info("127.0.0.1 GET /healthz?naam=Jansen 200", extra=extra)
    assert "GET /healthz 200" in log.getvalue()
    assert "Jansen" not in log.getvalue()


def test_tracebacks_keep_frames_and_types_but_not_messages(log: io.StringIO) -> None:
    try:
        try:
            raise KeyError(SECRET)
        except KeyError as inner:
            raise ValueError(f"bad input {SECRET}") from inner
    except ValueError:
        logging.getLogger("bot.adapters.slack.app").exception("handler failed: %s", "ValueError")
    written = log.getvalue()
    assert "handler failed: ValueError" in written
    assert "test_tracebacks_keep_frames_and_types_but_not_messages" in written
    assert "builtins.KeyError" in written
    assert "Jansen" not in written


def test_our_own_records_are_kept_as_written(log: io.StringIO) -> None:
    logging.getLogger("bot.adapters.slack.jobs").info("starting background job %s", "purge_retention")
    assert "starting background job purge_retention" in log.getvalue()
