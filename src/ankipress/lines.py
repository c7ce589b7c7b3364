"""Reading lines into drafts of notes, the way markdown-it's block parser reads blocks. Pure.

A reader walks a stretch of a file's body and, at each line, tries an ordered list of rules:
the first rule that claims the line (and maybe the lines after it) wins, the others are not
asked. Each rule is one small function for one kind of line or card; the rules only gather
drafts, and `parse.settle` decides what each draft becomes (Basic, reversed, Cloze, list
cloze) and checks it, for every style and format alike.

This module holds what every reader shares (drafts, line kinds, the question rules) and the
line style of ankipress's own format (`LineStyleParser`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from . import cloze
from .body import TABLE_DELIMITER_RE, Body, is_shallow, row_cells, scan_body
from .details import CLOSE_LINE_RE, Details, asked_in, read_details, with_follow_ups
from .formats import (
    BULLETS,
    DASH_RE,
    RULE_LINE_RE,
    SEPARATOR_LINE_RE,
    WORD_LIST_SEPARATORS,
    inline_card,
    is_column_name,
    is_header_row,
    names_rows,
    spaced_row,
    split_spaced,
)
from .literals import mask_literals
from .patterns import lazy_pattern
from .records import (
    AnswerLine,
    Diagnostic,
    FieldFormat,
    Location,
    NoteKind,
    Reading,
    SourceFile,
    error,
    warning,
)

# French and English question words and instruction verbs that open a question line.
QUESTION_WORDS = (
    "quel", "quelle", "quels", "quelles", "qu'est-ce", "qu’est-ce", "pourquoi", "comment",
    "combien", "qui", "où", "quand", "décrivez", "décrire", "nommez", "nommer",
    "expliquez", "expliquer", "définissez", "définir", "citez", "citer", "donnez", "donner",
    "comparez", "comparer", "énumérez", "identifiez", "indiquez", "justifiez",
    # the same verbs said to one person, as a quiz for a class says them
    "donne", "cite", "explique", "décris", "nomme", "définis", "énumère", "identifie",
    "indique", "justifie",
    # the same verbs typed without accents, as students often do
    "decrivez", "decrire", "definissez", "definir", "enumerez", "decris", "definis", "enumere",
    "what", "why", "how", "which", "who", "when", "where", "describe", "name", "list",
    "explain", "define", "compare", "state", "give",
    # German, Spanish, Portuguese and Italian words that no French or English line opens with
    "warum", "wieso", "weshalb", "welche", "welcher", "welches", "wie", "wer", "wo", "wann",
    "erklären", "erläutern", "beschreiben", "nennen", "definieren", "vergleichen",
    "erklaeren", "erlaeutern",  # typed without umlauts
    "erkläre", "beschreibe", "nenne",  # the same said to one person
    # the orders of an exam's questions in Spanish, Portuguese and Italian
    "describa", "defina", "mencione", "enumere", "justifique", "diferencie", "descreva",
    "descrivi", "spiega", "definisci", "elenca",
    "qué", "cuál", "cuáles", "cómo", "dónde", "cuándo", "quién", "por qué",
    "qual", "quais", "onde", "quem", "perché", "quale", "quali", "cosa",
)  # fmt: skip
_WORDS_PATTERN = "|".join(re.escape(w) for w in sorted(QUESTION_WORDS, key=len, reverse=True))
# A whole word only: "Quel" opens a question, "Quelqu'un" and "Named" do not; nor does an
# instruction verb that is a noun there (`List of drugs`, `Name of the file`, `State of…`).
QUESTION_WORD_RE = lazy_pattern(
    rf"(?!(?:list|name|state)[ \t]+of\b)(?:{_WORDS_PATTERN})(?![\w'’-])", re.IGNORECASE
)
# A number alone (`1989.`, an answer) is text, not an empty numbered item.
LIST_ITEM_RE = lazy_pattern(
    rf"(?P<indent>[ \t]*)(?:(?P<bullet>[{BULLETS}])(?:[ \t]+|$)"
    r"|(?P<number>\d{1,9})[.)][ \t]+(?=\S))(?P<text>.*)"
)
# `Q:` question, `A:`/`R:` answer line, `C:` question whose list becomes a list cloze; the
# labels students write in full count too, in their languages: `Question :` (`Question 3 :`),
# `Réponse :`, `Answer:`, `Frage:`/`Antwort:`, `Pregunta:`/`Respuesta:`, `Pergunta:`/
# `Resposta:`, `Domanda:`/`Risposta:`, `问：`/`答：`, `質問：`/`回答：`, `질문:`/`답변:` (see
# `label_kind`).
QUESTION_WORDS_LABELLING = (
    *("Question", "Frage", "Pregunta", "Pergunta", "Domanda"),
    *("Pytanie", "Vraag", "Otázka", "Fråga", "Soru"),
    *("Enunciado", "Énoncé", "Enunciato"),  # (an exercise's statement)
)
"""The word a question's label is, in the Latin-written languages of notes."""
_QUESTION_LABELS = (
    *QUESTION_WORDS_LABELLING,
    *("问", "問", "问题", "問題", "質問", "질문", "문제"),  # (their colon full-width or not)
)
# An answer's label may say what answer it is: `Correct answer:`, `Respuesta esperada:`.
_ANSWER_LABELS = (
    *("Answer", "Ans", "Antwort", "Respuesta", "Resposta", "Risposta"),
    *("Correct answer", "Expected answer", "Model answer", "Sample answer", "Suggested answer"),
    *("Erwartete Antwort", "Richtige Antwort", "Musterantwort", "Musterlösung"),
    *("Respuesta esperada", "Respuesta correcta", "Resposta esperada", "Resposta correta"),
    *("Risposta corretta", "Risposta attesa"),
    *("Solución", "Solução", "Soluzione", "Lösung"),
    # a worksheet's line for the student's own answer (`**Ma réponse :**`, empty: no answer)
    *("My answer", "Your answer", "Meine Antwort", "Deine Antwort", "Mi respuesta"),
    *("Tu respuesta", "Minha resposta", "Sua resposta", "La mia risposta"),
    *("Odpowiedź", "Poprawna odpowiedź", "Antwoord", "Odpověď", "Správná odpověď", "Cevap"),
    *("Odpoveď", "Správna odpoveď"),  # (Slovak)
    *("答", "答案", "回答", "解答", "답", "답변", "정답"),
)
_REPONSE_LABELS = (
    *("Réponse", "Reponse", "Réponse attendue", "Réponse correcte", "Ma réponse"),
    "Votre réponse",
)
_LABELS = "|".join(
    f"{word}|{word.upper()}|{word.title()}"
    for word in sorted((*_QUESTION_LABELS, *_ANSWER_LABELS, *_REPONSE_LABELS), key=len)[::-1]
)
# Pictographs before a label (`🗂️ Question:`, `✅ Answer:`), as some notes dress them.
EMOJI_MARKS = r"(?:[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]\uFE0F?[ \t]*)*"
# A label may be bold or in italics, its colon inside or outside: `**Q:**`, `**Q**:`,
# `__A:__`, `*Pergunta:*`; a numbered one so may end with a full stop (`**Q12.** Which…`).
# `Q1:` and `A1:` are numbered too, and `Q.`, `A.`, `Q1.` end with a full stop (see
# `forced_rule`: an `A.` line answers a `Q.` line only).
FORCED_RE = lazy_pattern(
    rf"{EMOJI_MARKS}(?P<bold>\*\*|__|[*_](?=\w))?(?P<kind>{_LABELS}|[QARC])"
    r"(?:(?<=[^\W\d_]{2})[ \t]*\d{1,3}|(?<=[QA])\d{1,3})?"
    r"(?(bold)(?:[ \t]?[:：](?P=bold)|(?P=bold)[ \t]?[:：]|(?<=\d)\.(?P=bold)(?=[ \t]))"
    r"|(?:[ \t]?[:：]|(?<=[QA\d])(?P<dot>\.)(?=[ \t])))"
    r"[ \t]*(?P<text>.*)"
)
# A question's running number with a mark no list uses: `1.-`, `2 -`, `3–`, `4.–`.
RUNNING_NUMBER_RE = lazy_pattern(r"(?P<number>\d{1,3})[ \t]*(?:\.[ \t]*[-–—]|[-–—])[ \t]*(?=\S)")
NUMBERED_OR_HEADING = frozenset("0123456789#")
RUNNING_QUESTIONS = 3
"""Lines so numbered, one after another, from which they are the file's questions."""
Fact = TypeVar("Fact")
"""What a file fact is (`Reader.file_fact`)."""
# `F:` (Frage) and `P:` (Pregunta, Pergunta) ask only when an answer's label follows them
# (`A:`, `R:`): alone, `F: la force` or `P: pression` is a line of notes.
PAIRED_LABEL_RE = lazy_pattern(
    r"(?P<bold>\*\*|__)?(?P<kind>[FP]|(?i:front|back|recto|verso|vorderseite|rückseite|ques?))"
    r"(?(bold)(?:[ \t]?:(?P=bold)|(?P=bold)[ \t]?:)|[ \t]?:)(?P<dot>(?!))?[ \t]*(?P<text>.*)"
)
"""Labels that are labels only as a pair: `F:` or `P:` over `A:` or `R:`, a card's sides,
`Front:` over `Back:` (`Back: latissimus` alone is text of an anatomy answer), and the
short `Que:` or `Ques:` over `Ans:` (`que: that` alone is a Spanish word's line)."""
PAIRED_OPENINGS = (*"FPBRVfbrv*_", "Que:", "Que :", "Ques", "que:", "ques:", "QUE:", "QUES:")
"""What a paired label opens with, to try the pattern only on lines that may (`may_pair`)."""
PAIRED_FIRSTS = frozenset(opening[0] for opening in PAIRED_OPENINGS)


def may_pair(text: str) -> bool:
    """Whether a line opens as a paired label may (its first character looked at first)."""
    return text[:1] in PAIRED_FIRSTS and text.startswith(PAIRED_OPENINGS)


PAIRED_ANSWER_LINES = 4
"""Written lines after an `F:` line within which its answer's label must stand (a quiz's
options in boxes, `- [ ] …`, aside)."""
LABEL_KINDS = {
    "f": "Q",
    "p": "Q",
    **{word.casefold(): "Q" for word in _QUESTION_LABELS},
    **{word.casefold(): "A" for word in _ANSWER_LABELS},
    **{word.casefold(): "R" for word in _REPONSE_LABELS},
    **{letter.casefold(): letter for letter in "QARC"},
    **dict.fromkeys(("front", "recto", "vorderseite", "que", "ques"), "Q"),
    **dict.fromkeys(("back", "verso", "rückseite"), "A"),
}


def label_kind(forced: re.Match[str]) -> str:
    """What a `Q:`-like label makes its line: `Q` or `C` a question, `A` or `R` an answer."""
    return LABEL_KINDS[forced["kind"].casefold()]


ATX_HEADING_RE = lazy_pattern(
    r" {0,3}(?P<marks>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$"
)
# `{#id}` at the end of a question: the note's own, permanent identity.
NOTE_ID_RE = lazy_pattern(r"\{#(?P<id>\w[\w.:/-]*)\}")
# A line of Obsidian tags (`#neuro #exam/final`); `#1` or `#include <x>` are text.
HASHTAG_LINE_RE = lazy_pattern(r"[ \t]*(?:#[^\s#\d][^\s#]*[ \t]*)+$")
# `**Tags**: `#EAR` `#TVM``, `Tags: #a #b`: a labelled line of hashtags, maybe in code.
LABELLED_TAGS_RE = lazy_pattern(
    r"[ \t]*(?:\*\*|__)?tags?(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*"
    r"(?:`?#[^\s#`\d][^\s#`]*`?[ \t,]*)+$",
    re.IGNORECASE,
)
HASHTAG_RE = lazy_pattern(r"#([^\s#]+)")
# `**Tags:** compilers, week-1`: a bold label over a few words without `#`, each one tag.
BOLD_TAGS_RE = lazy_pattern(
    r"[ \t]*(?:\*\*|__)tags?(?:[ \t]*:[ \t]*(?:\*\*|__)|(?:\*\*|__)[ \t]*:)[ \t]*"
    r"(?P<tags>\w[\w.:/-]*(?:(?:[ \t]*,[ \t]*|[ \t]+)\w[\w.:/-]*){0,5})(?:[ \t]*,)?[ \t]*",
    re.IGNORECASE,
)
# mdanki's tags: `[#tag]()` links, alone on their line.
TAG_LINK_LINE_RE = lazy_pattern(r"[ \t]*(?:\[#[^\]\s]+\]\([^)]*\)[ \t]*)+$")
TAG_LINK_RE = lazy_pattern(r"\[#([^\]\s]+)\]")
TAB_WIDTH = 4
RULE_MARKS = ("-", "*", "_", "#", "⸺", "⸻", "—", "―", "─", "━", "═")
"""What a rule line (`RULE_LINE_RE`) opens with."""


def split_note_id(question: str) -> tuple[str, str | None]:
    """A question without its trailing `{#id}`, and that id (None when it has none). The
    id is looked for from its last `{#` only, so that a line of spaces costs one pass."""
    text = question.rstrip(" \t")
    opening = text.rfind("{#")
    if opening < 0 or not text.endswith("}"):
        return question, None
    match = NOTE_ID_RE.fullmatch(text, opening)
    if match is None:
        return question, None
    return text[:opening].rstrip(" \t"), match["id"]


def indent_width(whitespace: str) -> int:
    if "\t" not in whitespace:
        return len(whitespace)
    return sum(TAB_WIDTH if ch == "\t" else 1 for ch in whitespace)


QUESTION_MARKS = ("?", "？", "؟")
"""The question marks of the scripts notes are written in: Latin, full-width (Chinese,
Japanese), Arabic."""


def holds_question_mark(text: str) -> bool:
    return "?" in text or "？" in text or "؟" in text


def code_alone(text: str) -> bool:
    """A line that is one code span and nothing else (`` `ls -la` ``): code asks nothing."""
    text = text.strip()
    return len(text) > 2 and text[0] == "`" and text[-1] == "`" and "`" not in text[1:-1]


def reads_as_question(text: str) -> bool:
    """Ends with a question mark or opens with a question word (or Spanish's `¿`); emphasis
    around it does not hide it."""
    text = split_note_id(text.strip())[0]
    if "#" in text:  # `…意义？ #anki`: tags after it
        text = asked_with_tags(text)[0]
    if "___" in text and BLANK_TO_FILL_RE.search(text):
        return True  # `An ethical impact assessment is _____`
    text = text.strip(QUOTES_AND_EMPHASIS)
    if text.endswith(QUESTION_MARKS) or text[:1] == "¿":
        return True
    if text.endswith(")") and ASIDE_AFTER_MARK_RE.search(text):
        return True  # `…suited for? (Select two.)`, `…frameworks?(Quizlet)`
    if text[:1].isdigit() or text[:1] in "-–":  # `3. Explain …`, `-5 Donne …`: its number aside
        text = NUMBER_PREFIX_RE.sub("", text, count=1)
    return QUESTION_WORD_RE.match(text) is not None


BLANK_TO_FILL_RE = lazy_pattern(r"(?:^|[ \t(])_{3,}(?=[ \t.,:;!?)]|$)")
"""A blank to fill in (`… is _____.`), not underscores that open or close emphasis."""
ASIDE_AFTER_MARK_RE = lazy_pattern(r"[?？][ \t]*\([^()?？\n]{1,40}\)$")
"""A short aside in brackets after a question's mark: how many to choose, whose it is (not
a translation that asks, `Dou desu ka? (How is it?)`)."""


def reads_as_request(text: str) -> bool:
    """Asks as Japanese, Korean and Chinese ask without a question mark (`…を教えてくださ
    い。`, `…설명해보세요.`, `…吗`, `请简述…`): for a heading or a note's question, never
    for a line under an answer, where `…を参照してください。` (see …) is part of it."""
    text = split_note_id(text.strip())[0].strip(QUOTES_AND_EMPHASIS)
    tail = text[-7:]  # (the longest ending, `でしょうか。`, and a mark)
    if tail[-1:] in CJK_ASKING_LAST and not tail.isascii() and CJK_ASKING_END_RE.search(tail):
        return True
    if text[:1].isdigit():  # `3. 请简述…`: its number aside
        text = NUMBER_PREFIX_RE.sub("", text, count=1)
    return CJK_ASKING_START_RE.match(text) is not None


def asks_somehow(text: str) -> bool:
    """Worded as a question in any of the notes' languages (`reads_as_question`,
    `reads_as_request`)."""
    return reads_as_question(text) or reads_as_request(text)


# How Japanese, Korean and Chinese ask without a question mark: a request (`…の違いを教えて
# ください。`, `…설명해보세요.`) or a question's closing particle (`…ですか。`, `…습니까`,
# `…吗`).
CJK_ASKING_END_RE = lazy_pattern(
    r"(?:ください|下さい|なさい|(?:です|ます|でしょう|ません|のです|んです)か"
    r"|세요|십시오|하시오|니까|나요|까요|[吗嗎呢])[。.．！!]?$"
)
CJK_ASKING_LAST = frozenset("。.．！!いかさ요오까吗嗎呢")
"""The last characters such a line may end with, to try the pattern only on those."""
# Chinese opens a request with 请 (`请简述…`) or a verb of exams (`简述…`, `试述…`, `论述…`).
CJK_ASKING_START_RE = lazy_pattern(r"请|請|简述|簡述|试述|試述|论述|論述")


def asked_with_tags(text: str) -> tuple[str, list[str]]:
    """A question without the Obsidian tags after its question mark (`Why? #physics`,
    `…意义？ #anki`), and those tags; the text as it is, and no tags, for any other line.
    (Only what follows the last question mark is looked at: a line of a thousand `#a`
    costs one pass.)"""
    asked = max(text.rfind(mark) for mark in QUESTION_MARKS)
    tail = TAGS_AFTER_QUESTION_RE.fullmatch(text, asked + 1) if asked >= 0 else None
    if tail is None:
        return text, []
    return text[: tail.start("tags")], tail["tags"].split()


TAGS_AFTER_QUESTION_RE = lazy_pattern(
    r"(?:[ \t]*[*_\"'“”‘’«»「」『』])*(?P<tags>(?:[ \t]+#[^\W\d][\w/-]*)+)[ \t]*"
)
"""What may follow a question's mark: its emphasis or quote closing, then tags."""


TRAILING_TAGS_RE = lazy_pattern(r"(?:[ \t]+#[^\W\d][\w/-]*)+[ \t]*$")
"""Obsidian tags ending a line (`front::back #card #python`, `Why? #physics`)."""


# A question's number before its words, as headings and quizzes number them.
NUMBER_PREFIX_RE = lazy_pattern(r"[-–]?\d{1,3}[.)]?[ \t]+")


def line_tags(text: str) -> tuple[list[str], bool] | None:
    """The tags of a line made only of tags, and whether they belong to the note they stand
    in (mdanki's `[#tag]()`, a labelled `Tags: #a #b` line); None for any other line."""
    if "#" not in text:
        if ("**" in text or "__" in text) and (labelled := BOLD_TAGS_RE.fullmatch(text)):
            return labelled["tags"].replace(",", " ").split(), True  # `**Tags:** compilers`
        return None
    if HASHTAG_LINE_RE.match(text):
        return HASHTAG_RE.findall(text), False
    if LABELLED_TAGS_RE.match(text):  # (labelled, they tag the note they stand in)
        return [tag.strip("`,") for tag in HASHTAG_RE.findall(text)], True
    if TAG_LINK_LINE_RE.match(text):
        return TAG_LINK_RE.findall(text), True
    return None


@dataclass(slots=True)
class Draft:
    """A note being read: its question and the answer gathered so far, each line with where
    it stands, so that any problem found later is reported at its place."""

    index: int
    """Source index of the question's (first) line."""
    col: int
    question: list[str]
    question_at: list[tuple[int, int]]
    """(source index, column) of each question line."""
    answer: list[AnswerLine] = field(default_factory=list)
    answer_at: list[tuple[tuple[int, int], ...]] = field(default_factory=list)
    """(source index, column) of each line of each answer line."""
    markdown: str | None = None
    """A Markdown answer (heading style, other tools' cards) instead of answer lines."""
    markdown_at: tuple[int, ...] = ()
    """Source index of each line of `markdown`."""
    kind: NoteKind = NoteKind.BASIC
    one_liner: bool = False
    """A `front :: back` line: complete by itself, only list items may extend its back."""
    asked_inline: bool = False
    """A one-line note that is a question and its answer (`asked_and_answered`): only items
    right under it extend its back, none past a blank line."""
    list_cloze: bool = False
    """Asked for with `C:`: each list item of the answer becomes a deletion."""
    needs_answer: bool = True
    """False for another tool's cloze paragraph, which is a note by itself."""
    heading: bool = False
    """A question heading (its messages speak of headings)."""
    strong: bool = False
    """The question is marked beyond doubt (`?`, `Q:`, a card separator), not only worded so."""
    tags: list[str] = field(default_factory=list)
    indents: list[int] = field(default_factory=list)
    """Indent widths of the open list levels, to turn indentation into nesting depth."""
    item_question_at: int = -1
    """The indent width of the list item that is its question (-1: none)."""
    deck: str | None = None
    """A deck of its own (a delimited row's deck column), else the file's."""
    fields_in: FieldFormat = FieldFormat.MARKDOWN
    page_links: bool = True
    """`[[Page]]` links to a vault's pages: not in rows of a delimited file (`[[Prototype]]`)."""
    outline: bool = False
    """Its question is a list item with its answer indented under it: an item at the
    question's own indentation is not part of that answer."""
    answer_follows: bool = False
    """An `A:` label stood alone on its line: its answer is below it, blank lines aside."""
    labelled_answer: bool = False
    """Its answer is below an `A:` label alone on its line: in a file whose questions are
    labelled, it runs on over blank lines to the next question (`labelled_answer_goes_on`)."""
    labelled_inline: bool = False
    """Its answer opens on an `A:` label's line: in a file whose questions are labelled, it
    runs on over a blank line to a block, or a line introducing one (`Example:`)."""
    ruled: bool = False
    """It stands alone between rules, in a stretch that writes its notes so (`ruled_notes`)."""
    cloze_item: bool = False
    """A list item holding deletions, under no question: a cloze note (`cloze_item`)."""
    numbered_card: bool = False
    """A number alone over its question and answer items (`numbered_card_rule`)."""
    bold_item: bool = False
    """An item in bold over its answer a blank line below (`bold_item_question`): the answer
    runs over blank lines to the next such item."""
    running: bool = False
    """Its line opens with a running number (`2 - Qual…?`): in a file numbering its
    questions so, its answer goes on past a blank line into a quote, code or a remark
    (`running_answer_goes_on`)."""

    @property
    def question_text(self) -> str:
        return "\n".join(self.question)

    @property
    def source_lines(self) -> tuple[int, ...]:
        """Source indices of every line it was read from: its question's and its answer's."""
        answer = (at for line in self.answer_at for at, _ in line)
        return (*(at for at, _ in self.question_at), *answer, *self.markdown_at)

    def answered(self) -> bool:
        """Whether it has an answer or needs none (a cheap look, before it is settled)."""
        if self.markdown is not None and self.markdown.strip():
            return True
        texts = (self.question_text, *(a.text for a in self.answer))
        return any(a.text for a in self.answer) or (
            cloze.may_hold_cloze("\n".join(texts)) and any(map(cloze.has_cloze, texts))
        )


class Reader:
    """What every reader shares: a stretch [start, end) of the body, and what it found."""

    rules: Sequence[Callable[[Reader, int], int | None]] = ()

    def __init__(self, source: SourceFile, body: Body, start: int = 0, end: int | None = None):
        self.source = source
        self.body = body
        self.texts = body.texts
        self.indices = body.indices
        self.start = start
        self.end = len(body.texts) if end is None else end
        self.readings: dict[int, Reading] = {}
        self.diagnostics: list[Diagnostic] = []
        self.drafts: list[Draft] = []
        self.tags: list[str] = []
        """Tags of the whole file (a line of `#tags`)."""
        self.coming_tags: list[str] = []
        """Tags of the next note (a labelled `Tags:` line opening a card between rules)."""
        self.current: Draft | None = None
        self.gap = False
        """A blank line was passed inside the current answer (see `add_answer`)."""
        self.after_blank = True
        """At a paragraph's start: the file's start, or after a blank line or a rule."""
        self.answer_only = False
        """After a card's separator: every line up to a blank one is answer."""
        self.ruled_answer = False
        """The separator was a rule (`ruled_card_rule`): see `ruled_answer_goes_on`."""
        self._ends: list[int] | None = None
        self._separators: list[int] | None = None
        self.pair_run_end = 0
        """Where the vocabulary list being read ends (`pair_item_rule`)."""
        self.pair_run_indent = ""
        """The indentation of its items."""
        self._sibling_questions: dict[int, tuple[int, int]] | None = None
        self._answers_after_blank_lines: bool | None = None
        self.multiline_separator = ""
        """The separator of multi-line cards a vault chose instead of `?` (`,,`), if any."""

    def file_fact(self, name: str, work_out: Callable[[], Fact]) -> Fact:
        """A fact about the whole file, worked out once for all its readers."""
        facts = self.body.file_facts
        if name not in facts:
            facts[name] = work_out()
        return facts[name]  # type: ignore[return-value]

    @property
    def next_numbered_items(self) -> list[tuple[int, int] | None]:
        """For each line, the next unindented numbered item below it (its line and number),
        None when an ATX heading, or the end, comes first."""

        def work_out() -> list[tuple[int, int] | None]:
            found: list[tuple[int, int] | None] = [None] * len(self.texts)
            coming: tuple[int, int] | None = None
            inside = self.body.in_block
            for k in range(len(self.texts) - 1, -1, -1):
                found[k] = coming
                text = self.texts[k]
                if k in inside or text[:1] not in NUMBERED_OR_HEADING:
                    continue
                if text[:1] == "#":
                    coming = None if ATX_HEADING_RE.match(text) else coming
                elif (item := LIST_ITEM_RE.match(text)) and item["number"]:
                    coming = (k, int(item["number"]))
            return found

        return self.file_fact("next numbered items", work_out)

    @property
    def numbered_lines(self) -> frozenset[int]:
        """Lines that open with a number and a mark no list uses (`1.-`, `2 -`, `3–`), each
        asking a question of its own (an exam's `2.- Describe…` over its answer): three at
        least, numbered one after another (or from 1 again under each heading, two a section
        at least on the whole), and no other line so numbered in the file."""

        def work_out() -> frozenset[int]:
            found = [
                (k, int(m["number"]))
                for k, text in enumerate(self.texts)
                if text[:1].isdigit() and (m := RUNNING_NUMBER_RE.match(text))
            ]
            if len(found) < RUNNING_QUESTIONS:
                return frozenset()
            runs = 1
            for (above, before), (k, number) in itertools.pairwise(found):
                if number == 1 and any(
                    t[:1] == "#" and ATX_HEADING_RE.match(t) for t in self.texts[above + 1 : k]
                ):
                    runs += 1  # (`## Aula 2` over `1 - …` again)
                elif number != before + 1:
                    return frozenset()
            if runs > 1 and (found[0][1] != 1 or len(found) < 2 * runs):
                return frozenset()
            return frozenset(k for k, _ in found)

        return self.file_fact("numbered lines", work_out)

    @property
    def inline_cards(self) -> dict[int, tuple[str, str]]:
        """Lines that each hold a question and its answer (`asked_and_answered`), each read
        as a note (list items under one go on its answer; an item itself one when nothing
        is written under it), in a file that writes two such lines at least, and half its
        lines that hold a question mark: a line of prose that asks, then goes on, in a file
        of other notes, is no note. Each line's question and answer (an item's, without its
        bullet)."""

        def work_out() -> dict[int, tuple[str, str]]:
            found: dict[int, tuple[str, str]] = {}
            texts, inside = self.texts, self.body.in_block
            asking = 0  # lines holding a question mark, headings aside
            for k, text in enumerate(texts):
                if k in inside or not text.strip() or self.is_break(k):
                    continue
                marked = "?" in text or "？" in text
                asking += marked
                if not marked and ": " not in text:
                    continue
                opening = text.lstrip()[:1]
                if (opening in BULLETS or opening.isdigit()) and (item := LIST_ITEM_RE.match(text)):
                    if not item["indent"] and self._item_alone(k):
                        split = asked_and_answered(item["text"])
                    else:
                        split = None
                else:
                    split = asked_and_answered(text)
                if split is not None:
                    found[k] = split
            if len(found) < INLINE_CARDS or len(found) * 2 < asking:
                return {}  # a stray line of prose that asks, then goes on
            return found

        return self.file_fact("inline cards", work_out)

    def _item_alone(self, k: int) -> bool:
        """Whether nothing is written under list item k: the next line is blank, another
        item of the top level, or the end."""
        if k + 1 >= len(self.texts) or not self.texts[k + 1].strip():
            return True
        below = LIST_ITEM_RE.match(self.texts[k + 1])
        return below is not None and not below["indent"]

    @property
    def labels_questions(self) -> bool:
        """Whether the file labels its questions (`Q:`, `F:`, `Question :`), three at least
        (looked at once, when an answer below an `A:` label meets a blank line)."""

        def work_out() -> bool:
            labelled = (
                k
                for k in range(len(self.texts))
                if opens_with_question_label(self.texts[k]) or paired_label(self, k)
            )
            return next(itertools.islice(labelled, LABELLED_QUESTIONS - 1, None), None) is not None

        return self.file_fact("labels questions", work_out)

    @property
    def labels_answers_below(self) -> bool:
        """Whether the file writes its answers under a label alone on its line (`A:`,
        `Resposta:`), three at least (looked at once, as `labels_questions`)."""

        def work_out() -> bool:
            alone = (
                k
                for k in range(len(self.texts))
                if ":" in self.texts[k]
                and (label := FORCED_RE.match(self.texts[k])) is not None
                and label_kind(label) in "AR"
                and not label["text"].strip()
            )
            return next(itertools.islice(alone, LABELLED_QUESTIONS - 1, None), None) is not None

        return self.file_fact("labels answers below", work_out)

    @property
    def has_sections(self) -> bool:
        """Whether the file has headings beside a title (two `#` headings or more)."""

        def work_out() -> bool:
            headings = (t for t in self.texts if "#" in t[:4] and ATX_HEADING_RE.match(t))
            return next(itertools.islice(headings, 1, None), None) is not None

        return self.file_fact("has sections", work_out)

    @property
    def answers_after_blank_lines(self) -> bool:
        """Whether the stretch, or else the file, writes each question (a line ending with
        `?`) alone and its answer after a blank line, two times at least and for half its
        questions standing alone in their paragraph at least (looked at once, when a question
        without an answer meets a blank line). The file counts for sections of one or two
        questions each."""
        if self._answers_after_blank_lines is None:  # the file's, known once, first
            self._answers_after_blank_lines = self.file_fact(
                "answers after blank lines", lambda: self._written_so(0, None)
            ) or self._written_so(self.start, self.end)
        return self._answers_after_blank_lines

    @property
    def outline_cards(self) -> bool:
        """Whether the file writes its notes as an outline: its top-level list items each
        with an item indented under them (six at least, four in five of them), some of
        them questions (two at least): then each such item is a question, worded as one or
        not (`- tomar` over `  - to take`), in every section."""

        def work_out() -> bool:
            texts = self.texts
            tops = answered = asking = single = 0
            for k, text in enumerate(texts):
                if text[:1] not in "-*+" or not (item := LIST_ITEM_RE.match(text)):
                    continue
                tops += 1
                below = next(
                    (j for j in range(k + 1, min(k + 3, len(texts))) if texts[j].strip()), None
                )
                if below is None or not texts[below][:1].isspace():
                    continue
                if LIST_ITEM_RE.match(texts[below]):
                    answered += 1
                    asking += holds_question_mark(item["text"])
                    after = below + 1 < len(texts) and texts[below + 1]
                    single += not (after and after[:1].isspace() and after.strip())
                elif below == k + 2:  # a paragraph of the item's own, a blank line above it
                    answered += 1
                    asking += holds_question_mark(item["text"])
            # Items asking, or each over one item alone: a phrase over its translation
            paired = asking >= 2 or single * 5 >= answered * 4
            return answered >= 6 and answered * 5 >= tops * 4 and paired

        return self.file_fact("outline cards", work_out)

    @property
    def word_lists(self) -> bool:
        """Whether the file's lists are word lists: six items at least split as a word and
        its meaning (`- Macule – flat change in colour`), four in five of its items."""

        def work_out() -> bool:
            items = self.top_items
            glossary = self.term_lists or self.glossed_lists
            pairs = sum(1 for m in items if split_pair(m["text"], glossary) is not None)
            return pairs >= 6 and pairs * 5 >= len(items) * 4

        return self.file_fact("word lists", work_out)

    @property
    def glossed_lists(self) -> bool:
        """Whether the file's lists are words with their meanings in brackets after them
        (`- yo (I)`, `- ese / esa (that)`): six items at least, four in five of its items,
        a word of four words at most, nothing after its brackets."""

        def work_out() -> bool:
            items = self.top_items
            glossed = 0
            for item in items:
                term = GLOSSED_TERM_RE.fullmatch(item["text"].strip())
                glossed += bool(
                    term and not term["rest"].strip() and len(term["term"].split()) <= 4
                )
            return glossed >= 6 and glossed * 5 >= len(items) * 4

        return self.file_fact("glossed lists", work_out)

    @property
    def top_items(self) -> tuple[re.Match[str], ...]:
        """The file's list items that are not indented (for the facts about its lists)."""

        def work_out() -> tuple[re.Match[str], ...]:
            return tuple(m for t in self.texts if (m := LIST_ITEM_RE.match(t)) and not m["indent"])

        return self.file_fact("top items", work_out)

    @property
    def term_lists(self) -> bool:
        """Whether the file's lists define terms in bold with their colon (`- **Entity:** a
        thing…`, `- **RAM**: the memory…`), three at least, among other word lists' items
        (`- **integer** - a whole number`): six items at least, four in five of its items;
        such an item is then split as in a glossary (`split_pair`)."""

        def work_out() -> bool:
            items = self.top_items
            terms = sum(1 for m in items if DEFINED_TERM_RE.match(m["text"]))
            if terms < 3:
                return self._plain_term_lists(items)
            pairs = sum(
                1 for m in items if DEFINED_TERM_RE.match(m["text"]) or split_pair(m["text"])
            )
            return pairs >= 6 and pairs * 5 >= len(items) * 4

        return self.file_fact("term lists", work_out)

    def _plain_term_lists(self, items: Sequence[re.Match[str]]) -> bool:
        """Whether the file is a numbered or bulleted glossary of plain terms, each with its
        colon (`1. Zellmembran: Eine Phospholipid-Doppelschicht…`): ten items at least, four
        in five of its items, a term of four words at most, and no line outside its lists
        asks (a question's answer may list `memory: the cache was full`)."""
        terms = 0
        for item in items:
            term = GLOSSARY_TERM_RE.match(item["text"])
            terms += term is not None and len(term["term"].split()) <= PLAIN_TERM_WORDS
        if terms < PLAIN_TERMS or terms * 5 < len(items) * 4:
            return False
        return not any(
            reads_as_question(text)
            for text in self.texts
            if text.strip() and not text[:1].isspace() and not LIST_ITEM_RE.match(text)
        )

    @property
    def word_lines(self) -> bool:
        """Whether the file writes words and their meanings one a line, not in lists: ten
        such lines at least, in paragraphs of two or more made of them alone (a heading
        right above them parts them as a blank line does)."""

        def work_out() -> bool:
            found = run = 0
            spoilt = False  # the paragraph holds a line that is no word and meaning
            for text in (*self.texts, ""):
                if not text.strip() or ("#" in text[:4] and ATX_HEADING_RE.match(text)):
                    found += run if run >= 2 and not spoilt else 0
                    run, spoilt = 0, False
                elif not text[:1].isspace() and plain_pair(text):
                    run += 1
                else:
                    spoilt = True
            return found >= WORD_LINES

        return self.file_fact("word lines", work_out)

    @property
    def word_paragraphs(self) -> bool:
        """Whether the file writes a word and its meaning a paragraph (`bewundern - to
        admire`, maybe an example under it, then a blank line): two in three of its
        paragraphs open so, ten at least, and none of those opening lines asks."""

        def work_out() -> bool:
            texts, starts, blank = self.texts, [], True
            for k, text in enumerate(texts):
                if not text.strip():
                    blank = True
                elif blank:
                    starts.append(k)
                    blank = False
            pairs = [k for k in starts if not texts[k][:1].isspace() and plain_pair(texts[k])]
            return (
                len(pairs) >= WORD_LINES
                and 3 * len(pairs) >= 2 * len(starts)
                and not any(asks(texts[k]) for k in pairs)
            )

        return self.file_fact("word paragraphs", work_out)

    @property
    def letter_dividers(self) -> frozenset[int]:
        """Lines that only hold a capital letter (`A :`, `**B**`, `C.`), three at least, their
        letters in alphabetical order, each a paragraph of its own: a glossary's
        divisions, no labels (`A :`, `C :`, `Q :`, `R :` are no answer, list cloze, question
        or réponse there)."""

        def work_out() -> frozenset[int]:
            texts = self.texts
            # (one search of the file's text first: most files hold no such line)
            if len(LETTER_LINE_RE.findall("\n".join(texts))) < LETTER_DIVIDERS:
                return frozenset()
            found = [
                (k, LETTER_DIVIDER_RE.fullmatch(text)[1])  # type: ignore[index]
                for k, text in enumerate(texts)
                if len(text) <= LETTER_DIVIDER_LENGTH and LETTER_DIVIDER_RE.fullmatch(text)
            ]
            letters = [letter for _, letter in found]
            if len(found) < LETTER_DIVIDERS or letters != sorted(set(letters)):
                return frozenset()
            # each a paragraph of its own, as a glossary's divisions stand, not a quiz's
            # answer letters (`B` right under its question)
            if any(
                (k > 0 and texts[k - 1].strip()) or (k + 1 < len(texts) and texts[k + 1].strip())
                for k, _ in found
            ):
                return frozenset()
            return frozenset(k for k, _ in found)

        return self.file_fact("letter dividers", work_out)

    @property
    def colon_glossary(self) -> bool:
        """Whether the file holds a glossary that no heading names: a paragraph of ten lines
        at least, four in five of them a term with its colon and its meaning (`town:
        pueblo`, or with the colon's space forgotten, `avoid:evitar`)."""

        def work_out() -> bool:
            texts = self.texts
            for first, last, _ in self.paragraphs:
                total = last - first + 1
                if total < COLON_GLOSSARY:
                    continue
                terms = sum(
                    1
                    for text in texts[first : last + 1]
                    if (":" in text or "：" in text)
                    and not text[:1].isspace()
                    and (plain_pair(text, True) or TIGHT_COLON_RE.fullmatch(text.strip()))
                )
                if terms * 5 >= total * 4:
                    return True
            return self.spaced_glossary

        return self.file_fact("colon glossary", work_out)

    @property
    def paragraphs(self) -> tuple[tuple[int, int, int], ...]:
        """The file's paragraphs, blank lines between them: (first line, last line, blank
        lines right above it), for the facts that look at how a file is laid out."""

        def work_out() -> tuple[tuple[int, int, int], ...]:
            found: list[tuple[int, int, int]] = []
            first, above, gap = -1, 0, 0
            for k, text in enumerate(self.texts):
                if text.strip():
                    if first < 0:
                        first, above = k, gap
                    gap = 0
                    continue
                if first >= 0:
                    found.append((first, k - 1, above))
                    first = -1
                gap += 1
            if first >= 0:
                found.append((first, len(self.texts) - 1, above))
            return tuple(found)

        return self.file_fact("paragraphs", work_out)

    @property
    def spaced_glossary(self) -> bool:
        """Whether the file is a glossary of one-line paragraphs, a blank line between them
        (`Malware: Software designed to harm devices`, a blank line, `Phishing: …`): ten
        at least in a row, four in five of them a term with its colon and its meaning or a
        question answered on its line (`Can a constructor be final? No`). Then
        such a line alone is a note, as a line of a glossary's paragraph is."""

        def work_out() -> bool:
            terms = total = 0  # of the one-line paragraphs in a row
            for first, last, _ in self.paragraphs:
                if first == last:
                    text = self.texts[first]
                    total += 1
                    terms += bool(
                        not text[:1].isspace()
                        and (plain_pair(text, True) or asked_and_answered(text))
                    )  # (a question answered on its line among the terms is a note too)
                    continue
                if total >= COLON_GLOSSARY and terms * 5 >= total * 4:
                    return True
                terms = total = 0
            return total >= COLON_GLOSSARY and terms * 5 >= total * 4

        return self.file_fact("spaced glossary", work_out)

    @property
    def blank_lines_part_notes(self) -> bool:
        """Whether the file parts its notes with two blank lines or more, and a note's
        front from its back with one (`git is the most popular [...].`, a blank line,
        `version control system`, three blank lines): four notes at least, each of one to
        three paragraphs, three at least (and half of them) of two or more. Then a line
        after one blank line is the answer of a front with none yet, worded as a question
        or not."""

        def work_out() -> bool:
            groups: list[int] = []  # paragraphs of each note
            backs: list[int] = []  # lines after its first paragraph, of a note of several
            paragraphs = below = 0
            for first, last, above in self.paragraphs:
                if paragraphs and above >= 2:
                    groups.append(paragraphs)
                    if paragraphs >= 2:
                        backs.append(below)
                    paragraphs = below = 0
                paragraphs += 1
                below += last - first + 1 if paragraphs >= 2 else 0
            groups.append(paragraphs)
            if paragraphs >= 2:
                backs.append(below)
            short = sum(1 for lines in backs if lines <= SHORT_BACK)
            return (
                len(groups) >= 4
                and max(groups) <= 3
                and len(backs) >= 3
                and len(backs) * 2 >= len(groups)
                and short * 5 >= len(backs) * 4
            )

        return self.file_fact("blank lines part notes", work_out)

    @property
    def bold_questions(self) -> bool:
        """Whether the file writes its questions as lines wholly in bold (`**Question?**`),
        each with text under it that is not in bold (right under it, or after a blank line):
        four at least, one of them asking at least. Then such a line alone, worded as a
        question or not (`**Give the command that prints this:**`), has its answer after a
        blank line."""

        def work_out() -> bool:
            texts = self.texts
            bold = asking = 0
            for k, text in enumerate(texts):
                if not whole_bold(text):
                    continue
                below = next(
                    (j for j in range(k + 1, k + 3) if j < len(texts) and texts[j].strip()), None
                )
                if below is not None and not whole_bold(texts[below]):
                    bold += 1
                    asking += asks(text)
            return bold >= BOLD_QUESTIONS and asking >= 1

        return self.file_fact("bold questions", work_out)

    def _written_so(self, start: int, end: int | None) -> bool:
        """See `answers_after_blank_lines`: lines [start, end), or the whole file's lines
        but its headings (end None)."""
        texts = self.texts
        paragraphs: list[tuple[int, int]] = []
        for k in range(start, len(texts) if end is None else end):
            text = texts[k]
            if not text.strip() or (end is None and "#" in text[:4] and ATX_HEADING_RE.match(text)):
                continue
            if paragraphs and paragraphs[-1][1] == k - 1:
                paragraphs[-1] = (paragraphs[-1][0], k)
            else:
                paragraphs.append((k, k))
        # Questions alone in their paragraph: those answered right under them count for none
        alone = [first for first, last in paragraphs if first == last and asks(texts[first])]
        pairs = sum(
            1
            for (first, last), (following, _) in itertools.pairwise(paragraphs)
            if first == last and asks(texts[first]) and answers_plainly(self, following)
        )
        return pairs >= 2 and pairs * 2 >= len(alone)

    def read(self) -> Reader:
        k, end, rules = self.start, self.end, self.rules
        while k < end:
            for rule in rules:
                claimed = rule(self, k)
                if claimed is not None:
                    k = claimed
                    break
            else:
                k += 1
        self.finish()
        return self

    # -- where things are ----------------------------------------------------------------------

    def location(self, k: int, col: int = 1) -> Location:
        return self.source.location(self.indices[k], col)

    def mark(self, k: int, reading: Reading) -> None:
        self.readings[self.indices[k]] = reading

    def is_blank(self, k: int) -> bool:
        return not self.texts[k].strip()

    def is_break(self, k: int) -> bool:
        """A line that ends a paragraph: blank, a rule, or a heading."""
        text = self.texts[k]
        first = text[:4].lstrip()[:1]
        if not first:
            return not text.strip()
        if first == "#":
            return ATX_HEADING_RE.match(text) is not None
        return first in RULE_MARKS and RULE_LINE_RE.match(text) is not None

    def block_end(self, k: int) -> int | None:
        """The last line of the fenced code or `$$` block opening at k, within the stretch."""
        last = self.body.block_ends.get(k)
        return None if last is None else min(last, self.end - 1)

    def _index_paragraphs(self) -> None:
        """One backward pass: where each line's paragraph ends, and its next `?` line."""
        size = self.end - self.start
        ends, separators = [self.end] * (size + 1), [self.end] * (size + 1)
        inside = self.body.in_block
        for j in range(self.end - 1, self.start - 1, -1):
            at = j - self.start
            if j not in inside and self.is_break(j):
                ends[at] = separators[at] = j
                continue
            ends[at] = ends[at + 1]
            text = self.texts[j]
            chosen = self.multiline_separator and text.strip() == self.multiline_separator
            is_separator = j not in inside and (
                chosen or ("?" in text and SEPARATOR_LINE_RE.match(text))
            )
            separators[at] = j if is_separator else separators[at + 1]
        self._ends, self._separators = ends, separators

    def paragraph_end(self, k: int) -> int:
        """The first line at or after k that ends the paragraph (blocks count as text)."""
        if self._ends is None:
            self._index_paragraphs()
        return self._ends[k - self.start]  # type: ignore[index]

    def separator_in(self, k: int) -> int | None:
        """The first line holding only `?` or `??` in k's paragraph, from k on."""
        end = self.paragraph_end(k)
        found = self._separators[k - self.start]  # type: ignore[index]
        return found if found < end else None

    def sibling_questions(self) -> dict[int, tuple[int, int]]:
        """For each list item with its answer under it, how many of its siblings read as
        questions, and how many it has (see `sibling_questions`); worked out on first need."""
        if self._sibling_questions is None:
            self._sibling_questions = sibling_questions(self)
        return self._sibling_questions

    # -- drafts ------------------------------------------------------------------------------

    def finish(self) -> None:
        if self.current is not None:
            right_options_asked(self, self.current)
            self.drafts.append(self.current)
        self.current = None
        self.gap = False

    def start_question(self, k: int, offset: int, text: str, reading=Reading.QUESTION) -> Draft:
        """A new draft whose question is `text`, found at `offset` in line k."""
        self.finish()
        self.mark(k, reading)
        if ">" in text[:4] and (callout := CALLOUT_RE.match(text)) and callout["title"].strip():
            # `> [!NOTE] Examen extemporané`: the callout's title, not its marks
            offset, text = offset + callout.start("title"), callout["title"]
        col = offset + len(text) - len(text.lstrip()) + 1
        tags: list[str] = []
        if "#" in text:  # `Why is the sky blue? #physics`: the note's tags
            text, tags = asked_with_tags(text)
        self.current = Draft(self.indices[k], col, [text.strip()], [(self.indices[k], col)])
        self.current.tags += self.coming_tags + tags
        self.coming_tags = []
        self.current.strong = text.strip().endswith(QUESTION_MARKS)
        self.after_blank = self.answer_only = False
        return self.current

    def drop_caption(self) -> None:
        """The current draft only introduces the word list or table under it (`Vocabulary:`):
        part of no note, said."""
        draft = self.current
        assert draft is not None
        self.current = None
        self.readings[draft.index] = Reading.IGNORED
        self.diagnostics.append(warning(self.source.location(draft.index, draft.col), INTRODUCES))

    def add_question_line(self, k: int, text: str | None = None, col: int = 1) -> None:
        """One more line of a question that runs over several lines (`text` of line k from
        column `col`, when not the whole line)."""
        assert self.current is not None
        text = self.texts[k] if text is None else text
        self.mark(k, Reading.QUESTION)
        self.current.question.append(text.strip())
        self.current.question_at.append((self.indices[k], col + len(text) - len(text.lstrip())))

    def add_answer(self, k: int, answer: AnswerLine, col: int = 1, last: int | None = None) -> None:
        """An answer line (or block, lines k to `last`) of the current draft."""
        self.after_blank = False
        current = self.current
        if self.gap:  # a blank line above, inside the answer: a paragraph of its own
            self.gap = False
            if current is not None and current.answer and answer.text:
                answer = replace(answer, opens_paragraph=True)
        if current is not None and answer.text:
            current.answer_follows = False
        if current is not None and (last is None or last == k):  # one line: the usual case
            index = self.indices[k]
            self.readings[index] = Reading.ANSWER
            current.answer.append(answer)
            current.answer_at.append(((index, col),))
            return
        last = k if last is None else last
        if current is None:
            for j in range(k, last + 1):
                self.mark(j, Reading.IGNORED)
            self.diagnostics.append(
                error(
                    self.location(k),
                    "answer line before any question; add a question line above it",
                )
            )
            return
        for j in range(k, last + 1):
            self.mark(j, Reading.ANSWER)
        self.current.answer.append(answer)
        first = (self.indices[k], col)
        rest = tuple((self.indices[j], 1) for j in range(k + 1, last + 1)) if last > k else ()
        self.current.answer_at.append((first, *rest))

    def front_from(self, k: int, last: int) -> Draft:
        """A draft whose question is every line from k to last (a card's front)."""
        return self.front_of(range(k, last + 1))

    def front_of(self, lines: Sequence[int]) -> Draft:
        """A draft whose question is these lines, in order (a card's front, blank lines or
        tags between them left out)."""
        draft = self.start_question(lines[0], 0, self.texts[lines[0]])
        for j in lines[1:]:
            self.add_question_line(j)
        draft.strong = True
        return draft


# -- the rules of ankipress's line style, in the order they are tried ------------------------


_ROOM = r"(?:<br[ \t]*/?>|&nbsp;|<(div|p|span|a)(?:[ \t][^<>]*)?></\1>|<a[ \t][^<>]*/>)"
SPACER_RE = lazy_pattern(rf"[ \t]*{_ROOM}(?:[ \t]*{_ROOM})*[ \t]*")


def spacer(text: str) -> bool:
    """A line of HTML line breaks alone (`<br>`), or of an empty element (a page break for
    printing, `<div style="page-break-after: always;"></div>`, an anchor for a table of
    contents' links, `<a id="terms"></a>`): room between sections, no text."""
    return ("<" in text[:4] or "&" in text[:4]) and SPACER_RE.fullmatch(text) is not None


def empty_item(text: str) -> bool:
    """A bullet with nothing after it (`- `): a list item left to be written, no text."""
    return EMPTY_ITEM_RE.fullmatch(text) is not None


EMPTY_ITEM_RE = lazy_pattern(rf"[ \t]*[{BULLETS}][ \t]*")


def blank_rule(p: Reader, k: int) -> int | None:
    """A blank line, or a `---` rule between notes, ends a note; a line of `<br>` between
    notes (after a `</details>`, or after a blank line) is room, as a blank line is."""
    text = p.texts[k]
    blank = not text.strip()
    if not blank and (p.current is None or p.after_blank) and spacer(text):
        p.mark(k, Reading.BLANK)
        p.after_blank = True
        return k + 1
    if not blank and (text[:4].lstrip()[:1] not in RULE_MARKS or not RULE_LINE_RE.match(text)):
        return None
    p.mark(k, Reading.BLANK if blank else Reading.IGNORED)
    if blank and p.current is not None and p.current.answer_follows:
        return k + 1  # between `A:` and its answer: the note goes on
    if blank and p.current is not None and p.current.bold_item and bold_answer_goes_on(p, k):
        p.gap = True
        return k + 1  # an answer under an item in bold: to the next such item
    if blank and p.current is not None and p.current.running and running_answer_goes_on(p, k):
        p.gap = True
        return k + 1  # an answer under a running number: to the next numbered question
    if blank and p.current is not None and numbered_answer_goes_on(p, k):
        p.gap = True
        return k + 1  # an answer under a numbered item, not indented: to the next number
    if blank and p.answer_only and p.ruled_answer and ruled_answer_goes_on(p, k):
        return k + 1  # a card's back, between the rules that hold the card
    if (
        blank
        and p.current is not None
        and (p.current.labelled_answer or p.current.labelled_inline)
        and labelled_answer_goes_on(p, k)
        and (p.current.labelled_answer or introduces_block(p, k))
    ):
        p.gap = True
        return k + 1  # an `A:` answer of a file that labels its questions: to the next one
    p.after_blank = True
    p.answer_only = p.ruled_answer = False
    return k + 1


def link_definition_rule(p: Reader, k: int) -> int | None:
    """A link's definition is part of no note, and ends none: Markdown shows nothing of it."""
    if k not in p.body.link_definitions:
        return None
    p.mark(k, Reading.IGNORED)
    return k + 1


def title_rule(p: LineStyleParser, k: int) -> int | None:
    if k != p.title:
        return None
    p.mark(k, Reading.TITLE)
    p.finish()
    p.after_blank = True
    return k + 1


def intro_quote_rule(p: LineStyleParser, k: int) -> int | None:
    """A quote of two lines or more opening the stretch (a title above it at most) over
    notes that are no quotes, none of its lines asking, labelled or a card: it introduces
    the notes (`> This file defines the terms…`), part of none, said. Read as a question
    over its answer, it took the table of terms under it for more of that answer."""
    if p.texts[k][:1] != ">" or p.current is not None:
        return None
    first = p.next_non_blank(p.start - 1)
    if first is not None and first == p.title:
        first = p.next_non_blank(first)
    if first != k:  # (looked for from the stretch's start: its first lines are few)
        return None
    end = p.paragraph_end(k)
    following = p.next_non_blank(end - 1) if end < p.end else None
    if end - k < 2 or following is None or p.texts[following].lstrip()[:1] == ">":
        return None
    for j in range(k, end):
        text = p.texts[j].lstrip()
        if text[:1] != ">":
            return None
        inner = text.lstrip("> \t")
        if "[!" in text[:6] or asks(inner) or FORCED_RE.match(inner) or one_liner_split(inner):
            return None
        if cloze.has_cloze(inner):
            return None
    p.finish()
    for j in range(k, end):
        p.mark(j, Reading.IGNORED)
    p.diagnostics.append(
        warning(p.location(k), "this quote introduces the notes under it: it is part of none")
    )
    p.after_blank = True
    return end


def tags_rule(p: Reader, k: int) -> int | None:
    """A line of `#tags` tags the file's notes; mdanki's `[#tag]()`, or a labelled `Tags:`
    line, tags the note it is in, or the next one when it opens a card under a rule."""
    found = line_tags(p.texts[k])
    if found is None:
        return None
    tags, of_note = found
    p.mark(k, Reading.TAGS)
    above = next((j for j in range(k - 1, p.start - 1, -1) if p.texts[j].strip()), None)
    if of_note and above is not None and RULE_LINE_RE.match(p.texts[above]):
        p.coming_tags += tags  # `---`, then `**Tags:** …` over a card's question: its tags
    elif of_note and p.current is not None:
        p.current.tags += tags
    else:
        p.tags += tags
    return k + 1


# Dataview's inline field, `key:: value`: a lower-case key of one word, `::` right after it.
DATAVIEW_FIELD_RE = lazy_pattern(r"(?:>[ \t]*)*[a-z][a-z0-9_-]*::[ \t]")
"""A Dataview field's line, in a quote or callout too (`> up:: [[Inheritance]]`)."""


def dataview_field_rule(p: Reader, k: int) -> int | None:
    """`up:: [[Index]]`, `source:: lecture 3`: a field of Obsidian's Dataview plugin, not a
    note (a card's front is a phrase or starts with a capital), quoted or not (a callout of
    a page's fields). Left out, said once a file."""
    if "::" not in p.texts[k] or not DATAVIEW_FIELD_RE.match(p.texts[k]):
        return None
    p.mark(k, Reading.IGNORED)
    if not any(d.message == DATAVIEW_FIELD for d in p.diagnostics):
        p.diagnostics.append(warning(p.location(k), DATAVIEW_FIELD))
    return k + 1


DATAVIEW_FIELD = (
    "this line reads as a field of Obsidian's Dataview plugin (`key:: value`), not a note, "
    "and is left out, as are the others like it in this file; if it is meant as a note, "
    "start it with a capital letter"
)


def block_rule(p: Reader, k: int) -> int | None:
    """Fenced code or a `$$` block, blank and `?` lines included, is part of the answer; so
    is a table, but one under no question (`table_notes`)."""
    last = p.block_end(k)
    if last is None:
        return None
    # A table under no question, or after a blank line under a remark (left out, said).
    free = p.current is None or (p.after_blank and is_prose(p.current))
    if not free and "|" in p.texts[k] and names_words(p.current) and is_table(p, k):
        p.drop_caption()  # `150 words` over `| # | Word | Pinyin | Meaning |`
        free = True
    if free and "|" in p.texts[k] and is_table(p, k):
        if not under_section(p, k):
            p.finish()
            return table_notes(p, k, last)
        if word_table(p, k, last) and not p.file_fact("a heading asks", heading_asks(p)):
            p.finish()  # `## Numbers` over `| 一 | 1 |`, in a file whose headings name topics
            p.diagnostics.append(warning(p.location(k), WORD_TABLE))
            return table_notes(p, k, last)
    p.add_answer(k, AnswerLine("\n".join(p.texts[k : last + 1]), block=True), 1, last)
    return last + 1


EMPTY_CELLS = ("", "-", "–", "—")
"""What a table's cell holds when it has nothing to say."""


def is_table(p: Reader, k: int) -> bool:
    """Whether the block opening at line k is a Markdown table."""
    return k + 1 < p.end and TABLE_DELIMITER_RE.match(p.texts[k + 1]) is not None


def under_section(p: Reader, k: int) -> bool:
    """Whether line k is the first written line under a heading of a section (`##` and
    deeper): a table there is the heading's answer, unless the heading names a glossary or
    the table's first row names a word list's columns (`German | English | Example`)."""
    if not right_under_heading(p, k):
        return False
    heading = section_heading(p)
    if heading is None or len(heading["marks"]) < 2:
        return False
    names = [cell.strip() for cell in row_cells(p.texts[k])]
    if under_glossary_heading(p) or names_word_columns(names):
        return False
    return not p.file_fact("tables name their columns", lambda: tables_name_columns(p))


def names_word_columns(names: Sequence[str]) -> bool:
    """Whether a table's first row names the columns of words and their meanings: every
    cell a usual column's name (`| Italian | German |`), or, in two or three columns, every
    cell but the first (`| Protocol | Description |`, `| Tool | Purpose | Example |`)."""
    if is_header_row(names):
        return True
    return (
        2 <= len(names) <= 3
        and 0 < len(names[0].split()) <= 3
        and all(is_column_name(name) for name in names[1:])
    )


def tables_name_columns(p: Reader) -> bool:
    """Whether the file's tables are word tables by their first rows: two at least name
    their columns (`| Italian | German |`, `| Command | Description |`), half of its tables
    at least. Then a table under a heading whose first row the names do not cover (`|
    Protocol | Description |`, `| Infinitive | German | Participio Passato |`) is one too."""
    texts = p.texts
    named = total = 0
    for k in range(len(texts) - 1):
        if "|" in texts[k] and "-" in texts[k + 1] and TABLE_DELIMITER_RE.match(texts[k + 1]):
            total += 1
            named += names_word_columns([cell.strip() for cell in row_cells(texts[k])])
    return named >= 2 and named * 2 >= total


WORD_TABLE = (
    "the rows of this table under a heading that names a topic are read as notes, each "
    "row's first cell its front; if the whole table is the heading's answer, end the "
    "heading with `?`"
)
WORD_TABLE_CELL = 30
"""Characters a cell of a table of words holds at most."""


def word_table(p: Reader, k: int, last: int) -> bool:
    """Whether the table from line k to `last` reads as words and their meanings: two or
    three columns, three rows at least under its first with two cells written, every cell
    short (a link's address aside: `[barn](https://…)` is the word `barn`). A row may leave
    cells empty (`| hen | | |`): a meaning still to be written (`table_notes` says it)."""
    rows = [row_cells(p.texts[j]) for j in (k, *range(k + 2, last + 1))]
    written = [[cell for cell in row if cell.strip()] for row in rows[1:]]
    return (
        2 <= len(rows[0]) <= 3
        and sum(len(cells) >= 2 for cells in written) >= 3
        and all(len(row) <= 3 for row in rows)
        and all(
            len(LINK_TARGET_RE.sub("]", cell).strip()) <= WORD_TABLE_CELL
            for row in rows
            for cell in row
        )
    )


LINK_TARGET_RE = lazy_pattern(r"\]\([^()\s]*\)")
"""A Markdown link's address, after its text."""


def heading_asks(p: Reader) -> Callable[[], bool]:
    """How to work out whether a heading of the file asks a question."""
    return lambda: any(
        (m := ATX_HEADING_RE.match(text)) is not None and asks_somehow(m["text"] or "")
        for k, text in enumerate(p.texts)
        if "#" in text[:4] and k not in p.body.in_block
    )


def table_notes(p: Reader, k: int, last: int) -> int:
    """A table under no question, a vocabulary or a glossary: each row a note, its first
    cell the front, its other cells the back (each under its column's name when there are
    more than one)."""
    names = [cell.strip() for cell in row_cells(p.texts[k])]
    p.mark(k, Reading.FRONT_MATTER)
    p.mark(k + 1, Reading.FRONT_MATTER)
    rows = [[cell.strip() for cell in row_cells(p.texts[j])] for j in range(k + 2, last + 1)]
    if contents_rows(rows):
        for j in range(k, last + 1):  # `| 2 | [What is OpenAPI?](#2-what-is-openapi) |`
            p.mark(j, Reading.IGNORED)
        p.diagnostics.append(warning(p.location(k), TABLE_OF_CONTENTS))
        return last + 1
    skip = int(numbers_rows(names, rows))
    names = names[skip:]
    qualifiers = repeated_front_qualifiers([row[skip:] for row in rows])
    for j, row in enumerate(rows, start=k + 2):
        written = row[skip:]
        cols = [p.texts[j].find(cell) + 1 for cell in written]
        cells = [cell.replace("\\|", "|") for cell in written]
        if not cells or not cells[0]:
            p.mark(j, Reading.IGNORED)
            if all(cell in EMPTY_CELLS for cell in cells):
                continue  # a row left to fill in: nothing is lost
            p.diagnostics.append(
                warning(p.location(j), "this table row has no first cell, so no front: left out")
            )
            continue
        if whole_bold(cells[0]) and all(cell in EMPTY_CELLS for cell in cells[1:]):
            p.mark(j, Reading.SECTION)  # `| **Git commands** | |`: a title over the rows
            continue
        if j == last and numbers_columns(cells, rows):
            p.mark(j, Reading.IGNORED)  # `| 1 | 2 |`: a template's row numbering its columns
            message = "this table row only numbers its columns (1, 2…): left out"
            p.diagnostics.append(warning(p.location(j), message))
            continue
        if len(rows) >= EMPTY_ROWS_AMONG and all(cell in EMPTY_CELLS for cell in cells[1:]):
            p.mark(j, Reading.IGNORED)  # `| hen | | |`: a word whose meaning is to write
            message = "this table row has a front but nothing beside it: left out"
            p.diagnostics.append(warning(p.location(j), message))
            continue
        draft = p.start_question(j, cols[0] - 1, cells[0], Reading.ONE_LINER)
        if (qualifier := qualifiers.get(j - k - 2)) is not None:
            draft.question[0] += f" ({qualifier})"  # `Excuse me please (formal)`
        draft.one_liner, draft.strong = True, True
        for i, cell in enumerate(cells[1:], start=1):
            if cell in EMPTY_CELLS:
                continue
            named = len(cells) > 2 and i < len(names) and names[i]
            draft.answer.append(AnswerLine(f"**{names[i]}**: {cell}" if named else cell))
            draft.answer_at.append(((p.indices[j], cols[i]),))
    p.finish()  # what follows the table is no part of its last row's answer
    return last + 1


IN_PAGE_LINK_RE = lazy_pattern(r"[*_]*\[[^\[\]\n]+\](?:\(#[^()\s]*\)|\[[^\[\]\n]*\])[*_]*")
"""A cell that is only a link to a part of the page (`[What is OpenAPI?](#2-what-is-openapi)`),
or a reference to a link defined below (`[Question 1][1]`, `[1]: #questao-1`)."""


def contents_rows(rows: Sequence[Sequence[str]]) -> bool:
    """Whether a table's rows (below its header) are a table of contents: two at least link
    to parts of the page, and the others hold nothing else than such links, numbers,
    titles in bold (`| | **[RESTful Services](#restful-services)** |`) and empty cells."""
    linking = sum(any(map(IN_PAGE_LINK_RE.fullmatch, row)) for row in rows)
    return linking >= 2 and all(
        cell in EMPTY_CELLS
        or cell == "&nbsp;"
        or cell.isdigit()
        or whole_bold(cell)
        or IN_PAGE_LINK_RE.fullmatch(cell)
        for row in rows
        for cell in row
    )


TABLE_OF_CONTENTS = (
    "this table's rows link to the parts of this page: a table of contents, left out (its "
    "questions are read where they are written)"
)


def numbers_columns(cells: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    """Whether a table's last row only numbers its columns (`| 1 | 2 |`, left by a template),
    where no other row holds numbers alone (`| 1 | 2 |` among `| 2 | 4 |` is data)."""
    if list(cells) != [str(n) for n in range(1, len(cells) + 1)]:
        return False
    return sum(all(cell.strip().isdigit() for cell in row if cell.strip()) for row in rows) == 1


EMPTY_ROWS_AMONG = 5
"""Rows of a table from which one with a front alone is a word left to fill in (said), not
a question without an answer."""
QUALIFIER_WORDS = 3
"""Words a cell holds at most to tell rows with one front apart (`formal`, `informal`)."""


def repeated_front_qualifiers(rows: Sequence[Sequence[str]]) -> dict[int, str]:
    """For rows whose first cells repeat (`Excuse me please` over `Entschuldigen Sie` and over
    `Entschuldigung`), the short cell of a later column that tells them apart (`formal`,
    `informal`), never the meaning's own column (the second): row → that cell. Rows no such
    column tells apart are left as they are (the duplicate check says so)."""
    groups: dict[str, list[int]] = {}
    for r, row in enumerate(rows):
        if row and row[0]:
            groups.setdefault(row[0].casefold(), []).append(r)
    found: dict[int, str] = {}
    for members in (m for m in groups.values() if len(m) > 1):
        for column in range(2, min(len(rows[r]) for r in members)):
            cells = [rows[r][column] for r in members]
            short = all(
                c and c not in EMPTY_CELLS and len(c.split()) <= QUALIFIER_WORDS for c in cells
            )
            if short and len({c.casefold() for c in cells}) == len(cells):
                found.update(zip(members, cells, strict=True))
                break
    return found


NUMBER_COLUMN_RE = lazy_pattern(r"(?i)(?:#|n[°ºo]?\.?|nr\.?|num(?:ber|éro|ero)?\.?|id|)")


def numbers_rows(names: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    """Whether a table's first column numbers its rows, with two columns more at least: named
    so (`No.`, `N°`, `#`, `ID`) over rising numbers or UUIDs, or counting 1, 2, 3 under any
    name. That column is no field (a column of years, rising, is one)."""
    if len(rows) < 2 or not all(len(row) >= 3 for row in rows):
        return False
    ids = [row[0] for row in rows]
    if names and NUMBER_COLUMN_RE.fullmatch(names[0]):
        return names_rows(ids)
    numbers = [i.removesuffix(".") for i in ids]
    return all(n.isdigit() for n in numbers) and all(
        int(b) == int(a) + 1 for a, b in itertools.pairwise(numbers)
    )


def separator_card_rule(p: Reader, k: int) -> int | None:
    """A front, a line holding only `?` (`??`: reversed), then its back (Obsidian's cards)."""
    if not p.after_blank:
        return None
    end = p.paragraph_end(k)
    sep = p.separator_in(k)
    if sep is None or sep == k or sep + 1 >= end:
        return None
    draft = p.front_from(k, sep - 1)
    if p.texts[sep].strip() == "??":
        draft.kind = NoteKind.REVERSED
    p.mark(sep, Reading.SEPARATOR)
    p.answer_only = True
    return sep + 1


def ruled_card_rule(p: Reader, k: int) -> int | None:
    """A front, a `---` rule right under it, then its back: the rule separates the front from
    the back when the front would otherwise be a question without an answer."""
    text = p.texts[k]
    if not p.after_blank or text[:1].isspace() or LIST_ITEM_RE.match(text) or FORCED_RE.match(text):
        return None
    if one_liner_split(text):
        return None
    end = p.paragraph_end(k)
    if end + 1 >= p.end or not RULE_LINE_RE.match(p.texts[end]) or p.is_break(end + 1):
        return None
    if end - k > 1 and not reads_as_question(p.texts[end - 1]):
        return None  # the paragraph is a note with its answer: the rule separates notes
    p.front_from(k, end - 1)
    p.mark(end, Reading.SEPARATOR)
    p.answer_only = p.ruled_answer = True
    return end + 1


RULE_ANYWHERE_RE = lazy_pattern("(?m)^" + RULE_LINE_RE.pattern)
"""A rule line (`RULE_LINE_RE`) anywhere in a text."""
RULED_NOTES = 3
"""Notes written between rules from which a stretch is read as written so."""


def ruled_notes(p: LineStyleParser) -> dict[int, int]:
    """See `LineStyleParser.ruled_notes`."""
    if not p.file_fact("rules", lambda: RULE_ANYWHERE_RE.search("\n".join(p.texts)) is not None):
        return {}
    texts, inside = p.texts, p.body.in_block
    chunks: list[tuple[int, int]] = []
    first = None
    for k in range(p.start, p.end + 1):
        ruled = k < p.end and texts[k][:4].lstrip()[:1] in RULE_MARKS and k not in inside
        if k == p.end or (ruled and RULE_LINE_RE.match(texts[k])):
            if first is not None:
                chunks.append((first, k))
            first = None
        elif first is None and texts[k].strip() and k != p.title:
            first = k
    if len(chunks) < RULED_NOTES:
        return {}
    asking = sum(1 for start, _ in chunks if _opens_ruled_note(texts[start]))
    spread = False  # a blank line stands inside a note (before its last written line)
    for start, end in chunks:
        last = next(j for j in range(end - 1, start - 1, -1) if texts[j].strip())
        if any(not texts[j].strip() for j in range(start + 1, last)):
            spread = True
            break
    if not spread or asking * 5 < len(chunks) * 4:
        return {}
    return {start: end for start, end in chunks if _opens_ruled_note(texts[start])}


def _opens_ruled_note(text: str) -> bool:
    """A line that may open a note written between rules: it asks, or holds a `?`, or is
    wholly in bold (a numbered item's number aside)."""
    item = LIST_ITEM_RE.match(text)
    if item is not None and item["bullet"] is not None:
        return False  # a bulleted item is a list's, whatever it says
    own = item["text"] if item is not None else text
    return holds_question_mark(own) or reads_as_question(own) or whole_bold(own)


def ruled_note_rule(p: LineStyleParser, k: int) -> int | None:
    """A note of a stretch that writes its notes between rules (see `ruled_notes`): its
    first line the question (a numbered item's number or a question's label aside), the
    rest to the rule its answer, paragraphs and blank lines as written."""
    if not p.after_blank and p.current is not None:
        return None
    end = p.ruled_notes.get(k)
    if end is None:
        return None
    text = p.texts[k]
    item = LIST_ITEM_RE.match(text)
    offset = item.start("text") if item is not None else 0
    label = FORCED_RE.match(text, offset)
    if label is None and text.startswith(PAIRED_OPENINGS, offset):
        label = PAIRED_LABEL_RE.match(text, offset)  # `**Que:** …`, its answer in the note
    if label and label_kind(label) == "Q" and label["text"]:
        offset = label.start("text")  # `**Q12.** Which…`: the label is not shown
    under = _asked_under_number(p, k, label)
    if under is not None:  # `**Domanda 3:**` over the question: the number is not shown
        draft = p.start_question(under[0], 0, p.texts[under[0]])
        p.mark(k, Reading.QUESTION)
        for j in range(under[0] + 1, under[1] + 1):
            p.add_question_line(j)
    else:
        draft = p.start_question(k, offset, text[offset:])
    draft.strong = draft.ruled = True
    first, last = (under[1] if under else k) + 1, end - 1
    while first <= last and not p.texts[first].strip():
        p.mark(first, Reading.BLANK)
        first += 1
    while last >= first and not p.texts[last].strip():
        p.mark(last, Reading.BLANK)
        last -= 1
    if under is None and first <= last and _asked_under_title(p, k, first, last):
        p.add_question_line(first)  # `**2. Cahier des charges**` over the question itself
        first += 1
    shown = {}  # the answer's first line, its label taken off (after a quiz's options)
    if (labelled := _labelled_after_options(p, first, last)) is not None:
        for j in range(first, labelled[0]):  # the options are asked, the label's line answers
            if option := OPTION_RE.match(p.texts[j]):
                text = unmarked(p.texts[j][option.start("option") :])
                p.add_question_line(j, text, option.start("option") + 1)
            else:
                p.mark(j, Reading.BLANK)
        first, shown = labelled[0], {labelled[0]: labelled[1]}
    if first <= last:
        for j in range(first, last + 1):
            p.mark(j, Reading.ANSWER if p.texts[j].strip() else Reading.BLANK)
        draft.markdown = "\n".join(shown.get(j, p.texts[j]) for j in range(first, last + 1))
        draft.markdown_at = tuple(p.indices[first : last + 1])
    p.finish()
    return end


def _asked_under_number(p: Reader, k: int, label: re.Match[str] | None) -> tuple[int, int] | None:
    """The first and last lines of the question written right under a note's first line k,
    when that line only numbers it (`**Domanda 3:**`, `Question 4`, `Q:` alone): up to a
    blank line, a label or a list's item (a quiz's options); with the code it shows, a
    fenced block right under it over the options."""
    alone = label is not None and label_kind(label) == "Q" and not label["text"].strip()
    if not alone and not (p.texts[k][-1:] in NUMBER_ENDS and numbers_card(p.texts[k])):
        return None
    under = question_under_label(p, k)
    if under is None:
        return None
    fence = p.block_end(under[1] + 1) if under[1] + 1 < p.end else None
    if fence is not None and fence + 1 < p.end and LIST_ITEM_RE.match(p.texts[fence + 1]):
        return under[0], fence
    return under


def _asked_under_title(p: Reader, k: int, first: int, last: int) -> bool:
    """Whether a note's first line k, in bold and not asking, only titles the question in
    bold right under it (line `first`, ending with `?` or `:`) over a quiz's options."""
    title, asked = p.texts[k], p.texts[first]
    if not whole_bold(title) or asks(title) or not whole_bold(asked):
        return False
    if not (asks(asked) or asked.strip().strip("*_").rstrip().endswith(":")):
        return False
    return first + QUIZ_OPTIONS <= last + 1 and all(
        OPTION_RE.match(p.texts[j]) for j in range(first + 1, first + 1 + QUIZ_OPTIONS)
    )


def _labelled_after_options(p: Reader, first: int, last: int) -> tuple[int, str] | None:
    """Lines first to last of a note's answer opening with a quiz's options, then a line
    labelled as the answer (`**Answer:** B`, `> ✅ **Answer: B**`): that line, and its text
    without the label; None otherwise."""
    options = first
    while options <= last and OPTION_RE.match(p.texts[options]):
        options += 1
    if options - first < QUIZ_OPTIONS:
        return None
    label = next((j for j in range(options, last + 1) if p.texts[j].strip()), None)
    if label is None:
        return None
    text = p.texts[label].strip()
    if text[:1] == ">":
        quoted = quoted_answer(text)
        answer = quoted[1] if quoted else None
    else:
        answer = unlabelled(text)
    return (label, answer) if answer else None


def ruled_answer_goes_on(p: Reader, k: int) -> bool:
    """Whether the back of a card whose front a rule ended goes on after blank line k: when
    the paragraph after it ends the file, or ends at a rule that ends the card (another rule
    or the file after it, as Mochi writes cards: `---`, its id, `---`, front, `---`, back)."""
    following = next((j for j in range(k + 1, p.end) if p.texts[j].strip()), None)
    if following is None or RULE_LINE_RE.match(p.texts[following]):
        return False
    end = p.paragraph_end(following)
    if end >= p.end:
        return True
    return bool(RULE_LINE_RE.match(p.texts[end])) and (end + 1 >= p.end or p.is_break(end + 1))


LETTER_DIVIDER_RE = lazy_pattern(r"[ \t]*[*_#]*[ \t]*([A-Z])[*_]*[ \t]*[:.]?[*_]*[ \t]*")
"""A line holding only a capital letter, a glossary's division (`A :`, `**B**`); tried only on
lines of `LETTER_DIVIDER_LENGTH` characters at most."""
LETTER_LINE_RE = lazy_pattern(r"(?m)^[ \t*_#]*[A-Z][ \t*_:.]*$")
"""Such a line, roughly, found in a file's whole text (one class on each side of the
letter, so that a line of spaces is passed over at once, not split two ways)."""
LETTER_DIVIDER_LENGTH = 12
LETTER_DIVIDERS = 3
"""Lines of letters in alphabetical order from which they divide a glossary."""


def letter_divider(p: Reader, k: int) -> int:
    """A line dividing a glossary by letter (see `letter_dividers`): no note, nor a label."""
    p.finish()
    p.mark(k, Reading.SECTION)
    p.after_blank = True
    return k + 1


def forced_rule(p: Reader, k: int) -> int | None:
    """`Q:` (or `C:`) makes a question, running on to an `A:` line below it; `A:` (or `R :`)
    an answer line; a glossary's letter (`A :`, see `letter_dividers`) is none."""
    text = p.texts[k]
    if not text[LETTER_DIVIDER_LENGTH:] and k in p.letter_dividers:  # (a slice: no call)
        return letter_divider(p, k)
    match = FORCED_RE.match(text) or (paired_label(p, k) if text[:1] in PAIRED_FIRSTS else None)
    if match is None and text[:1].isdigit() and (number := NUMBERED_LABEL_RE.match(text)):
        match = FORCED_RE.match(text, number.end())  # `12 Q: …` over `12 A: …`
    if match is None and text[:2] in ("**", "__") and (inner := bold_labelled(text)):
        text = inner  # `**Q: Compilation vs execution**`: the label and its text in bold
        match = FORCED_RE.match(text, 2)
    if match is None and text[:2] in ("**", "__") and (bold := bold_answer(text)) is not None:
        # `**Resposta: b) 42**`: the answer, in bold as written
        options_asked(p)
        p.add_answer(k, AnswerLine(bold), text.index(bold[:2]) + 1)
        if p.current is not None:
            p.current.labelled_inline = True
        return k + 1
    quoted = quoted_answer(text) if match is None and ">" in text[:4] and p.current else None
    if quoted is not None:  # `> ✅ **Answer: B**` under a quiz's options: the answer, quoted
        options_asked(p)
        p.add_answer(k, AnswerLine(quoted[1]), quoted[0])
        return k + 1
    if match is None:
        if text[-1:] not in NUMBER_ENDS or not text.rstrip(NUMBER_CLOSINGS)[-1:].isdigit():
            return None  # (most lines: no card's number at their end)
        if (numbered := numbered_card_question(p, k)) is None:
            return None
        return labelled_question(p, k, *numbered, list_cloze=False)
    if match["dot"] and label_kind(match) == "A" and not answers_dotted_question(p, k):
        return None  # `A. Paris`, `B. Rome`: a quiz's options, not an answer's label
    if label_kind(match) in "AR":
        col = match.start("text") + len(match["text"]) - len(match["text"].lstrip()) + 1
        options_asked(p)
        p.add_answer(k, AnswerLine(match["text"].strip()), col)
        if p.current is not None and not match["text"].strip():
            # `A:` alone: its answer is below, blank lines aside
            p.current.answer_follows = p.current.labelled_answer = True
        elif p.current is not None:
            p.current.labelled_inline = True
        return k + 1
    first, last = k, question_runs_to(p, k)
    if not match["text"].strip() and (under := question_under_label(p, k)) is not None:
        first, last = under  # `Q:` alone on its line: the question is written under it
    if label_kind(match) == "Q" and (inline := INLINE_ANSWER_RE.search(text, match.start("text"))):
        # `Q: What is Maven? A: A build tool.`: question and answer on one line
        draft = p.start_question(k, match.start("text"), text[match.start("text") : inline.start()])
        draft.strong = True
        p.add_answer(k, AnswerLine(text[inline.end() :].strip()), inline.end() + 1)
        return k + 1
    if first != k:
        return labelled_question(p, k, first, last, label_kind(match) == "C")
    draft = p.start_question(k, match.start("text"), text[match.start("text") :])
    draft.list_cloze = label_kind(match) == "C"
    draft.strong = True
    for j in range(first + 1, last + 1):
        p.add_question_line(j)
    return last + 1


def bold_labelled(text: str) -> str | None:
    """A line wholly in bold that opens with a question's label and its text (`**Q:
    Compilation vs execution**`), its bold marks made spaces (the label then at column 3,
    where it was written); None for any other line."""
    stripped = text.rstrip()
    found = label_in_bold(stripped)
    if found is None or found[1] != len(stripped) - 2:
        return None  # (its bold closes before the line's end)
    label, close = found
    if label["bold"] or label_kind(label) not in "QC":
        return None
    return "  " + stripped[2:close]


def labelled_question(p: Reader, k: int, first: int, last: int, list_cloze: bool) -> int:
    """The question written on lines first to last, under the label alone on line k (`Q:`,
    `**Pregunta 2**`)."""
    draft = p.start_question(first, 0, p.texts[first])
    p.mark(k, Reading.QUESTION)
    draft.list_cloze = list_cloze
    draft.strong = True
    for j in range(first + 1, last + 1):
        p.add_question_line(j)
    return last + 1


# A title that only numbers a card (`## Question 2`, `### Q3`, `#### Question n°4 :`, a line
# `**Pregunta 2**`): the question is written under it.
NUMBERED_TITLE_RE = lazy_pattern(
    r"(?:questions?|q|frage|pregunta|pergunta|questão|questao|domanda|exercice|exercise"
    r"|ejercicio|exercício|esercizio|pytanie|vraag|otázka|fråga|soru|вопрос|питання|câu"
    r"|问题|問題|题目|문제)"
    r"[ \t]*(?:n[°o]\.?[ \t]*)?(?:[A-Z]{1,4}[-_]?(?=\d))?\d{1,4}(?:[-./]\d{1,5})?[ \t]*[:.)]?",
    re.IGNORECASE,
)


NUMBER_CLOSINGS = " \t*_:.)"
"""What may close a card's number on its line (`**Pregunta 2**`, `Question 3:`)."""
NUMBER_ENDS = frozenset(NUMBER_CLOSINGS + "0123456789")
"""What a line that only numbers a card ends with."""


def numbers_card(text: str) -> bool:
    """Whether a line only numbers a card (`Pregunta 2`, `**Question 12**`, `Q3.`)."""
    return NUMBERED_TITLE_RE.fullmatch(text.strip().strip("*_ \t")) is not None


def numbered_card_question(p: Reader, k: int) -> tuple[int, int] | None:
    """The first and last lines of the question written under a line that only numbers a
    card (`**Pregunta 2**` over `¿Qué es GRUB?`), read as under a `Q:` alone: when the
    first of them asks."""
    if not numbers_card(p.texts[k]):
        return None
    under = question_under_label(p, k)
    if under is None or not asks(p.texts[under[0]]):
        return None
    first = under[0]
    return (first, first) if p.texts[first].rstrip(" \t*_").endswith(QUESTION_MARKS) else under


# A note's number before its labels, as some exports write them (`12 Q: …` over `12 A: …`).
NUMBERED_LABEL_RE = lazy_pattern(r"\d{1,4}[ \t]+(?=[QA][ \t]?:)")
# A quiz's option: `A. …`, `b) …`, `**c.** …`, after a list's bullet (and box) or none.
OPTION_RE = lazy_pattern(
    r"[ \t]*(?:[-*+][ \t]+)?(?:\[[ xX]\][ \t]+)?"
    r"(?P<option>(?:\*\*|__)?[A-Ha-h][.)](?:\*\*|__)?[ \t]+\S)"
)
QUIZ_OPTIONS = 2
"""Options under a question from which they are a quiz's, asked with it."""


EMOJI_MARKS_RE = lazy_pattern(EMOJI_MARKS)
QUOTE_MARK_RE = lazy_pattern(r"[ \t]*>[ \t]?")
"""A quote's mark, and the space after it."""


def quoted_answer(text: str) -> tuple[int, str] | None:
    """A quote's line opening with an answer's label (`> **Answer:** B`, `> ✅ **Answer: B**`,
    `> Réponse : B`): the column of its answer, and the answer, the label taken off, in
    the quote still (`> **B**`); None when the line is no such answer."""
    mark = QUOTE_MARK_RE.match(text)
    answer = unlabelled(EMOJI_MARKS_RE.sub("", text[mark.end() :], count=1)) if mark else None
    return (text.index(answer[:1]) + 1, f"> {answer}") if answer else None


def unlabelled(text: str) -> str | None:
    """The answer of a line opening with an answer's label, the label taken off (`Réponse :
    B` → `B`; a line wholly in bold, `**Resposta: b)**`, stays in bold, see `bold_answer`);
    None when the line has no such label (`A.` may be a quiz's option), or nothing after it."""
    label = FORCED_RE.match(text)
    if label is not None and label_kind(label) in "AR" and not label["dot"]:
        return label["text"].strip() or None
    return bold_answer(text) if text[:2] in ("**", "__") else None


def options_asked(p: Reader) -> None:
    """A question answered so far only by a quiz's options (`- a) …`, `- b) …`), then an
    answer's label: the options are asked with the question, the label's line answers."""
    draft = p.current
    if draft is None or draft.markdown is not None or len(draft.answer) < QUIZ_OPTIONS:
        return
    if not all(OPTION_RE.match(line.text) for line in draft.answer):
        return
    answer_lines_asked(p, draft, len(draft.answer), option_shown)


def option_shown(text: str) -> str:
    """A quiz's option as its question shows it: from its letter on, its check left out."""
    return unmarked(text[OPTION_RE.match(text).start("option") :].strip())  # type: ignore[union-attr]


def asked_option(text: str) -> str:
    """An option on its own line of a question: lettered, or a list's item (`- 443`)."""
    return text if OPTION_RE.match(text) else f"- {text}"


def answer_lines_asked(
    p: Reader, draft: Draft, count: int, shown: Callable[[str], str] = str
) -> None:
    """The draft's first `count` answer lines move to its question, as `shown` shows them
    (options over an answer's label or letters, a statement's wrapped lines)."""
    for line, at in zip(draft.answer[:count], draft.answer_at[:count], strict=True):
        draft.question.append(shown(line.text))
        draft.question_at.append(at[0])
        p.readings[at[0][0]] = Reading.QUESTION
    del draft.answer[:count], draft.answer_at[:count]


TICKED_OPTION_RE = lazy_pattern(r" {0,3}[-*+][ \t]+\[(?P<tick>[ xX])\][ \t]+(?P<text>\S.*)")
"""A quiz's option as a task list item, ticked when it is right (`- [x] 8`)."""
TICKED_ITEM_RE = lazy_pattern(r"\[(?P<tick>[ xX])\][ \t]+(?P<text>\S.*)")
"""The same option as the text of a list item of an answer (`[x] 8`)."""


_CHECK = r"(?:✅|✔️?|✓|☑️?)"
_CROSS = r"(?:❌|✗|✘|✖️?)"
RIGHT_MARK_RE = lazy_pattern(
    rf"(?P<text>.*?\S)[ \t]*\(?{_CHECK}\)?[ \t]*|[(\[]?{_CHECK}[)\]]?[ \t]+(?P<after>\S.*)"
)
"""An option marked right by a check after it (`b) Le jour de gloire est arrivé ✓`) or
before it (`✅ B) 42`, `[✓] c. Un gestor de arranque`; see `_marked`)."""
WRONG_MARK_RE = lazy_pattern(
    rf"(?P<text>.*?\S)[ \t]*\(?{_CROSS}\)?[ \t]*|[(\[]?{_CROSS}[)\]]?[ \t]+(?P<after>\S.*)"
)
"""An option marked wrong by a cross after or before it (`❌ A) 41`)."""
RIGHT_MARK_CHARACTER_RE = lazy_pattern("[✅✔✓☑]")
WRONG_MARK_CHARACTER_RE = lazy_pattern("[❌✗✘✖]")


def right_marked(text: str) -> str | None:
    """The text of an option marked right by a check after or before it, the check left
    out; None when it is not so marked."""
    if not RIGHT_MARK_CHARACTER_RE.search(text):
        return None
    return _marked(RIGHT_MARK_RE.fullmatch(text))


def _marked(found: re.Match[str] | None) -> str | None:
    """An option's text without its mark; a mark before it counts before a lettered option
    only (`✅ B) 42`), not before a list's item (`- ✅ fast`, `- ❌ costly`: pros and
    cons)."""
    if found is None:
        return None
    return found["text"] or (found["after"] if OPTION_RE.match(found["after"]) else None)


def unmarked(text: str) -> str:
    """An option as shown on a card's front: without the check, or the cross, that gives it
    away."""
    if (right := right_marked(text)) is not None:
        return right
    if WRONG_MARK_CHARACTER_RE.search(text):
        return _marked(WRONG_MARK_RE.fullmatch(text)) or text
    return text


def right_options_asked(p: Reader, draft: Draft) -> None:
    """A question whose quiz options tell the right ones, some right and some not: task
    list items ticked (`- [ ] 80`, `- [x] 443`) or options with a check after them (`b) … ✓`,
    `- B) Elasticidade. ✅`). The options are asked without their boxes or checks, so that
    none gives the answer away; the right ones answer (one as a line, several as a list),
    before any answer written under them (an explanation, a source). Options read as answer
    lines move to the question; options read as the question's own lines (a question with
    no answer) stay there."""
    if draft.markdown is not None:
        return
    answer, question = draft.answer, draft.question
    if answer:
        items, run = answer[0].is_item, 0  # items, or plain lines lettered as options
        while (
            run < len(answer)
            and not answer[run].block
            and (answer[run].depth == 0 if items else lettered_option(answer[run].text))
        ):
            run += 1
        if run < QUIZ_OPTIONS or any(line.is_item for line in answer[run:]):
            return
        texts = [line.text for line in answer[:run]]
        if len(answer) == run + 1 and _right_letters(
            answer[run].text, list(map(option_letter, texts))
        ):
            # `A. …`, `B. …`, then `A` alone: the options asked, the letters answering
            answer_lines_asked(p, draft, run, asked_option)
            return
        if "[" not in (joined := "\n".join(texts)) and not RIGHT_MARK_CHARACTER_RE.search(joined):
            return  # (most answers' items: looked at cheaply, once)
        places = [at[0] for at in draft.answer_at[:run]]
    else:
        first = next((i for i in range(1, len(question)) if OPTION_RE.match(question[i])), None)
        if first is None or not all(map(OPTION_RE.match, question[first:])):
            return
        texts, places = question[first:], draft.question_at[first:]
        run = 0
    judged = _judged_options(texts)
    right = [i for i, (_, is_right) in enumerate(judged) if is_right]
    if len(texts) < QUIZ_OPTIONS or not right or len(right) == len(texts):
        return
    rest, rest_at = answer[run:], draft.answer_at[run:]
    if not answer:
        del question[-len(texts) :], draft.question_at[-len(texts) :]
    for (shown, _), at in zip(judged, places, strict=True):
        question.append(asked_option(shown))
        draft.question_at.append(at)
        p.readings[at[0]] = Reading.QUESTION
    several = len(right) > 1
    draft.answer = [AnswerLine(judged[i][0], 0 if several else -1) for i in right] + rest
    draft.answer_at = [(places[i],) for i in right] + rest_at
    for i in right:
        p.readings[places[i][0]] = Reading.ANSWER


def lettered_option(text: str) -> bool:
    """Whether a line is a quiz's lettered option (`B) 42`), a check or cross before it
    or not (`✅ B) 42`)."""
    if OPTION_RE.match(text):
        return True
    shown = unmarked(text) if text[:1] in "✅✔✓☑❌✗✘✖[(" else text
    return shown is not text and OPTION_RE.match(shown) is not None


def _judged_options(texts: Sequence[str]) -> list[tuple[str, bool]]:
    """Each option's text as shown (its box or check left out), and whether it is right:
    ticked, when every option is a task list item; else marked by a check."""
    boxes = [TICKED_ITEM_RE.match(text) for text in texts]
    if all(boxes):
        return [(box["text"].strip(), box["tick"] != " ") for box in boxes]  # type: ignore[index]
    return [(unmarked(text), right_marked(text) is not None) for text in texts]


def quiz_options_rule(p: Reader, k: int) -> int | None:
    """A quiz's options after a blank line under a question that has no answer yet (one
    under the other, or a blank line between each), then its answer's label (`Quel tri est
    stable ?`, a blank line, `A) …`, `B) …`, a blank line, `**Réponse :** B`) or the right
    options' letters alone on a line (`D`, `bc`, as a quiz copied from a page gives them):
    the options are asked with the question (see `options_asked`), and a line of letters
    is the answer."""
    draft = p.current
    if not p.after_blank or draft is None or draft.answer or draft.markdown is not None:
        return None
    if not OPTION_RE.match(p.texts[k]) or not asks_somehow(draft.question[-1]):
        return None
    options = [k]
    while (following := _next_option(p, options[-1])) is not None:
        options.append(following)
    label = next((j for j in range(options[-1] + 1, p.end) if p.texts[j].strip()), p.end)
    if len(options) < QUIZ_OPTIONS or label == p.end:
        return None
    letters = _right_letters(p.texts[label], [option_letter(p.texts[j]) for j in options])
    if letters is None and not answer_label(p.texts[label]):
        return None
    for j in options:
        option = OPTION_RE.match(p.texts[j])
        text = unmarked(p.texts[j][option.start("option") :])
        p.add_question_line(j, text, option.start("option") + 1)
    if letters is None:
        return options[-1] + 1
    p.add_answer(label, AnswerLine(letters), p.texts[label].index(letters[0]) + 1)
    draft.labelled_inline = True
    return label + 1


def _next_option(p: Reader, k: int) -> int | None:
    """The option right under option k, or after one blank line."""
    for j in (k + 1, k + 2):
        if j >= p.end:
            return None
        if OPTION_RE.match(p.texts[j]):
            return j
        if p.texts[j].strip():
            return None
    return None


def option_letter(text: str) -> str:
    """An option's letter, in lower case (`**B)** 42` → `b`)."""
    option = OPTION_RE.match(text)
    return option["option"].lstrip("*_")[0].lower() if option else ""


RIGHT_LETTERS_RE = lazy_pattern(
    r"[ \t]*(?P<letters>[A-Ha-h](?:[ \t]*(?:[,&/+][ \t]*)?[A-Ha-h]){0,7})[ \t]*"
)
"""A line of a quiz's right options' letters alone (`D`, `bc`, `A, C`); the spaces between
two letters matched one way only, so that a long line of them fails at once."""


def _right_letters(text: str, letters: Sequence[str]) -> str | None:
    """The letters of a line that names right options only (each once, each an option's
    letter), as written; None when the line is no such line."""
    found = RIGHT_LETTERS_RE.fullmatch(text)
    if found is None:
        return None
    named = [c.lower() for c in found["letters"] if c.isalpha()]
    if len(set(named)) != len(named) or not set(named) <= set(letters):
        return None
    return found["letters"]


def answer_label(text: str) -> bool:
    """Whether a line opens with an answer's label (`A: …`, `**Réponse :** B`, a line wholly
    in bold opening with one), not `A.`, which may be a quiz's first option."""
    label = FORCED_RE.match(text)
    if label is not None:
        return label_kind(label) in "AR" and not label["dot"]
    return text[:2] in ("**", "__") and bold_answer(text) is not None


def bold_answer(text: str) -> str | None:
    """The answer of a line opening in bold with an answer's label (`**Resposta: b)
    42**`, `**✅ Réponse correcte : c**`, `**Respuesta: c) 15** — no 2`): its text without
    the label, what was in bold still in bold (`**b) 42**`); None when the line is no such
    answer, or its text in bold is empty."""
    text = text.strip()
    found = label_in_bold(text)
    if found is None or label_kind(found[0]) not in "AR":
        return None
    label, close = found
    mark = text[:2]
    return f"{mark}{label['text'].strip()}{mark}{text[close + 2 :]}"


def label_in_bold(text: str) -> tuple[re.Match[str], int] | None:
    """The label opening a line inside its bold, with text after it there (`**Resposta: b)
    42**`, `**Q: Compilation vs execution**`), and where that bold closes; None for any
    other line."""
    mark = text[:2]
    close = text.find(mark, 2) if mark in ("**", "__") else -1
    if close < 3:
        return None
    label = FORCED_RE.match(text, 2, close)
    return (label, close) if label is not None and label["text"].strip() else None


INLINE_ANSWER_RE = lazy_pattern(
    r"(?<=[?？.!)])[ \t]+(?P<bold>\*\*)?(?:A|R|Answer|Antwort|Réponse|Respuesta|Resposta|Risposta)"
    r"(?(bold)(?:[ \t]?:\*\*|\*\*[ \t]?:)|[ \t]?:)[ \t]+(?=\S)"
)
"""An answer's label after a question on its line (`Q: What is Maven? A: …`)."""


def question_under_label(p: Reader, k: int) -> tuple[int, int] | None:
    """The first and last lines of the question written under a `Q:` alone on line k: the
    lines right under it, up to a blank line, an `A:` line or a list item."""
    end = p.paragraph_end(k)
    last = k
    for j in range(k + 1, end):
        if FORCED_RE.match(p.texts[j]) or LIST_ITEM_RE.match(p.texts[j]):
            break
        last = j
    return (k + 1, last) if last > k else None


LABELLED_QUESTIONS = 3
"""Questions labelled `Q:` (`F:`, `Question :`…) from which a file labels its questions."""


def labelled_answer_goes_on(p: Reader, k: int) -> bool:
    """Whether the paragraph after blank line k goes on an answer written below an `A:` label
    alone on its line: in a file that labels its questions, or writes its answers under such
    labels (three at least), such an answer runs to the next question, as its author wrote
    it (`F: …` / `A:` / two paragraphs and a list / `F: …`).
    It stops at a heading, a rule, a line that asks (labelled, worded as a question, or
    followed by an `A:` line)."""
    following = next((j for j in range(k + 1, p.end) if p.texts[j].strip()), None)
    if following is None or not (p.labels_questions or p.labels_answers_below):
        return False
    text = p.texts[following]
    if ATX_HEADING_RE.match(text) or RULE_LINE_RE.match(text) or asks(text):
        return False
    if FORCED_RE.match(text) or paired_label(p, following) or line_tags(text) is not None:
        return False
    after = next((j for j in range(following + 1, p.end) if p.texts[j].strip()), None)
    forced = FORCED_RE.match(p.texts[after]) if after is not None else None
    return forced is None or label_kind(forced) not in "AR"


def introduces_block(p: Reader, k: int) -> bool:
    """Whether the paragraph after blank line k is a block (fenced code, `$$` math) or a line
    ending with `:` over one (`Example in Express.js:`, a blank line, code): what an answer
    labelled on its first line goes on with (`**A:** Middleware…`, then its example)."""
    following = next((j for j in range(k + 1, p.end) if p.texts[j].strip()), None)
    if following is None:
        return False
    if following in p.body.block_ends:
        return True
    if not ends_with_colon(p.texts[following]):
        return False
    after = next((j for j in range(following + 1, p.end) if p.texts[j].strip()), None)
    return after is not None and (after in p.body.block_ends or is_table(p, after))


def ends_with_colon(text: str) -> bool:
    """Whether a line ends with a colon (or a full-width `：`), emphasis and a note's
    `{#id}` aside: it introduces what follows it (`Les trois temps :`, `#### Syntax:`)."""
    return split_note_id(text.strip())[0].strip("*_ \t").endswith((":", "："))


def sentence_goes_on(p: Reader, k: int) -> bool:
    """Whether line k goes on with the sentence of the line right above it: that line ends
    with no stop, this one opens in lower case and does not ask (`… without writing out` /
    `how mathematicians declare a distribution`)."""
    above = p.texts[k - 1].rstrip() if k > p.start else ""
    text = p.texts[k]
    return bool(above) and above[-1:] not in ".!?:;。" and text[:1].islower() and not asks(text)


def asks(text: str) -> bool:
    """Whether a line ends with a question mark (before any emphasis or quote closing it)."""
    return text.rstrip(QUOTES_AND_EMPHASIS).endswith(QUESTION_MARKS)


QUOTES_AND_EMPHASIS = " \t*_\"'“”‘’«»「」『』"
"""What may stand around a question without hiding it (`“Which IDE is best?”`)."""


def paired_label(p: Reader, k: int) -> re.Match[str] | None:
    """An `F:`, `P:` or `Front:` label that asks: an `A:`, `R:` or `Back:` line follows it,
    blank lines aside; or a `Back:` label answering the `Front:` line of the note read."""
    text = p.texts[k]
    if not may_pair(text):
        return None
    match = PAIRED_LABEL_RE.match(text)
    if match is None:
        return None
    if label_kind(match) == "A":
        current = p.current
        asked = PAIRED_LABEL_RE.match(p.source.lines[current.index]) if current else None
        return match if asked is not None and label_kind(asked) == "Q" else None
    if len(match["kind"]) > 1 and p.current is not None and not p.after_blank:
        return None  # a card's `Front:` opens a paragraph: right under a question, it is text
    written = 0
    for j in range(k + 1, len(p.texts)):
        if not p.texts[j].strip():
            continue
        following = p.texts[j]
        forced = FORCED_RE.match(following)
        if forced is None and may_pair(following):
            forced = PAIRED_LABEL_RE.match(following)
        if forced is not None:
            return match if label_kind(forced) in "AR" else None
        written += TICKED_OPTION_RE.match(following) is None  # (a quiz's options count none)
        if written >= PAIRED_ANSWER_LINES:
            return None
    return None


def answers_dotted_question(p: Reader, k: int) -> bool:
    """Whether an `A.` line answers a `Q.` question (rather than being a quiz's first
    option, which a `B.` line follows)."""
    current = p.current
    if current is None:
        return False
    asked = FORCED_RE.match(p.source.lines[current.index])
    following = p.texts[k + 1].lstrip()[:2] if k + 1 < p.end else ""
    return asked is not None and bool(asked["dot"]) and following not in ("B.", "B)", "b.", "b)")


# `: definition` under its term, in Pandoc's and kramdown's definition lists.
DEFINITION_RE = lazy_pattern(r" {0,3}:[ \t]+(?P<text>\S.*)")


def definition_rule(p: Reader, k: int) -> int | None:
    """`: definition` right under a term is an answer line (its `:` not shown), even when it
    reads as a question: `Que se passe-t-il ?` / `: What is going on?`."""
    text = p.texts[k]
    if ":" not in text[:4] or p.current is None or p.after_blank or p.answer_only:
        return None
    definition = DEFINITION_RE.match(text)
    if definition is None:
        return None
    p.add_answer(k, AnswerLine(definition["text"].rstrip()), definition.start("text") + 1)
    return k + 1


def question_runs_to(p: Reader, k: int) -> int:
    """The last line of a `Q:` question that runs over several lines: the plain lines under
    it count when an `A:` line ends them (else the question is line k alone)."""
    end = p.paragraph_end(k)
    for j in range(k + 1, end):
        text = p.texts[j]
        forced = FORCED_RE.match(text)
        if forced:
            return j - 1 if label_kind(forced) in "AR" else k
        if LIST_ITEM_RE.match(text) or text[:1].isspace() or j in p.body.block_ends:
            return k
    return k


def item_line(item: re.Match[str], indents: list[int]) -> AnswerLine:
    """A list item as an answer line, its indentation turned into a depth (`indents` holds the
    widths of the open levels and is updated)."""
    width = indent_width(item["indent"])
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


def item_question(p: Reader, k: int, item: re.Match[str]) -> bool:
    """A list item that is a question, with its answer under it, where a note may start:
    after a blank line, first, or after such a question at the same indentation (students
    number their questions, or write them as an outline): the item reads as a question (or
    holds a `?`), and has its answer under it: a line or items indented deeper, or for a
    numbered item a line below it; or it is a glossary's numbered term in bold, with its
    definition indented under it. Else False: an item of an answer's list. (`item` is line
    k's match of `LIST_ITEM_RE`.)"""
    if p.answer_only or k + 1 >= p.end or not item["text"].strip():
        return False
    width = indent_width(item["indent"])
    current = p.current
    if not (p.after_blank or current is None or current.item_question_at == width):
        return False
    # A numbered term in bold (`1. **Integrity**`) has its definition indented under it; a
    # numbered question in bold (`1. **Why?**`), its answer on the line right under it too.
    text = item["text"].strip()
    term = item["number"] is not None and BOLD_TERM_RE.fullmatch(text) and not asks(text)
    if not answered_under(p, k, width, numbered=item["number"] is not None and not term):
        return False
    if holds_question_mark(item["text"]) or reads_as_question(item["text"]) or term:
        return True
    if (label := FORCED_RE.match(text)) and label_kind(label) == "Q":
        return True  # `1. Q: …` over `   A: …`
    if width == 0 and p.outline_cards:
        return True
    return prompt_among_questions(*p.sibling_questions().get(k, (0, 0)))


def prompt_among_questions(asked: int, siblings: int) -> bool:
    """An item with its answer under it is one of a list of prompts when most of its
    siblings (two at least: one question beside it is no list) read as questions."""
    return asked >= 2 and asked * 2 > siblings


def answered_under(p: Reader, k: int, width: int, numbered: bool) -> bool:
    """Whether the list item on line k (at indentation `width`) has its answer under it:
    lines or items indented deeper, right under it or after one blank line (a loose list);
    or, for a numbered item or a question in bold, a plain line right under it."""
    below_at = k + 1
    if not p.texts[below_at].strip():
        below_at += 1  # one blank line may part an item from its indented answer
        if below_at < p.end and folds_answer(p, below_at):
            return True  # or from its answer folded in a `<details>` block
        if below_at >= p.end or not p.texts[below_at][:1].isspace():
            return False
    below = p.texts[below_at]
    if not below.strip() or p.is_break(below_at):
        return False
    if (forced := FORCED_RE.match(below)) is not None:  # `A: …` answers it, `Q: …` asks anew
        return label_kind(forced) in "AR" and not forced["dot"]
    under = LIST_ITEM_RE.match(below)
    depth = indent_width(under["indent"] if under else below[: len(below) - len(below.lstrip())])
    if depth > width:
        return True
    # Right under it, a plain line answers a numbered item, or a bulleted one in bold that
    # asks (`- **What is Rancher?**` over `Rancher is…`: a list of questions is no answer);
    # so do bullets at its own indentation a numbered item (`1. Quale protocollo…?` over
    # `- TCP`: one list under another is no item of it).
    if below_at == k + 1 and under is not None and under["bullet"] and numbered:
        return depth == width
    # A list of its own right under a numbered question, counting from 1 again (`3. Cite
    # três diferenças.` over `1. …`, `2. …`): the answer, not the next questions.
    if below_at == k + 1 and under is not None and under["number"] == "1" and numbered:
        item = LIST_ITEM_RE.match(p.texts[k])
        return depth == width and item is not None and item["number"] not in (None, "0", "1")
    return below_at == k + 1 and under is None and (numbered or bold_asking(p.texts[k]))


def folds_answer(p: Reader, k: int) -> bool:
    """Whether a `<details>` block labelling the answer it folds opens on line k
    (`<summary>Answer</summary>`)."""
    if "<" not in p.texts[k][:4]:
        return False
    block = read_details(p.texts, k, p.end)
    return block is not None and block.labels_answer and bool(block.body)


def bold_asking(text: str) -> bool:
    """A list item wholly in bold, ending with a question mark (`- **Why?**`)."""
    item = LIST_ITEM_RE.match(text)
    inner = item["text"].rstrip(" \t\\") if item else ""
    return whole_bold(inner) and inner.strip("*_ \t").endswith(QUESTION_MARKS)


# A glossary's term: a numbered item in bold alone (`1. **Integrity**`), its definition
# indented under it.
BOLD_TERM_RE = lazy_pattern(r"(\*\*|__)(?=\S)(?:(?!\1).)+(?<=\S)\1")


def item_question_rule(p: Reader, k: int, item: re.Match[str]) -> int | None:
    """`1. Question ?` or `- Question?` with its answer under it (see `item_question`); or a
    quiz's numbered question with its answer after a blank line (see `quiz_answer`). (`item`
    is line k's match of `LIST_ITEM_RE`.)"""
    answer = None
    prompt_end = k
    over_lines = quiz_prompt(p, k, item)
    if over_lines is not None:
        prompt_end, *answer = over_lines
    elif not item_question(p, k, item):
        answer = quiz_answer(p, k, item)
        if answer is None:
            return None
    offset, text = item.start("text"), item["text"]
    if (label := FORCED_RE.match(text)) and label_kind(label) == "Q":  # `1. **Frage:** …`
        offset, text = offset + label.start("text"), label["text"]
    draft = p.start_question(k, offset, text)
    draft.item_question_at = indent_width(item["indent"])
    draft.strong = True  # its place and its answer under it mark it, as a `?` would
    if answer is None:
        if (wrapped := question_wrapped_under(p, k, item)) > k:
            for j in range(k + 1, wrapped + 1):  # `24. The license says… So` / `what…?`
                p.add_question_line(j)
            return wrapped + 1
        draft.outline = _indented_under(p, k, draft.item_question_at)
        return k + 1
    for j in range(k + 1, prompt_end + 1):
        p.add_question_line(j)
    first, last = answer
    for j in range(prompt_end + 1, first):
        p.mark(j, Reading.BLANK)
    for j in range(first, last + 1):
        text = p.texts[j]
        bullet = LIST_ITEM_RE.match(text)
        label = FORCED_RE.match(text) if j == first else None
        if label is not None:  # `**Risposta:** …`: the label is no part of the answer
            if label["text"].strip():
                p.add_answer(j, AnswerLine(label["text"].strip()), label.start("text") + 1)
            else:
                p.mark(j, Reading.ANSWER)
        elif bullet is not None and bullet["number"] is None:
            p.add_answer(j, item_line(bullet, draft.indents), bullet.start("text") + 1)
        else:
            p.add_answer(j, AnswerLine(text.strip()), len(text) - len(text.lstrip()) + 1)
    return last + 1


def question_wrapped_under(p: Reader, k: int, item: re.Match[str]) -> int:
    """The last line of a numbered question wrapped onto the lines right under it, indented
    and opening in lower case, the last of them ending with `?` (`24. The license says… So`
    over `    what exactly do I need to do?`); k when it is not so wrapped."""
    if item["number"] is None or asks(item["text"]):
        return k
    for j in range(k + 1, min(k + 3, p.end)):
        text = p.texts[j]
        if not text[:1].isspace() or not text.lstrip()[:1].islower() or LIST_ITEM_RE.match(text):
            return k
        if asks(text):
            return j
    return k


def quiz_answer(p: Reader, k: int, item: re.Match[str]) -> tuple[int, int] | None:
    """A quiz's layout: `1. prompt`, blank lines, its answer (a paragraph, or bullets, a
    blank line between them or not; or lines right under the prompt, not indented), blank
    lines, then `2. prompt`, and so on
    (the last prompt's answer may end the quiz anyhow).
    The answer's first and last lines when line k is such a numbered prompt, at a note's
    start; else None. The numbers following one another make it a quiz, whatever the
    prompts' wording (`2. X is a framework.`)."""
    if not _opens_quiz_prompt(p, item):
        return None
    current = p.current
    first = _written_from(p, k + 1)
    if first >= p.end or p.is_break(first):
        return None
    forced = FORCED_RE.match(p.texts[first])
    if forced is not None and (label_kind(forced) not in "AR" or forced["dot"]):
        return None  # (an answer may be labelled: `**Risposta:** …`)
    under = LIST_ITEM_RE.match(p.texts[first])
    if under is not None and under["number"] is not None:
        return None
    if first == k + 1 and (under is not None or p.texts[first][:1].isspace()):
        return None  # right under its prompt, an answer is a line of its own (`Permite…`)
    last = first
    while last + 1 < p.end and p.texts[last + 1].strip() and not p.is_break(last + 1):
        last += 1
    if first == k + 1 and any(LIST_ITEM_RE.match(p.texts[j]) for j in range(first, last + 1)):
        return None  # a list going on under its prompt, not a quiz's answer
    after = _written_from(p, last + 1)
    while under is not None and after < p.end and not p.is_break(after):
        bullet = LIST_ITEM_RE.match(p.texts[after])  # bullets a blank line apart: one answer
        if bullet is None or bullet["number"] is not None:
            break
        last = after
        while last + 1 < p.end and p.texts[last + 1].strip() and not p.is_break(last + 1):
            last += 1
        after = _written_from(p, last + 1)
    if after >= p.end or ATX_HEADING_RE.match(p.texts[after]) or _next_number(p, after, item):
        return first, last
    chained = current is not None and current.item_question_at == 0  # the quiz's last prompt
    return (first, last) if chained and LIST_ITEM_RE.match(p.texts[after]) is None else None


def _opens_quiz_prompt(p: Reader, item: re.Match[str]) -> bool:
    """A numbered item, not indented, at a note's start: where a quiz's prompt may open."""
    if p.answer_only or item["number"] is None or not item["text"].strip() or item["indent"]:
        return False
    current = p.current
    return p.after_blank or current is None or current.item_question_at == 0


def _written_from(p: Reader, j: int) -> int:
    """The first written line at or after j (the stretch's end if none)."""
    while j < p.end and not p.texts[j].strip():
        j += 1
    return j


def _next_number(p: Reader, j: int, item: re.Match[str]) -> bool:
    """Whether line j is the numbered item after `item` (`3.` after `2.`)."""
    following = LIST_ITEM_RE.match(p.texts[j])
    return following is not None and following["number"] == str(int(item["number"]) + 1)


def quiz_prompt(p: Reader, k: int, item: re.Match[str]) -> tuple[int, int, int] | None:
    """A quiz's numbered prompt that runs over several lines (text to show, a sample to
    read, the question last), then after a blank line its answer indented as a block, then
    the next number or the end: (the prompt's last line, the answer's first and last
    lines) when line k starts one; else None. The indented answer and the numbers
    following one another mark the lines between as the prompt's, whatever they hold."""
    if not _opens_quiz_prompt(p, item):
        return None
    end = k + 1
    while end < p.end and p.texts[end].strip():
        text = p.texts[end]
        under = LIST_ITEM_RE.match(text)
        if (
            not is_shallow(text)  # indented as a block (as Markdown indents code)
            or (under is not None and under["number"] is not None)
            or p.is_break(end)
            or ATX_HEADING_RE.match(text)
            or FORCED_RE.match(text)
        ):
            return None
        end += 1
    first = _written_from(p, end)
    if end == k + 1 or first >= p.end:
        return None
    last = first
    while last + 1 < p.end and p.texts[last + 1].strip():
        last += 1
    if any(is_shallow(p.texts[j]) for j in range(first, last + 1)):  # no indented block
        return None
    after = _written_from(p, last + 1)
    if after < p.end and not _next_number(p, after, item):
        return None
    return end - 1, first, last


def sibling_questions(p: Reader) -> dict[int, tuple[int, int]]:
    """For each list item with its answer under it (see `answered_under`), how many of its
    siblings read as questions, and how many it has: the other such items of its kind
    (numbered or bulleted) at its indentation, in the same list. A heading, a paragraph of
    its own after a blank line, or an item of that kind and indentation without an answer
    ends the list. One pass."""
    found: dict[int, tuple[int, int]] = {}
    lists: dict[tuple[int, bool], list[tuple[int, bool]]] = {}  # open lists → (line, asked)

    def close(key: tuple[int, bool]) -> None:
        members = lists.pop(key, [])
        asked = sum(a for _, a in members)
        for j, a in members:
            found[j] = (asked - a, len(members) - 1)

    inside, blank_before = p.body.in_block, False
    for j in range(p.start, p.end):
        text = p.texts[j]
        if j in inside:
            continue
        first = text[:1]
        if not text.strip():
            blank_before = True
            continue
        item = LIST_ITEM_RE.match(text) if text.lstrip()[:1] in LIST_MARKS else None
        if item is not None and item["text"].strip():
            width, numbered = indent_width(item["indent"]), item["number"] is not None
            if j + 1 < p.end and answered_under(p, j, width, numbered):
                asked = holds_question_mark(item["text"]) or reads_as_question(item["text"])
                lists.setdefault((width, numbered), []).append((j, asked))
            else:
                close((width, numbered))
        elif p.is_break(j) or (blank_before and not first.isspace()):
            for key in list(lists):
                close(key)
        blank_before = False
    for key in list(lists):
        close(key)
    return found


LIST_MARKS = frozenset(BULLETS + "0123456789")
"""The characters a list item opens with, to try `LIST_ITEM_RE` only on lines that may be."""


def _indented_under(p: Reader, k: int, width: int) -> bool:
    """Whether the line below line k is written (or the one after, past one blank line), and
    indented deeper than `width`."""
    below_at = k + 1
    if below_at < p.end and not p.texts[below_at].strip():
        below_at += 1
    if below_at >= p.end:
        return False
    below = p.texts[below_at]
    return bool(below.strip()) and indent_width(below[: len(below) - len(below.lstrip())]) > width


def outline_item_rule(p: Reader, k: int, item: re.Match[str]) -> int | None:
    """An item at the indentation of the question above it, in an outline whose answers are
    indented under their questions: with lines indented under it, it is the next question,
    whatever its wording; alone, it stays in that answer, said (it may be a question whose
    answer is not written yet, or a closing remark)."""
    current = p.current
    width = indent_width(item["indent"])
    if current is None or not current.outline or current.item_question_at != width:
        return None
    if _indented_under(p, k, width):
        draft = p.start_question(k, item.start("text"), item["text"])
        draft.item_question_at, draft.outline, draft.strong = width, True, True
        return k + 1
    p.diagnostics.append(
        warning(
            p.location(k, item.start("text") + 1),
            f"this item stands at the indentation of the question on line {current.index + 1}, "
            "with nothing indented under it: it is read as part of that answer; if it is a "
            "question of its own, indent its answer under it",
        )
    )
    return None


def _doubt_prompt_among_questions(p: Reader, k: int, item: re.Match[str]) -> None:
    """An item with its answer under it, where a note may start, among a list of such items
    of which some, but not most, read as questions: it is read as part of the answer above,
    said (it may be a prompt worded as a topic)."""
    current, width = p.current, indent_width(item["indent"])
    if not (p.after_blank or current is None or current.item_question_at == width):
        return
    if current is not None and current.item_question_at != width and not current.answer:
        return  # the list opens the answer of the question above it
    asked, siblings = p.sibling_questions().get(k, (0, 0))
    if asked:
        p.diagnostics.append(
            warning(
                p.location(k, item.start("text") + 1),
                "this item has its answer under it, like the questions of its list "
                f"({asked} of its {siblings} siblings), but is not worded as a question, nor "
                "are enough of them (most, and two at least): it is read as part of the answer "
                "above; if it is a question of its own, end it with `?`",
            )
        )


def list_item_rule(p: Reader, k: int) -> int | None:
    """A list item: a question (see `item_question_rule` and `outline_item_rule`) or a line
    of an answer's list."""
    item = LIST_ITEM_RE.match(p.texts[k])
    if item is None:
        return None
    current = p.current
    if current is not None and current.cloze_item and not item["indent"]:
        p.finish()  # the next item is a note of its own, or no note
        current = None
    elif current is not None and current.asked_inline and p.after_blank and not item["indent"]:
        p.finish()  # its back goes on right under it, not past a blank line
        current = None
    if (current is None or p.after_blank) and (end := cloze_items_under(p, k, item)):
        return end
    if (
        current is not None
        and ((p.after_blank and is_prose(current)) or names_words(current))
        and introduces_words(p, k, item)
    ):
        p.drop_caption()  # a sentence introducing the word list under it
        current = None
    elif (
        current is not None
        and not current.answer  # (cheap, and most items are an answer's)
        and labels_words(p, current)
        and introduces_words(p, k, item, least=2)
    ):
        p.current = None  # `Pronouns:` over `- yo (I)`, in a file of word lists: a section
        p.readings[current.index] = Reading.SECTION
        current = None
    if current is None or current.one_liner:
        # `- front :: back` under no question: a note of its own, as without its bullet
        if "::" in item["text"] and (card := one_liner_split(item["text"])) is not None:
            return one_liner_note(p, k, item.start("text"), card)
        inline = p.inline_cards.get(k) if may_answer(item["text"]) else None
        if inline is not None:  # `5. Does X need Y? False, …` under no question: a note too
            return one_liner_note(p, k, item.start("text"), (*inline, NoteKind.BASIC), True)
        if claimed := pair_item_rule(p, k, item):
            return claimed
        if current is None and (end := cloze_item(p, k, item)):
            draft = p.start_question(k, item.start("text"), item["text"], Reading.CLOZE)
            draft.needs_answer, draft.cloze_item = False, True
            for j in range(k + 1, end):
                p.add_question_line(j)
            return end
    if not item["indent"] and (asked := bold_item_question(p, k, item)) is not None:
        draft = p.start_question(k, item.start("text") + asked[0], asked[1])
        draft.answer_follows = draft.bold_item = True  # past the blank line under it
        return k + 1
    if (
        (current is None or (current.bold_item and p.after_blank))
        and not item["indent"]
        and _bold_item(item["text"], asking=False) is not None
        and bold_items_so(p)
    ):
        p.finish()  # one of the file's questions in bold, no answer written under it
        p.mark(k, Reading.IGNORED)
        p.diagnostics.append(warning(p.location(k), UNANSWERED_BOLD_ITEM))
        return k + 1
    if p.after_blank or current is None or current.item_question_at >= 0:
        claimed = item_question_rule(p, k, item)
        if claimed is None and current is not None and current.outline:
            claimed = outline_item_rule(p, k, item)
        if claimed is not None:
            return claimed
        if not (current is not None and current.outline):
            _doubt_prompt_among_questions(p, k, item)
    if (label := labelled_answer_item(p, k, item)) is not None:
        p.add_answer(
            k, AnswerLine(label["text"].strip()), item.start("text") + label.start("text") + 1
        )
        return k + 1
    indents = p.current.indents if p.current else []
    p.add_answer(k, item_line(item, indents), item.start("text") + 1)
    return k + 1


def labelled_answer_item(p: Reader, k: int, item: re.Match[str]) -> re.Match[str] | None:
    """The label of an item alone under an item question, opening its answer with an
    answer's label (`1. Che cos'è…?` over `   * Risposta: …`): the bullet and the label are
    no part of the answer, as an indented `Risposta: …` line's label is not."""
    current = p.current
    if current is None or current.answer or current.item_question_at < 0 or not item["indent"]:
        return None
    label = FORCED_RE.match(item["text"]) if item["bullet"] else None
    if label is None or label_kind(label) not in "AR" or label["dot"]:
        return None
    after = next((j for j in range(k + 1, min(k + 3, p.end)) if p.texts[j].strip()), None)
    other = LIST_ITEM_RE.match(p.texts[after]) if after is not None else None
    if other is not None and indent_width(other["indent"]) >= indent_width(item["indent"]):
        return None  # one item of a list under the question: the list is the answer
    return label


def bold_item_question(p: Reader, k: int, item: re.Match[str]) -> tuple[int, str] | None:
    """A top-level item wholly in bold, its box ticked or not (`- [X] **¿Qué es Thumb?**`),
    over a blank line and its answer not indented, in a file writing its questions so
    (`BOLD_ITEM_QUESTIONS` at least that ask; then one worded as an order is a question
    too, `- [X] **Describa los modos.**`): where its question starts in the item's text,
    and the question."""
    asked = _bold_item(item["text"], asking=False)
    if asked is None or not _answer_after_blank(p.texts, k, p.end) or not bold_items_so(p):
        return None
    return asked


def bold_items_so(p: Reader) -> bool:
    """Whether the file writes its questions as items in bold over their answers."""
    return p.file_fact("bold items over their answers", lambda: _bold_items_so(p.texts))


def bold_answer_goes_on(p: Reader, k: int) -> bool:
    """Whether the text after blank line k goes on the answer of an item in bold: it is no
    heading, rule, nor another top-level item in bold (one blank line between them: a look
    at each blank line costs no more)."""
    following = k + 1
    if following >= p.end or not p.texts[following].strip():
        return False
    text = p.texts[following]
    if ATX_HEADING_RE.match(text) or RULE_LINE_RE.match(text):
        return False
    item = LIST_ITEM_RE.match(text) if text[:1] in "-*+" else None
    return item is None or _bold_item(item["text"], asking=False) is None


def asked_after(p: Reader, k: int) -> int | None:
    """The line that asks the question a numbered line k only introduces (`1 - Veja o
    Vagrantfile abaixo:`, its code, then `Quais comandos…?`): the first line that asks in
    the paragraphs under it (three at most, code or text), before any list, heading, rule,
    verdict or numbered line; None when none does."""
    inside, paragraphs = p.body.in_block, 0
    for j in range(k + 1, p.end):
        text = p.texts[j]
        if j in inside:
            continue
        if not text.strip():
            paragraphs += 1
            if paragraphs > ASKED_AFTER_PARAGRAPHS:
                return None
            continue
        if ATX_HEADING_RE.match(text) or RULE_LINE_RE.match(text) or LIST_ITEM_RE.match(text):
            return None
        if running_numbered(text) or VERDICT_RE.match(text):
            return None
        if asks_somehow(text):
            return j
    return None


ASKED_AFTER_PARAGRAPHS = 3
"""Paragraphs under a numbered line that only introduces its question, before it asks."""


RUNNING_FIRSTS = frozenset("0123456789*_")
"""What a line opening with a running number opens with: a test that spares most lines."""


def running_numbered(text: str) -> bool:
    """A line opening with a running number, in emphasis or not (`2 - Qual…`, `**3- El…`)."""
    shown = text.lstrip("*_") if text[:1] in "*_" else text
    return shown[:1].isdigit() and RUNNING_NUMBER_RE.match(shown) is not None


def running_answer_goes_on(p: Reader, k: int) -> bool:
    """Whether the text after blank line k goes on the answer of a question opening with a
    running number (`1 - Quais…?` over its options, a blank line, `> Alternativa correta!`),
    in a file numbering three questions at least so: a quote, code, or a line introducing
    what follows it, or a labelled remark (`Obs: …`)."""
    following = k + 1  # one blank line between: a look at each blank line costs no more
    if p.current is None or following >= p.end or not p.texts[following].strip():
        return False
    text = p.texts[following].strip()
    if running_numbered(text) or asks_somehow(text):
        return False
    shown = (
        text[:1] == ">"
        or following in p.body.block_ends
        or code_alone(text)
        or (len(text) > 6 and text[:3] == text[-3:] == "```")
        or text[-1:] == ":"
        or FIELD_LINE_RE.match(text) is not None
    )
    return shown and p.file_fact("running numbers", lambda: _running_numbers(p.texts))


def numbered_answer_goes_on(p: Reader, k: int) -> bool:
    """Whether the text after blank line k goes on the answer of a numbered item asking a
    question with its answer indented under it (`6. Explain…` over its answer), where the
    author went on without indenting: a paragraph neither indented nor a list's, when the
    next item numbered, with no heading between, is the question's number plus one and has
    its own answer indented under it."""
    current, following = p.current, k + 1
    if current is None or current.item_question_at != 0 or following >= p.end:
        return False
    text = p.texts[following]
    if not text.strip() or text[:1].isspace() or text[:1] == "#" or LIST_ITEM_RE.match(text):
        return False
    if text.rstrip()[-1:] in "?？" or section_line(p, following):
        return False  # a question of its own, or a section's name
    question = LIST_ITEM_RE.match(p.source.lines[current.index])
    coming = p.next_numbered_items[following]
    if question is None or not question["number"] or coming is None:
        return False
    at, number = coming
    return number == int(question["number"]) + 1 and _indented_under(p, at, 0)


def _running_numbers(texts: Sequence[str]) -> bool:
    found = 0
    for text in texts:
        if text[:1] in RUNNING_FIRSTS and running_numbered(text):
            found += 1
            if found >= RUNNING_QUESTIONS:
                return True
    return False


def _bold_item(text: str, asking: bool) -> tuple[int, str] | None:
    box = TICKED_ITEM_RE.match(text) if text[:1] == "[" else None
    shown = box["text"].rstrip() if box else text.rstrip()
    if not whole_bold(shown) or (asking and not asks_somehow(shown)):
        return None
    return (box.start("text") if box else 0), shown


def _answer_after_blank(texts: Sequence[str], k: int, end: int) -> bool:
    """Whether line k is followed by a blank line, then text neither indented nor a list's."""
    if k + 2 >= end or texts[k + 1].strip():
        return False
    under = texts[k + 2]
    return bool(under.strip()) and not under[:1].isspace() and not LIST_ITEM_RE.match(under)


def _bold_items_so(texts: Sequence[str]) -> bool:
    found = 0
    for k, text in enumerate(texts):
        item = LIST_ITEM_RE.match(text) if text[:1] in "-*+" else None
        if item is None or item["indent"] or not _answer_after_blank(texts, k, len(texts)):
            continue
        if _bold_item(item["text"], asking=True):
            found += 1
            if found >= BOLD_ITEM_QUESTIONS:
                return True
    return False


UNANSWERED_BOLD_ITEM = (
    "this item in bold is written as the file's questions are, but has no answer under it "
    "(a blank line, then its answer): it is part of no note"
)
BOLD_ITEM_QUESTIONS = 3
"""Items in bold asking over an answer a blank line below, from which a file writes its
questions so."""


NUMBER_ALONE_RE = lazy_pattern(r"\d{1,9}[.)][ \t]*")


def numbered_card_rule(p: Reader, k: int) -> int | None:
    """A number alone on its line over items indented under it, the first asking, the
    others answering (`1.` / `    - Question?` / `    - Answer.`): a card, the number
    only counting it."""
    if not NUMBER_ALONE_RE.fullmatch(p.texts[k]) or k + 2 >= p.end:
        return None
    asked = LIST_ITEM_RE.match(p.texts[k + 1])
    if asked is None or not asked["indent"] or not asks(asked["text"]):
        return None
    last = k + 1
    while last + 1 < p.end and p.texts[last + 1][:1].isspace() and p.texts[last + 1].strip():
        last += 1
    if last == k + 1:
        return None
    p.mark(k, Reading.SEPARATOR)
    draft = p.start_question(k + 1, asked.start("text"), asked["text"])
    draft.strong = draft.numbered_card = True
    for j in range(k + 2, last + 1):
        item = LIST_ITEM_RE.match(p.texts[j])
        text = item["text"] if item is not None else p.texts[j].strip()
        col = item.start("text") + 1 if item is not None else 1
        p.add_answer(j, AnswerLine(text.strip()), col)
    p.finish()
    return last + 1


def bold_goes_on(draft: Draft) -> bool:
    """Whether a question without an answer yet ends in bold still open: its line opens
    `**` and does not close it, so the line under it goes on with the question."""
    if draft.answer or draft.markdown is not None or draft.heading or draft.one_liner:
        return False
    line = draft.question[-1]
    return line.count("**") % 2 == 1 and "`" not in line


def cloze_item(p: Reader, k: int, item: re.Match[str]) -> int:
    """Where a list item under no question that holds Anki's deletions ends (`- {{c1::LRU}}
    evicts the oldest entry`, maybe over lines under it that are not indented, as Markdown
    goes on with an item): a cloze note of its own, the bullet only marking it. 0 when
    line k starts no such item."""
    if item["indent"]:
        return 0
    end = k + 1
    while end < p.end and p.texts[end].strip() and not p.texts[end][:1].isspace():
        if p.is_break(end) or LIST_ITEM_RE.match(p.texts[end]) or FORCED_RE.match(p.texts[end]):
            break
        end += 1
    text = "\n".join([item["text"], *p.texts[k + 1 : end]])
    return end if holds_deletion(text) else 0


def holds_deletion(text: str) -> bool:
    """Whether a text holds one of Anki's deletions, `{{c1::…}}` (not a highlight)."""
    return "{{c" in text and bool(cloze.scan(text)[0])


def cloze_items_under(p: Reader, k: int, item: re.Match[str]) -> int:
    """An item under no question over items that each hold deletions (`- [2025-08-12]
    Source: lesson 12` / `  - Let's {{c1::cut}} the fluff.`): each of those is a cloze note,
    the item over them its context, shown under each one's text (with the items nested
    deeper in it). Where the block ends (at a blank line or a line not indented under the
    item); 0 when line k starts no such block."""
    if k + 1 >= p.end or "{{c" not in p.texts[k + 1]:
        return 0  # (the first line under it is one of those items: most items end here)
    if holds_deletion(item["text"]):
        return 0
    width = indent_width(item["indent"])
    nested: list[tuple[int, re.Match[str]]] = []
    end = k + 1
    while end < p.end and p.texts[end].strip():
        under = LIST_ITEM_RE.match(p.texts[end])
        if under is None or indent_width(under["indent"]) <= width:
            break
        nested.append((end, under))
        end += 1
    if not nested or (end < p.end and p.texts[end][:1].isspace() and p.texts[end].strip()):
        return 0  # nothing under it, or a line going on with an item: not such a block
    level = indent_width(nested[0][1]["indent"])
    children = [m for _, m in nested if indent_width(m["indent"]) <= level]
    if not all(holds_deletion(m["text"]) for m in children):
        return 0
    context = item["text"].strip()
    indents: list[int] = []
    for j, under in nested:
        if indent_width(under["indent"]) <= level:
            draft = p.start_question(j, under.start("text"), under["text"], Reading.CLOZE)
            draft.needs_answer, draft.cloze_item = False, True
            p.add_answer(k, AnswerLine(context), item.start("text") + 1)
            indents = []
        else:
            p.add_answer(j, item_line(under, indents), under.start("text") + 1)
    p.finish()
    return end


# Obsidian's callout, `> [!question] Title`, its body the `>` lines under it.
CALLOUT_RE = lazy_pattern(r" {0,3}>[ \t]*\[!(?P<kind>[\w-]+)\][+-]?[ \t]*(?P<title>.*)")
QUESTION_CALLOUTS = frozenset({"question", "faq", "help", "quiz", "flashcard", "card", "q"})
"""Callout kinds that ask: their title is a question, their body its answer."""


def opens_question_callout(line: str) -> bool:
    """Whether a line opens a callout that asks (`> [!question] …`)."""
    callout = CALLOUT_RE.match(line) if ">" in line[:4] else None
    return callout is not None and callout["kind"].casefold() in QUESTION_CALLOUTS


def callout_rule(p: Reader, k: int) -> int | None:
    """An Obsidian callout that asks (`> [!question] Que contient le noyau ?`, `[!faq]`,
    foldable with `-` or `+`): its title is the question, its body (the `>` lines under it,
    read as Markdown) the answer."""
    text = p.texts[k]
    callout = CALLOUT_RE.match(text)
    if callout is None or callout["kind"].casefold() not in QUESTION_CALLOUTS:
        return None
    if not callout["title"].strip():
        return untitled_callout(p, k)
    draft = p.start_question(k, callout.start("title"), callout["title"].strip())
    draft.strong = True
    body, at = [], []
    j = k + 1
    while j < p.end and p.texts[j].lstrip().startswith(">"):
        line = p.texts[j].lstrip()[1:]
        body.append(line[1:] if line.startswith(" ") else line)
        at.append(p.indices[j])
        p.mark(j, Reading.ANSWER)
        j += 1
    written = [i for i, line in enumerate(body) if line.strip()]
    if written:
        first, last = written[0], written[-1] + 1
        draft.markdown, draft.markdown_at = "\n".join(body[first:last]), tuple(at[first:last])
    p.finish()
    return j


def untitled_callout(p: Reader, k: int) -> int | None:
    """A callout that asks with no title, its question in its body (`> [!question]` over
    `> What is the lower bound…`), answered below it, out of the callout: the answer is
    all that follows, down to the next such callout or a heading (paragraphs, math, other
    callouts), read as Markdown. None when its body is empty."""
    j = k + 1
    while j < p.end and p.texts[j].lstrip().startswith(">"):
        j += 1
    nested = next((i for i in range(k + 1, j) if p.texts[i].lstrip()[1:].lstrip()[:1] == ">"), j)
    asked = [i for i in range(k + 1, nested) if p.texts[i].lstrip()[1:].strip()]
    if not asked or nested < j:
        return None  # (an answer folded in it, `> > [!success]-`: read as quoted lines)
    p.mark(k, Reading.QUESTION)
    first = asked[0]
    at = p.texts[first].index(">") + 1
    at += p.texts[first][at:].startswith(" ")
    draft = p.start_question(first, at, p.texts[first][at:])
    for i in asked[1:]:
        col = p.texts[i].index(">") + 1
        p.add_question_line(i, p.texts[i][col:].strip(), col + 1)
    draft.strong = True
    end = j
    while end < p.end and not (
        end not in p.body.in_block
        and (ATX_HEADING_RE.match(p.texts[end]) or opens_question_callout(p.texts[end]))
    ):
        end += 1
    written = [i for i in range(j, end) if p.texts[i].strip()]
    if written:
        first_line, last_line = written[0], written[-1]
        draft.markdown = "\n".join(p.texts[first_line : last_line + 1])
        draft.markdown_at = tuple(p.indices[i] for i in range(first_line, last_line + 1))
        for i in range(first_line, last_line + 1):
            p.mark(i, Reading.ANSWER)
    p.finish()
    p.after_blank = True
    return end


def details_rule(p: Reader, k: int) -> int | None:
    """An HTML `<details>` block: its summary asks and its folded text answers; or, when the
    summary only labels the answer (`Answer`, `Voir la réponse`), its folded text answers the
    question above it."""
    if "<" not in p.texts[k][:4]:
        return None
    if CLOSE_LINE_RE.fullmatch(p.texts[k]):  # the end of a block that groups others
        p.mark(k, Reading.COMMENT)
        p.after_blank = True
        return k + 1
    block = read_details(p.texts, k, p.end)
    if block is None:
        return None
    if not block.body:  # nothing folded in it: no note
        for j in range(k, block.end + 1):
            p.mark(j, Reading.COMMENT)
        p.after_blank = True
        return block.end + 1
    if block.holds_details:
        for j in range(k, block.summary_end + 1):
            p.mark(j, Reading.COMMENT)
        if (follow := with_follow_ups(p.texts, block)) is not None:
            own, follow_ups = follow
            for j in range(block.summary_end + 1, block.end + 1):
                p.mark(j, Reading.COMMENT)
            _summary_note(p, block, own)
            for inner in follow_ups:
                _summary_note(p, inner, inner.body)
            p.after_blank = True
            return block.end + 1
        if (asked := asked_in(p.texts, block)) is None:  # it groups blocks: read on inside
            p.after_blank = True
            return block.summary_end + 1
        lines, answer = asked  # `Question 1`: the question in it, its answer folded below
        for j in range(block.summary_end + 1, block.end + 1):
            p.mark(j, Reading.COMMENT)
        _fold_answer(p, p.front_of(lines), answer.body)
        p.finish()
        p.after_blank = True
        return block.end + 1
    current = p.current
    if block.labels_answer and (current is None or current.one_liner):
        for j in range(k, block.end + 1):
            p.mark(j, Reading.IGNORED)
        p.diagnostics.append(
            warning(
                p.location(block.summary_at),
                f'this folded answer ("{block.summary}") answers no question: it is not part '
                "of any note; write its question on the line above it",
            )
        )
        p.after_blank = True
        return block.end + 1
    for j in range(k, block.end + 1):
        p.mark(j, Reading.COMMENT)  # the tags; the lines that count are marked below
    if block.labels_answer and current is not None and not current.one_liner:
        if current.answer or current.markdown is not None:
            for at, text in block.body:
                if text.strip():
                    p.add_answer(at, AnswerLine(text.strip()))
        else:
            current.markdown = block.markdown
            current.markdown_at = tuple(p.indices[at] for at, _ in block.body)
            for at, _ in block.body:
                p.mark(at, Reading.ANSWER)
    else:
        _summary_note(p, block, block.body)
        return block.end + 1
    p.finish()
    p.after_blank = True
    return block.end + 1


def _summary_note(p: Reader, block: Details, body: Sequence[tuple[int, str]]) -> None:
    """A note asked by a block's summary, answered by its folded lines `body`."""
    line = p.texts[block.summary_at]
    col = max(line.find(block.summary[:8]), 0) + 1 if block.summary else 1
    _fold_answer(p, p.start_question(block.summary_at, col - 1, block.summary), body)
    p.finish()
    p.after_blank = True


def _fold_answer(p: Reader, draft: Draft, body: Sequence[tuple[int, str]]) -> None:
    """A block's folded lines as a new question's answer, read as Markdown."""
    draft.strong = True
    draft.markdown = "\n".join(text for _, text in body)
    draft.markdown_at = tuple(p.indices[at] for at, _ in body)
    for at, _ in body:
        p.mark(at, Reading.ANSWER)


PAIR_SEPARATORS = WORD_LIST_SEPARATORS
"""What splits a word from its meaning in a vocabulary list (a dash may be `–` or `—`)."""
PAIR_RUN = 3
"""List items alike from which a list is a vocabulary list, one note an item."""
PAIR_RUN_UNDER_HEADING = 5
"""The same, right under a heading: a shorter list there is the heading's answer."""


def right_under_heading(p: Reader, k: int) -> bool:
    """Whether line k is the first written line under a heading, not the file's title (a
    `#` heading opening the file and asking nothing: `# Verbes` names the deck, and the short
    word list under it is no answer of it)."""
    first = next((j for j in range(p.start, p.end) if p.texts[j].strip()), None)
    if first != k or (heading := section_heading(p)) is None:
        return False
    opening = not any(p.texts[j].strip() for j in range(p.start - 1))
    return not (
        opening and heading["marks"] == "#" and not reads_as_question(heading["text"] or "")
    )


def section_heading(p: Reader) -> re.Match[str] | None:
    """The heading right above the stretch, when it is a section's."""
    return ATX_HEADING_RE.match(p.texts[p.start - 1]) if p.start > 0 else None


def heading_says(p: Reader, words: re.Pattern[str]) -> bool:
    """Whether the stretch's section heading holds these words."""
    heading = section_heading(p)
    return heading is not None and words.search(heading["text"] or "") is not None


def pair_item_rule(p: Reader, k: int, item: re.Match[str]) -> int | None:
    """An item of a vocabulary list under no question (`- chien - dog`, `* szó = word`, three
    items at least, each split once by a spaced dash, `=`, `:` or arrow, no two with one front): a
    note of its own, the word its front, the meaning its back."""
    glossary = in_glossary(p)
    if (
        k == p.pair_run_end
        and item["indent"] == p.pair_run_indent
        and k > 0
        and LIST_ITEM_RE.match(p.texts[k - 1])
        and split_pair(item["text"], glossary) is None
    ):
        # Right after a word list, at its level, a word without its meaning: no note, and
        # no part of the last word's meaning either.
        p.finish()
        p.mark(k, Reading.IGNORED)
        message = "this list item ends a word list but has no meaning beside it: no note"
        p.diagnostics.append(warning(p.location(k), message))
        p.pair_run_end = k + 1
        return k + 1
    if p.pair_run_end <= k:
        # In a glossary, or a file of word lists, a short list under a heading is one too,
        # but under a heading that counts its items (`Les trois temps`), it is its answer.
        short = glossary or (p.word_lists and not heading_counts(p))
        # Under a heading naming a glossary (`#### Terms:`), one term is one too: the
        # heading asks nothing to answer with it.
        least = 1 if under_glossary_heading(p) else 2 if p.word_lists else PAIR_RUN
        end = pair_run(p, k, item, glossary, least)
        if end - k < PAIR_RUN_UNDER_HEADING and right_under_heading(p, k) and not short:
            return None  # `## Les trois types` over `- sensoriels - …`: one note, its list
        p.pair_run_end, p.pair_run_indent = end, item["indent"]
        if end <= k:
            return None
    pair = split_pair(item["text"], glossary)
    if pair is None and item["indent"] == p.pair_run_indent and k < p.pair_run_end:
        if (term := term_over_meaning(p, k, item, glossary)) is not None:
            # `2. Zelltheorie:` over its items: a term, its meaning the items under it
            draft = p.start_question(k, item.start("text"), term, Reading.ONE_LINER)
            draft.one_liner = draft.strong = True
            return k + 1
        p.finish()
        p.mark(k, Reading.IGNORED)
        message = "this word has nothing after its separator, so no meaning: no note"
        p.diagnostics.append(warning(p.location(k), message))
        return k + 1
    if pair is None or item["indent"] != p.pair_run_indent:
        return None  # an item under one of the run's: part of its meaning
    pair_note(p, k, item.start("text"), pair)  # type: ignore[arg-type]
    return k + 1


INTRODUCES = "this line introduces the word list under it: it is not part of any note"


def unmarked_line(draft: Draft) -> str | None:
    """The question of a draft that is one line with no answer yet, marked as a question by
    nothing (no `?`, no label), when it asks nothing in its words either."""
    if draft.answer or draft.markdown is not None or len(draft.question) != 1 or draft.strong:
        return None
    text = draft.question[0]
    return None if reads_as_question(text) else text


def names_words(draft: Draft) -> bool:
    """Whether a question with no answer yet is a caption naming the words under it
    (`Vocabulary:`, `Key terms`, `Mots de la semaine`): short, asking nothing."""
    text = unmarked_line(draft)
    return (
        text is not None
        and len(text) <= CAPTION_LENGTH
        and GLOSSARY_HEADING_RE.search(text) is not None
    )


def labels_words(p: Reader, draft: Draft) -> bool:
    """Whether a question with no answer yet only labels the words under it, in a file whose
    lists are word lists (`Pronouns:`, `Demonstrative Pronouns`): short, alone on its line,
    asking nothing; it names a section, as a heading would."""
    text = unmarked_line(draft)
    return (
        text is not None
        and len(text) <= CAPTION_LENGTH
        and COUNT_RE.search(text) is None  # `Consonnes doubles (5)`: its answer, the five
        and EXAMPLES_LABEL_RE.search(text) is None  # the examples of the word above it
        and "![" not in text  # a picture shows something: never a mere label
        and p.word_lists
    )


EXAMPLE_TERM_RE = lazy_pattern(
    r"(?i)(?:examples?|exemples?|ejemplos?|exemplos?|esempi[oi]?|beispiele?|przykłady?|"
    r"e\.g\.|z\.[ \t]?b\.|por ejemplo|par exemple|for example|zum beispiel)(?![^\W\d_])"
)
"""A glossary's line whose "term" is an example's label (`**Ejemplo**: …`, `**Example
HTTP**: …`): an example of the term above, no term."""
EXAMPLES_LABEL_RE = lazy_pattern(
    r"(?i)\b(?:examples?|exemples?|ejemplos?|exemplos?|esempi[oi]?|beispiele?|przykłady?)\b"
    r"|例文|例句|예문|例"
)


def in_glossary(p: Reader) -> bool:
    """Whether the stretch's word lists are a glossary's (`split_pair`): the file's lists
    define terms, or give words their meanings in brackets, or its heading names one."""
    return p.term_lists or p.glossed_lists or under_glossary_heading(p)


def introduces_words(
    p: Reader, k: int, item: re.Match[str], least: int = PAIR_RUN_UNDER_HEADING
) -> bool:
    """Whether a vocabulary list starts at line k, as long as one right under a heading must
    be (the sentence above it, after a blank line, only introduces it); under a label in a
    file of word lists, two items are enough (`least`)."""
    return pair_run(p, k, item, in_glossary(p), least) > k


def pair_note(p: Reader, k: int, offset: int, pair: list[str]) -> None:
    """A word and its meaning, written at `offset` in line k: a note, the word its front."""
    front, back = (side.strip() for side in pair)
    draft = p.start_question(k, offset, front, Reading.ONE_LINER)
    draft.one_liner, draft.strong = True, True
    draft.answer.append(AnswerLine(back))
    at = p.texts[k].rfind(back)  # a meaning in brackets is not written as one piece
    at = at if at >= 0 else p.texts[k].index(back.split()[0], offset + len(front))
    draft.answer_at.append(((p.indices[k], at + 1),))


PAIR_MARKS = "-–—=:→(*＝：\u3000"
"""What a word and its meaning are split by, or set apart with (`split_pair`)."""
WORD_LINES = 10
"""Lines of words and meanings from which a file writes its vocabulary so (`word_lines`)."""


def plain_line(text: str) -> bool:
    """Not a list item, quote, table row, label or heading: a line that may be a word and
    its meaning."""
    if text[:1] in ">|" or LIST_ITEM_RE.match(text) or FORCED_RE.match(text):
        return False
    return not ("#" in text[:1] and ATX_HEADING_RE.match(text))


def plain_pair(text: str, glossary: bool = False) -> list[str] | None:
    """A line that is a word and its meaning, not a list item, quote, table row, label or
    question; a phrase that asks may be the word (`Was meinst du damit? = What do you mean
    by that?`), not a question holding the mark (`Why is x = y?`)."""
    if not plain_line(text):
        return None
    pair = split_pair(text, glossary)
    if pair is not None and asks(text) and not pair[0].rstrip().endswith(QUESTION_MARKS):
        return None
    return pair


BOLD_TERM_LINE_RE = lazy_pattern(
    r"(?P<term>\*\*[^*\n]{1,60}?(?:[:：]\*\*|\*\*[ \t]*[:：]))[ \t]*(?P<meaning>\S.*)"
)
"""A term in bold, its colon inside the bold or after it, and its meaning on its line
(`**Return**: the discounted rewards`, `**回报**：折扣后的奖励之和`)."""
BOLD_TERM_PARAGRAPHS = 3
"""Terms in bold a paragraph each, one after another, from which they are a glossary."""


def bold_term_paragraphs(p: Reader, k: int) -> int | None:
    """Terms in bold with their meanings, a paragraph of one line each (`**Markov chain**:
    a process…`, a blank line, `**Return**: …`), three at least one after another: a note
    each, the term its front. Where the last of them ends; None when line k opens none."""
    found = []
    j = k
    while j < p.end and (term := BOLD_TERM_LINE_RE.fullmatch(p.texts[j].rstrip())):
        if j + 1 < p.end and p.texts[j + 1].strip():
            break  # a paragraph of more lines than the term's
        found.append((j, term))
        j += 2  # past the blank line under it
    if len(found) < BOLD_TERM_PARAGRAPHS:
        return None
    for line, term in found:
        front = "**" + term["term"].strip("*:： \t") + "**"  # its colon no part of it
        pair_note(p, line, 0, [front, term["meaning"]])
        if line + 1 < p.end:
            p.mark(line + 1, Reading.BLANK)
    p.finish()
    p.after_blank = True
    return found[-1][0] + 1


TIGHT_COLON_RE = lazy_pattern(r"(?P<word>[^\W\d_][\w'’ -]{0,40}?):(?P<meaning>[^\s:/\\].*)")
"""A word and its meaning split by a colon with no space (`avoid:evitar`): in a paragraph of
words and their meanings where most have the space, a slip of typing (no address, no hour)."""
TIGHT_EQUALS_RE = lazy_pattern(
    r"(?P<word>[^\W\d_][\w'’ -]{0,40}?)[ \t]*=[ \t]*(?P<meaning>[^\s=>].*)"
)
"""Likewise a word and its meaning split by `=` with a space missing on a side or both
(`Seized= caught`), among lines split by a spaced `=`."""
COLON_GLOSSARY = 10
"""Lines of a paragraph of terms and colons from which it is a glossary (`colon_glossary`)."""
REPEATS_AMONG = 10
"""Words and meanings one a line from which a word may come again, one in eight at most (a
slip the duplicate check then says), where shorter paragraphs repeating a front are labels."""


CAPTION_LENGTH = 40
"""Characters of a line at most, from which it is too long to name the words under it."""


def captions_words(p: Reader, k: int) -> bool:
    """Whether line k may name the words and meanings right under it (`Vocabulary`,
    `Semaine 3`): short, asking nothing, and the next line such a word."""
    text, following = p.texts[k], p.texts[k + 1] if k + 1 < p.end else ""
    if len(text.strip()) > CAPTION_LENGTH or not any(mark in following for mark in PAIR_MARKS):
        return False
    return not asks(text) and plain_pair(text) is None and plain_pair(following) is not None


def word_paragraph_rule(p: Reader, k: int) -> int | None:
    """A paragraph opening with a word and its meaning, in a file that writes its words so
    (`word_paragraphs`): a note, the word its front, the meaning its back, the lines under it
    (an example, `| Wann kommen Sie an?`) going on with the back, whatever they hold; a line
    of another word and its meaning in it is a note of its own. A word alone in its
    paragraph (its meaning still to write) is no note, said."""
    if not p.after_blank or p.texts[k][:1].isspace() or not p.word_paragraphs:
        return None
    end = p.paragraph_end(k)
    if any(j in p.body.in_block for j in range(k, end)):
        return None
    if plain_pair(p.texts[k]) is None:
        if end > k + 1 or asks(p.texts[k]) or len(p.texts[k].split()) > UNSPLIT_WORDS:
            return None
        p.finish()
        p.mark(k, Reading.IGNORED)
        p.diagnostics.append(warning(p.location(k), UNSPLIT_WORD))
        return end
    for j in range(k, end):
        text = p.texts[j]
        if (pair := plain_pair(text)) is not None:
            pair_note(p, j, text.find(pair[0].strip()), pair)
        else:
            p.add_answer(j, AnswerLine(text.strip()), len(text) - len(text.lstrip()) + 1)
    return end


UNSPLIT_WORDS = 4
"""Words from which a line alone among words and their meanings is no word of the list."""
UNSPLIT_WORD = (
    "this line stands among words and their meanings but has no meaning split from it "
    "(`word = meaning`): it is not part of any note"
)


def pair_lines_rule(p: Reader, k: int) -> int | None:
    """A paragraph of words and their meanings, one a line, not in a list (`**among** =
    between`, three lines at least, each split once by a spaced dash, `=`, `:` or arrow, no
    two with one front but in a long one (`REPEATS_AMONG`), none asking but in its word
    (`plain_pair`); five at least split by colons, as `Label : value` lines of a record are
    split too): a note a line, as in a vocabulary list. Right under a heading, fewer than
    five are the heading's answer, unless the file writes its words so (`word_lines`) or
    the heading names a glossary (two at least, still)."""
    if p.current is not None and not p.after_blank:
        return None
    if p.texts[k][:2] == "**" and (spaced := bold_term_paragraphs(p, k)):
        return spaced
    above = p.texts[k - 1] if k > p.start else ""
    titled = bool(above) and p.readings.get(p.indices[k - 1]) is Reading.TITLE
    if above.strip() and not ATX_HEADING_RE.match(above) and not titled:
        return None  # only from a paragraph's first line (or right under the title)
    first = p.texts[k]
    if (
        not any(mark in first for mark in PAIR_MARKS)
        and "  " not in first.strip()  # (two spaces ending a line are a line break)
        and not captions_words(p, k)
    ):
        return None  # (most lines: before the heading above is looked at)
    if asks(first) and not plain_pair(first):
        return None
    glossary = under_glossary_heading(p)
    pairs: dict[int, list[str]] = {}
    fronts: set[str] = set()
    caption: int | None = None
    unsplit: list[int] = []
    end, repeated, asking, dashes = k, 0, 0, 0
    tight: set[int] = set()
    while end < p.end and (text := p.texts[end]).strip():
        if p.is_break(end):
            return None
        if text[:1].isspace():  # ` zielen darauf ab - syftar till`: a space typed before it
            if end == k or text[:4].strip() == "" or plain_pair(text.strip(), glossary) is None:
                return None
            text = text.strip()
        pair = plain_pair(text, glossary)
        if pair is None and not glossary and (":" in text or "：" in text) and p.colon_glossary:
            pair = plain_pair(text, True)  # (`town: pueblo`, worked out once a file)
        # (alone in its paragraph in a glossary of such lines: `SOAR:resposta…`)
        tight_ok = end > k or p.spaced_glossary
        tight_pair = TIGHT_COLON_RE.fullmatch(text.strip()) if pair is None and tight_ok else None
        if tight_pair is None and pair is None and end > k and text.count("=") == 1:
            tight_pair = TIGHT_EQUALS_RE.fullmatch(text.strip())  # `Seized= caught`
        if tight_pair is not None and text.count(":") + text.count("=") == 1:  # `avoid:evitar`
            pair = [tight_pair["word"], tight_pair["meaning"]]
            tight.add(end)
        if pair is None and end > k and (slipped := slipped_pair(text, p.colon_glossary)):
            pair, how = slipped
            asking += asks(text)
            dashes += how == DASHES
        if end == k and pair is not None and pair[0].strip().isdigit():
            caption, pair = end, None  # `1 - find the key words…`: what the words are
        elif end == k and pair is None and captions_words(p, k):
            caption = end  # `Vocabulary` right above the words
        elif pair is None:
            slip = any(mark in text for mark in "-–—=:")  # `Saß- satt?`: a word, typed so
            if end == k or (asks(text) and not slip) or FORCED_RE.match(text):
                return None
            unsplit.append(end)  # a word whose meaning is missing, or a slip (`Seized …`)
        elif ":" in text[:30] and METADATA_RE.match(text):
            return None  # a page's metadata (`metadata_rule`)
        else:
            front = pair[0].strip().casefold()
            repeated += front in fronts
            fronts.add(front)
            pairs[end] = pair
        end += 1
    if repeated and (len(pairs) < REPEATS_AMONG or repeated * 8 > len(pairs)):
        return None  # `Question : …` lines are labels; a long list may repeat a word (said)
    if len(tight) * 2 > len(pairs) and not (end - k == 1 and p.spaced_glossary):
        return None  # words split by a colon without its space, where most have it
    if asking and asking * REPEATS_AMONG > len(pairs):
        return None  # questions with their answers, not phrases among words
    if dashes * 2 > len(pairs):
        return None  # most lines split more than once: not a word and its meaning each
    colons = all(": " in p.texts[j] or "：" in p.texts[j] or j in tight for j in pairs)
    least = PAIR_RUN_UNDER_HEADING if colons or right_under_heading(p, k) else PAIR_RUN
    alone = len(pairs) == 1 == end - k and p.spaced_glossary  # `Malware: Software…` alone
    allowed_short = glossary or (p.word_lines and not colons) or alone
    if (len(pairs) < 2 and not alone) or (len(pairs) < least and not allowed_short):
        return None
    if (caption is not None or unsplit) and (
        len(pairs) < PAIR_RUN_UNDER_HEADING or len(unsplit) * 4 > len(pairs)
    ):
        return None  # most lines words and their meanings, and enough of them, to be sure
    above = p.current
    if above is not None and not above.answer and above.markdown is None and not _asked(above):
        p.drop_caption()  # a line alone above the words (`2 - find the following`)
    if caption is not None:
        p.mark(caption, Reading.IGNORED)
        p.diagnostics.append(warning(p.location(caption), INTRODUCES))
    for j in range(k, end):
        if j in pairs:
            pair_note(p, j, 0, pairs[j])
        elif j in unsplit:
            p.finish()
            p.mark(j, Reading.IGNORED)
            p.diagnostics.append(warning(p.location(j), UNSPLIT_WORD))
    p.finish()
    return end


DASHES = "dashes"
"""How `slipped_pair` split a line: at the first of its spaced dashes."""


def slipped_pair(text: str, glossary: bool) -> tuple[list[str], str] | None:
    """A word and its meaning among words one a line, typed in a way `plain_pair` refuses
    (no list item, quote, table row or label): a phrase that asks (`How soon: ¿Cuándo?`,
    `Seitdem - since then?`), or a line of several spaced dashes split at the first
    (`Ähnlich - similar to - lik`: the word, then its meanings, `DASHES`)."""
    if text[:1] == "#" or not plain_line(text):
        return None
    if asks(text) and (pair := split_pair(text, glossary and ":" in text)) is not None:
        return pair, "asks"
    front, found, back = text.partition(" - ")
    if found and front.strip() and back.strip():
        return [front, back], DASHES
    return None


def split_pair(text: str, glossary: bool = False) -> list[str] | None:
    """A vocabulary item's word and meaning (see `_split_pair`); none when the "word" is a
    blank to fill in (`( 1 ) : the active party asking for access`, `___ : …`): an
    exercise's statement, not a term."""
    pair = _split_pair(text, glossary)
    if pair is not None and pair[0][:1] in BLANK_OPENINGS and BLANK_TERM_RE.fullmatch(pair[0]):
        return None
    return pair


BLANK_OPENINGS = frozenset("([（_.…* \t")
BLANK_TERM_RE = lazy_pattern(r"[*_ \t]*(?:[(\[（][ \t]*\w?[ \t]*[)\]）]|_{2,}|\.{3,}|…)[*_ \t]*")
"""A blank to fill in, standing where a term would: `( 1 )`, `(   )`, `( ㄱ )`, `___`, `...`."""


def _split_pair(text: str, glossary: bool = False) -> list[str] | None:
    """A vocabulary item's word and meaning, split once by a spaced dash, `=`, `==`, `:` or
    arrow, or a word in bold with its meaning in code after it (`**flight** `vuelo``); in a
    `glossary`, also by a colon right after a short term (`RAM: the memory…`), or a word with
    its meaning in brackets after it (`finocchio (fennel)`)."""
    if "\u3000" in text or "＝" in text or "  " in text.strip():  # as Japanese keyboards type
        if reading := CJK_READING_RE.fullmatch(text.strip()):
            return [reading["term"], reading["meaning"]]  # `猫　neko`, `握る    握，掌握`
        text = text.replace("\u3000", " ").replace("＝", " = ")  # `ごろ＝around`
    if "：" in text:  # the full-width colon of Chinese and Japanese, typed with no space
        text = text.replace("：", " : ")
    bracket, colon = text.find("("), text.find(":")
    glossed = glossary and bracket > 0 and (colon < 0 or bracket < colon)  # before any colon
    term = GLOSSED_TERM_RE.fullmatch(text.strip()) if glossed else None
    if term is not None and term["rest"].lstrip()[:1] == ":":
        term = None  # `Auto-Complete (IntelliSense): ctrl+space`: the colon splits
    if term is not None and len(term["term"].split()) <= 4:
        meaning = " ".join(filter(None, (term["meaning"].strip(), term["rest"].strip())))
        return [term["term"], meaning]  # `finocchio (fennel)`
    if any(mark in text for mark in "-–—=:→"):
        for separator in PAIR_SEPARATORS:
            if spaced_row(text, separator):
                return split_spaced(text, separator)
        if ("—" in text or "–" in text) and (columns := long_dash_columns(text)):
            return columns  # `一 — um — いち (ichi)`: a word, its meaning, its reading
        if (
            glossary
            and (term := GLOSSARY_TERM_RE.match(text))
            and term_words(term["term"]) <= 6
            and not EXAMPLE_TERM_RE.match(term["term"].lstrip("*_ \t"))
        ):
            word = term["term"]
            if word.startswith("**") and not word.endswith("**"):
                word = word[2:]  # `**RAM:** …`: the bold closes after the colon
            return [word, term["meaning"]]
    if text[:2] == "**" and (term := BOLD_TERM_CODE_RE.fullmatch(text.strip())):
        return [term["term"], term["meaning"]]  # `**flight** `vuelo``
    if text[:2] == "**" and (lead := BOLD_LEAD_RE.match(text)):
        # A word in bold, then the first spaced dash, whatever dashes its meaning holds
        # (`**はやい** (早い) – early / (速い) – fast`).
        dash = DASH_RE.search(text, lead.end())
        if dash is not None and text[dash.end() :].strip():
            return [text[: dash.start()], text[dash.end() :]]
    if text[:1].isascii() and (gloss := CJK_GLOSS_RE.fullmatch(text.strip())):
        return [gloss["term"], gloss["meaning"]]  # `Novel 新颖的`, `Perceive v. 认为`
    if text[:1] in "*_`" and (lead := EMPHASIS_LEAD_RE.match(text)):
        meaning = text[lead.end() :].rstrip("\\ \t")  # a hard break's `\` is no part of it
        if lead["gap"] == " " and len(meaning.split("|")[0].split(" (")[0].split()) > SHORT_MEANING:
            return None  # `**elements** of the group are…`: a sentence, its subject in bold
        if meaning.strip():
            return [text[: lead.start("gap")], meaning]
    return None


LONG_DASH_RE = lazy_pattern(r"[ \t]+[–—][ \t]+")


def long_dash_columns(text: str) -> list[str] | None:
    """A word split from its meaning and more by spaced long dashes, two at least (`一 — um
    — いち (ichi)`): the word (three words at most) before the first, the rest after it."""
    parts = LONG_DASH_RE.split(text.strip())
    if len(parts) < 3 or not all(part.strip() for part in parts) or len(parts[0].split()) > 3:
        return None
    first = LONG_DASH_RE.search(text)
    return [text[: first.start()], text[first.end() :]] if first else None


BOLD_LEAD_RE = lazy_pattern(r"\*\*[^*]+\*\*(?:[ \t]*\([^()]*\))?(?= [-–—] )")
"""A word in bold, maybe its reading or kanji in brackets, right before a spaced dash."""
CJK_READING_RE = lazy_pattern(
    r"(?P<term>[\u3400-\u9fff\u3040-\u30ff々〆]{1,12})"
    r"(?:[ \t]*\u3000[\u3000 \t]*|[ \t]{2,})(?P<meaning>[^\s＝=].*)"
)
"""A word in Chinese or Japanese characters, an ideographic space (or a gap of two spaces at
least, words aligned in columns), then its reading or meaning (`猫　neko`, `大　おお`)."""
CJK_GLOSS_RE = lazy_pattern(
    r"(?P<term>[A-Za-z][A-Za-z'’ -]{0,40}?[A-Za-z])[ \t]+"
    r"(?P<meaning>(?:_?[a-z]{1,5}\._?[ \t]*)?[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af（].*)"
)
"""A word in Latin letters and its meaning in Chinese, Japanese or Korean after a space,
maybe after its part of speech (`Novel 新颖的`, `Knee-deep _adj._ 深及膝的`)."""
SHORT_MEANING = 4
"""Words at most of a meaning after a word in bold and one space (`**yes** iya`), its notes
after `|` or in brackets aside: a longer one goes on with a sentence."""
EMPHASIS_LEAD_RE = lazy_pattern(
    r"(?P<mark>\*\*|__|\*|_|`)(?=\S).+?(?<=\S)(?P=mark)"
    r"(?P<gap>[ \t]+[-–—][ \t]+|[ \t]*[–—](?=[^\W\d_])|[ \t]{2,}(?=\S)"
    r"|(?<=[^:：]\*\*)[ \t](?=[^\W_]))"
)
"""A word in bold, italics or code, then its meaning after a dash (an en or em dash may
touch the meaning: `*git init* –creates…`) or a gap of spaces (`*switch*    Switch…`); a word
in bold, its meaning after one space (`**yes** iya`), when the bold holds no colon and the
meaning opens with a letter or digit."""


# In a glossary: a word and its meaning in brackets after it, maybe more after them
# (`ginocchio (knee) -- ginocchia`); a word in bold, its meaning in code after it.
def term_words(term: str) -> int:
    """A glossary term's words, a gloss in brackets aside (`Navigate Between Values (eg.
    change value true to false)` has three)."""
    return len(BRACKETED_RE.sub("", term).split()) if "(" in term else len(term.split())


BRACKETED_RE = lazy_pattern(r"\([^()]*\)")
GLOSSED_TERM_RE = lazy_pattern(
    r"(?P<term>[^\s()][^()]{0,40}?)[ \t]+\((?P<meaning>[^()]+)\)(?P<rest>.*)"
)
BOLD_TERM_CODE_RE = lazy_pattern(r"\*\*(?P<term>[^*]+)\*\*[ \t]+(?P<meaning>`.*)")


GLOSSARY_HEADING_RE = lazy_pattern(
    r"(?i)\b(?:glossa(?:ry|ries|ire|r\w*)|glosario|lexique|lexicon|vocab\w*|key terms|terms|"
    r"terminolog\w*|"
    r"definitions?|définitions?|definiciones|termes|begriffe|words|expressions|phrases|"
    r"wortschatz|wörter|léxico|palabras|parole|mots|woordenlijst|słownictwo|słowniczek|"
    r"glosariusz|ordliste|ordlista|ordbok|sanasto|sanastoa|begreper|begrepp|begriber|"
    r"slovník|pojmy|termos|termini|terminy|термины|словарь|глоссарий)\b"
    r"|用語集|用語|术语|術語|词汇|詞彙|용어집|용어 정리|용어"
)
# A term in bold with its colon, inside the bold or after it (`**Entity:** …`, `**RAM**: …`).
PLAIN_TERMS = 10
"""Items of plain terms with their colons from which a file's lists are a glossary."""
PLAIN_TERM_WORDS = 4
"""Words of such a term at most (`Endoplasmatisches Retikulum (ER)`)."""
DEFINED_TERM_RE = lazy_pattern(r"\*\*[^*\s:][^*:\n]{0,58}?(?::\*\*|\*\*:)[ \t]+\S")
# A glossary's term (six words at most, no link), a colon right after it, then its meaning.
GLOSSARY_TERM_RE = lazy_pattern(
    r"(?P<term>(?:\*\*)?[^\s:*][^:\n]{0,58}?(?:\*\*)?):(?:\*\*)?[ \t]+(?P<meaning>\S.*)"
)


def under_glossary_heading(p: Reader) -> bool:
    """Whether the stretch is a section whose heading names a glossary (`## Glossary of
    Terms`, `## Vocabulaire`, `### Key terms`): its `term: meaning` items are notes. A
    heading that asks, or is a sentence, names none (`#### 33. Write the term (용어) that
    fills each blank.`: an exercise)."""
    heading = section_heading(p)
    text = (heading["text"] or "") if heading is not None else ""
    if GLOSSARY_HEADING_RE.search(text) is None:
        return False
    text = text.rstrip(" \t*_")
    return not (asks(text) or text.endswith(SENTENCE_ENDS) or len(text) > GLOSSARY_NAME_LENGTH)


GLOSSARY_NAME_LENGTH = 60
"""Characters of a heading naming a glossary at most: a longer one is a sentence."""


COUNT_RE = lazy_pattern(
    r"(?i)\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|deux|trois|quatre|cinq|sept|"
    r"huit|neuf|dix|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|zwei|drei|vier|fünf|"
    r"sechs|sieben|acht|neun|zehn|quattro|cinque|sette|otto|nove|dieci)\b"
)


def heading_counts(p: Reader) -> bool:
    """Whether the section's heading counts what is under it (`## Les trois temps du passé`,
    `## The 4 tissues`): its list is the heading's answer."""
    return heading_says(p, COUNT_RE)


# A word list's item whose meaning is not written yet (`* abbondante - `).
DANGLING_PAIR_RE = lazy_pattern(r"\S.{0,60}?[ \t]+(?:-|–|—|=|==|->|→|=>)")


def pair_run(p: Reader, k: int, item: re.Match[str], glossary: bool, least: int) -> int:
    """The end of the run of vocabulary items from line k (k when there is none, or fewer
    than `least`; in a `glossary`, see `split_pair`); items under one of them are part of
    its meaning."""
    fronts: set[str] = set()
    width = len(item["indent"].expandtabs(4))
    j = k
    while j < p.end:
        text = p.texts[j]
        other = LIST_ITEM_RE.match(text) if j > k else item
        if other is not None and j > k and len(other["indent"].expandtabs(4)) > width:
            j += 1
            continue
        if other is None and j > k and (under_item(p, j, width) or loose_gap(p, j, item)):
            j += 1  # a line of the item above (its example in code), or a blank line
            continue
        if other is None and j > k and (last := p.block_end(j)) is not None and j < last:
            after = next((i for i in range(last + 1, p.end) if p.texts[i].strip()), p.end)
            if after < p.end and LIST_ITEM_RE.match(p.texts[after]):
                j = last + 1  # its example in code, not indented, the list going on below
                continue
        if other is None or other["indent"] != item["indent"]:
            break
        pair = split_pair(other["text"], glossary)
        if pair is None and (term := term_over_meaning(p, j, other, glossary)) is not None:
            pair = [term, ""]  # its meaning the items under it
        if pair is None and DANGLING_PAIR_RE.fullmatch(other["text"].strip()):
            j += 1  # a word whose meaning is still to write: no note, but the list goes on
            continue
        if pair is None:
            break
        front = pair[0].strip().casefold()
        if front in fronts:
            return k
        fronts.add(front)
        j += 1
    return j if len(fronts) >= least else k


def term_over_meaning(p: Reader, k: int, item: re.Match[str], glossary: bool) -> str | None:
    """In a glossary, an item that is a term and its colon alone (`2. Zelltheorie:`, six
    words at most), lines indented under it: the term, its meaning under it."""
    if not glossary or not item["text"].rstrip().endswith((":", ":**")):
        return None
    term = TERM_ALONE_RE.fullmatch(item["text"].strip())
    if term is None or len(term["term"].split()) > 6:
        return None
    after = next((j for j in range(k + 1, p.end) if p.texts[j].strip()), p.end)
    width = len(item["indent"].expandtabs(4))
    return term["term"] if after < p.end and under_item(p, after, width) else None


TERM_ALONE_RE = lazy_pattern(r"(?:\*\*)?(?P<term>[^\s:*][^:\n]{0,58}?)(?:\*\*)?:(?:\*\*)?")


def under_item(p: Reader, j: int, width: int) -> bool:
    """Whether line j is indented under an item indented `width` (goes on with it)."""
    text = p.texts[j]
    return bool(text.strip()) and len(text.expandtabs(4)) - len(text.expandtabs(4).lstrip()) > width


def loose_gap(p: Reader, j: int, item: re.Match[str]) -> bool:
    """Whether line j is blank, in a loose list: an item at `item`'s level comes next."""
    if p.texts[j].strip():
        return False
    after = next((i for i in range(j + 1, p.end) if p.texts[i].strip()), p.end)
    other = LIST_ITEM_RE.match(p.texts[after]) if after < p.end else None
    return other is not None and other["indent"] == item["indent"]


def indented_rule(p: Reader, k: int) -> int | None:
    """An indented line under a list item goes on with that item; else it is an answer line."""
    text = p.texts[k]
    if not text[:1].isspace():
        return None
    if "<" in text[:4] and (claimed := details_rule(p, k)) is not None:
        return claimed
    col = len(text) - len(text.lstrip()) + 1
    current = p.current
    if current and current.answer and current.answer[-1].is_item:
        line = item_continued(current, text)
    elif (
        current is not None
        and current.item_question_at >= 0
        and not current.answer
        and (label := FORCED_RE.match(text.strip()))
        and label_kind(label) in "AR"
    ):  # `1. **Frage:** …` over `   **Antwort:** …`: the label is no part of the answer
        col += label.start("text")
        line = AnswerLine(label["text"].strip())
    else:
        line = AnswerLine(text.strip())
    if (
        p.after_blank
        and current is not None
        and not current.answer
        and current.markdown is None
        and current.item_question_at < 0
    ):  # an indented answer after a blank line, under a question without one: doubtful
        p.diagnostics.append(
            warning(
                p.location(k),
                f"this indented line is read as the answer to line {current.index + 1}, "
                "though a blank line stands between them; remove the blank line to say so",
            )
        )
    p.add_answer(k, line, col)
    return k + 1


def item_continued(draft: Draft, text: str) -> AnswerLine:
    """A further line of the list item the draft's answer ends with."""
    return replace(draft.answer[-1], text=text.strip(), continues_item=True, block=False)


def wraps_item(draft: Draft, text: str) -> bool:
    """Whether a line right under a list item of the answer goes on with the item's sentence,
    wrapped where the text was copied (`– blocking the processes` / `waiting to enter.`): it
    opens in lower case, asks nothing, and the item stops short of a sentence's end."""
    if not draft.answer or not (draft.answer[-1].is_item or draft.answer[-1].continues_item):
        return False
    last = draft.answer[-1].text.rstrip()[-1:]
    return (
        text[:1].isalpha()
        and text[:1].islower()
        and last not in ".?!:;)"
        and not last.isdigit()
        and not asks(text)  # (`qui veulent y entrer`: a question word, in lower case, goes on)
    )


CENTRED_TITLE_RE = lazy_pattern(r"(?: {8,}|\t{2,})[^\W\d_][\w ,'’&:-]{2,78}")
"""A title centred with spaces, as plain-text files write them: words, no code."""


def centred_title(texts: Sequence[str], k: int) -> bool:
    """Whether the file's first line is a title centred by indentation, alone in its
    paragraph (an indented line elsewhere goes on with what is above it)."""
    if not CENTRED_TITLE_RE.fullmatch(texts[k].rstrip()):
        return False
    return k + 1 >= len(texts) or not texts[k + 1].strip()


def one_liner_rule(p: Reader, k: int) -> int | None:
    """`front :: back` (Basic) or `front ::: back` (reversed) on one line; a question and its
    answer on one line, in a paragraph of such lines (see `inline_cards`), not answering a
    question above it."""
    text = p.texts[k]
    card, inline = one_liner_split(text), None
    if card is None and may_answer(text):
        current = p.current  # a question above, asked and unanswered, may be answered by it
        answerable = current is not None and current.strong and not current.answered()
        if answerable and p.after_blank and not p.answers_after_blank_lines:
            answerable = False  # a blank line ends the question above: no answer past it
        inline = None if answerable else p.inline_cards.get(k)
        card = (*inline, NoteKind.BASIC) if inline else None
    if card is None or p.answer_only:
        return None
    return one_liner_note(p, k, 0, card, inline is not None)


INLINE_CARD_RE = lazy_pattern(
    r"(?P<question>[^?？\s][^?？]*?(?:\?(?=[ \t,;])|？))[,;]?[ \t]*(?:[-–—:：][ \t]+)?"
    r"(?P<answer>[^\s#(\[{<>|](?:.*\S)?)[ \t]*"
)
"""A question and its answer after it on its line: the question's `?`, a space or a comma
(nothing needed after a full-width `？`), maybe a dash or a colon, words."""


def asked_and_answered(line: str) -> tuple[str, str] | None:
    """The question and the answer of a line that holds both (`Quel organite produit
    l'ATP ? La mitochondrie.`), its first `?` outside code and math parting them, or a
    statement judged after a colon (`…: True, because …`): not a list item, a heading, a
    quote or a table row; a question of two words at least; an answer that does not ask too,
    and is no tag, mark in brackets, note id or label."""
    if not may_answer(line):
        return None  # (most lines: looked at first, cheaply)
    masked = mask_literals(line)
    match = INLINE_CARD_RE.fullmatch(masked)
    if match is None and ": " in masked:
        match = JUDGED_STATEMENT_RE.fullmatch(masked)
    if match is None or line[:1] in INLINE_CARD_NOT_OPENING or "::" in line:
        return None
    if cloze.has_cloze(line):
        return None
    question = line[: match.end("question")].strip()
    answer = line[match.start("answer") : match.end("answer")].strip()
    if "?" in answer or "？" in answer or FORCED_RE.match(answer) or LIST_ITEM_RE.match(line):
        return None  # asks on: prose, or two questions
    if len(question.split()) < 2 and len(question) < INLINE_QUESTION_CHARACTERS:
        return None  # `Pourquoi ? Parce que …`: prose
    if question.count("[") != question.count("]") or question.count("(") != question.count(")"):
        return None  # the mark is inside a link's text, or in brackets
    return question, answer


TRUTH_WORDS = (
    "true|false|right|wrong|yes|no|vrai|faux|oui|non|richtig|falsch|wahr|ja|nein|vero|falso"
    "|verdadero|verdadeiro|sí|si|sim|não|nao|waar|onwaar|prawda|fałsz|tak|nie"
)
JUDGED_STATEMENT_RE = lazy_pattern(
    rf"(?P<question>[^:\s][^:]{{15,}}?):[ \t]+"
    rf"(?P<answer>(?i:{TRUTH_WORDS})(?:[ \t]*[,.;!(–—-](?:.*\S)?)?)[ \t]*"
)
"""A statement judged true or false after a colon on its line (`The loss depends on the
parameters: True`, `… : Faux, car …`): its question, and its answer."""


def may_answer(text: str) -> bool:
    """Whether a line may hold a question and its answer (`asked_and_answered`), looked at
    cheaply: a question mark or a colon, not at its end."""
    return ("?" in text or "？" in text or ": " in text) and text.rstrip()[-1:] not in "?？"


INLINE_CARDS = 2
"""Lines holding a question and its answer from which a file writes its notes so (half its
lines with a question mark at least)."""
INLINE_CARD_NOT_OPENING = frozenset(" \t#>|")
"""What a line holding a question and its answer does not open with: indentation, a
heading's mark, a quote's, a table row's."""
INLINE_QUESTION_CHARACTERS = 6
"""A question of one word (Chinese or Japanese, written without spaces) asks inline with
this many characters at least, its mark included."""


def one_liner_note(
    p: Reader, k: int, offset: int, card: tuple[str, str, NoteKind], asked_inline: bool = False
) -> int:
    """The note of a `front :: back` card found at `offset` in line k (of a question and its
    answer on one line, `asked_inline`)."""
    front, back, kind = card
    draft = p.start_question(k, offset, front, Reading.ONE_LINER)
    draft.kind, draft.one_liner, draft.strong = kind, True, True
    draft.asked_inline = asked_inline
    draft.answer.append(AnswerLine(back))
    draft.answer_at.append(((p.indices[k], p.texts[k].rindex(back) + 1),))
    return k + 1


VERDICT_RE = lazy_pattern(
    r"[ \t]*(?:\*\*|__)?(?:verdader[oa]|verdadeir[oa]|fals[oa]|true|false|vrai|faux|richtig|"
    r"falsch|wahr|vero|correct|incorrect)(?:\*\*|__)?[ \t]*(?:[,.:;!–—-]|$)",
    re.IGNORECASE,
)
"""A paragraph opening with a verdict on a statement (`Falso, no es necesario…`, `True.`)."""


def verdict_rule(p: Reader, k: int) -> int | None:
    """A paragraph opening with a verdict (`Falso, no es necesario…`, `Vrai : …`) after a
    blank line under a statement: the statement's answer, its explanation with it. Lines
    read as the statement's answer that only go on with its sentence (wrapped at a width)
    were the statement's own; an answer of its own (`Sí, …`) keeps the verdict as its next
    paragraph."""
    draft = p.current
    if not p.after_blank or draft is None or draft.markdown is not None or draft.one_liner:
        return None
    if not VERDICT_RE.match(p.texts[k]):
        return None
    lines = [draft.question[-1], *(line.text for line in draft.answer)]
    wrapped = not any(line.is_item or line.block for line in draft.answer) and all(
        _goes_on(above, line) for above, line in itertools.pairwise(lines)
    )
    if wrapped and not asks(draft.question[-1]):
        answer_lines_asked(p, draft, len(draft.answer))
    p.gap = bool(draft.answer)  # (after an answer of its own: a paragraph of it)
    p.add_answer(k, AnswerLine(p.texts[k].strip()))
    return k + 1


SHORT_LAST_WORD_RE = lazy_pattern(r"(?:^|\W)\w{1,3}$")
"""A line's last word of three letters at most (`de`, `the`, `of`): no sentence ends so."""


def _goes_on(above: str, line: str) -> bool:
    """Whether a line goes on with the sentence of the line above it, wrapped at a width:
    it opens in lower case, or the line above ends with a comma or a short word."""
    above = above.rstrip(" \t")
    return (
        line.lstrip()[:1].islower() or above.endswith(",") or bool(SHORT_LAST_WORD_RE.search(above))
    )


def plain_rule(p: LineStyleParser, k: int) -> int | None:
    """Any other line (a Dataview field, a callout and a definition aside, see their rules):
    a question after a blank line or when it reads as one, else an answer line. After a
    card's separator it is answer, even when it reads as a question (said)."""
    text = p.texts[k]
    if "::" in text and (claimed := dataview_field_rule(p, k)) is not None:
        return claimed
    if "[!" in text and (claimed := callout_rule(p, k)) is not None:
        return claimed
    if text[:1].isdigit() and (claimed := numbered_card_rule(p, k)) is not None:
        return claimed
    if "<" in text[:4] and (claimed := details_rule(p, k)) is not None:
        return claimed
    if ":" in text[:4] and (claimed := definition_rule(p, k)) is not None:
        return claimed
    current = p.current
    if not p.after_blank and current is not None and bold_goes_on(current):
        p.add_question_line(k)  # `**11. Which command…` / `…lists the files?**`: one question
        return k + 1
    if not p.after_blank and current is not None and shown_code(p, current, k):
        p.add_question_line(k)  # `What does this line do?` / `` `a = f.value;` `` / `- a) …`
        return k + 1
    if not p.after_blank and current is not None and wraps_item(current, text):
        p.add_answer(k, item_continued(current, text), 1)  # wrapped at a width, not indented
        return k + 1
    if p.answer_only and current is not None:
        if reads_as_question(text):
            p.diagnostics.append(
                warning(
                    p.location(k),
                    f"this line reads as a question, but is part of the answer to line "
                    f"{current.index + 1} (after its separator); if it starts a note of its "
                    "own, put a blank line before it",
                )
            )
    elif p.after_blank and current is not None and (how := answer_after_blank_line(p, current, k)):
        if how == LONE_ANSWER:  # the file's way is not so: read, but said
            p.diagnostics.append(
                warning(
                    p.location(k),
                    f"this line is read as the answer to line {current.index + 1}, though a "
                    "blank line stands between them; remove the blank line to say so, or "
                    "write that question's answer under it",
                )
            )
    elif p.after_blank and current is not None and front_over_back(p, current, k):
        whole_paragraph_asks(p, current)  # `Objects in git include:` and its list, the front
    elif p.after_blank and ":" in text[:30] and (claimed := metadata_rule(p, k)) is not None:
        return claimed
    elif (
        p.after_blank
        or current is None
        or current.one_liner
        or (
            p.looks_like_question(k)
            and not awaits_its_answer(current)
            # `A:` alone above: this is its answer, even opening with `Wie` or leading a
            # list, unless it asks; nor does a labelled answer's sentence wrapped onto a line
            # opening with `how`
            and not (
                (current.answer_follows or current.labelled_answer or current.bold_item)
                and not asks(text)
            )
            and not (current.labelled_inline and sentence_goes_on(p, k))
        )
    ):
        if "](" in text and source_link(p, k):
            p.finish()
            p.mark(k, Reading.IGNORED)
            p.diagnostics.append(warning(p.location(k), SOURCE_LINK))
            p.after_blank = True  # the list under it starts afresh
            return k + 1
        if p.after_blank and section_line(p, k):
            p.finish()  # `II. Gerenciamento de Memória` over numbered questions
            p.mark(k, Reading.SECTION)
            return k + 1
        running = RUNNING_NUMBER_RE.match(text) if text[:1].isdigit() else None
        number = running if k in p.numbered_lines else None
        offset = number.end() if number else 0  # `2.- Describe…`: the number is no part of it
        draft = p.start_question(k, offset, text[offset:])
        draft.running = running is not None
        if draft.running and not asks_somehow(text) and (last := asked_after(p, k)):
            for j in range(k + 1, last + 1):  # `1 - Veja o Vagrantfile:`, its code, `Quais…?`
                if p.texts[j].strip() or j in p.body.in_block:
                    p.add_question_line(j)
                else:
                    p.mark(j, Reading.BLANK)
            return last + 1
        return k + 1
    if p.current is not None:
        p.current.indents.clear()
    p.add_answer(k, AnswerLine(text.strip()), len(text) - len(text.lstrip()) + 1)
    return k + 1


SECTION_LINE_LENGTH = 80
"""The longest line alone in its paragraph that may name a section of numbered questions."""
SECTION_LINE_NEVER = ("==", "::", "->", "→", "{{")
"""What a line right over a list holds when it is a card of its own (`Kinetic friction ->
==…==` over its items), not a section's name."""


def section_line(p: Reader, k: int) -> bool:
    """Whether line k names a section of the numbered questions under it: alone in its
    paragraph, short, asking nothing and ending with no stop (`II. Gerenciamento de
    Memória`), the next paragraph a numbered question (`11. Explique…`); or right over an
    item that asks with its answer indented under it (`📘 Capitolo 7: Deadlock` over
    `121. Che cos'è…?`, `   * Risposta: …`)."""
    text = p.texts[k].strip()
    if len(text) > SECTION_LINE_LENGTH or text[-1:] in ".:;,!?？" or asks_somehow(text):
        return False
    if k + 1 < p.end and p.texts[k + 1].strip():
        under = LIST_ITEM_RE.match(p.texts[k + 1])
        width = indent_width(under["indent"]) if under else 4
        return (
            under is not None
            and width < 4  # a list of the page, not one nested in another
            and not any(mark in text for mark in SECTION_LINE_NEVER)
            and asks_somehow(under["text"])
            and _indented_under(p, k + 1, width)
        )
    following = next((j for j in range(k + 1, p.end) if p.texts[j].strip()), None)
    if following is None:
        return False
    item = LIST_ITEM_RE.match(p.texts[following])
    numbered = (item is not None and item["number"] is not None and not item["indent"]) or (
        following in p.numbered_lines
    )
    return numbered and looks_asked(p.texts[following])


def looks_asked(text: str) -> bool:
    """A numbered question's line: it asks, or ends with a stop, as an order does."""
    return asks_somehow(text) or text.rstrip()[-1:] in ".:"


def shown_code(p: Reader, current: Draft, k: int) -> bool:
    """Whether line k is code a quiz's question shows, right under it: code alone on its
    line, under a question without an answer yet, over the quiz's lettered options."""
    return (
        not current.answer
        and current.markdown is None
        and code_alone(p.texts[k])
        and k + 1 < p.end
        and OPTION_RE.match(p.texts[k + 1]) is not None
    )


MARKDOWN_LINK = r"\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\((?:[^()\s]|\([^()\s]*\))*\)"
"""A Markdown link (`[text](target)`), a pair of brackets inside its text or its target."""
LINK_LINE_RE = lazy_pattern(
    r"[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?"
    rf"(?:{MARKDOWN_LINK}|<?https?://\S+?>?|\[\[[^\]\n]+\]\])"
    r"[ \t]*[.,;]?[ \t]*"
)
"""A line that is only a link (`[text](target)`, a pair of brackets inside either; a vault's
`[[Page]]`) or an address, a list item's or not."""


SOURCE_LINK = "this line is only a link above a list, where it comes from: it is part of no note"


def source_link(p: Reader, k: int) -> bool:
    """Whether line k is only a link (`[src](https://…)`) right above a list, after a blank
    line or a heading: where the list comes from, no question of a note (unless its text
    asks: `[What is DNS?](…)`)."""
    text = p.texts[k]
    if "?" in text.split("](")[0] or not LINK_LINE_RE.fullmatch(text) or LIST_ITEM_RE.match(text):
        return False
    following = next((j for j in range(k + 1, p.end) if p.texts[j].strip()), None)
    return following is not None and LIST_ITEM_RE.match(p.texts[following]) is not None


# A line of a page's metadata: `Date: …`, `*Topics: …*`, `**Source** : …`.
METADATA_RE = lazy_pattern(
    r"[*_]*(?:date|dates|topics?|sources?|author|authors|auteurs?|autor|created|updated"
    r"|modified|last updated|keywords|mots-clés|références|references|status|version)"
    r"[*_]*[ \t]*:",
    re.IGNORECASE,
)
ADDRESS_LINE_RE = lazy_pattern(r"<?https?://\S+>?|\[[^\]]*\]\(https?://[^)\s]+\)")
"""A web address alone, or a link to one alone."""
FIELD_LINE_RE = lazy_pattern(r"[*_]*[^\W\d][\w '’-]{0,24}[*_]*[ \t]*:[*_]*[ \t]+\S")


def metadata_rule(p: Reader, k: int) -> int | None:
    """A paragraph of a page's metadata after a blank line (`*Date: …*` over `*Topics: …*`:
    two lines or more, each a field, one of them a usual name of metadata): part of no note,
    as a title is; so is `Source:` over an address alone. (Read as a question, it was a note
    asking "Date: …"; a single `Source: …` line is left as it was read.)"""
    end = p.paragraph_end(k)
    lines = [p.texts[j] for j in range(k, end)]
    if len(lines) == 2 and METADATA_RE.fullmatch(lines[0].strip()):
        if not ADDRESS_LINE_RE.fullmatch(lines[1].strip()):
            return None  # `Source:` over the page's address alone is metadata too
    elif (
        len(lines) < 2
        or not all(FIELD_LINE_RE.match(line) for line in lines)
        or not any(METADATA_RE.match(line) for line in lines)
    ):
        return None
    p.finish()
    for j in range(k, end):
        p.mark(j, Reading.IGNORED)
    return end


SHORT_BACK = 3
"""Lines of a card's back at most, in a file parting its notes with blank lines (four in
five of them): longer, the paragraphs are a topic over its notes (`blank_lines_part_notes`)."""
WRITTEN_SO = "written so"
LONE_ANSWER = "lone answer"


def front_over_back(p: LineStyleParser, draft: Draft, k: int) -> bool:
    """Whether line k, one blank line under a note of several lines, opens that note's back,
    in a file that parts its notes with blank lines (`blank_lines_part_notes`): the whole
    paragraph above is the front (`Objects in git include:` over a list blanking one of
    them, `commits` the back)."""
    if not draft.answer or draft.markdown is not None or draft.one_liner or p.gap:
        return False
    if not draft.needs_answer or len(draft.question) != 1 or not answers_plainly(p, k):
        return False
    return parted_by_one_blank_line(p, k)


def parted_by_one_blank_line(p: LineStyleParser, k: int) -> bool:
    """Whether line k stands one blank line under the paragraph above it, in a file that
    parts its notes with two blank lines and a note's front from its back with one."""
    return k >= 2 and bool(p.texts[k - 2].strip()) and p.blank_lines_part_notes


def whole_paragraph_asks(p: LineStyleParser, draft: Draft) -> None:
    """The lines read as a note's answer join its question, as written (a list's marks
    kept): its back is below them."""
    for line, at in zip(draft.answer, draft.answer_at, strict=True):
        for index, col in at:
            row = p.source.lines[index]
            if line.is_item:  # its mark kept: `- blobs`
                text, col = row.strip(), len(row) - len(row.lstrip()) + 1
            else:
                text = line.text
            draft.question.append(text)
            draft.question_at.append((index, col))
            p.readings[index] = Reading.QUESTION
    draft.answer.clear()
    draft.answer_at.clear()


def answer_after_blank_line(p: LineStyleParser, draft: Draft, k: int) -> str | None:
    """Whether line k, after a blank line, starts the answer of the question above it, and
    why: that question asks (`?`) alone and has no answer yet, line k does not ask, and the
    file writes its answers so (`Pregunta?` / blank line / `Respuesta.`: `WRITTEN_SO`), or
    line k stands alone between blank lines right under it, in a file of line-style notes
    (`LONE_ANSWER`, said: the question would have no answer, and the line would be part of
    no note). None when it does not."""
    if draft.answer or draft.markdown is not None or draft.one_liner or not draft.needs_answer:
        return None
    if len(draft.question) != 1 or not answers_plainly(p, k):
        return None
    if whole_bold(draft.question[0]) and p.bold_questions:
        return WRITTEN_SO
    if parted_by_one_blank_line(p, k):
        return WRITTEN_SO  # a front and its back, in a file so parted
    if not asks(draft.question[0]):
        return None
    if p.answers_after_blank_lines:
        return WRITTEN_SO
    alone = k + 1 >= p.end or not p.texts[k + 1].strip()
    above = next((j for j in range(k - 1, p.start - 1, -1) if p.texts[j].strip()), None)
    right_under = above is not None and p.indices[above] == draft.question_at[-1][0]
    if not (alone and right_under):
        return None
    # Under headings, whether a section's text reads as notes decides what its heading is:
    # a doubtful answer must not decide it.
    return None if p.has_sections else LONE_ANSWER


BOLD_QUESTIONS = 4
"""Questions written wholly in bold from which a file is read as writing them so."""


def whole_bold(text: str) -> bool:
    """A line wholly in bold (`**Question?**`, trailing spaces aside)."""
    return text[:2] in ("**", "__") and BOLD_TERM_RE.fullmatch(text.strip()) is not None


def answers_plainly(p: Reader, k: int) -> bool:
    """A line that may start an answer written after a blank line: it neither asks nor is a
    label, list item, heading, card or cloze."""
    text = p.texts[k]
    if asks(text) or text[:1].isspace() or FORCED_RE.match(text) or LIST_ITEM_RE.match(text):
        return False
    if ATX_HEADING_RE.match(text) or RULE_LINE_RE.match(text) or reads_as_question(text):
        return False
    if SEPARATOR_LINE_RE.match(text) or line_tags(text) is not None:
        return False  # `%`, `?`: another tool's separator; `#tags`
    return not (one_liner_split(text) or cloze.may_hold_cloze(text))


def awaits_its_answer(draft: Draft) -> bool:
    """A list item's question with nothing under it yet: the line right under it is its
    answer, even one leading a list (`1. Qui a fondé Rome ?` / `Romulus` / `2. Quand ?`)."""
    return draft.item_question_at >= 0 and not draft.answer and draft.markdown is None


def is_prose(draft: Draft) -> bool:
    """A draft that is one line of prose and nothing else: no answer, not marked as a
    question, not worded as one, and a sentence (it ends like one, or runs long) or a quote
    or comment (`> Fill this in while reading`, `// only the hard ones`, `... and so on`: a
    remark)."""
    if draft.answer or draft.markdown is not None or len(draft.question) != 1:
        return False
    if draft.strong or draft.one_liner or draft.list_cloze or draft.heading:
        return False
    text = draft.question[0]
    if asks_somehow(text) or cloze.may_hold_cloze(text):
        return False
    if text[:1] == ">" or text[:2] == "//" or text[:3] == "..." or COPYRIGHT_RE.match(text):
        return True  # (`... (the list goes on)`: a remark too)
    return len(text) >= PROSE_LENGTH or text.rstrip("*_ ").endswith(SENTENCE_ENDS)


LONG_TITLE = 60
"""Characters from which a first line ending like a sentence is one, not the deck's name."""
SENTENCE_ENDS = (".", "!", "…", "。", "！")
"""How a sentence ends, in Latin script and in Chinese or Japanese."""


COPYRIGHT_RE = lazy_pattern(r"(?i)[*_]*(?:©|\(c\)|copyright\b)")
"""A copyright or licence line (`(c) CC-BY-SA-4.0 …`, `© 2024 …`): a remark."""


PROSE_LENGTH = 80
"""A line this long without a question mark or word is prose, not a question."""


def _asked(draft: Draft) -> bool:
    """Whether a note's question is marked (`?`, a card's separator, an item question…) or
    worded as one, or the note needs no question (another tool's cloze)."""
    text = draft.question_text
    if draft.strong or not draft.needs_answer or draft.list_cloze or asks_somehow(text):
        return True
    return cloze.has_cloze(text)


def opens_with_question_label(line: str) -> bool:
    """Whether a line opens with a `Q:`-like label (`Q:`, `**Question :**`, `C:`)."""
    if line[:1] not in LABEL_OPENINGS:
        return False
    forced = FORCED_RE.match(line)
    return forced is not None and label_kind(forced) in "QC"


LABEL_OPENINGS = frozenset("*_QCFPD")
"""The characters a `Q:`-like label opens with, to try `FORCED_RE` only on lines that may."""


ARROW_CARD_RE = lazy_pattern(r"(?P<front>.*\S)\s*\?\s*(?:>>>?|-{1,2}>|=>|→|⇒|➜)\s+(?=\S)")
"""`Question ? >>> answer`, `Question ? → answer`: a question mark, then an arrow."""


def one_liner_split(line: str) -> tuple[str, str, NoteKind] | None:
    """`front :: back` (Basic) or `front ::: back` (reversed): a space on each side of the
    `::`, outside code and clozes, so that `std::vector` and `{{c1::x}}` are not split.
    A question and its answer split by an arrow right after its `?` are Basic too."""
    if "?" in line and (">" in line or "→" in line or "⇒" in line or "➜" in line):
        arrow = ARROW_CARD_RE.match(mask_literals(line))
        if arrow is not None and not cloze.has_cloze(line):
            question_mark = line.rindex("?", 0, arrow.end())
            return line[: question_mark + 1].strip(), line[arrow.end() :].strip(), NoteKind.BASIC
    if "::" not in line or cloze.has_cloze(line):
        return None
    card = inline_card(line, spaced_only=True)
    if card is None:
        return None
    return card.front, card.back, NoteKind.REVERSED if card.reversed else NoteKind.BASIC


UNLABELLED = (
    "the other notes here are labelled `Q:`, this one is not, nor is it worded as a question: "
    "it is left out; label it `Q:` if it is a question, or remove the blank line above it if "
    "it belongs to the answer above"
)
LONE_REMARK = (
    "this line has nothing under it and is not worded as a question, above notes that are all "
    "marked as such: it is left out (end it with `?` and write its answer under it if it is a "
    "question)"
)
PREAMBLE = (
    "this paragraph reads as prose, not as a question and its answer, above notes that are "
    "all marked as such: it is left out (end its first line with `?` if it is a question)"
)


SECTION_MARKED = 3
"""Notes marked as such under a section heading, from which a line alone above them is a
remark (`_leave_out_lone_remarks`)."""


def _lead_remark(draft: Draft) -> str | None:
    """Why a draft above a file's asking notes is no note (`LONE_REMARK`, `PREAMBLE`), or
    None when it may be one."""
    if not draft.needs_answer or draft.markdown is not None:
        return None
    if len(draft.question) == 1 and not draft.answered():
        return LONE_REMARK
    if draft.one_liner or draft.list_cloze or draft.outline or draft.labelled_answer:
        return None
    return PREAMBLE if reads_as_preamble(draft) else None


def reads_as_preamble(draft: Draft) -> bool:
    """A paragraph of prose: plain lines only, its first line holding two sentences or more
    (`These are my notes. I wrote them …`), ending in `!`, or running on into the next line
    mid-sentence (a long line with no stop, the next opening in lower case). A one-sentence
    line over its answer (`Décrivez les trois rôles … .`) may be a question and is kept."""
    if len(draft.question) != 1 or any(line.is_item or line.block for line in draft.answer):
        return False
    text = draft.question[0].strip()
    if SENTENCE_BREAK_RE.search(text) or text.endswith(("!", "！")):
        return True
    answer = draft.answer[0].text if draft.answer else ""
    return (
        len(text) >= WRAPPED_LENGTH
        and not text.endswith(tuple(".:;…。*_`)"))
        and answer[:1].islower()
    )


SENTENCE_BREAK_RE = lazy_pattern(r"\w{3,}[.!。！] +[A-ZÀ-ÖØ-Þ]")
"""A sentence's end and the next one's start inside a line (a word of three letters before
the stop, so that `e.g. The` and `Dr. Smith` do not count)."""

WRAPPED_LENGTH = 60
"""A line at least this long, with no stop at its end, runs on into the next."""


class LineStyleParser(Reader):
    """Line style: a question line followed by its answer lines (the way the seed is typed),
    with the cards of other tools that fit in it (`?` lines, a rule under a front, `Q:`…`A:`)."""

    rules = (
        blank_rule,
        link_definition_rule,
        title_rule,
        intro_quote_rule,
        ruled_note_rule,
        tags_rule,
        block_rule,
        separator_card_rule,
        ruled_card_rule,
        quiz_options_rule,
        forced_rule,
        list_item_rule,
        indented_rule,
        verdict_rule,
        one_liner_rule,
        word_paragraph_rule,
        pair_lines_rule,
        plain_rule,
    )

    def read(self) -> LineStyleParser:
        if not self.ruled_notes:  # the usual case: a rule less to try on every line
            self.rules = tuple(rule for rule in self.rules if rule is not ruled_note_rule)
        super().read()
        self._leave_out_unlabelled()
        self._leave_out_lone_remarks()
        return self

    @property
    def ruled_notes(self) -> dict[int, int]:
        """Where the stretch writes its notes between rules (`---`), each a question and its
        answer of paragraphs, blank lines between them: each such note's first line → the
        line ending it (the next rule, or the stretch's end). Empty unless three notes at
        least are so written, four in five of them opening with a line that asks (or holds
        a `?`, or is wholly in bold), one at least running over a blank line (without one, a
        blank line ends a note anyway)."""
        if self._ruled_notes is None:
            self._ruled_notes = ruled_notes(self)
        return self._ruled_notes

    def _leave_out_unlabelled(self) -> None:
        """Among notes that are mostly labelled `Q:`, a note that is not, whose question is
        neither marked nor worded as one (`**Feedback**` and a paragraph under it) is no note:
        an author who labels every question wrote it as a remark. It is left out, said."""
        drafts = self.drafts
        labelled = [opens_with_question_label(self.source.lines[d.index]) for d in drafts]
        if sum(labelled) < 2 or sum(labelled) * 2 <= len(drafts):
            return
        kept = []
        for draft, is_labelled in zip(drafts, labelled, strict=True):
            if is_labelled or _asked(draft):
                kept.append(draft)
            else:
                self._leave_out(draft, UNLABELLED)
        self.drafts = kept

    def _leave_out_lone_remarks(self) -> None:
        """Above notes that are all marked as such (`?`, a label, a card's form, `<details>`:
        two at least), in a file or under its title, a line alone with nothing under it that
        is neither marked nor worded as a question (a subtitle, `(common)`) is a remark
        introducing them, not a question missing its answer; a paragraph of prose (`These
        are my notes for the midterm. I wrote them …`) is a preamble. Either is left out,
        said, rather than stopping the build or becoming a card nobody asked for."""
        heading = section_heading(self)
        in_section = heading is not None and len(heading["marks"]) > 1
        drafts = self.drafts
        first = next((i for i, d in enumerate(drafts) if _asked(d)), len(drafts))
        lead = drafts[:first]
        if not lead or len(drafts) - first < 2 or not all(map(_asked, drafts[first:])):
            return
        messages = [_lead_remark(draft) for draft in lead]
        if not all(messages):
            return
        # A section's text: whether it reads as notes decides what its heading is; one line
        # alone over three marked notes at least (`From Week 2` over callouts) decides nothing.
        if in_section and (messages != [LONE_REMARK] or len(drafts) - first < SECTION_MARKED):
            return
        for draft, message in zip(lead, messages, strict=True):
            self._leave_out(draft, message)
        self.drafts = drafts[first:]

    def _leave_out(self, draft: Draft, message: str) -> None:
        self.readings.update((at, Reading.IGNORED) for at in draft.source_lines)
        self.diagnostics.append(warning(self.source.location(draft.index, draft.col), message))

    def finish(self) -> None:
        """A lone line of prose with nothing under it (a README's closing remark, a lecture's
        sentence) is no question without an answer: it is left out, said."""
        draft = self.current
        if draft is not None and (is_prose(draft) or self._remark_among_words(draft)):
            self.current = None
            index = draft.index
            self.readings[index] = Reading.IGNORED
            self.diagnostics.append(
                warning(
                    self.source.location(index),
                    "this line reads as prose, not as a question, and has no answer under it: "
                    "it is not part of any note (if it is a question, end it with `?`)",
                )
            )
            return
        super().finish()

    def _remark_among_words(self, draft: Draft) -> bool:
        """Whether the draft is a line that asks nothing, alone with nothing under it, in a
        file whose lists are word lists (`End with amos for we to any verb`, a label over
        no words yet): a remark, no question without an answer."""
        return unmarked_line(draft) is not None and self.word_lists

    def __init__(
        self,
        source: SourceFile,
        headings: Sequence[object] = (),
        body: Body | None = None,
        start: int = 0,
        end: int | None = None,
        title: int | None = None,
    ) -> None:
        super().__init__(source, body if body is not None else scan_body(source), start, end)
        self.title = title
        self._ruled_notes: dict[int, int] | None = None

    def is_plain_text(self, k: int) -> bool:
        """Not blank, not indented, not a list item, heading or `Q:`/`A:` line."""
        text = self.texts[k]
        return bool(
            text.strip()
            and not text[0].isspace()
            and not ATX_HEADING_RE.match(text)
            and not LIST_ITEM_RE.match(text)
            and not FORCED_RE.match(text)
            and line_tags(text) is None
            and not DATAVIEW_FIELD_RE.match(text)
        )

    def looks_like_question(self, k: int) -> bool:
        """The question rules: ends with `?`, opens with a question word, leads a list, or
        is numbered as a file's questions are (`numbered_lines`)."""
        text = self.texts[k]
        if reads_as_question(text) or (text[:1].isdigit() and k in self.numbered_lines):
            return True
        if k + 1 < len(self.texts) and DEFINITION_RE.match(self.texts[k + 1]):
            return True  # a term, its definition under it
        if text[:1] == ">":
            return False  # a quote's line leads no list: an item under it is its own
        following = k + 1 < len(self.texts) and LIST_ITEM_RE.match(self.texts[k + 1])
        if not following or ends_with_colon(text):
            return False
        if text[:2] == "//" or not any(c.isalnum() for c in text) or code_alone(text):
            return False  # a code comment, a closing `}`: code pasted as text asks nothing
        if text[:1] == "(" and text.rstrip()[-1:] == ")":
            return False  # an aside in brackets, `(z.B. Zugsignale)`, leads nothing
        if not following["indent"] and bold_item_question(self, k + 1, following) is not None:
            return False  # the next question, an item in bold, comes right after this answer
        # Above the next numbered question, a line of the answer of the one before leads
        # nothing (`17. **Why?**` / two lines of answer / `18. **How?**`).
        current = self.current
        return not (following["number"] and current and current.item_question_at >= 0)

    def next_non_blank(self, k: int) -> int | None:
        for following in range(k + 1, self.end):
            if self.texts[following].strip() and not RULE_LINE_RE.match(self.texts[following]):
                return following
        return None

    def notes_follow(self, k: int) -> bool:
        """Whether list items that are notes follow line k: numbered questions with their
        answers under them (`item_question`), or a vocabulary list (`pair_item_rule`)."""
        following = self.next_non_blank(k)
        if following is None:
            return False
        item = LIST_ITEM_RE.match(self.texts[following])
        if item is None:
            return False
        if item["number"] is not None and item_question(self, following, item):
            return True
        return pair_run(self, following, item, under_glossary_heading(self), PAIR_RUN) > following

    def find_title(self) -> int | None:
        """The first line names the deck when it is not a question and a question (numbered
        questions, a vocabulary list) follows."""
        first = self.next_non_blank(self.start - 1)
        if first is not None and centred_title(self.texts, first):
            return first  # `                Frequently Asked Questions about zlib`
        if first is None or not self.is_plain_text(first):
            return None
        text = self.texts[first].strip()
        if len(text) >= LONG_TITLE and text.rstrip("*_ ").endswith(SENTENCE_ENDS):
            return None  # a sentence introducing the notes, no deck's name
        if numbers_card(text):
            return None  # `**Pregunta 1**` over the first question: its number
        if text[:2] == "**" and BOLD_TERM_LINE_RE.fullmatch(text):
            return None  # `**Entity:** a thing.`: a term and its meaning, no deck's name
        if self.colon_glossary and (plain_pair(text, True) or TIGHT_COLON_RE.fullmatch(text)):
            return None  # `nsg: a security group` over terms alike: the first of them
        if self.notes_follow(first) and not reads_as_question(self.texts[first]):
            return first
        if self.looks_like_question(first):
            return None
        if one_liner_split(self.texts[first]) or cloze.has_cloze(self.texts[first]):
            return None
        ruled = first + 2 < self.end and RULE_LINE_RE.match(self.texts[first + 1])
        if ruled and self.texts[first + 2].strip():
            return None  # a front, a rule right under it, its back: a card (`ruled_card_rule`)
        following = self.next_non_blank(first)
        if following is None:
            return None
        forced = FORCED_RE.match(self.texts[following])
        if forced:
            return first if label_kind(forced) in "QC" else None
        item = LIST_ITEM_RE.match(self.texts[following])
        if item and (item_question(self, following, item) or quiz_answer(self, following, item)):
            return first
        if following == first + 1 and self.words_from(following) and not self.words_from(first):
            return first  # (`Vocabulario` over `through: a través de` lines)
        if not self.is_plain_text(following):
            return None
        if following == first + 2 and self.blank_lines_part_notes:
            return None  # one blank line under it, in a file so parted: a front over its back
        if following > first + 1 or one_liner_split(self.texts[following]):
            return first
        return first if self.looks_like_question(following) else None

    def words_from(self, k: int) -> bool:
        """Whether words and their meanings one a line start at line k, as many as make a
        word list right under a heading (`pair_lines_rule`)."""
        glossary, j = self.colon_glossary, k
        while j < min(self.end, k + PAIR_RUN_UNDER_HEADING) and not self.texts[j][:1].isspace():
            text = self.texts[j].strip()
            if not text or not (plain_pair(text, glossary) or TIGHT_COLON_RE.fullmatch(text)):
                break
            j += 1
        return j - k >= PAIR_RUN_UNDER_HEADING
