"""A deterministic synthetic corpus for the benchmark: French-like course notes in line style.

Each note is a question and one to six list items, with some bold and italics; 100 notes a
file. The same notes are written three ways: for ankipress (line style), for ankdown (its
own `%` / `---` format) and for the floor script (questions and ready HTML answers).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from html import escape
from pathlib import Path

NOTES_PER_FILE = 100
WORDS = (
    "le", "la", "les", "un", "une", "des", "du", "de", "groupe", "pratique", "développement",
    "communauté", "réseau", "membre", "rôle", "étape", "client", "consultant", "animateur",
    "professionnel", "échange", "partage", "outil", "objectif", "apprentissage", "situation",
    "besoin", "solution", "stratégie", "évaluation", "rencontre", "milieu", "scolaire",
    "organisation", "identité", "appartenance", "plateforme", "expérience", "entraide",
    "réflexion", "action", "synthèse", "clarification", "préparation", "exposé", "démarche",
    "structure", "intimité", "ambiance", "neurone", "synapse", "cortex", "mémoire",
    "attention", "perception", "motivation", "émotion", "comportement",
)  # fmt: skip


@dataclass(frozen=True)
class Note:
    question: str
    items: tuple[str, ...]


def phrase(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    if len(words) > 3 and rng.random() < 0.2:
        words[1] = f"**{words[1]}**"
    if len(words) > 4 and rng.random() < 0.15:
        words[3] = f"*{words[3]}*"
    return " ".join(words)


def notes(count: int, seed: int = 13) -> list[Note]:
    rng = random.Random(seed)
    result = []
    for number in range(count):
        question = f"Quel est le rôle {phrase(rng, 3, 7)} (n° {number}) ?"
        items = tuple(phrase(rng, 3, 10).capitalize() for _ in range(rng.randint(1, 6)))
        result.append(Note(question, items))
    return result


def inline_html(text: str) -> str:
    """The HTML of a generated line (only `**bold**` and `*italics*` occur)."""
    parts = escape(text, quote=False).split("**")
    text = "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))
    parts = text.split("*")
    return "".join(f"<em>{p}</em>" if i % 2 else p for i, p in enumerate(parts))


def write(folder: Path, count: int) -> None:
    """Write the three forms of `count` notes under `folder` (if not there already)."""
    done = folder / "done"
    if done.exists():
        return
    all_notes = notes(count)
    ankipress, ankdown = folder / "ankipress", folder / "ankdown"
    ankipress.mkdir(parents=True, exist_ok=True)
    ankdown.mkdir(parents=True, exist_ok=True)
    floor = []
    for start in range(0, count, NOTES_PER_FILE):
        chunk = all_notes[start : start + NOTES_PER_FILE]
        name = f"cours-{start // NOTES_PER_FILE:04d}"
        lines = [f"Cours {start // NOTES_PER_FILE}"]
        cards = []
        for note in chunk:
            lines.append(note.question)
            lines += [f"- {item}" for item in note.items]
            cards.append(note.question + "\n\n%\n\n" + "\n".join(f"- {i}" for i in note.items))
            answer = "<ul>" + "".join(f"<li>{inline_html(i)}</li>" for i in note.items) + "</ul>"
            floor.append([f"Cours {start // NOTES_PER_FILE}", inline_html(note.question), answer])
        (ankipress / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (ankdown / f"{name}.md").write_text("\n\n---\n\n".join(cards) + "\n", encoding="utf-8")
    (folder / "floor.json").write_text(json.dumps(floor, ensure_ascii=False), encoding="utf-8")
    done.write_text("ok\n")


if __name__ == "__main__":
    import sys

    write(Path(sys.argv[1]), int(sys.argv[2]))
