"""`/maatwerk maatwerkplaats aan [dag] [tijd] [doelgroep]`, `uit`, `status`: weekly lessons per channel;
`/maatwerk maatwerkplaats digest aan|uit`: the monthly digest per channel (same people may change it,
plus whoever switched the digest on).

Only workspace admins/owners, the channel's creator and the person who configured the schedule may
switch it on, change it or switch it off; everyone may see the status.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from slack_sdk.errors import SlackApiError

from bot.adapters.slack.blocks.lessons import status_text
from bot.adapters.slack.subcommands import CommandRequest, Handler
from bot.core.schedule import ScheduleError, parse_settings, plan
from bot.store import digests, schedules

log = logging.getLogger(__name__)
USAGE = (
    "Gebruik: `/maatwerk maatwerkplaats aan [dag] [tijd] [doelgroep]`, `/maatwerk maatwerkplaats uit` of "
    "`/maatwerk maatwerkplaats status`. Standaard: maandag 09:00, alle doelgroepen. "
    "Maandoverzicht: `/maatwerk maatwerkplaats digest aan` of `uit`."
)
DIGEST_USAGE = (
    "Gebruik: `/maatwerk maatwerkplaats digest aan` of `/maatwerk maatwerkplaats digest uit`. "
    "Het maandoverzicht komt op de eerste werkdag van de maand om 09:00."
)
NOT_ALLOWED = (
    "Alleen beheerders van de workspace, wie het kanaal heeft gemaakt en wie de wekelijkse les heeft "
    "ingesteld kunnen dit aanpassen. Vraag een van hen, of bekijk de instelling met "
    "`/maatwerk maatwerkplaats status`."
)

OTHER_WORKSPACE = (
    "Dit kanaal is ingesteld vanuit een andere Slack-werkruimte. Vanuit deze werkruimte kun je die instelling "
    "niet bekijken of aanpassen."
)


def _other_workspace(request: CommandRequest) -> bool:
    """The channel's lessons or digest belong to another team: it may neither read nor change them."""
    record = schedules.get_schedule(request.app.store, request.channel_id)
    digest = digests.get_channel(request.app.store, request.channel_id)
    teams = {r.schedule.team for r in [record] if r is not None} | {d.team for d in [digest] if d is not None}
    return bool(teams - {request.team_id})


async def _may_change(request: CommandRequest) -> bool:
    record = schedules.get_schedule(request.app.store, request.channel_id)
    if record is not None and record.configured_by == request.user_id:
        return True
    try:
        user = (await request.client.users_info(user=request.user_id)).get("user") or {}
        if user.get("is_admin") or user.get("is_owner"):
            return True
        channel = (await request.client.conversations_info(channel=request.channel_id)).get("channel") or {}
    except SlackApiError as error:
        log.warning("permission check failed: %s", error.response.get("error"))
        return False
    return bool(channel.get("creator") == request.user_id)


async def _status(request: CommandRequest) -> None:
    store = request.app.store
    record = schedules.get_schedule(store, request.channel_id)
    now = datetime.now(UTC)
    upcoming = plan(record.schedule, now.astimezone(record.schedule.zone).date(), 2) if record else []
    next_moment = next((moment for moment in upcoming if moment > now), None)
    text = status_text(record, next_moment, schedules.sent_lessons(store, request.channel_id))
    await request.respond(text=f"{text}\n{_digest_status(request)}")


def _digest_status(request: CommandRequest) -> str:
    record = digests.get_channel(request.app.store, request.channel_id)
    if record is not None and record.enabled:
        return "Maandoverzicht: aan, op de eerste werkdag van de maand om 09:00."
    return "Maandoverzicht: uit. Zet het aan met `/maatwerk maatwerkplaats digest aan`."


async def maatwerkplaats(request: CommandRequest) -> None:
    words = request.command.words
    action = words[0].lower() if words else "status"
    if _other_workspace(request):
        await request.respond(text=OTHER_WORKSPACE)
        return
    if action == "status":
        await _status(request)
        return
    if action == "digest":
        await _digest(request, words[1:])
        return
    if action not in {"aan", "uit"}:
        await request.respond(text=USAGE)
        return
    if not await _may_change(request):
        await request.respond(text=NOT_ALLOWED)
        return
    now = datetime.now(UTC)
    store = request.app.store
    if action == "uit":
        if schedules.disable(store, request.channel_id, f"uitgezet door <@{request.user_id}>", now):
            await request.respond(text="De wekelijkse les staat uit voor dit kanaal.", response_type="in_channel")
        else:
            await request.respond(text="De wekelijkse les stond al uit voor dit kanaal.")
        return
    try:
        schedule = parse_settings(words[1:], request.team_id, request.channel_id, request.app.settings.timezone)
    except ScheduleError as error:
        await request.respond(text=error.message)
        return
    schedules.save_schedule(store, schedule, request.user_id, now)
    await request.respond(
        text=f"Dit kanaal krijgt voortaan {schedule.describe()} een les uit de Lessenkaart. "
        "Op feestdagen schuift de les naar de volgende werkdag.",
        response_type="in_channel",
    )


async def _digest(request: CommandRequest, words: list[str]) -> None:
    action = words[0].lower() if len(words) == 1 else ""
    if action not in {"aan", "uit"}:
        await request.respond(text=DIGEST_USAGE)
        return
    configured = digests.get_channel(request.app.store, request.channel_id)
    if not (configured is not None and configured.configured_by == request.user_id) and not await _may_change(
        request
    ):
        await request.respond(text=NOT_ALLOWED)
        return
    now = datetime.now(UTC)
    store = request.app.store
    if action == "uit":
        if digests.disable(store, request.channel_id, f"uitgezet door <@{request.user_id}>", now):
            await request.respond(text="Het maandoverzicht staat uit voor dit kanaal.", response_type="in_channel")
        else:
            await request.respond(text="Het maandoverzicht stond al uit voor dit kanaal.")
        return
    if not digests.enable(store, request.team_id, request.channel_id, request.user_id, now):
        await request.respond(text="Het maandoverzicht staat al aan voor dit kanaal.")
        return
    await request.respond(
        text="Dit kanaal krijgt voortaan op de eerste werkdag van de maand om 09:00 een anoniem maandoverzicht "
        "van de casussen van de maand ervoor: aantallen, signalen, argumenten, terugkerende knelpunten en de "
        "lessen, met een grafiek in de thread. Nooit namen, titels of antwoorden.",
        response_type="in_channel",
    )


HANDLERS: dict[str, Handler] = {"maatwerkplaats": maatwerkplaats}
