"""`maatwerk export <id>`, `maatwerk privacy purge --user U…` and `maatwerk privacy retentie`."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from bot.core import texts
from bot.services.casus import CasusService
from bot.services.context import AppContext


def register(commands: Any) -> None:
    export = commands.add_parser("export", help="exporteer een casus of beleidsgesprek (Markdown of JSON)")
    export.add_argument("dialogue_id", metavar="ID", help="het id, bijvoorbeeld c3fa91b (zie `mijn`)")
    export.add_argument("--format", choices=("md", "json"), default="md", help="md (standaard) of json")
    export.set_defaults(handler=_export)

    privacy = commands.add_parser("privacy", help="persoonsgegevens verwijderen")
    privacy_sub = privacy.add_subparsers(dest="privacy_command", required=True, metavar="purge|retentie")
    purge = privacy_sub.add_parser("purge", help="vervang alle antwoorden van één persoon door [verwijderd]")
    purge.add_argument("--user", required=True, help="het Slack-gebruikers-id, bijvoorbeeld U123ABC")
    purge.set_defaults(handler=_purge)
    retention = privacy_sub.add_parser(
        "retentie", help="verwijder antwoorden van gesloten gesprekken ouder dan MAATWERK_RETENTION_DAYS"
    )
    retention.set_defaults(handler=_retention)


def _export(args: argparse.Namespace) -> int:
    context = AppContext.create()
    try:
        text = CasusService(context).export(args.dialogue_id, args.format)
    finally:
        context.close()
    if text is None:
        print(
            f"Een casus of beleidsgesprek met id {args.dialogue_id} ken ik niet. Typ `mijn` in de shell of in Slack "
            "voor de id's van je casussen.",
            file=sys.stderr,
        )
        return 1
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _purge(args: argparse.Namespace) -> int:
    context = AppContext.create()
    try:
        count = CasusService(context).forget_user(args.user)
    finally:
        context.close()
    print(f"{texts.count(count, 'antwoord', 'antwoorden')} van {args.user} vervangen door [verwijderd].")
    return 0


def _retention(args: argparse.Namespace) -> int:
    context = AppContext.create()
    try:
        count = CasusService(context).purge_retention(datetime.now(UTC))
        days = context.settings.retention_days
    finally:
        context.close()
    closed = texts.count(count, "gesloten gesprek", "gesloten gesprekken")
    print(f"Antwoorden van {closed} (ouder dan {days} dagen) verwijderd.")
    return 0
