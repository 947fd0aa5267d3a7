"""Block Kit primitives with Slack's limits applied, and escaping of user text."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_FALLBACK_TEXT = 3000


def escape(text: str) -> str:
    """Escape &, < and > so user text cannot become a mention, channel ping or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT)}}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, 150), "emoji": True}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, MAX_SECTION_TEXT)}]}


def divider() -> Block:
    return {"type": "divider"}


def fields(left: str, right: str) -> Block:
    return {
        "type": "section",
        "fields": [
            {"type": "mrkdwn", "text": clip(left, 2000)},
            {"type": "mrkdwn", "text": clip(right, 2000)},
        ],
    }


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(text, MAX_BUTTON_TEXT), "emoji": True},
        "action_id": action_id,
        "value": clip(value, MAX_BUTTON_VALUE),
    }
    if style:
        element["style"] = style
    return element


def actions(*elements: dict[str, Any]) -> Block:
    return {"type": "actions", "elements": list(elements)}


def fit(blocks: list[Block]) -> list[Block]:
    """Keep a message within 50 blocks; the last block says that the rest was cut."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return [*blocks[: MAX_BLOCKS - 1], context("_Niet alles past in één bericht; bekijk de hele kaart met `kaart`._")]
