"""The labelled personal-data corpus: generated variants per category plus ordinary sentences.

Numbers are generated valid (BSN by the 11-proef, IBAN with stdnum's check digits, phone numbers that
phonenumbers calls valid), from a fixed seed, so the corpus is the same on every run. A numeric case
passes when the redacted text equals the sentence with the kind's placeholder in place of the value: no
digit may leak and no other word may go. A name case passes when no part of the name is left.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from stdnum import iban as stdnum_iban

from bot.core.privacy import PLACEHOLDER

HERE = Path(__file__).resolve().parent
SEED = 13


@dataclass(frozen=True)
class Case:
    category: str
    text: str
    value: str
    expected: str  # the exact redacted text ('' for names: checked by their parts)


def _lines(name: str) -> list[str]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def ordinary_sentences() -> list[str]:
    return _lines("ordinary.txt")


def _case(category: str, kind: str, template: str, value: str) -> Case:
    return Case(category, template.format(value), value, template.format(PLACEHOLDER[kind]))


def _valid_bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        if digits[0] == 0:
            continue
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last <= 9:
            return "".join(map(str, digits)) + str(last)


def bsn_cases(rng: random.Random) -> list[Case]:
    formats = [
        lambda b: b,
        lambda b: f"{b[:3]} {b[3:6]} {b[6:]}",
        lambda b: f"{b[:3]}.{b[3:6]}.{b[6:]}",
        lambda b: f"{b[:3]}-{b[3:6]}-{b[6:]}",
        lambda b: f"{b[:4]}.{b[4:6]}.{b[6:]}",
        lambda b: f"{b[:4]} {b[4:6]} {b[6:]}",
        lambda b: f"{b[:2]} {b[2:4]} {b[4:6]} {b[6:]}",
        lambda b: f"{b[:3]}/{b[3:6]}/{b[6:]}",
    ]
    templates = [
        "BSN {} bekend bij ons",
        "bsn: {}, zie dossier",
        "burgerservicenummer {} klopt niet",
        "Haar BSN is {}.",
        "BSN{} (nieuw)",
        "bsn{}",
        "sofinummer {} van meneer",
        "nummer {} gecontroleerd",
        "({})",
        "BSN:{} opgevraagd",
    ]
    cases = []
    for index, template in enumerate(templates):
        for offset in range(5):
            fmt = formats[(index + offset) % len(formats)]
            cases.append(_case("BSN", "BSN", template, fmt(_valid_bsn(rng))))
    return cases


_IBAN_COUNTRIES = {
    "NL": lambda r: "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + _digits(r, 10),
    "BE": lambda r: _digits(r, 12),
    "DE": lambda r: _digits(r, 18),
    "FR": lambda r: _digits(r, 23),
    "ES": lambda r: _digits(r, 20),
    "GB": lambda r: "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + _digits(r, 14),
    "PL": lambda r: _digits(r, 24),
    "TR": lambda r: _digits(r, 6) + "0" + _digits(r, 15),
}


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def _valid_iban(rng: random.Random, country: str) -> str:
    while True:
        bban = _IBAN_COUNTRIES[country](rng)
        number = country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban
        if stdnum_iban.is_valid(number):
            return number


def _groups(number: str, separator: str) -> str:
    return separator.join(number[i : i + 4] for i in range(0, len(number), 4))


def iban_cases(rng: random.Random) -> list[Case]:
    formats = [
        lambda n: n,
        lambda n: _groups(n, " "),
        lambda n: _groups(n, "."),
        lambda n: _groups(n, "-"),
        lambda n: _groups(n, " ").lower(),
        lambda n: n.lower(),
    ]
    templates = ["rekening {} door de bewindvoerder", "IBAN: {}", "maak over naar {} graag", "op {}. Dank"]
    cases = []
    for country in _IBAN_COUNTRIES:
        for fmt_index, fmt in enumerate(formats):
            template = templates[(fmt_index + len(cases)) % len(templates)]
            cases.append(_case("IBAN", "IBAN", template, fmt(_valid_iban(rng, country))))
    return cases


def email_cases(rng: random.Random) -> list[Case]:
    locals_ = ["j.jansen", "fatima.yilmaz", "m_elamrani", "anna+gemeente", "P.vandenBerg", "kees1974", "els-visser"]
    domains = [
        "example.nl",
        "mail.example.com",
        "gemeente-example.nl",
        "example.co.uk",
        "EXAMPLE.NL",
        "hotmail.example",
    ]
    templates = ["mail naar {} graag", "e-mail: {}", "<{}>", "haar adres is {}.", "({})", "stuur het {} door"]
    cases = []
    for index in range(42):
        value = f"{locals_[index % len(locals_)]}@{domains[index % len(domains)]}"
        cases.append(_case("e-mail", "e-mailadres", templates[index % len(templates)], value))
    return cases


def _phone_formats(rng: random.Random) -> list[str]:
    mobile = "6" + str(rng.randint(1, 5)) + _digits(rng, 7)
    m = mobile[1:]
    area2 = rng.choice(["20", "10", "70", "30", "40", "50"])
    land = area2 + str(rng.randint(2, 9)) + _digits(rng, 6)
    l7 = land[2:]
    area3 = rng.choice(["592", "513", "475", "341", "299"])
    rest6 = str(rng.randint(2, 9)) + _digits(rng, 5)
    return [
        f"0{mobile}",
        f"06-{m}",
        f"06 {m}",
        f"06 {m[:4]} {m[4:]}",
        f"06-{m[:4]} {m[4:]}",
        f"06 {m[:2]} {m[2:4]} {m[4:6]} {m[6:]}",
        f"+31{mobile}",
        f"+31 6 {m}",
        f"+31 (0)6 {m}",
        f"0031{mobile}",
        f"0031 6 {m[:4]} {m[4:]}",
        f"06.{m[:2]}.{m[2:4]}.{m[4:6]}.{m[6:]}",
        f"0{area2}-{l7}",
        f"0{area2} {l7[:3]} {l7[3:]}",
        f"(0{area2}) {l7[:3]} {l7[3:5]} {l7[5:]}",
        f"0{land}",
        f"+31 {area2} {l7[:3]} {l7[3:]}",
        f"0031 {area2} {l7[:3]} {l7[3:5]} {l7[5:]}",
        f"0{area3}-{rest6}",
        f"(0{area3}) {rest6[:2]} {rest6[2:4]} {rest6[4:]}",
        f"0{area3} {rest6}",
    ]


def phone_cases(rng: random.Random) -> list[Case]:
    templates = ["bel {} na vijven", "tel. {}", "bereikbaar op {}.", "nummer: {} (mobiel)"]
    cases = []
    for round_ in range(2):
        for index, value in enumerate(_phone_formats(rng)):
            parsed = phonenumbers.parse(value, "NL")
            assert phonenumbers.is_valid_number(parsed), value
            cases.append(_case("telefoon", "telefoonnummer", templates[(index + round_) % len(templates)], value))
    return cases


def _postcode(rng: random.Random) -> tuple[str, str]:
    letters = "ABCEGHJKLMNPRTVWXZ"
    return str(rng.randint(1000, 9999)), rng.choice(letters) + rng.choice(letters)


def postcode_cases(rng: random.Random) -> list[Case]:
    formats = [
        lambda d, le, n: f"{d} {le} {n}",
        lambda d, le, n: f"{d}{le} {n}",
        lambda d, le, n: f"{d}{le}{n}",
        lambda d, le, n: f"{d} {le.lower()} {n}",
        lambda d, le, n: f"{d}{le.lower()} {n}",
        lambda d, le, n: f"{d}-{le} {n}",
        lambda d, le, n: f"{d} {le}, {n}",
        lambda d, le, n: f"{d} {le} nr. {n}",
        lambda d, le, n: f"{d} {le} {n}a",
        lambda d, le, n: f"{d} {le.lower()} {n}b",
        lambda d, le, n: f"{d}{le} {n}-A",
        lambda d, le, n: f"{d} {le}",
        lambda d, le, n: f"{d}{le}",
        lambda d, le, n: f"{d}{le.lower()}",
        lambda d, le, n: f"{n}, {d} {le}",
    ]
    templates = ["woont op {} sinds kort", "adres: {}", "verhuisd naar {}.", "post naar {} sturen"]
    cases = []
    for round_ in range(3):
        for index, fmt in enumerate(formats):
            digits, letters = _postcode(rng)
            value = fmt(digits, letters, rng.randint(1, 250))
            cases.append(_case("postcode", "postcode en huisnummer", templates[(index + round_) % 4], value))
    return cases


def birth_date_cases(rng: random.Random) -> list[Case]:
    months = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ]
    short = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    cues = [
        "geboren op {}",
        "geb. {}",
        "geb {}",
        "geboortedatum: {}",
        "geboortedatum {}",
        "geb.datum {}",
        "zij is geboren {}",
        "(geb. {})",
    ]
    cases = []
    for index in range(48):
        year = rng.randint(1940, 2022)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        forms = [
            f"{day:02d}-{month:02d}-{year}",
            f"{day}-{month}-{year}",
            f"{day}/{month}/{year}",
            f"{day:02d}.{month:02d}.{year}",
            f"{day:02d}-{month:02d}-{year % 100:02d}",
            f"{day}/{month}/{year % 100:02d}",
            f"{day} {months[month - 1]} {year}",
            f"{day} {months[month - 1]} '{year % 100:02d}",
            f"{day} {short[month - 1]}. {year}",
            f"{day:02d}{month:02d}{year}",
            f"{year}-{month:02d}-{day:02d}",
            f"{day} {months[month - 1].capitalize()} {year}",
        ]
        value = forms[index % len(forms)]
        template = cues[index % len(cues)] + (", woont alleen" if index % 3 == 0 else "")
        cases.append(_case("geboortedatum", "geboortedatum", template, value))
    return cases


def name_cases(rng: random.Random) -> list[Case]:
    people = [tuple(part.strip() for part in line.split("|")) for line in _lines("names.txt")]
    forms = [
        lambda f, s: f"mevrouw {_cap(s)}",
        lambda f, s: f"meneer {_cap(s)}",
        lambda f, s: f"dhr. {_cap(s)}",
        lambda f, s: f"mw. {_cap(s)}",
        lambda f, s: f"de heer {_cap(s)}",
        lambda f, s: f"{f} {s}",
        lambda f, s: f"{f[0]}. {s}",
        lambda f, s: f"{f} {_cap(s)}",
        lambda f, s: f"mevrouw {f[0]}. {s}",
        lambda f, s: f"Mw. {f[0]}.{s[-1].upper()}. {s}",
        lambda f, s: f"dhr. {s}-Bakker",
        lambda f, s: f"familie {s}",
        lambda f, s: f"{f}",
    ]
    templates = [
        "{} heeft schulden",
        "Gesprek met {} over de huur.",
        "Volgens {} klopt de brief niet.",
        "Vandaag belde {} terug",
    ]
    cases = []
    for index, (first, surname) in enumerate(people):
        for round_ in range(3):
            value = forms[(index * 3 + round_) % len(forms)](first, surname)
            template = templates[(index + round_) % len(templates)]
            cases.append(Case("naam", template.format(value), value, ""))
    return cases


def _cap(surname: str) -> str:
    """A surname after a title keeps its tussenvoegsel in lower case, as in 'mevrouw de Vries'."""
    return surname


def name_leaked(case: Case, redacted: str) -> bool:
    titles = {"mevrouw", "meneer", "dhr", "mw", "de", "heer", "van", "den", "der", "el", "familie"}
    parts = [p.strip(".") for p in case.value.split() if p.strip(".").lower() not in titles]
    return any(part in redacted.split() or f"{part}." in redacted for part in parts if len(part) > 1) or any(
        part in redacted for part in parts if len(part) > 3
    )


def all_cases() -> list[Case]:
    rng = random.Random(SEED)
    return [
        *bsn_cases(rng),
        *iban_cases(rng),
        *email_cases(rng),
        *phone_cases(rng),
        *postcode_cases(rng),
        *birth_date_cases(rng),
        *name_cases(rng),
    ]
