"""casus, beleid, mijn, vergeet: a vragenkaart dialogue in a thread, and your own data.

`/maatwerk casus <titel>` posts a root message and the first question in its thread. `publish` turns
the outputs of every later step (thread reply, button, timeout job) into thread messages, `tell` gives
the person who acted an ephemeral note (what was redacted, why something was refused), and at the end
the summary is posted with the Markdown export uploaded to the thread.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import casus as blocks
from bot.adapters.slack.people import display_names
from bot.adapters.slack.subcommands import CommandRequest, Handler
from bot.core import privacy, texts
from bot.core.dialogue import Asked, DialogueKind, Paused, Refused
from bot.core.summary import author_labeller, to_markdown
from bot.services.casus import CasusResult, CasusService
from bot.services.context import AppContext
from bot.store.dialogues import DialogueExistsError, ThreadKey

log = logging.getLogger(__name__)
VOOR_FLAG = "--voor"
NOT_IN_CHANNEL = (
    "Ik kan hier geen casus starten omdat ik geen lid ben van dit kanaal. "
    "Nodig me uit met `/invite @maatwerk` en probeer het opnieuw."
)
UNREACHABLE = {"not_in_channel", "channel_not_found", "is_archived"}


async def tell(client: AsyncWebClient, result: CasusResult, user: str) -> None:
    """Ephemeral notes in the thread for the person who acted: what was redacted, what was refused."""
    record = result.dialogue
    notes = [result.notice] if result.notice else []
    notes += [output.reason for output in result.outputs if isinstance(output, Refused)]
    for note in notes:
        await client.chat_postEphemeral(
            channel=record.key.channel, user=user, thread_ts=record.key.thread_ts, text=note
        )


async def publish(client: AsyncWebClient, result: CasusResult) -> None:
    """Post what the thread should see after a step: next question, status notes, summary and export."""
    record = result.dialogue
    channel, thread = record.key.channel, record.key.thread_ts
    for output in result.outputs:
        if isinstance(output, Asked):
            question = blocks.question_blocks(output, record.id)
            await client.chat_postMessage(
                channel=channel, thread_ts=thread, blocks=question, text=blocks.question_text(output)
            )
        elif isinstance(output, Paused):
            paused = blocks.paused_blocks(record.id, output.author)
            await client.chat_postMessage(channel=channel, thread_ts=thread, blocks=paused, text="Gepauzeerd.")
        elif (note := blocks.status_text(output)) is not None:
            await client.chat_postMessage(channel=channel, thread_ts=thread, text=note)
    if result.summary is not None:
        summary = result.summary
        await client.chat_postMessage(
            channel=channel, thread_ts=thread, blocks=blocks.summary_blocks(summary), text=blocks.SUMMARY_TEXT
        )
        await client.files_upload_v2(
            channel=channel,
            thread_ts=thread,
            content=to_markdown(summary, author_labeller(await display_names(client, summary.authors))),
            filename=f"{record.state.kind.value}-{record.id}.md",
            title=f"Verslag: {record.title}",
        )


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
    """Post the root message, store the dialogue under its thread, and ask the first question there."""
    service = CasusService(context)
    now = datetime.now(UTC)
    clean = service.redact(title, now)  # redact before posting, not only before storing
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
    try:
        result = service.start(ThreadKey(team, channel, ts), kind, clean.text, user, now, voor=voor, link=link)
    except DialogueExistsError:
        await respond(text="In deze draad loopt al een casus.", replace_original=False)
        return
    await publish(client, result)
    if clean.kinds:
        await respond(text=privacy.notice(clean.kinds), replace_original=False)


async def _permalink(client: AsyncWebClient, channel: str, ts: str) -> str:
    try:
        answer = await client.chat_getPermalink(channel=channel, message_ts=ts)
    except SlackApiError:
        return ""
    return str(answer.get("permalink") or "")


async def _start(request: CommandRequest, kind: DialogueKind) -> None:
    text = request.command.text.strip()
    voor = kind is DialogueKind.CASUS and text.startswith(VOOR_FLAG)
    title = text.removeprefix(VOOR_FLAG).strip() if voor else text
    if not title:
        await request.respond(text=texts.CASUS_NEEDS_TITLE)
        return
    await start_in_channel(
        request.app,
        request.client,
        request.respond,
        kind,
        title,
        user=request.user_id,
        channel=request.channel_id,
        team=request.team_id,
        voor=voor,
    )


async def casus(request: CommandRequest) -> None:
    await _start(request, DialogueKind.CASUS)


async def beleid(request: CommandRequest) -> None:
    await _start(request, DialogueKind.BELEID)


async def mijn(request: CommandRequest) -> None:
    service = CasusService(request.app)
    records = service.open_for(request.user_id, request.team_id)
    closed = service.timed_out_for(request.user_id, request.team_id, datetime.now(UTC))
    page = int(request.command.text) if request.command.text.strip().isdigit() else 1
    days = request.app.settings.dialogue_timeout_days
    await request.respond(blocks=blocks.open_casussen_blocks(records, closed, page, days), text="Je open casussen")


async def vergeet(request: CommandRequest) -> None:
    await request.respond(blocks=blocks.forget_confirm_blocks(), text="Je antwoorden vergeten?")


HANDLERS: dict[str, Handler] = {
    "casus": casus,
    "beleid": beleid,
    "mijn": mijn,
    "vergeet": vergeet,
}
