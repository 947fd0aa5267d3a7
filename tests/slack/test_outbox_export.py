"""The export upload goes out exactly once: a taken-over export entry finds the file its crashed worker
already uploaded (by the entry key in the file name) instead of uploading the Markdown a second time."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.casus_outbox import deliver_once
from bot.adapters.slack.casus_presenter import post_entry
from bot.core.dialogue import DialogueKind
from bot.services.casus import CasusService
from bot.services.context import AppContext
from bot.store import outbox
from bot.store.dialogues import ThreadKey
from bot.store.outbox import LEASE, OutboxEntry
from tests.slack.conftest import BOT_TOKEN
from tests.slack.standin import StandIn


async def _closed_with_only_the_export_left(context: AppContext, client: AsyncWebClient, thread: str) -> str:
    """A casus answered and closed in `thread`, everything but its export posted; return the dialogue id."""
    service = CasusService(context)
    now = datetime.now(UTC)
    started = service.start(ThreadKey("T1", "C1", thread), DialogueKind.CASUS, "Huur", "U1", now, post=True)
    service.answer(started.dialogue.key, "U1", "zij belde zelf", now, post=True)
    service.act(started.dialogue.id, "afronden", "U1", now, post=True)
    store = context.store.outbox()
    while [e.kind for e in store.entries(started.dialogue.id) if e.sent_ts is None] != [outbox.EXPORT]:
        assert await deliver_once(context, client) == 1
    return started.dialogue.id


def _export(context: AppContext, dialogue_id: str) -> OutboxEntry:
    [entry] = [e for e in context.store.outbox().entries(dialogue_id) if e.kind == outbox.EXPORT]
    return entry


async def test_a_taken_over_export_finds_the_earlier_upload_and_does_not_upload_again(
    standin: StandIn, app_context: AppContext
) -> None:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=standin.base_url)
    thread = "1700005000.000001"
    dialogue_id = await _closed_with_only_the_export_left(app_context, client, thread)
    store = app_context.store.outbox()
    # A worker claimed the export (its claim is already past its lease), uploaded it, and died before
    # marking it sent.
    [crashed] = store.claim("crashed-worker", datetime.now(UTC) - 2 * LEASE)
    assert crashed.kind == outbox.EXPORT
    assert not crashed.taken_over
    file_id = await post_entry(app_context, client, crashed)
    assert len(standin.of("upload")) == 1

    assert await deliver_once(app_context, client) == 1

    assert len(standin.of("upload")) == 1  # reconciled, not uploaded twice
    assert len(standin.of("files.completeUploadExternal")) == 1
    [lookup] = standin.of("conversations.replies")
    assert (lookup.args["channel"], lookup.args["ts"]) == ("C1", thread)
    entry = _export(app_context, dialogue_id)
    assert entry.sent_ts == file_id
    assert entry.attempts == 2
    assert store.pending() == 0


async def test_an_export_taken_over_before_its_upload_is_uploaded_once_with_a_readable_name(
    standin: StandIn, app_context: AppContext
) -> None:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=standin.base_url)
    thread = "1700005000.000002"
    dialogue_id = await _closed_with_only_the_export_left(app_context, client, thread)
    store = app_context.store.outbox()
    store.claim("crashed-worker", datetime.now(UTC) - 2 * LEASE)  # died before it uploaded anything

    assert await deliver_once(app_context, client) == 1

    assert len(standin.of("conversations.replies")) == 1  # it looked first, found nothing
    [upload] = standin.of("upload")
    assert upload.args["bytes"].decode().startswith("# Casus: Huur")
    [url] = standin.of("files.getUploadURLExternal")
    assert re.fullmatch(rf"casus-{dialogue_id}-[0-9a-f]{{6}}\.md", url.args["filename"])
    [complete] = standin.of("files.completeUploadExternal")
    assert (complete.args["channel_id"], complete.args["thread_ts"]) == ("C1", thread)
    [shared] = [m for m in standin.messages["C1"] if m.get("files")]
    assert shared["thread_ts"] == thread
    assert shared["files"][0]["name"] == url.args["filename"]
    assert shared["files"][0]["title"] == "Verslag: Huur"
    assert _export(app_context, dialogue_id).sent_ts == shared["files"][0]["id"]
    assert store.pending() == 0


async def test_a_fresh_export_uploads_without_looking_first(standin: StandIn, app_context: AppContext) -> None:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=standin.base_url)
    dialogue_id = await _closed_with_only_the_export_left(app_context, client, "1700005000.000003")
    lookups = len(standin.of("conversations.replies"))

    assert await deliver_once(app_context, client) == 1

    assert len(standin.of("upload")) == 1
    assert len(standin.of("conversations.replies")) == lookups
    [shared] = [m for m in standin.messages["C1"] if m.get("files")]
    assert _export(app_context, dialogue_id).sent_ts == shared["files"][0]["id"]
