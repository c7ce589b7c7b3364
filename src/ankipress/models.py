"""The three ankipress note types, fixed forever.

Anki recognises a note type by its id, then by its field and template names: renaming or
adding a field or template makes Anki copy the note type and stop updating the student's
notes. So ids, names, fields and template names below never change once released. Template
text and CSS may change; then TEMPLATES_VERSION must be raised, because Anki only takes a
changed note type when its modification time is newer than the one it has.
"""

from __future__ import annotations

import hashlib

import genanki

from .records import NoteKind

# Seconds since the epoch, written as the note types' modification time. Raise it (to the
# date of the change) whenever TEMPLATES or CSS change; a test pins the pair.
TEMPLATES_VERSION = 1795824000  # 2026-11-28

BASIC_ID = 1795820001
REVERSED_ID = 1795820002
CLOZE_ID = 1795820003

SOURCE_LINE = '{{#Source}}<div class="ap-source">{{Source}}</div>{{/Source}}'

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.45;
  text-align: center;
  color: #1d1d1f;
  background-color: #ffffff;
  margin: 0;
  padding: 12px 16px;
  overflow-wrap: break-word;
}
.card.nightMode, .nightMode .card, .night_mode .card {
  color: #e6e6e6;
  background-color: #1e1e1e;
}
.ap-question { font-weight: 600; }
.ap-answer, .ap-extra {
  display: inline-block;
  max-width: 100%;
  text-align: left;
}
.ap-answer p, .ap-extra p { margin: 0.4em 0; }
ul, ol {
  text-align: left;
  margin: 0.4em 0;
  padding-left: 1.4em;
}
li { margin: 0.15em 0; }
li > ul, li > ol { margin: 0.1em 0; }
img { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 0.5em auto; text-align: left; }
th, td { border: 1px solid #b0b0b0; padding: 0.2em 0.5em; }
code {
  font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace;
  font-size: 0.9em;
  background-color: #f2f2f2;
  border-radius: 3px;
  padding: 0 0.2em;
}
.nightMode code, .night_mode code { background-color: #333333; }
pre {
  text-align: left;
  overflow-x: auto;
  padding: 0.6em;
  background-color: #f6f6f6;
  border-radius: 4px;
}
.nightMode pre, .night_mode pre { background-color: #2a2a2a; }
pre code { background: none; padding: 0; }
a { color: #0a5bb5; }
.nightMode a, .night_mode a { color: #7fb5ff; }
hr#answer { margin: 0.8em 0; }
.cloze { font-weight: bold; color: #0a5bb5; }
.nightMode .cloze, .night_mode .cloze { color: #7fb5ff; }
.ap-source {
  margin-top: 1.5em;
  font-size: 11px;
  color: #8a8a8a;
  text-align: right;
}
.mobile .card { font-size: 18px; padding: 8px 10px; }
"""

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
        "qfmt": '<div class="ap-answer">{{cloze:Text}}</div>',
        "afmt": '<div class="ap-answer">{{cloze:Text}}</div>\n'
        '{{#Back Extra}}<hr><div class="ap-extra">{{Back Extra}}</div>{{/Back Extra}}\n'
        + SOURCE_LINE,
    },
]

BASIC = genanki.Model(
    BASIC_ID,
    "ankipress Basic",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}],
    templates=BASIC_TEMPLATES,
    css=CSS,
)
REVERSED = genanki.Model(
    REVERSED_ID,
    "ankipress Basic and reversed",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}],
    templates=REVERSED_TEMPLATES,
    css=CSS,
)
CLOZE = genanki.Model(
    CLOZE_ID,
    "ankipress Cloze",
    fields=[{"name": "Text"}, {"name": "Back Extra"}, {"name": "Source"}],
    templates=CLOZE_TEMPLATES,
    css=CSS,
    model_type=genanki.Model.CLOZE,
)

MODELS = {NoteKind.BASIC: BASIC, NoteKind.REVERSED: REVERSED, NoteKind.CLOZE: CLOZE}


def templates_digest() -> str:
    """A digest of everything TEMPLATES_VERSION stands for; a test pins it."""
    text = CSS + repr([m.templates for m in MODELS.values()])
    return hashlib.sha256(text.encode()).hexdigest()[:16]
