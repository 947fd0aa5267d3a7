import json
from pathlib import Path

from tests.process import run_maatwerk as maatwerk


def test_signaal_json_prints_a_list_of_items_best_first() -> None:
    result = maatwerk("signaal", "ik heb grote schulden en de deurwaarder komt", "--json", "--top", "3")
    hits = json.loads(result.stdout)
    assert 1 <= len(hits) <= 3
    assert set(hits[0]) == {"id", "kaart", "groep", "tekst", "score"}
    assert hits[0]["kaart"] == "signalen"
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_signaal_json_is_empty_list_for_unrelated_text() -> None:
    assert json.loads(maatwerk("signaal", "wat eten we vanavond", "--json").stdout) == []


def test_argument_json_has_voor_and_tegen() -> None:
    data = json.loads(maatwerk("argument", "precedentwerking en gelijke behandeling", "--json").stdout)
    assert set(data) == {"voor", "tegen"}
    assert data["voor"]
    assert data["tegen"]


def test_batch_prints_one_json_line_per_input_line(tmp_path: Path) -> None:
    batch = tmp_path / "notes.txt"
    batch.write_text("grote schulden\nwat eten we vanavond\nwantrouwen tegen de overheid\n", encoding="utf-8")
    lines = maatwerk("signaal", "--batch", str(batch)).stdout.splitlines()
    assert len(lines) == 3
    assert json.loads(lines[1]) == []
    assert json.loads(lines[0])


def test_too_long_text_is_refused_in_dutch() -> None:
    result = maatwerk("signaal", "schuld " * 700)
    assert result.returncode == 2
    assert "grens is 4000" in result.stderr
