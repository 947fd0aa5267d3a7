"""`maatwerk signaal "<tekst>"` and `maatwerk argument "<tekst>"`, with stable JSON output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.adapters.terminal.render import render_arguments, render_signals
from bot.cli.errors import CliError
from bot.cli.output import print_json, print_jsonl
from bot.cli.parser import positive_int, text_file
from bot.cli.startup import no_collection
from bot.core.commands import MAX_TEXT_LENGTH, too_long_message
from bot.core.deck import load_deck
from bot.core.language import not_dutch_message
from bot.core.search import SearchIndex
from bot.settings import get_settings


def register(commands: Any) -> None:
    for name, what in (("signaal", "zoek signalen bij een beschrijving"), ("argument", "zoek argumenten")):
        parser = commands.add_parser(name, help=what)
        parser.add_argument("tekst", nargs="?", help="de tekst (weglaten met --batch)")
        parser.add_argument("--json", action="store_true", help="JSON in plaats van leesbare tekst")
        parser.add_argument(
            "--top", type=positive_int, default=5, metavar="AANTAL", help="hoeveel resultaten (standaard 5)"
        )
        parser.add_argument(
            "--batch", type=text_file, metavar="BESTAND", help="bestand met één tekst per regel; uitvoer JSON Lines"
        )
        parser.set_defaults(handler=_run, kind=name)


def _search(index: SearchIndex, kind: str, text: str, top: int) -> Any:
    if kind == "signaal":
        return index.signals(text, top=top)
    return index.arguments(text, top=top)


def _to_json(kind: str, result: Any) -> Any:
    if kind == "signaal":
        return [hit.to_json() for hit in result]
    return result.to_json()


def _run_batch(index: SearchIndex, kind: str, batch: Path, top: int) -> None:
    try:
        with batch.open(encoding="utf-8") as lines:
            for line in lines:
                text = line.rstrip("\n")[:MAX_TEXT_LENGTH]
                print_jsonl(_to_json(kind, _search(index, kind, text, top)))
    except BrokenPipeError:
        raise  # the reader went away; bot.cli.main stops quietly
    except UnicodeDecodeError:
        raise CliError(
            f"Het bestand {batch} is geen UTF-8-tekst; sla het op als UTF-8 en probeer het opnieuw."
        ) from None
    except OSError as error:
        raise CliError(
            f"Het bestand {batch} kan ik niet lezen ({error.strerror}); controleer pad en rechten.", 1
        ) from None


def _run(args: argparse.Namespace) -> int:
    with no_collection():
        index = SearchIndex(load_deck(get_settings().content_dir))
    if args.batch is not None:
        _run_batch(index, args.kind, args.batch, args.top)
        return 0
    text = (args.tekst or "").strip()
    if not text:
        print('Geef een tekst mee, bijvoorbeeld: maatwerk signaal "mevrouw heeft schulden".', file=sys.stderr)
        return 2
    if len(text) > MAX_TEXT_LENGTH:
        print(too_long_message(len(text)), file=sys.stderr)
        return 2
    if not args.json and (foreign := not_dutch_message(text, args.kind)) is not None:
        print(foreign)
        return 0
    result = _search(index, args.kind, text, args.top)
    if args.json:
        print_json(_to_json(args.kind, result))
    elif args.kind == "signaal":
        print(render_signals(result))
    else:
        print(render_arguments(result))
    return 0
