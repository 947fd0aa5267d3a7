"""Casus and beleid dialogues in `maatwerk shell`: the current casus plays the role of the Slack thread.

Grammar (one line at a time):
  casus [--voor] <titel>   start a casus (Tijdens, Na; with --voor first Vóór); it becomes the current one
  beleid <onderwerp>       start a beleid dialogue over the Vragenkaart maatwerk for beleidsmakers
  <tekst>                  any line that is not a command answers the current question
  > <tekst>                always an answer, also when it starts with a command word
  overslaan | vorige | pauzeer | afronden   act on the current dialogue
  verder [<id>]            resume the current (or the given) dialogue and make it current
  mijn                     your open dialogues
  vergeet / vergeet ja     remove all your answers (asks for confirmation first)
"""

from __future__ import annotations

import secrets
import textwrap
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.core.commands import ALIASES, SUBCOMMANDS, Command
from bot.core.dialogue import (
    Asked,
    DialogueKind,
    Finished,
    Output,
    Paused,
    Recorded,
    Resumed,
    Skipped,
    Status,
    TimedOut,
)
from bot.core.summary import to_markdown
from bot.services.casus import Action, CasusResult, CasusService
from bot.store.dialogues import DialogueExistsError, ThreadKey

if TYPE_CHECKING:
    from bot.adapters.terminal.shell import Session

CURRENT = "casus"
CONFIRM_FORGET = "vergeet-bevestigen"
CONTROL_WORDS: frozenset[str] = frozenset({"overslaan", "vorige", "pauzeer", "afronden"})
ANSWER_PREFIX = ">"
WIDTH = 100
NO_CURRENT = (
    "Er is geen casus actief. Start er een met `casus <titel>` of `beleid <onderwerp>`, of kies er een met `mijn`."
)


def _now() -> datetime:
    return datetime.now(UTC)


def _service(session: Session) -> CasusService:
    return CasusService(session.context)


def _is_command(line: str) -> bool:
    head = line.split(maxsplit=1)[0].lower() if line.split() else ""
    return line.startswith("/maatwerk") or head in SUBCOMMANDS or head in ALIASES


def intercept(session: Session, line: str) -> str | None:
    """Handle a line that belongs to the current dialogue; None lets the normal commands run."""
    head, _, rest = line.partition(" ")
    word = head.lower()
    if word in CONTROL_WORDS and not rest.strip():
        return _act(session, word)  # type: ignore[arg-type]
    if word == "verder":
        return _resume(session, rest.strip())
    if line.startswith(ANSWER_PREFIX):
        return _answer(session, line[len(ANSWER_PREFIX) :].strip())
    if CURRENT in session.state and not _is_command(line):
        return _answer(session, line)
    return None


def _render_question(asked: Asked) -> list[str]:
    item = asked.question
    lines = ["", f"[{item.section}] {item.groep}"] if asked.new_group else [""]
    lines.append(textwrap.fill(f"Vraag {asked.number}/{asked.total} ({item.id}): {item.tekst}", WIDTH))
    return lines


def _render_output(output: Output) -> list[str]:
    if isinstance(output, Asked):
        return _render_question(output)
    if isinstance(output, Recorded):
        return [f"Antwoord bij {output.question_id} opgeslagen."]
    if isinstance(output, Skipped):
        return [f"Vraag {output.question_id} overgeslagen."]
    if isinstance(output, Paused):
        return ["Gepauzeerd. Typ `verder` om door te gaan (of `mijn` om je open casussen te zien)."]
    if isinstance(output, Resumed):
        return ["We gaan verder."]
    if isinstance(output, Finished):
        return ["Afgerond." if output.complete else "Afgerond op verzoek."]
    if isinstance(output, TimedOut):
        return [f"Gesloten na {output.idle_days} dagen zonder activiteit."]
    return [output.reason]


def render_result(session: Session, result: CasusResult) -> str:
    lines: list[str] = []
    if result.notice:
        lines += [f"(alleen voor jou) {result.notice}", ""]
    for output in result.outputs:
        lines += _render_output(output)
    if result.summary is not None:
        session.state.pop(CURRENT, None)
        lines += ["", "Samenvatting:", "", to_markdown(result.summary)]
    return "\n".join(lines).strip("\n")


def _start(session: Session, command: Command, kind: DialogueKind) -> str:
    text = command.text.strip()
    voor = kind is DialogueKind.CASUS and text.startswith("--voor")
    title = text.removeprefix("--voor").strip() if voor else text
    if not title:
        return "Geef een titel mee, bijvoorbeeld: `casus Huurachterstand mevrouw J.`."
    now = _now()
    key = ThreadKey(session.team, session.channel, f"shell-{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}")
    try:
        result = _service(session).start(key, kind, title, session.user, now, voor=voor)
    except DialogueExistsError:
        return "In deze draad loopt al een dialoog."
    session.state[CURRENT] = result.dialogue.id
    label = "Casus" if kind is DialogueKind.CASUS else "Beleid"
    intro = (
        f"{label} `{result.dialogue.id}` gestart: {result.dialogue.title}\n"
        "Typ je antwoord op een regel. Ook: overslaan, vorige, pauzeer, verder, afronden."
    )
    return intro + "\n" + render_result(session, result)


def handle_casus(session: Session, command: Command) -> str:
    return _start(session, command, DialogueKind.CASUS)


def handle_beleid(session: Session, command: Command) -> str:
    return _start(session, command, DialogueKind.BELEID)


def _answer(session: Session, text: str) -> str:
    dialogue_id = session.state.get(CURRENT)
    if dialogue_id is None:
        return NO_CURRENT
    record = _service(session).get(dialogue_id)
    if record is None:
        session.state.pop(CURRENT, None)
        return NO_CURRENT
    result = _service(session).answer(record.key, session.user, text, _now())
    return NO_CURRENT if result is None else render_result(session, result)


def _act(session: Session, action: Action) -> str:
    dialogue_id = session.state.get(CURRENT)
    if dialogue_id is None:
        return NO_CURRENT
    result = _service(session).act(dialogue_id, action, session.user, _now())
    return NO_CURRENT if result is None else render_result(session, result)


def _resume(session: Session, dialogue_id: str) -> str:
    if dialogue_id:
        service = _service(session)
        record = service.get(dialogue_id)
        if record is None or record.state.status.closed:
            return f"Een open casus `{dialogue_id}` ken ik niet. Typ `mijn` voor je open casussen."
        session.state[CURRENT] = dialogue_id
        if record.state.status is not Status.PAUSED and record.state.current is not None:
            item = session.context.deck.item(record.state.current)
            return f"Casus `{dialogue_id}` is nu de actieve casus. Open vraag ({item.id}): {item.tekst}"
    return _act(session, "verder")


def handle_mijn(session: Session, command: Command) -> str:
    records = _service(session).open_for(session.user, session.team)
    if not records:
        return "Je hebt geen open casussen."
    lines = ["Je open casussen en beleidsdialogen:"]
    for record in records:
        marker = " (actief hier)" if session.state.get(CURRENT) == record.id else ""
        lines.append(
            f"  {record.id}  {record.title}  [{record.state.status.value}, vraag "
            f"{record.state.position + 1}/{len(record.state.questions)}]{marker}"
        )
    lines.append("Ga verder met `verder <id>`.")
    return "\n".join(lines)


def handle_vergeet(session: Session, command: Command) -> str:
    if command.text.strip().lower() != "ja":
        session.state[CONFIRM_FORGET] = "1"
        return (
            "Hiermee vervang ik al jouw antwoorden in alle casussen door \"[verwijderd]\". "
            "Dit kan niet ongedaan worden. Typ `vergeet ja` om te bevestigen."
        )
    if session.state.pop(CONFIRM_FORGET, None) is None:
        return "Typ eerst `vergeet`, dan vraag ik om bevestiging."
    count = _service(session).forget_user(session.user)
    return f"Klaar: {count} antwoord(en) van jou vervangen door \"[verwijderd]\"."
