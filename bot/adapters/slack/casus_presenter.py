"""How a casus or beleid dialogue shows up in Slack: starting one in a channel, the ephemeral notes for
the person who acted, and posting one outbox entry (question, status note, summary, export) to its thread.

Listeners, subcommands and jobs import this module; it imports no listener or subcommand. The service
calls (redaction, store transactions, summaries) are CPU/DB work and run off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import casus as blocks
from bot.adapters.slack.people import display_names
from bot.adapters.slack.unreachable import CHANNEL_UNREACHABLE
from bot.core import privacy
from bot.core.dialogue import Asked, DialogueKind, Paused, Refused
from bot.core.summary import author_labeller, to_markdown
from bot.services.casus import CasusResult, CasusService
from bot.services.context import AppContext
from bot.store import outbox
from bot.store.dialogues import DialogueExistsError, ThreadKey
from bot.store.outbox import OutboxEntry

log = logging.getLogger(__name__)
METADATA_EVENT = "maatwerk_outbox"
NOT_IN_CHANNEL = (
    "Ik kan hier geen casus starten omdat ik geen lid ben van dit kanaal. "
    "Nodig me uit met `/invite @maatwerk` en probeer het opnieuw."
)
ALREADY_RUNNING = "In deze draad loopt al een casus."
UNREACHABLE = CHANNEL_UNREACHABLE
_background: set[asyncio.Task[None]] = set()
OUTBOX_WAKERS: set[asyncio.Event] = set()


def kick() -> None:
    """Wake the outbox workers of this process (casus_outbox): something was just committed to the outbox."""
    for waker in OUTBOX_WAKERS:
        waker.set()


def _notes(result: CasusResult) -> list[str]:
    notes = [result.notice] if result.notice else []
    return notes + [output.reason for output in result.outputs if isinstance(output, Refused)]


async def _post_notes(client: AsyncWebClient, key: ThreadKey, user: str, notes: list[str]) -> None:
    for note in notes:
        await client.chat_postEphemeral(channel=key.channel, user=user, thread_ts=key.thread_ts, text=note)


async def tell(client: AsyncWebClient, result: CasusResult, user: str) -> None:
    """Ephemeral notes in the thread for the person who acted: what was redacted, what was refused."""
    await _post_notes(client, result.dialogue.key, user, _notes(result))


def tell_later(client: AsyncWebClient, result: CasusResult, user: str) -> None:
    """`tell` after the request is answered: a note is a courtesy, the step is committed either way.
    Most answers have no note: then no task is started."""
    notes = _notes(result)
    if notes:
        _later(_post_notes(client, result.dialogue.key, user, notes))


def note_later(client: AsyncWebClient, key: ThreadKey, user: str, text: str) -> None:
    """One ephemeral note in a thread, sent after the request is answered."""
    _later(client.chat_postEphemeral(channel=key.channel, user=user, thread_ts=key.thread_ts, text=text))


def _later(call: Awaitable[Any]) -> None:
    async def run() -> None:
        try:
            await call
        except SlackApiError as error:
            log.warning("ephemeral note not posted: %s", error.response.get("error", ""))

    task = asyncio.create_task(run())
    _background.add(task)
    task.add_done_callback(_background.discard)


def _metadata(entry: OutboxEntry) -> dict[str, Any]:
    return {"event_type": METADATA_EVENT, "event_payload": {"key": entry.key}}


async def post_entry(context: AppContext, client: AsyncWebClient, entry: OutboxEntry) -> str | None:
    """Post one outbox entry to its thread; return Slack's ts (the file id for an export), or None when
    there is nothing left to post (the dialogue or its answers are gone)."""
    channel, thread = entry.channel, entry.thread_ts
    if entry.kind in (outbox.SUMMARY, outbox.EXPORT):
        return await _post_summary(context, client, entry)
    output = outbox.decode(entry, context.deck)
    if isinstance(output, Asked):
        response = await client.chat_postMessage(
            channel=channel,
            thread_ts=thread,
            blocks=blocks.question_blocks(output, entry.dialogue_id),
            text=blocks.question_text(output),
            metadata=_metadata(entry),
        )
    elif isinstance(output, Paused):
        response = await client.chat_postMessage(
            channel=channel,
            thread_ts=thread,
            blocks=blocks.paused_blocks(entry.dialogue_id, output.author),
            text="Gepauzeerd.",
            metadata=_metadata(entry),
        )
    elif output is not None and (note := blocks.status_text(output)) is not None:
        response = await client.chat_postMessage(
            channel=channel, thread_ts=thread, text=note, metadata=_metadata(entry)
        )
    else:
        return None
    return str(response["ts"])


async def _post_summary(context: AppContext, client: AsyncWebClient, entry: OutboxEntry) -> str | None:
    service = CasusService(context)
    record = await asyncio.to_thread(service.get, entry.dialogue_id)
    summary = await asyncio.to_thread(service.summary, entry.dialogue_id)
    if record is None or summary is None:
        return None
    if entry.kind == outbox.SUMMARY:
        response = await client.chat_postMessage(
            channel=entry.channel,
            thread_ts=entry.thread_ts,
            blocks=blocks.summary_blocks(summary),
            text=blocks.SUMMARY_TEXT,
            metadata=_metadata(entry),
        )
        return str(response["ts"])
    uploaded = await client.files_upload_v2(
        channel=entry.channel,
        thread_ts=entry.thread_ts,
        content=to_markdown(summary, author_labeller(await display_names(client, summary.authors))),
        filename=export_filename(record.state.kind, entry),
        title=f"Verslag: {record.title}",
    )
    files = uploaded.get("files") or [{}]
    return str(files[0].get("id") or "uploaded")


def _export_tail(entry: OutboxEntry) -> str:
    """How an export's file name ends: the dialogue id and a short piece of the entry key, so a taken-over
    upload can find the file its crashed worker uploaded (files carry no message metadata)."""
    return f"-{entry.dialogue_id}-{entry.key.rpartition('.')[2][:6]}.md"


def export_filename(kind: DialogueKind, entry: OutboxEntry) -> str:
    """The export's file name as people see it, e.g. `casus-c1a2b3c-4d5e6f.md` (no personal data)."""
    return f"{kind.value}{_export_tail(entry)}"


def _posted_by(message: dict[str, Any], entry: OutboxEntry) -> str | None:
    """The ts (the file id for an export) when `message` is what was posted for `entry`, else None."""
    if entry.kind == outbox.EXPORT:
        tail = _export_tail(entry)
        for file in message.get("files") or []:
            if str(file.get("name") or "").endswith(tail):
                return str(file.get("id") or message["ts"])
        return None
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") == METADATA_EVENT and metadata.get("event_payload", {}).get("key") == entry.key:
        return str(message["ts"])
    return None


async def find_posted(client: AsyncWebClient, entry: OutboxEntry) -> str | None:
    """What an earlier claim already posted for this entry: the ts of the message carrying its metadata
    key, or for an export the id of the file whose name carries the key; None when nothing was posted."""
    cursor: str | None = None
    while True:
        response = await client.conversations_replies(
            channel=entry.channel, ts=entry.thread_ts, include_all_metadata=True, limit=200, cursor=cursor
        )
        for message in response.get("messages") or []:
            found = _posted_by(message, entry)
            if found is not None:
                return found
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return None


async def start_in_channel(
    context: AppContext,
    client: AsyncWebClient,
    respond: AsyncRespond,
    kind: DialogueKind,
    title: str,
    *,
    user: str,
    channel: str,
    team: str,
    voor: bool = False,
) -> None:
    """Post the root message, store the dialogue under its thread with its first question in the outbox
    (one transaction), and let the outbox worker ask it."""
    service = CasusService(context)
    now = datetime.now(UTC)
    clean = await asyncio.to_thread(service.redact, title, now)  # redact before posting, not only before storing
    try:
        root = await client.chat_postMessage(
            channel=channel,
            blocks=blocks.root_blocks(kind, clean.text, user),
            text=f"{blocks.KIND_LABEL[kind]}: {clean.text}",
        )
    except SlackApiError as error:
        code = str(error.response.get("error", ""))
        log.warning("casus root post failed: %s", code)
        if code in UNREACHABLE:
            await respond(text=NOT_IN_CHANNEL, replace_original=False)
            return
        raise
    ts = str(root["ts"])
    link = await _permalink(client, channel, ts)
    key = ThreadKey(team, channel, ts)
    try:
        await asyncio.to_thread(service.start, key, kind, clean.text, user, now, voor=voor, link=link, post=True)
    except DialogueExistsError:
        await respond(text=ALREADY_RUNNING, replace_original=False)
        return
    kick()
    if clean.kinds:
        await respond(text=privacy.notice(clean.kinds), replace_original=False)


async def _permalink(client: AsyncWebClient, channel: str, ts: str) -> str:
    try:
        answer = await client.chat_getPermalink(channel=channel, message_ts=ts)
    except SlackApiError:
        return ""
    return str(answer.get("permalink") or "")
