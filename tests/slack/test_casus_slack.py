"""Casus, beleid, mijn and vergeet in Slack, over real HTTP against the stand-in (app in-process)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.casus_jobs import close_idle_once
from bot.adapters.slack.ids import ActionId
from bot.adapters.slack.listeners.casus_replies import is_thread_reply
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.store.dialogues import ThreadKey
from tests.slack.conftest import BOT_TOKEN, Slack
from tests.slack.standin import StandIn

_n = itertools.count(1)


async def _start(slack: Slack, standin: StandIn, text: str = "casus Huurachterstand") -> tuple[str, str]:
    """Start a dialogue; return (thread ts, dialogue id)."""
    await slack.command(text, user="U1")
    _, first = await standin.wait_for("chat.postMessage", count=2)
    buttons = [e for b in first.blocks() if b["type"] == "actions" for e in b["elements"]]
    return str(first.args["thread_ts"]), str(buttons[0]["value"])


async def _reply(slack: Slack, user: str, text: str, thread_ts: str) -> None:
    n = next(_n)
    event = {"type": "message", "channel": "C1", "user": user, "text": text, "ts": f"1700002000.{n:06d}"}
    await slack.event(event | {"thread_ts": thread_ts}, event_id=f"Ev-casus-{n}")


async def test_casus_posts_root_then_first_question_in_its_thread(slack: Slack, standin: StandIn) -> None:
    await slack.command("casus Huurachterstand mevrouw", user="U1")
    root, first = await standin.wait_for("chat.postMessage", count=2)
    assert "Casus: Huurachterstand mevrouw" in root.text()
    assert "<@U1>" in root.text()
    assert first.args["thread_ts"]
    assert "Vraag 1 van 31" in first.text()
    assert "Wat is de aanleiding van deze casus?" in first.text()


async def test_casus_voor_and_beleid_start_on_their_own_cards(slack: Slack, standin: StandIn) -> None:
    await slack.command("casus --voor Voorbereiding", user="U1")
    _, voor = await standin.wait_for("chat.postMessage", count=2)
    assert "V-U01" in voor.text()
    await slack.command("beleid kwijtschelding", user="U1")
    posts = await standin.wait_for("chat.postMessage", count=4)
    assert "Beleid: kwijtschelding" in posts[2].text()
    assert "V-M01" in posts[3].text()


async def test_title_with_personal_data_is_redacted_before_it_is_posted(slack: Slack, standin: StandIn) -> None:
    await slack.command("casus Mevrouw met BSN 111222333", user="U1")
    root, _ = await standin.wait_for("chat.postMessage", count=2)
    assert "111222333" not in root.text()
    assert "[BSN]" in root.text()
    notices = await standin.wait_for("response_url")
    assert "BSN" in notices[0].args["text"]


async def test_redaction_notice_goes_only_to_the_author(slack: Slack, standin: StandIn) -> None:
    thread, _ = await _start(slack, standin)
    await _reply(slack, "U2", "Zij mailde vanaf j.jansen@example.nl met IBAN NL91ABNA0417164300", thread)
    [notice] = await standin.wait_for("chat.postEphemeral")
    assert notice.args["user"] == "U2"
    assert notice.args["thread_ts"] == thread
    assert "IBAN en e-mailadres" in notice.args["text"]
    await standin.wait_for("chat.postMessage", count=3)
    assert all("example.nl" not in c.text() for c in standin.calls)


async def test_answer_while_paused_is_refused_to_the_author_only(slack: Slack, standin: StandIn) -> None:
    thread, dialogue_id = await _start(slack, standin)
    await slack.click(ActionId.CASUS_PAUSE, dialogue_id, user="U1", thread_ts=thread)
    paused = (await standin.wait_for("chat.postMessage", count=3))[2]
    assert "gepauzeerd" in paused.text()
    assert ActionId.CASUS_RESUME.value in paused.text()
    await _reply(slack, "U2", "Mag dit nog?", thread)
    [refused] = await standin.wait_for("chat.postEphemeral")
    assert refused.args["user"] == "U2"
    assert "pauze" in refused.args["text"]
    await slack.click(ActionId.CASUS_RESUME, dialogue_id, user="U2", thread_ts=thread)
    posts = await standin.wait_for("chat.postMessage", count=5)
    assert "Vraag 1 van 31" in posts[4].text()


async def test_mijn_lists_my_open_casussen(slack: Slack, standin: StandIn, app_context: AppContext) -> None:
    _, dialogue_id = await _start(slack, standin)
    await slack.command("mijn", user="U1")
    [answer] = await standin.wait_for("response_url")
    assert dialogue_id in answer.text()
    assert "Huurachterstand" in answer.text()
    await slack.command("mijn", user="U9")
    answers = await standin.wait_for("response_url", count=2)
    assert "geen open casussen" in answers[1].text()


async def test_vergeet_asks_for_confirmation_and_then_removes_my_answers(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    thread, dialogue_id = await _start(slack, standin)
    await _reply(slack, "U2", "Een antwoord van U2", thread)
    await standin.wait_for("chat.postMessage", count=3)
    await slack.command("vergeet", user="U2")
    [confirm] = await standin.wait_for("response_url")
    assert ActionId.FORGET_CONFIRM.value in confirm.text()
    assert [a.text for a in CasusService(app_context).dialogues.answers(dialogue_id)] == ["Een antwoord van U2"]
    await slack.click(ActionId.FORGET_CONFIRM, "ja", user="U2")
    done = await standin.wait_for("response_url", count=2)
    assert "1 antwoord" in done[1].args["text"]
    assert [a.text for a in CasusService(app_context).dialogues.answers(dialogue_id)] == ["[verwijderd]"]


async def test_start_casus_button_under_signal_results_starts_a_casus(slack: Slack, standin: StandIn) -> None:
    await slack.click(ActionId.START_CASUS, "mevrouw heeft grote schulden", user="U3")
    root, first = await standin.wait_for("chat.postMessage", count=2)
    assert "Casus: mevrouw heeft grote schulden" in root.text()
    assert "V-U17" in first.text()


async def test_casus_in_a_channel_without_the_bot_explains_how_to_invite(slack: Slack, standin: StandIn) -> None:
    standin.fail_channel("C404", "not_in_channel")
    await slack.command("casus Huur", user="U1", channel="C404")
    [answer] = await standin.wait_for("response_url")
    assert "/invite @maatwerk" in answer.args["text"]


async def test_timeout_job_closes_an_idle_casus_with_a_note_and_the_summary(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    thread, dialogue_id = await _start(slack, standin)
    await _reply(slack, "U2", "Een eerste antwoord", thread)
    await standin.wait_for("chat.postMessage", count=3)
    client = AsyncWebClient(token=BOT_TOKEN, base_url=standin.base_url)
    later = datetime.now(UTC) + timedelta(days=app_context.settings.dialogue_timeout_days, hours=1)
    assert await close_idle_once(app_context, client, later) == 1
    assert await close_idle_once(app_context, client, later) == 0
    await standin.wait_for("files.completeUploadExternal")  # the outbox worker posts note, summary, export
    posts = standin.of("chat.postMessage")
    assert any("dagen niets is gebeurd" in c.text() for c in posts)
    summary = next(c for c in posts if c.args.get("text") == "Samenvatting")
    assert summary.args["thread_ts"] == thread
    assert "<@U2>: Een eerste antwoord" in summary.text()
    await standin.wait_for("files.completeUploadExternal")
    record = CasusService(app_context).get(dialogue_id)
    assert record is not None
    assert record.state.status.value == "verlopen"
    assert CasusService(app_context).find(ThreadKey("T1", "C1", thread)) == record


def test_only_plain_replies_and_broadcasts_inside_a_thread_count_as_answers() -> None:
    reply = {"type": "message", "channel": "C1", "user": "U1", "text": "x", "ts": "2.1", "thread_ts": "1.1"}
    assert is_thread_reply(reply)
    assert is_thread_reply(reply | {"subtype": "thread_broadcast"})
    assert not is_thread_reply(reply | {"subtype": "message_changed"})
    assert not is_thread_reply(reply | {"bot_id": "B1"})
    assert not is_thread_reply(reply | {"thread_ts": "2.1"})  # the root message itself
    assert not is_thread_reply({k: v for k, v in reply.items() if k != "thread_ts"})
