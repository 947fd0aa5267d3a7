"""The front of /slack/events: nothing is parsed, stored or called before Slack's signature is verified,
and verified payloads without the shape a listener needs get an answer here, not a 5xx."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.async_app import AsyncAck
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.adapters.slack.app import FRIENDLY_ERROR, build_app
from bot.adapters.slack.server import build_web_app
from bot.adapters.slack.verify import MAX_BODY_BYTES
from bot.services.context import AppContext
from tests.slack.conftest import SIGNING_SECRET, Slack, make_settings, sign, start_web_app
from tests.slack.standin import StandIn

FORM = "application/x-www-form-urlencoded"
CANARY = "geheim-dossier-4711"


async def _post(slack: Slack, body: str | bytes, headers: dict[str, str]) -> int:
    data = body.encode() if isinstance(body, str) else body
    async with slack.session.post(f"{slack.url}/slack/events", data=data, headers=headers) as response:
        await response.read()
        return response.status


async def _then_a_real_command_is_the_only_call(slack: Slack, standin: StandIn) -> None:
    """Send a signed command and wait for its answer: everything sent before it has been handled by then."""
    await slack.command("help")
    await standin.wait_for("response_url")
    assert standin.methods().count("response_url") == 1
    assert "chat.postMessage" not in standin.methods()


@pytest.mark.parametrize(
    ("label", "timestamp"),
    [
        ("missing", None),
        ("non-numeric", "abc"),
        ("empty", ""),
        ("signed-number", "+1700000000"),
        ("spaced", " 1700000000"),
        ("fullwidth digits", "１７００００００００"),
        ("float", "1700000000.5"),
        ("stale", "-301"),
        ("future", "+301 seconds"),
    ],
)
async def test_bad_timestamps_are_rejected_with_401_and_no_call_out(
    slack: Slack, standin: StandIn, label: str, timestamp: str | None
) -> None:
    body = slack.command_body(f"signaal {CANARY}")
    if label in {"stale", "future"}:
        # Correctly signed, but outside the five minutes either way.
        headers = {"Content-Type": FORM, **sign(body, timestamp=int(time.time()) + int(timestamp.split()[0]))}
    else:
        headers = {"Content-Type": FORM, **sign(body)}
        headers.pop("X-Slack-Request-Timestamp")
        if timestamp is not None:
            headers["X-Slack-Request-Timestamp"] = timestamp
    assert await _post(slack, body, headers) == 401, label
    await _then_a_real_command_is_the_only_call(slack, standin)


async def test_forged_signature_is_rejected_with_one_log_line_without_the_body(
    slack: Slack, standin: StandIn, caplog: pytest.LogCaptureFixture
) -> None:
    body = slack.command_body(f"signaal {CANARY}")
    with caplog.at_level(logging.DEBUG):
        assert await _post(slack, body, {"Content-Type": FORM, **sign(body, secret="niet-het-geheim")}) == 401
    rejections = [record for record in caplog.records if "rejected" in record.getMessage()]
    assert [record.getMessage() for record in rejections] == ["slack request rejected: signature_mismatch (401)"]
    assert all(CANARY not in record.getMessage() for record in caplog.records)
    await _then_a_real_command_is_the_only_call(slack, standin)


async def test_declared_body_over_the_cap_gets_413_before_the_body_is_read(slack: Slack) -> None:
    host, port = slack.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    head = (
        "POST /slack/events HTTP/1.1\r\n"
        f"Host: {host}\r\nContent-Type: {FORM}\r\nContent-Length: {100 * MAX_BODY_BYTES}\r\n\r\n"
    )
    writer.write(head.encode() + b"command=%2Fmaatwerk")  # and never the rest
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), timeout=5)
    writer.close()
    assert status_line.split()[1] == b"413"


async def test_chunked_body_over_the_cap_gets_413(slack: Slack, standin: StandIn) -> None:
    body = slack.command_body("help") + "&x=" + "a" * MAX_BODY_BYTES

    async def chunks() -> AsyncIterator[bytes]:
        data = body.encode()
        for start in range(0, len(data), 65536):
            yield data[start : start + 65536]

    headers = {"Content-Type": FORM, **sign(body)}
    async with slack.session.post(f"{slack.url}/slack/events", data=chunks(), headers=headers) as response:
        assert response.status == 413
    await _then_a_real_command_is_the_only_call(slack, standin)


async def test_signed_command_sent_as_plain_text_is_refused(slack: Slack, standin: StandIn) -> None:
    body = slack.command_body("signaal schulden")
    assert await _post(slack, body, {"Content-Type": "text/plain", **sign(body)}) == 400
    await _then_a_real_command_is_the_only_call(slack, standin)


async def test_signed_event_sent_as_a_form_is_refused(slack: Slack, standin: StandIn) -> None:
    body = json.dumps({"type": "event_callback", "team_id": "T1", "event": {"type": "app_home_opened", "user": "U1"}})
    assert await _post(slack, body, {"Content-Type": FORM, **sign(body)}) == 400
    await _then_a_real_command_is_the_only_call(slack, standin)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("[1, 2, 3]", "application/json"), ("3", "application/json"), (urlencode({"payload": "niet {json"}), FORM)],
)
async def test_signed_body_that_is_not_a_json_object_gets_400(
    slack: Slack, standin: StandIn, body: str, content_type: str
) -> None:
    assert await _post(slack, body, {"Content-Type": content_type, **sign(body)}) == 400
    await _then_a_real_command_is_the_only_call(slack, standin)


async def test_button_click_without_actions_gets_200_and_one_warning_naming_the_field(
    slack: Slack, standin: StandIn, caplog: pytest.LogCaptureFixture
) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": "U1"},
        "team": {"id": "T1"},
        "channel": {"id": "C1"},
        "response_url": standin.response_url("x"),
        "actions": [],
    }
    with caplog.at_level(logging.WARNING):
        response = await slack.interactive(payload)
    assert response.status == 200
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert warnings == ["slack request ignored: block_actions lacks a valid actions (too_short)"]
    await _then_a_real_command_is_the_only_call(slack, standin)


async def test_message_button_click_without_channel_gets_200_and_one_warning(
    slack: Slack, standin: StandIn, caplog: pytest.LogCaptureFixture
) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": "U1"},
        "team": {"id": "T1"},
        "container": {"type": "message", "message_ts": "1.1"},
        "response_url": standin.response_url("x"),
        "actions": [{"action_id": "start_casus", "value": CANARY, "action_ts": "1.2"}],
    }
    with caplog.at_level(logging.WARNING):
        response = await slack.interactive(payload)
    assert response.status == 200
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert warnings == ["slack request ignored: block_actions lacks a valid channel (value_error)"]
    await _then_a_real_command_is_the_only_call(slack, standin)


@pytest.mark.parametrize(
    ("event", "field"),
    [
        ({"type": "app_home_opened", "tab": "home"}, "event.app_home_opened.user"),
        ({"type": "message", "user": "U1", "ts": "1.1", "text": CANARY}, "event.message.channel"),
        (3, "event"),
    ],
)
async def test_event_without_what_its_listener_needs_gets_200_and_a_warning(
    slack: Slack, standin: StandIn, caplog: pytest.LogCaptureFixture, event: object, field: str
) -> None:
    with caplog.at_level(logging.WARNING):
        response = await slack.event(event)  # type: ignore[arg-type]
    assert response.status == 200
    [warning] = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert f"lacks a valid {field} " in warning
    assert CANARY not in warning
    await _then_a_real_command_is_the_only_call(slack, standin)


async def test_old_and_new_secret_both_work_while_rotating(standin: StandIn, tmp_path: Path) -> None:
    settings = make_settings(standin, tmp_path / "rotate.db").model_copy(
        update={"slack_signing_secret": "nieuw-geheim", "slack_signing_secret_previous": SIGNING_SECRET}
    )
    context = AppContext.create(settings)
    runner, url = await start_web_app(context)
    try:
        async with aiohttp.ClientSession() as session:
            slack = Slack(url, standin, session)
            for secret, expected in ((SIGNING_SECRET, 200), ("nieuw-geheim", 200), ("ander-geheim", 401)):
                body = slack.command_body("help")
                assert await _post(slack, body, {"Content-Type": FORM, **sign(body, secret=secret)}) == expected
            await standin.wait_for("response_url", count=2)
    finally:
        await runner.cleanup()
        context.close()


async def test_failing_listener_answers_friendly_error_and_logs_no_message_or_traceback(
    standin: StandIn, app_context: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    bolt = build_app(app_context, verify_requests=False)

    @bolt.action("ontplof")
    async def explode(ack: AsyncAck) -> None:
        await ack()
        await asyncio.sleep(0.05)  # let bolt see the ack before the failure (bolt resets it on an early error)
        raise ValueError(CANARY)

    runner = web.AppRunner(build_web_app(app_context, bolt))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession() as session:
            slack = Slack(f"http://127.0.0.1:{port}", standin, session)
            with caplog.at_level(logging.DEBUG):
                assert (await slack.click("ontplof", "x")).status == 200
                [answer] = await standin.wait_for("response_url")
    finally:
        await runner.cleanup()
    assert answer.args["text"] == FRIENDLY_ERROR
    failures = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert [record.getMessage().split(" at ")[0] for record in failures] == ["handler failed: ValueError"]
    assert "in explode" in failures[0].getMessage()
    assert all(record.exc_info is None for record in caplog.records)
    assert all(CANARY not in record.getMessage() for record in caplog.records)


async def test_error_handler_never_calls_a_response_url_from_an_unverified_request(
    standin: StandIn, app_context: AppContext, slack: Slack
) -> None:
    """Bolt on its own (no front) raises on a non-numeric timestamp; the error handler must not answer."""
    bolt = build_app(app_context)
    body = urlencode({"command": "/maatwerk", "text": "help", "response_url": standin.response_url("aanvaller")})
    headers = {"content-type": FORM, "x-slack-request-timestamp": "abc", "x-slack-signature": "v0=00"}
    response = await bolt.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
    assert response.status in {400, 401, 500}
    await _then_a_real_command_is_the_only_call(slack, standin)
