"""`maatwerk export <id>`, `maatwerk privacy purge --user U…` and `maatwerk privacy retentie`."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.cli.errors import CliError
from bot.core import texts

if TYPE_CHECKING:
    from bot.services.context import AppContext


def register(commands: Any) -> None:
    export = commands.add_parser("export", help="exporteer een casus of beleidsgesprek (Markdown of JSON)")
    export.add_argument("dialogue_id", metavar="ID", help="het id, bijvoorbeeld c3fa91b (zie `mijn`)")
    export.add_argument("--format", choices=("md", "json"), default="md", help="md (standaard) of json")
    export.add_argument(
        "--namen", action="store_true", help="zet weergavenamen uit Slack bij de antwoorden (SLACK_BOT_TOKEN nodig)"
    )
    export.set_defaults(handler=_export)

    privacy = commands.add_parser("privacy", help="persoonsgegevens verwijderen")
    privacy_sub = privacy.add_subparsers(dest="privacy_command", required=True, metavar="purge|retentie")
    purge = privacy_sub.add_parser("purge", help="vervang alle antwoorden van één persoon door [verwijderd]")
    purge.add_argument(
        "--user", required=True, metavar="GEBRUIKER", help="het Slack-gebruikers-id, bijvoorbeeld U123ABC"
    )
    purge.set_defaults(handler=_purge)
    retention = privacy_sub.add_parser(
        "retentie", help="verwijder antwoorden van gesloten gesprekken ouder dan MAATWERK_RETENTION_DAYS"
    )
    retention.set_defaults(handler=_retention)


def _slack_names(context: AppContext, authors: tuple[str, ...]) -> dict[str, str]:
    """Display names from Slack for `--namen`, so the export names people as the Slack upload does."""
    import asyncio  # with the command: asyncio is no cost of the others

    from aiohttp import ClientError

    from bot.adapters.slack.app import build_client
    from bot.adapters.slack.people import display_names
    from bot.cli.maatwerkplaats import SLACK_UNREACHABLE

    if not context.settings.slack_bot_token:
        raise CliError("Voor --namen is SLACK_BOT_TOKEN nodig (zie README); laat --namen weg voor de id's.")
    try:
        return asyncio.run(display_names(build_client(context), authors))
    except (TimeoutError, ClientError):
        message = SLACK_UNREACHABLE.format(url=context.settings.slack_api_url).split(";")[0]
        raise CliError(message + "; probeer het later opnieuw of laat --namen weg.", 1) from None


def _export(args: argparse.Namespace) -> int:
    # Imported when the command runs, so other commands do not pay for the store and the summaries.
    from bot.core.summary import author_label, author_labeller
    from bot.services.casus import CasusService
    from bot.services.context import AppContext

    context = AppContext.create()
    try:
        service = CasusService(context)
        summary = service.summary(args.dialogue_id) if args.namen else None
        label = author_labeller(_slack_names(context, summary.authors)) if summary is not None else author_label
        text = service.export(args.dialogue_id, args.format, label)
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
    # Imported when the command runs, so other commands do not pay for the store and the summaries.
    from bot.services.casus import CasusService
    from bot.services.context import AppContext

    context = AppContext.create()
    try:
        count = CasusService(context).forget_user(args.user)
    finally:
        context.close()
    print(f"{texts.count(count, 'antwoord', 'antwoorden')} van {args.user} vervangen door [verwijderd].")
    return 0


def _retention(args: argparse.Namespace) -> int:
    # Imported when the command runs, so other commands do not pay for the store and the summaries.
    from bot.services.casus import CasusService
    from bot.services.context import AppContext

    context = AppContext.create()
    try:
        count = CasusService(context).purge_retention(datetime.now(UTC))
        days = context.settings.retention_days
    finally:
        context.close()
    closed = texts.count(count, "gesloten gesprek", "gesloten gesprekken")
    print(f"Antwoorden van {closed} (ouder dan {days} dagen) verwijderd.")
    return 0
