"""Cloze syntax: Anki's `{{c1::text}}` / `{{c1::text::hint}}` and the `==text==` shorthand. Pure.

Code is never cloze: `{{`, `==` and `::` inside code spans and fenced code blocks are
literal text, and so is `==` inside math. Scanning therefore works on a masked copy of the
text in which code and math are blanked out, so that offsets still point into the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .literals import MASK, mask_literals

OPEN_RE = re.compile(r"\{\{c(\d+)::")
HIGHLIGHT_RE = re.compile(r"==(?=[^\s=])(.*?[^\s=])==")


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


def _closing(masked: str, start: int) -> int | None:
    """Offset just past the `}}` that closes the deletion opened before `start` (nesting aware)."""
    depth = 1
    position = start
    while depth:
        next_close = masked.find("}}", position)
        if next_close < 0:
            return None
        next_open = OPEN_RE.search(masked, position, next_close)
        if next_open:
            depth += 1
            position = next_open.end()
        else:
            depth -= 1
            position = next_close + 2
    return position


def scan(text: str) -> tuple[list[Deletion], list[Problem]]:
    """Every deletion outside code, and every malformed one."""
    if "{{c" not in text:
        return [], []
    masked = mask_literals(text)
    deletions: list[Deletion] = []
    problems: list[Problem] = []
    for match in OPEN_RE.finditer(masked):
        number = int(match[1])
        end = _closing(masked, match.end())
        if end is None:
            problems.append(
                Problem(
                    match.start(), f"unclosed cloze `{{{{c{number}::`: add `}}}}` after the text"
                )
            )
            continue
        content = text[match.end() : end - 2]
        hidden = split_hint(content)[0]
        if number == 0:
            problems.append(Problem(match.start(), "cloze numbers start at c1, not c0"))
        elif not hidden.strip():
            problems.append(Problem(match.start(), f"empty cloze deletion `c{number}`"))
        else:
            deletions.append(Deletion(number, match.start(), end, hidden))
    return deletions, problems


def highlights(text: str) -> list[re.Match[str]]:
    """The `==text==` shorthands outside code and outside `{{…}}` deletions."""
    masked = mask_literals(text)
    for deletion in scan(text)[0]:
        masked = (
            masked[: deletion.start]
            + MASK * (deletion.end - deletion.start)
            + masked[deletion.end :]
        )
    return [m for m in HIGHLIGHT_RE.finditer(masked) if MASK not in m.group(0)]


WRITTEN_HIGHLIGHT_RE = re.compile(r"==c(\d+)::(?=[^\s=])(.*?[^\s=])==")


def written_highlights(text: str) -> str:
    """`==c1::text==` (Obsidian_to_Anki's highlight with its number written) as `{{c1::text}}`;
    outside code and math, as everywhere."""
    if "==c" not in text:
        return text
    masked = mask_literals(text)
    pieces = []
    last = 0
    for match in WRITTEN_HIGHLIGHT_RE.finditer(masked):
        if MASK in match.group(0):
            continue
        inner = text[match.start(2) : match.end(2)]
        pieces += [text[last : match.start()], f"{{{{c{match[1]}::{inner}}}}}"]
        last = match.end()
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


def number_highlights(text: str, taken: set[int]) -> tuple[str, list[tuple[int, str]]]:
    """Turn each `==text==` into `{{cN::text}}` with the next number not in `taken` (updated);
    also return the (number, text) of each deletion numbered."""
    pieces = []
    numbered = []
    last = 0
    for match in highlights(text):
        number = next(n for n in range(1, len(taken) + 2) if n not in taken)
        taken.add(number)
        numbered.append((number, match[1]))
        pieces += [text[last : match.start()], f"{{{{c{number}::{match[1]}}}}}"]
        last = match.end()
    return "".join(pieces) + text[last:], numbered


def strip_markup(text: str) -> str:
    """The visible words of a cloze text: deletions replaced by what they hide, no hints."""
    deletions, _ = scan(text)
    for deletion in sorted(deletions, key=lambda d: d.start, reverse=True):
        text = text[: deletion.start] + strip_markup(deletion.content) + text[deletion.end :]
    return HIGHLIGHT_RE.sub(r"\1", text)


def gaps(used: set[int]) -> list[int]:
    """Numbers missing below the highest one used (a warning: the card numbers skip)."""
    return [n for n in range(1, max(used, default=0)) if n not in used]


def split_hint(inner: str) -> tuple[str, str | None]:
    """A deletion's text and hint: split at the first `::` not inside a nested deletion."""
    depth = 0
    index = 0
    while index < len(inner):
        if OPEN_RE.match(inner, index):
            depth += 1
            index = inner.index("::", index) + 2
        elif inner.startswith("}}", index) and depth:
            depth -= 1
            index += 2
        elif inner.startswith("::", index) and not depth:
            return inner[:index], inner[index + 2 :]
        else:
            index += 1
    return inner, None


def render_card(text: str, ordinal: int, answer: bool) -> str:
    """A cloze text as Anki shows card `ordinal`: its deletions hidden as `[...]` (or the
    hint) on the front and revealed on the back, the other deletions shown as text."""
    masked = mask_literals(text)
    pieces = []
    position = 0
    for match in OPEN_RE.finditer(masked):
        if match.start() < position:
            continue  # inside a deletion already rendered
        end = _closing(masked, match.end())
        if end is None:
            continue
        content, hint = split_hint(text[match.end() : end - 2])
        number = int(match[1])
        shown = render_card(content, ordinal, answer)
        if number == ordinal:
            shown = shown if answer else f"[{hint or '...'}]"
            span = f'<span class="cloze" data-ordinal="{number}">{shown}</span>'
        else:
            span = f'<span class="cloze-inactive" data-ordinal="{number}">{shown}</span>'
        pieces += [text[position : match.start()], span]
        position = end
    return "".join(pieces) + text[position:]
