"""The `/maatwerk <subcommand>` handlers, one module per feature, merged into one registry.

A feature module exports HANDLERS: dict[subcommand, handler]. Import it in `registry()` to plug a
feature into Slack; `registered()` tells Block Kit which optional buttons to show.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.commands import Command
from bot.services.context import AppContext


@dataclass(frozen=True)
class CommandRequest:
    """One `/maatwerk` invocation, already parsed and acknowledged."""

    app: AppContext
    client: AsyncWebClient
    respond: AsyncRespond
    command: Command
    user_id: str
    channel_id: str
    team_id: str
    body: dict[str, Any]


Handler = Callable[[CommandRequest], Awaitable[None]]


@cache
def registry() -> dict[str, Handler]:
    # Imported here, not at the top: the feature modules import CommandRequest from this package.
    from bot.adapters.slack.subcommands import casus, maatwerkplaats, search

    return {**search.HANDLERS, **casus.HANDLERS, **maatwerkplaats.HANDLERS}


def registered(subcommand: str) -> bool:
    return subcommand in registry()
