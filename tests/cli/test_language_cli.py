"""English on the command line and in the shell gets "Ik lees alleen Nederlands"; JSON output stays data."""

from __future__ import annotations

import json

from tests.process import run_maatwerk

ENGLISH = "The client cannot pay the rent since her husband died"


def test_english_signaal_says_it_reads_only_dutch() -> None:
    result = run_maatwerk("signaal", ENGLISH)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Ik lees alleen Nederlands")


def test_english_in_the_shell_says_it_reads_only_dutch() -> None:
    result = run_maatwerk("shell", stdin=f"argument {ENGLISH}\n")
    assert "Ik lees alleen Nederlands" in result.stdout
    assert "argument hardheidsclausule" in result.stdout


def test_json_output_is_left_alone() -> None:
    result = run_maatwerk("signaal", ENGLISH, "--json")
    assert isinstance(json.loads(result.stdout), list)
