"""The `/maatwerk` slash command: ack at once, then route the subcommand to its feature handler."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.subcommands import CommandRequest, registry
from bot.core.commands import Command, parse
from bot.services.context import AppContext

SLASH_COMMAND = "/maatwerk"


def register(app: AsyncApp, context: AppContext) -> None:
    @app.command(SLASH_COMMAND)
    async def maatwerk(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient) -> None:
        await ack()
        command = parse(body.get("text") or "")
        handlers = registry()
        if command.name not in handlers:
            notice = f"`{command.name}` kan ik in Slack niet uitvoeren. Dit kun je wel doen:"
            command = Command("help", notice=notice)
        handler = handlers[command.name]
        await handler(
            CommandRequest(
                app=context,
                client=client,
                respond=respond,
                command=command,
                user_id=body.get("user_id", ""),
                channel_id=body.get("channel_id", ""),
                team_id=body.get("team_id", ""),
                body=body,
            )
        )
