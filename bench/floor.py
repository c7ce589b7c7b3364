"""The floor: the same notes, answers given as ready HTML, written with genanki alone.

Usage: floor.py CORPUS/floor.json OUT.apkg
"""

from __future__ import annotations

import json
import sys

import genanki

MODEL = genanki.Model(
    1607392319,
    "Floor",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr>{{Back}}"}],
)


def main(source: str, out: str) -> None:
    decks: dict[str, genanki.Deck] = {}
    with open(source, encoding="utf-8") as stream:
        notes = json.load(stream)
    for deck_name, front, back in notes:
        deck = decks.get(deck_name)
        if deck is None:
            deck = decks[deck_name] = genanki.Deck(len(decks) + (1 << 30), deck_name)
        deck.add_note(
            genanki.Note(model=MODEL, fields=[front, back], guid=genanki.guid_for(deck_name, front))
        )
    genanki.Package(list(decks.values())).write_to_file(out, timestamp=1790000000)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
