"""Reading notes out of a decoded source file: pure, no I/O.

Two styles, chosen per file. A file with a `##` (or deeper) heading is in heading style:
each heading is a question and its section is the answer, in full Markdown. Any other file
is in line style, the way students type notes: a question line, then its answer lines.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from . import cloze
from .literals import fenced_blocks, mask_literals
from .records import (
    AnswerLine,
    Diagnostic,
    LineAnswer,
    LineReading,
    MarkdownAnswer,
    Note,
    NoteKind,
    Reading,
    SourceFile,
    error,
    warning,
)
from .sources import clean_tag, normalise_deck_name

# French and English question words and instruction verbs that open a question line.
QUESTION_WORDS = (
    "quel", "quelle", "quels", "quelles", "qu'est-ce", "qu’est-ce", "pourquoi", "comment",
    "combien", "qui", "où", "quand", "décrivez", "décrire", "nommez", "nommer",
    "expliquez", "expliquer", "définissez", "définir", "citez", "citer", "donnez", "donner",
    "comparez", "comparer", "énumérez", "identifiez",
    # the same verbs typed without accents, as students often do
    "decrivez", "decrire", "definissez", "definir", "enumerez",
    "what", "why", "how", "which", "who", "when", "where", "describe", "name", "list",
    "explain", "define", "compare", "state", "give",
)  # fmt: skip
_WORDS_PATTERN = "|".join(re.escape(w) for w in sorted(QUESTION_WORDS, key=len, reverse=True))
# A whole word only: "Quel" opens a question, "Quelqu'un" and "Named" do not.
QUESTION_WORD_RE = re.compile(rf"(?:{_WORDS_PATTERN})(?![\w'’-])", re.IGNORECASE)
LIST_ITEM_RE = re.compile(
    r"(?P<indent>[ \t]*)(?:(?P<bullet>[-*+•–])|(?P<number>\d{1,9})[.)])(?:[ \t]+|$)(?P<text>.*)"
)
# `Q:` question, `A:`/`R:` answer line, `C:` question whose list becomes a list cloze.
FORCED_RE = re.compile(r"(?P<kind>[QARC])[ \t]?:[ \t]*(?P<text>.*)")
ONE_LINER_RE = re.compile(r"\s(?P<sep>:::|::)\s")
ATX_HEADING_RE = re.compile(r" {0,3}(?P<marks>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
# `---`, `***` or `___` alone on a line: a separator between notes, read like a blank line.
SEPARATOR_RE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
# `{#id}` at the end of a question: the note's own, permanent identity.
NOTE_ID_RE = re.compile(r"[ \t]*\{#(?P<id>\w[\w.:/-]*)\}[ \t]*$")
EXPLICIT_ID_PREFIX = "note:"
TAB_WIDTH = 4


@dataclass(frozen=True)
class ParsedFile:
    """What one source file holds: its notes, its problems, and how each line was read."""

    source: SourceFile
    deck: str
    notes: tuple[Note, ...]
    diagnostics: tuple[Diagnostic, ...]
    line_readings: tuple[Reading, ...]
    """How each line of the file was read (one entry a line, kept compact)."""

    @property
    def readings(self) -> tuple[LineReading, ...]:
        """Each source line with how it was read, for `explain`."""
        return tuple(
            LineReading(number, reading, line)
            for number, (reading, line) in enumerate(
                zip(self.line_readings, self.source.lines, strict=True), start=1
            )
        )


def parse(source: SourceFile) -> ParsedFile:
    """Read every note of a file, in source order, with a diagnostic for each problem."""
    start = source.front_matter.line_count
    headings = find_headings(source.lines, start)
    if any(level >= 2 for _, level, _ in headings):
        return HeadingStyleParser(source, headings).parse()
    return LineStyleParser(source, headings).parse()


def normalise_question(question: str) -> str:
    """The form of a question that identifies its note: case, spacing and quotes don't count."""
    text = question.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = " ".join(text.split()).casefold()
    return re.sub(r" (?=[?!:;])", "", text)


def split_note_id(question: str) -> tuple[str, str | None]:
    """A question without its trailing `{#id}`, and that id (None when it has none)."""
    match = NOTE_ID_RE.search(question)
    if match is None:
        return question, None
    return question[: match.start()], match["id"]


def identity_key(source: SourceFile, deck: str, question: str) -> str:
    """Namespace (front matter `id`, else the deck) and normalised question."""
    namespace = f"id:{source.front_matter.id}" if source.front_matter.id else f"deck:{deck}"
    return f"{namespace}\x1f{normalise_question(question)}"


def source_tag(relpath: str) -> str:
    """The tag naming a note's source file, grouped under `source::` in Anki's sidebar."""
    return clean_tag(f"source::{relpath}")


def deck_name(source: SourceFile, title: str | None) -> str:
    """Front matter `deck` wins; else the title (or file stem) under the file's sub-folders."""
    if source.front_matter.deck:
        return source.front_matter.deck
    name = normalise_deck_name(title or "") or source.stem
    return normalise_deck_name("::".join([*source.folders, name]))


def find_headings(lines: Sequence[str], start: int) -> list[tuple[int, int, str]]:
    """(line index, level, text) of every ATX heading outside fenced code."""
    body = lines[start:]
    fenced = {i for first, last in fenced_blocks(body) for i in range(first, last + 1)}
    headings = []
    for index, line in enumerate(body):
        if index not in fenced and (match := ATX_HEADING_RE.match(line)):
            headings.append((start + index, len(match["marks"]), (match["text"] or "").strip()))
    return headings


def find_duplicates(notes: Iterable[Note]) -> list[Diagnostic]:
    """An error for every note whose question repeats an earlier one of the same deck."""
    first_seen: dict[str, Note] = {}
    diagnostics = []
    for note in notes:
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
LONG_QUESTION = 250


def top_level_items(answer: LineAnswer | MarkdownAnswer) -> int:
    if isinstance(answer, LineAnswer):
        return sum(1 for a in answer.lines if a.depth == 0 and not a.continues_item)
    masked = mask_literals(answer.source).split("\n")
    return sum(1 for line in masked if (m := LIST_ITEM_RE.match(line)) and not m["indent"])


def style_warnings(notes: Iterable[Note]) -> list[Diagnostic]:
    """Cards that work but study badly: very long lists and very long questions."""
    diagnostics = []
    for note in notes:
        if note.kind is not NoteKind.CLOZE and (items := top_level_items(note.answer)) > LONG_LIST:
            diagnostics.append(
                warning(
                    note.location,
                    f"the answer is a list of {items} items, hard to recall at once; "
                    "a list cloze (`C:` before the question) makes one card per item",
                )
            )
        if len(note.question) > LONG_QUESTION:
            diagnostics.append(
                warning(
                    note.location,
                    f"very long question ({len(note.question)} characters); "
                    "is the answer on the question line? put it on the next line",
                )
            )
    return diagnostics


@dataclass
class _Draft:
    """A note being read: its question line and the answer lines gathered so far."""

    index: int
    col: int
    question: str
    answer: list[AnswerLine] = field(default_factory=list)
    answer_indices: list[int] = field(default_factory=list)
    indents: list[int] = field(default_factory=list)
    """Indent widths of the open list levels, to turn indentation into nesting depth."""
    kind: NoteKind = NoteKind.BASIC
    one_liner: bool = False
    """A `front :: back` line: complete by itself, only list items may extend its back."""
    list_cloze: bool = False
    """Asked for with `C:`: each list item of the answer becomes a deletion."""


def indent_width(whitespace: str) -> int:
    if "\t" not in whitespace:
        return len(whitespace)
    return sum(TAB_WIDTH if ch == "\t" else 1 for ch in whitespace)


def one_liner_split(line: str) -> tuple[str, str, NoteKind] | None:
    """`front :: back` (Basic) or `front ::: back` (reversed), outside code and clozes."""
    if "::" not in line or cloze.has_cloze(line):
        return None
    match = ONE_LINER_RE.search(mask_literals(line))
    if match is None:
        return None
    front, back = line[: match.start()].strip(), line[match.end() :].strip()
    if not front or not back:
        return None
    kind = NoteKind.REVERSED if match["sep"] == ":::" else NoteKind.BASIC
    return front, back, kind


class LineStyleParser:
    """Line style: a question line followed by its answer lines (the way the seed is typed)."""

    def __init__(self, source: SourceFile, headings: list[tuple[int, int, str]]) -> None:
        self.source = source
        self.lines = source.lines
        self.start = source.front_matter.line_count
        self.heading_lines = {index: text for index, _, text in headings}
        self.diagnostics: list[Diagnostic] = []
        self.readings: dict[int, Reading] = {i: Reading.FRONT_MATTER for i in range(self.start)}
        self.notes: list[Note] = []
        self.deck = ""

    # -- reading single lines -------------------------------------------------------------

    def is_blank(self, index: int) -> bool:
        line = self.lines[index]
        return not line.strip() or SEPARATOR_RE.match(line) is not None

    def is_list_item(self, index: int) -> bool:
        return index < len(self.lines) and LIST_ITEM_RE.match(self.lines[index]) is not None

    def is_plain_text(self, index: int) -> bool:
        """Not blank, not indented, not a list item, heading or `Q:`/`A:` line."""
        line = self.lines[index]
        return bool(
            line.strip()
            and not line[0].isspace()
            and index not in self.heading_lines
            and not LIST_ITEM_RE.match(line)
            and not FORCED_RE.match(line)
        )

    def looks_like_question(self, index: int) -> bool:
        """The question rules: ends with `?`, opens with a question word, or leads a list."""
        # Emphasis around the line (`**Quels sont les rôles ?**`) does not hide the question.
        text = split_note_id(self.lines[index].strip())[0].strip("*_ \t")
        if text.endswith("?") or QUESTION_WORD_RE.match(text):
            return True
        return self.is_list_item(index + 1) and not text.endswith(":")

    def next_non_blank(self, index: int) -> int | None:
        for following in range(index + 1, len(self.lines)):
            if not self.is_blank(following):
                return following
        return None

    def find_title(self) -> int | None:
        """The first line names the deck when it is not a question and a question follows."""
        first = self.next_non_blank(self.start - 1)
        if first is None or not self.is_plain_text(first) or self.looks_like_question(first):
            return None
        if one_liner_split(self.lines[first]) or cloze.has_cloze(self.lines[first]):
            return None
        following = self.next_non_blank(first)
        if following is None:
            return None
        forced = FORCED_RE.match(self.lines[following])
        if forced:
            return first if forced["kind"] in "QC" else None
        if not self.is_plain_text(following):
            return None
        after_blank = following > first + 1
        if after_blank or one_liner_split(self.lines[following]):
            return first
        return first if self.looks_like_question(following) else None

    # -- the walk ---------------------------------------------------------------------------

    def parse(self) -> ParsedFile:
        title_index = self.find_title()
        title = self.lines[title_index].strip() if title_index is not None else None
        if self.heading_lines:
            title = next(iter(self.heading_lines.values()))
        self.deck = deck_name(self.source, title)

        current: _Draft | None = None
        after_blank = True
        for index in range(self.start, len(self.lines)):
            line = self.lines[index]
            if self.is_blank(index):
                self.readings[index] = Reading.BLANK if not line.strip() else Reading.IGNORED
                after_blank = True
                continue
            if index == title_index or index in self.heading_lines:
                self.readings[index] = Reading.TITLE
                current = self.finish(current)
                after_blank = True
                continue
            if "{{" in line:
                self.check_cloze_syntax(index)

            forced = FORCED_RE.match(line)
            item = LIST_ITEM_RE.match(line)
            if forced and forced["kind"] in "QC":
                current = self.start_note(current, index, forced.start("text"), forced["text"])
                current.list_cloze = forced["kind"] == "C"
            elif forced:
                self.add_answer(current, index, AnswerLine(forced["text"].strip()))
            elif item:
                self.add_answer(current, index, self.list_item(current, item))
            elif line[0].isspace():
                self.add_answer(current, index, self.indented_line(current, line))
            elif (one_liner := one_liner_split(line)) is not None:
                front, back, kind = one_liner
                current = self.start_note(current, index, 0, front)
                current.kind, current.one_liner = kind, True
                current.answer.append(AnswerLine(back))
                current.answer_indices.append(index)
                self.readings[index] = Reading.ONE_LINER
            elif (
                after_blank
                or current is None
                or current.one_liner
                or self.looks_like_question(index)
            ):
                current = self.start_note(current, index, 0, line)
            else:
                current.indents.clear()
                self.add_answer(current, index, AnswerLine(line.strip()))
            after_blank = False
        self.finish(current)
        return self.result()

    def check_cloze_syntax(self, index: int) -> None:
        for problem in cloze.scan(self.lines[index])[1]:
            self.diagnostics.append(
                error(self.source.location(index, problem.offset + 1), problem.message)
            )

    def start_note(self, current: _Draft | None, index: int, offset: int, text: str) -> _Draft:
        self.finish(current)
        self.readings[index] = Reading.QUESTION
        col = offset + len(text) - len(text.lstrip()) + 1
        return _Draft(index, col, text.strip())

    def add_answer(self, current: _Draft | None, index: int, answer: AnswerLine) -> None:
        if current is None:
            self.readings[index] = Reading.IGNORED
            self.diagnostics.append(
                error(
                    self.source.location(index),
                    "answer line before any question; add a question line above it",
                )
            )
            return
        self.readings[index] = Reading.ANSWER
        current.answer.append(answer)
        current.answer_indices.append(index)

    def list_item(self, current: _Draft | None, item: re.Match[str]) -> AnswerLine:
        width = indent_width(item["indent"])
        indents = current.indents if current else []
        while indents and indents[-1] > width:
            indents.pop()
        if not indents or indents[-1] < width:
            indents.append(width)
        number = item["number"]
        return AnswerLine(
            text=item["text"].strip(),
            depth=len(indents) - 1,
            ordered=number is not None,
            number=int(number) if number is not None else 1,
        )

    def indented_line(self, current: _Draft | None, line: str) -> AnswerLine:
        under_item = bool(current and current.answer and current.answer[-1].is_item)
        if under_item:
            previous = current.answer[-1]  # type: ignore[union-attr]
            return replace(previous, text=line.strip(), continues_item=True)
        return AnswerLine(line.strip())

    def finish(self, draft: _Draft | None) -> None:
        """Decide what kind of note a finished draft is, and check that it makes cards."""
        if draft is None:
            return None
        where = self.source.location(draft.index, draft.col)
        question = draft.question
        # An empty `A:` line or a bare `-` shows nothing on the card: it is no answer.
        answer = [line for line in draft.answer if line.text]
        answer_indices = [
            i for i, line in zip(draft.answer_indices, draft.answer, strict=True) if line.text
        ]
        wants_list_cloze = draft.list_cloze or (
            self.source.front_matter.cloze == "lists" and not draft.one_liner
        )
        kind = draft.kind
        auto: list[tuple[int, str]] = []
        texts = (question, *(a.text for a in answer))
        if cloze.may_hold_cloze("\n".join(texts)) and any(map(cloze.has_cloze, texts)):
            kind = NoteKind.CLOZE
            taken = set().union(*map(cloze.numbers, texts))
            question, auto = cloze.number_highlights(question, taken)
            numbered = []
            for line in answer:
                text, found = cloze.number_highlights(line.text, taken)
                numbered.append(replace(line, text=text))
                auto += found
            answer = numbered
            self.readings[draft.index] = Reading.CLOZE
        elif wants_list_cloze and any(a.is_item for a in answer):
            kind = NoteKind.CLOZE
            answer, auto = list_cloze_lines(answer)
            self.readings[draft.index] = Reading.LIST_CLOZE
            for index, line in zip(answer_indices, answer, strict=True):
                if line.is_item:
                    self.readings[index] = Reading.CLOZE_ITEM
        elif draft.list_cloze:
            self.diagnostics.append(
                error(where, "`C:` asks for a list cloze, but the answer has no list items")
            )
            return None
        elif not answer:
            self.diagnostics.append(
                error(
                    where,
                    "question without an answer; if the next line is its answer, "
                    "mark that line with `A:` (or end a line that leads a list with `:`)",
                )
            )
            return None

        if kind is NoteKind.CLOZE:
            used = set().union(*(cloze.numbers(t) for t in (question, *(a.text for a in answer))))
            if not used:
                self.diagnostics.append(error(where, "cloze note without any deletion"))
                return None
            if missing := cloze.gaps(used):
                numbers = ", ".join(f"c{n}" for n in missing)
                self.diagnostics.append(
                    warning(where, f"cloze numbers skip {numbers}: no card for them")
                )
        self.notes.append(
            make_note(
                self.source,
                self.deck,
                question,
                LineAnswer(tuple(answer)),
                draft.index,
                draft.col,
                kind,
                tuple(auto),
            )
        )
        return None

    def result(self) -> ParsedFile:
        source = self.source
        readings = tuple(self.readings.get(i, Reading.IGNORED) for i in range(len(self.lines)))
        if not self.notes and not any(d.is_error for d in self.diagnostics):
            self.diagnostics.append(warning(source.location(0), "no notes in this file"))
        return ParsedFile(source, self.deck, tuple(self.notes), tuple(self.diagnostics), readings)


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
) -> Note:
    front = source.front_matter
    question, own_id = split_note_id(question)
    identity = cloze.strip_markup(question) if kind is NoteKind.CLOZE else question
    return Note(
        kind=kind,
        deck=deck,
        question=question,
        answer=answer,
        key=EXPLICIT_ID_PREFIX + own_id if own_id else identity_key(source, deck, identity),
        question_text=normalise_question(identity),
        answer_fingerprint=fingerprint(answer.source_text),
        location=source.location(index, col),
        source=f"{source.relpath}:{index + 1}",
        tags=(*front.tags, source_tag(source.relpath)),
        relpath=source.relpath,
        allow_html=front.html,
        lang=front.lang,
        auto_clozes=auto_clozes,
    )


def fingerprint(text: str) -> str:
    """A short hash of a text: recognises an answer without keeping it."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class HeadingStyleParser:
    """Heading style: each `##`/`###` heading is a question, its section the answer.

    A heading directly followed by a deeper heading, with nothing of its own in between,
    only groups the questions under it (a chapter) and is not a note itself. A heading with
    its own answer keeps the deeper headings under it as part of that answer.
    """

    def __init__(self, source: SourceFile, headings: list[tuple[int, int, str]]) -> None:
        self.source = source
        self.headings = headings
        self.start = source.front_matter.line_count

    def parse(self) -> ParsedFile:
        source, lines, headings = self.source, self.source.lines, self.headings
        readings = {i: Reading.FRONT_MATTER for i in range(self.start)}
        diagnostics: list[Diagnostic] = []
        title = next((text for _, level, text in headings if level == 1), None)
        deck = deck_name(source, title)

        notes = []
        covered_until = self.start
        for position, (index, level, text) in enumerate(headings):
            if index < covered_until:
                continue  # a sub-heading inside an earlier answer
            if level == 1:
                readings[index] = Reading.TITLE
                continue
            following = headings[position + 1] if position + 1 < len(headings) else None
            own_end = following[0] if following else len(lines)
            has_own_text = any(lines[i].strip() for i in range(index + 1, own_end))
            if not has_own_text and following and following[1] > level:
                readings[index] = Reading.TITLE  # a chapter grouping deeper questions
                continue
            end = next((i for i, lvl, _ in headings[position + 1 :] if lvl <= level), len(lines))
            readings[index] = Reading.QUESTION
            col = lines[index].find(text) + 1 if text else 1
            forced = FORCED_RE.match(text)
            list_cloze = bool(forced and forced["kind"] == "C")
            if list_cloze:
                col += forced.start("text")  # type: ignore[union-attr]
                text = forced["text"].strip()  # type: ignore[index]
            if not text:
                diagnostics.append(error(source.location(index), "heading without a question"))
            if text and not has_own_text and end == own_end:
                diagnostics.append(error(source.location(index, col), "question without an answer"))
            for i in range(index + 1, end):
                readings[i] = Reading.ANSWER if lines[i].strip() else Reading.BLANK
            covered_until = end
            if text and (has_own_text or end != own_end):
                note, problems = self.section_note(
                    deck, index, col, text, end, readings, list_cloze
                )
                diagnostics += problems
                if note is not None:
                    notes.append(note)

        first_question = next(
            (i for i in sorted(readings) if readings[i] is Reading.QUESTION), len(lines)
        )
        stray = [
            i for i in range(self.start, first_question) if lines[i].strip() and i not in readings
        ]
        if stray:
            diagnostics.append(
                warning(
                    source.location(stray[0]),
                    "text before the first question heading is not part of any note",
                )
            )
        all_readings = tuple(
            readings.get(i, Reading.BLANK if not line.strip() else Reading.IGNORED)
            for i, line in enumerate(lines)
        )
        if not notes and not any(d.is_error for d in diagnostics):
            diagnostics.append(warning(source.location(0), "no notes in this file"))
        return ParsedFile(source, deck, tuple(notes), tuple(diagnostics), all_readings)

    def section_note(
        self,
        deck: str,
        index: int,
        col: int,
        question: str,
        end: int,
        readings: dict[int, Reading],
        list_cloze: bool = False,
    ) -> tuple[Note | None, list[Diagnostic]]:
        """The note of one question heading and its section, cloze or basic."""
        source = self.source
        where = source.location(index, col)
        body = "\n".join(source.lines[index + 1 : end])
        problems = [
            error(source.location(index, col + problem.offset), problem.message)
            for problem in cloze.scan(question)[1]
        ]
        for problem in cloze.scan(body)[1]:
            line = index + 1 + body.count("\n", 0, problem.offset)
            column = problem.offset - (body.rfind("\n", 0, problem.offset) + 1) + 1
            problems.append(error(source.location(line, column), problem.message))
        if problems:
            return None, problems

        kind = NoteKind.BASIC
        auto: list[tuple[int, str]] = []
        if cloze.has_cloze(question) or cloze.has_cloze(body):
            kind = NoteKind.CLOZE
            taken = cloze.numbers(question) | cloze.numbers(body)
            question, auto = cloze.number_highlights(question, taken)
            body, in_body = cloze.number_highlights(body, taken)
            auto += in_body
            readings[index] = Reading.CLOZE
        elif list_cloze or source.front_matter.cloze == "lists":
            clozed = markdown_list_cloze(body)
            if clozed is not None:
                kind, (body, auto) = NoteKind.CLOZE, clozed
                readings[index] = Reading.LIST_CLOZE
            elif list_cloze:
                message = "`C:` asks for a list cloze, but the answer has no list items"
                return None, [error(where, message)]
        warnings = []
        if kind is NoteKind.CLOZE:
            used = cloze.numbers(question) | cloze.numbers(body)
            if missing := cloze.gaps(used):
                numbers = ", ".join(f"c{n}" for n in missing)
                warnings.append(warning(where, f"cloze numbers skip {numbers}: no card for them"))
        answer = MarkdownAnswer(body.strip("\n"))
        note = make_note(source, deck, question, answer, index, col, kind, tuple(auto))
        return note, warnings


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
