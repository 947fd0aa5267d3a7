"""`maatwerk digest --kanaal C… --maand 2026-11 [--png FILE] [--json]`: the monthly digest on the command line.

It prints the same anonymous overview the channel gets on the first working day of the month; it posts
nothing, claims nothing and stores no month counts.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.cli.output import print_json
from bot.settings import get_settings


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "digest", help="het anonieme maandoverzicht van een kanaal (casussen, signalen, knelpunten, lessen)"
    )
    parser.add_argument("--kanaal", default="", metavar="KANAAL", help="het Slack-kanaal-id, bijvoorbeeld C0123ABC")
    parser.add_argument(
        "--maand", default="", metavar="JJJJ-MM", help="de maand, bijvoorbeeld 2026-11 (standaard: vorige maand)"
    )
    parser.add_argument(
        "--png", type=Path, default=None, metavar="BESTAND", help="schrijf de grafiek naar dit PNG-bestand"
    )
    parser.add_argument("--json", action="store_true", help="als JSON in plaats van tekst")
    parser.set_defaults(handler=_digest)


def _month(text: str) -> str:
    from bot.core.digest import month_key, parse_month, shift_month

    if text:
        return parse_month(text)
    today = datetime.now(ZoneInfo(get_settings().timezone)).date()
    return shift_month(month_key(today), -1)


def _digest(args: argparse.Namespace) -> int:
    # Imported when the command runs: the store, the summaries and search are no cost of other commands.
    import asyncio

    from bot.core.digest import DigestError, to_json, to_text
    from bot.services.context import AppContext
    from bot.services.digest import DigestService

    channel = args.kanaal.strip()
    if not channel:
        print("Geef het kanaal met --kanaal, bijvoorbeeld --kanaal C0123ABC.", file=sys.stderr)
        return 2
    try:
        month = _month(args.maand)
    except DigestError as error:
        print(error.message, file=sys.stderr)
        return 2
    context = AppContext.create()
    try:
        prompt = asyncio.run(DigestService(context).prompt(channel, month))
    finally:
        context.close()
    if args.png is not None:
        if prompt.chart is None:
            print("Geen casussen in deze maand, dus geen grafiek gemaakt.", file=sys.stderr)
        else:
            try:
                args.png.write_bytes(prompt.chart)
            except OSError as error:
                print(f"Kan de grafiek niet schrijven naar {args.png}: {error.strerror}.", file=sys.stderr)
                return 1
    if args.json:
        print_json({"kanaal": channel} | to_json(prompt.digest))
    else:
        sys.stdout.write(to_text(prompt.digest))
    return 0
