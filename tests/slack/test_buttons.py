"""Buttons act only where their message was posted: card paging and the weekly lesson's *Start casus*."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.adapters.slack.app import build_client
from bot.adapters.slack.buttons import EXPIRED_CARD, REFUSAL, CardPage
from bot.adapters.slack.ids import ActionId
from bot.adapters.slack.poster import SlackPoster
from bot.core.schedule import ChannelSchedule
from bot.services.context import AppContext
from bot.services.lessons import LessonDelivery
from bot.store import schedules
from tests.slack.conftest import Slack
from tests.slack.standin import StandIn


def _buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [element for block in blocks if block["type"] == "actions" for element in block["elements"]]


async def _next_page_button(slack: Slack, standin: StandIn) -> dict[str, Any]:
    await slack.command("kaart argumenten", channel="C1")
    [answer] = await standin.wait_for("response_url")
    return next(b for b in _buttons(answer.args["blocks"]) if b["action_id"].endswith("_next"))


async def test_card_page_button_value_names_team_channel_card_and_page(slack: Slack, standin: StandIn) -> None:
    button = await _next_page_button(slack, standin)
    value = CardPage.model_validate_json(button["value"])
    assert (value.team, value.channel, value.card, value.page) == ("T1", "C1", "argumenten", 1)


async def test_card_page_click_from_another_channel_is_refused_and_changes_nothing(
    slack: Slack, standin: StandIn
) -> None:
    button = await _next_page_button(slack, standin)
    await slack.click(button["action_id"], button["value"], channel="C2")
    answers = await standin.wait_for("response_url", count=2)
    assert answers[1].args["text"] == REFUSAL
    assert answers[1].args.get("replace_original") is False
    assert "blocks" not in answers[1].args


async def test_card_page_click_from_another_team_is_refused(slack: Slack, standin: StandIn) -> None:
    button = await _next_page_button(slack, standin)
    value = CardPage.model_validate_json(button["value"]).model_copy(update={"team": "T2"})
    await slack.click(button["action_id"], value.dump(), channel="C1")
    answers = await standin.wait_for("response_url", count=2)
    assert answers[1].args["text"] == REFUSAL


async def test_card_page_button_with_an_old_untyped_value_asks_to_open_the_card_again(
    slack: Slack, standin: StandIn
) -> None:
    await slack.click(f"{ActionId.CARD_PAGE}_next", "argumenten|1")
    [answer] = await standin.wait_for("response_url")
    assert answer.args["text"] == EXPIRED_CARD


async def _lesson_button(standin: StandIn, app_context: AppContext) -> dict[str, Any]:
    schedules.save_schedule(
        app_context.store, ChannelSchedule(team="T1", channel="C7"), "UADMIN", datetime(2027, 3, 1, tzinfo=UTC)
    )
    delivery = LessonDelivery(app_context, SlackPoster(build_client(app_context), app_context.store))
    await delivery.tick(datetime(2027, 3, 22, 8, 5, tzinfo=UTC))
    [post] = standin.of("chat.postMessage")
    [button] = _buttons(post.blocks())
    return button


async def test_lesson_start_casus_button_carries_its_channel_and_team(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    button = await _lesson_button(standin, app_context)
    assert button["action_id"] == ActionId.LESSON_CASUS
    assert {"team": "T1", "channel": "C7"}.items() <= json.loads(button["value"]).items()


async def test_lesson_start_casus_starts_a_casus_in_the_lessons_channel(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    button = await _lesson_button(standin, app_context)
    await slack.click(button["action_id"], button["value"], channel="C7")
    posts = await standin.wait_for("chat.postMessage", count=3)
    assert posts[1].args["channel"] == "C7"
    assert "Casus bij les" in posts[1].text()


async def test_lesson_start_casus_from_another_channel_is_refused_and_starts_nothing(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    button = await _lesson_button(standin, app_context)
    await slack.click(button["action_id"], button["value"], channel="C8")
    [answer] = await standin.wait_for("response_url")
    assert answer.args["text"] == REFUSAL
    assert len(standin.of("chat.postMessage")) == 1  # only the lesson itself
