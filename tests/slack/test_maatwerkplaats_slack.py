"""Weekly lessons in Slack: configure with the slash command, deliver through the stand-in."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime, timedelta

from bot.adapters.slack.app import build_client
from bot.adapters.slack.poster import SlackPoster
from bot.core.schedule import ChannelSchedule
from bot.services.context import AppContext
from bot.services.lessons import LessonDelivery
from bot.store import schedules
from tests.slack.conftest import BOT_TOKEN, REPO, Slack
from tests.slack.standin import StandIn


def _answer_text(standin: StandIn, index: int = -1) -> str:
    return str(standin.of("response_url")[index].args.get("text", ""))


async def test_someone_without_rights_cannot_switch_lessons_on(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    await slack.command("maatwerkplaats aan", user="UNOBODY")
    await standin.wait_for("response_url")
    assert "Alleen beheerders" in _answer_text(standin)
    assert schedules.get_schedule(app_context.store, "C1") is None


async def test_admin_switches_on_and_status_shows_the_next_post(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    standin.users["UADMIN"] = {"is_admin": True}
    await slack.command("maatwerkplaats aan dinsdag 10:00 uitvoerders", user="UADMIN")
    await standin.wait_for("response_url")
    assert "elke dinsdag om 10:00 (uitvoerders)" in _answer_text(standin)
    record = schedules.get_schedule(app_context.store, "C1")
    assert record is not None
    assert record.configured_by == "UADMIN"
    await slack.command("maatwerkplaats status", user="U2")
    await standin.wait_for("response_url", count=2)
    assert "Volgende les: *dinsdag" in _answer_text(standin)


async def test_channel_creator_may_switch_off(slack: Slack, standin: StandIn, app_context: AppContext) -> None:
    standin.users["UADMIN"] = {"is_admin": True}
    await slack.command("maatwerkplaats aan", user="UADMIN")
    await slack.command("maatwerkplaats uit", user="UCREATOR")  # the stand-in's channel creator
    await standin.wait_for("response_url", count=2)
    assert "staat uit" in _answer_text(standin)
    record = schedules.get_schedule(app_context.store, "C1")
    assert record is not None
    assert not record.enabled


async def test_weekly_prompt_is_posted_once_after_a_429(standin: StandIn, app_context: AppContext) -> None:
    schedules.save_schedule(
        app_context.store, ChannelSchedule(team="T1", channel="C9"), "UADMIN", datetime(2027, 3, 1, tzinfo=UTC)
    )
    standin.rate_limit("chat.postMessage", times=1, retry_after=1)
    delivery = LessonDelivery(app_context, SlackPoster(build_client(app_context)))
    now = datetime(2027, 3, 22, 8, 5, tzinfo=UTC)
    first = await delivery.tick(now)
    second = await delivery.tick(now + timedelta(minutes=1))
    posts = standin.of("chat.postMessage")
    assert len(posts) == 2  # the 429 and the retry after Retry-After
    assert len(first.sent) == 1
    assert second.sent == []
    blocks = json.dumps(posts[-1].args["blocks"], ensure_ascii=False)
    assert "Herken je dit? Welke casus past erbij?" in blocks
    assert "start_casus" in blocks
    assert posts[-1].args["metadata"]["event_payload"]["key"] == "C9:2027-W12"


async def test_archived_channel_is_switched_off(standin: StandIn, app_context: AppContext) -> None:
    schedules.save_schedule(
        app_context.store, ChannelSchedule(team="T1", channel="CARCH"), "UADMIN", datetime(2027, 3, 1, tzinfo=UTC)
    )
    standin.fail_channel("CARCH", "is_archived")
    report = await LessonDelivery(app_context, SlackPoster(build_client(app_context))).tick(
        datetime(2027, 3, 22, 8, 5, tzinfo=UTC)
    )
    assert report.disabled == ["CARCH"]


async def test_tick_command_runs_one_pass_against_slack(standin: StandIn, app_context: AppContext) -> None:
    schedules.save_schedule(
        app_context.store, ChannelSchedule(team="T1", channel="C5"), "UADMIN", datetime(2027, 3, 1, tzinfo=UTC)
    )
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": standin.base_url,
        "MAATWERK_DB": str(app_context.settings.db_path),
    }
    args = [sys.executable, "-m", "bot", "maatwerkplaats", "tick", "--now", "2027-03-22T09:05:00+01:00"]
    process = await asyncio.create_subprocess_exec(*args, env=env, cwd=REPO, stdout=asyncio.subprocess.PIPE)
    out, _ = await process.communicate()
    assert process.returncode == 0
    assert out.decode().startswith("1 geplaatst")
    again = await asyncio.create_subprocess_exec(*args, env=env, cwd=REPO, stdout=asyncio.subprocess.PIPE)
    out_again, _ = await again.communicate()
    assert out_again.decode().startswith("0 geplaatst")
    assert len(standin.of("chat.postMessage")) == 1
