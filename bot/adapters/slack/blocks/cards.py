"""Block Kit for the cards, search results, lessons, help and the App Home."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import groupby

from bot.adapters.slack.blocks.common import (
    Block,
    actions,
    button,
    context,
    divider,
    escape,
    fields,
    fit,
    header,
    section,
)
from bot.adapters.slack.buttons import CardPage, Origin
from bot.adapters.slack.ids import ActionId, ShareKind
from bot.core import privacy, texts
from bot.core.deck import Deck
from bot.core.models import CARD_IDS, Card, CardItem, Group
from bot.core.search import ArgumentResult, Hit

PAGE_CHARS = 3500
PAGE_BLOCKS = 12


def help_blocks(notice: str = "") -> list[Block]:
    blocks: list[Block] = [section(f":information_source: {escape(notice)}")] if notice else []
    commands = "\n".join(f"`/maatwerk {escape(usage)}`  {what}" for usage, what in texts.HELP_COMMANDS)
    examples = "\n".join(f"• `{example}`" for example in texts.HELP_EXAMPLES)
    blocks += [
        header(texts.HELP_TITLE),
        section(texts.HELP_INTRO),
        section(f"*Wat kun je doen?*\n{commands}"),
        section(f"*Voorbeelden*\n{examples}"),
        context(texts.DENKHULP_FOOTER),
    ]
    return blocks


def card_list_blocks(deck: Deck) -> list[Block]:
    lines = [
        f"• *{card.title}* (`{card.id}`): {len(deck.items(card.id))} items. _{card.question}_"
        for card in (deck.card(card_id) for card_id in CARD_IDS)
    ]
    return [
        header("De kaarten"),
        section("\n".join(lines)),
        context("Bekijk een kaart met `/maatwerk kaart <naam>`, bijvoorbeeld `/maatwerk kaart signalen`."),
    ]


def _group_text(group: Group) -> str:
    stance = f" _({group.stance.value})_" if group.stance else ""
    items = "\n".join(f"• `{item.id}` {escape(item.tekst)}" for item in group.items)
    return f"*{escape(group.title)}*{stance}\n{items}"


def card_pages(card: Card) -> list[list[Block]]:
    """Split a card into pages that each fit one message (blocks and characters)."""
    pages: list[list[Block]] = []
    page: list[Block] = []
    chars = 0
    section_name = ""
    for group in card.groups:
        new_section = group.section != section_name
        section_name = group.section
        group_blocks = [context(f"*{escape(section_name)}*")] if new_section else []
        group_blocks.append(section(_group_text(group)))
        size = sum(len(str(block)) for block in group_blocks)
        if page and (chars + size > PAGE_CHARS or len(page) + len(group_blocks) > PAGE_BLOCKS):
            pages.append(page)
            page, chars = [], 0
            if not new_section:
                group_blocks.insert(0, context(f"*{escape(section_name)}* (vervolg)"))
        page += group_blocks
        chars += size
    if page:
        pages.append(page)
    return pages


def card_page_blocks(card: Card, page_number: int, origin: Origin | None = None) -> list[Block]:
    """One page of a card; with an origin, paging buttons that work only where the page was posted."""
    pages = card_pages(card)
    number = max(0, min(page_number, len(pages) - 1))
    blocks: list[Block] = [header(card.title), section(f"_{escape(card.question)}_"), *pages[number]]
    buttons = []
    if origin is not None and number > 0:
        value = CardPage(team=origin.team, channel=origin.channel, card=card.id, page=number - 1)
        buttons.append(button("◀ Vorige", f"{ActionId.CARD_PAGE}_prev", value.dump()))
    if origin is not None and number < len(pages) - 1:
        value = CardPage(team=origin.team, channel=origin.channel, card=card.id, page=number + 1)
        buttons.append(button("Volgende ▶", f"{ActionId.CARD_PAGE}_next", value.dump()))
    footer = f"Pagina {number + 1} van {len(pages)}. {texts.DENKHULP_FOOTER}"
    blocks.append(context(footer))
    if buttons:
        blocks.append(actions(*buttons))
    return fit(blocks)


def button_text(text: str) -> str:
    """What a button may carry of the user's text: the text with personal data replaced. Button values
    travel back and forth through Slack and end up in shared posts and casus titles."""
    return privacy.redact(text, datetime.now(UTC).date()).text


def _hit_line(hit: Hit) -> str:
    why = f"\n    _woorden: {escape(', '.join(hit.matched))}_" if hit.matched else ""
    return f"• `{hit.item.id}` {escape(hit.item.tekst)}{why}"


def signal_blocks(
    text: str, hits: list[Hit], *, shared_by: str | None = None, can_start_casus: bool = False
) -> list[Block]:
    quote = escape(text if len(text) <= 300 else text[:299] + "…")
    blocks: list[Block] = [section(f"*Signalen bij:* _{quote}_")]
    if not hits:
        blocks.append(section(texts.NO_SIGNALS))
        return blocks
    ordered = sorted(hits, key=lambda h: h.item.id)
    for group, group_hits in groupby(ordered, key=lambda h: (h.item.section, h.item.groep)):
        side = "van de inwoner" if group[0] == "inwoner" else "bij de uitvoerder"
        lines = "\n".join(_hit_line(hit) for hit in group_hits)
        blocks.append(section(f"*{escape(group[1])}* ({side})\n{lines}"))
    blocks.append(context(texts.DENKHULP_FOOTER))
    if shared_by:
        blocks.append(context(f"Gedeeld door <@{shared_by}>"))
        return fit(blocks)
    value = button_text(text)
    buttons = [
        button("Toon argumenten", ActionId.SHOW_ARGUMENTS, value),
        button("Deel in kanaal", ActionId.SHARE, f"{ShareKind.SIGNALS}|{value}"),
    ]
    if can_start_casus:
        buttons.insert(1, button("Start casus", ActionId.START_CASUS, value, style="primary"))
    blocks.append(actions(*buttons))
    return fit(blocks)


def _side(label: str, hits: list[Hit]) -> str:
    if not hits:
        return f"*{label}*\n_({texts.NO_SIDE})_"
    lines = [f"*{label}*"]
    for hit in hits:
        mark = f" _({texts.COUNTERPART_MARK})_" if hit.counterpart else ""
        lines.append(f"• `{hit.item.id}` {escape(hit.item.tekst)}{mark}")
    return "\n".join(lines)


def argument_blocks(text: str, result: ArgumentResult, *, shared_by: str | None = None) -> list[Block]:
    """One block per theme, its voor and tegen next to each other (two fields side by side)."""
    quote = escape(text if len(text) <= 300 else text[:299] + "…")
    blocks: list[Block] = [section(f"*Argumenten bij:* _{quote}_")]
    if result.empty:
        blocks.append(section(texts.NO_ARGUMENTS))
        return blocks
    if result.closest:
        blocks.append(context(texts.CLOSEST_THEMES_NOTE))
    elif any(hit.counterpart for hit in [*result.voor, *result.tegen]):
        blocks.append(context(texts.COUNTERPARTS_NOTE))
    for theme, voor, tegen in result.themes():
        label = f"Dichtstbijzijnd thema: {theme}" if result.closest else f"Thema: {theme}"
        blocks += [section(f"*{escape(label)}*"), fields(_side("Voor maatwerk", voor), _side("Tegen maatwerk", tegen))]
    blocks.append(
        context("Voor en tegen staan naast elkaar, zonder weging: de afweging maak je zelf, met je collega's.")
    )
    if shared_by:
        blocks.append(context(f"Gedeeld door <@{shared_by}>"))
    else:
        value = button_text(text)
        blocks.append(actions(button("Deel in kanaal", ActionId.SHARE, f"{ShareKind.ARGUMENTS}|{value}")))
    return fit(blocks)


def lesson_blocks(lesson: CardItem) -> list[Block]:
    return [
        section(f"*Les voor {escape(lesson.section)}:* {escape(lesson.tekst)}"),
        context(f"Uit de Lessenkaart, groep _{escape(lesson.groep)}_ (`{lesson.id}`)."),
    ]


def home_blocks(deck: Deck) -> list[Block]:
    shares = deck.introduction.shares
    blocks: list[Block] = [
        header("maatwerk: helder denken over maatwerk"),
        section(texts.HELP_INTRO),
        section(
            f"*Wat is maatwerk?* Zo'n {shares['standaard']} % van de publieke dienstverlening is standaard, "
            f"{shares['op-maat-binnen-regels']} % is op maat binnen de regels en ongeveer {shares['maatwerk']} % "
            "is maatwerk: afwijken van regels omdat die onbedoelde of ongewenste gevolgen hebben."
        ),
        divider(),
        *card_list_blocks(deck),
        divider(),
        section(
            "*Zo gebruik je de bot*\n"
            + "\n".join(f"`/maatwerk {escape(usage)}`  {what}" for usage, what in texts.HELP_COMMANDS)
        ),
        context("Tip: gebruik het berichtmenu *Zoek signalen* op een bericht om er signalen bij te zoeken."),
    ]
    return fit(blocks)
