"""The `maatwerk` console script, run as a real process."""

import json
from pathlib import Path

import pytest

from tests.process import REPO
from tests.process import run_maatwerk as run

EXPECTED_CARDS = ["signalen", "argumenten", "vragen-uitvoerders", "vragen-beleid", "vragen-beleidsmakers", "lessen"]


def test_kaarten_check_json_prints_the_six_counts() -> None:
    result = run("kaarten", "check", "--json")
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)
    assert list(counts) == EXPECTED_CARDS
    assert counts["signalen"] == 38
    assert counts["lessen"] == 36


def test_kaarten_check_fails_with_message_on_broken_content(tmp_path: Path) -> None:
    for source in (REPO / "content").glob("*.yaml"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "signalen.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("id: S-02", "id: S-01", 1), encoding="utf-8")

    result = run("kaarten", "check", env={"MAATWERK_CONTENT": str(tmp_path)})
    assert result.returncode == 1
    assert "signalen.yaml" in result.stderr
    assert "S-01" in result.stderr


def test_kaart_json_lists_items_with_id_group_and_text() -> None:
    result = run("kaart", "signalen", "--json")
    items = json.loads(result.stdout)
    assert len(items) == 38
    assert {"id", "groep", "tekst"} <= set(items[0])
    assert items[0]["id"] == "S-01"


@pytest.mark.parametrize("card", EXPECTED_CARDS)
def test_kaart_prints_every_item_of_the_card(card: str) -> None:
    result = run("kaart", card)
    listed = json.loads(run("kaart", card, "--json").stdout)
    assert result.returncode == 0
    for item in listed:
        assert item["id"] in result.stdout


def test_shell_reads_one_command_per_line_when_piped(tmp_path: Path) -> None:
    result = run("shell", stdin="help\nkaart lessen\n", db=tmp_path / "shell.db")
    assert result.returncode == 0, result.stderr
    assert "Commando's:" in result.stdout
    assert "LESSENKAART" in result.stdout
    assert (tmp_path / "shell.db").exists()


def test_shell_kaart_signalen_shows_all_38_signals_grouped(tmp_path: Path) -> None:
    result = run("shell", stdin="/maatwerk kaart signalen\n", db=tmp_path / "shell.db")
    for number in range(1, 39):
        assert f"S-{number:02d}" in result.stdout
    assert "De inwoner stelt een bijzondere vraag of uit zorgen" in result.stdout


def test_shell_unknown_command_explains_and_shows_help(tmp_path: Path) -> None:
    result = run("shell", stdin="vlieg naar de maan\n", db=tmp_path / "shell.db")
    assert "`vlieg` ken ik niet" in result.stdout
