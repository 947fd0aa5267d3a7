"""The core stays free of adapters: no Slack, no HTTP, no database."""

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "bot" / "core"
FORBIDDEN = ("slack_bolt", "slack_sdk", "aiohttp", "sqlite3", "sqlite_utils", "bot.adapters", "bot.store")


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: p.name)
def test_core_module_imports_no_adapter(path: Path) -> None:
    bad = {m for m in _imported_modules(path) if m.split(".")[0] in FORBIDDEN or m.startswith(FORBIDDEN)}
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_forbidden_import_is_detected(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from slack_bolt import App\nimport aiohttp\n", encoding="utf-8")
    assert _imported_modules(sample) == {"slack_bolt", "aiohttp"}
