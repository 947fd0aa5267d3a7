"""The `maatwerk` command line. Each module in COMMAND_MODULES adds its own sub-commands."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot.core.deck import DeckError
from bot.store.contracts import StoreUnavailableError

COMMAND_MODULES: tuple[str, ...] = ("kaarten", "zoeken", "run", "slack", "casus", "maatwerkplaats")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="maatwerk", description="Denkhulp bij maatwerk: kaarten, zoeken, casussen en de Slack-bot."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDO")
    for name in COMMAND_MODULES:
        importlib.import_module(f"bot.cli.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except DeckError as exc:
        print(f"De kaarten in content/ zijn niet in orde:\n{exc}", file=sys.stderr)
        return 1
    except StoreUnavailableError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
