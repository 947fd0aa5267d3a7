"""The `maatwerk` command line. Each module imported in build_parser adds its own sub-commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.core.deck import DeckError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="maatwerk", description="Denkhulp bij maatwerk: kaarten, zoeken, casussen en de Slack-bot."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDO")
    # Imported here, not at the top: each module imports bot.cli.output from this package.
    from bot.cli import casus, kaarten, maatwerkplaats, run, slack, zoeken

    for module in (kaarten, zoeken, run, slack, casus, maatwerkplaats):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except DeckError as exc:
        print(f"De kaarten in content/ zijn niet in orde:\n{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
