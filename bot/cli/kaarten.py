"""`maatwerk kaarten check` and `maatwerk kaart <id>`."""

from __future__ import annotations

import argparse
from typing import Any

from bot.adapters.terminal.render import render_card
from bot.cli.output import print_json
from bot.core.deck import load_deck
from bot.core.models import CARD_IDS, CardId
from bot.settings import get_settings


def register(commands: Any) -> None:
    kaarten = commands.add_parser("kaarten", help="de kaarten controleren")
    kaarten_sub = kaarten.add_subparsers(dest="kaarten_command", required=True)
    check = kaarten_sub.add_parser("check", help="laad en controleer alle kaarten, toon de aantallen")
    check.add_argument("--json", action="store_true", help="aantallen als JSON")
    check.set_defaults(handler=_check)

    kaart = commands.add_parser("kaart", help="toon een kaart")
    kaart.add_argument("card_id", choices=CARD_IDS, metavar="KAART", help=" | ".join(CARD_IDS))
    kaart.add_argument("--json", action="store_true", help="de items als JSON-lijst")
    kaart.set_defaults(handler=_show)


def _check(args: argparse.Namespace) -> int:
    deck = load_deck(get_settings().content_dir)
    if args.json:
        print_json(deck.counts())
        return 0
    for card_id, card in deck.cards.items():
        print(f"{card.title:<28} {len(deck.items(card_id)):>3} items in {len(card.groups):>2} groepen")
    print("Alle kaarten zijn geldig.")
    return 0


def _show(args: argparse.Namespace) -> int:
    deck = load_deck(get_settings().content_dir)
    card_id: CardId = args.card_id
    if args.json:
        print_json(
            [
                {"id": i.id, "groep": i.groep, "sectie": i.section, "tekst": i.tekst, "pagina": i.page}
                | ({"kant": i.stance.value} if i.stance else {})
                for i in deck.items(card_id)
            ]
        )
        return 0
    print(render_card(deck.card(card_id)))
    return 0
