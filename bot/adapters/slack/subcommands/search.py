"""help, signaal, argument, kaart, lessen: answers only the asker sees (ephemeral). Search runs off the loop."""

from __future__ import annotations

from bot.adapters.slack.blocks import cards
from bot.adapters.slack.blocks.common import escape, section
from bot.adapters.slack.buttons import Origin
from bot.adapters.slack.offload import off_loop
from bot.adapters.slack.subcommands import CommandRequest, Handler, registered
from bot.core.language import not_dutch_message
from bot.core.lessons import UnknownAudienceError, normalise_audience, pick_lesson
from bot.core.models import CARD_IDS


async def help_(request: CommandRequest) -> None:
    await request.respond(blocks=cards.help_blocks(request.command.notice), text="Hulp bij /maatwerk")


async def too_long(request: CommandRequest) -> None:
    await request.respond(text=request.command.notice)


async def signaal(request: CommandRequest) -> None:
    text = request.command.text
    if (foreign := not_dutch_message(text, "signaal")) is not None:
        await request.respond(text=foreign)
        return
    hits = await off_loop(request.app.index.signals, text)
    blocks = await off_loop(cards.signal_blocks, text, hits, can_start_casus=registered("casus"))
    await request.respond(blocks=blocks, text="Signalen bij je beschrijving")


async def argument(request: CommandRequest) -> None:
    text = request.command.text
    if (foreign := not_dutch_message(text, "argument")) is not None:
        await request.respond(text=foreign)
        return
    blocks = await off_loop(cards.argument_blocks, text, await off_loop(request.app.index.arguments, text))
    await request.respond(blocks=blocks, text="Argumenten voor en tegen")


async def kaart(request: CommandRequest) -> None:
    name = request.command.text.strip().lower()
    deck = request.app.deck
    if not name:
        await request.respond(blocks=cards.card_list_blocks(deck), text="De kaarten")
        return
    match = next((card_id for card_id in CARD_IDS if card_id == name), None)
    match = match or next((card_id for card_id in CARD_IDS if card_id.startswith(name)), None)
    if match is None:
        blocks = [section(f"De kaart `{escape(name)}` ken ik niet."), *cards.card_list_blocks(deck)]
        await request.respond(blocks=blocks, text="Onbekende kaart")
        return
    origin = Origin(team=request.team_id, channel=request.channel_id)
    await request.respond(blocks=cards.card_page_blocks(deck.card(match), 0, origin), text=deck.card(match).title)


async def lessen(request: CommandRequest) -> None:
    try:
        audience = normalise_audience(request.command.text)
    except UnknownAudienceError as error:
        await request.respond(text=error.message)
        return
    lesson = pick_lesson(request.app.deck, audience)
    await request.respond(blocks=cards.lesson_blocks(lesson), text=lesson.tekst)


HANDLERS: dict[str, Handler] = {
    "help": help_,
    "te-lang": too_long,
    "signaal": signaal,
    "argument": argument,
    "kaart": kaart,
    "lessen": lessen,
}
