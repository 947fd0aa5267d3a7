"""Thread replies as answers: only a person's plain reply in the dialogue's own thread counts.

Top-level messages, replies in other threads, bot messages and edits or deletions (messages with a
subtype other than thread_broadcast) are ignored. Registered as the `message` event in listeners/events.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.subcommands.casus import publish, tell
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.store.dialogues import ThreadKey

# No subtype: a plain message. thread_broadcast: a reply also sent to the channel, still an answer.
REPLY_SUBTYPES = (None, "thread_broadcast")


def is_thread_reply(event: dict[str, Any]) -> bool:
    """A person's plain reply inside a thread (not the root, not a bot, not an edit or deletion)."""
    return (
        event.get("type") == "message"
        and event.get("subtype") in REPLY_SUBTYPES
        and not event.get("bot_id")
        and bool(event.get("user"))
        and bool(event.get("thread_ts"))
        and event.get("thread_ts") != event.get("ts")
    )


async def on_message(context: AppContext, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
    if not is_thread_reply(event):
        return
    service = CasusService(context)
    key = ThreadKey(str(body.get("team_id") or ""), str(event.get("channel") or ""), str(event["thread_ts"]))
    user = str(event["user"])
    result = service.answer(key, user, str(event.get("text") or ""), datetime.now(UTC))
    if result is None:
        return  # a thread without a dialogue
    await tell(client, result, user)
    await publish(client, result)
