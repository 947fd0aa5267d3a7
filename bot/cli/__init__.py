"""The `maatwerk` command line. Each module adds its own sub-commands with `register(commands)`.

Every way a run can go wrong that is the user's to fix (a wrong flag, a missing file, a bad setting,
a database that cannot be opened, Slack that does not answer) ends in a Dutch message on stderr and a
non-zero exit code, never in a traceback.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence

from bot.cli.startup import no_collection

with no_collection():  # the imports below are most of a command's start
    from bot.cli import casus, digest, kaarten, maatwerkplaats, run, slack, zoeken
    from bot.cli.errors import CliError
    from bot.cli.parser import DutchArgumentParser, dutch_messages
    from bot.core.deck import DeckError
    from bot.settings import SettingsError
    from bot.store.contracts import StoreUnavailableError

EXAMPLES = """voorbeelden:
  maatwerk shell                                  de bot in de terminal
  maatwerk signaal "mevrouw kan de huur niet betalen sinds haar man overleed"
  maatwerk kaart signalen
  maatwerk <commando> --help                      uitleg bij één commando"""
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what shell tools return when `| head` stops reading


def build_parser() -> argparse.ArgumentParser:
    """The whole parser; call it inside `dutch_messages()` so its help texts are Dutch."""
    parser = DutchArgumentParser(
        prog="maatwerk",
        description="Denkhulp bij maatwerk: kaarten, zoeken, casussen en de Slack-bot.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDO", title="commando's")
    kaarten.register(commands)
    zoeken.register(commands)
    run.register(commands)
    slack.register(commands)
    casus.register(commands)
    maatwerkplaats.register(commands)
    digest.register(commands)
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    with dutch_messages():
        return build_parser().parse_args(argv)


def _database_message(error: sqlite3.Error) -> str:
    path = os.environ.get("MAATWERK_DB", "./maatwerk.db")
    return (
        f"De database {path} kan ik niet openen of gebruiken. Controleer MAATWERK_DB: het pad moet een "
        "database van maatwerk zijn (of een nieuw bestand) in een map die bestaat en voor jou schrijfbaar is, "
        "bijvoorbeeld MAATWERK_DB=./maatwerk.db."
        + (" De database is bezet door een ander proces; probeer het zo opnieuw." if "locked" in str(error) else "")
    )


def _silence_stdout() -> None:
    # The reader went away (`| head`); point stdout at /dev/null so the final flush does not fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        code = int(args.handler(args))
        sys.stdout.flush()
        return code
    except CliError as error:
        print(error.message, file=sys.stderr)
        return error.code
    except SettingsError as error:
        print(error.message, file=sys.stderr)
        return 2
    except DeckError as exc:
        print(f"De kaarten in content/ zijn niet in orde:\n{exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as error:
        print(_database_message(error), file=sys.stderr)
        return 1
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except StoreUnavailableError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
