"""Plain-text rendering of core results for the terminal (the Slack twin is adapters/slack/blocks.py)."""

from __future__ import annotations

import textwrap

from bot.core import texts
from bot.core.models import Card, CardItem
from bot.core.search import ArgumentResult, Hit

WIDTH = 100


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def render_help(notice: str = "") -> str:
    lines = [notice, ""] if notice else []
    lines += [texts.HELP_TITLE, "", textwrap.fill(texts.HELP_INTRO, WIDTH), "", "Commando's:"]
    lines += [f"  {usage:<24} {what}" for usage, what in texts.HELP_COMMANDS]
    lines += ["", "Voorbeelden:"] + [f"  {example}" for example in texts.HELP_EXAMPLES]
    return "\n".join(lines)


def render_card(card: Card) -> str:
    lines = [card.title.upper(), card.question, ""]
    section = None
    for group in card.groups:
        if group.section != section:
            section = group.section
            lines += ["", f"== {section} =="]
        stance = f" [{group.stance.value}]" if group.stance else ""
        lines += ["", f"{group.title}{stance}"]
        lines += [_wrap(f"{item.id}  {item.tekst}") for item in group.items]
    return "\n".join(lines)


def render_card_list(cards: list[Card]) -> str:
    lines = ["De kaarten:"]
    lines += [f"  {card.id:<22} {card.title}: {len(card.items())} items" for card in cards]
    lines.append("Toon een kaart met `kaart <naam>`, bijvoorbeeld `kaart signalen`.")
    return "\n".join(lines)


def _render_hit(hit: Hit) -> str:
    why = f"  (woorden: {', '.join(hit.matched)})" if hit.matched else ""
    return _wrap(f"{hit.item.id}  {hit.item.tekst}{why}")


def render_signals(hits: list[Hit]) -> str:
    if not hits:
        return texts.NO_SIGNALS
    lines = ["Signalen die kunnen wijzen op maatwerk:"]
    group = None
    for hit in sorted(hits, key=lambda h: h.item.id):
        if hit.item.groep != group:
            group = hit.item.groep
            lines += ["", f"{group}"]
        lines.append(_render_hit(hit))
    lines += ["", texts.DENKHULP_FOOTER]
    return "\n".join(lines)


def render_arguments(result: ArgumentResult) -> str:
    """One block per theme, with its voor and tegen directly under each other."""
    if result.empty:
        return texts.NO_ARGUMENTS
    lines = ["Argumenten per thema, voor en tegen naast elkaar (zonder weging):"]
    if result.closest:
        lines += ["", _wrap(texts.CLOSEST_THEMES_NOTE)]
    elif any(hit.counterpart for hit in [*result.voor, *result.tegen]):
        lines += ["", _wrap(texts.COUNTERPARTS_NOTE)]
    for theme, voor, tegen in result.themes():
        lines += ["", f"{'Dichtstbijzijnd thema' if result.closest else 'Thema'}: {theme}"]
        for label, hits in (("  VOOR maatwerk", voor), ("  TEGEN maatwerk", tegen)):
            lines.append(label)
            for hit in hits:
                mark = f"  ({texts.COUNTERPART_MARK})" if hit.counterpart else ""
                lines.append(_render_hit(hit) + mark)
            if not hits:
                lines.append(f"  ({texts.NO_SIDE})")
    lines += ["", texts.DENKHULP_FOOTER]
    return "\n".join(lines)


def render_lesson(lesson: CardItem) -> str:
    return "\n".join(
        [
            f"Les voor {lesson.section}:",
            _wrap(lesson.tekst),
            f"  (Lessenkaart, groep '{lesson.groep}', {lesson.id})",
        ]
    )
