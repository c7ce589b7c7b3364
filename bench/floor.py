"""The floor: the benchmark's notes written with genanki alone, answers given as ready HTML.

It reads the generated line-style files (a title line naming the deck, then each question
followed by its `- ` items) with plain string code, no Markdown library: the corpus only
holds `**bold**` and `*italics*`. One deck per file, a fixed note type, one package.

Usage: floor.py CORPUS_FOLDER OUT.apkg
       floor.py --package-per-file LIMIT CORPUS_FOLDER OUT_FOLDER
           (the first LIMIT files, one package each, as `make deck` writes them)
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

import genanki

MODEL = genanki.Model(
    1607392319,
    "Floor",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr>{{Back}}"}],
)


def inline_html(text: str) -> str:
    """The HTML of a generated line: escaped, `**bold**` and `*italics*` turned into tags."""
    parts = escape(text, quote=False).split("**")
    text = "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))
    parts = text.split("*")
    return "".join(f"<em>{p}</em>" if i % 2 else p for i, p in enumerate(parts))


def notes_of(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """A file's deck name and its notes as (question HTML, answer HTML)."""
    title, *lines = path.read_text(encoding="utf-8").splitlines()
    notes: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("- "):
            notes[-1][1].append(line[2:])
        elif line.strip():
            notes.append((line, []))
    return title, [(inline_html(question), list_html(items)) for question, items in notes]


def list_html(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{inline_html(item)}</li>" for item in items) + "</ul>"


def deck_of(number: int, path: Path) -> genanki.Deck:
    title, notes = notes_of(path)
    deck = genanki.Deck((1 << 30) + number, title)
    for front, back in notes:
        guid = genanki.guid_for(path.name, front)
        deck.add_note(genanki.Note(model=MODEL, fields=[front, back], guid=guid))
    return deck


def main(corpus: str, out: str) -> None:
    decks = [deck_of(n, path) for n, path in enumerate(sorted(Path(corpus).glob("*.txt")))]
    genanki.Package(decks).write_to_file(out, timestamp=1790000000)


def package_per_file(limit: int, corpus: str, out: str) -> None:
    Path(out).mkdir(parents=True, exist_ok=True)
    for number, path in enumerate(sorted(Path(corpus).glob("*.txt"))[:limit]):
        package = genanki.Package([deck_of(number, path)])
        package.write_to_file(str(Path(out) / f"{path.stem}.apkg"), timestamp=1790000000)


if __name__ == "__main__":
    if sys.argv[1] == "--package-per-file":
        package_per_file(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        main(sys.argv[1], sys.argv[2])
