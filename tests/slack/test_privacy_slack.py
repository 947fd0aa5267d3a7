"""Personal data never leaves the author's private view: end to end over HTTP against the stand-in,
grepping the channel posts, the raw database files (.db, -wal, -shm) and the server's log."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.slack.ids import ActionId
from bot.services.context import AppContext
from tests.process import run_maatwerk
from tests.slack.conftest import ServeProcess, Slack, sign
from tests.slack.standin import Call, StandIn

_n = itertools.count(1)
SIGNAL = "signaal mevrouw Jansen BSN 111222333 heeft schulden"


def _buttons(call: Call) -> dict[str, str]:
    return {e["action_id"]: str(e["value"]) for b in call.blocks() if b["type"] == "actions" for e in b["elements"]}


def _raw_files(db: Path | str) -> bytes:
    """The bytes of the database file and its -wal and -shm companions, as they are on disk."""
    path = Path(db)  # MAATWERK_DB is text since PostgreSQL URLs are allowed
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


async def _reply(slack: Slack, user: str, text: str, thread_ts: str) -> None:
    n = next(_n)
    event = {"type": "message", "channel": "C1", "user": user, "text": text, "ts": f"1700003000.{n:06d}"}
    await slack.event(event | {"thread_ts": thread_ts}, event_id=f"Ev-privacy-{n}")


async def _wait_text(standin: StandIn, method: str, needle: str, within: float = 5.0) -> Call:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = [call for call in standin.of(method) if needle in json.dumps(call.args, ensure_ascii=False)]
        if found:
            return found[0]
        await asyncio.sleep(0.01)
    raise AssertionError(f"no {method} with {needle!r}: {standin.methods()}")


async def _casus(slack: Slack, standin: StandIn, title: str, user: str = "U1") -> str:
    """Start a casus; return its thread ts."""
    before = len(standin.of("chat.postMessage"))
    await slack.command(f"casus {title}", user=user)
    posts = await standin.wait_for("chat.postMessage", count=before + 2)
    return str(posts[before + 1].args["thread_ts"])


@pytest.mark.parametrize("command", ["signaal", "argument"])
async def test_share_posts_the_text_without_bsn_or_name(slack: Slack, standin: StandIn, command: str) -> None:
    await slack.command(SIGNAL.replace("signaal", command, 1), user="U1")
    [answer] = await standin.wait_for("response_url")
    values = _buttons(answer)
    assert values, "the answer has buttons"
    for value in values.values():
        assert "111222333" not in value
        assert "Jansen" not in value
    await slack.click(ActionId.SHARE, values[ActionId.SHARE], user="U1")
    [shared] = await standin.wait_for("chat.postMessage")
    assert "[BSN]" in shared.text()
    assert "heeft schulden" in shared.text()
    note = (await standin.wait_for("response_url", count=2))[1]
    assert "naam en BSN" in note.args["text"]
    # Only the author's own ephemeral answer quotes their words; no other call carries them.
    for call in standin.calls:
        if call is answer:
            continue
        assert "111222333" not in json.dumps(call.args), call.method
        assert "Jansen" not in json.dumps(call.args), call.method


async def test_share_and_show_redact_a_value_from_an_older_button(slack: Slack, standin: StandIn) -> None:
    await slack.click(ActionId.SHARE, "signaal|mevrouw Jansen BSN 111222333 heeft schulden", user="U1")
    [shared] = await standin.wait_for("chat.postMessage")
    await slack.click(ActionId.SHOW_ARGUMENTS, "mevrouw Jansen BSN 111222333 heeft schulden", user="U1")
    await standin.wait_for("response_url", count=2)
    for call in standin.calls:
        assert "111222333" not in json.dumps(call.args), call.method
        assert "Jansen" not in json.dumps(call.args), call.method
    assert "[naam]" in shared.text()


async def test_start_casus_from_signals_gets_a_redacted_title(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    await slack.command(SIGNAL, user="U1")
    [answer] = await standin.wait_for("response_url")
    await slack.click(ActionId.START_CASUS, _buttons(answer)[ActionId.START_CASUS], user="U1")
    root, _ = await standin.wait_for("chat.postMessage", count=2)
    assert "111222333" not in root.text()
    assert "Jansen" not in root.text()
    raw = _raw_files(app_context.settings.db_path)
    assert b"111222333" not in raw
    assert b"Jansen" not in raw


PERSONAL = {
    "title": "Huurachterstand mevrouw Jansen geb. 8 november '73",
    "answers": [
        "Fatima Yilmaz belde vanaf 06-12345678 en mailde f.yilmaz@example.nl",
        "BSN546111397, rekening NL86-ABNA-5405-8107-58 en ES91 2100 0418 4502 0005 1332 door de zoon",
        "woont op 3032VG140, geboren 17041979",
    ],
}
SECRETS = [
    b"Jansen",
    b"Yilmaz",
    b"06-12345678",
    b"example.nl",
    b"546111397",
    b"5405-8107",
    b"0418 4502",
    b"3032VG",
    b"17041979",
]


async def test_casus_titles_and_answers_reach_the_database_files_without_personal_data(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    thread = await _casus(slack, standin, PERSONAL["title"])
    for number, answer in enumerate(PERSONAL["answers"], start=1):
        await _reply(slack, "U2", answer, thread)
        await standin.wait_for("chat.postMessage", count=2 + number)  # the next question is the later event
    raw = _raw_files(app_context.settings.db_path)
    assert b"[BSN]" in raw  # the answers are there, redacted
    leaked = [secret for secret in SECRETS if secret in raw]
    assert leaked == []
    notices = await standin.wait_for("chat.postEphemeral", count=3)
    assert all(n.args["user"] == "U2" for n in notices)
    for call in standin.calls:
        if call.method in {"chat.postMessage", "files.upload", "files.completeUploadExternal"}:
            assert not [s for s in SECRETS if s.decode() in json.dumps(call.args)]


UNDETECTABLE = "Zonnebloemhof"  # a word redaction cannot know is personal: only erasure removes it


async def test_vergeet_removes_the_users_titles_and_answers_from_the_database_files(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    thread = await _casus(slack, standin, f"Huurachterstand {UNDETECTABLE}", user="U1")
    await _reply(slack, "U1", f"Zij woont boven de bakkerij aan het {UNDETECTABLE}plein", thread)
    await standin.wait_for("chat.postMessage", count=3)
    assert UNDETECTABLE.encode() in _raw_files(app_context.settings.db_path)
    await slack.click(ActionId.FORGET_CONFIRM, "ja", user="U1")
    await _wait_text(standin, "response_url", "Klaar")
    assert UNDETECTABLE.encode() not in _raw_files(app_context.settings.db_path)


async def test_privacy_purge_command_removes_titles_and_answers_from_the_database_files(
    slack: Slack, standin: StandIn, app_context: AppContext
) -> None:
    thread = await _casus(slack, standin, f"Schulden {UNDETECTABLE}", user="U7")
    await _reply(slack, "U7", f"Gesprek bij {UNDETECTABLE} gehad", thread)
    await standin.wait_for("chat.postMessage", count=3)
    db = app_context.settings.db_path
    assert UNDETECTABLE.encode() in _raw_files(db)
    result = run_maatwerk("privacy", "purge", "--user", "U7", db=db)
    assert result.returncode == 0, result.stderr
    assert UNDETECTABLE.encode() not in _raw_files(db)


MARKER = "zwaluwnest7319"  # lower case: an ordinary word to redaction, so it reaches the Web API


async def _stale(session: aiohttp.ClientSession, slack: Slack, body: str) -> int:
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, timestamp=int(time.time()) - 900)}
    async with session.post(f"{slack.url}/slack/events", data=body.encode(), headers=headers) as response:
        return response.status


async def test_no_message_text_reaches_the_log_at_debug(serve_process: ServeProcess, standin: StandIn) -> None:
    serve_process.env["MAATWERK_LOG_LEVEL"] = "DEBUG"
    await serve_process.start()
    async with aiohttp.ClientSession() as session:
        slack = Slack(serve_process.url, standin, session)
        assert await _stale(session, slack, slack.command_body(f"signaal mevrouw {MARKER} heeft schulden")) == 401
        await slack.command(f"signaal mevrouw {MARKER} heeft schulden", user="U1")
        [answer] = await standin.wait_for("response_url", within=15)
        await slack.click(ActionId.SHARE, _buttons(answer)[ActionId.SHARE], user="U1")
        await standin.wait_for("chat.postMessage", within=15)
        await slack.command(f"casus Huur {MARKER}", user="U1")
        posts = await standin.wait_for("chat.postMessage", count=3, within=15)
        await _reply(slack, "U1", f"Antwoord met {MARKER}", str(posts[2].args["thread_ts"]))
        await standin.wait_for("chat.postMessage", count=4, within=15)
    serve_process.kill()
    log = serve_process.log()
    assert "slack request rejected" in log  # the front rejected the stale request, logged as a code
    assert "slack_sdk" in log  # Web API calls were logged at DEBUG
    assert MARKER not in log.lower()
