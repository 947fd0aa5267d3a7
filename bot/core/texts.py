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
    ("casus <titel>", "Bespreek een casus met je team in een draad, vraag voor vraag met de Vragenkaart."),
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
COUNTERPARTS_NOTE = "Je woorden vonden alleen de andere kant; dit zijn argumenten uit hetzelfde thema."
NO_ARGUMENTS = (
    "Geen argumenten gevonden die duidelijk bij dit onderwerp passen. Probeer andere woorden, "
    "of bekijk de hele kaart met `kaart argumenten`."
)
DENKHULP_FOOTER = "Denkhulp, geen afvinklijst: de kaarten wegen niets en adviseren geen besluit."
CASUS_NEEDS_TITLE = "Geef de casus een titel, bijvoorbeeld: `casus Huurachterstand mevrouw J.`."
CASUS_PRIVACY_HINT = (
    "Zet geen namen, BSN, adressen of andere gegevens in de draad waaraan iemand te herkennen is; "
    "herkenbare gegevens vervang ik voordat ik iets opsla."
)
CASUS_TIMEOUT_NOTE = (
    "Deze casus is gesloten omdat er {days} dagen niets is gebeurd. Hieronder staat wat er tot nu toe is "
    "besproken; start een nieuwe casus als je verder wilt."
)
