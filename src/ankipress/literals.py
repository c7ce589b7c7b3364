"""Spans of a note's text that Markdown and cloze syntax must leave alone: code and math. Pure.

Code (fenced blocks and code spans) is literal text. Math (`$…$`, `$$…$$`, `\\(…\\)`,
`\\[…\\]`) must reach Anki's MathJax with every backslash, underscore and asterisk intact,
so it is lifted out of the text before Markdown runs and put back as `\\(…\\)` / `\\[…\\]`.
One scanner serves inline and display math alike, in single answer lines and in Markdown
sections.

Every scanner here runs in time linear in its text, whatever the text holds: each looks for
a closing delimiter at most once per stretch of text (a search that found nothing, or found
a closer further on, is remembered), never once per opening delimiter.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from html import escape

from .patterns import lazy_pattern

FENCE_RE = lazy_pattern(r" {0,3}(`{3,}|~{3,})")


def fence_opening(line: str) -> re.Match[str] | None:
    """The fence a line opens, as CommonMark reads it: a run of backticks whose info string
    holds a backtick opens none (```` ```jobs -l``` ```` is a line with code in it)."""
    opening = FENCE_RE.match(line)
    if opening is not None and opening[1][0] == "`" and "`" in line[opening.end() :]:
        return None
    return opening


BACKTICKS_RE = lazy_pattern(r"`+")
MASK = "\x00"
# Placeholders for lifted math and for media files stand between C1 control characters
# (PRIVATE USE ONE and TWO, SET TRANSMIT STATE, CANCEL CHARACTER), which `sources` drops from
# every line it reads: no note can hold one, so a placeholder is never confused with text a
# student typed (private-use letters, say, are ordinary text). Markdown reads them as it
# reads letters, in link addresses too, so that lifting math changes no structure.
MATH_OPEN, MATH_CLOSE = "\x91", "\x92"
MEDIA_OPEN, MEDIA_CLOSE = "\x93", "\x94"
MARKERS_RE = lazy_pattern(f"[{MATH_OPEN}{MATH_CLOSE}{MEDIA_OPEN}{MEDIA_CLOSE}]")
PLACEHOLDER_RE = lazy_pattern(f"{MATH_OPEN}(\\d+){MATH_CLOSE}")
_SPACE_RE = lazy_pattern(r"\s")
_WORD_RE = lazy_pattern(r"\w")
_MATH_START_RE = lazy_pattern(r"[$\\]")


def closes_fence(line: str, fence: str) -> bool:
    """A fence of the same character, at least as long, and nothing else on the line but
    spaces and tabs."""
    closing = FENCE_RE.match(line)
    return bool(
        closing
        and closing[1][0] == fence[0]
        and len(closing[1]) >= len(fence)
        and not line.strip(" \t" + fence[0])
    )


def fenced_blocks(lines: Sequence[str]) -> list[tuple[int, int]]:
    """(first, last) line index of every fenced code block; an unclosed one runs to the end."""
    blocks = []
    fence: str | None = None
    first = 0
    for index, line in enumerate(lines):
        if fence is None:
            if opening := fence_opening(line):
                fence, first = opening[1], index
        elif closes_fence(line, fence):
            blocks.append((first, index))
            fence = None
    if fence is not None:
        blocks.append((first, len(lines) - 1))
    return blocks


def code_span_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) of every code span, as CommonMark reads them: a run of backticks (not
    escaped by a backslash) up to the next run of exactly the same length; a run without
    one is literal text. Spans holding a MASK are dropped (they would cross masked text)."""
    runs = [(m.start(), m.end()) for m in BACKTICKS_RE.finditer(text)]
    later = _Runs(runs)
    ranges = []
    index = 0
    while index < len(runs):
        start, end = runs[index]
        if _escaped(text, start):
            start += 1  # `\`` is a literal backtick; the run opens after it
        closing = later.next_of_length(end - start, index)
        if closing is None:
            index += 1
            continue
        if text.find(MASK, start, runs[closing][1]) < 0:
            ranges.append((start, runs[closing][1]))
        index = closing + 1
    return ranges


class _Runs:
    """Backtick runs by length, to find the next run of a length after a given one; the
    runs passed are never looked at again, so all the searches together are linear."""

    def __init__(self, runs: list[tuple[int, int]]) -> None:
        self.by_length: dict[int, list[int]] = {}
        for index, (start, end) in enumerate(runs):
            self.by_length.setdefault(end - start, []).append(index)
        self.passed = dict.fromkeys(self.by_length, 0)

    def next_of_length(self, length: int, after: int) -> int | None:
        same = self.by_length.get(length)
        if not same:
            return None
        position = self.passed[length]
        while position < len(same) and same[position] <= after:
            position += 1
        self.passed[length] = position
        return same[position] if position < len(same) else None


def _escaped(text: str, position: int) -> bool:
    """Whether an odd number of backslashes stands right before `position`."""
    count = 0
    while position - count > 0 and text[position - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def code_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every fenced code block and code span."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    ranges = [
        (starts[first], starts[last] + len(lines[last])) for first, last in fenced_blocks(lines)
    ]
    ranges += code_span_ranges(mask(text, ranges))
    return sorted(ranges)


def mask(text: str, ranges: list[tuple[int, int]]) -> str:
    """The text with the given ranges replaced by NULs of the same length."""
    pieces = []
    last = 0
    for start, end in sorted(ranges):
        start = max(start, last)  # overlapping ranges (a deletion inside another)
        if end <= start:
            continue
        pieces += [text[last:start], MASK * (end - start)]
        last = end
    return "".join(pieces) + text[last:]


@dataclass(frozen=True)
class Math:
    start: int
    end: int
    tex: str
    display: bool

    def html(self) -> str:
        """MathJax delimiters around the TeX, escaped for HTML text. Double quotes too, though
        math is only put back where Markdown read text: no attribute can ever be left."""
        opening, closing = (r"\[", r"\]") if self.display else (r"\(", r"\)")
        return opening + escape(self.tex, quote=False).replace('"', "&quot;") + closing


class _NextOf:
    """The first occurrence of a string at or after a position, for positions that only grow:
    a search that found nothing, or found an occurrence further on, is not repeated."""

    def __init__(self, text: str, needle: str) -> None:
        self.text, self.needle = text, needle
        self.searched_from = -1
        self.found = -1

    def at_or_after(self, position: int) -> int:
        if self.searched_from < 0 or (self.found >= 0 and self.found < position):
            self.searched_from = position
            self.found = self.text.find(self.needle, position)
        return self.found


def find_math(text: str, code: list[tuple[int, int]] | None = None) -> list[Math]:
    """Every math span outside code, scanned left to right; at each `$` or `\\`, in this
    order: `$$…$$` (to the next `$$`), `$…$` (on one line, not touching a word, no space
    inside the dollars, as Pandoc reads it), `\\(…\\)` and `\\[…\\]` (to the next closer).
    A span that would cross code is no math, and its text is not searched again."""
    if "$" not in text and "\\(" not in text and "\\[" not in text:
        return []
    masked = mask(text, code_ranges(text) if code is None else code)
    closers = {
        "$$": _NextOf(masked, "$$"),
        "$": _NextOf(masked, "$"),
        "\\(": _NextOf(masked, "\\)"),
        "\\[": _NextOf(masked, "\\]"),
    }
    newline = _NextOf(masked, "\n")
    spans = []
    position = 0
    while start := _MATH_START_RE.search(masked, position):
        found = _math_at(masked, start.start(), closers, newline)
        if found is None:
            position = start.start() + 1
            continue
        end, tex_start, tex_end, display = found
        if masked.find(MASK, start.start(), end) < 0:
            spans.append(Math(start.start(), end, masked[tex_start:tex_end], display))
        position = end
    return spans


def _math_at(
    masked: str, at: int, closers: dict[str, _NextOf], newline: _NextOf
) -> tuple[int, int, int, bool] | None:
    """(end, TeX start, TeX end, display) of the math span starting at `at`, if one does."""
    before = masked[at - 1] if at else ""
    pair = masked[at : at + 2]
    if pair == "$$" and before not in ("\\", "$"):
        close = closers["$$"].at_or_after(at + 3)
        if close >= 0:
            return close + 2, at + 2, close, True
    if pair in ("\\(", "\\[") and before != "\\":
        close = closers[pair].at_or_after(at + 3)
        if close >= 0:
            return close + 2, at + 2, close, pair == "\\["
        return None
    if masked[at] != "$" or before in ("\\", "$") or (before and _WORD_RE.match(before)):
        return None
    first = masked[at + 1 : at + 2]
    if not first or first == "$" or _SPACE_RE.match(first):
        return None
    close = closers["$"].at_or_after(at + 2)
    if close < 0 or 0 <= newline.at_or_after(at + 1) < close:
        return None
    last = masked[close - 1]
    if close > at + 2 and (last == "\\" or _SPACE_RE.match(last)):
        return None
    after = masked[close + 1 : close + 2]
    if after == "$" or (after and _WORD_RE.match(after)):
        return None
    return close + 1, at + 1, close, False


def mask_literals(text: str) -> str:
    """The text with code and math masked: what cloze and one-liner syntax may look at."""
    code = code_ranges(text)
    return mask(text, code + [(m.start, m.end) for m in find_math(text, code)])


def lift_math(text: str, keep: Collection[int] = ()) -> tuple[str, list[Math]]:
    """Replace each math span by a placeholder Markdown leaves alone; return every span.

    Spans numbered in `keep` stay as written (where Markdown did not read them as text:
    in a link's address or title, an image's description, code, raw HTML). Placeholders are
    numbered by position in the returned list, kept spans included.
    """
    spans = find_math(text)
    if not spans:
        return text, []
    pieces = []
    last = 0
    for index, span in enumerate(spans):
        if index in keep:
            continue
        pieces += [text[last : span.start], f"{MATH_OPEN}{index}{MATH_CLOSE}"]
        last = span.end
    return "".join(pieces) + text[last:], spans


def placeholders(text: str) -> list[int]:
    """The numbers of the math placeholders in a text."""
    return [int(m[1]) for m in PLACEHOLDER_RE.finditer(text)] if MATH_OPEN in text else []


def restore_math(html: str, spans: list[Math]) -> str:
    """Put each math span back, as MathJax delimiters around the untouched TeX."""
    if not spans:
        return html

    def math(match: re.Match[str]) -> str:
        index = int(match[1])
        return spans[index].html() if index < len(spans) else ""

    return PLACEHOLDER_RE.sub(math, html)


def without_markers(text: str) -> str:
    """The text without the control characters placeholders are made of (sources drop them
    already; this keeps a text given directly from being misread)."""
    return MARKERS_RE.sub("", text) if MARKERS_RE.search(text) else text
