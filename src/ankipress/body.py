"""A file's body as the readers see it: HTML comments gone, code, math and table blocks marked.
Pure.

The readers never look at raw lines. They walk the body's visible lines, each keeping its
source index for locations. An HTML comment (one line or many) is removed before anything
else looks at the text, so that `<!-- CARD -->` markers, Obsidian's `<!--SR:…-->` schedules
and `#` lines inside a comment never become notes, headings or card text. A line holding
only a comment is left out altogether, as if it were not there. Fenced code and `$$` math
blocks are found in the same pass, so that a `<!--` inside code stays code, and a reader can
take a whole block (blank lines and `?` lines included) as one piece of an answer. Markdown
tables are found after it, so that a table is one piece too: its header row is never read as a
question, nor its rows as answer lines of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .literals import FENCE_RE, closes_fence, code_span_ranges, fence_opening
from .patterns import lazy_pattern
from .records import Diagnostic, SourceFile, warning

COMMENT_OPEN, COMMENT_CLOSE = "<!--", "-->"
# A line holding only a template tag of a site generator, as notes published with GitBook or
# Jekyll (`{% hint style="info" %}`, `{% endhint %}`) or Hugo (`{{< figure … >}}`) hold them.
# An Obsidian block id ending a line (`… ^1664998574938`, `^def-osmose`), by which other pages
# embed that line: never shown. Six characters at least, after a space: `2 ^10` stays text.
BLOCK_ID_RE = lazy_pattern(r"(?:^|[ \t])\^[A-Za-z0-9-]{6,}[ \t]*$")
# Mochi's card id, between the rules that end one card and start the next.
CARD_ID_RE = lazy_pattern(r"card_id:[ \t]*[\w-]+[ \t]*")
# A `<div markdown …>` (or `<section markdown …>`) tag alone on its line, saying that
# Markdown is inside, or a closing `</div>` alone: a wrapper.
WRAPPER_LINE_RE = lazy_pattern(
    r"[ \t]*(?:<(?:div|section)\s[^<>]*\bmarkdown\b[^<>]*>|</(?:div|section)>)[ \t]*",
    re.IGNORECASE,
)
# kramdown's attribute list alone on its line (`{: .no_toc }`, `{:toc}`), and the list item
# its `{:toc}` turns into the page's table of contents (`1. TOC`, `* TOC`).
ATTRIBUTE_LINE_RE = lazy_pattern(r"[ \t]*\{:[^{}]*\}[ \t]*")
TOC_ITEM_RE = lazy_pattern(r"[ \t]*(?:[-*+]|1\.)[ \t]+TOC[ \t]*")
TEMPLATE_TAG_RE = lazy_pattern(r"[ \t]*(?:\{%.*?%\}|\{\{[<%].*?[>%]\}\})[ \t]*")
# A table's second line: cells of dashes, colons for alignment, split by pipes (GFM).
TABLE_DELIMITER_RE = lazy_pattern(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
# A line that starts a block of its own (a list item, heading, quote, fence, `?` line or
# rule): it is no table row, as in Markdown, nor is it a table's header row.
OTHER_BLOCK_RE = lazy_pattern(
    r" {0,3}(?:(?:[-+*]|\d{1,9}[.)]|#{1,6})(?:[ \t]|$)|>|`{3}|~{3}|(?:\?\??|%)[ \t]*$)"
)


@dataclass(frozen=True)
class Body:
    """The visible lines of a file after its front matter, in order."""

    indices: tuple[int, ...]
    """The source index of each visible line."""
    texts: tuple[str, ...]
    """Its text, HTML comments removed."""
    block_ends: dict[int, int]
    """Position of each fenced code, `$$` or table block's first line → position of its last
    line."""
    comment_lines: tuple[int, ...]
    """Source indices of the lines that held nothing but a comment (left out)."""
    diagnostics: tuple[Diagnostic, ...] = ()
    marker_lines: tuple[int, ...] = ()
    """Source indices of the fences of ```` ```anki ```` blocks (left out: their content is
    notes, as Obsidian_to_Anki reads it)."""
    link_definitions: frozenset[int] = frozenset()
    """Positions of the lines that define a link (`[1]: https://…`): shown by nothing."""
    setext: dict[int, int] = field(default_factory=dict, compare=False)
    """Position of each line underlined as a heading (`setext_headings`), written here as an
    ATX heading, → how far its text moved right (its marks, less its own indentation)."""
    file_facts: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    """Facts about the whole file that its readers (one per section) ask for, worked out by
    the first one that asks (`Reader.file_fact`)."""

    def __len__(self) -> int:
        return len(self.texts)

    @cached_property
    def in_block(self) -> frozenset[int]:
        """Positions inside a block, its fences included."""
        return block_lines(self.block_ends)


def block_lines(block_ends: dict[int, int]) -> frozenset[int]:
    """The positions of every line of the blocks given as first line → last line."""
    return frozenset(k for first, last in block_ends.items() for k in range(first, last + 1))


def _comment_opens(line: str) -> list[int]:
    """Where comments may open on a line: every `<!--` outside code spans, in order."""
    opens = [m.start() for m in re.finditer(re.escape(COMMENT_OPEN), line)]
    if "`" not in line:
        return opens
    spans = code_span_ranges(line)
    kept, i = [], 0
    for position in opens:  # both lists are in order: one walk
        while i < len(spans) and spans[i][1] <= position:
            i += 1
        if i == len(spans) or position < spans[i][0]:
            kept.append(position)
    return kept


def _strip_comments(line: str, inside: bool) -> tuple[str, bool]:
    """The line without its comments, and whether a comment is still open at its end.

    `inside` says whether the line starts inside a comment opened on an earlier line."""
    pieces = []
    position = 0
    opens = iter(_comment_opens(line))
    while True:
        if inside:
            close = line.find(COMMENT_CLOSE, position)
            if close < 0:
                return "".join(pieces), True
            position, inside = close + len(COMMENT_CLOSE), False
        start = next((o for o in opens if o >= position), -1)
        if start < 0:
            pieces.append(line[position:])
            return "".join(pieces), False
        pieces.append(line[position:start])
        position, inside = start + len(COMMENT_OPEN), True


def _math_opens(text: str) -> bool:
    """A line opening a `$$` block: it starts with `$$` and does not close it."""
    stripped = text.strip()
    return stripped.startswith("$$") and stripped.count("$$") % 2 == 1


def opens_with_language(line: str, fence: str) -> bool:
    """Whether a line inside a block fenced with `fence` would open a block of its own with a
    language named (```` ```bash ````): code never holds such a line but to show Markdown."""
    opening = FENCE_RE.match(line)
    return (
        opening is not None
        and opening[1][0] == fence[0]
        and len(opening[1]) >= len(fence)
        and LANGUAGE_RE.fullmatch(line[opening.end() :].strip()) is not None
    )


LANGUAGE_RE = lazy_pattern(r"[A-Za-z][\w+#.-]{0,20}")
UNCLOSED_FENCE_LINES = 5
"""Lines after a code block's opening never closed from which its being so is said (a
block at a file's very end often goes without its closing fence)."""


def scan_body(source: SourceFile) -> Body:
    """One linear pass: comments out, blocks found, each visible line with its source index."""
    indices: list[int] = []
    texts: list[str] = []
    comments: list[int] = []
    markers: list[int] = []
    anki_fence: str | None = None  # the fence of an open ```anki block
    blocks: dict[int, int] = {}
    fence: str | None = None
    fence_at = math_at = -1
    comment_from: int | None = None  # source index where an unclosed comment opened
    reopened: int | None = None  # source index of a fence with a language inside a block
    wrapper = page_fence(source)
    titled_levels: set[int] | None = None  # levels of headings with text (`heading_levels`)
    for index in range(source.front_matter.line_count, len(source.lines)):
        line = source.lines[index]
        if index in wrapper:
            markers.append(index)  # the ```markdown fence around the whole page
            continue
        if fence is not None:  # inside fenced code: nothing is a comment
            indices.append(index)
            texts.append(line)
            if closes_fence(line, fence):
                blocks[fence_at] = len(texts) - 1
                fence = None
            elif reopened is None and opens_with_language(line, fence):
                reopened = index  # ```` ```bash ```` in a block: its closing fence is missing?
            continue
        if comment_from is not None or COMMENT_OPEN in line:
            text, still_open = _strip_comments(line, comment_from is not None)
            if still_open and comment_from is None:
                comment_from = index
            elif not still_open:
                comment_from = None
            if not text.strip():  # nothing but comment (or a blank line inside one)
                comments.append(index)
                continue
            line = text.rstrip() if text != line else line
        if ("{" in line[:4] and TEMPLATE_TAG_RE.fullmatch(line)) or (
            line[:8] == "card_id:" and CARD_ID_RE.fullmatch(line)
        ):
            comments.append(index)  # a site generator's tag, a card's id: never shown
            continue
        if "<" in line[:4] and WRAPPER_LINE_RE.fullmatch(line):
            comments.append(index)  # `<div markdown …>` or `</div>` alone: it wraps, says nothing
            continue
        if "{:" in line[:4] and ATTRIBUTE_LINE_RE.fullmatch(line):
            comments.append(index)  # kramdown's attributes of the block above: never shown
            if line.strip() == "{:toc}" and texts and TOC_ITEM_RE.fullmatch(texts[-1]):
                comments.append(indices.pop())  # its table of contents, made by the site
                texts.pop()
            continue
        if "^" in line and (block_id := BLOCK_ID_RE.search(line)) is not None:
            if not line[: block_id.start()].strip():
                comments.append(index)  # an Obsidian block id alone: it names the line above
                continue
            line = line[: block_id.start()]
        if anki_fence is not None and closes_fence(line, anki_fence):
            anki_fence = None
            markers.append(index)
            continue
        fenced = "`" in line[:4] or "~" in line[:4]
        notes_fence = None
        if fenced and anki_fence is None:  # a fence holding notes, not code
            notes_fence = anki_fence_opening(line) or card_fence_opening(source.lines, index)
        if notes_fence:
            anki_fence = notes_fence
            markers.append(index)
            continue
        if "？" in line and line.strip() in ("？", "？？"):
            line = line.replace("？", "?")  # a card's separator typed with a Chinese keyboard
        if "#" in line[:4] and EMPTY_HEADING_RE.fullmatch(line):
            if titled_levels is None:
                titled_levels = heading_levels(source.lines)
            if line.count("#") not in titled_levels:
                line = ""  # `###` alone, no `###` heading with text: a divider between notes
        indices.append(index)
        texts.append(line)
        position = len(texts) - 1
        if math_at >= 0:
            if "$$" in line:
                blocks[math_at] = position
                math_at = -1
            continue
        opening = fence_opening(line) if fenced else None
        if opening:
            fence, fence_at = opening[1], position
        elif "$$" in line and _math_opens(line):
            math_at = position
    if fence is not None:  # an unclosed fence runs to the end, as in Markdown
        blocks[fence_at] = len(texts) - 1
    setext = setext_headings(texts, block_lines(blocks))
    for position, level in setext.items():
        texts[position] = f"{'#' * level} {texts[position].strip()}"
        texts[position + 1] = ""  # its underline: no text of its own
    if "|" in "".join(texts):
        blocks.update(find_tables(texts, blocks))
    definitions = resolve_link_references(texts, block_lines(blocks))
    diagnostics = []
    if fence is not None and len(texts) - 1 - fence_at >= UNCLOSED_FENCE_LINES:
        diagnostics.append(
            warning(
                source.location(indices[fence_at]),
                f"this code block ({fence}) is never closed: the rest of the file is part of "
                f"it and is read as code; close it with a line of {fence}",
            )
        )
    if reopened is not None:
        diagnostics.append(
            warning(
                source.location(reopened),
                "this line opens a code block inside another: the block above may lack its "
                "closing fence, and the text between them is read as code",
            )
        )
    if comment_from is not None:
        diagnostics.append(
            warning(
                source.location(comment_from),
                "this HTML comment `<!--` is never closed by `-->`: "
                "the rest of the file is part of it and is not read",
            )
        )
    moved = {k: level + 1 - _indent(source.lines[indices[k]]) for k, level in setext.items()}
    return Body(
        tuple(indices),
        tuple(texts),
        blocks,
        tuple(comments),
        tuple(diagnostics),
        tuple(markers),
        link_definitions=definitions,
        setext=moved,
    )


LINK_DEFINITION_RE = lazy_pattern(
    r" {0,3}\[(?!\^)(?P<label>[^\[\]\n]+)\]:[ \t]*"
    r"(?:<(?P<bracketed>[^<>\n]*)>|(?P<address>[^\s<>]+))"
    r"(?:[ \t]+(?:\"(?P<title>[^\"\n]*)\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*"
)
"""A Markdown link's definition (`[1]: https://…`, `[docs]: #questao-1 "Title"`): shown by
nothing, it holds the address of the links that name it."""
REFERENCE_LINK_RE = lazy_pattern(
    r"(?<!\\)(?P<image>!?)\[(?P<text>[^\[\]\n]+)\]\[(?P<label>[^\[\]\n]*)\]"
)
"""A link naming its definition (`[the docs][1]`, `[the docs][]`), or an image so."""


def resolve_link_references(texts: list[str], inside: frozenset[int]) -> frozenset[int]:
    """Each link that names a definition of the file (`[the docs][1]` with `[1]: https://…`
    below) written as the inline link it stands for, so that a note shows it wherever its
    definition is (a note of lines is read a line at a time); the definitions' positions."""
    found: dict[str, str] = {}
    defining = []
    for k, text in enumerate(texts):
        if "[" not in text[:4] or k in inside:
            continue
        if (definition := LINK_DEFINITION_RE.fullmatch(text)) is not None:
            address = definition["address"] or (definition["bracketed"] or "").replace(" ", "%20")
            title = definition["title"]
            target = f'{address} "{title}"' if title else address
            found.setdefault(_link_label(definition["label"]), target)
            defining.append(k)
    if not found:
        return frozenset()

    def inline(link: re.Match[str]) -> str:
        target = found.get(_link_label(link["label"] or link["text"]))
        return f"{link['image']}[{link['text']}]({target})" if target else link[0]

    for k, text in enumerate(texts):
        if "][" in text and k not in inside:
            texts[k] = REFERENCE_LINK_RE.sub(inline, text)
    return frozenset(defining)


def _link_label(label: str) -> str:
    """A link's label as Markdown matches it: case and runs of spaces aside."""
    return " ".join(label.split()).casefold()


SETEXT_UNDERLINE_RE = lazy_pattern(r" {0,3}(?:(=){3,}|-{3,})[ \t]*$")


def setext_headings(texts: Sequence[str], inside: frozenset[int]) -> dict[int, int]:
    """Markdown's other headings, a line underlined with `===` (level 1) or `---` (level 2):
    each such line's position → its level. A heading line stands alone after a blank line;
    `---` under it is a rule between a front and its back (see the line style) unless it
    is half as long as the line at least with a blank line under it, as a heading is
    written (`Pergunta?` over `---------`)."""
    found = {}
    for k in range(len(texts) - 1):
        underline = texts[k + 1]
        if "---" not in underline and "===" not in underline:
            continue
        if not (line := SETEXT_UNDERLINE_RE.match(underline)):
            continue
        text = texts[k]
        if not text.strip() or k in inside or k + 1 in inside or (k and texts[k - 1].strip()):
            continue
        if not is_shallow(text) or OTHER_BLOCK_RE.match(text) or text.lstrip()[:1] == "|":
            continue
        if line[1] is None:  # dashes
            after = texts[k + 2] if k + 2 < len(texts) else ""
            if len(underline.strip()) * 2 < len(text.strip()) or after.strip():
                continue
        found[k] = 1 if line[1] else 2
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


EMPTY_HEADING_RE = lazy_pattern(r" {0,3}#{1,6}[ \t]*")
"""A heading's marks with no text: notes write it as a divider, as a rule, where no heading
of its level has text (else it is a heading whose text is missing, as `## ` among `##`
questions, said)."""
TITLED_HEADING_RE = lazy_pattern(r" {0,3}(#{1,6})[ \t]+\S")


def heading_levels(lines: Sequence[str]) -> set[int]:
    """The levels of the headings with text in a file (code blocks not told apart)."""
    return {
        len(found[1])
        for line in lines
        if "#" in line[:4] and (found := TITLED_HEADING_RE.match(line))
    }


PAGE_LANGUAGES = ("markdown", "md")


def page_fence(source: SourceFile) -> tuple[int, ...]:
    """The lines of a ```` ```markdown ```` fence around the whole page, as notes pasted from
    a chat's answer are (its opening the first line written, its closing the last, or none):
    the page is inside it, not code. Nothing when the page is not so wrapped."""
    lines, start = source.lines, source.front_matter.line_count
    first = next((i for i in range(start, len(lines)) if lines[i].strip()), None)
    if first is None or ("`" not in lines[first] and "~" not in lines[first]):
        return ()
    opening = fence_opening(lines[first])
    if opening is None or lines[first][opening.end() :].strip().casefold() not in PAGE_LANGUAGES:
        return ()
    last = next((i for i in range(len(lines) - 1, first, -1) if lines[i].strip()), first)
    if last > first and closes_fence(lines[last], opening[1]):
        return (first, last)
    if any(closes_fence(line, opening[1]) for line in lines[first + 1 :]):
        return ()  # closed before the page's end: a block of Markdown shown as code
    return (first,)


def anki_fence_opening(line: str) -> str | None:
    """The fence of ```` ```anki ````, a block whose content is notes, not code
    (Obsidian_to_Anki's cards are written in one so that Obsidian shows them as written)."""
    if "anki" not in line.casefold():
        return None
    opening = FENCE_RE.match(line)
    if opening is None or line[opening.end() :].strip().casefold() != "anki":
        return None
    return opening[1]


def card_fence_opening(lines: Sequence[str], index: int) -> str | None:
    """The fence of a block that holds a card, not code: no language named, its first line
    a question's label and an answer's label below it (```` ``` ````, `🗂️ Question:`, …,
    `📦 Answer:`, …, ```` ``` ````), as notes read in a terminal are dressed. None else."""
    from .lines import FORCED_RE, label_kind  # the labels are the line style's

    opening = FENCE_RE.match(lines[index])
    if opening is None or lines[index][opening.end() :].strip():
        return None
    fence = opening[1]
    kinds = []
    for line in lines[index + 1 : index + CARD_FENCE_LINES]:
        if closes_fence(line, fence):
            return fence if kinds[:1] == ["Q"] and "A" in kinds else None
        if line.strip() and not kinds and not FORCED_RE.match(line.strip()):
            return None  # code: its first line is no question's label
        if label := FORCED_RE.match(line.strip()):
            kinds.append(label_kind(label).replace("R", "A"))
    return None


CARD_FENCE_LINES = 60
"""Lines a fenced card may hold (a longer block is code)."""


def is_shallow(text: str) -> bool:
    """Indented by at most three spaces (more, or a tab, makes indented code in Markdown)."""
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    return len(indent) <= 3 and "\t" not in indent


def table_cells(text: str) -> int:
    """How many cells a table row holds: pipes split it (not `\\|`), outer ones aside."""
    return len(row_cells(text))


def row_cells(text: str) -> list[str]:
    """The cells of a table row, as written (`\\|` stays in its cell), outer pipes aside."""
    cells = re.split(r"(?<!\\)\|", text.strip())
    if cells[0] == "":
        cells = cells[1:]
    if len(cells) > 1 and cells[-1] == "":
        cells = cells[:-1]
    return cells


def find_tables(texts: Sequence[str], blocks: dict[int, int]) -> dict[int, int]:
    """Each Markdown table outside code and math blocks: first line → last line. A table is a
    header row, a delimiter row with as many cells (`|---|:---:|`), then rows up to a blank
    line, a line without a pipe, or a line starting another block."""
    inside = block_lines(blocks)
    tables: dict[int, int] = {}
    k = 0
    while k + 1 < len(texts):
        header, below = texts[k], texts[k + 1]
        if (
            "|" not in header
            or "|" not in below
            or k in inside
            or k + 1 in inside
            or not TABLE_DELIMITER_RE.match(below)
            or OTHER_BLOCK_RE.match(header)
            or not is_shallow(header)
            or table_cells(header) != table_cells(below)
        ):
            k += 1
            continue
        last = k + 1
        while (
            last + 1 < len(texts)
            and "|" in texts[last + 1]
            and texts[last + 1].strip()
            and last + 1 not in inside
            and not OTHER_BLOCK_RE.match(texts[last + 1])
        ):
            last += 1
        tables[k] = last
        k = last + 1
    return tables
