"""Block Kit for the monthly maatwerkplaats digest (the same sections the command line prints)."""

from __future__ import annotations

from bot.adapters.slack.blocks.common import Block, context, escape, header, section
from bot.core.digest import PRIVACY_NOTE, Digest, intro, sections, title

CHART_TITLE = "Signalen per groep, per maand"
CHART_COMMENT = "De grafiek bij het maandoverzicht: in hoeveel casussen een groep signalen opkwam."


def digest_blocks(digest: Digest) -> list[Block]:
    blocks: list[Block] = [header(title(digest)), section(escape(intro(digest)))]
    for heading, lines in sections(digest):
        blocks.append(section(f"*{escape(heading)}*\n" + "\n".join(f"• {escape(line)}" for line in lines)))
    blocks.append(context(escape(PRIVACY_NOTE)))
    return blocks


def digest_text(digest: Digest) -> str:
    """The notification/fallback text."""
    return f"{title(digest)}. {intro(digest)}"
