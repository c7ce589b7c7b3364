"""A deterministic synthetic corpus for the benchmark: French-like course notes in line style.

Each note is a question and one to six list items, with some bold and italics; 100 notes a
file. The same notes are written twice: for ankipress and the floor script (line style:
a title line naming the deck, then each question followed by its `- ` items), and for
ankdown in its own format (front `%` back, cards separated by `---` lines).

Usage: corpus.py FOLDER COUNT [PER_FILE] (writes FOLDER/ankipress and FOLDER/ankdown, PER_FILE
notes a file, 100 by default; does nothing when FOLDER already holds this generator's corpus
of COUNT notes so split).
"""

from __future__ import annotations

import hashlib
import random
import shutil
from dataclasses import dataclass
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


def write(folder: Path, count: int, per_file: int = NOTES_PER_FILE) -> None:
    """Write both forms of `count` notes under `folder`, `per_file` notes a file, unless
    they are there already (a changed generator, count or split writes them afresh)."""
    marker = folder / "done"
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    stamp = f"{count} {per_file} {code}\n"
    if marker.is_file() and marker.read_text() == stamp:
        return
    shutil.rmtree(folder, ignore_errors=True)
    all_notes = notes(count)
    ankipress, ankdown = folder / "ankipress", folder / "ankdown"
    ankipress.mkdir(parents=True)
    ankdown.mkdir(parents=True)
    for start in range(0, count, per_file):
        chunk = all_notes[start : start + per_file]
        number = start // per_file
        lines = [f"Cours {number}"]
        cards = []
        for note in chunk:
            lines.append(note.question)
            lines += [f"- {item}" for item in note.items]
            cards.append(note.question + "\n\n%\n\n" + "\n".join(f"- {i}" for i in note.items))
        name = f"cours-{number:05d}" if count // per_file > 9999 else f"cours-{number:04d}"
        (ankipress / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (ankdown / f"{name}.md").write_text("\n\n---\n\n".join(cards) + "\n", encoding="utf-8")
    marker.write_text(stamp)


if __name__ == "__main__":
    import sys

    per_file = int(sys.argv[3]) if len(sys.argv) > 3 else NOTES_PER_FILE
    write(Path(sys.argv[1]), int(sys.argv[2]), per_file)
