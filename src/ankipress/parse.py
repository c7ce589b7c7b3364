"""Reading notes out of a decoded source file: pure, no I/O.

`parse` composes the steps, top to bottom: the body (HTML comments out, code and math blocks
marked) → its format (ankipress's own, or another tool's, recognised from the file) → readers
that try ordered lists of rules on its lines (`lines.py`, `headings.py`, `cards.py`), giving
drafts → `settle`, the one place that decides what each draft becomes and checks it.

In ankipress's own format, line style and heading style mix: headings are read from the
headings themselves (`headings.py`), and the text under a heading that is no question is
read in line style.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from . import cloze
from .body import Body, row_cells, scan_body
from .cards import CardReader, o2a_file_line
from .formats import MDANKI, Format, choose_format
from .headings import (
    Heading,
    Plan,
    Role,
    asides,
    asks_draft,
    body_headings,
    paired_draft,
    plan_headings,
    question_draft,
    section_heading_of,
)
from .lines import (
    ATX_HEADING_RE,
    LINK_LINE_RE,
    LIST_ITEM_RE,
    MARKDOWN_LINK,
    QUESTION_WORDS,
    QUOTE_MARK_RE,
    Draft,
    LineStyleParser,
    Reader,
    asks_somehow,
    contents_rows,
    indent_width,
    reads_as_question,
    split_note_id,
)
from .literals import fenced_blocks, mask_literals
from .patterns import lazy_pattern
from .records import (
    AnswerLine,
    Diagnostic,
    FieldFormat,
    LineAnswer,
    LineReading,
    Location,
    MarkdownAnswer,
    Note,
    NoteKind,
    Reading,
    SourceFile,
    error,
    warning,
)
from .sources import clean_tag, normalise_deck_name, obsidian_tag

__all__ = [
    "QUESTION_WORDS",
    "LineStyleParser",
    "ParsedFile",
    "find_duplicates",
    "find_headings",
    "normalise_question",
    "parse",
    "split_note_id",
    "style_warnings",
]

EXPLICIT_ID_PREFIX = "note:"
NO_ANSWER = (
    "question without an answer; if the next line is its answer, "
    "mark that line with `A:` (or end a line that leads a list with `:`)"
)


@dataclass(frozen=True)
class ParsedFile:
    """What one source file holds: its notes, its problems, and how each line was read."""

    source: SourceFile
    deck: str
    notes: tuple[Note, ...]
    diagnostics: tuple[Diagnostic, ...]
    line_readings: tuple[Reading, ...]
    """How each line of the file was read (one entry a line, kept compact)."""
    reading: str = ""
    """How the file as a whole was read: its format and style, and why (for `explain`)."""
    html_said: bool = False
    """A warning of the reader's already says that the file's HTML is shown as text."""

    @property
    def readings(self) -> tuple[LineReading, ...]:
        """Each source line with how it was read, for `explain`."""
        return tuple(
            LineReading(number, reading, line)
            for number, (reading, line) in enumerate(
                zip(self.line_readings, self.source.lines, strict=True), start=1
            )
        )


@dataclass
class Found:
    """What the readers found in a file, before notes are settled."""

    drafts: list[Draft] = field(default_factory=list)
    readings: dict[int, Reading] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    title: str | None = None
    style: str = ""
    allow_html: bool = False
    """The file lets raw HTML through in a way of its own (not front matter `html`)."""
    html_said: bool = False
    """A warning says that the file's HTML is shown as text (a delimited file's rows)."""

    def take(self, reader: Reader) -> None:
        self.drafts += reader.drafts
        self.readings.update(reader.readings)
        self.diagnostics += reader.diagnostics
        self.tags += reader.tags


WORD_RE = lazy_pattern(r"\w")
"""A letter or a digit: a word shown."""


def parse(source: SourceFile) -> ParsedFile:
    """Read every note of a file, in source order, with a diagnostic for each problem."""
    body = scan_body(source)
    fmt, format_problems = choose_format(source, body)
    found = read_cards(source, body, fmt) if fmt.cards_only else read_own_format(source, body, fmt)
    deck = deck_name(source, found.title)
    file_tags = [t for t in map(obsidian_tag, found.tags) if t]
    notes: list[Note] = []
    diagnostics = [*body.diagnostics, *format_problems, *found.diagnostics]
    for draft in sorted(found.drafts, key=lambda d: d.index):
        if (placeholder := placeholder_of(draft)) is not None:
            message = (
                f"this question's answer is only a placeholder (`{placeholder}`): the note is "
                "left out until its answer is written"
            )
            diagnostics.append(warning(source.location(draft.index, draft.col), message))
            found.readings.update((at, Reading.IGNORED) for at in draft.source_lines)
            continue
        own_deck = deck if draft.deck is None else deck_name(source, draft.deck)
        note, problems, readings = settle(source, own_deck, draft, file_tags, found.allow_html)
        diagnostics += problems
        found.readings.update(readings)
        if note is not None:
            notes.append(note)
    diagnostics += deck_warnings(source, deck)
    if not notes and not any(d.is_error for d in diagnostics):
        diagnostics.append(warning(source.location(0), "no notes in this file"))
    diagnostics.sort(key=lambda d: (d.location.line, d.location.col))
    return ParsedFile(
        source,
        deck,
        tuple(notes),
        tuple(diagnostics),
        line_readings(source, body, found),
        f"{found.style} ({fmt.why})" if fmt.why else found.style,
        found.html_said,
    )


def line_readings(source: SourceFile, body: Body, found: Found) -> tuple[Reading, ...]:
    readings = {i: Reading.FRONT_MATTER for i in range(source.front_matter.line_count)}
    readings.update((i, Reading.COMMENT) for i in body.comment_lines)
    readings.update((i, Reading.SEPARATOR) for i in body.marker_lines)
    readings.update(found.readings)
    return tuple(
        readings.get(i, Reading.BLANK if not line.strip() else Reading.IGNORED)
        for i, line in enumerate(source.lines)
    )


# -- reading a file ------------------------------------------------------------------------------


def read_cards(source: SourceFile, body: Body, fmt: Format) -> Found:
    """Another tool's format in which only cards are notes."""
    found = Found(style=f"{fmt.title} format: only its cards are notes, other text is left out")
    reader = CardReader(source, body, fmt).read()
    found.take(reader)
    found.title, found.allow_html = reader.title, reader.allow_html
    found.html_said = reader.html_said
    return found


def reads_as_notes(reader: Reader) -> bool:
    """Whether a stretch of text under a heading reads as line-style notes without a doubt:
    no error, every question answered, and more than one note or a question marked as such."""
    drafts = reader.drafts
    if not drafts or any(d.is_error for d in reader.diagnostics):
        return False
    if any(map(cut_sentence, drafts)):
        return False
    answered = all(d.answered() or left_to_write(d) or bracket_card(d) for d in drafts)
    return answered and (len(drafts) > 1 or drafts[0].strong)


WRAPPED = 50
"""Characters from which a line may be prose wrapped at a width (most wrap at 70 to 80)."""


def cut_sentence(draft: Draft) -> bool:
    """Whether a note's question is the first line of a sentence that its answer's first line
    goes on with (prose wrapped at a width, `… qui s'applique à tous les` / `pays membres.`):
    a question as long as a wrapped line (`WRAPPED`), neither asking nor ending with a mark,
    over a line opening in lower case (`gagner sa vie` / `earn one's living` is a word); a
    list's item (`- a) Vero`) goes on with no sentence."""
    if draft.strong or len(draft.question) != 1 or not draft.answer or asks_draft(draft):
        return False
    if draft.answer[0].is_item:
        return False
    if len(draft.question[0].strip()) < WRAPPED:
        return False
    last, following = draft.question[0].rstrip()[-1:], draft.answer[0].text.lstrip()[:1]
    return last.isalnum() and following.isalpha() and following.islower()


def read_own_format(source: SourceFile, body: Body, fmt: Format) -> Found:
    """ankipress's format: headings read from themselves, line style under sections."""
    found = Found()
    headings = body_headings(body)

    def notes_under(start: int, end: int) -> Reader | None:
        reader = LineStyleParser(source, (), body, start, end).read()
        return reader if reads_as_notes(reader) else None

    plan = plan_headings(headings, body.texts, notes_under, body.in_block)
    questions = [h for h in headings if plan.roles[h.pos] is Role.QUESTION]
    titled = next((h for h in headings if plan.roles[h.pos] is Role.TITLE), None)
    found.title = titled.text if titled else None
    if (target := target_deck(body)) is not None:  # Obsidian_to_Anki's, above the notes
        deck, after = target
        found.title, titled = deck, None
        found.readings.update((body.indices[k], Reading.FRONT_MATTER) for k in range(after))
        plan.pending = [(max(start, after), end) for start, end in plan.pending if end > after]
    for reader in plan.sections.values():
        found.take(reader)
    # Where the file's notes start: at a question heading, or a section of notes.
    first_question = min([*(h.pos for h in questions[:1]), *plan.sections], default=len(body))
    for start, end in plan.pending:
        read_pending(source, body, found, (start, end), first_question, titled is None)
    marker = Reader(source, body)
    found.drafts += [paired_draft(marker, *pair) for pair in plan.pairs]
    for heading in headings:
        role = plan.roles[heading.pos]
        if role is Role.QUESTION:
            end, leads_to = plan.ends[heading.pos], plan.leads.get(heading.pos)
            found.drafts.append(question_draft(marker, heading, end, leads_to))
        elif role is not Role.ANSWER:
            marker.mark(heading.pos, Reading.TITLE if role is Role.TITLE else Reading.SECTION)
    found.readings.update(marker.readings)
    found.diagnostics += marker.diagnostics
    found.diagnostics += [warning(marker.location(k), message) for k, message in plan.doubts]
    qualify_repeated(found.drafts, headings, plan, body)
    leave_out_asides(found, headings, body, source)
    kept = {draft.index for draft in found.drafts}
    asked = [h for h in questions if body.indices[h.pos] in kept]  # asides left out
    if not source.front_matter.format and (doubt := topics_only(asked, found)) is not None:
        found.diagnostics.append(warning(marker.location(questions[0].pos), doubt))
    elif not source.front_matter.format and (first := nothing_asked(found.drafts)) is not None:
        found.diagnostics.append(warning(source.location(first.index, first.col), NOTHING_ASKED))
    found.style = own_style(fmt, questions, found, plan.sections)
    return found


ASKING_NOTES = 5
"""Notes that ask from which a file's notes are known to ask."""


def leave_out_asides(
    found: Found, headings: Sequence[Heading], body: Body, source: SourceFile
) -> None:
    """In a file whose notes ask (five at least, four in five of the others), a question
    heading that asks nothing and names an aside of the page (`## Tips for Success`, `## 참고
    자료`, `## 说明`), or stands under one, or has only links under it (`### 他の方の回答集`),
    is no note: it is left out with its text, said. Whatever the others, so is an aside's
    heading with only links under it (`## 참고`, `## Оглавление`): sources or a table of
    contents, never a card."""
    aside_of = asides(headings)
    at = {body.indices[pos]: aside for pos, aside in aside_of.items()}
    linked = {d.index for d in found.drafts if d.heading and d.markdown and only_links(d.markdown)}
    if not at and not linked:
        return
    left = [
        d
        for d in found.drafts
        if d.heading and (d.index in at or d.index in linked) and not asks_draft(d)
    ]
    under = _line_notes_under_asides(found.drafts, headings, aside_of, body)
    apart = {id(d) for d in left} | {id(d) for d, _ in under}
    others = [d for d in found.drafts if id(d) not in apart]
    asking = sum(map(asks_draft, others))
    unlike = asking >= ASKING_NOTES and asking * 5 >= len(others) * 4
    if not unlike:
        left = [d for d in left if d.index in at and d.index in linked]
    else:
        _leave_out_under_asides(found, under, body, source)
    if not left:
        return
    for draft in left:
        found.drafts.remove(draft)
        found.readings.update((index, Reading.IGNORED) for index in draft.source_lines)
        aside = at.get(draft.index)
        if aside is None:
            where = "has only links under it"
        elif body.indices[aside.pos] == draft.index:
            where = "names an aside of the page"
        else:
            where = f'stands under "{aside.text}", an aside of the page'
        if not unlike:
            where += ", only links"
        others_ask = ", unlike the file's other questions," if unlike else ""
        message = (
            f'the heading "{draft.question[0]}" asks nothing{others_ask} and {where}: it and '
            "its text are left out; end it with `?` if it is a question"
        )
        place = source.location(draft.index, 1)
        # What was said of it as a note (read as a question though it asks nothing) is moot.
        found.diagnostics[:] = [
            d for d in found.diagnostics if d.is_error or d.location.line != place.line
        ]
        found.diagnostics.append(warning(place, message))


def _line_notes_under_asides(
    drafts: Sequence[Draft], headings: Sequence[Heading], aside_of: dict[int, Heading], body: Body
) -> list[tuple[Draft, Heading]]:
    """The line-style notes standing in the section of a heading that names an aside (`##
    🎯 Suggerimenti`, `## Instructions`) and asking nothing in their words, one-line notes
    aside (a vocabulary under `## Notes` is cards): each with its aside's heading."""
    spans = []
    for i, heading in enumerate(headings):
        if aside_of.get(heading.pos) is not heading:
            continue
        end = next((h.pos for h in headings[i + 1 :] if h.level <= heading.level), len(body))
        spans.append((body.indices[heading.pos], body.indices[end - 1], heading))
    return [
        (draft, heading)
        for draft in drafts
        if not draft.heading and not draft.one_liner
        for start, last, heading in spans
        if start < draft.index <= last and not asks_somehow(" ".join(draft.question))
    ]


def _leave_out_under_asides(
    found: Found, under: Sequence[tuple[Draft, Heading]], body: Body, source: SourceFile
) -> None:
    """Leaves out the notes `under` asides, said once an aside, at its heading."""
    by_aside: dict[int, tuple[Heading, list[Draft]]] = {}
    for draft, heading in under:
        by_aside.setdefault(heading.pos, (heading, []))[1].append(draft)
    for heading, drafts in by_aside.values():
        for draft in drafts:
            found.drafts.remove(draft)
            found.readings.update((index, Reading.IGNORED) for index in draft.source_lines)
        said = f"{len(drafts)} notes" if len(drafts) > 1 else "a note"
        found.diagnostics.append(
            warning(
                source.location(body.indices[heading.pos], 1),
                f'the heading "{heading.text}" names an aside of the page, and {said} under '
                "it ask nothing, unlike the file's other questions: they are left out; end a "
                "question with `?` to keep it",
            )
        )


def only_links(text: str) -> bool:
    """Whether every written line of a text is a link or an address, bulleted or not
    (`* [Top 20 HTTP questions](https://…)`, `- [1. Что такое Python?](#2-…)`, `[[Page]]`)."""
    written = [line for line in text.splitlines() if line.strip()]
    if len(written) > 2 and all(line.lstrip()[:1] == "|" for line in written):
        # a table of contents (`| 2 | [What is OpenAPI?](#2-what-is-openapi) |`), its header
        return contents_rows([[c.strip() for c in row_cells(line)] for line in written[2:]])
    return bool(written) and all(
        LINK_LINE_RE.fullmatch(line) or LINK_BAR_RE.fullmatch(line) for line in written
    )


_LINK = rf"[*_]{{0,2}}{MARKDOWN_LINK}[*_]{{0,2}}"
LINK_BAR_RE = lazy_pattern(rf"[ \t]*{_LINK}(?:[ \t]*[|·•,][ \t]*{_LINK})+[ \t]*[|·•]?[ \t]*")
"""A line of links between bars, as a page's index of its parts (`**[A](#a)** | **[B](#b)**`)."""


GENERIC_WORDS = 4
"""Words from which a question asked under several headings is meant as asked, twice."""


def qualify_repeated(
    drafts: Sequence[Draft], headings: Sequence[Heading], plan: Plan, body: Body
) -> None:
    """A short question asked under several section headings (`## Cos'è?` under `# Context
    Switch`, and again under `# Dispatcher`) asks about each heading: its note's question
    says which (`Context Switch — Cos'è?`). A longer one asked twice is a slip, said by the
    duplicate check, as is a short one asked twice under one heading."""
    asked: dict[str, list[Draft]] = {}
    for draft in drafts:
        if len(draft.question) == 1 and len(draft.question[0].split()) <= GENERIC_WORDS:
            asked.setdefault(normalise_question(draft.question[0]), []).append(draft)
    repeated = [draft for group in asked.values() if len(group) > 1 for draft in group]
    if not repeated:
        return
    positions = {index: pos for pos, index in enumerate(body.indices)}
    for draft in repeated:
        section = section_heading_of(headings, plan, positions.get(draft.index, -1))
        if section is not None:
            draft.question[0] = f"{section.text} — {draft.question[0]}"


def topics_only(questions: Sequence[Heading], found: Found) -> str | None:
    """Why a file's notes are in doubt when every one is a heading that names a topic, none
    asking (`## Einstieg` over links, `## Fokusfelder` over a list): such a page may be a
    course's notes or an index rather than flashcards. None when a heading asks, or a note
    of the file is no heading's."""
    if not questions or any(h.question_like or h.asks for h in questions):
        return None
    if len(found.drafts) > len(questions) or any(map(asks_draft, found.drafts)):
        return None  # (`## Question 1` over the question in bold asks)
    names = ", ".join(f'"{h.text}"' for h in questions[:3]) + (", …" if len(questions) > 3 else "")
    read = (
        f"its {len(questions)} headings with text under them ({names}) are read as questions, "
        "their text as the answers"
        if len(questions) > 1
        else f"its heading with text under it ({names}) is read as a question, its text as the "
        "answer"
    )
    return (
        f"no heading of this file asks a question, yet {read}; if the "
        "file holds no flashcards, keep it out of the notes folder; if these are the cards "
        "meant, `format: ankipress` in its front matter says so"
    )


UNASKED_NOTES = 5
"""Line-style notes from which a file none of whose notes asks is in doubt."""
NOTHING_ASKED = (
    "no note of this file asks a question (none ends with `?`, opens with a question word, "
    "or is marked as a card), yet its paragraphs are read as questions with their answers; "
    "if the file holds no flashcards (a course's information, a page of notes), keep it out "
    "of the notes folder; if these are the cards meant, `format: ankipress` in its front "
    "matter says so"
)


def nothing_asked(drafts: Sequence[Draft]) -> Draft | None:
    """The first note of a file of line-style notes (five at least) none of which asks or is
    marked as a card by its form (a label, a one-line card, a question item, a cloze): such
    a page may be a course's information (`**Homework:**` over a list) rather than
    flashcards. None when one asks."""
    if len(drafts) < UNASKED_NOTES:
        return None
    for draft in drafts:
        text = " ".join(draft.question)
        if (
            draft.strong
            or draft.heading
            or draft.one_liner
            or draft.item_question_at >= 0
            or draft.ruled
            or draft.numbered_card
            or draft.cloze_item
            or reads_as_question(text)
            or cloze.may_hold_cloze(text)
        ):
            return None
    return min(drafts, key=lambda d: d.index)


def target_deck(body: Body) -> tuple[str, int] | None:
    """Obsidian_to_Anki's `TARGET DECK` line at the top of a page that holds no `START`
    block (its notes made by the vault's own patterns): the deck it names, and the position
    after it (the name may stand on the next line)."""
    first = next((k for k, text in enumerate(body.texts) if text.strip()), None)
    found = o2a_file_line(body.texts, first, len(body.texts)) if first is not None else None
    if found is None or found[0] != "TARGET DECK" or not found[1]:
        return None
    return found[1], found[2] + 1


def read_pending(
    source: SourceFile,
    body: Body,
    found: Found,
    stretch: tuple[int, int],
    first_question: int,
    may_title: bool,
) -> None:
    """Text before the first heading, under the title or a chapter: line-style notes when the
    file has no question heading or when it reads as notes; else it is no note (said)."""
    start, end = stretch
    has_questions = first_question < len(body)
    reader = LineStyleParser(source, (), body, start, end)
    if start == 0 and may_title:
        reader.title = reader.find_title()
    reader.read()
    if not has_questions or reads_as_notes(reader):
        found.take(reader)
        if reader.title is not None:
            found.title = body.texts[reader.title].strip()
        return
    stray = next((k for k in range(start, end) if body.texts[k].strip()), None)
    if stray is None:
        return
    if start < first_question:
        message = "text before the first question heading is not part of any note"
        if any(d.message == message for d in found.diagnostics):
            return  # said once
    else:
        message = "this text under a section heading is not part of any note"
    found.diagnostics.append(warning(source.location(body.indices[stray]), message))


def own_style(
    fmt: Format, questions: Sequence[Heading], found: Found, sections: dict[int, Reader]
) -> str:
    """How a file in ankipress's format was read, for `explain`."""
    name = "mdanki format" if fmt.name == MDANKI else "ankipress format"
    heading_notes = bool(questions)
    line_notes = any(not d.heading for d in found.drafts)
    levels = ", ".join("#" * level for level in sorted({h.level for h in questions}))
    if heading_notes and line_notes:
        return f"{name}: mixed, question headings ({levels}) and line-style notes"
    if heading_notes:
        return f"{name}: heading style, the question headings are {levels}"
    return f"{name}: line style" + (" under section headings" if sections else "")


# -- settling a draft into a note: the one place for every style and format ---------------------


@dataclass(frozen=True)
class Piece:
    """A text of a draft (its question, an answer line, a Markdown answer) and where each of
    its lines stands, to locate a problem at any offset in it."""

    text: str
    at: tuple[tuple[int, int], ...]

    def locate(self, source: SourceFile, offset: int) -> Location:
        line = self.text.count("\n", 0, offset)
        start = self.text.rfind("\n", 0, offset) + 1
        index, col = self.at[min(line, len(self.at) - 1)]
        return source.location(index, col + offset - start)


PLACEHOLDER_RE = lazy_pattern(
    r"(?://|#|<!--|\(|\[)?[ \t]*(?P<mark>TODO|TBD|FIXME|(?i:à compléter|a completer|à faire"
    r"|to be completed|to be written|coming soon|por completar|da completare|wird ergänzt"
    r"|kommt noch))\b.*"
)
"""An answer still to write, as students mark one (`// TODO: add the picture`, `TBD`)."""


def bracket_card(draft: Draft) -> bool:
    """Whether a draft is hashcards' `C:` card, its `[deletions]` in its text, no answer."""
    if not draft.list_cloze or draft.answer or draft.markdown is not None:
        return False
    return cloze.has_cloze(cloze.brackets_as_highlights(draft.question_text))


def left_to_write(draft: Draft) -> bool:
    """Whether a question's answer is only bullets with nothing after them (`- `): a list
    its author has still to write. Such a note is still an error, a question without an
    answer; but the text it stands in reads as notes, and the error is said where it is."""
    return (
        draft.markdown is None
        and bool(draft.answer)
        and all(a.is_item and not a.text.strip() for a in draft.answer)
    )


def placeholder_of(draft: Draft) -> str | None:
    """The mark of an answer that is only a placeholder (one line, `// TODO: …`); None
    when the answer says anything else (or holds no placeholder)."""
    if draft.markdown is not None:
        lines = [line for line in draft.markdown.split("\n") if line.strip()]
    else:
        lines = [a.text for a in draft.answer if a.text.strip()]
    if len(lines) != 1 or (match := PLACEHOLDER_RE.fullmatch(lines[0].strip())) is None:
        return None
    return match["mark"]


def unquoted(draft: Draft) -> str:
    """A line-style question's text, without the quote's marks when every line of it is
    written as a quote (`> What is sensory memory?`): a mark no card shows on its front."""
    marks = [QUOTE_MARK_RE.match(line) for line in draft.question] if not draft.heading else []
    if not marks or not all(m and m.string[m.end() : m.end() + 1].strip() for m in marks):
        return draft.question_text
    return "\n".join(m.string[m.end() :] for m in marks)  # type: ignore[union-attr]


def settle(
    source: SourceFile,
    deck: str,
    draft: Draft,
    file_tags: Sequence[str],
    allow_html: bool = False,
) -> tuple[Note | None, list[Diagnostic], dict[int, Reading]]:
    """What a finished draft becomes (Basic, reversed, Cloze, list cloze), its cloze numbers
    and their messages, and the check that it makes cards; with the readings it changes."""
    where = source.location(draft.index, draft.col)
    question = cloze.written_highlights(unquoted(draft))
    markdown = cloze.written_highlights(draft.markdown) if draft.markdown is not None else None
    # An empty `A:` line or a bare `-` shows nothing on the card: it is no answer.
    kept = [(a, at) for a, at in zip(draft.answer, draft.answer_at, strict=True) if a.text]
    answer = [
        replace(a, text=cloze.written_highlights(a.text)) if "==c" in a.text else a for a, _ in kept
    ]
    texts = [question, *([markdown] if markdown is not None else []), *(a.text for a in answer)]
    problems = (
        cloze_problems(source, draft, texts, [at for _, at in kept])
        if any("{{" in text for text in texts)
        else []
    )
    if draft.heading and not question.strip():
        problems.append(error(source.location(draft.index), "heading without a question"))
    if problems:
        return None, problems, {}

    has_answer = bool(markdown.strip()) if markdown is not None else bool(answer)
    if draft.list_cloze and not has_answer and not draft.heading:
        # hashcards' `C:` card: each `[…]` of the text a deletion, no answer under it
        texts[0] = question = cloze.brackets_as_highlights(question)
    is_cloze = cloze.may_hold_cloze("\n".join(texts)) and any(map(cloze.has_cloze, texts))
    readings: dict[int, Reading] = {}
    kind, auto = draft.kind, []
    no_answer = (
        NO_ANSWER if markdown is None and not draft.heading else "question without an answer"
    )
    # (a `C:` line without answer says what `C:` needs instead, below)
    if (
        not is_cloze
        and draft.needs_answer
        and not has_answer
        and not (draft.list_cloze and not draft.heading)
    ):
        return None, [error(where, no_answer)], {}
    if is_cloze:
        kind = NoteKind.CLOZE
        taken = set().union(*map(cloze.numbers, texts))
        question, auto = cloze.number_highlights(question, taken)
        if markdown is not None:
            markdown, found = cloze.number_highlights(markdown, taken)
            auto += found
        for i, line in enumerate(answer):
            text, found = cloze.number_highlights(line.text, taken)
            answer[i] = replace(line, text=text)
            auto += found
        readings[draft.index] = Reading.CLOZE
    elif draft.list_cloze or (source.front_matter.cloze == "lists" and not draft.one_liner):
        clozed = list_cloze(markdown, answer)
        if clozed is not None:
            kind, (markdown, answer, auto) = NoteKind.CLOZE, clozed
            readings[draft.index] = Reading.LIST_CLOZE
            for line, (_, at) in zip(answer, kept, strict=True):
                if line.is_item:
                    readings[at[0][0]] = Reading.CLOZE_ITEM
        elif draft.list_cloze:
            message = "`C:` asks for a list cloze, but the answer has no list items"
            return None, [error(where, message)], {}

    warnings = []
    if kind is NoteKind.CLOZE:
        used = set().union(
            *(cloze.numbers(t) for t in (question, markdown or "", *(a.text for a in answer)))
        )
        if not used:
            return None, [error(where, "cloze note without any deletion")], {}
        if max((n for n, _ in auto), default=0) > cloze.MAX_NUMBER:  # past Anki's last card
            message = (
                f"more than {cloze.MAX_NUMBER} deletions in one note: Anki makes cards up to "
                f"c{cloze.MAX_NUMBER}; split the note"
            )
            return None, [error(where, message)], {}
        if missing := cloze.gaps(used):
            numbers = ", ".join(f"c{n}" for n in missing)
            warnings.append(warning(where, f"cloze numbers skip {numbers}: no card for them"))
        texts = (question, markdown or "", *(a.text for a in answer))
        if not any(WORD_RE.search(cloze.shown_around(t)) for t in texts):
            message = (
                "this cloze hides all of its text: its card shows nothing but the gap "
                "(a `==highlighted==` line alone is a cloze); leave some words shown"
            )
            warnings.append(warning(where, message))
    body = (
        MarkdownAnswer(markdown.strip("\n")) if markdown is not None else LineAnswer(tuple(answer))
    )
    tags = [*file_tags, *(t for t in map(obsidian_tag, draft.tags) if t)]
    note = make_note(
        source,
        deck,
        question,
        body,
        draft.index,
        draft.col,
        kind,
        tuple(auto),
        tags,
        allow_html,
        draft.fields_in,
        draft.page_links,
    )
    return note, warnings, readings


def cloze_problems(
    source: SourceFile, draft: Draft, texts: list[str], answer_at: list[tuple]
) -> list[Diagnostic]:
    """Every malformed deletion of a draft (its question, then its answer), at its place."""
    places = [tuple(draft.question_at)]
    if draft.markdown is not None:
        places.append(tuple((i, 1) for i in draft.markdown_at) or ((draft.index, 1),))
    places += answer_at
    return [
        error(Piece(text, at).locate(source, problem.offset), problem.message)
        for text, at in zip(texts, places, strict=True)
        if "{{" in text
        for problem in cloze.scan(text)[1]
    ]


def list_cloze(
    markdown: str | None, answer: list[AnswerLine]
) -> tuple[str | None, list[AnswerLine], list[tuple[int, str]]] | None:
    """A list cloze of a Markdown answer or of answer lines; None when there is no list."""
    if markdown is not None:
        clozed = markdown_list_cloze(markdown)
        return None if clozed is None else (clozed[0], answer, clozed[1])
    if not any(a.is_item for a in answer):
        return None
    lines, auto = list_cloze_lines(answer)
    return None, lines, auto


def deck_warnings(source: SourceFile, deck: str) -> list[Diagnostic]:
    """A deck named `Default` is Anki's own, where cards added without a deck go."""
    if deck.split("::")[0].casefold() != "default":
        return []
    return [
        warning(
            source.location(0),
            f"the deck '{deck}' is, or is inside, Anki's own `Default` deck, which also holds "
            "the cards added without a deck; give it another name (front matter `deck`)",
        )
    ]


# -- notes and their checks ------------------------------------------------------------------------


def normalise_question(question: str) -> str:
    """The form of a question that identifies its note: case, spacing and quotes don't count."""
    text = question.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = " ".join(text.split()).casefold()
    return re.sub(r" (?=[?!:;])", "", text)


def identity_key(source: SourceFile, deck: str, normalised: str) -> str:
    """Namespace (front matter `id`, else the deck) and the normalised question."""
    namespace = f"id:{source.front_matter.id}" if source.front_matter.id else f"deck:{deck}"
    return f"{namespace}\x1f{normalised}"


@cache
def source_tag(relpath: str) -> str:
    """The tag naming a note's source file, grouped under `source::` in Anki's sidebar."""
    return clean_tag(f"source::{relpath}")


def deck_name(source: SourceFile, title: str | None) -> str:
    """Front matter `deck` wins; else front matter `title` (another tool's), the file's title
    (or its stem) under the file's sub-folders."""
    front = source.front_matter
    if front.deck:
        return front.deck
    name = front.title or normalise_deck_name(unemphasised(title or "")) or source.stem
    return normalise_deck_name("::".join([*source.folders, name]))


WHOLE_EMPHASIS_RE = lazy_pattern(r"(\*\*|__|\*|_)(?=\S)(?P<text>[^*_]*?\S)\1")


def unemphasised(title: str) -> str:
    """A title written wholly in bold or italics (`**Cours 13**`), without the marks: a
    deck's name is plain text."""
    while (whole := WHOLE_EMPHASIS_RE.fullmatch(title.strip())) is not None:
        title = whole["text"]
    return title


def find_headings(lines: Sequence[str], start: int) -> list[tuple[int, int, str]]:
    """(line index, level, text) of every ATX heading outside fenced code."""
    body = lines[start:]
    fenced = {i for first, last in fenced_blocks(body) for i in range(first, last + 1)}
    headings = []
    for index, line in enumerate(body):
        if index not in fenced and (match := ATX_HEADING_RE.match(line)):
            headings.append((start + index, len(match["marks"]), (match["text"] or "").strip()))
    return headings


def deck_case_error(deck: str, where: Location, spelt: str, first: Location) -> Diagnostic:
    """Anki matches deck names ignoring case: `Bio` and `bio` would be one deck."""
    return error(
        where,
        f"deck '{deck}' is also written '{spelt}' at {first}; Anki takes them for one deck: "
        "write both the same way",
    )


def find_duplicates(notes: Iterable[Note]) -> list[Diagnostic]:
    """An error for every note whose question repeats an earlier one of the same deck, and
    for every deck written with other capitals than an earlier one (Anki takes them for one
    deck: `Bio` and `bio` would merge, named after whichever came first)."""
    first_seen: dict[str, Note] = {}
    deck_spelling: dict[str, Note] = {}
    diagnostics = []
    for note in notes:
        spelt = deck_spelling.setdefault(note.deck.casefold(), note)
        if spelt.deck != note.deck:
            diagnostics.append(
                deck_case_error(note.deck, note.location, spelt.deck, spelt.location)
            )
            deck_spelling[note.deck.casefold()] = note  # once per file
        earlier = first_seen.setdefault(note.key, note)
        if earlier is not note and note.key.startswith(EXPLICIT_ID_PREFIX):
            own_id = note.key.removeprefix(EXPLICIT_ID_PREFIX)
            diagnostics.append(
                error(note.location, f"the id {{#{own_id}}} is already used at {earlier.location}")
            )
        elif earlier is not note:
            diagnostics.append(
                error(
                    note.location,
                    f"the same question is already asked at {earlier.location} "
                    f"in deck '{note.deck}'; reword one of them",
                )
            )
    return diagnostics


LONG_LIST = 9
LONG_LINES = 15
"""Lines of an answer, each a line of its own (no list item), from which a blank line may
be missing between notes (a question line over a whole word list)."""
LONG_ANSWER = 80
LONG_QUESTION = 250


def top_level_items(answer: LineAnswer | MarkdownAnswer) -> int:
    if isinstance(answer, LineAnswer):
        return sum(1 for a in answer.lines if a.depth == 0 and not a.continues_item)
    masked = mask_literals(answer.source).split("\n")
    return sum(1 for line in masked if (m := LIST_ITEM_RE.match(line)) and not m["indent"])


def plain_lines(answer: LineAnswer | MarkdownAnswer) -> int:
    """Lines of a line-style answer that are no list item (each shown on a line of its own),
    nor part of a quote (`> …` lines, shown together as one)."""
    if isinstance(answer, LineAnswer):
        return sum(1 for a in answer.lines if a.depth < 0 and not a.block and a.text[:1] != ">")
    return 0


def answer_lines(answer: LineAnswer | MarkdownAnswer) -> int:
    if isinstance(answer, LineAnswer):
        return len(answer.lines)
    return sum(1 for line in answer.source.split("\n") if line.strip())


def style_warnings(notes: Iterable[Note]) -> list[Diagnostic]:
    """Cards that work but study badly: very long lists, answers and questions."""
    diagnostics = []
    for note in notes:
        if (size := answer_lines(note.answer)) > LONG_ANSWER:
            diagnostics.append(
                warning(
                    note.location,
                    f"very long answer ({size} lines) for one card; is a heading or a blank "
                    "line missing between two notes?",
                )
            )
        elif (lines := plain_lines(note.answer)) > LONG_LINES:
            diagnostics.append(
                warning(
                    note.location,
                    f"the answer runs over {lines} lines of their own; if some of them are "
                    "notes of their own, put a blank line between the notes",
                )
            )
        if note.kind is not NoteKind.CLOZE and (items := top_level_items(note.answer)) > LONG_LIST:
            diagnostics.append(
                warning(
                    note.location,
                    f"the answer is a list of {items} items, hard to recall at once; "
                    "a list cloze (`C:` before the question) makes one card per item",
                )
            )
        # Of its longest line: a question written over several lines has its answer apart.
        question = note.question
        longest = max(map(len, question.split("\n"))) if "\n" in question else len(question)
        if longest > LONG_QUESTION and note.kind is not NoteKind.CLOZE:
            diagnostics.append(
                warning(
                    note.location,
                    f"very long question ({longest} characters); "
                    "is the answer on the question line? put it on the next line",
                )
            )
    return diagnostics


def list_cloze_lines(
    answer: list[AnswerLine],
) -> tuple[list[AnswerLine], list[tuple[int, str]]]:
    """Each top-level item becomes deletion c1, c2, …; what is under an item shares its number.
    Also the (number, item text) of each top-level item."""
    result = []
    items = []
    number = 0
    for line in answer:
        if line.is_item:
            if line.depth == 0 and not line.continues_item:
                number += 1
                items.append((number, line.text))
            if number:
                line = replace(line, text=f"{{{{c{number}::{line.text}}}}}")
        result.append(line)
    return result, items


def make_note(
    source: SourceFile,
    deck: str,
    question: str,
    answer: LineAnswer | MarkdownAnswer,
    index: int,
    col: int,
    kind: NoteKind = NoteKind.BASIC,
    auto_clozes: tuple[tuple[int, str], ...] = (),
    tags: Sequence[str] = (),
    allow_html: bool = False,
    fields_in: FieldFormat = FieldFormat.MARKDOWN,
    page_links: bool = True,
) -> Note:
    """A note of a file; `allow_html` when the file lets raw HTML through in a way of its
    own (front matter `html` always does); `fields_in` when it is not written in Markdown."""
    front = source.front_matter
    question, own_id = split_note_id(question)
    identity = cloze.strip_markup(question) if kind is NoteKind.CLOZE else question
    normalised = normalise_question(identity)
    return Note(
        kind=kind,
        deck=deck,
        question=question,
        answer=answer,
        key=EXPLICIT_ID_PREFIX + own_id if own_id else identity_key(source, deck, normalised),
        question_text=normalised,
        answer_fingerprint=fingerprint(answer.source_text),
        location=source.location(index, col),
        source=f"{source.relpath}:{index + 1}",
        tags=tuple(dict.fromkeys((*front.tags, *tags, source_tag(source.relpath)))),
        relpath=source.relpath,
        allow_html=front.html or allow_html,
        lang=front.lang,
        fields_in=fields_in,
        page_links=page_links,
        auto_clozes=auto_clozes,
    )


def fingerprint(text: str) -> str:
    """A short hash of a text: recognises an answer without keeping it."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def markdown_list_cloze(body: str) -> tuple[str, list[tuple[int, str]]] | None:
    """Each top-level list item of a Markdown answer becomes a deletion; None without a list.
    Also the (number, text) of each deletion made.

    Nested items share their parent's number. Code blocks are left alone.
    """
    masked = mask_literals(body).split("\n")
    lines = body.split("\n")
    items = [(i, m) for i, text in enumerate(masked) if (m := LIST_ITEM_RE.match(text))]
    if not items:
        return None
    top = min(indent_width(m["indent"]) for _, m in items)
    number = 0
    numbered = []
    for i, match in items:
        if indent_width(match["indent"]) == top or number == 0:
            number += 1
            numbered.append((number, lines[i][match.start("text") :].strip()))
        content = lines[i][match.start("text") :]
        if content.strip():
            lines[i] = lines[i][: match.start("text")] + f"{{{{c{number}::{content}}}}}"
    return "\n".join(lines), numbered
