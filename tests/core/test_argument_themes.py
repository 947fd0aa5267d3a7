"""Arguments per theme, voor and tegen side by side, in Slack and in the terminal; closest themes marked."""

from functools import lru_cache

from bot.adapters.slack.blocks.cards import argument_blocks
from bot.adapters.terminal.render import render_arguments
from bot.core import texts
from bot.core.deck import load_deck
from bot.core.models import Stance
from bot.core.search import ArgumentResult, Hit, SearchIndex


@lru_cache(maxsize=1)
def index() -> SearchIndex:
    return SearchIndex(load_deck())


def _closest() -> ArgumentResult:
    card = index()._cards["argumenten"]
    result = index()._closest_themes(card, index().query("hardheidsclausule"), 5)
    assert result.closest
    return result


def test_closest_themes_show_both_sides_of_each_theme() -> None:
    result = _closest()
    themes = result.themes()
    assert 1 <= len(themes) <= 2
    for _, voor, tegen in themes:
        assert voor
        assert tegen
        assert all(h.item.stance is Stance.VOOR for h in voor)
        assert all(h.item.stance is Stance.TEGEN for h in tegen)


def test_text_about_something_else_gets_no_arguments() -> None:
    assert index().arguments("wat eten we vanavond? ik heb zin in pasta").empty


def test_slack_shows_one_block_per_theme_with_voor_and_tegen_side_by_side() -> None:
    result = index().arguments("precedentwerking en gelijke behandeling")
    blocks = argument_blocks("precedentwerking en gelijke behandeling", result)
    pairs = [b for b in blocks if "fields" in b]
    assert len(pairs) == len(result.themes())
    for block, (theme, voor, tegen) in zip(pairs, result.themes(), strict=True):
        left, right = (field["text"] for field in block["fields"])
        assert left.startswith("*Voor maatwerk*")
        assert right.startswith("*Tegen maatwerk*")
        assert all(h.item.id in left for h in voor)
        assert all(h.item.id in right for h in tegen)
        heading = blocks[blocks.index(block) - 1]["text"]["text"]
        assert theme in heading


def test_closest_themes_are_marked_in_slack_and_the_terminal() -> None:
    result = _closest()
    slack_text = str(argument_blocks("regels", result))
    assert texts.CLOSEST_THEMES_NOTE in slack_text
    assert "Dichtstbijzijnd thema" in slack_text
    terminal = render_arguments(result)
    assert "dichtstbijzijnde thema's" in terminal
    assert terminal.count("VOOR maatwerk") == len(result.themes())
    assert terminal.count("TEGEN maatwerk") == len(result.themes())


def test_counterparts_are_named_in_plain_words() -> None:
    item = next(i for i in load_deck().items("argumenten") if i.stance is Stance.TEGEN)
    other = next(i for i in load_deck().items("argumenten") if i.stance is Stance.VOOR and i.section == item.section)
    result = ArgumentResult(voor=[Hit(other, 1.0, counterpart=True)], tegen=[Hit(item, 5.0, ("wet",))])
    terminal = render_arguments(result)
    assert texts.COUNTERPART_MARK in terminal
    assert "Je woorden vonden alleen de andere kant" not in terminal
    assert f"Thema: {item.section}" in terminal
