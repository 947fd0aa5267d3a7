"""`maatwerk maatwerkplaats plan` (delivery moments) and `maatwerk maatwerkplaats tick` (one pass)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, date, datetime
from typing import Any

from bot.cli.output import print_json
from bot.core.lessons import ALL_AUDIENCES
from bot.core.schedule import WEEKDAYS, ScheduleError, parse_settings, plan
from bot.settings import get_settings


def register(commands: Any) -> None:
    parser = commands.add_parser("maatwerkplaats", help="wekelijkse lessen: planning bekijken, een ronde draaien")
    sub = parser.add_subparsers(dest="maatwerkplaats_command", required=True)
    plan_parser = sub.add_parser("plan", help="de momenten van de komende lessen, na verschuiving om feestdagen")
    plan_parser.add_argument("--dag", default="maandag")
    plan_parser.add_argument("--tijd", default="09:00")
    plan_parser.add_argument("--doelgroep", default=ALL_AUDIENCES)
    plan_parser.add_argument("--vanaf", type=date.fromisoformat, default=None, help="YYYY-MM-DD (standaard: vandaag)")
    plan_parser.add_argument("--weken", type=int, default=4)
    plan_parser.add_argument("--json", action="store_true")
    plan_parser.set_defaults(handler=_plan)
    tick = sub.add_parser("tick", help="één ronde: plaats de lessen die nu aan de beurt zijn, en stop")
    tick.add_argument("--now", type=datetime.fromisoformat, default=None, help="ISO 8601 met tijdzone")
    tick.set_defaults(handler=_tick)


def _plan(args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        schedule = parse_settings([args.dag, args.tijd, args.doelgroep], "cli", "cli", settings.timezone)
    except ScheduleError as error:
        print(error.message, file=sys.stderr)
        return 2
    if args.weken < 1:
        print("--weken moet 1 of meer zijn.", file=sys.stderr)
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
    from bot.adapters.slack.app import build_client
    from bot.adapters.slack.poster import SlackPoster
    from bot.services.context import AppContext
    from bot.services.lessons import LessonDelivery

    now: datetime = args.now or datetime.now(UTC)
    if now.tzinfo is None:
        print("Geef --now met tijdzone, bijvoorbeeld 2027-03-22T09:05:00+01:00.", file=sys.stderr)
        return 2
    context = AppContext.create()
    try:
        report = asyncio.run(LessonDelivery(context, SlackPoster(build_client(context), context.store)).tick(now))
    finally:
        context.close()
    print(
        f"{len(report.sent)} geplaatst, {len(report.reconciled)} al eerder geplaatst, "
        f"{len(report.disabled)} kanalen uitgezet, {len(report.failed)} later opnieuw."
    )
    return 1 if report.failed else 0
