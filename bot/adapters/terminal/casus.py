"""Casus and beleid dialogues in `maatwerk shell`: the current casus plays the role of the Slack thread.

Grammar (one line at a time):
  casus [--voor] <titel>   start a casus (Tijdens, Na; with --voor first Vóór); it becomes the current one
  beleid <onderwerp>       start a beleid dialogue over the Vragenkaart maatwerk for beleidsmakers
  <tekst>                  inside a casus, any line that is not a command answers the current question
  > <tekst>                always an answer, also when it starts with a command word
  overslaan | vorige | pauzeer | verder | afronden | klaar
                           (alone on the line, any case, with or without `/`) steer the current dialogue,
                           by the grammar in bot.core.steering that Slack thread replies use too
  verder <id>              make dialogue <id> the current one
  mijn                     (alone on the line) your open casussen and beleid dialogues
  vergeet, then vergeet ja remove all your answers (asks for confirmation first)
Inside a casus a command word counts only in lower case (or after `/maatwerk`), and `mijn`/`vergeet`
only alone, so "Beleid ontbreekt" and "mijn idee is …" are answers.
"""

from __future__ import annotations

import secrets
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.core import steering, texts
from bot.core.commands import ALIASES, NEEDS_TEXT, SUBCOMMANDS, Command
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
from bot.core.summary import local_date, to_markdown
from bot.services.casus import Action, CasusResult, CasusService
from bot.store.dialogues import DialogueExistsError, ThreadKey

if TYPE_CHECKING:
    from bot.adapters.terminal.shell import Session

CURRENT = "casus"
CONFIRM_FORGET = "vergeet-bevestigen"
ANSWER_PREFIX = ">"
WIDTH = 100
NO_CURRENT = (
    "Er is geen casus actief. Start er een met `casus <titel>` of `beleid <onderwerp>`, of kies er een met `mijn`."
)


def _now() -> datetime:
    return datetime.now(UTC)


def _service(session: Session) -> CasusService:
    return CasusService(session.context)


def _command_word(session: Session, line: str) -> tuple[str, str]:
    """The first word and the rest. Inside a casus a command must be typed in lower case (or after
    `/maatwerk`), so an answer such as "Beleid ontbreekt hier" stays an answer."""
    slash = line.startswith("/maatwerk")
    head, _, rest = line.removeprefix("/maatwerk").strip().partition(" ")
    in_dialogue = CURRENT in session.state and not slash
    return (head if in_dialogue else head.lower()), rest.strip()


def _is_command(word: str) -> bool:
    return word in SUBCOMMANDS or word in ALIASES or word in DIALOGUE_COMMANDS


def _fits(word: str, rest: str) -> bool:
    """Whether the arguments fit the dialogue command; `mijn idee is …` is an answer, not `mijn`."""
    if word == "mijn":
        return not rest
    if word == "vergeet":
        return rest.lower() in {"", "ja"}
    return True


def intercept(session: Session, line: str) -> str | None:
    """Handle casus commands and lines for the current dialogue; None lets the normal commands run."""
    if line.startswith(ANSWER_PREFIX):
        return _answer(session, line[len(ANSWER_PREFIX) :].strip())
    word, rest = _command_word(session, line)
    if word in DIALOGUE_COMMANDS and _fits(word, rest):
        return DIALOGUE_COMMANDS[word](session, Command(word, rest))
    action = steering.steering_action(line.removeprefix("/maatwerk"))
    if action == "verder":
        return _resume(session, "")
    if action is not None:
        return _act(session, action)
    if word == "verder" and len(rest.split()) == 1:
        return _resume(session, rest)
    if CURRENT in session.state and not (line.startswith("/maatwerk") or (_is_command(word) and _fits(word, rest))):
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
        return [texts.CASUS_TIMEOUT_NOTE.format(days=output.idle_days)]
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
        return NEEDS_TEXT[kind.value]  # beleid gets the beleid example, casus the casus one
    now = _now()
    key = ThreadKey(session.team, session.channel, f"shell-{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}")
    try:
        result = _service(session).start(key, kind, title, session.user, now, voor=voor)
    except DialogueExistsError:
        return "In deze draad loopt al een casus."
    session.state[CURRENT] = result.dialogue.id
    label = "Casus" if kind is DialogueKind.CASUS else "Beleid"
    intro = (
        f"{label} `{result.dialogue.id}` gestart: {result.dialogue.title}\n"
        "Typ je antwoord op een regel. Ook: overslaan, vorige, pauzeer, verder, afronden.\n"
        f"{texts.CASUS_PRIVACY_HINT}"
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
    service = _service(session)
    now = _now()
    service.sweep_timeouts(now)  # the shell has no background job; close stale dialogues here
    records = sorted(service.open_for(session.user, session.team), key=lambda r: r.started_at, reverse=True)
    closed = service.timed_out_for(session.user, session.team, now)
    lines = [f"Je open casussen en beleidsgesprekken ({len(records)}), nieuwste eerst:"] if records else []
    for record in records:
        marker = " (actief hier)" if session.state.get(CURRENT) == record.id else ""
        lines.append(
            f"  {record.id}  {record.title}  [{record.state.status.value}, vraag "
            f"{record.state.position + 1}/{len(record.state.questions)}] gestart {local_date(record.started_at)}"
            f"{marker}"
        )
    lines += ["Ga verder met `verder <id>`."] if records else [texts.MIJN_EMPTY]
    if closed:
        days = session.context.settings.dialogue_timeout_days
        lines += ["", texts.MIJN_TIMED_OUT_HEADING.format(days=days).strip("*") + ":"]
        lines += [f"  {r.id}  {r.title}  [gesloten {local_date(r.closed_at or r.started_at)}]" for r in closed]
        lines.append(texts.MIJN_TIMED_OUT_HOW)
    return "\n".join(lines)


def handle_vergeet(session: Session, command: Command) -> str:
    if command.text.strip().lower() != "ja":
        session.state[CONFIRM_FORGET] = "1"
        return (
            'Hiermee vervang ik al jouw antwoorden in alle casussen door "[verwijderd]". '
            "Dit kan niet ongedaan worden. Typ `vergeet ja` om te bevestigen."
        )
    if session.state.pop(CONFIRM_FORGET, None) is None:
        return "Typ eerst `vergeet`, dan vraag ik om bevestiging."
    count = _service(session).forget_user(session.user)
    return f'Klaar: {texts.count(count, "antwoord", "antwoorden")} van jou vervangen door "[verwijderd]".'


# The dialogue commands are handled here first, so they work whatever the shared parser lists.
DIALOGUE_COMMANDS: dict[str, Callable[[Session, Command], str]] = {
    "casus": handle_casus,
    "beleid": handle_beleid,
    "mijn": handle_mijn,
    "vergeet": handle_vergeet,
}
