"""Cloze syntax: Anki's `{{c1::text}}` / `{{c1::text::hint}}` and the `==text==` shorthand. Pure.

Code is never cloze: `{{`, `==` and `::` inside code spans and fenced code blocks are
literal text, and so is `==` inside math. Scanning therefore works on a masked copy of the
text in which code and math are blanked out, so that offsets still point into the original.

Every scan is linear in the text: deletions are paired with their `}}` in one pass with a
stack, and a `==` shorthand looks for its closing `==` at most once per stretch of text.
Deletions nested more than MAX_DEPTH deep, and numbers above MAX_NUMBER, are problems
rather than work without end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .literals import MASK, mask, mask_literals
from .patterns import lazy_pattern

OPEN_RE = lazy_pattern(r"\{\{c(\d+)::")
DELIMITER_RE = lazy_pattern(r"\{\{c(\d+)::|\}\}")
HINT_DELIMITER_RE = lazy_pattern(r"\{\{c\d+::|\}\}|::")
HIGHLIGHT_CLOSE_RE = lazy_pattern(r"(?<=[^\s=])==(?!=)")
HIGHLIGHT_RE = lazy_pattern(r"==(.*)==", re.S)
"""A shorthand found by `highlights`, as a match (its text is group 1)."""
SPACE_RE = lazy_pattern(r"\s")
MAX_NUMBER = 500
"""Anki makes no card above c500 (it files higher numbers under card 500)."""
MAX_DEPTH = 8
"""Deletions inside deletions, at most this many levels deep."""


@dataclass(frozen=True)
class Deletion:
    """One `{{cN::…}}` deletion found in a text."""

    number: int
    start: int
    end: int
    """Offsets of the whole `{{…}}` in the text."""
    content: str
    """What the card hides (the hint excluded)."""


@dataclass(frozen=True)
class Problem:
    offset: int
    message: str


class _Pair(NamedTuple):
    """An opening `{{cN::` and the `}}` that closes it (nesting aware)."""

    start: int
    inner: int
    """Just past the opening `::`."""
    end: int | None
    """Just past the closing `}}`; None when unclosed."""
    digits: str
    depth: int
    """How many deletions (closed or not) it stands in."""


def _pairs(masked: str) -> list[_Pair]:
    """Every opening `{{cN::`, in order, with its closing `}}`: one pass with a stack."""
    found: list[list] = []
    open_ones: list[int] = []
    for match in DELIMITER_RE.finditer(masked):
        if match[1] is not None:
            open_ones.append(len(found))
            found.append([match.start(), match.end(), None, match[1], len(open_ones) - 1])
        elif open_ones:
            found[open_ones.pop()][2] = match.end()
    return [_Pair._make(pair) for pair in found]


def scan(text: str) -> tuple[list[Deletion], list[Problem]]:
    """Every deletion outside code, and every malformed one."""
    if "{{c" not in text:
        return [], []
    deletions, problems = _scanned(text)
    return list(deletions), list(problems)


@lru_cache(maxsize=64)
def _scanned(text: str) -> tuple[tuple[Deletion, ...], tuple[Problem, ...]]:
    """`scan`, remembered: parsing, rendering and checking a note each scan its text."""
    deletions: list[Deletion] = []
    problems: list[Problem] = []
    for pair in _pairs(mask_literals(text)):
        if pair.depth > MAX_DEPTH:
            continue  # inside one already reported
        if pair.depth == MAX_DEPTH:
            message = f"cloze deletions nested more than {MAX_DEPTH} deep"
            problems.append(Problem(pair.start, message))
            continue
        if pair.end is None:
            message = f"unclosed cloze `{{{{c{_shown(pair.digits)}::`: add `}}}}` after the text"
            problems.append(Problem(pair.start, message))
            continue
        number = int(pair.digits) if len(pair.digits) <= 4 else MAX_NUMBER + 1
        hidden = split_hint(text[pair.inner : pair.end - 2])[0]
        if number == 0:
            problems.append(Problem(pair.start, "cloze numbers start at c1, not c0"))
        elif number > MAX_NUMBER:
            message = (
                f"cloze number c{_shown(pair.digits)} is too high: "
                f"Anki makes cards up to c{MAX_NUMBER}"
            )
            problems.append(Problem(pair.start, message))
        elif not hidden.strip():
            problems.append(Problem(pair.start, f"empty cloze deletion `c{number}`"))
        else:
            deletions.append(Deletion(number, pair.start, pair.end, hidden))
    return tuple(deletions), tuple(problems)


def _shown(digits: str) -> str:
    return digits if len(digits) <= 8 else digits[:8] + "…"


class _NextClose:
    """The first closing `==` at or after a position, for positions that only grow: a search
    that found nothing, or found one further on, is not repeated."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.searched = False
        self.found = -1

    def at_or_after(self, position: int) -> int:
        if not self.searched or 0 <= self.found < position:
            self.searched = True
            match = HIGHLIGHT_CLOSE_RE.search(self.text, position)
            self.found = match.start() if match else -1
        return self.found


# Never a third `=` beside the pair: `===`, `!==` and `==`+`=` are operators (`使用 ===或!==`).
HIGHLIGHT_OPEN_RE = lazy_pattern("(?<!=)==")
WRITTEN_OPEN_RE = lazy_pattern(r"(?<!=)==c(\d+)::")


def _highlight_spans(text: str, opening: re.Pattern[str] = HIGHLIGHT_OPEN_RE) -> list[_Span]:
    """Each `==text==` (or, with WRITTEN_OPEN_RE, `==c1::text==`), left to right: the text
    starts and ends with neither a space nor `=`, and stays on one line."""
    spans = []
    close = _NextClose(text)
    newline = -1
    position = 0
    while start := opening.search(text, position):
        inner = start.end()
        first = text[inner : inner + 1]
        if not first or first == "=" or SPACE_RE.match(first):
            position = start.start() + 1
            continue
        end = close.at_or_after(inner + 1)
        if newline < start.start():
            newline = text.find("\n", start.start())
            newline = len(text) if newline < 0 else newline
        if end < 0 or newline < end:
            position = start.start() + 1
            continue
        spans.append(_Span(start.start(), end + 2, start))
        position = end + 2
    return spans


class _Span(NamedTuple):
    start: int
    end: int
    """Just past the closing `==`."""
    opening: re.Match[str]

    @property
    def inner(self) -> tuple[int, int]:
        return self.opening.end(), self.end - 2


def highlights(text: str) -> list[re.Match[str]]:
    """The `==text==` shorthands outside code and outside `{{…}}` deletions."""
    if "==" not in text:
        return []
    return list(_highlights(text))


@lru_cache(maxsize=64)
def _highlights(text: str) -> tuple[re.Match[str], ...]:
    """`highlights`, remembered like `scan`."""
    literal = masked = mask_literals(text)
    if "{{c" in text:
        masked = mask(literal, [(d.start, d.end) for d in scan(text)[0]])
    matches = []
    for span in _highlight_spans(masked):
        inner = text[span.inner[0] : span.inner[1]]
        if masked.find(MASK, span.start, span.end) < 0 or (
            masked[span.start : span.end] == literal[span.start : span.end] and holds(inner)
        ):
            matches.append(HIGHLIGHT_RE.fullmatch(text, span.start, span.end))
    return tuple(matches)  # type: ignore[arg-type]


def without_highlights(text: str) -> str:
    """Each `==text==` shorthand as its text alone, where a tool means it as a highlight, not
    a deletion (Logseq, whose deletions are `{{cloze …}}`)."""
    pieces, last = [], 0
    for match in highlights(text):
        pieces += [text[last : match.start()], match[1]]
        last = match.end()
    return "".join(pieces) + text[last:] if pieces else text


def holds(inner: str) -> bool:
    """Whether a deletion can hide this text, math or code in it (`==mass $m$==`): Anki's
    deletion would end at a `}}` in it (`$\frac{1}{2}}$`), and take what follows a `::` in it
    for a hint."""
    return "}}" not in inner and "::" not in inner and not inner.endswith("}")


CURLY_RE = lazy_pattern(r"\{\{(?!c\d+::)([^{}\n]+)\}\}")
"""Obsidian Spaced Repetition's curly deletion, `{{text}}` (not Anki's `{{c1::text}}`)."""


def curly_as_highlights(text: str) -> str:
    """`{{text}}`, the plugin's curly deletion, as the highlight it is the same as
    (`==text==`: the next number), outside code and math; the same length, so columns stay."""
    if "{{" not in text:
        return text
    masked = mask_literals(text)
    pieces = []
    last = 0
    for match in CURLY_RE.finditer(masked):
        inner = text[match.start(1) : match.end(1)]
        if (MASK in match[0] and not holds(inner)) or "==" in match[1]:
            continue
        pieces += [text[last : match.start()], f"=={text[match.start(1) : match.end(1)]}=="]
        last = match.end()
    return "".join(pieces) + text[last:]


def written_highlights(text: str) -> str:
    """`==c1::text==` (Obsidian_to_Anki's highlight with its number written) as `{{c1::text}}`;
    outside code and math, as everywhere."""
    if "==c" not in text:
        return text
    masked = mask_literals(text)
    pieces = []
    last = 0
    for span in _highlight_spans(masked, WRITTEN_OPEN_RE):
        if masked.find(MASK, span.start, span.end) >= 0:
            continue
        inner = text[slice(*span.inner)]
        pieces += [text[last : span.start], f"{{{{c{span.opening[1]}::{inner}}}}}"]
        last = span.end
    return "".join(pieces) + text[last:]


def may_hold_cloze(text: str) -> bool:
    """A cheap first look: without `{{c` or `==` there is nothing to scan."""
    return "{{c" in text or "==" in text


def has_cloze(text: str) -> bool:
    if not may_hold_cloze(text):
        return False
    deletions, problems = scan(text)
    return bool(deletions or problems or highlights(text))


def numbers(text: str) -> set[int]:
    if "{{c" not in text:
        return set()
    return {deletion.number for deletion in scan(text)[0]}


# hashcards' deletions: `[text]` that is no link, image, page link, footnote or checkbox.
BRACKET_RE = lazy_pattern(r"(?<![\\!\[\]])\[(?![\s^xX]\])([^\[\]\n^][^\[\]\n]*)\](?![(\[:])")


def brackets_as_highlights(text: str) -> str:
    """The text with each `[deletion]` written `==deletion==` (a `C:` card of hashcards)."""
    if "[" not in text or "==" in text:
        return text
    return BRACKET_RE.sub(lambda m: f"=={m[1].strip()}==" if m[1].strip() else m[0], text)


def number_highlights(text: str, taken: set[int]) -> tuple[str, list[tuple[int, str]]]:
    """Turn each `==text==` into `{{cN::text}}` with the next number not in `taken` (updated);
    also return the (number, text) of each deletion numbered."""
    pieces = []
    numbered = []
    last = 0
    number = 1
    for match in highlights(text):
        while number in taken:
            number += 1
        taken.add(number)
        numbered.append((number, match[1]))
        pieces += [text[last : match.start()], f"{{{{c{number}::{match[1]}}}}}"]
        last = match.end()
    return "".join(pieces) + text[last:], numbered


def strip_markup(text: str) -> str:
    """The visible words of a cloze text: deletions replaced by what they hide, no hints."""
    markup = []
    for deletion in scan(text)[0]:
        hidden = text.index("::", deletion.start) + 2
        markup += [(deletion.start, hidden), (hidden + len(deletion.content), deletion.end)]
    text = _without(text, markup)
    marks = []
    for span in _highlight_spans(text):
        marks += [(span.start, span.start + 2), (span.end - 2, span.end)]
    return _without(text, marks)


def shown_around(text: str) -> str:
    """What a cloze card shows of the text besides its gaps: deletions and highlights cut
    out whole."""
    text = _without(text, [(d.start, d.end) for d in scan(text)[0]])
    return _without(text, [(span.start, span.end) for span in _highlight_spans(text)])


def _without(text: str, ranges: list[tuple[int, int]]) -> str:
    """The text with the given ranges cut out (ranges may nest)."""
    pieces = []
    last = 0
    for start, end in sorted(ranges):
        if end > last:
            pieces.append(text[last : max(start, last)])
            last = end
    return "".join(pieces) + text[last:]


def gaps(used: set[int]) -> list[int]:
    """Numbers missing below the highest one used (a warning: the card numbers skip)."""
    return [n for n in range(1, max(used, default=0)) if n not in used]


def split_hint(inner: str) -> tuple[str, str | None]:
    """A deletion's text and hint: split at the first `::` not inside a nested deletion."""
    first = inner.find("::")
    if first < 0 or inner.count("::") == inner.count("{{c") == len(OPEN_RE.findall(inner)):
        return inner, None  # no `::` but those of nested deletions' openings
    if inner.find("{{c", 0, first) < 0:
        return inner[:first], inner[first + 2 :]  # no deletion opens before it
    depth = 0
    for match in HINT_DELIMITER_RE.finditer(inner):
        token = match[0]
        if token.startswith("{{"):
            depth += 1
        elif token == "}}":
            depth = max(depth - 1, 0)
        elif not depth:
            return inner[: match.start()], inner[match.end() :]
    return inner, None


def render_card(text: str, ordinal: int, answer: bool, depth: int = 0) -> str:
    """A cloze text as Anki shows card `ordinal`: its deletions hidden as `[...]` (or the
    hint) on the front and revealed on the back, the other deletions shown as text."""
    if "{{c" not in text or depth > MAX_DEPTH:
        return text
    pieces = []
    position = 0
    for pair in _pairs(mask_literals(text)):
        if pair.end is None or pair.start < position:
            continue  # unclosed, or inside a deletion already rendered
        content, hint = split_hint(text[pair.inner : pair.end - 2])
        number = int(pair.digits) if len(pair.digits) <= 4 else 0
        shown = render_card(content, ordinal, answer, depth + 1)
        if number == ordinal:
            shown = shown if answer else f"[{hint or '...'}]"
            span = f'<span class="cloze" data-ordinal="{number}">{shown}</span>'
        else:
            span = f'<span class="cloze-inactive" data-ordinal="{number}">{shown}</span>'
        pieces += [text[position : pair.start], span]
        position = pair.end
    return "".join(pieces) + text[position:]
