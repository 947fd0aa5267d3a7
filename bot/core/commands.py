"""Parse the text of `/maatwerk …` into a typed command; shared by Slack and the terminal.

Pure: no I/O. Unknown or empty input becomes `help` with a Dutch notice, text over the limit is
refused before anything else looks at it.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_TEXT_LENGTH = 4000

SUBCOMMANDS: tuple[str, ...] = (
    "help",
    "signaal",
    "argument",
    "kaart",
    "lessen",
    "casus",
    "beleid",
    "mijn",
    "vergeet",
    "maatwerkplaats",
)
ALIASES: dict[str, str] = {
    "hulp": "help",
    "?": "help",
    "signalen": "signaal",
    "argumenten": "argument",
    "kaarten": "kaart",
    "les": "lessen",
}
NEEDS_TEXT: dict[str, str] = {
    "casus": "Geef de casus een titel na `casus`, bijvoorbeeld: `casus Huurachterstand gezin met drie kinderen`.",
    "beleid": "Noem het beleidsonderwerp na `beleid`, bijvoorbeeld: `beleid kwijtschelding`.",
    "signaal": "Beschrijf de situatie na `signaal`, bijvoorbeeld: `signaal mevrouw heeft grote schulden`.",
    "argument": "Noem een onderwerp na `argument`, bijvoorbeeld: `argument hardheidsclausule`.",
}


@dataclass(frozen=True)
class Command:
    name: str
    text: str = ""
    notice: str = ""

    @property
    def words(self) -> list[str]:
        return self.text.split()


def too_long_message(length: int) -> str:
    return (
        f"Je tekst is {length} tekens lang; de grens is {MAX_TEXT_LENGTH}. "
        "Maak hem korter, bijvoorbeeld door alleen de kern van de situatie te beschrijven."
    )


def parse(raw: str) -> Command:
    """Turn '/maatwerk signaal …' (or 'signaal …') into a Command; never raises."""
    text = raw.strip()
    if len(text) > MAX_TEXT_LENGTH:
        return Command("te-lang", notice=too_long_message(len(text)))
    if text.startswith("/maatwerk"):
        text = text[len("/maatwerk") :].strip()
    if not text:
        return Command("help")
    head, _, rest = text.partition(" ")
    name = ALIASES.get(head.lower(), head.lower())
    rest = rest.strip()
    if name not in SUBCOMMANDS:
        return Command("help", notice=f"Het commando `{head}` ken ik niet. Dit kun je wel doen:")
    if name in NEEDS_TEXT and not rest:
        return Command("help", notice=NEEDS_TEXT[name])
    return Command(name, rest)
