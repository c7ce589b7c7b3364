"""The preview page: every card's front and back, as Anki shows them, in one HTML file. Pure.

Cards are rendered from the very templates and stylesheet of the note types (models.py),
so what the page shows is what Anki shows, except for math: MathJax cannot be bundled into
a self-contained page, so TeX stays as typed between its delimiters. Images and sounds are
inlined as `data:` URIs; nothing is fetched from the network. Two switches: night mode, and
a phone-width view (cards 400 px wide, with Anki's `mobile` class, as on a phone).
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape, unescape

from . import cloze
from .models import CSS, MODELS
from .patterns import lazy_pattern
from .records import MediaFile, NoteKind


@dataclass(frozen=True, slots=True)
class PreviewNote:
    """A note as the page shows it: its note type, deck, field HTML (media named) and the
    template ordinals of its cards."""

    kind: NoteKind
    deck: str
    fields: tuple[str, ...]
    ords: tuple[int, ...]


SECTION_RE = lazy_pattern(r"\{\{#([^}]+)\}\}(.*?)\{\{/\1\}\}", re.S)
# Anki counts a field holding only spaces and <br>/<div> tags as empty (for {{#Field}}).
EMPTY_FIELD_RE = lazy_pattern(r"(?:\s|</?(?:br|div) ?/?>)*", re.I)
FIELD_RE = lazy_pattern(r"\{\{([^#/}][^}]*)\}\}")
IMAGE_SRC_RE = lazy_pattern(r'(<img\b[^>]*?\bsrc=")([^"]+)(")')
SOUND_RE = lazy_pattern(r"\[sound:([^\]]+)\]")

PAGE_CSS = """\
body.ap-preview { margin: 0; background: #e9e9ee; font-family: system-ui, sans-serif; }
body.ap-preview.nightMode { background: #121212; color: #e6e6e6; }
.ap-bar {
  position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 0.4em 1em;
  align-items: center; padding: 0.6em 1em; background: #2c3e50; color: #ffffff; font-size: 15px;
}
.ap-bar button { font: inherit; padding: 0.2em 0.8em; cursor: pointer; }
.ap-deck { padding: 0.5em 1em 1em; }
.ap-deck > h2 { font-size: 18px; margin: 0.8em 0 0.4em; }
.ap-pair {
  display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0.6em; margin: 0 0 1em;
}
.ap-label { grid-column: 1 / -1; font-size: 12px; color: #6b6b76; }
.ap-side {
  display: flex; border-radius: 8px; overflow: hidden; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.25);
}
/* min-width: a card is as wide as its side, never as wide as a wide table in it. */
.ap-side > .card { flex: 1; min-width: 0; min-height: 4em; }
/* Phone width: each card as wide as a phone's screen, front and back side by side. */
body.ap-phone .ap-pair { grid-template-columns: repeat(2, minmax(0, 400px)); }
@media (max-width: 860px) { body.ap-phone .ap-pair { grid-template-columns: minmax(0, 400px); } }
@media (max-width: 700px) { .ap-pair { grid-template-columns: minmax(0, 1fr); } }
"""

SWITCHES = """\
document.getElementById("ap-night").addEventListener("click", function () {
  var night = document.body.classList.toggle("nightMode");
  document.body.classList.toggle("night_mode", night);
  this.textContent = night ? "Day mode" : "Night mode";
});
// As on a phone: cards a phone's width, and Anki's "mobile" class on each card.
document.getElementById("ap-phone").addEventListener("click", function () {
  var phone = document.body.classList.toggle("ap-phone");
  document.querySelectorAll(".card").forEach(function (card) {
    card.classList.toggle("mobile", phone);
  });
  this.textContent = phone ? "Full width" : "Phone width";
});
"""


def fill(
    template: str, fields: Mapping[str, str], front_side: str, ordinal: int, answer: bool
) -> str:
    """Anki's template syntax as the note types use it: `{{Field}}`, `{{#Field}}…{{/Field}}`,
    `{{FrontSide}}` and `{{cloze:Field}}`. Field contents are never read as template."""

    def section(match: re.Match[str]) -> str:
        return "" if EMPTY_FIELD_RE.fullmatch(fields[match[1]]) else match[2]

    template = SECTION_RE.sub(section, template)

    def field(match: re.Match[str]) -> str:
        name = match[1].strip()
        if name == "FrontSide":
            return front_side
        if name.startswith("cloze:"):
            return cloze.render_card(fields[name[6:]], ordinal, answer)
        return fields[name]  # a KeyError here: a template uses syntax this renderer lacks

    return FIELD_RE.sub(field, template)


def cards(note: PreviewNote) -> list[tuple[str, str, str]]:
    """(card name, front HTML, back HTML) of every card the note gives in Anki."""
    model = MODELS[note.kind]
    fields = {f["name"]: value for f, value in zip(model.fields, note.fields, strict=True)}
    result = []
    for ord_ in note.ords:
        template = model.templates[0 if note.kind is NoteKind.CLOZE else ord_]
        name = f"Cloze {ord_ + 1}" if note.kind is NoteKind.CLOZE else template["name"]
        front = fill(template["qfmt"], fields, "", ord_ + 1, answer=False)
        back = fill(template["afmt"], fields, front, ord_ + 1, answer=True)
        result.append((name, front, back))
    return result


def data_uri(media: MediaFile) -> str:
    kind = mimetypes.guess_type(media.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(media.data).decode()}"


def inline_media(html: str, media: Mapping[str, MediaFile]) -> str:
    """Bundled images and sounds as `data:` URIs, so the page needs no other file."""

    def image(match: re.Match[str]) -> str:
        found = media.get(unescape(match[2]))
        return match[1] + (data_uri(found) if found else match[2]) + match[3]

    def sound(match: re.Match[str]) -> str:
        found = media.get(unescape(match[1]))
        if found is None:
            return match[0]  # already HTML, as Anki would show it: the text itself
        return f'<audio controls src="{data_uri(found)}" title="{escape(found.name)}"></audio>'

    return SOUND_RE.sub(sound, IMAGE_SRC_RE.sub(image, html))


def render_page(notes: Sequence[PreviewNote], media: Mapping[str, MediaFile]) -> str:
    """The whole page: cards grouped by deck, in source order, with a night-mode switch."""
    decks: dict[str, list[str]] = {}
    count = 0
    for note in notes:
        source = note.fields[-1]
        for name, front, back in cards(note):
            count += 1
            label = f"{escape(note.deck)} · {source} · {escape(name)}"
            sides = "".join(
                f'<div class="ap-side ap-{side}"><div class="card">{inline_media(html, media)}'
                "</div></div>"
                for side, html in (("front", front), ("back", back))
            )
            decks.setdefault(note.deck, []).append(
                f'<article class="ap-pair" data-kind="{note.kind.value}"'
                f' data-card="{escape(name)}"><div class="ap-label">{label}</div>{sides}</article>'
            )
    sections = "".join(
        f'<section class="ap-deck"><h2>{escape(deck)}</h2>{"".join(items)}</section>'
        for deck, items in decks.items()
    )
    plural = "s" * (count != 1)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>ankipress preview</title>"
        f"<style>{CSS}</style><style>{PAGE_CSS}</style></head>"
        '<body class="ap-preview">'
        f'<div class="ap-bar"><strong>ankipress preview</strong><span id="ap-count">'
        f"{count} card{plural} in {len(decks)} deck{'s' * (len(decks) != 1)}</span>"
        '<button id="ap-night" type="button">Night mode</button>'
        '<button id="ap-phone" type="button">Phone width</button>'
        "<span>Math is shown as TeX here; Anki typesets it.</span></div>"
        f"{sections}<script>{SWITCHES}</script></body></html>\n"
    )
