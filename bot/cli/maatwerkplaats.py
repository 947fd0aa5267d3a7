"""`maatwerk maatwerkplaats plan` (delivery moments) and `maatwerk maatwerkplaats tick` (one pass)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from bot.cli.errors import CliError
from bot.cli.output import print_json
from bot.cli.parser import aware_datetime, iso_date, positive_int
from bot.core.lessons import ALL_AUDIENCES
from bot.settings import get_settings

SLACK_UNREACHABLE = (
    "Slack gaf geen (tijdig) antwoord op {url}. Controleer de netwerkverbinding en SLACK_API_URL, en draai "
    "`maatwerk maatwerkplaats tick` later opnieuw; een les die al geplaatst is, plaats ik niet nog eens."
)


def register(commands: Any) -> None:
    parser = commands.add_parser("maatwerkplaats", help="wekelijkse lessen: planning bekijken, een ronde draaien")
    sub = parser.add_subparsers(dest="maatwerkplaats_command", required=True, metavar="plan|tick")
    plan_parser = sub.add_parser("plan", help="de momenten van de komende lessen, na verschuiving om feestdagen")
    plan_parser.add_argument(
        "--dag", default="maandag", metavar="DAG", help="werkdag, bijvoorbeeld dinsdag (standaard maandag)"
    )
    plan_parser.add_argument("--tijd", default="09:00", metavar="UU:MM", help="tijdstip UU:MM (standaard 09:00)")
    plan_parser.add_argument(
        "--doelgroep",
        default=ALL_AUDIENCES,
        metavar="DOELGROEP",
        help="beleidsmakers, bestuurders, uitvoerders of iedereen (standaard)",
    )
    plan_parser.add_argument(
        "--vanaf", type=iso_date, default=None, metavar="DATUM", help="JJJJ-MM-DD (standaard: vandaag)"
    )
    plan_parser.add_argument(
        "--weken", type=positive_int, default=4, metavar="AANTAL", help="hoeveel weken vooruit (standaard 4)"
    )
    plan_parser.add_argument("--json", action="store_true", help="de momenten als JSON-lijst")
    plan_parser.set_defaults(handler=_plan)
    tick = sub.add_parser("tick", help="één ronde: plaats de lessen die nu aan de beurt zijn, en stop")
    tick.add_argument(
        "--now",
        type=aware_datetime,
        default=None,
        metavar="MOMENT",
        help="doe alsof het nu dit moment is (ISO 8601 met tijdzone)",
    )
    tick.set_defaults(handler=_tick)


def _plan(args: argparse.Namespace) -> int:
    from bot.core.schedule import WEEKDAYS, ScheduleError, parse_settings, plan  # holidays: only here

    settings = get_settings()
    try:
        schedule = parse_settings([args.dag, args.tijd, args.doelgroep], "cli", "cli", settings.timezone)
    except ScheduleError as error:
        print(error.message, file=sys.stderr)
        return 2
    start = args.vanaf or datetime.now(schedule.zone).date()
    moments = plan(schedule, start, args.weken)
    if args.json:
        print_json([moment.isoformat() for moment in moments])
    else:
        for moment in moments:
            print(f"{WEEKDAYS[moment.weekday()]:<10} {moment:%d-%m-%Y %H:%M %Z}")
    return 0


def _tick(args: argparse.Namespace) -> int:
    import asyncio  # with the command: asyncio is no cost of the others

    from aiohttp import ClientError

    from bot.adapters.slack.app import build_client
    from bot.adapters.slack.poster import SlackPoster
    from bot.adapters.slack.team_clients import TeamClients
    from bot.services.context import AppContext
    from bot.services.lessons import LessonDelivery

    now: datetime = args.now or datetime.now(UTC)
    context = AppContext.create()
    client = build_client(context)
    poster = SlackPoster(client, context.store, TeamClients(context, client))  # each team's own token with OAuth
    try:
        report = asyncio.run(LessonDelivery(context, poster).tick(now))
    except (TimeoutError, ClientError):
        raise CliError(SLACK_UNREACHABLE.format(url=context.settings.slack_api_url), 1) from None
    finally:
        context.close()
    print(
        f"{len(report.sent)} geplaatst, {len(report.reconciled)} al eerder geplaatst, "
        f"{len(report.disabled)} kanalen uitgezet, {len(report.failed)} later opnieuw."
    )
    return 1 if report.failed else 0
