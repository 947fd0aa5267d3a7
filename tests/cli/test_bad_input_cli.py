"""Every wrong input on the command line gets a Dutch message, a non-zero exit and no traceback."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.cli.parser import dutch_messages
from bot.core.schedule import ChannelSchedule
from bot.services.context import AppContext
from bot.settings import Settings
from bot.store import schedules
from tests.process import REPO, run_maatwerk

ENGLISH = ("Traceback", "usage:", "error:", "invalid", "required", "choose from", "arguments", "expected")

# (args, extra environment, a fragment the Dutch message must contain). In args and environment,
# {tmp} is a fresh directory, {db} a database there, {latin1} a file that is not UTF-8, and
# {dead} a Slack Web API address where nothing answers.
CASES: list[tuple[tuple[str, ...], dict[str, str], str]] = [
    ((), {}, "dit ontbreekt nog: COMMANDO"),
    (("onbekend",), {}, "'onbekend' ken ik niet"),
    (("kaart", "onbekend"), {}, "'onbekend' ken ik niet; kies uit 'signalen'"),
    (("kaart", "signalen", "--jsn"), {}, "dit ken ik niet: --jsn"),
    (("kaarten",), {}, "dit ontbreekt nog"),
    (("signaal", "schulden", "--top", "abc"), {}, "'abc' is geen heel getal"),
    (("argument", "huur", "--top", "0"), {}, "0 is te klein"),
    (("signaal", "schulden", "--top"), {}, "hier hoort een waarde achter"),
    (("signaal",), {}, "Geef een tekst mee"),
    (("signaal", "--batch", "missing.txt"), {}, "'missing.txt' bestaat niet"),
    (("signaal", "--batch", "{tmp}"), {}, "is een map"),
    (("argument", "--batch", "{latin1}"), {}, "geen UTF-8"),
    (("export",), {}, "dit ontbreekt nog: ID"),
    (("export", "c0ffee0", "--format", "pdf"), {}, "'pdf' ken ik niet"),
    (("export", "c0ffee0"), {"MAATWERK_DB": "{db}"}, "met id c0ffee0 ken ik niet"),
    (("privacy",), {}, "dit ontbreekt nog"),
    (("privacy", "purge"), {}, "dit ontbreekt nog: --user"),
    (("privacy", "retentie"), {"MAATWERK_RETENTION_DAYS": "abc", "MAATWERK_DB": "{db}"}, "MAATWERK_RETENTION_DAYS"),
    (("privacy", "retentie"), {"MAATWERK_RETENTION_DAYS": "0", "MAATWERK_DB": "{db}"}, "van 1 of meer (dagen)"),
    (("maatwerkplaats", "plan"), {"MAATWERK_TZ": "Mars/Olympus"}, "MAATWERK_TZ='Mars/Olympus' klopt niet"),
    (("maatwerkplaats", "plan", "--dag", "zaterdag"), {}, "werkdag"),
    (("maatwerkplaats", "plan", "--vanaf", "morgen"), {}, "JJJJ-MM-DD"),
    (("maatwerkplaats", "plan", "--weken", "-1"), {}, "te klein"),
    (("maatwerkplaats", "tick", "--now", "gisteren"), {}, "'gisteren' is geen tijdstip"),
    (("maatwerkplaats", "tick", "--now", "2027-03-22T09:05:00"), {}, "geen tijdzone"),
    (
        ("maatwerkplaats", "tick", "--now", "2027-03-22T09:05:00+01:00"),
        {"SLACK_API_URL": "{dead}", "MAATWERK_DB": "{db}"},
        "Slack gaf geen (tijdig) antwoord",
    ),
    (("maatwerkplaats", "tick"), {"SLACK_API_URL": "ftp://slack.com/api/"}, "SLACK_API_URL"),
    (("serve", "--port", "99999"), {}, "99999 is geen poortnummer"),
    (("serve",), {"MAATWERK_LOG_LEVEL": "praten"}, "MAATWERK_LOG_LEVEL"),
    (("serve",), {"SLACK_BOT_TOKEN": "", "SLACK_SIGNING_SECRET": ""}, "Zet eerst SLACK_BOT_TOKEN"),
    (("shell",), {"MAATWERK_DB": "/nonexistent/dir/x.db"}, "Controleer MAATWERK_DB"),
    (("export", "c0ffee0"), {"MAATWERK_DB": "{tmp}"}, "Controleer MAATWERK_DB"),
    (("export", "c0ffee0"), {"MAATWERK_DB": "{latin1}"}, "Controleer MAATWERK_DB"),
    (("kaart", "signalen"), {"MAATWERK_CONTENT": "{tmp}"}, "bestand ontbreekt"),
    (("shell",), {"MAATWERK_DIALOGUE_TIMEOUT_DAYS": "twee weken"}, "MAATWERK_DIALOGUE_TIMEOUT_DAYS"),
    (("serve",), {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s"}, "MAATWERK_TOKEN_KEY klopt niet"),
    (("serve",), {"MAATWERK_TOKEN_KEY": "geheim-maar-geen-sleutel"}, "De instelling MAATWERK_TOKEN_KEY klopt niet"),
]


def _dead_port() -> int:
    """A local port nobody listens on: connecting is refused straight away."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fill(value: str, tmp: Path) -> str:
    latin1 = tmp / "latin1.txt"
    latin1.write_bytes("café met schulden\n".encode("latin-1"))
    return (
        value.replace("{tmp}", str(tmp))
        .replace("{db}", str(tmp / "m.db"))
        .replace("{latin1}", str(latin1))
        .replace("{dead}", f"http://127.0.0.1:{_dead_port()}/api/")
    )


def _due_lesson(db: Path) -> None:
    """A channel with the weekly lesson switched on, due at Monday 22 March 2027 09:00."""
    context = AppContext.create(Settings(MAATWERK_DB=db))
    try:
        schedule = ChannelSchedule(team="T1", channel="C1", audience="iedereen")
        schedules.save_schedule(context.store, schedule, "UADMIN", datetime(2027, 3, 1, tzinfo=UTC))
    finally:
        context.close()


@pytest.mark.parametrize(("args", "env", "fragment"), CASES, ids=[" ".join(c[0]) + str(list(c[1])) for c in CASES])
def test_bad_input_gets_a_dutch_message_and_no_traceback(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], fragment: str
) -> None:
    environment = {"MAATWERK_DB": str(tmp_path / "m.db"), **{k: _fill(v, tmp_path) for k, v in env.items()}}
    if "{dead}" in env.get("SLACK_API_URL", ""):
        _due_lesson(Path(environment["MAATWERK_DB"]))
    result = run_maatwerk(*(_fill(a, tmp_path) for a in args), env=environment, stdin="")
    assert result.returncode != 0
    assert fragment in result.stderr
    for english in ENGLISH:
        assert english not in result.stderr, result.stderr


def _all_parsers() -> list[tuple[str, object]]:
    import argparse

    found: list[tuple[str, object]] = []
    pending = [build_parser()]
    while pending:
        parser = pending.pop()
        found.append((parser.prog, parser))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                pending += list(action.choices.values())
    return found


def test_help_of_every_command_is_dutch() -> None:
    with dutch_messages():
        helps = {prog: parser.format_help() for prog, parser in _all_parsers()}  # type: ignore[attr-defined]
    assert len(helps) >= 14
    for prog, text in helps.items():
        assert text.startswith("gebruik: "), prog
        for english in ("usage", "positional arguments", "options:", "show this help", "default"):
            assert english not in text, (prog, text)
    result = run_maatwerk("kaart", "-h")
    assert result.returncode == 0
    assert "toon deze uitleg en stop" in result.stdout


def test_output_into_a_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    texts = tmp_path / "veel.txt"
    texts.write_text("mevrouw heeft schulden en kan de huur niet betalen\n" * 400, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "signaal", "--batch", str(texts)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()  # like `| head -1`: read one line, then stop reading
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert first.startswith(b"[")
    assert errors == ""
