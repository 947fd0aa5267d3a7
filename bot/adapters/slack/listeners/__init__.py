"""Listeners grouped by kind; each module has register(app, context)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.adapters.slack.listeners import actions, casus_actions, commands, events, lessons, shortcuts
from bot.services.context import AppContext


def register_all(app: AsyncApp, context: AppContext) -> None:
    for module in (commands, actions, shortcuts, events, casus_actions, lessons):
        module.register(app, context)
