"""Dutch texts the user reads that are not card content: help, notices."""

from __future__ import annotations

HELP_TITLE = "maatwerk: denkhulp bij maatwerk"
HELP_INTRO = (
    "Ik help je helder te denken over maatwerk met de kaarten uit 'Helder denken over maatwerk' "
    "(De Argumentenfabriek / ICTU, 2022). De kaarten zijn een denkhulp, geen afvinklijst, "
    "en ik geef nooit advies over een besluit."
)
HELP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("signaal <tekst>", "Beschrijf een situatie in je eigen woorden; ik zoek signalen dat maatwerk nodig kan zijn."),
    ("argument <onderwerp>", "Argumenten voor en tegen maatwerk naast elkaar, zonder weging."),
    ("kaart [naam]", "Bekijk de kaarten, of één kaart helemaal."),
    ("lessen [doelgroep]", "Een les uit de Lessenkaart (beleidsmakers, bestuurders of uitvoerders)."),
    ("casus <titel>", "Bespreek een casus met je team in een draad, vraag voor vraag met de Vragenkaart uitvoerders."),
    ("casus --voor <titel>", "Hetzelfde, maar begin met de vragen van vóór de casus."),
    ("beleid <onderwerp>", "Loop de Vragenkaart maatwerk voor beleidsmakers door, stap voor stap."),
    ("mijn", "Je open casussen en beleidsgesprekken."),
    ("vergeet", "Vervang al jouw antwoorden door [verwijderd] (ik vraag eerst om bevestiging)."),
    ("maatwerkplaats aan [dag] [tijd] [doelgroep]", "Elke week een les uit de Lessenkaart in dit kanaal."),
    ("maatwerkplaats uit | status", "Zet de wekelijkse les uit, of bekijk wanneer de volgende komt."),
    ("maatwerkplaats digest aan | uit", "Elke maand een anoniem overzicht van de casussen in dit kanaal."),
)
HELP_EXAMPLES: tuple[str, ...] = (
    "/maatwerk signaal mevrouw kan de huur niet betalen sinds haar man overleed",
    "/maatwerk argument hardheidsclausule",
    "/maatwerk kaart signalen",
)
NO_SIGNALS = (
    "Geen duidelijk signaal gevonden in je tekst. Beschrijf de situatie van de inwoner wat uitgebreider, "
    "of bekijk de hele kaart met `kaart signalen`."
)
COUNTERPARTS_NOTE = (
    "Je woorden passen bij argumenten aan één kant. Zodat je ook de andere kant ziet, staan daar de "
    "argumenten uit hetzelfde thema."
)
COUNTERPART_MARK = "uit hetzelfde thema, niet door je woorden gevonden"
CLOSEST_THEMES_NOTE = (
    "Geen argument past precies bij je woorden. Dit zijn de dichtstbijzijnde thema's, met voor en tegen."
)
NO_SIDE = "geen argument aan deze kant in dit thema"
NO_ARGUMENTS = (
    "Geen argumenten gevonden die duidelijk bij dit onderwerp passen. Probeer andere woorden, "
    "of bekijk de hele kaart met `kaart argumenten`."
)
DENKHULP_FOOTER = "Denkhulp, geen afvinklijst: de kaarten wegen niets en adviseren geen besluit."
CASUS_NEEDS_TITLE = "Geef de casus een titel, bijvoorbeeld: `casus Huurachterstand gezin met drie kinderen`."
CASUS_PRIVACY_HINT = (
    "Zet geen namen, BSN, adressen of andere gegevens waaraan iemand te herkennen is in de titel of je "
    "antwoorden; herkenbare gegevens vervang ik voordat ik iets opsla."
)
MIJN_EMPTY = "Je hebt geen open casussen of beleidsgesprekken."
MIJN_TIMED_OUT_HEADING = "*Gesloten omdat er {days} dagen niets gebeurde*"
MIJN_TIMED_OUT_HOW = (
    "De samenvatting en het verslag staan in de draad van de casus; exporteren kan met `maatwerk export <id>`. "
    "Een gesloten casus gaat niet meer open: start een nieuwe casus om verder te praten."
)
CASUS_TIMEOUT_NOTE = (
    "Deze casus is gesloten omdat er {days} dagen niets is gebeurd. Hieronder staat wat er tot nu toe is "
    "besproken; start een nieuwe casus als je verder wilt."
)


def count(number: int, singular: str, plural: str) -> str:
    """'1 antwoord', '3 antwoorden': the number with the right form, instead of 'antwoord(en)'."""
    return f"{number} {singular if number == 1 else plural}"
