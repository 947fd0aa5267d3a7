"""The *Start casus* button under the weekly lesson: a casus in the lesson's own channel, nowhere else."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.buttons import REFUSAL, LessonCasus, clicked_value, from_click

# Known exception to "listeners never import subcommands" until the casus presenter has its own module.
from bot.adapters.slack.casus_presenter import start_in_channel
from bot.adapters.slack.ids import ActionId
from bot.core.dialogue import DialogueKind
from bot.services.context import AppContext

log = logging.getLogger(__name__)


def register(app: AsyncApp, context: AppContext) -> None:
    @app.action(ActionId.LESSON_CASUS.value)
    async def start_from_lesson(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        value = LessonCasus.load(clicked_value(body))
        click = from_click(body)
        if value is None or not value.posted_in(click):
            log.warning("lesson casus click refused: %s", "unreadable value" if value is None else "posted elsewhere")
            await respond(text=REFUSAL, replace_original=False)
            return
        await start_in_channel(
            context,
            client,
            respond,
            DialogueKind.CASUS,
            f"Casus bij les {value.lesson}",
            user=str(body["user"]["id"]),
            channel=click.channel,
            team=click.team,
        )
