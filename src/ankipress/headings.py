"""What each heading of a file in ankipress's format is: title, section, question, or part of
an answer. Pure.

Headings are read from the headings themselves, as a student would read them:
- the file's `# Title` names the deck (one `#` heading that is not a question);
- a heading with no text of its own, directly above deeper headings, groups them (a section,
  a chapter), unless it reads as a question and none of the headings under it do (then it is
  a question whose answer is written as headings, `# Question` / `## Answer`);
- a heading that reads as a question is a question; one that does not is a section when
  question headings stand under it or when the text under it reads as line-style notes, and a
  question otherwise;
- a question's answer runs to the next heading of its level or higher, and keeps the deeper
  headings in it, as well as shallower ones that are answer labels (`#### Answer: B`) or plain
  sub-titles when every question heading of the file is deeper than they are.
"""

from __future__ import annotations

import collections
import itertools
import re
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from .body import Body
from .details import folded_answer_lines, read_details, unfold
from .formats import RULE_LINE_RE
from .lines import (
    ATX_HEADING_RE,
    BOLD_QUESTIONS,
    FORCED_RE,
    LIST_ITEM_RE,
    NUMBERED_TITLE_RE,
    OPTION_RE,
    PAIRED_LABEL_RE,
    QUESTION_MARKS,
    QUESTION_WORDS_LABELLING,
    QUIZ_OPTIONS,
    TICKED_OPTION_RE,
    Draft,
    Reader,
    asks,
    asks_somehow,
    bold_answer,
    empty_item,
    ends_with_colon,
    item_line,
    label_kind,
    line_tags,
    numbers_card,
    opens_question_callout,
    opens_with_question_label,
    reads_as_question,
    right_marked,
    spacer,
    split_note_id,
    unmarked,
    whole_bold,
)
from .patterns import lazy_pattern
from .records import AnswerLine, Reading, warning

# A MkDocs/Pandoc attribute list ending a heading (`{ id="x" }`, `{: .class}`): not shown.
_ATTR = r"""(?:[.#][\w-]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s}]+))"""
ATTR_LIST_RE = lazy_pattern(rf"\{{:?[ \t]*{_ATTR}(?:[ \t]+{_ATTR})*[ \t]*\}}")
# A heading that labels an answer (`## Answer`, `#### Réponse : D`, `#### Correct Answer -> B`).
LABEL_RE = lazy_pattern(
    r"(?:(?:suggested|sample|model|expected|possible|correct|right)[ \t]+)?"
    r"(?:answers?|réponses?|reponses?|solutions?|correction|back|verso)"
    r"(?:[ \t]*(?:[:\-–>→=(]|$))",
    re.IGNORECASE,
)
PERCENT_RE = lazy_pattern(r"[ \t]*%[ \t]*$")


class Role(Enum):
    TITLE = "title"
    SECTION = "section"
    QUESTION = "question"
    ANSWER = "answer"


@dataclass(frozen=True)
class Heading:
    pos: int
    """Its position in the body."""
    level: int
    text: str
    """Its text, without marks, closing `#`s or attribute list."""
    col: int
    """1-based column of the text in its line."""
    own_text: bool
    """Text stands between it and the next heading."""
    question_like: bool
    label: bool
    asks: bool = False
    """A `Q:`-labelled line stands in its own text (a card named by its heading, say)."""
    goes_on: bool = False
    """A question in bold that goes on to the next line, where its bold closes."""
    own_numbering: bool = False
    """It numbers a card in the file's own word (`### Trampa 7`: see `own_numbered`)."""
    list_number: int = 0
    """Characters of its text that number it as a list would, not shown on its card
    (`### 3. What is a closure?`: see `with_list_numbers`)."""


@dataclass
class Plan:
    """The role of every heading, where each question's answer ends, and the stretches of
    line-style notes (the text before the first heading, under the title, under sections)."""

    roles: dict[int, Role] = field(default_factory=dict)
    ends: dict[int, int] = field(default_factory=dict)
    """Question heading position → position where its answer ends (exclusive)."""
    sections: dict[int, Reader] = field(default_factory=dict)
    """Section heading position → the reader of the notes under it."""
    pending: list[tuple[int, int]] = field(default_factory=list)
    """Stretches (start, end) read as line style only if the file has no question heading,
    or if their text reads as notes (the text before the first heading, under the title)."""
    doubts: list[tuple[int, str]] = field(default_factory=list)
    leads: dict[int, Heading] = field(default_factory=dict)
    """Question heading position → the heading right under it that goes on with its question
    (see `leads_into`)."""
    pairs: list[tuple[NumberedItem, NumberedItem]] = field(default_factory=list)
    """Numbered questions and their numbered answers, in sections of their own
    (`paired_sections`)."""


def heading_text(raw: str) -> str:
    """A heading's text as the card shows it: a trailing attribute list dropped, not our
    `{#id}` (which `make_note` takes off later)."""
    text = raw.strip()
    if text.endswith("}") and split_note_id(text)[1] is None:
        opening = text.rfind("{")  # from the last `{` only: one pass, whatever the line
        if ATTR_LIST_RE.fullmatch(text, opening):
            text = text[:opening].rstrip(" \t")
    return text


def body_headings(body: Body) -> list[Heading]:
    """Every ATX heading outside code and math blocks and folded answers, with what is known
    of it alone."""
    found = []
    folded = folded_answer_lines(body.texts, body.in_block)
    for k, line in enumerate(body.texts):
        if k in body.in_block or "#" not in line[:4] or k in folded:
            continue
        if match := ATX_HEADING_RE.match(line):
            text = heading_text(match["text"] or "")
            col = line.find(text) + 1 - body.setext.get(k, 0) if text else 1
            found.append((k, len(match["marks"]), text, col))
    spans: dict[int, int] = {}  # a question in bold over two lines: first line → second
    if bold := bold_question_lines(body, found, spans):
        found += [(k, BOLD_LEVEL, *_bold_text(body.texts[k])) for k in bold]
        found += [(k, BOLD_LEVEL, body.texts[k].strip(), 1) for k in spans.values()]
        found.sort()
    headings = []
    for i, (k, level, text, col) in enumerate(found):
        if k in spans or k in spans.values():  # one question, the second line leading on
            goes_on = k in spans
            asked = goes_on and reads_as_question(text + " " + body.texts[spans[k]])
            headings.append(Heading(k, level, text, col, False, asked, False, False, goes_on))
            continue
        following = found[i + 1][0] if i + 1 < len(found) else len(body.texts)
        own = any(
            t.strip()
            and not RULE_LINE_RE.match(t)
            and line_tags(t) is None
            and not spacer(t)
            and not empty_item(t)
            for t in body.texts[k + 1 : following]
        )
        forced = FORCED_RE.match(text)
        question = asks_somehow(text) or bool(forced and label_kind(forced) in "QC")
        asks = own and any(map(opens_with_question_label, body.texts[k + 1 : following]))
        label = bool(LABEL_RE.match(text))
        headings.append(Heading(k, level, text, col, own, question, label, asks))
    return own_numbered(with_list_numbers(headings), body)


HEADING_NUMBER_RE = lazy_pattern(r"(?P<number>\d{1,3})[.)][ \t]+(?=\S)")
"""A question heading's number, as a list's (`### 3. What is a closure?`)."""
NUMBERED_HEADINGS = 3
"""Question headings of a level numbered one after another, from which the numbers are the
list's, not the questions'."""


def with_list_numbers(headings: list[Heading]) -> list[Heading]:
    """The headings, those that number the file's questions one after another (`### 1. What
    is a closure?`, `### 2. …`, three at least of a level counting up, two in three of them
    asking; from 1 again after a gap) marked with their number's length: the card shows the
    question without it, as a numbered item's does, and renumbering keeps the notes."""
    numbered: dict[int, list[tuple[int, int]]] = {}
    lengths: dict[int, int] = {}  # each numbered heading's → its number's length
    for i, heading in enumerate(headings):
        found = HEADING_NUMBER_RE.match(heading.text) if heading.text[:1].isdigit() else None
        if found is not None:
            numbered.setdefault(heading.level, []).append((i, int(found["number"])))
            lengths[i] = found.end()
    bare: set[int] = set()
    for found in numbered.values():
        runs: list[list[int]] = [[]]
        for k, (i, number) in enumerate(found):
            if k and number != found[k - 1][1] + 1:
                runs.append([])  # the count breaks off: a run of its own from here
            runs[-1].append(i)
        for run in runs:  # questions, two in three at least (`1. Présentez-vous.` too)
            asking = sum(headings[i].question_like for i in run)
            if len(run) >= NUMBERED_HEADINGS and asking * 3 >= len(run) * 2:
                bare.update(run)
    if not bare:
        return headings
    marked = list(headings)
    for i in bare:
        marked[i] = replace(headings[i], list_number=lengths[i])
    return marked


WORD_NUMBER = r"(?P<word>[^\W\d_]{3,20})[ \t]+(?:n[°o]\.?[ \t]*)?(?P<number>\d{1,4})(?!\d)"
"""A word and a number, a card's in a file's own word (`Trampa 7`, `Flashcard n°3`)."""
OWN_NUMBER_RE = lazy_pattern(WORD_NUMBER + r"[:.)]?")
"""A heading that is a word and a number (`Trampa 7`, `Karte 12`, `Flashcard n°3`)."""
OWN_NUMBER_ENDS = frozenset("0123456789:.)*_")
"""What such a heading ends with: a test that spares the pattern most headings."""
OWN_NUMBERED = 3
"""Headings numbered with one word, from which the word numbers the file's cards."""


def own_numbered(headings: list[Heading], body: Body) -> list[Heading]:
    """The headings, those that number a card in a word of the file's own marked so: a word
    and a number, the same word in three headings at least of the same level (`### Trampa
    1`, `### Trampa 2`…), each over one question alone (`one_question_under`). Such a
    heading is read as `### Question 7` is: the question under it is its card's."""
    words: dict[tuple[int, str], int] = {}
    numbered = {}
    for i, heading in enumerate(headings):
        if heading.text[-1:] in OWN_NUMBER_ENDS:
            match = OWN_NUMBER_RE.fullmatch(heading.text.strip("*_ \t"))
            if match is not None and heading.own_text:
                numbered[i] = (heading.level, match["word"].casefold())
                words[numbered[i]] = words.get(numbered[i], 0) + 1
    if not numbered or max(words.values()) < OWN_NUMBERED:
        return headings
    marked = {
        i
        for i, word in numbered.items()
        if words[word] >= OWN_NUMBERED
        and one_question_under(body, headings[i].pos, _text_end(headings, i, len(body.texts)))
    }
    return [replace(h, own_numbering=True) if i in marked else h for i, h in enumerate(headings)]


def one_question_under(body: Body, pos: int, end: int) -> bool:
    """Whether the text under a heading at `pos` (up to `end`) opens with a question, asking
    or wholly in bold, and no other line of it asks, code aside (not `## Lektion 2` over
    several questions)."""
    texts, inside = body.texts, body.in_block
    first = next((j for j in range(pos + 1, end) if texts[j].strip()), None)
    if first is None or not (asks(texts[first]) or whole_bold(texts[first].strip())):
        return False
    return not any(j not in inside and reads_as_question(texts[j]) for j in range(first + 1, end))


BOLD_LEVEL = 7
"""The level of a line wholly in bold read as a question heading: deeper than any heading,
so that real headings hold such questions as sections."""


def bold_question_lines(
    body: Body, found: Sequence[tuple[int, int, str, int]], spans: dict[int, int]
) -> list[int]:
    """Lines wholly in bold that stand for question headings: in a file that writes its
    questions so (`**L3) Was ist Backtracking?**`, four at least, two in three of them
    asking), each over its answer, when an answer runs over several paragraphs (text, code
    indented, more text) that line-style reading would cut at the first blank line. Lines
    ending with `:` that do not read as questions (`**Example:**`) and labels (`**Answer:
    B**`) stay inside answers; a file whose headings ask has its questions there. A question
    whose bold closes on the next line (`**Schreiben Sie … Wie ist` / `er entstand?**`) is
    one more: its first line is given, its second goes to `spans`."""
    if any(reads_as_question(text) for _, _, text, _ in found):
        return []
    texts, in_block = body.texts, body.in_block
    bold = []
    two_lines = {}
    for k, line in enumerate(texts):
        if k in in_block or not (
            line[:2] in ("**", "__") or (line[:2] in ("- ", "* ") and line[2:4] in ("**", "__"))
        ):
            continue
        text = _bold_text(line)[0]
        if not whole_bold(text) and (second := _bold_closing_below(texts, in_block, k, text)):
            text, two_lines[k] = f"{text}\n{texts[second].strip()}", second
        elif not whole_bold(text):
            continue
        bare = text.strip().strip("*_ \t")
        if not FORCED_RE.match(bare) and (reads_as_question(text) or not reads_as_label(bare)):
            bold.append(k)
    asking = sum(reads_as_question(texts[two_lines.get(k, k)]) for k in bold)
    if asking < BOLD_QUESTIONS or asking * 3 < len(bold) * 2:
        return []
    stops = sorted({*bold, *(k for k, _, _, _ in found), len(texts)})
    answered = several = ruled = 0
    for k, end in itertools.pairwise(stops):
        if k not in bold:
            continue
        written = [j for j in range(two_lines.get(k, k) + 1, end) if texts[j].strip()]
        if written and not whole_bold(texts[written[0]]):
            answered += 1
            several += any(  # a paragraph after a blank line, one not opening in bold
                not texts[j - 1].strip() and texts[j][:2] not in ("**", "__") for j in written[1:]
            )
            ruled += RULE_LINE_RE.match(texts[written[-1]]) is not None
    if answered * 5 < len(bold) * 4 or not several or ruled * 2 >= answered:
        return []  # (notes between rules are read as such)
    spans.update((k, second) for k, second in two_lines.items() if k in bold)
    return bold


def _bold_closing_below(
    texts: Sequence[str], in_block: Container[int], k: int, first: str
) -> int | None:
    """The next line, when it closes the bold that line k opens (its text `first`) and never
    closes (`**Wie ist` / `er entstanden?**`), neither holding other bold."""
    opening = first[:2]
    if k + 1 >= len(texts) or k + 1 in in_block or first.count(opening) != 1:
        return None
    second = texts[k + 1].strip()
    if not second or second.count(opening) != 1 or not second.endswith(opening):
        return None
    return k + 1 if second[:1] not in "#>|-*+" and len(second) > 2 else None


def _bold_answers_end_at_rules(
    headings: Sequence[Heading], texts: Sequence[str], in_block: Container[int], plan: Plan
) -> None:
    """The answer of a question in bold ends at a rule (`---`), as such files part their
    sections: text between the rule and the next question is part of no note, said (a
    closing list of commands after the last question)."""
    for heading in headings:
        if heading.level != BOLD_LEVEL or plan.roles.get(heading.pos) is not Role.QUESTION:
            continue
        end = plan.ends[heading.pos]
        rule = next(
            (
                j
                for j in range(heading.pos + 1, end)
                if j not in in_block and RULE_LINE_RE.match(texts[j])
            ),
            None,
        )
        written = rule is not None and next(
            (j for j in range(rule + 1, end) if texts[j].strip()), None
        )
        if rule is None or written is None:
            continue
        plan.ends[heading.pos] = rule
        message = (
            "this text stands after a rule that ends the answer above it, and before the next "
            "question: it is part of no note (remove the rule if it belongs to that answer)"
        )
        plan.doubts.append((written, message))


def _bold_text(line: str) -> tuple[str, int]:
    """A line's text that may be wholly in bold, and its column: a top-level bulleted item's
    without its bullet (`- **What is Rancher?**`, as some notes list their questions)."""
    item = LIST_ITEM_RE.match(line) if line[:2] in ("- ", "* ") else None
    if item is not None and item["bullet"]:
        return item["text"].rstrip(" \t\\"), item.start("text") + 1
    return line.strip(), 1


# A line opening with a question in bold that goes on after it, briefly (`**L12) Which
# ones?**7`): a slip, most often, in a file of questions wholly in bold.
GONE_ON_RE = lazy_pattern(r"(\*\*|__)(?=\S)(?:(?!\1).)*[?？]\1[^\s*_].{0,2}")


def _questions_in_bold_gone_on(
    headings: Sequence[Heading], texts: Sequence[str]
) -> list[tuple[int, str]]:
    """Warnings for the lines of answers under questions wholly in bold that look like one
    more question with a slip after it: read as the answer above, but said."""
    heads = {h.pos for h in headings}
    return [
        (
            k,
            f'this line opens with a question in bold but goes on after it ("{text.strip()}"):'
            " it is read as part of the answer above; to make it a question, write it alone"
            " in bold on its line",
        )
        for k, text in enumerate(texts)
        if text[:2] in ("**", "__") and k not in heads and GONE_ON_RE.fullmatch(text.strip())
    ]


def pick_title(headings: Sequence[Heading]) -> Heading | None:
    """The `#` heading naming the deck: the only `#` heading that is not a question."""
    plain = [h for h in headings if h.level == 1 and not h.question_like]
    return plain[0] if len(plain) == 1 else None


def _section_ends(headings: Sequence[Heading]) -> list[int]:
    """For each heading, the index of the first heading after its section."""
    ends = [len(headings)] * len(headings)
    stack: list[int] = []
    for i, heading in enumerate(headings):
        while stack and headings[stack[-1]].level >= heading.level:
            ends[stack.pop()] = i
        stack.append(i)
    return ends


def _questions_under(headings: Sequence[Heading], ends: Sequence[int]) -> list[int]:
    """For each heading, how many headings that read as questions stand in its section."""
    before = [0]
    for heading in headings:
        before.append(before[-1] + heading.question_like)
    return [before[ends[i]] - before[i + 1] for i in range(len(headings))]


def section_heading_of(headings: Sequence[Heading], plan: Plan, pos: int) -> Heading | None:
    """The section heading (no title) whose text holds body position `pos`: for a question
    heading, the shallower heading above it; for a line of notes, the heading above it."""
    parents = _parents(headings)
    i = next((j for j in range(len(headings) - 1, -1, -1) if headings[j].pos <= pos), -1)
    if i >= 0 and headings[i].pos == pos:
        i = parents[i]
    while i >= 0 and plan.roles.get(headings[i].pos) is Role.ANSWER:
        i = parents[i]
    return headings[i] if i >= 0 and plan.roles.get(headings[i].pos) is Role.SECTION else None


def _parents(headings: Sequence[Heading]) -> list[int]:
    """For each heading, the index of the shallower heading whose section holds it (-1:
    none)."""
    parents: list[int] = []
    stack: list[int] = []
    for i, heading in enumerate(headings):
        while stack and headings[stack[-1]].level >= heading.level:
            stack.pop()
        parents.append(stack[-1] if stack else -1)
        stack.append(i)
    return parents


def _most_siblings(
    headings: Sequence[Heading],
    parents: Sequence[int],
    flags: Sequence[bool],
    counted: Sequence[bool] | None = None,
) -> list[bool]:
    """For each heading, whether `flags` holds for most other headings of its level in the
    same section (under the same shallower heading); of those, only the `counted` ones."""
    counts: dict[tuple[int, int], list[int]] = {}  # (parent, level) → [flagged, headings]
    for i, heading in enumerate(headings):
        count = counts.setdefault((parents[i], heading.level), [0, 0])
        if counted is None or counted[i]:
            count[0] += flags[i]
            count[1] += 1
    found = []
    for i, heading in enumerate(headings):
        flagged, total = counts[(parents[i], heading.level)]
        if counted is not None and not counted[i]:
            flagged, total = flagged + flags[i], total + 1  # its own flag is taken off below
        found.append((flagged - flags[i]) * 2 > total - 1)
    return found


def _numbered_among_questions(headings: Sequence[Heading], parents: Sequence[int]) -> list[bool]:
    """For each heading, whether it is numbered (`## 7. Виды типизации`) among numbered
    headings of its level in its section (three at least) most of which ask: one of a
    list of questions, its sub-headings its answer's, whether or not its words ask."""
    numbered = [NUMBERED_HEADING_RE.match(h.text) is not None for h in headings]
    if sum(numbered) < NUMBERED_QUESTIONS:
        return [False] * len(headings)
    asking = [h.question_like for h in headings]
    most = _most_siblings(headings, parents, asking, counted=numbered)
    counts: dict[tuple[int, int], int] = {}
    for i, heading in enumerate(headings):
        if numbered[i]:
            counts[(parents[i], heading.level)] = counts.get((parents[i], heading.level), 0) + 1
    return [
        numbered[i] and most[i] and counts[(parents[i], h.level)] >= NUMBERED_QUESTIONS
        for i, h in enumerate(headings)
    ]


NUMBERED_HEADING_RE = lazy_pattern(r"\d{1,3}[.)][ \t]+\S")
"""A heading's number before its words (`7. Виды типизации`, `12) Lists`)."""
NUMBERED_QUESTIONS = 3
"""Numbered headings of a level from which they are a list of questions, most asking."""


def reads_as_label(text: str) -> bool:
    """A heading that introduces what follows it (`#### **Syntax:**`, `### Answer`): a
    sub-title, not a question."""
    return bool(LABEL_RE.match(text)) or ends_with_colon(text)


def _labels_only_under(headings: Sequence[Heading], ends: Sequence[int]) -> list[bool]:
    """For each heading, whether headings stand in its section and all are sub-titles."""
    label = [reads_as_label(h.text) for h in headings]
    return [ends[i] > i + 1 and all(label[i + 1 : ends[i]]) for i in range(len(headings))]


def plan_headings(
    headings: Sequence[Heading],
    texts: Sequence[str],
    notes_under: Callable[[int, int], Reader | None],
    in_block: Container[int] = frozenset(),
) -> Plan:
    """Every heading's role. `notes_under(start, end)` reads a stretch as line-style notes and
    gives the reader when the text reads as notes, else None."""
    size = len(texts)
    plan = Plan()
    read: dict[tuple[int, int], Reader | None] = {}

    def read_under(start: int, end: int) -> Reader | None:  # each stretch read once
        if (start, end) not in read:
            read[(start, end)] = notes_under(start, end)
        return read[(start, end)]

    title = pick_title(headings)
    shallowest = min((h.level for h in headings if h.question_like), default=7)
    ends = _section_ends(headings)
    under = _questions_under(headings, ends)
    parents = _parents(headings)
    among_questions = _most_siblings(headings, parents, [h.question_like for h in headings])
    asked_like_siblings = [
        among and labels
        for among, labels in zip(among_questions, _labels_only_under(headings, ends), strict=True)
    ]
    numbered_questions = _numbered_among_questions(headings, parents)
    over_cards = _sections_over_cards(headings, title)
    last_front = _last_front(headings)
    first = headings[0].pos if headings else size
    if first > 0:  # the text before the first heading (the whole file, without headings)
        plan.pending.append((0, first))
    current: Heading | None = None
    answered = False  # whether text of the current question's answer stands yet
    doubted = False  # whether a heading in that answer that asks was said
    below = slice(0, 0)  # the headings in the current question's section
    holder = 0  # level of the section (or title) holding the current question
    sections: list[int] = []  # levels of the sections open at this point
    for i, heading in enumerate(headings):
        if current is not None and plan.leads.get(current.pos) is heading:
            plan.roles[heading.pos] = Role.ANSWER  # its text is read as the question's
            continue
        if current is not None and (
            _in_answer(current, heading, shallowest, holder)
            or (i < last_front and _in_back(current, heading))
        ):
            if answered and not doubted and _asks_apart(current, heading, headings[below]):
                plan.doubts.append((heading.pos, _deeper_doubt(heading, current)))
                doubted = True
            answered = answered or heading.own_text
            plan.roles[heading.pos] = Role.ANSWER
            if heading.level < current.level and not heading.label:
                plan.doubts.append((heading.pos, _doubt(heading, current)))
            continue
        if current is not None:
            plan.ends[current.pos] = heading.pos
            current = None
        while sections and sections[-1] >= heading.level:
            sections.pop()
        following = headings[i + 1] if i + 1 < len(headings) else None
        own = (heading.pos + 1, following.pos if following else size)
        # `### Front` (or `### Question`) over its text, then `### Back` over the answer
        over_label = following is not None and following.level == heading.level and following.label
        role = (
            Role.QUESTION
            if (numbered_questions[i] or (over_label and _titles_card(heading)))
            and heading is not title
            else _role(
                heading,
                heading is title,
                following,
                under[i],
                asked_like_siblings[i],
                own,
                read_under,
                plan,
                lambda i=i: any(  # type: ignore[misc]
                    h.own_text and read_under(h.pos + 1, _text_end(headings, j, size)) is not None
                    for j, h in enumerate(headings[i + 1 : ends[i]], start=i + 1)
                ),
                following is not None and (heading.level, following.level) in over_cards,
            )
        )
        plan.roles[heading.pos] = role
        if role is Role.QUESTION:
            current, holder = heading, sections[-1] if sections else 0
            answered, doubted, below = heading.own_text, False, slice(i + 1, ends[i])
            if following is not None and leads_into(heading, following):
                plan.leads[heading.pos] = following
        else:
            sections.append(heading.level)
    if current is not None:
        plan.ends[current.pos] = size
    _answers_in_labelled_lists(headings, parents, ends, size, plan)
    if any(h.level == BOLD_LEVEL for h in headings):
        plan.doubts += _questions_in_bold_gone_on(headings, texts)
        _bold_answers_end_at_rules(headings, texts, in_block, plan)
    paired = paired_sections(headings, texts, plan)
    _leave_out_among_marked_sections(headings, parents, ends, plan, paired)
    _leave_out_beside_numbered_quiz(headings, plan)
    return plan


QUIZ_NUMBER_RE = lazy_pattern(WORD_NUMBER)
"""A quiz's heading numbering its card in a word of the file's own (`Question 7 : …?`), its
question after the number or not."""
NAMES_QUESTION_RE = lazy_pattern(
    r"(?i)(?:questions?|frage[n]?|preguntas?|perguntas?|questões|questão|domand[ae]|pytani[ae]"
    r"|vraag|otázk[ay]|fråga|soru|вопрос|exercices?|exercises?|ejercicios?|esercizi[o]?|task)\b"
)
"""A heading that names a question, numbered or not (`# PYTANIE OTWARTE`, an open one)."""
QUIZ_NUMBERED = 3
"""Question headings numbered so, one after another, from which the file is a quiz."""


def _leave_out_beside_numbered_quiz(headings: Sequence[Heading], plan: Plan) -> None:
    """In a quiz whose cards are headings numbered in a word of its own, three at least
    counting up (`### Question 1 : Qu'est-ce que…?`, or `## **QUESTÃO 2**` over its one
    question), a heading read as a question for want of notes under it that neither asks,
    nor is so numbered, nor names a question (`## 🎯 Objectif`, `### Calculez votre score`,
    `## 📊 GABARITO`) is no card: it and its text are left out, said."""
    numbers: dict[str, list[int]] = {}
    numbered = set()
    for heading in headings:
        quiz = QUIZ_NUMBER_RE.match(heading.text.strip("*_ \t"))
        if quiz is None:
            continue
        role, notes = plan.roles.get(heading.pos), plan.sections.get(heading.pos)
        asked = heading.question_like or heading.own_numbering or numbers_card(heading.text)
        if (role is Role.QUESTION and asked) or (
            role is Role.SECTION and notes is not None and len(notes.drafts) == 1
        ):  # its card's question in the heading, or alone under it
            numbers.setdefault(quiz["word"].casefold(), []).append(int(quiz["number"]))
            numbered.add(heading.pos)
    if not any(
        len(found) >= QUIZ_NUMBERED and all(b == a + 1 for a, b in itertools.pairwise(found))
        for found in numbers.values()
    ):
        return
    aside_of = asides(headings)  # (left to `parse.leave_out_asides`)
    for heading in headings:
        if (
            plan.roles.get(heading.pos) is not Role.QUESTION
            or heading.pos in numbered
            or heading.pos in aside_of
            or NAMES_QUESTION_RE.match(heading.text.strip("*_ \t")) is not None
            or heading.question_like
            or heading.asks
            or heading.own_numbering
        ):
            continue
        plan.roles[heading.pos] = Role.SECTION
        del plan.ends[heading.pos]
        plan.doubts = [(pos, said) for pos, said in plan.doubts if pos != heading.pos]
        message = (
            f'the heading "{heading.text}" is not a question, and the file\'s cards are its '
            "numbered questions' headings: it and its text are left out; end it with `?` if "
            "it is a question"
        )
        plan.doubts.append((heading.pos, message))


# A page's table of contents: an aside whose own text is its links; the headings under it
# in the outline (`## 目次`, then the `###` questions) are not part of it.
TOC_HEADING_RE = lazy_pattern(
    r"(?i)^(?:(?:table of )?contents|toc|sommaire|table des matières|inhalt|inhaltsverzeichnis|"
    r"índice|indice|sumário|содержание|оглавление|목차|目录|目錄|目次)$"
)
# A heading naming a page's aside, no question: its introduction, its tips, its sources.
ASIDE_HEADING_RE = lazy_pattern(
    r"(?i)^(?:\d+[.)]?\s*)?(?:overview|introduction|intro|about|notes?|tips?\b.*|"
    r"format|legend|how to use(?: this)?(?: deck| file)?|instructions|scoring|evaluation|"
    r"consignes|barème|anweisungen|hinweise|bewertung|instrucciones|puntuación|evaluación|"
    r"instruções|pontuação|avaliação|istruzioni|punteggio|valutazione|consigli\b.*|"
    r"(?:useful |additional |more |other |further )?(?:references?|resources?|links?)"
    r"(?: (?:for|to)\b.*)?|further reading|reading list|see also|sources?|"
    r"bibliography|(?:table of )?contents|toc|summary|conclusion|credits|"
    r"sommaire|table des matières|références|liens|bibliographie|conseils\b.*|"
    r"inhalt|inhaltsverzeichnis|einleitung|quellen|literatur|tipps\b.*|"
    r"índice|indice|introducción|referencias|fuentes|consejos\b.*|"
    r"(?:recursos|ressources|risorse|ressourcen)(?: (?:para|pour|per|zum|zur|adicionales|"
    r"útiles|utiles|recomendados|complémentaires|utili|weitere)\b.*)?|"
    r"sumário|referências|fontes|dicas\b.*|riferimenti|fonti|suggerimenti\b.*|"
    r"введение|содержание|оглавление|источники|ссылки|литература|советы|"
    r"개요|목차|참고\s?자료|참고|출처|팁|"
    r"说明|前言|參考|参考|参考资料|参考資料|参考链接|参考文献|目录|目錄|目次|概要|技巧|面试技巧|"
    r"はじめに)$"
)
ASIDE_MARKS = "*_ \t:" + "".join(chr(c) for c in range(0x1F300, 0x1F650)) + "\ufe0f"
"""What may dress an aside's name (`## 📌 **Índice**`): emphasis, a colon, a pictograph."""


def asides(headings: Sequence[Heading]) -> dict[int, Heading]:
    """For each heading that names an aside of the page (`## Tips for Success`, `## 참고
    자료`, `## 说明`), or stands in such a heading's section (a table of contents aside):
    its position → that heading."""
    parents = _parents(headings)
    found: dict[int, Heading] = {}
    for i, heading in enumerate(headings):
        name = heading.text.strip(ASIDE_MARKS)
        parent = headings[parents[i]] if parents[i] >= 0 else None
        if ASIDE_HEADING_RE.match(name):
            found[heading.pos] = heading
        elif (
            parent is not None
            and parent.pos in found
            and not TOC_HEADING_RE.match(found[parent.pos].text.strip(ASIDE_MARKS))
        ):
            found[heading.pos] = found[parent.pos]
    return found


def _answers_in_labelled_lists(
    headings: Sequence[Heading], parents: Sequence[int], ends: Sequence[int], size: int, plan: Plan
) -> None:
    """A heading among question headings whose text reads as notes that ask nothing (`####
    7. malloc and new compared`, then `Alike` over a list and `Unlike` over a list) is one
    question more, its answer in labelled lists: not a section of notes titled `Alike`."""
    siblings: dict[tuple[int, int], list[int]] = {}
    for i, heading in enumerate(headings):
        siblings.setdefault((parents[i], heading.level), []).append(i)
    unasked = {
        i
        for i, heading in enumerate(headings)
        if (reader := plan.sections.get(heading.pos)) is not None
        and ends[i] == i + 1
        and not any(map(asks_draft, reader.drafts))
    }
    for i in sorted(unasked):
        # Its siblings that are questions by themselves, against the others (those like it
        # aside: a file of such sections alone is a file of sections)
        others = [j for j in siblings[(parents[i], headings[i].level)] if j not in unasked]
        asked = sum(plan.roles[headings[j].pos] is Role.QUESTION for j in others)
        if len(others) >= 3 and asked * 3 >= len(others) * 2:
            del plan.sections[headings[i].pos]
            plan.roles[headings[i].pos] = Role.QUESTION
            plan.ends[headings[i].pos] = headings[i + 1].pos if i + 1 < len(headings) else size


def asks_draft(draft: Draft) -> bool:
    """Whether a line-style note's question asks, marked or worded as a question."""
    return draft.strong or asks_somehow(" ".join(draft.question))


def _leave_out_among_marked_sections(
    headings: Sequence[Heading],
    parents: Sequence[int],
    ends: Sequence[int],
    plan: Plan,
    paired: set[int],
) -> None:
    """A heading that does not read as a question, read as one for want of notes under it,
    among headings of its level that are sections of notes each marked as a question by its
    form (a `Q:` label, a list item with its answer under it, a note on one line): in a file
    whose author marks every question, it is no note (a table of contents, a closing
    feedback). It is left out with its text, said. Where only the file's notes as a whole
    are so marked, it stays a note, said. A section whose questions are all cards numbered
    by their headings (`### Question 3`, the question under it) is so marked too."""
    numbered = [numbers_card(h.text) for h in headings]
    marked = [
        (
            (reader := plan.sections.get(h.pos)) is not None
            and all(_marked_by_form(reader, d) for d in reader.drafts)
        )
        or _numbered_cards_only(headings, numbered, i, ends[i], plan)
        or h.pos in paired
        for i, h in enumerate(headings)
    ]
    # not an empty title (`## To do`, nothing under it)
    written = [h.own_text or h.question_like or ends[i] > i + 1 for i, h in enumerate(headings)]
    of_notes = _most_siblings(headings, parents, marked, written)
    doubtful = [
        plan.roles[h.pos] is Role.QUESTION and not h.question_like and not h.asks for h in headings
    ]
    in_file = _marked_file(plan, sum(doubtful))
    cards = next(
        (
            h
            for i, h in enumerate(headings)
            if CARDS_HEADING_RE.search(h.text)
            and (marked[i] or _marked_below(headings, i, marked, doubtful))
        ),
        None,
    )
    for i, heading in enumerate(headings):
        if not doubtful[i] or numbered[i]:  # (`## Question 1` numbers the card under it)
            continue
        if cards is not None and not CARDS_HEADING_RE.search(heading.text):
            # the file says where its cards are (and this heading names none)
            plan.roles[heading.pos] = Role.SECTION
            del plan.ends[heading.pos]
            message = (
                f'the heading "{heading.text}" is not a question, and the file\'s cards are '
                f'under "{cards.text}": it and its text are left out; end it with `?` if it is '
                "a question"
            )
            plan.doubts.append((heading.pos, message))
        elif of_notes[i]:
            plan.roles[heading.pos] = Role.SECTION
            del plan.ends[heading.pos]  # the headings in its text stay answer: never read
            message = (
                f'the heading "{heading.text}" is not a question, and the headings around it '
                "are sections of notes marked as questions (`Q:`, list items with their "
                "answers under them, notes on one line, callouts): it and its text are left "
                "out; end it with `?` if it is a question"
            )
            plan.doubts.append((heading.pos, message))
        elif in_file:  # its neighbours don't say: read, but said
            message = (
                f'the heading "{heading.text}" is read as a question and its text as the '
                "answer, though it is no question and the file's other notes are marked as "
                "notes (`Q:`, list items with their answers under them, notes on one line, "
                "callouts); end it with `?` if it is a question, or put its text in an HTML "
                "comment (`<!-- … -->`) if it is no note"
            )
            plan.doubts.append((heading.pos, message))


def _marked_below(
    headings: Sequence[Heading], i: int, marked: Sequence[bool], doubtful: Sequence[bool]
) -> bool:
    """Whether the headings in heading i's section (`# Flashcards` over `## Chapitre 1` and
    its cards) are sections of marked notes, one at least, and none a doubtful question."""
    below = []
    for j in range(i + 1, len(headings)):
        if headings[j].level <= headings[i].level:
            break
        below.append(j)
    return any(marked[j] for j in below) and not any(doubtful[j] for j in below)


# A heading naming the file's flashcards (`## Flashcards`, `## Karteikarten`, `## Fiches`).
CARDS_HEADING_RE = lazy_pattern(
    r"(?i)\b(?:flash\s?cards?|cards|anki|karteikarten|lernkarten|fiches(?: de révision)?|"
    r"cartes|tarjetas|fichas|flashkaarten|schede|carte|cartões|fiszki)\b"
)


def _numbered_cards_only(
    headings: Sequence[Heading], numbered: Sequence[bool], i: int, end: int, plan: Plan
) -> bool:
    """Whether the section of heading i holds question headings, all numbering cards."""
    if plan.roles[headings[i].pos] is not Role.SECTION:
        return False
    asked = [j for j in range(i + 1, end) if plan.roles[headings[j].pos] is Role.QUESTION]
    return bool(asked) and all(numbered[j] for j in asked)


def _marked_by_form(reader: Reader, draft: Draft) -> bool:
    """A note whose question is marked by its form: a `Q:` label (or an `A:` label on its
    answer), a card's `?` line under it, a list item with its answer under it, a note on
    one line (`front :: back`, a vocabulary item, a table's row), a note alone between rules
    or under its number, or a callout that asks (`> [!question]`)."""
    lines = reader.source.lines
    line = lines[draft.index]
    after = draft.question_at[-1][0] + 1 if draft.question_at else len(lines)
    if after < len(lines) and lines[after].strip() in CARD_SEPARATORS:
        return True  # a card's front over its `?` line
    if draft.answer_at:  # an answer labelled `A:` marks its question as well
        answered = FORCED_RE.match(reader.source.lines[draft.answer_at[0][0][0]])
        if answered is not None and label_kind(answered) in "AR":
            return True
    return (
        draft.item_question_at >= 0
        or draft.one_liner
        or draft.ruled
        or draft.numbered_card
        or opens_with_question_label(line)
        or PAIRED_LABEL_RE.match(line) is not None  # `F:`, read as a question: answered
        or opens_question_callout(line)
    )


CARD_SEPARATORS = ("?", "??", "？", "？？")
"""Lines parting a card's front from its back (Obsidian's multi-line cards)."""
MARKED_NOTES = 5
"""Notes marked by their form from which a file's author marks every question."""


def _marked_file(plan: Plan, doubtful: int) -> bool:
    """Whether the file's notes under its sections are marked by their form, five at least
    and three in four at least, and three times as many as its headings read as notes for
    want of notes under them: such headings may then be an introduction, instructions, or a
    closing section (`## Notes`, `## Homework`) rather than questions."""
    drafts = [(reader, d) for reader in plan.sections.values() for d in reader.drafts]
    marked = sum(_marked_by_form(reader, d) for reader, d in drafts)
    return (
        doubtful > 0
        and marked >= MARKED_NOTES
        and marked * 4 >= len(drafts) * 3
        and marked >= doubtful * 3
    )


def _sections_over_cards(
    headings: Sequence[Heading], title: Heading | None
) -> set[tuple[int, int]]:
    """The levels of the file's sections over cards: (its level, its cards' level) of the
    headings that ask nothing, with no text of its own, right over a deeper heading with text
    (`## Bank risk` over `### Loss rate` and its definition), when they are as many as the
    headings of their level that ask (in a list of questions, a few answered under
    sub-titles, the sections are no pattern)."""
    sections = collections.Counter(
        (heading.level, following.level)
        for heading, following in itertools.pairwise(headings)
        if heading is not title
        and not heading.question_like
        and not heading.own_text
        and following.level > heading.level
        and following.own_text
    )
    asking = collections.Counter(heading.level for heading in headings if heading.question_like)
    return {shape for shape, count in sections.items() if count >= asking[shape[0]]}


def _role(
    heading: Heading,
    is_title: bool,
    following: Heading | None,
    questions_under: int,
    asked_like_siblings: bool,
    own: tuple[int, int],
    notes_under: Callable[[int, int], Reader | None],
    plan: Plan,
    notes_below: Callable[[], bool],
    like_sections: bool = False,
) -> Role:
    """What a heading that starts something new is; the stretches of line-style notes it
    holds go to `plan`. `asked_like_siblings`: the headings of its level around it read as
    questions, and the headings under it are all sub-titles (`#### Syntax:`);
    `notes_below()`: a deeper heading in its section holds text that reads as notes;
    `like_sections`: headings of its level elsewhere are sections over cards of the level of
    the heading right under it (see `_sections_over_cards`)."""
    if is_title:
        if heading.own_text:
            plan.pending.append(own)
        return Role.TITLE
    if not heading.own_text and following is not None and following.level > heading.level:
        if heading.question_like and not questions_under and like_sections and following.own_text:
            # `## The actors: who is who?` over `### Developer` and its text, where `## Bank
            # risk` is a section over `### Loss rate` and its text: a section too, said
            message = (
                f'the heading "{heading.text}" asks, but has no text of its own, and the '
                "headings under it hold theirs, as under the sections of its level around "
                "it: it is read as a section, each heading under it a note; write its "
                "answer under it if it is a question"
            )
            plan.doubts.append((heading.pos, message))
            return Role.SECTION
        if heading.question_like and not questions_under:
            return Role.QUESTION  # `# Question` with its answer written as `## …` headings
        if asked_like_siblings:
            return Role.QUESTION  # one of a list of questions, its answer under sub-titles
        if answers_it(following):
            return Role.QUESTION  # `## 007: Das "Dritte Reich" war eine ...` / `### A: …`
        return Role.SECTION
    if heading.question_like or (following is not None and leads_into(heading, following)):
        return Role.QUESTION
    if not heading.own_text:  # a title with nothing under it yet (`## To do`): no note
        message = (
            f'the heading "{heading.text}" has nothing under it and is no question: it makes '
            "no note (end it with `?` and write its answer under it if it is a question)"
        )
        plan.doubts.append((heading.pos, message))
        return Role.SECTION
    if questions_under:
        plan.pending.append(own)  # a chapter's introduction: notes only if it reads as notes
        return Role.SECTION
    if (reader := notes_under(*own)) is not None:
        plan.sections[heading.pos] = reader
        return Role.SECTION
    if notes_below():  # a chapter over sections of notes: its text an introduction
        plan.pending.append(own)
        return Role.SECTION
    return Role.QUESTION


def answers_it(heading: Heading) -> bool:
    """Whether a heading is an answer, labelled so, the answer in it (`### A: Diktatur.`,
    `### Answer: B`; not `## Solutions` over a chapter's exercises)."""
    forced = FORCED_RE.match(heading.text)
    return forced is not None and label_kind(forced) in "AR" and bool(forced["text"].strip())


def _text_end(headings: Sequence[Heading], j: int, size: int) -> int:
    """Where the text right under heading j ends: at the next heading."""
    return headings[j + 1].pos if j + 1 < len(headings) else size


def leads_into(heading: Heading, following: Heading) -> bool:
    """Whether a heading ending with `:`, with nothing under it, introduces the question of the
    heading of its level on the line right under it (`### 6. The command prints this:` then
    `### Which process is the editor?`): the two are one question."""
    if heading.goes_on:
        return following.pos == heading.pos + 1
    return (
        not heading.own_text
        and not heading.question_like
        and not heading.label
        and following.pos == heading.pos + 1
        and following.level == heading.level
        and following.question_like
        and ends_with_colon(heading.text)
    )


def _in_answer(question: Heading, heading: Heading, shallowest: int, holder: int) -> bool:
    """Whether a heading after a question heading is part of that question's answer: deeper
    ones are; shallower ones when they label the answer, or when they are plain sub-titles
    deeper than the section holding the question, and every question heading is deeper."""
    if heading.level > question.level:
        return True
    if heading.level == question.level:
        # `### Question` over its question, then `### Suggested Answer` over the answer
        return heading.label and _titles_card(question)
    if heading.label:
        return True
    return (
        heading.level > max(holder, 1)
        and heading.own_text
        and not heading.question_like
        and shallowest > heading.level
    )


def _last_front(headings: Sequence[Heading]) -> int:
    """The place of the last heading naming a card's front (`### Front`), or -1."""
    return next((i for i in range(len(headings) - 1, -1, -1) if _names_front(headings[i])), -1)


def _names_front(heading: Heading) -> bool:
    """Whether a heading names a card's front (`### Front`, `### **Recto**`)."""
    return (
        heading.text[:1] in FRONT_FIRSTS
        and FRONT_TITLE_RE.fullmatch(heading.text.strip("*_ \t")) is not None
    )


def _in_back(question: Heading, heading: Heading) -> bool:
    """Whether a heading of a card's level, between its `### Front` and the next card's, is
    a title in its back (`### Front`, `### Back`, then `### Tip` over more of the answer)."""
    return heading.level == question.level and _names_front(question) and not _names_front(heading)


def _asks_apart(question: Heading, heading: Heading, rest: Sequence[Heading]) -> bool:
    """Whether a heading deeper than the question's, in its answer after text of it, looks
    like a question of its own (`### Warum…?` and its answer, then `#### Wieso…?` over
    text): it asks, has text, and so does every heading of its level in the question's
    section (not `### Why use it?` among `### Example` and `### Summary`)."""
    if not question.level < heading.level < BOLD_LEVEL or not heading.own_text:
        return False
    return heading.question_like and all(
        h.question_like and not h.label for h in rest if h.level == heading.level
    )


def _deeper_doubt(heading: Heading, question: Heading) -> str:
    return (
        f'the heading "{heading.text}" asks a question, but is deeper than the question '
        f'"{question.text}" and is read as part of its answer; if it is a question of its '
        f"own, give it the question's level ({'#' * question.level})"
    )


def _doubt(heading: Heading, question: Heading) -> str:
    return (
        f'the heading "{heading.text}" is read as part of the answer to "{question.text}": '
        "it is shallower than the question headings, but is not a question; if it is a "
        "question of its own, end it with `?`"
    )


# A section of questions (`## Preguntas`, `## Review questions`) and, right after it at its
# level, a section of their answers (`## Respuestas`, `## Solutions`, `## Corrigé`).
_MORE_WORDS = r"(?:[ \t]+[\w'’-]+){0,3}"  # `Questions de révision`, `Answers to part 2`
QUESTIONS_HEADING_RE = lazy_pattern(
    r"(?i)(?:[\w-]+[ \t]+)?(?:questions|preguntas|fragen|kontrollfragen|domande|perguntas|"
    rf"pytania|vragen|otázky|frågor|sorular){_MORE_WORDS}"
)
ANSWERS_HEADING_RE = lazy_pattern(
    r"(?i)(?:[\w-]+[ \t]+)?(?:answers|respuestas|antworten|lösungen|risposte|soluzioni|"
    r"respostas|odpowiedzi|antwoorden|odpovědi|svar|cevaplar|réponses|reponses|solutions|"
    rf"soluciones|corrigés?|corrections?){_MORE_WORDS}"
)


@dataclass(frozen=True)
class NumberedItem:
    """A numbered item of a section's list, with the lines that go on with it."""

    number: str
    first: int
    """Its line's position in the body."""
    last: int
    col: int
    """1-based column of its text."""


def paired_sections(headings: Sequence[Heading], texts: Sequence[str], plan: Plan) -> set[int]:
    """Each section of numbered questions followed by a section of their numbered answers,
    at its level, the numbers the same (two at least): their pairs, question and answer, go
    to `plan`. Both headings become sections (their text is read there, not as notes of
    their own); their positions are returned."""
    found = set()
    size = len(texts)
    for i, heading in enumerate(headings[:-1]):
        answers = headings[i + 1]
        if answers.level != heading.level or not _names(QUESTIONS_HEADING_RE, heading.text):
            continue
        if not _names(ANSWERS_HEADING_RE, answers.text):
            continue
        after = headings[i + 2] if i + 2 < len(headings) else None
        if after is not None and after.level > heading.level:  # read as usual, said
            message = (
                f'the answers under "{answers.text}" hold a heading ("{after.text}"), so they '
                f'are not paired with the questions under "{heading.text}"'
            )
            plan.doubts.append((answers.pos, message))
            continue
        end = after.pos if after is not None else size
        asked = _numbered_items(texts, heading.pos + 1, answers.pos)
        answered = _numbered_items(texts, answers.pos + 1, end)
        numbers = [item.number for item in asked]
        if len(asked) < 2 or numbers != [item.number for item in answered]:
            if asked and answered:
                message = (
                    f'the numbered answers under "{answers.text}" are not those of the '
                    f'questions under "{heading.text}" ({len(answered)} for {len(asked)}): '
                    "they are not paired; number each answer as its question"
                )
                plan.doubts.append((answers.pos, message))
            continue
        for shown in (heading, answers):
            plan.roles[shown.pos] = Role.SECTION
            plan.ends.pop(shown.pos, None)
            plan.sections.pop(shown.pos, None)
            found.add(shown.pos)
        plan.pairs += zip(asked, answered, strict=True)
    return found


def _names(words: re.Pattern[str], text: str) -> bool:
    return words.fullmatch(split_note_id(text)[0].strip("*_:： \t")) is not None


def _numbered_items(texts: Sequence[str], start: int, end: int) -> list[NumberedItem]:
    """The numbered items, not indented, between start and end, each to the next; [] when
    anything else stands there but blank lines and the items' own lines."""
    items: list[NumberedItem] = []
    for k in range(start, end):
        item = LIST_ITEM_RE.match(texts[k])
        if item is not None and item["number"] is not None and not item["indent"]:
            items.append(NumberedItem(item["number"], k, k, item.start("text") + 1))
        elif texts[k].strip():
            if not items:
                return []
            items[-1] = NumberedItem(items[-1].number, items[-1].first, k, items[-1].col)
    return items


def paired_draft(reader: Reader, asked: NumberedItem, answered: NumberedItem) -> Draft:
    """The note of a numbered question and its numbered answer (see `paired_sections`)."""
    texts = reader.texts
    for k in range(asked.first, asked.last + 1):
        reader.mark(k, Reading.QUESTION if texts[k].strip() else Reading.BLANK)
    for k in range(answered.first, answered.last + 1):
        reader.mark(k, Reading.ANSWER if texts[k].strip() else Reading.BLANK)
    first = reader.indices[asked.first]
    draft = Draft(
        first, asked.col, [texts[asked.first][asked.col - 1 :].strip()], [(first, asked.col)]
    )
    for k in range(asked.first + 1, asked.last + 1):
        if texts[k].strip():
            draft.question.append(texts[k].strip())
            draft.question_at.append((reader.indices[k], 1))
    lines = [
        texts[answered.first][answered.col - 1 :],
        *texts[answered.first + 1 : answered.last + 1],
    ]
    draft.markdown = "\n".join(lines)
    draft.markdown_at = tuple(reader.indices[answered.first : answered.last + 1])
    draft.strong = True
    return draft


def question_draft(
    reader: Reader, heading: Heading, end: int, leads_to: Heading | None = None
) -> Draft:
    """The draft of a question heading: its section is the answer, in full Markdown; with
    the heading it `leads_to` (see `leads_into`) as the question's second line.

    mdanki's `%` line splits what is asked (above it, shown under the heading) from the
    answer; mdanki's `[#tag]()` lines tag the note; an answer written only as deeper headings
    (`# Question` / `## Answer`) is read as answer lines.
    """
    k = heading.pos
    if leads_to is None and (labelled := _labelled_card(reader, k, end)) is not None:
        return _labelled_draft(reader, k, end, *labelled)
    if leads_to is None and (titled := _titled_card(reader, heading, end)) is not None:
        return _titled_draft(reader, heading, end, *titled)
    forced = FORCED_RE.match(heading.text)
    text, col = heading.text, heading.col
    if forced and label_kind(forced) in "QC":
        col += forced.start("text")
        text = forced["text"].strip()
    elif heading.list_number:  # `### 3. What is a closure?`: the number is the list's
        col += heading.list_number
        text = text[heading.list_number :]
    reader.mark(k, Reading.QUESTION)
    draft = Draft(reader.indices[k], col, [text], [(reader.indices[k], col)], heading=True)
    draft.list_cloze = bool(forced and label_kind(forced) == "C")
    if leads_to is not None:
        k = leads_to.pos
        reader.mark(k, Reading.QUESTION)
        draft.question.append(leads_to.text)
        draft.question_at.append((reader.indices[k], leads_to.col))
        draft.strong = True
    kept = []
    for j in range(k + 1, end):
        line = reader.texts[j]
        tags = line_tags(line) if j not in reader.body.in_block else None
        if tags is not None:
            draft.tags += tags[0]
            reader.mark(j, Reading.TAGS)
        elif PERCENT_RE.match(line) and j not in reader.body.in_block:
            reader.mark(j, Reading.SEPARATOR)
            for i in kept:  # what stands above `%` is asked, not answered
                if reader.texts[i].strip():
                    draft.question.append(reader.texts[i].strip())
                    draft.question_at.append((reader.indices[i], 1))
                    reader.mark(i, Reading.QUESTION)
            kept = []
        else:
            kept.append(j)
            reader.mark(j, Reading.ANSWER if line.strip() else Reading.BLANK)
    while kept and (
        not reader.texts[kept[-1]].strip()
        or RULE_LINE_RE.match(reader.texts[kept[-1]])
        or spacer(reader.texts[kept[-1]])
        or empty_item(reader.texts[kept[-1]])
    ):
        # rules, line breaks and bullets left empty are no part of an answer
        if reader.texts[(j := kept.pop())].strip():
            reader.mark(j, Reading.IGNORED)
    while kept and not reader.texts[kept[0]].strip():
        kept.pop(0)
    content = [j for j in kept if reader.texts[j].strip()]
    shown: dict[int, str] = {}  # lines of the answer shown otherwise (a label taken off)
    if (fold := _folded_answer_at(reader, kept)) is not None:
        _ask_prompt(reader, draft, kept[:fold])  # above a folded answer
        kept = kept[fold:]
    elif (labelled := _labelled_answer_at(reader, kept)) is not None and (
        labelled[0] == 0 or reads_as_question(text)
    ):
        at, label = labelled
        if at:
            _ask_prompt(reader, draft, kept[:at])  # above the labelled answer
            kept = kept[at:]
        shown[kept[0]] = label  # the answer's label is not shown: the card's back says it
    elif (
        ticked := _ticked_options(
            reader, kept, bold := _titles_card(heading) and _bold_quizzes(reader)
        )
    ) is not None:
        kept, shown = _ask_options(reader, draft, kept, *ticked, bold)
    if content and all(ATX_HEADING_RE.match(reader.texts[j]) for j in content):
        _answer_written_as_headings(reader, draft, content)
    else:
        lines = [(j, shown.get(j, text)) for j, text in _unfolded(reader, kept)]
        draft.markdown = "\n".join(text for _, text in lines)
        draft.markdown_at = tuple(reader.indices[j] for j, _ in lines)
        if (notes := _line_notes_in(reader, kept)) is not None:
            reader.diagnostics.append(
                warning(
                    reader.location(notes),
                    f'the answer to "{text}" holds lines that read as questions with their '
                    "answers, like this one; if they are notes of their own, put them under "
                    "a heading that is no question (a section)",
                )
            )
        elif len(labelled_questions := _question_labels_in(reader, kept)) >= 2:
            reader.diagnostics.append(
                warning(
                    reader.location(labelled_questions[0]),
                    f'the answer to "{text}" holds {len(labelled_questions)} `Q:` lines, like '
                    "this one; if they are notes of their own, give each its own heading",
                )
            )
        elif len(asked := _question_items_in(reader, kept)) >= QUESTION_ITEMS:
            reader.diagnostics.append(
                warning(
                    reader.location(asked[0]),
                    f'the answer to "{text}" holds {len(asked)} list items that end with `?`, '
                    "like this one; if they are questions with their answers, write each as "
                    "`- Question?` with its answer indented under it, after a blank line",
                )
            )
    return draft


LEADING_NUMBER_RE = lazy_pattern(r"^(\d{1,9})([.)])(?=[ \t])")
"""A question's number, which Markdown would read as a numbered list's."""


def _folded_answer_at(reader: Reader, kept: Sequence[int]) -> int | None:
    """Where in `kept` (a question heading's text) its answer starts, when the text ends with
    a `<details>` block that labels the answer (`<summary>Antwort</summary>`) and holds a
    prompt above it (code, options): the prompt is part of the question. None otherwise."""
    content = [i for i, j in enumerate(kept) if reader.texts[j].strip()]
    if len(content) < 2:
        return None
    for i in content[1:]:
        j = kept[i]
        if "<" not in reader.texts[j][:4] or j in reader.body.in_block:
            continue
        block = read_details(reader.texts, j, kept[-1] + 1)
        if block is not None and block.labels_answer and block.end >= kept[content[-1]]:
            return i
    return None


def _ask_prompt(reader: Reader, draft: Draft, prompt: list[int]) -> None:
    r"""The prompt above an answer (code, options) is asked, not answered: shown under the
    heading's question, which is read as Markdown then, its number no list's (`1\. Was
    wird…`); a check marking the right option (`✅`) is not shown there."""
    draft.question[0] = LEADING_NUMBER_RE.sub(r"\1\\\2", draft.question[0], count=1)
    while prompt and not reader.texts[prompt[-1]].strip():
        prompt.pop()
    draft.question.append("")
    draft.question_at.append(draft.question_at[-1])
    for j in prompt:
        text = reader.texts[j]
        draft.question.append(text if j in reader.body.in_block else unmarked(text))
        draft.question_at.append((reader.indices[j], 1))
        reader.mark(j, Reading.QUESTION if reader.texts[j].strip() else Reading.BLANK)


def _marked_option(text: str, bold: bool) -> tuple[bool, str] | None:
    """A quiz's option and whether it is marked right: a task list item, ticked or not
    (`- [x] 8`); when `bold` marks them, a list item, right when wholly in bold (`- **8**`)."""
    if "[" in text[:8] and (box := TICKED_OPTION_RE.match(text)):
        return box["tick"] != " ", box["text"].strip()
    if bold and (item := PLAIN_OPTION_RE.match(text)):
        inner = BOLD_WHOLE_RE.fullmatch(item["text"].strip())
        return (True, inner["text"]) if inner else (False, item["text"].strip())
    return None


PLAIN_OPTION_RE = lazy_pattern(r" {0,3}[-*+][ \t]+(?!\[[ xX]\])(?P<text>\S.*)")
BOLD_WHOLE_RE = lazy_pattern(r"(\*\*|__)(?P<text>[^*_\s](?:(?!\1).)*?)\1[.;]?")


BOLD_QUIZZES = 2
"""Runs of options marked right in bold from which a file is a bank of such quizzes."""


def _bold_quizzes(reader: Reader) -> bool:
    """Whether the file marks its quizzes' right options in bold: two runs at least of list
    items one after another, some wholly in bold and some not (one such list alone may be
    an answer's emphasis: `- **Alliances**` among the causes of a war)."""

    def work_out() -> bool:
        runs, marks = 0, set()
        for text in (*reader.body.texts, ""):
            option = _marked_option(text, True) if text[:1] in "-*+ " else None
            if option is not None and "[" not in text[:8]:
                marks.add(option[0])
                continue
            runs += len(marks) == 2
            marks = set()
        return runs >= BOLD_QUIZZES

    return reader.file_fact("bold quizzes", work_out)


def _ticked_options(reader: Reader, kept: Sequence[int], bold: bool) -> tuple[int, int] | None:
    """The first and last places in `kept` (a question heading's text) of a quiz's options
    written as task list items, some ticked as right and some not (`- [ ] 6`, `- [x] 8`),
    or, when `bold` marks them (under a heading that only numbers its card), as list items,
    some wholly in bold and some not: one run of them, blank lines between allowed. None
    when there is no such run, or more than one (several questions' options in one text)."""
    runs: list[list[int]] = []
    marks: list[bool] = []
    for i, j in enumerate(kept):
        if j in reader.body.in_block or (option := _marked_option(reader.texts[j], bold)) is None:
            continue
        if runs and all(not reader.texts[b].strip() for b in kept[runs[-1][-1] + 1 : i]):
            runs[-1].append(i)
        else:
            runs.append([i])
            marks.clear()
        marks.append(option[0])
    if len(runs) != 1 or len(runs[0]) < QUIZ_OPTIONS:
        return None
    return (runs[0][0], runs[0][-1]) if set(marks) == {True, False} else None


def _ask_options(
    reader: Reader, draft: Draft, kept: list[int], first: int, last: int, bold: bool
) -> tuple[list[int], dict[int, str]]:
    """A quiz's marked options (see `_ticked_options`) are asked under the question, with
    whatever stands above them (code), their boxes and bold left out so that none gives the
    answer away; the marked ones answer, with whatever follows them (an explanation, a
    source). Returns the answer's lines, the marked options then the rest, and how the
    options show there: the right one alone as its text, several right ones as a list."""
    marked = {j: _marked_option(reader.texts[j], bold) for j in kept[first : last + 1]}
    options = {j: option for j, option in marked.items() if option is not None}
    _ask_prompt(reader, draft, kept[:first])
    if bold and any(reader.texts[j].strip() for j in kept[:first]):
        # Under a heading that only numbers its card, the prompt asks, the number no part of
        # it; a blank line under the prompt keeps the options a list.
        del draft.question[:2], draft.question_at[:2]
        draft.question.append("")
        draft.question_at.append(draft.question_at[-1])
    for j, (_, text) in options.items():  # each as a plain list item (`- [x] 8` → `- 8`)
        draft.question.append(f"- {text}")
        draft.question_at.append((reader.indices[j], 1))
        reader.mark(j, Reading.QUESTION)
    right = [j for j, (is_right, _) in options.items() if is_right]
    for j in right:
        reader.mark(j, Reading.ANSWER)
    shown = {j: options[j][1] if len(right) == 1 else f"- {options[j][1]}" for j in right}
    return [*right, *kept[last + 1 :]], shown


def _labelled_answer_at(reader: Reader, kept: Sequence[int]) -> tuple[int, str] | None:
    """Where in `kept` (a question heading's text) its answer starts, when a line there is
    labelled as the answer by a word or in bold (`**Answer:** False`, `> **Réponse :** …`),
    and that line's text without its label. Whatever stands above it (code, options) is
    part of the question. None when a line above asks, or several answers are labelled."""
    for i, j in enumerate(kept):
        text = reader.texts[j]
        if j in reader.body.in_block or not text.strip():
            continue
        if asks(text) or _question_label(reader, j):
            return None  # a question above: notes of their own, or a quiz's, not a prompt
        if (label := _answer_label(reader, j)) is None:
            continue
        if any(_answer_label(reader, later) for later in kept[i + 1 :]):
            return None  # several answers: several questions in one text, not one prompt
        if not label["text"].strip():  # a label over its answer (`**Answer:**`, then code)
            return (i, "") if i else None
        return i, text[: label.start()] + label["text"]  # a quote's mark kept
    return None


def _answer_label(reader: Reader, j: int) -> re.Match[str] | None:
    """Line j's answer label, a word or in bold (`**Answer:**`, `> Réponse :`), outside code;
    not a bare `A:`, which may be a quiz's first option, nor `A.`."""
    text = reader.texts[j]
    if j in reader.body.in_block or not text.strip():
        return None
    quote = QUOTE_MARK_RE.match(text)
    forced = FORCED_RE.match(text, quote.end() if quote else 0)
    if forced is None or forced["dot"] or label_kind(forced) in "QC":
        return None
    return forced if len(forced["kind"]) > 1 or forced["bold"] else None


# A quote's mark (`> `), before the label of an answer written as a quote.
QUOTE_MARK_RE = lazy_pattern(r" {0,3}>[ \t]?")


def _question_label(reader: Reader, j: int) -> re.Match[str] | None:
    """Line j's `Q:`-like label (`Q:`, `**Question**:`, `C:`), outside code."""
    if j in reader.body.in_block:
        return None
    forced = FORCED_RE.match(reader.texts[j])
    return forced if forced is not None and label_kind(forced) in "QC" else None


def _question_labels_in(reader: Reader, kept: Sequence[int]) -> list[int]:
    """The lines of an answer that open with a `Q:`-like label."""
    return [j for j in kept if reader.texts[j][:1] in "*_QCFPD" and _question_label(reader, j)]


def _labelled_card(reader: Reader, k: int, end: int) -> tuple[int, int] | None:
    """A heading that names a card whose question and answer are labelled under it
    (`### Card 3: Mitosis`, then `**Q**: …`, then `**A**: …`): the `Q:` line, which must be
    the section's first text and its only `Q:` line, and the first `A:` line after it."""
    texts = reader.texts
    first = next((j for j in range(k + 1, end) if texts[j].strip()), None)
    if first is None or _question_label(reader, first) is None:
        return None
    answer = None
    for j in range(first + 1, end):
        if j in reader.body.in_block or texts[j][:1] not in "*_ACRQFPD":
            continue
        forced = FORCED_RE.match(texts[j])
        if forced is None:
            continue
        if label_kind(forced) in "QC":
            return None  # several labelled questions: notes of their own, not one card
        if answer is None:
            answer = j
    return (first, answer) if answer is not None else None


def _labelled_draft(reader: Reader, k: int, end: int, asked: int, answered: int) -> Draft:
    """The draft of a card named by its heading: the `Q:` line (and the lines up to `A:`) is
    the question, the `A:` line's text and the rest of the section the answer, in full
    Markdown; the heading is not shown, as a section's is not."""
    texts, indices = reader.texts, reader.indices
    reader.mark(k, Reading.SECTION)
    forced = FORCED_RE.match(texts[asked])
    assert forced is not None
    col = forced.start("text") + 1
    draft = Draft(indices[asked], col, [forced["text"].strip()], [(indices[asked], col)])
    draft.heading, draft.strong = True, True
    draft.list_cloze = label_kind(forced) == "C"
    reader.mark(asked, Reading.QUESTION)
    for j in range(asked + 1, answered):
        line = texts[j]
        if line.strip():
            if not draft.question[0]:  # `**Enunciado:**` alone: its question is below it
                draft.question.clear(), draft.question_at.clear()
            draft.question.append(line.strip())
            draft.question_at.append((indices[j], len(line) - len(line.lstrip()) + 1))
        reader.mark(j, Reading.QUESTION if line.strip() else Reading.BLANK)
    label = FORCED_RE.match(texts[answered])
    assert label is not None
    reader.mark(answered, Reading.ANSWER)
    _answer_below(reader, draft, answered, label["text"].strip(), end)
    return draft


def _answer_below(reader: Reader, draft: Draft, answered: int, first: str, end: int) -> None:
    """A card's answer: `first` (the text of its `A:` line `answered`, if any) and the rest
    of its section up to `end`, in full Markdown, tags and closing rules aside."""
    texts, indices = reader.texts, reader.indices
    kept = []
    for j in range(answered + 1, end):
        tags = line_tags(texts[j]) if j not in reader.body.in_block else None
        if tags is not None:
            draft.tags += tags[0]
            reader.mark(j, Reading.TAGS)
        else:
            kept.append(j)
            reader.mark(j, Reading.ANSWER if texts[j].strip() else Reading.BLANK)
    while kept and (not texts[kept[-1]].strip() or RULE_LINE_RE.match(texts[kept[-1]])):
        kept.pop()  # rules between cards close an answer, they are not part of it
    lines = [(answered, first), *_unfolded(reader, kept)]
    if not lines[0][1]:  # `**A**:` alone on its line, the answer under it
        lines = lines[1:]
    while lines and not lines[0][1].strip():
        lines = lines[1:]
    draft.markdown = "\n".join(text for _, text in lines)
    draft.markdown_at = tuple(indices[j] for j, _ in lines)


def _unfolded(reader: Reader, kept: Sequence[int]) -> list[tuple[int, str]]:
    """An answer's lines (positions, text) with its `<details>` blocks unfolded: their text,
    not their tags (marked as comments)."""
    lines, tags = unfold(reader.texts, kept)
    for j in tags:
        reader.mark(j, Reading.COMMENT)
    return lines


def _titled_card(reader: Reader, heading: Heading, end: int) -> tuple[int, int] | None:
    """A heading that only numbers a card, its question written under it (`## Question 2`,
    `**Que fait ls ?**`, the answer): the first and last lines of that question, its first
    line when it is in bold or ends with `?`, else its first paragraph (up to a blank line, an
    `A:` line or a folded answer), when an answer follows."""
    title = heading.text.strip("*_ \t")
    # `### Question 1: Emissioni di CO2`: numbered, and a topic; the question under it asks
    numbered = NUMBERED_TITLE_RE.match(title)
    topic = (
        numbered is not None
        and numbered[0].rstrip()[-1:] in ":.)-"
        and numbered.end() < len(title)
        and not reads_as_question(title[numbered.end() :])  # (`### Q5. What is a closure?`)
    )
    if not _titles_card(heading) and not topic:
        return None
    # `## Frage`, its question under it, not numbered
    bare = BARE_TITLE_RE.fullmatch(title) is not None
    texts = reader.texts
    first = next((j for j in range(heading.pos + 1, end) if texts[j].strip()), None)
    if first is None or _is_structure(reader, first):
        return None
    if _names_front(heading):
        # `### Front`: all its text is the front, down to the heading labelling the back
        back = next((j for j in range(first, end) if _labels_back(reader, j)), None)
        if back is None:
            return None
        return first, max(j for j in range(first, back) if texts[j].strip())
    last = first
    line = texts[first].strip()
    whole = (line.startswith("**") and line.endswith("**")) or asks(line)
    while not whole and last + 1 < end and texts[last + 1].strip():
        if _is_structure(reader, last + 1):
            break
        last += 1
    if topic and not _titles_card(heading) and not asks(texts[last]):
        return None  # (the topic's text is its answer, as any heading's)
    if _ticked_options(reader, range(last + 1, end), _bold_quizzes(reader)) is not None:
        return None  # a quiz's options marked right or not: asked with the prompt above them
    options = _options_after(reader, last, end)
    if not bare and not any(texts[j].strip() for j in range(options + 1, end)):
        return None  # (a bare `## Question` over no answer: a question without one, said)
    return first, options


def _titles_card(heading: Heading) -> bool:
    """Whether a heading only numbers or names a card (`## Question 2`, `### Question`), or
    names its front (`### Front`, over the front, then `### Back` over the back)."""
    return (
        heading.own_numbering
        or BARE_TITLE_RE.fullmatch(heading.text.strip("*_ \t")) is not None
        or numbers_card(heading.text)
        or _names_front(heading)
    )


def _labels_back(reader: Reader, j: int) -> bool:
    """Whether line j is a heading labelling the answer (`### Back`, `## Answer`)."""
    heading = ATX_HEADING_RE.match(reader.texts[j]) if j not in reader.body.in_block else None
    return (
        heading is not None and LABEL_RE.match((heading["text"] or "").strip("*_ \t")) is not None
    )


FRONT_TITLE_RE = lazy_pattern(r"(?:front|recto|vorderseite|anverso|frente)[ \t]*:?", re.I)
FRONT_FIRSTS = "*_FfRrVvAa"
"""How a heading naming a front may begin: a test that spares the pattern most headings."""


BARE_TITLE_RE = lazy_pattern(rf"(?:{'|'.join(QUESTION_WORDS_LABELLING)})[ \t]*:?", re.I)
"""A heading that only says a question is written under it (`## Frage`)."""


def _options_after(reader: Reader, last: int, end: int) -> int:
    """The last line of the options (`A. …`, `B. …`) listed under a question ending at
    `last`, blank lines aside: they are asked with it. `last` when none follow."""
    texts = reader.texts
    j = last + 1
    while j < end and not texts[j].strip():
        j += 1
    found = last
    while j < end and OPTION_RE.match(texts[j]):
        found, j = j, j + 1
    return found if found - last >= 2 or (found > last and j < end) else last


def _is_structure(reader: Reader, j: int) -> bool:
    """Whether line j is no question's text: a heading, a label, a folded block, code."""
    text = reader.texts[j]
    return bool(
        j in reader.body.in_block
        or ATX_HEADING_RE.match(text)
        or FORCED_RE.match(text)
        or text.lstrip().startswith("<")
        or RULE_LINE_RE.match(text)
    )


def _titled_draft(reader: Reader, heading: Heading, end: int, first: int, last: int) -> Draft:
    """The draft of a card numbered by its heading: the lines under it up to `last` ask, the
    rest of its section answers (an `A:` label opening it is not shown)."""
    texts, indices = reader.texts, reader.indices
    reader.mark(heading.pos, Reading.SECTION)
    col = len(texts[first]) - len(texts[first].lstrip()) + 1
    draft = Draft(indices[first], col, [], [], heading=True)
    draft.strong = True
    for j in range(first, last + 1):
        if not texts[j].strip():
            reader.mark(j, Reading.BLANK)
            continue
        item = LIST_ITEM_RE.match(texts[j])
        text = item["text"] if item is not None else texts[j].strip()
        draft.question.append(text.strip())
        draft.question_at.append((indices[j], len(texts[j]) - len(text) + 1))
        reader.mark(j, Reading.QUESTION)
    answered = next((j for j in range(last + 1, end) if texts[j].strip()), last)
    label = _answer_labelled(texts[answered]) if answered > last else None
    if answered > last and _labels_back(reader, answered):
        reader.mark(answered, Reading.SEPARATOR)  # `### Suggested Answer`: the answer's title
        _answer_below(reader, draft, answered, "", end)
    elif label is not None:
        reader.mark(answered, Reading.ANSWER)
        _answer_below(reader, draft, answered, label, end)
    else:
        _answer_below(reader, draft, last, "", end)
    _marked_option_answers(reader, draft)
    return draft


def _marked_option_answers(reader: Reader, draft: Draft) -> None:
    """A card's question holding a quiz's options, the right ones marked by a check after
    them (`b) Le jour de gloire est arrivé ✓`), some marked and some not: the checks are
    not shown on the front; with no answer written under them, the marked options are the
    answer (one as its text, several as a list)."""
    options = [i for i, text in enumerate(draft.question) if i and OPTION_RE.match(text)]
    marked = [i for i in options if right_marked(draft.question[i]) is not None]
    if len(options) < QUIZ_OPTIONS or not marked or len(marked) == len(options):
        return
    right = [unmarked(draft.question[i]) for i in marked]
    for i in options:
        draft.question[i] = unmarked(draft.question[i])
    if draft.markdown is not None and draft.markdown.strip():
        return  # answered under them: the marks were the author's reminder
    draft.markdown = right[0] if len(right) == 1 else "\n".join(f"- {text}" for text in right)
    draft.markdown_at = tuple(draft.question_at[i][0] for i in marked)
    for index in draft.markdown_at:
        reader.readings[index] = Reading.ANSWER


def _answer_labelled(text: str) -> str | None:
    """The text of a line labelled as an answer (`A: …`, `**Réponse :** …`), its label
    taken off; in a line wholly in bold, the label may open the bold (`**Resposta: b)**`,
    shown in bold still). None when the line has no such label."""
    label = FORCED_RE.match(text)
    if label is not None:
        return label["text"].strip() if label_kind(label) in "AR" else None
    return bold_answer(text)


QUESTION_ITEMS = 3
"""List items ending with `?` in one answer from which it may hold notes of its own."""


def _question_items_in(reader: Reader, kept: Sequence[int]) -> list[int]:
    """The list items of an answer (outside code) whose text ends with `?`."""
    found = []
    for j in kept:
        item = LIST_ITEM_RE.match(reader.texts[j]) if j not in reader.body.in_block else None
        if item is not None and item["text"].strip().rstrip("*_ \t").endswith(QUESTION_MARKS):
            found.append(j)
    return found


def _line_notes_in(reader: Reader, kept: Sequence[int]) -> int | None:
    """The first of two or more paragraphs, in an answer, that read as line-style notes: a
    line ending with `?`, then one to three lines of answer, right under it or as the next
    paragraph."""
    found = []
    paragraphs: list[tuple[int, int]] = []
    start = None
    for j in [*kept, None]:
        if j is not None and reader.texts[j].strip() and j not in reader.body.in_block:
            start = j if start is None else start
            continue
        if start is not None:
            paragraphs.append((start, j - 1 if j is not None else kept[-1]))
        start = None
    for i, (start, last) in enumerate(paragraphs):
        first = reader.texts[start]
        plain = not (ATX_HEADING_RE.match(first) or LIST_ITEM_RE.match(first) or first[:1] in "|>")
        if not plain or not first.strip().endswith(QUESTION_MARKS):
            continue
        if last == start and i + 1 < len(paragraphs):  # its answer as the next paragraph
            following, end = paragraphs[i + 1]
            last = start + min(end - following + 1, 4) if not asks(reader.texts[end]) else start
        if 1 <= last - start <= 3:
            found.append(start)
    return found[0] if len(found) >= 2 else None


def _answer_written_as_headings(reader: Reader, draft: Draft, content: list[int]) -> None:
    """`## 1. Tester des systèmes…` under `# Question ?`: each heading is an answer line."""
    indents: list[int] = []
    for j in content:
        match = ATX_HEADING_RE.match(reader.texts[j])
        text = (match["text"] or "").strip() if match else ""
        if (label := FORCED_RE.match(text)) and label_kind(label) in "AR" and label["text"].strip():
            text = label["text"].strip()  # `### A: Konrad Adenauer`: the label is not shown
        item = LIST_ITEM_RE.match(text)
        if item is None:
            indents.clear()
        draft.answer.append(item_line(item, indents) if item else AnswerLine(text))
        draft.answer_at.append(((reader.indices[j], reader.texts[j].find(text) + 1),))
