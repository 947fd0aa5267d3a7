"""`maatwerk export <dialoog-id>`, `maatwerk privacy purge --user U…` and `maatwerk privacy retentie`."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from bot.services.casus import CasusService
from bot.services.context import AppContext


def register(commands: Any) -> None:
    export = commands.add_parser("export", help="exporteer een casus of beleidsdialoog (Markdown of JSON)")
    export.add_argument("dialogue_id", metavar="DIALOOG-ID", help="het id, bijvoorbeeld c3fa91b (zie `mijn`)")
    export.add_argument("--format", choices=("md", "json"), default="md", help="md (standaard) of json")
    export.set_defaults(handler=_export)

    privacy = commands.add_parser("privacy", help="persoonsgegevens verwijderen")
    privacy_sub = privacy.add_subparsers(dest="privacy_command", required=True)
    purge = privacy_sub.add_parser("purge", help="vervang alle antwoorden van één persoon door [verwijderd]")
    purge.add_argument("--user", required=True, help="het Slack-gebruikers-id, bijvoorbeeld U123ABC")
    purge.set_defaults(handler=_purge)
    retention = privacy_sub.add_parser(
        "retentie", help="verwijder antwoorden van gesloten dialogen ouder dan MAATWERK_RETENTION_DAYS"
    )
    retention.set_defaults(handler=_retention)


def _export(args: argparse.Namespace) -> int:
    context = AppContext.create()
    try:
        text = CasusService(context).export(args.dialogue_id, args.format)
    finally:
        context.close()
    if text is None:
        print(f"Een dialoog met id {args.dialogue_id} ken ik niet.", file=sys.stderr)
        return 1
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _purge(args: argparse.Namespace) -> int:
    context = AppContext.create()
    try:
        count = CasusService(context).forget_user(args.user)
    finally:
        context.close()
    print(f"{count} antwoord(en) van {args.user} vervangen door [verwijderd].")
    return 0


def _retention(args: argparse.Namespace) -> int:
    context = AppContext.create()
    try:
        count = CasusService(context).purge_retention(datetime.now(UTC))
        days = context.settings.retention_days
    finally:
        context.close()
    print(f"Antwoorden van {count} gesloten dialoog/dialogen (ouder dan {days} dagen) verwijderd.")
    return 0
