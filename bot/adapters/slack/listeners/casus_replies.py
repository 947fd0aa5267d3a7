"""Thread replies in a dialogue's thread: a steering word steers, anything else is an answer.

Only a person's plain reply in the dialogue's own thread counts; top-level messages, replies in other
threads, bot messages and edits or deletions (messages with a subtype other than thread_broadcast) are
ignored. `receive` is called by the `answer_once` middleware (bot.adapters.slack.app) *before* Slack is
answered: the delivery key, the answer or step and the outbox entries are committed in one transaction,
and only then does Slack get its 200. A retry after a crash is therefore either a duplicate of something
done or is done now. What the thread must see is posted by the outbox worker.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.casus_presenter import kick, note_later, tell_later
from bot.core.commands import MAX_TEXT_LENGTH, too_long_message
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.store.dialogues import ThreadKey

# No subtype: a plain message. thread_broadcast: a reply also sent to the channel, still an answer.
REPLY_SUBTYPES = (None, "thread_broadcast")


def is_thread_reply(event: Any) -> bool:
    """A person's plain reply inside a thread (not the root, not a bot, not an edit or deletion)."""
    return (
        isinstance(event, dict)
        and event.get("type") == "message"
        and event.get("subtype") in REPLY_SUBTYPES
        and not event.get("bot_id")
        and isinstance(event.get("user"), str)
        and bool(event.get("user"))
        and isinstance(event.get("channel"), str)
        and isinstance(event.get("thread_ts"), str)
        and isinstance(event.get("ts"), str)
        and bool(event.get("thread_ts"))
        and event.get("thread_ts") != event.get("ts")
    )


async def receive(context: AppContext, body: dict[str, Any], client: AsyncWebClient, delivery: str | None) -> None:
    """Apply one thread reply and commit it with its delivery key; returns once it is committed."""
    event = body["event"]
    key = ThreadKey(str(body.get("team_id") or ""), str(event["channel"]), str(event["thread_ts"]))
    user = str(event["user"])
    text = event.get("text")
    text = text if isinstance(text, str) else ""
    service = CasusService(context)
    if len(text) > MAX_TEXT_LENGTH:
        record = await asyncio.to_thread(service.find, key)
        if record is not None and not record.state.status.closed:
            note_later(client, key, user, too_long_message(len(text)))  # nothing is stored
        return
    result = await asyncio.to_thread(
        service.reply, key, user, text, datetime.now(UTC), delivery=delivery, written_ts=str(event["ts"]), post=True
    )
    if result is None or result.duplicate:
        return  # a thread without an open dialogue, or a retry of a reply already applied
    kick()
    tell_later(client, result, user)


async def on_message(context: AppContext, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
    """The `message` listener: thread replies were applied by the middleware already; nothing is left."""
    return None
