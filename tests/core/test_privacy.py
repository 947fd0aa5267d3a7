"""Redaction of personal data before anything is stored."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import date

import pytest

from bot.core.privacy import MAX_CHUNK, notice, redact

TODAY = date(2026, 11, 24)


def test_valid_bsn_iban_and_email_are_replaced_with_dutch_labels() -> None:
    result = redact("BSN 111222333, rekening NL91ABNA0417164300, mail j.jansen@example.nl", TODAY)
    assert result.text == "BSN [BSN], rekening [IBAN], mail [e-mailadres]"
    assert set(result.kinds) == {"BSN", "IBAN", "e-mailadres"}


def test_number_failing_the_elfproef_is_not_a_bsn() -> None:
    result = redact("dossier 123456789 en bedrag 111222334", TODAY)
    assert result.text == "dossier 123456789 en bedrag 111222334"
    assert result.kinds == ()


def test_bsn_written_with_dots_or_spaces_is_replaced() -> None:
    assert redact("bsn 111.222.333", TODAY).text == "bsn [BSN]"
    assert redact("bsn 1112 22 333", TODAY).text == "bsn [BSN]"


def test_iban_with_spaces_and_lower_case_is_replaced() -> None:
    assert redact("nl91 abna 0417 1643 00 graag", TODAY).text == "[IBAN] graag"


@pytest.mark.parametrize("phone", ["06-12345678", "020 123 4567", "+31 6 1234 5678", "0612345678"])
def test_dutch_phone_numbers_are_replaced(phone: str) -> None:
    result = redact(f"bel {phone} na vijven", TODAY)
    assert result.text == "bel [telefoonnummer] na vijven"
    assert result.kinds == ("telefoonnummer",)


@pytest.mark.parametrize(
    "address",
    ["1234 AB 12", "1234AB", "Dorpsstraat 5a", "Kerkweg 112", "12, 1234 AB", "huisnummer 7"],
)
def test_postcode_with_house_number_and_street_addresses_are_replaced(address: str) -> None:
    result = redact(f"woont op {address} sinds kort", TODAY)
    assert result.text == "woont op [adres] sinds kort"
    assert result.kinds == ("postcode en huisnummer",)


def test_years_and_numbers_in_ordinary_text_are_kept() -> None:
    text = "In 2023 en 2024 liep de huurachterstand op tot 40 procent; zij heeft 3 kinderen."
    assert redact(text, TODAY).text == text


@pytest.mark.parametrize("written", ["3 maart 1985", "03-03-1985", "3/3/1985", "1985-03-03"])
def test_old_full_dates_are_treated_as_birth_dates(written: str) -> None:
    assert redact(f"mevrouw, {written}, vraagt hulp", TODAY).text == "mevrouw, [geboortedatum], vraagt hulp"


def test_recent_date_is_kept_unless_it_follows_geboren() -> None:
    assert redact("gesprek op 12-05-2025 gehad", TODAY).text == "gesprek op 12-05-2025 gehad"
    assert redact("kind geboren op 12-05-2025", TODAY).text == "kind geboren op [geboortedatum]"


def test_notice_names_every_replaced_kind_in_dutch() -> None:
    kinds = redact("111222333 en j@x.nl", TODAY).kinds
    message = notice(kinds)
    assert "BSN" in message
    assert "e-mailadres" in message
    assert notice(()) == ""


def test_international_phone_number_is_not_taken_for_a_bsn() -> None:
    result = redact("bel +31 20 123 4567 of 0031 6 12345678", date(2026, 11, 24))
    assert result.text == "bel [telefoonnummer] of [telefoonnummer]"
    assert result.kinds == ("telefoonnummer",)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("BSN546111397 bekend", "BSN[BSN] bekend"),
        ("rekening NL86-ABNA-5405-8107-58", "rekening [IBAN]"),
        ("rekening NL26.ABNA.5272.8877.91", "rekening [IBAN]"),
        ("rekening BE71 0961 2345 6769", "rekening [IBAN]"),
        ("rekening ES91 2100 0418 4502 0005 1332 door de zoon", "rekening [IBAN] door de zoon"),
        ("geboren 20-12-92", "geboren [geboortedatum]"),
        ("geb. 8 november '73", "geb. [geboortedatum]"),
        ("geb 2 augustus 2016", "geb [geboortedatum]"),
        ("geboortedatum 17041979", "geboortedatum [geboortedatum]"),
        ("woont 7996-XG 211", "woont [adres]"),
        ("woont 3032VG140", "woont [adres]"),
        ("woont 2795 lw 186a", "woont [adres]"),
    ],
)
def test_the_misses_found_in_the_issue_are_caught(written: str, expected: str) -> None:
    assert redact(written, TODAY).text == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("mevrouw Jansen heeft schulden", "[naam] heeft schulden"),
        ("dhr. El Amrani belde", "[naam] belde"),
        ("Fatima Yilmaz komt langs", "[naam] komt langs"),
        ("casus Huurachterstand mevrouw J.", "casus Huurachterstand [naam]."),
    ],
)
def test_names_are_replaced(written: str, expected: str) -> None:
    result = redact(written, TODAY)
    assert result.text == expected
    assert result.kinds == ("naam",)


def test_card_words_and_titles_on_their_own_survive() -> None:
    text = "Mevrouw heeft Bijstand en Wmo via het UWV; de Sociale Verzekeringsbank gaf een ander advies."
    assert redact(text, TODAY).text == text


def test_text_that_is_only_personal_data_still_reads_and_keeps_every_other_word() -> None:
    assert redact("111222333", TODAY).text == "[BSN]"
    assert redact("mevrouw Jansen 111222333 op 06-12345678", TODAY).text == "[naam] [BSN] op [telefoonnummer]"


def test_long_text_is_cut_after_a_sentence_so_a_name_across_the_cut_is_not_split() -> None:
    sentence = "De inwoner heeft schulden. "
    head = sentence * ((MAX_CHUNK - 40) // len(sentence))
    head += "x" * (MAX_CHUNK - 4 - len(head) - len("Gesprek met mevrouw ")) + " "
    text = head + "Gesprek met mevrouw Jansen gehad. " + sentence * 3  # 'Jansen' runs across MAX_CHUNK
    assert text.index("Jansen") < MAX_CHUNK < text.index("Jansen") + len("Jansen")
    assert redact(text, TODAY).text == head + "Gesprek met [naam] gehad. " + sentence * 3


def test_long_text_is_redacted_in_pieces_without_losing_characters() -> None:
    filler = "De inwoner heeft schulden. " * 400
    text = filler + "BSN 111222333 " + filler
    result = redact(text, TODAY)
    assert result.text == filler + "BSN [BSN] " + filler


def test_a_40000_character_token_without_personal_data_comes_through_whole() -> None:
    # How long it takes is measured by bench/bench_privacy.py; here: no digit run is taken for a number.
    for token in ("1" * 40_000, "a@" * 20_000, "NL91" * 10_000, "ab1." * 10_000):
        assert redact(token, TODAY).text == token


def test_loading_the_name_lookups_leaves_logging_alone() -> None:
    # deduce calls logging.basicConfig(DEBUG, stdout) when imported; a fresh process shows it is undone.
    probe = (
        "import logging; from bot.core.privacy import warm_up; warm_up(); "
        "root = logging.getLogger(); print(len(root.handlers), root.level)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", str(logging.WARNING)]
