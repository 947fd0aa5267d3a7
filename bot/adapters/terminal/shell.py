"""`maatwerk shell`: type `/maatwerk …` or just `signaal …`; one command per line when piped."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from bot.adapters.terminal import casus, render
from bot.core.commands import Command, parse
from bot.core.language import not_dutch_message
from bot.core.lessons import UnknownAudienceError, normalise_audience, pick_lesson
from bot.core.models import CARD_IDS
from bot.services.context import AppContext

PROMPT = "maatwerk> "
QUIT_WORDS = frozenset({"exit", "quit", "stop", "q"})


@dataclass
class Session:
    """Who is typing and where: the terminal plays one user in one channel."""

    context: AppContext
    user: str = "terminal"
    team: str = "T-terminal"
    channel: str = "terminal"
    state: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Session, Command], str]


def _help(session: Session, command: Command) -> str:
    return render.render_help(command.notice)


def _too_long(session: Session, command: Command) -> str:
    return command.notice


def _kaart(session: Session, command: Command) -> str:
    deck = session.context.deck
    name = command.text.strip().lower()
    if not name:
        return render.render_card_list([deck.card(card_id) for card_id in CARD_IDS])
    for card_id in CARD_IDS:
        if card_id == name or card_id.startswith(name):
            return render.render_card(deck.card(card_id))
    return f"De kaart `{name}` ken ik niet.\n" + render.render_card_list([deck.card(card_id) for card_id in CARD_IDS])


def _signaal(session: Session, command: Command) -> str:
    foreign = not_dutch_message(command.text, "signaal")
    return foreign or render.render_signals(session.context.index.signals(command.text))


def _argument(session: Session, command: Command) -> str:
    foreign = not_dutch_message(command.text, "argument")
    return foreign or render.render_arguments(session.context.index.arguments(command.text))


def _lessen(session: Session, command: Command) -> str:
    try:
        audience = normalise_audience(command.text)
    except UnknownAudienceError as error:
        return error.message
    return render.render_lesson(pick_lesson(session.context.deck, audience))


def _maatwerkplaats(session: Session, command: Command) -> str:
    return (
        "Wekelijkse lessen zet je aan in een Slack-kanaal met `/maatwerk maatwerkplaats aan [dag] [tijd] "
        "[doelgroep]`. Hier kun je de planning bekijken met `maatwerk maatwerkplaats plan --dag maandag "
        "--tijd 09:00`, of een les lezen met `lessen`."
    )


HANDLERS: dict[str, Handler] = {
    "help": _help,
    "lessen": _lessen,
    "maatwerkplaats": _maatwerkplaats,
    "te-lang": _too_long,
    "kaart": _kaart,
    "signaal": _signaal,
    "argument": _argument,
    "casus": casus.handle_casus,
    "beleid": casus.handle_beleid,
    "mijn": casus.handle_mijn,
    "vergeet": casus.handle_vergeet,
}


def handle_line(session: Session, line: str) -> str:
    in_dialogue = casus.intercept(session, line)  # answers and overslaan/vorige/… for the current casus
    if in_dialogue is not None:
        return in_dialogue
    command = parse(line)
    handler = HANDLERS.get(command.name)
    if handler is None:
        return f"`{command.name}` werkt nog niet in de terminal.\n" + render.render_help()
    return handler(session, command)


def _enable_history() -> None:
    try:
        import readline  # noqa: F401  (importing it gives input() history and line editing)
    except ImportError:
        return


def run_shell(context: AppContext, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    session = Session(context)
    interactive = stdin.isatty()
    if interactive:
        _enable_history()
        print(render.render_help("Welkom! Typ een commando, `help` voor uitleg of `exit` om te stoppen."))
    while True:
        try:
            line = input(PROMPT) if interactive else stdin.readline()
        except EOFError:
            break
        if not interactive and line == "":
            break
        line = line.strip()
        if not line:
            continue
        if line.lower() in QUIT_WORDS:
            break
        print(handle_line(session, line), file=stdout, flush=True)
        if not interactive:
            print(file=stdout)
    return 0
