"""A casus over real HTTP against the Slack stand-in, with `maatwerk serve` killed and restarted midway."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import aiohttp

from bot.adapters.slack.ids import ActionId
from tests.slack.conftest import ServeProcess, Slack
from tests.slack.standin import Call, StandIn

_ts = itertools.count(1)


def _questions(standin: StandIn) -> list[Call]:
    """The question messages posted in a thread, in order."""
    posts = standin.of("chat.postMessage")
    return [c for c in posts if c.args.get("thread_ts") and str(c.args.get("text", "")).startswith("Vraag ")]


async def _reply(slack: Slack, user: str, text: str, thread_ts: str | None, **extra: Any) -> None:
    n = next(_ts)
    event: dict[str, Any] = {
        "type": "message",
        "channel": "C1",
        "user": user,
        "text": text,
        "ts": f"1700001000.{n:06d}",
        "channel_type": "channel",
        **extra,
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    response = await slack.event(event, event_id=f"Ev-reply-{n}")
    assert response.status == 200


async def test_casus_in_a_thread_survives_sigkill_and_ends_with_summary_and_export(
    serve_process: ServeProcess, standin: StandIn
) -> None:
    standin.users["U2"] = {"profile": {"display_name": "Bram de Boer"}}
    await serve_process.start()
    async with aiohttp.ClientSession() as session:
        slack = Slack(serve_process.url, standin, session)
        await slack.command("casus Huurachterstand mevrouw", user="U1")
        root, first = await standin.wait_for("chat.postMessage", count=2, within=10)
        assert "Huurachterstand mevrouw" in root.text()
        assert "thread_ts" not in root.args
        thread = str(first.args["thread_ts"])
        assert "V-U17" in first.args["text"]
        buttons = [e for b in first.blocks() if b["type"] == "actions" for e in b["elements"]]
        assert {b["action_id"] for b in buttons} == {
            ActionId.CASUS_SKIP,
            ActionId.CASUS_BACK,
            ActionId.CASUS_PAUSE,
            ActionId.CASUS_FINISH,
        }
        dialogue_id = buttons[0]["value"]

        await _reply(slack, "U1", "Zij meldde zich zelf bij het loket", thread)
        await standin.wait_for("chat.postMessage", count=3, within=10)
        assert "V-U18" in _questions(standin)[-1].args["text"]
        await _reply(slack, "U2", "Ja, ik ken de regeling goed", thread)
        await standin.wait_for("chat.postMessage", count=4, within=10)
        assert "V-U19" in _questions(standin)[-1].args["text"]

        await slack.click(ActionId.CASUS_SKIP, dialogue_id, user="U1", thread_ts=thread)
        await _until(lambda: "V-U20" in _questions(standin)[-1].args["text"])
        await slack.click(ActionId.CASUS_BACK, dialogue_id, user="U2", thread_ts=thread)
        await _until(lambda: len(_questions(standin)) == 5)
        assert "V-U19" in _questions(standin)[-1].args["text"]

        posted = len(standin.of("chat.postMessage"))
        await _reply(slack, "U2", "Dit hoort bij een ander gesprek", "1700009999.000001")
        await _reply(slack, "U2", "Los bericht in het kanaal", None)
        await _reply(slack, "U1", "bewerkt", thread, subtype="message_changed")
        await _reply(slack, "UBOT", "ik ben een bot", thread, bot_id="BBOT")
        await slack.barrier(within=10)
        assert len(standin.of("chat.postMessage")) == posted
        assert standin.of("chat.postEphemeral") == []

        serve_process.kill()
        await serve_process.start()
        await _reply(slack, "U2", "Schulden en een zieke zoon", thread)
        await _until(lambda: len(_questions(standin)) == 6)
        assert "V-U20" in _questions(standin)[-1].args["text"]

        await slack.click(ActionId.CASUS_FINISH, dialogue_id, user="U1", thread_ts=thread)
        await standin.wait_for("files.completeUploadExternal", within=10)

    summary = next(c for c in standin.of("chat.postMessage") if c.args.get("text") == "Samenvatting")
    assert summary.args["thread_ts"] == thread
    text = summary.text()
    assert "<@U1>: Zij meldde zich zelf bij het loket" in text
    assert "<@U2>: Ja, ik ken de regeling goed" in text
    assert "<@U2>: Schulden en een zieke zoon" in text
    assert "Dit hoort bij een ander gesprek" not in text
    [upload] = standin.of("upload")
    markdown = upload.args["bytes"].decode()
    assert markdown.startswith("# Casus: Huurachterstand mevrouw")
    assert "- Bram de Boer: Schulden en een zieke zoon" in markdown  # skipped, then answered: only the answer
    assert "- U1: Zij meldde zich zelf bij het loket" in markdown
    assert "overgeslagen" not in markdown
    assert "<@" not in markdown
    [complete] = standin.of("files.completeUploadExternal")
    assert complete.args["thread_ts"] == thread
    assert complete.args["channel_id"] == "C1"


async def _until(condition: Any) -> None:
    deadline = asyncio.get_running_loop().time() + 10.0
    while True:
        try:
            if condition():
                return
        except IndexError:
            pass
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)
