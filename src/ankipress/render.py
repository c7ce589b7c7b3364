"""Turning notes into the HTML of their Anki fields: pure, no I/O.

Line-style answers keep the student's lines: each plain line stays its own line and list
items form (nested) lists, with inline Markdown inside each line. Heading-style answers are
full Markdown. One configured markdown-it instance serves every note.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path

from .markdown import Flavour, link_media, render_block, render_inline
from .parse import normalise_question
from .records import AnswerLine, LineAnswer, MarkdownAnswer, Note, NoteKind, RenderedNote


@dataclass(frozen=True)
class RenderSettings:
    """Choices made on the command line, for notes whose front matter does not decide."""

    allow_html: bool = False
    lang: str | None = None


DEFAULT_SETTINGS = RenderSettings()


def flavour_of(note: Note, settings: RenderSettings) -> Flavour:
    lang = note.lang or settings.lang or ""
    return Flavour(
        allow_html=note.allow_html or settings.allow_html,
        french=lang.lower().split("-")[0].split("_")[0] == "fr",
    )


@dataclass
class _Item:
    lines: list[str]
    children: list[_List] = field(default_factory=list)


@dataclass
class _List:
    ordered: bool
    start: int
    items: list[_Item] = field(default_factory=list)

    def html(self) -> str:
        tag = "ol" if self.ordered else "ul"
        start = f' start="{self.start}"' if self.ordered and self.start != 1 else ""
        items = "".join(
            "<li>" + "<br>".join(item.lines) + "".join(c.html() for c in item.children) + "</li>"
            for item in self.items
        )
        return f"<{tag}{start}>{items}</{tag}>"


def _add_item(lists: list[_List], line: AnswerLine, html: str) -> None:
    """Place an item at its depth, opening lists (and empty items) down to it as needed."""
    level = lists
    for _ in range(line.depth):
        if not level:
            level.append(_List(line.ordered, line.number))
        parent = level[-1]
        if not parent.items:
            parent.items.append(_Item([]))
        level = parent.items[-1].children
    if not level or level[-1].ordered != line.ordered:
        level.append(_List(line.ordered, line.number))
    level[-1].items.append(_Item([html]))


def _last_item(lists: list[_List]) -> _Item | None:
    item = None
    level = lists
    while level and level[-1].items:
        item = level[-1].items[-1]
        level = item.children
    return item


def render_line_answer(answer: LineAnswer, flavour: Flavour, media: list[str]) -> str:
    """Plain lines stay separate lines of a paragraph; consecutive items form one list."""
    blocks: list[str] = []
    paragraph: list[str] = []
    lists: list[_List] = []

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    def flush_lists() -> None:
        blocks.extend(lst.html() for lst in lists)
        lists.clear()

    for line in answer.lines:
        html = render_inline(line.text, flavour, media)
        last = _last_item(lists)
        if line.continues_item and last is not None:
            last.lines.append(html)
        elif line.is_item:
            flush_paragraph()
            _add_item(lists, line, html)
        else:
            flush_lists()
            paragraph.append(html)
    flush_paragraph()
    flush_lists()
    return "".join(blocks)


def answer_source(answer: LineAnswer | MarkdownAnswer) -> str:
    """The answer as the student wrote it, for the lock file's fingerprint."""
    if isinstance(answer, MarkdownAnswer):
        return answer.source
    return "\n".join(
        ("  " * line.depth + "- " if line.is_item else "") + line.text for line in answer.lines
    )


def render_answer(answer: LineAnswer | MarkdownAnswer, flavour: Flavour, media: list[str]) -> str:
    if isinstance(answer, MarkdownAnswer):
        return render_block(answer.source, flavour, media)
    return render_line_answer(answer, flavour, media)


CODE_RE = re.compile(r"(<code\b[^>]*>)(.*?)(</code>)", re.S)


def protect_code_from_cloze(html: str) -> str:
    """`{{` inside code stays literal text: Anki's cloze parser must not see it."""
    return CODE_RE.sub(lambda m: m[1] + m[2].replace("{{", "{&#123;") + m[3], html)


def render(note: Note, root: Path, settings: RenderSettings = DEFAULT_SETTINGS) -> RenderedNote:
    """The field HTML of one note, in its note type's field order.

    Local media stay placeholders, listed in `media_targets`, until `with_media_names`.
    """
    flavour = flavour_of(note, settings)
    media: list[str] = []
    question = render_inline(note.question, flavour, media)
    answer = render_answer(note.answer, flavour, media)
    source = escape(note.source)
    if note.kind is NoteKind.CLOZE:
        # The question and its answer form the cloze text; a cloze line alone is the text.
        text = f'<div class="ap-question">{question}</div>{answer}' if answer else question
        fields = (protect_code_from_cloze(text), "", source)
    else:
        fields = (question, answer, source)
    return RenderedNote(
        kind=note.kind,
        deck=note.deck,
        fields=fields,
        tags=note.tags,
        key=note.key,
        question_text=normalise_question(note.question),
        answer_fingerprint=hashlib.sha256(answer_source(note.answer).encode()).hexdigest()[:16],
        location=note.location,
        relpath=note.relpath,
        root=root,
        media_targets=tuple(media),
    )


def with_media_names(note: RenderedNote, names: tuple[str, ...]) -> RenderedNote:
    """The note with its media placeholders replaced by the bundled file names."""
    fields = tuple(link_media(field_html, names) for field_html in note.fields)
    return replace(note, fields=fields, media_names=names)
