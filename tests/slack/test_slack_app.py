"""The Slack app end to end: real HTTP, signed requests, Web API calls into the stand-in."""

from __future__ import annotations

import json
import time

import aiohttp

from bot.adapters.slack.blocks.common import MAX_BLOCKS, MAX_SECTION_TEXT
from bot.adapters.slack.ids import ActionId, CallbackId
from tests.slack.conftest import SIGNING_SECRET, ServeProcess, Slack, sign
from tests.slack.standin import StandIn


def _texts(blocks: object) -> str:
    """Blocks as text, whether the client sent them as JSON or as a form field holding JSON."""
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return json.dumps(blocks, ensure_ascii=False)


def _rendered(blocks: object) -> str:
    """Only what Slack shows: the text fields, not button values."""
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    out.append(value)
                elif key != "value":
                    walk(value)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(blocks)
    return "\n".join(out)


async def test_signaal_command_answers_with_signals(slack: Slack, standin: StandIn) -> None:
    # How fast the ack comes (Slack's 3 s window) is measured by bench/bench_slack.py, not asserted here.
    response = await slack.command("signaal ik heb grote schulden")
    assert response.status == 200
    [answer] = await standin.wait_for("response_url")
    blocks = answer.args["blocks"]
    assert "S-03" in _texts(blocks)
    assert answer.args.get("response_type", "ephemeral") == "ephemeral"


async def test_unrelated_text_says_no_signal_was_found(slack: Slack, standin: StandIn) -> None:
    await slack.command("signaal wat eten we vanavond")
    [answer] = await standin.wait_for("response_url")
    assert "Geen duidelijk signaal gevonden" in _texts(answer.args["blocks"])


async def test_forged_signature_gets_401_and_no_web_api_call(slack: Slack, standin: StandIn) -> None:
    await slack.barrier()  # the app is warm (its one auth.test is done)
    before = len(standin.calls)
    body = slack.command_body("signaal schulden")
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, secret="wrong-secret")}
    async with slack.session.post(f"{slack.url}/slack/events", data=body, headers=headers) as response:
        assert response.status == 401
    await slack.barrier()
    assert standin.calls[before:] == []


async def test_stale_timestamp_gets_401(slack: Slack, standin: StandIn) -> None:
    await slack.barrier()  # the app is warm (its one auth.test is done)
    before = len(standin.calls)
    body = slack.command_body("signaal schulden")
    stale = int(time.time()) - 6 * 60
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, timestamp=stale)}
    async with slack.session.post(f"{slack.url}/slack/events", data=body, headers=headers) as response:
        assert response.status == 401
    await slack.barrier()
    assert standin.calls[before:] == []


async def test_url_verification_challenge_is_answered(slack: Slack) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    headers = {"Content-Type": "application/json", **sign(body)}
    async with slack.session.post(f"{slack.url}/slack/events", data=body, headers=headers) as response:
        assert response.status == 200
        assert (await response.json())["challenge"] == "abc123"


async def test_app_home_opened_publishes_the_home_view(slack: Slack, standin: StandIn) -> None:
    response = await slack.event({"type": "app_home_opened", "user": "U7", "tab": "home", "channel": "D1"})
    assert response.status == 200
    [publish] = await standin.wait_for("views.publish")
    view = json.loads(publish.args["view"]) if isinstance(publish.args["view"], str) else publish.args["view"]
    assert publish.args["user_id"] == "U7"
    assert view["type"] == "home"
    assert "Signalenkaart" in _texts(view["blocks"])
    assert "Je hebt geen open casussen" in _texts(view["blocks"])
    assert "Nog geen kanaal krijgt een wekelijkse les" in _texts(view["blocks"])


async def test_app_home_lists_your_open_casussen(slack: Slack, standin: StandIn) -> None:
    await slack.command("casus Huurachterstand gezin Noord", user="U7")
    await standin.wait_for("chat.postMessage", count=2)
    await slack.event({"type": "app_home_opened", "user": "U7", "tab": "home", "channel": "D1"}, event_id="EvHome")
    [publish] = await standin.wait_for("views.publish")
    view = publish.args["view"]
    text = _texts(view["blocks"] if isinstance(view, dict) else json.loads(view)["blocks"])
    assert "Huurachterstand gezin Noord" in text
    assert "Je open casussen" in text


async def test_duplicate_event_delivery_is_answered_once(slack: Slack, standin: StandIn) -> None:
    event = {"type": "app_home_opened", "user": "U7", "tab": "home", "channel": "D1"}
    first = await slack.event(event, event_id="EvSame")
    retry = await slack.event(event, event_id="EvSame", retry=1)
    assert (first.status, retry.status) == (200, 200)
    await standin.wait_for("views.publish")
    await slack.barrier()
    assert len(standin.of("views.publish")) == 1


async def test_rate_limited_post_is_retried_after_retry_after(slack: Slack, standin: StandIn) -> None:
    standin.rate_limit("chat.postMessage", times=1, retry_after=1)
    await slack.click(ActionId.SHARE, "signaal|grote schulden en een deurwaarder")
    posts = await standin.wait_for("chat.postMessage", count=2, within=8)
    assert len(posts) == 2
    assert "Gedeeld door <@U1>" in _texts(posts[1].args["blocks"])


async def test_user_text_cannot_ping_the_channel_or_inject_links(slack: Slack, standin: StandIn) -> None:
    await slack.command("signaal <!channel> <@U999> <https://evil.example|klik> schulden & meer")
    [answer] = await standin.wait_for("response_url")
    text = _rendered(answer.args["blocks"])
    assert "<!channel>" not in text
    assert "<@U999>" not in text
    assert "&lt;!channel&gt;" in text


async def test_long_card_is_paged_within_block_kit_limits(slack: Slack, standin: StandIn) -> None:
    await slack.command("kaart argumenten")
    [answer] = await standin.wait_for("response_url")
    blocks = answer.args["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        assert len(block.get("text", {}).get("text", "")) <= MAX_SECTION_TEXT
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    next_button = next(b for b in buttons if b["action_id"].endswith("_next"))
    await slack.click(next_button["action_id"], next_button["value"])
    answers = await standin.wait_for("response_url", count=2)
    assert answers[1].args["replace_original"] is True
    assert "Pagina 2 van" in _texts(answers[1].args["blocks"])


async def test_every_card_page_fits_in_a_message() -> None:
    from bot.adapters.slack.blocks.cards import card_page_blocks, card_pages
    from bot.core.deck import load_deck

    deck = load_deck()
    for card in deck.cards.values():
        seen = ""
        for number in range(len(card_pages(card))):
            blocks = card_page_blocks(card, number)
            assert len(blocks) <= MAX_BLOCKS
            assert len(json.dumps(blocks)) < 14000
            seen += json.dumps(blocks, ensure_ascii=False)
        assert all(item.id in seen for item in card.items())


async def test_unknown_subcommand_answers_with_help(slack: Slack, standin: StandIn) -> None:
    await slack.command("toverspreuk")
    [answer] = await standin.wait_for("response_url")
    assert "`toverspreuk` ken ik niet" in _texts(answer.args["blocks"])


async def test_text_over_4000_characters_gets_a_dutch_message_and_nothing_else(slack: Slack, standin: StandIn) -> None:
    response = await slack.command("signaal " + "a" * 4001)
    assert response.status == 200
    [answer] = await standin.wait_for("response_url")
    assert "de grens is 4000" in answer.args["text"]
    await slack.barrier()
    assert standin.methods() == ["auth.test", "response_url"]


async def test_show_arguments_button_answers_voor_and_tegen(slack: Slack, standin: StandIn) -> None:
    await slack.click(ActionId.SHOW_ARGUMENTS, "precedentwerking en gelijke behandeling")
    [answer] = await standin.wait_for("response_url")
    text = _texts(answer.args["blocks"])
    assert "Voor maatwerk" in text
    assert "Tegen maatwerk" in text


async def test_one_sided_topic_shows_the_other_side_of_the_theme_with_a_note(slack: Slack, standin: StandIn) -> None:
    await slack.command("argument het scheelt ons later veel bezwaarschriften")
    [answer] = await standin.wait_for("response_url")
    text = _texts(answer.args["blocks"])
    assert "Voor maatwerk" in text
    assert "Tegen maatwerk" in text
    assert "argumenten uit hetzelfde thema" in text
    assert "geen argument aan deze kant" not in text


async def test_share_in_a_channel_without_the_bot_explains_how_to_invite(slack: Slack, standin: StandIn) -> None:
    standin.fail_channel("C404", "not_in_channel")
    await slack.click(ActionId.SHARE, "argument|kosten", channel="C404")
    [answer] = await standin.wait_for("response_url")
    assert "/invite @maatwerk" in answer.args["text"]


async def test_message_shortcut_finds_signals_for_the_message_ephemerally(slack: Slack, standin: StandIn) -> None:
    await slack.interactive(
        {
            "type": "message_action",
            "callback_id": CallbackId.FIND_SIGNALS,
            "team": {"id": "T1"},
            "user": {"id": "U2"},
            "channel": {"id": "C1"},
            "message": {"ts": "1.2", "text": "meneer reageert niet op brieven en wantrouwt de overheid"},
            "trigger_id": "trig-shortcut",
            "response_url": standin.response_url("shortcut"),
        }
    )
    [ephemeral] = await standin.wait_for("chat.postEphemeral")
    assert ephemeral.args["user"] == "U2"
    assert "S-16" in _texts(ephemeral.args["blocks"])


async def test_lessen_with_unknown_audience_explains_the_choices(slack: Slack, standin: StandIn) -> None:
    await slack.command("lessen piloten")
    [answer] = await standin.wait_for("response_url")
    assert "beleidsmakers, bestuurders, uitvoerders" in answer.args["text"]


async def test_healthz_and_metrics(slack: Slack) -> None:
    await slack.command("help")
    async with slack.session.get(f"{slack.url}/healthz") as response:
        assert (await response.json()) == {"status": "ok"}
    async with slack.session.get(f"{slack.url}/metrics") as response:
        text = await response.text()
    assert 'maatwerk_requests_total{kind="command",status="200"} 1' in text
    assert "maatwerk_request_seconds_count 1" in text


async def test_maatwerk_serve_process_answers_signed_commands(serve_process: ServeProcess, standin: StandIn) -> None:
    await serve_process.start()
    async with aiohttp.ClientSession() as session:
        slack = Slack(serve_process.url, standin, session)
        forged_body = slack.command_body("signaal schulden")
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(forged_body, secret="nope")}
        async with session.post(f"{slack.url}/slack/events", data=forged_body, headers=headers) as forged:
            assert forged.status == 401
        response = await slack.command("signaal ik heb grote schulden")
        assert response.status == 200
    [answer] = await standin.wait_for("response_url", within=10)
    assert "S-03" in _texts(answer.args["blocks"])
    assert SIGNING_SECRET not in _texts(answer.args["blocks"])
