"""Block Kit for the weekly lesson prompt and the maatwerkplaats status."""

from __future__ import annotations

from datetime import datetime

from bot.adapters.slack.blocks.common import Block, actions, button, context, escape, section
from bot.adapters.slack.buttons import LessonCasus, Origin
from bot.adapters.slack.ids import ActionId
from bot.core.models import CardItem
from bot.core.schedule import WEEKDAYS
from bot.store.schedules import ScheduleRecord

INVITATION = "Herken je dit? Welke casus past erbij? Reageer in de draad."


def prompt_blocks(lesson: CardItem, can_start_casus: bool, origin: Origin) -> list[Block]:
    """The weekly lesson; its *Start casus* button works only in the channel it was posted in."""
    blocks: list[Block] = [
        section(f":bulb: *Les van de week voor {escape(lesson.section)}*\n>{escape(lesson.tekst)}"),
        context(f"Lessenkaart, groep _{escape(lesson.groep)}_ (`{lesson.id}`)"),
        section(INVITATION),
    ]
    if can_start_casus:
        value = LessonCasus(team=origin.team, channel=origin.channel, lesson=lesson.id)
        blocks.append(actions(button("Start casus", ActionId.LESSON_CASUS, value.dump(), style="primary")))
    return blocks


def prompt_text(lesson: CardItem) -> str:
    return f"Les van de week: {lesson.tekst} {INVITATION}"


def status_text(record: ScheduleRecord | None, next_moment: datetime | None, sent: list[tuple[str, str]]) -> str:
    if record is None:
        return (
            "Dit kanaal krijgt nog geen wekelijkse les. Zet het aan met "
            "`/maatwerk maatwerkplaats aan [dag] [tijd] [doelgroep]`, bijvoorbeeld `aan maandag 09:00 uitvoerders`."
        )
    schedule = record.schedule
    if not record.enabled:
        reason = f" ({record.disabled_reason})" if record.disabled_reason else ""
        head = f"De wekelijkse les staat *uit*{reason}. Zet hem weer aan met `/maatwerk maatwerkplaats aan`."
    else:
        when = f"{WEEKDAYS[next_moment.weekday()]} {next_moment:%d-%m-%Y %H:%M}" if next_moment else "onbekend"
        head = f"Wekelijkse les: {schedule.describe()}. Volgende les: *{when}*."
    posted = ", ".join(f"{lesson} ({week})" for week, lesson in sent[-10:]) or "nog geen"
    return f"{head}\nAl geplaatst: {posted}. Ingesteld door <@{record.configured_by}>."


def schedules_blocks(records: list[ScheduleRecord]) -> list[Block]:
    """For the App Home: which channels get a weekly lesson."""
    active = [record for record in records if record.enabled]
    if not active:
        return [
            section(
                "*Wekelijkse lessen*\nNog geen kanaal krijgt een wekelijkse les. Zet het aan in een kanaal "
                "met `/maatwerk maatwerkplaats aan`."
            )
        ]
    lines = [f"• <#{record.schedule.channel}>: {record.schedule.describe()}" for record in active]
    return [section("*Wekelijkse lessen*\n" + "\n".join(lines))]
