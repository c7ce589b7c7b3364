"""Spans of a note's text that Markdown and cloze syntax must leave alone: code and math. Pure.

Code (fenced blocks and code spans) is literal text. Math (`$…$`, `$$…$$`, `\\(…\\)`,
`\\[…\\]`) must reach Anki's MathJax with every backslash, underscore and asterisk intact,
so it is lifted out of the text before Markdown runs and put back as `\\(…\\)` / `\\[…\\]`.
One scanner serves inline and display math alike, in single answer lines and in Markdown
sections.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
CODE_SPAN_RE = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
# Display first, so that `$$` is never read as two empty inline spans.
MATH_RE = re.compile(
    r"(?<![\\$])\$\$(?P<dd>.+?)\$\$"
    r"|(?<![\\$\w])\$(?P<d>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?![\w$])"
    r"|(?<!\\)\\\((?P<p>.+?)\\\)"
    r"|(?<!\\)\\\[(?P<b>.+?)\\\]",
    re.S,
)
MASK = "\x00"
MATH_OPEN, MATH_CLOSE = "\ue000", "\ue001"
PLACEHOLDER_RE = re.compile(f"{MATH_OPEN}(\\d+){MATH_CLOSE}")


def fenced_blocks(lines: Sequence[str]) -> list[tuple[int, int]]:
    """(first, last) line index of every fenced code block; an unclosed one runs to the end."""
    blocks = []
    fence: str | None = None
    first = 0
    for index, line in enumerate(lines):
        opening = FENCE_RE.match(line)
        if fence is None:
            if opening:
                fence, first = opening[1], index
        elif (
            opening
            and opening[1][0] == fence[0]
            and len(opening[1]) >= len(fence)
            and not line.strip(" " + fence[0])
        ):
            blocks.append((first, index))
            fence = None
    if fence is not None:
        blocks.append((first, len(lines) - 1))
    return blocks


def code_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every fenced code block and code span."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    ranges = [
        (starts[first], starts[last] + len(lines[last])) for first, last in fenced_blocks(lines)
    ]
    outside = mask(text, ranges)
    ranges += [m.span() for m in CODE_SPAN_RE.finditer(outside) if MASK not in m.group(0)]
    return sorted(ranges)


def mask(text: str, ranges: list[tuple[int, int]]) -> str:
    """The text with the given ranges replaced by NULs of the same length."""
    pieces = []
    last = 0
    for start, end in sorted(ranges):
        if start < last:
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
        opening, closing = (r"\[", r"\]") if self.display else (r"\(", r"\)")
        return opening + escape(self.tex, quote=False) + closing


def find_math(text: str, code: list[tuple[int, int]] | None = None) -> list[Math]:
    """Every math span outside code."""
    if "$" not in text and "\\(" not in text and "\\[" not in text:
        return []
    masked = mask(text, code_ranges(text) if code is None else code)
    spans = []
    for match in MATH_RE.finditer(masked):
        if MASK in match.group(0):
            continue
        kind = match.lastgroup
        spans.append(Math(match.start(), match.end(), match[kind], kind in ("dd", "b")))
    return spans


def mask_literals(text: str) -> str:
    """The text with code and math masked: what cloze and one-liner syntax may look at."""
    code = code_ranges(text)
    return mask(text, code + [(m.start, m.end) for m in find_math(text, code)])


def lift_math(text: str) -> tuple[str, list[Math]]:
    """Replace each math span by a placeholder Markdown leaves alone; return the spans."""
    spans = find_math(text)
    if not spans:
        return text, []
    pieces = []
    last = 0
    for index, span in enumerate(spans):
        pieces += [text[last : span.start], f"{MATH_OPEN}{index}{MATH_CLOSE}"]
        last = span.end
    return "".join(pieces) + text[last:], spans


def restore_math(html: str, spans: list[Math]) -> str:
    """Put each math span back, as MathJax delimiters around the untouched TeX."""
    if not spans:
        return html
    return PLACEHOLDER_RE.sub(lambda m: spans[int(m[1])].html(), html)
