"""Turning notes into the HTML of their Anki fields: pure, no I/O.

Line-style answers keep the student's lines: each plain line stays its own line and list
items form (nested) lists, with inline Markdown inside each line. Heading-style answers are
full Markdown. One configured markdown-it instance serves every note.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape, unescape

from . import cloze
from .markdown import Flavour, embeds, escape_html, flattened_lines, render_block, render_inline
from .patterns import lazy_pattern
from .records import (
    AnswerLine,
    Diagnostic,
    FieldFormat,
    LineAnswer,
    Location,
    MarkdownAnswer,
    Note,
    NoteKind,
    warning,
)


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
        page_links=note.page_links,
    )


class _ListWriter:
    """Writes nested lists from items with depths, with an explicit stack of open lists
    (no recursion, so that any depth of indentation renders)."""

    def __init__(self) -> None:
        self.html: list[str] = []
        self.open: list[bool] = []
        """For each open list, outermost first: whether it is ordered. Each has an open <li>."""

    def _close_level(self) -> None:
        self.html.append("</li></ol>" if self.open.pop() else "</li></ul>")

    def item(self, line: AnswerLine, html: str) -> None:
        while len(self.open) > line.depth + 1:
            self._close_level()
        if len(self.open) == line.depth + 1:
            if self.open[-1] == line.ordered:
                self.html.append("</li>")
            else:
                self._close_level()
        while len(self.open) < line.depth + 1:
            if len(self.open) < line.depth:
                self.html.append("<ul><li>")  # a level skipped: an empty item holds it
                self.open.append(False)
                continue
            start = f' start="{line.number}"' if line.ordered and line.number != 1 else ""
            self.html.append(f"<ol{start}>" if line.ordered else "<ul>")
            self.open.append(line.ordered)
        self.html.append("<li>" + html)

    def continuation(self, html: str) -> None:
        self.html.append("<br>" + html)

    def close(self) -> str:
        while self.open:
            self._close_level()
        text = "".join(self.html)
        self.html.clear()
        return text


def render_line_answer(answer: LineAnswer, flavour: Flavour, media: list[str]) -> str:
    """Plain lines stay separate lines of a paragraph; consecutive items form one list; a
    code or math block stands between them, and so does a quote (plain lines opening with
    `>`, rendered together as Markdown)."""
    blocks: list[str] = []
    paragraph: list[str] = []
    quote: list[str] = []
    lists = _ListWriter()

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()
        if quote:
            blocks.append(render_block("\n".join(quote), flavour, media))
            quote.clear()

    for line in answer.lines:
        if line.block:  # fenced code or `$$` math: a Markdown block of its own
            flush_paragraph()
            blocks += [lists.close(), render_block(line.text, flavour, media)]
            continue
        if line.text[:1] == ">" and not line.is_item and not line.continues_item:
            if paragraph:
                flush_paragraph()
            blocks.append(lists.close())
            quote.append(line.text)
            continue
        if quote:
            flush_paragraph()
        html = render_inline(line.text, flavour, media)
        if line.continues_item and lists.open:
            lists.continuation(html)
        elif line.is_item:
            flush_paragraph()
            lists.item(line, html)
        else:
            if line.opens_paragraph:
                flush_paragraph()
            blocks.append(lists.close())
            paragraph.append(html)
    flush_paragraph()
    blocks.append(lists.close())
    return "".join(blocks)


def render_answer(answer: LineAnswer | MarkdownAnswer, flavour: Flavour, media: list[str]) -> str:
    if isinstance(answer, MarkdownAnswer):
        return render_block(answer.source, flavour, media)
    return render_line_answer(answer, flavour, media)


CODE_RE = lazy_pattern(r"(<code\b[^>]*>)(.*?)(</code>)", re.S)
BLOCK_LINE_RE = lazy_pattern(r"(?m)^ {0,3}(?:`{3,}|~{3,})|^ {0,3}\|?[ \t]*:?-{3,}:?[ \t]*\|")
"""A fence, or a table's row of dashes (`|---|---|`), at the start of a line."""


def holds_blocks(question: str) -> bool:
    """Whether a question over several lines holds fenced code, a table or paragraphs (a
    prompt over its options): blocks, which inline Markdown would show as their characters."""
    return "\n" in question and ("\n\n" in question or BLOCK_LINE_RE.search(question) is not None)


def protect_code_from_cloze(html: str) -> str:
    """`{{` inside code stays literal text: Anki's cloze parser must not see it."""
    return CODE_RE.sub(lambda m: m[1] + m[2].replace("{{", "{&#123;") + m[3], html)


def render_fields(
    note: Note, settings: RenderSettings = DEFAULT_SETTINGS
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The field HTML of one note, in its note type's field order, and the local media it
    refers to (left in the HTML as numbered placeholders until the files are read)."""
    flavour = flavour_of(note, settings)
    media: list[str] = []
    if note.fields_in is FieldFormat.MARKDOWN:
        if holds_blocks(note.question):  # a card's front with code or a table in it
            question = render_block(note.question, flavour, media)
        else:
            question = render_inline(note.question, flavour, media)
        answer = render_answer(note.answer, flavour, media)
    else:
        question, answer = written_fields(note)
    source = escape(note.source)
    if note.kind is NoteKind.CLOZE:
        # The question and its answer form the cloze text; a cloze line alone is the text.
        text = f'<div class="ap-question">{question}</div>{answer}' if answer else question
        return (protect_code_from_cloze(text), "", source), tuple(media)
    return (question, answer, source), tuple(media)


def written_fields(note: Note) -> tuple[str, str]:
    """The question and answer of a note not written in Markdown: HTML as it is (its file
    lets raw HTML through, and says so), plain text escaped, its line breaks kept."""
    question, answer = note.question, note.answer.source_text
    if note.fields_in is FieldFormat.HTML:
        return question, answer
    return escape_html(question).replace("\n", "<br>"), escape_html(answer).replace("\n", "<br>")


FLATTENED = (
    "lists or quotes nested too deep to show nested (lists: nine levels); from here their "
    "lines are shown as written, one under the other"
)


def render_warnings(
    note: Note, lines: Sequence[str], settings: RenderSettings = DEFAULT_SETTINGS
) -> list[Diagnostic]:
    """What rendering a note changes from what its Markdown says (nothing is ever dropped):
    a warning at each line from which nesting too deep to show is shown flattened."""
    if not isinstance(note.answer, MarkdownAnswer):
        return []  # line-style lists render at any depth
    written = note.answer.source.split("\n")
    return [
        warning(Location(note.location.path, _line_of(written[offset], lines, note)), FLATTENED)
        for offset in flattened_lines(note.answer.source, flavour_of(note, settings))
    ]


CODE_TEXT_RE = lazy_pattern(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1|(`+).+?\2", re.M | re.S)
"""Code blocks and code spans, roughly: an embed written in code is shown as written."""


def embed_warnings(note: Note, lines: Sequence[str]) -> list[Diagnostic]:
    """A warning at each Obsidian embed of a page or of a file a card cannot show, of which
    the card shows the name only (asked for notes of files holding `![[`)."""
    text = f"{note.question}\n{note.answer.source_text}"
    found: list[Diagnostic] = []
    for embed in embeds(CODE_TEXT_RE.sub("", text)):
        if embed.is_media:
            continue
        line, col = _position_of((f"![[{embed.name}",), lines, note)
        found.append(
            warning(
                Location(note.location.path, line, col),
                f"`![[{embed.name.strip()}]]` embeds a page or a file that a card cannot hold: "
                f"the card shows `{embed.shown}` instead",
            )
        )
    return found


# HTML elements that notes write for their look (`<b>`, `<span style=…>`, `<kbd>`, `<div>`,
# `<details>`): not the names that commands' placeholders take (`<file>`, `<input>`).
_MARKUP_ELEMENTS = (
    "a|abbr|b|big|blockquote|center|cite|code|dd|del|details|div|dl|dt|em|font|h[1-6]|i|"
    "ins|kbd|li|mark|ol|p|pre|s|small|span|strike|strong|sub|summary|sup|table|tbody|td|"
    "tfoot|th|thead|tr|tt|u|ul"
)
SHOWN_MARKUP_RE = lazy_pattern(
    rf"&lt;/(?P<closed>{_MARKUP_ELEMENTS})[ \t]*&gt;|&lt;(?P<void>img|hr)[ \t/][^<>]{{0,300}}?&gt;",
    re.IGNORECASE,
)
"""A closing tag, or an image's tag, shown as text: HTML markup typed in a note, not a
placeholder's brackets (`git add <file>`) nor a tag named in prose (`the <p> tag`)."""
CODE_HTML_RE = lazy_pattern(r"<(code|pre)\b[^>]*>.*?</\1>", re.S)


def shows_html_as_text(note: Note, settings: RenderSettings) -> bool:
    """Whether raw HTML in the note's Markdown is shown as text (not let through)."""
    return note.fields_in is FieldFormat.MARKDOWN and not (note.allow_html or settings.allow_html)


def html_warning(note: Note, fields: Sequence[str], lines: Sequence[str]) -> Diagnostic | None:
    """A warning at the first HTML markup of a note's that its card shows as text (raw
    HTML is not let through), outside code, where tags are text as meant."""
    for html in fields[:2]:
        if "&lt;" not in html:
            continue
        found = SHOWN_MARKUP_RE.search(CODE_HTML_RE.sub("", html))
        if found is None:
            continue
        name = (found["closed"] or found["void"]).lower()
        tags = [f"<{name}{end}" for end in (">", " ", "/")] if found["closed"] else [f"<{name}"]
        line, col = _position_of([*tags, *(tag.upper() for tag in tags)], lines, note)
        return warning(
            Location(note.location.path, line, col),
            f"this note holds HTML (`<{name}>`), shown as text on its card, as is all raw "
            "HTML in this file; if you trust the file, `html: true` in its front matter "
            "(or `--allow-html`) lets it through",
        )
    return None


def _position_of(texts: Sequence[str], lines: Sequence[str], note: Note) -> tuple[int, int]:
    """Line and column of the first of `texts` from the note's question on (else the
    question's)."""
    first = note.location.line
    for index in range(first - 1, min(len(lines), first + 10_000)):
        cols = [col for text in texts if (col := lines[index].find(text)) >= 0]
        if cols:
            return index + 1, min(cols) + 1
    return first, note.location.col


def _line_of(text: str, lines: Sequence[str], note: Note) -> int:
    """The first line below the note's question that reads `text` (else the question's)."""
    first = note.location.line
    return next(
        (i + 1 for i in range(first, min(len(lines), first + 10_000)) if lines[i] == text), first
    )


TAG_RE = lazy_pattern(r"<[^>]*>")


def visible_text(html: str) -> str:
    """A field's text without its tags and entities, as Anki sorts and compares it."""
    return unescape(TAG_RE.sub("", html)).strip()


def shows_something(html: str) -> bool:
    """Whether Anki would find a field non-empty: visible text, an image or a sound."""
    if "<img" in html or "[sound:" in html:
        return True
    return bool(visible_text(html).replace("\u200b", "").strip())


def empty_card_problems(kind: NoteKind, fields: tuple[str, ...]) -> list[str]:
    """Why a note would give Anki an empty card (which Anki refuses or silently drops)."""
    if kind is NoteKind.CLOZE:
        deletions = cloze.scan(fields[0])[0]
        if not deletions:
            return ["cloze note without any deletion"]
        return [
            f"cloze deletion c{d.number} shows nothing on the card"
            for d in deletions
            if not shows_something(d.content)
        ]
    problems = []
    if not shows_something(fields[0]):
        problems.append("the question shows nothing on the card")
    if kind is NoteKind.REVERSED and not shows_something(fields[1]):
        problems.append("the back of a reversed note shows nothing, so its second card is empty")
    return problems
