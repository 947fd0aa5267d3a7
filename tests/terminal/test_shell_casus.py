"""A whole casus in `maatwerk shell`, driven through piped stdin of a real process."""

from __future__ import annotations

from pathlib import Path

from tests.process import run_maatwerk


def shell(db: Path, *lines: str) -> str:
    result = run_maatwerk("shell", stdin="\n".join(lines) + "\n", db=db)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_casus_walk_with_skip_back_pause_and_finish(tmp_path: Path) -> None:
    out = shell(
        tmp_path / "s.db",
        "casus Huurachterstand",
        "Zij meldde zich zelf",
        "overslaan",
        "vorige",
        "Ja, ik ken de regeling",
        "pauzeer",
        "dit telt niet",
        "verder",
        "afronden",
    )
    assert "Vraag 1/31 (V-U17)" in out
    assert "Antwoord bij V-U17 opgeslagen." in out
    assert "Vraag V-U18 overgeslagen." in out
    assert out.count("Vraag 2/31 (V-U18)") == 2
    assert "Antwoord bij V-U18 opgeslagen." in out
    assert "staat op pauze" in out
    assert "Afgerond op verzoek." in out
    assert "- terminal: Zij meldde zich zelf" in out
    assert "- terminal: Ja, ik ken de regeling" in out
    assert "dit telt niet" not in out.split("Samenvatting:")[1]


def test_casus_voor_starts_with_the_voor_questions(tmp_path: Path) -> None:
    out = shell(tmp_path / "s.db", "casus --voor Voorbereiding")
    assert "[Vóór] Wat zijn belangrijke juridische kaders voor maatwerk?" in out
    assert "Vraag 1/47 (V-U01)" in out


def test_beleid_walks_the_beleidsmakers_card(tmp_path: Path) -> None:
    out = shell(tmp_path / "s.db", "beleid kwijtschelding", "Omdat er klachten zijn")
    assert "Beleid `b" in out
    assert "(V-M01)" in out
    assert "Antwoord bij V-M01 opgeslagen." in out
    assert "(V-M02)" in out


def test_commands_still_work_inside_a_casus_and_prefix_forces_an_answer(tmp_path: Path) -> None:
    out = shell(tmp_path / "s.db", "casus Schulden", "signaal schulden", "> signaal is dit", "afronden")
    assert "Signalen die kunnen wijzen op maatwerk" in out
    assert "- terminal: signaal is dit" in out


def test_personal_data_is_redacted_and_the_author_is_told(tmp_path: Path) -> None:
    out = shell(tmp_path / "s.db", "casus Huur", "bsn 111222333 en mail a@b.nl", "afronden")
    assert "(alleen voor jou)" in out
    assert "BSN en e-mailadres heb ik vervangen" in out
    assert "111222333" not in out.split("Samenvatting:")[1]
    assert "- terminal: bsn [BSN] en mail [e-mailadres]" in out


def test_dialogue_survives_a_new_shell_and_mijn_lists_it(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    first = shell(db, "casus Huur", "eerste antwoord", "pauzeer")
    dialogue_id = first.split("Casus `")[1].split("`")[0]
    second = shell(db, "mijn", f"verder {dialogue_id}", "tweede antwoord", "afronden")
    assert f"{dialogue_id}  Huur  [gepauzeerd, vraag 2/31]" in second
    assert "Antwoord bij V-U18 opgeslagen." in second
    assert "- terminal: eerste antwoord" in second


def test_vergeet_asks_confirmation_then_removes_my_answers(tmp_path: Path) -> None:
    out = shell(
        tmp_path / "s.db",
        "casus Huur",
        "Dit is mijn antwoord",
        "pauzeer",
        "vergeet",
        "vergeet ja",
        "verder",
        "afronden",
    )
    assert "Typ `vergeet ja` om te bevestigen" in out
    assert "1 antwoord(en) van jou vervangen" in out
    assert "Dit is mijn antwoord" not in out.split("Samenvatting:")[1]


def test_control_word_without_casus_explains_how_to_start(tmp_path: Path) -> None:
    out = shell(tmp_path / "s.db", "overslaan")
    assert "Er is geen casus actief" in out


def test_answers_starting_with_a_command_word_stay_answers(tmp_path: Path) -> None:
    out = shell(tmp_path / "s.db", "casus Huur", "Beleid ontbreekt hier", "mijn idee is bellen", "afronden")
    assert "- terminal: Beleid ontbreekt hier" in out
    assert "- terminal: mijn idee is bellen" in out
    assert "Beleid `" not in out


def test_steering_words_count_in_any_case_and_with_a_slash(tmp_path: Path) -> None:
    out = shell(tmp_path / "s.db", "casus Huurachterstand", "OVERSLAAN", "/vorige", "vorige vraag was lastig", "Klaar")
    assert "Vraag V-U17 overgeslagen." in out
    assert out.count("Vraag 1/31 (V-U17)") == 2  # asked, then again after /vorige
    assert out.count("Vraag 2/31 (V-U18)") == 2  # after the skip, and after the answer
    assert "Antwoord bij V-U17 opgeslagen." in out  # "vorige vraag was lastig" is an answer
    assert "Afgerond op verzoek." in out
