"""Many workspaces over real HTTP: the OAuth install flow against the stand-in's oauth.v2.access, tokens
encrypted at rest, every post made with its own team's token, no workspace reading or steering another's
data, and uninstalling (app_uninstalled, tokens_revoked) removing the installation and its schedules."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography.fernet import Fernet, InvalidToken

from bot.adapters.slack.oauth import INSTALL_PATH, REDIRECT_PATH, token_cipher
from bot.core.schedule import ChannelSchedule
from bot.services.context import AppContext
from bot.settings import Settings
from bot.store import digests, installations, schedules
from tests.conftest import ContextFactory
from tests.slack.conftest import SIGNING_SECRET, ServeProcess, Slack, free_port, start_web_app
from tests.slack.standin import StandIn

KEY = Fernet.generate_key().decode()
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
async def oauth_context(standin: StandIn, tmp_path: Path, make_context: ContextFactory) -> AsyncIterator[AppContext]:
    settings = Settings(
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.base_url,
        SLACK_CLIENT_ID=standin.client_id,
        SLACK_CLIENT_SECRET=standin.client_secret,
        MAATWERK_TOKEN_KEY=KEY,
        MAATWERK_DB=tmp_path / "oauth.db",
    )
    context = make_context(settings)
    yield context
    context.close()


@pytest.fixture
async def slack(oauth_context: AppContext, standin: StandIn) -> AsyncIterator[Slack]:
    runner, url = await start_web_app(oauth_context)
    async with aiohttp.ClientSession() as session:
        yield Slack(url, standin, session)
    await runner.cleanup()


async def install(slack: Slack, team: str) -> aiohttp.ClientResponse:
    """An admin of `team` clicks 'Add to Slack', approves at Slack, and comes back to the redirect."""
    async with slack.session.get(f"{slack.url}{INSTALL_PATH}") as page:
        assert page.status == 200
        body = await page.text()
        cookie = page.headers["Set-Cookie"].split(";")[0]
    [state] = re.findall(r"state=([0-9a-f]+)", body)
    code = slack.standin.grant(team)
    query = f"code={code}&state={state}"
    async with slack.session.get(f"{slack.url}{REDIRECT_PATH}?{query}", headers={"Cookie": cookie}) as done:
        await done.read()
        return done


def event_body(team: str, event: dict[str, Any], event_id: str) -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": team,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
        }
    )


async def send_event(slack: Slack, team: str, event: dict[str, Any], event_id: str) -> aiohttp.ClientResponse:
    return await slack.post(event_body(team, event, event_id), "application/json")


async def command(slack: Slack, team: str, text: str, user: str = "U1", channel: str = "C1") -> None:
    body = slack.command_body(text, user=user, channel=channel, team=team)
    response = await slack.post(body, "application/x-www-form-urlencoded")
    assert response.status == 200


def _database_bytes(path: Path) -> bytes:
    """The database file with its WAL and shared-memory files: everything SQLite wrote to disk."""
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


async def test_install_stores_the_installation_with_its_token_unreadable_without_the_key(
    slack: Slack, standin: StandIn, oauth_context: AppContext, tmp_path: Path
) -> None:
    done = await install(slack, "T2")
    assert done.status == 200
    [token] = standin.bot_tokens
    record = installations.find(oauth_context.store, token_cipher(oauth_context), "T2")
    assert record is not None
    assert (record.bot_token, record.installer_user_id) == (token, "UADMINT2")
    raw = _database_bytes(tmp_path / "oauth.db")
    assert b"T2" in raw  # the row is there …
    assert token.encode() not in raw  # … its token is not, not even in part
    assert b"secretpart" not in raw
    with pytest.raises(InvalidToken):
        installations.find(oauth_context.store, Fernet(Fernet.generate_key()), "T2")


async def test_an_install_with_a_forged_or_reused_state_stores_nothing(
    slack: Slack, standin: StandIn, oauth_context: AppContext
) -> None:
    code = standin.grant("T3")
    async with slack.session.get(f"{slack.url}{REDIRECT_PATH}?code={code}&state=forged") as response:
        await response.read()
    assert response.status != 200
    assert standin.of("oauth.v2.access") == []
    assert installations.teams(oauth_context.store) == []


async def test_each_workspace_is_served_with_its_own_token(slack: Slack, standin: StandIn) -> None:
    await install(slack, "T1")
    await install(slack, "T2")
    await command(slack, "T2", "casus Huurachterstand Zuid", channel="C2")
    root, first = await standin.wait_for("chat.postMessage", count=2)
    assert (standin.team_of(root), standin.team_of(first)) == ("T2", "T2")  # the handler's and the outbox's post
    assert first.args["thread_ts"] == root.args.get("thread_ts", first.args["thread_ts"])


async def test_a_second_workspace_sees_and_steers_none_of_the_first_workspaces_data(
    slack: Slack, standin: StandIn, oauth_context: AppContext
) -> None:
    await install(slack, "T1")
    await install(slack, "T2")
    await command(slack, "T1", "casus Huurachterstand Noord", user="U1", channel="C1")
    _, first = await standin.wait_for("chat.postMessage", count=2)
    thread = str(first.args["thread_ts"])
    buttons = [e for b in first.blocks() if b["type"] == "actions" for e in b["elements"]]
    schedules.save_schedule(oauth_context.store, ChannelSchedule(team="T1", channel="C1"), "U1", NOW)

    # The same user id in team T2 opens the App Home: none of T1's casussen or lesson channels are listed.
    await send_event(slack, "T2", {"type": "app_home_opened", "user": "U1", "tab": "home"}, "Ev-home-T2")
    [publish] = await standin.wait_for("views.publish")
    assert standin.team_of(publish) == "T2"
    home = json.dumps(publish.args["view"], ensure_ascii=False)
    assert "Huurachterstand Noord" not in home
    assert "<#C1>" not in home
    assert "Nog geen kanaal krijgt een wekelijkse les" in home

    # T2 presses T1's casus button (same channel and thread ids): the dialogue does not move.
    before = len(standin.of("chat.postMessage"))
    await slack.click(buttons[0]["action_id"], buttons[0]["value"], channel="C1", thread_ts=thread, team="T2")
    await send_event(slack, "T1", {"type": "app_home_opened", "user": "U1", "tab": "home"}, "Ev-home-T1")
    [_, own_home] = await standin.wait_for("views.publish", count=2)
    assert standin.team_of(own_home) == "T1"
    assert "Huurachterstand Noord" in json.dumps(own_home.args["view"], ensure_ascii=False)
    assert len(standin.of("chat.postMessage")) == before
    [record] = oauth_context.store.dialogues().open_for("U1", "T1")
    assert record.state.position == 0
    assert oauth_context.store.dialogues().open_for("U1", "T2") == []

    # T2 asks for, and tries to switch off or take over, the lessons of T1's channel: refused, nothing changes.
    for text in (
        "maatwerkplaats status",
        "maatwerkplaats uit",
        "maatwerkplaats aan maandag 9:00",
        "maatwerkplaats digest uit",
    ):
        await command(slack, "T2", text, user="U1", channel="C1")
    answers = await standin.wait_for("response_url", count=4)
    assert all("andere Slack-werkruimte" in a.text() for a in answers[-4:])
    schedule = schedules.get_schedule(oauth_context.store, "C1")
    assert schedule is not None
    assert (schedule.schedule.team, schedule.enabled) == ("T1", True)


@pytest.mark.parametrize(
    "event",
    [{"type": "app_uninstalled"}, {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}],
    ids=["app_uninstalled", "tokens_revoked"],
)
async def test_uninstall_removes_the_installation_and_stops_that_workspaces_schedules(
    slack: Slack, standin: StandIn, oauth_context: AppContext, event: dict[str, Any]
) -> None:
    await install(slack, "T1")
    await install(slack, "T2")
    store = oauth_context.store
    schedules.save_schedule(store, ChannelSchedule(team="T1", channel="C1"), "U1", NOW)
    schedules.save_schedule(store, ChannelSchedule(team="T2", channel="C2"), "U1", NOW)
    assert digests.enable(store, "T2", "C2", "U1", NOW)
    assert digests.enable(store, "T1", "C1", "U1", NOW)

    response = await send_event(slack, "T2", event, f"Ev-{event['type']}")
    assert response.status == 200
    await slack.barrier()  # a T1 request handled after the uninstall: T1 is still served

    assert installations.teams(store) == ["T1"]
    assert [r.schedule.channel for r in schedules.enabled_schedules(store)] == ["C1"]
    assert [c.channel for c in digests.enabled_channels(store)] == ["C1"]
    record = schedules.get_schedule(store, "C2")
    assert record is not None
    assert record.disabled_reason == "de app is verwijderd uit de werkruimte"


async def test_revoking_only_user_tokens_keeps_the_installation(slack: Slack, oauth_context: AppContext) -> None:
    await install(slack, "T1")
    await install(slack, "T2")
    event = {"type": "tokens_revoked", "tokens": {"oauth": ["U5"], "bot": []}}
    await send_event(slack, "T2", event, "Ev-revoked-user")
    await slack.barrier()
    assert installations.teams(oauth_context.store) == ["T1", "T2"]


async def test_serve_starts_without_a_bot_token_when_oauth_is_set_and_offers_the_install_page(
    standin: StandIn, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.base_url,
        "SLACK_CLIENT_ID": standin.client_id,
        "SLACK_CLIENT_SECRET": standin.client_secret,
        "MAATWERK_TOKEN_KEY": KEY,
        "MAATWERK_DB": str(tmp_path / "serve.db"),
    }
    process = ServeProcess(env, free_port(), tmp_path / "serve.log")
    try:
        await process.start(within=60)
        async with aiohttp.ClientSession() as session, session.get(f"{process.url}{INSTALL_PATH}") as page:
            body = await page.text()
        assert page.status == 200
        assert f"client_id={standin.client_id}" in body
        assert "scope=commands,chat:write" in body
    finally:
        process.kill()
