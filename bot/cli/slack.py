"""`maatwerk serve` (HTTP) and `maatwerk socket` (Socket Mode)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from bot import logging_setup
from bot.cli.parser import port_number
from bot.cli.startup import no_collection
from bot.settings import get_settings

if TYPE_CHECKING:
    from bot.services.context import AppContext

MAX_WORKERS = 64
MISSING = "Zet eerst {names} in de omgeving (zie README, 'Install in your workspace')."


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="de Slack-bot over HTTP (/slack/events, /healthz, /metrics)")
    serve.add_argument(
        "--host", default="0.0.0.0", metavar="ADRES", help="adres om op te luisteren (standaard 0.0.0.0)"
    )
    serve.add_argument("--port", type=port_number, metavar="POORT", default=3000, help="poort (standaard 3000)")
    serve.add_argument(
        "--workers", type=_workers, default=1, metavar="AANTAL", help="aantal processen op deze poort (standaard 1)"
    )
    serve.add_argument("--access-log", action="store_true", help="log elk HTTP-verzoek (standaard uit)")
    serve.set_defaults(handler=_serve)
    socket = commands.add_parser("socket", help="de Slack-bot via Socket Mode (geen publieke URL nodig)")
    socket.set_defaults(handler=_socket)


def _workers(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"kies een aantal van 1 tot en met {MAX_WORKERS}")
    return int(value)


def _context(*names: str) -> AppContext | None:
    """The app context, or None after telling which required settings are missing."""
    settings = get_settings()
    values = {
        "SLACK_BOT_TOKEN": settings.slack_bot_token,
        "SLACK_SIGNING_SECRET": settings.slack_signing_secret,
        "SLACK_APP_TOKEN": settings.slack_app_token,
    }
    missing = [name for name in names if not values[name]]
    if missing:
        print(MISSING.format(names=", ".join(missing)), file=sys.stderr)
        return None
    logging_setup.configure(settings.log_level)  # filters library records: no user text in the log
    from bot.services.context import AppContext

    return AppContext.create(settings)


def _serve(args: argparse.Namespace) -> int:
    with no_collection():
        from bot.adapters.slack.server import serve

        # Many workspaces (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET): the tokens come from the installations.
        token = () if get_settings().oauth_enabled else ("SLACK_BOT_TOKEN",)
        context = _context(*token, "SLACK_SIGNING_SECRET")
    if context is None:
        return 2
    try:
        serve(context, args.host, args.port, access_log=args.access_log, workers=args.workers)
    finally:
        context.close()
    return 0


def _socket(args: argparse.Namespace) -> int:
    with no_collection():
        from bot.adapters.slack.socket import socket

        context = _context("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    if context is None:
        return 2
    try:
        socket(context)
    finally:
        context.close()
    return 0
