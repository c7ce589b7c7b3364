"""The three ankipress note types, fixed forever.

Anki recognises a note type by its id, then by its field and template names: renaming or
adding a field or template makes Anki copy the note type and stop updating the student's
notes. So ids, names, fields and template names below never change once released. Template
text and CSS may change; then TEMPLATES_VERSION must be raised, because Anki only takes a
changed note type when its modification time is newer than the one it has.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .records import NoteKind

# Seconds since the epoch, written as the note types' modification time. Raise it (to the
# date of the change) whenever TEMPLATES or CSS change; a test pins the pair.
TEMPLATES_VERSION = 1796011200  # 2026-11-30 04:00 UTC

BASIC_ID = 1795820001
REVERSED_ID = 1795820002
CLOZE_ID = 1795820003

SOURCE_LINE = '{{#Source}}<div class="ap-source">{{Source}}</div>{{/Source}}'

# The card stylesheet, shared by the three note types (code colours generated once from
# Pygments' "friendly" and "github-dark" styles, so they don't move with Pygments versions).
# Read beside this module (importlib.resources would add a hundredth of a second to every
# start-up; the package is always installed as files).
CSS = Path(__file__).with_name("card.css").read_text(encoding="utf-8")

FRONT = '<div class="ap-question">{{Front}}</div>'
BACK = '<div class="ap-answer">{{Back}}</div>'

BASIC_TEMPLATES = [
    {
        "name": "Card 1",
        "qfmt": FRONT,
        "afmt": '{{FrontSide}}\n<hr id="answer">\n' + BACK + "\n" + SOURCE_LINE,
    },
]
REVERSED_TEMPLATES = [
    *BASIC_TEMPLATES,
    {
        "name": "Card 2",
        "qfmt": '<div class="ap-question">{{Back}}</div>',
        "afmt": '{{FrontSide}}\n<hr id="answer">\n<div class="ap-answer">{{Front}}</div>\n'
        + SOURCE_LINE,
    },
]
CLOZE_TEMPLATES = [
    {
        "name": "Cloze",
        "qfmt": '<div class="ap-cloze">{{cloze:Text}}</div>',
        "afmt": '<div class="ap-cloze">{{cloze:Text}}</div>\n'
        '{{#Back Extra}}<hr><div class="ap-extra">{{Back Extra}}</div>{{/Back Extra}}\n'
        + SOURCE_LINE,
    },
]


@dataclass(frozen=True)
class NoteType:
    """One ankipress note type: what Anki matches it by (id, field and template names) and
    how its cards look. genanki writes its JSON into packages; it is imported only then, so
    that builds with nothing to write and `check` start faster."""

    model_id: int
    name: str
    fields: list[dict[str, str]]
    templates: list[dict[str, str]]
    css: str
    cloze: bool = False

    def to_json(self, timestamp: int, deck_id: int) -> dict:
        import genanki

        model = genanki.Model(
            self.model_id,
            self.name,
            fields=self.fields,
            templates=self.templates,
            css=self.css,
            model_type=genanki.Model.CLOZE if self.cloze else genanki.Model.FRONT_BACK,
        )
        return model.to_json(timestamp, deck_id)


BASIC = NoteType(
    BASIC_ID,
    "ankipress Basic",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}],
    templates=BASIC_TEMPLATES,
    css=CSS,
)
REVERSED = NoteType(
    REVERSED_ID,
    "ankipress Basic and reversed",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}],
    templates=REVERSED_TEMPLATES,
    css=CSS,
)
CLOZE = NoteType(
    CLOZE_ID,
    "ankipress Cloze",
    fields=[{"name": "Text"}, {"name": "Back Extra"}, {"name": "Source"}],
    templates=CLOZE_TEMPLATES,
    css=CSS,
    cloze=True,
)

MODELS = {NoteKind.BASIC: BASIC, NoteKind.REVERSED: REVERSED, NoteKind.CLOZE: CLOZE}


def templates_digest() -> str:
    """A digest of everything TEMPLATES_VERSION stands for; a test pins it."""
    # Only our own keys: genanki adds bookkeeping keys to the template dicts it serialises.
    templates = [[(t["name"], t["qfmt"], t["afmt"]) for t in m.templates] for m in MODELS.values()]
    text = CSS + repr(templates)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
