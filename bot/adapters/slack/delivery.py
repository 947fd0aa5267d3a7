"""Delivery keys: one key for every delivery of one Slack request, so a retry is recognised.

Most deliveries are claimed by the `answer_once` middleware before their listener runs. Casus thread
replies and casus buttons are not: their key is written in the same transaction as their effect
(bot.store.dialogues), so a crash between the two cannot make a retry look like a duplicate.
"""

from __future__ import annotations

from typing import Any

from bot.adapters.slack.ids import ActionId

CASUS_BUTTONS = frozenset(
    action.value
    for action in (
        ActionId.CASUS_SKIP,
        ActionId.CASUS_BACK,
        ActionId.CASUS_PAUSE,
        ActionId.CASUS_RESUME,
        ActionId.CASUS_FINISH,
    )
)


def delivery_key(body: dict[str, Any]) -> str | None:
    """A key that is the same for every delivery of one Slack request, or None if it has none."""
    if body.get("event_id"):
        return f"event:{body['event_id']}"
    if body.get("trigger_id"):
        return f"trigger:{body['trigger_id']}"
    actions = body.get("actions")
    if body.get("type") == "block_actions" and isinstance(actions, list) and actions and isinstance(actions[0], dict):
        user = body.get("user")
        user = user if isinstance(user, dict) else {}
        return f"action:{actions[0].get('action_ts')}:{user.get('id')}"
    return None


def is_casus_button(body: dict[str, Any]) -> bool:
    actions = body.get("actions")
    return (
        body.get("type") == "block_actions"
        and isinstance(actions, list)
        and len(actions) > 0
        and isinstance(actions[0], dict)
        and actions[0].get("action_id") in CASUS_BUTTONS
    )
