"""`maatwerk shell`: run the bot in the terminal."""

from __future__ import annotations

import argparse
from typing import Any


def register(commands: Any) -> None:
    shell = commands.add_parser("shell", help="terminalmodus: dezelfde commando's als in Slack")
    shell.set_defaults(handler=_shell)


def _shell(args: argparse.Namespace) -> int:
    # Imported when the command runs, so other commands do not pay for the shell, the store and search.
    from bot.cli.startup import no_collection

    with no_collection():
        from bot.adapters.terminal.shell import run_shell
        from bot.services.context import AppContext

        context = AppContext.create()
    try:
        return run_shell(context)
    finally:
        context.close()
