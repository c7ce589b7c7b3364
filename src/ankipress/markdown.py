"""Markdown to the HTML of Anki fields: pure, no I/O.

Most lines of notes are plain text with some bold and italics: they take a fast path whose
output is markdown-it's own (a test holds the two equal), without loading markdown-it at
all. Everything else goes through the configured markdown-it parsers (commonmark.py), one
per flavour (raw HTML allowed or not, French typography or not), built once.
On top of CommonMark with tables and strikethrough:
- math is lifted out before Markdown runs and restored as MathJax `\\(…\\)` / `\\[…\\]`, only
  where Markdown reads text: math that lands in a link's address or title, an image's
  description, code or raw HTML is put back as written and the text parsed again;
- every attribute value is escaped, `{`, `}`, `[` and `::` included, so that no attribute
  can be left and Anki finds no cloze or sound tag inside one;
- lists and quotes nested deeper than the parser's limit are shown flattened (their lines
  as written) instead of dropped;
- fenced code is highlighted by Pygments into CSS classes whose colours live in the note
  type's CSS (so night mode can change them);
- local images and audio are collected as references, written as placeholders that the
  pipeline replaces with the bundled file names once the files have been read;
- with French typography, no-break spaces keep `?`, `!`, `;`, `:` and `« »` with their words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import PurePosixPath

from .literals import MEDIA_CLOSE, MEDIA_OPEN, without_markers
from .patterns import lazy_pattern

AUDIO_SUFFIXES = frozenset({".mp3", ".ogg", ".wav", ".m4a", ".flac", ".opus", ".mp4", ".webm"})
IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif", ".ico", ".tif", ".tiff"}
)
PAGE_LINK_RE = lazy_pattern(r"\[\[([^\[\]|\n]*[^\[\]|\n\s][^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")
"""Obsidian's and Logseq's link to another page: `[[Page]]`, `[[Page|shown text]]`."""
EMBED_RE = lazy_pattern("!" + PAGE_LINK_RE.pattern)
"""An Obsidian embed, `![[schema.png]]`, `![[schema.png|300]]`, `![[Other page]]`: a page
link marked with `!`."""
EMBED_SIZE_RE = lazy_pattern(r"\s*(\d{1,5})(?:\s*x\s*(\d{1,5}))?\s*")
"""An embedded image's size after its `|`: a width, or a width and a height."""
MEDIA_PLACEHOLDER_RE = lazy_pattern(f"{MEDIA_OPEN}(\\d+){MEDIA_CLOSE}")
URL_SCHEME_RE = lazy_pattern(r"^[a-z][a-z0-9+.-]+:", re.IGNORECASE)
NARROW_NBSP, NBSP = "\u202f", "\u00a0"
HIGHLIGHT_CLASS_PREFIX = "hl-"


@dataclass(frozen=True)
class Flavour:
    """What changes how a note's Markdown becomes HTML."""

    allow_html: bool = False
    """Raw HTML in the notes reaches Anki as HTML; otherwise it is shown as text."""
    french: bool = False
    """French typography: no-break spaces before `?`, `!`, `;`, `:` and inside `« »`."""
    page_links: bool = True
    """`[[Page]]` links and `![[file]]` embeds are read (a vault's); else they are text."""


@dataclass(frozen=True, slots=True)
class Embed:
    """An Obsidian embed as written: what it names and what follows its `|`."""

    name: str
    option: str

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name.split("#", 1)[0]).suffix.lower()

    @property
    def is_media(self) -> bool:
        """An image or a sound, which a card can hold; not a page or another file."""
        return self.suffix in IMAGE_SUFFIXES or self.suffix in AUDIO_SUFFIXES

    @property
    def target(self) -> str:
        """The media reference it makes: `[[name]]`, looked for as Obsidian finds it (see
        `sources.load_media`), never as a path beside the note alone."""
        return f"[[{self.name.split('#', 1)[0].strip()}]]"

    @property
    def shown(self) -> str:
        """What a card shows of an embedded page: its `|` text (a size aside), else its name,
        a section after ` › ` (`Page#Section`), a block's id (`Page#^a1b2`) left out."""
        if self.option.strip() and not EMBED_SIZE_RE.fullmatch(self.option):
            return self.option.strip()
        page, _, section = self.name.strip().partition("#")
        section = "" if section.startswith("^") else section.strip()
        return f"{page.strip()} › {section}" if section else page.strip()


def embeds(text: str) -> list[Embed]:
    """The Obsidian embeds in a text."""
    if "![[" not in text:
        return []
    return [Embed(match[1], match[2] or "") for match in EMBED_RE.finditer(text)]


def embed_target(target: str) -> str | None:
    """The name inside a media reference made by an embed, `[[name]]`; None for a path."""
    if target.startswith("[[") and target.endswith("]]") and len(target) > 4:
        return target[2:-2]
    return None


def is_local(target: str) -> bool:
    """A path to a file beside the notes, not a web address, anchor or data URI."""
    return bool(target) and not (URL_SCHEME_RE.match(target) or target.startswith(("//", "#")))


ATTRIBUTE_ESCAPES = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;"})


def attribute(value: object) -> str:
    """A value escaped for a double-quoted attribute, cloze and sound syntax too: Anki looks
    for `{{c1::…::hint}}` and `[sound:…]` in the whole field, attributes included, and would
    cut a tag at a `}}` or `::` there, or write its own markup into the middle of one."""
    return escape(str(value)).translate(ATTRIBUTE_ESCAPES).replace("::", ":&#58;")


# Each pattern can only start where its run starts (a lookbehind), and never gives back what
# it took: a long run of spaces or of letters is read once, not once per character.
WEB_ADDRESS_RE = lazy_pattern(r"((?<!\S)\S*://\S*)")
SPACES_BEFORE_MARK_RE = lazy_pattern(r"(?<![ \t\u00a0])[ \t\u00a0]++([?!;])")
MARK_AFTER_WORD_RE = lazy_pattern(r"(?<=[\w»)\]])([?!;])")
SPACES_BEFORE_COLON_RE = lazy_pattern(r"(?<![ \t\u202f])[ \t\u202f]++:")
SPACES_AFTER_OPENING_RE = lazy_pattern(r"«[ \t\u202f]*+")
SPACES_BEFORE_CLOSING_RE = lazy_pattern(r"(?<![ \t\u202f])[ \t\u202f]*+»")


def french_text(text: str) -> str:
    parts = WEB_ADDRESS_RE.split(text)  # leave web addresses alone
    for index in range(0, len(parts), 2):
        part = parts[index]
        part = SPACES_BEFORE_MARK_RE.sub(NARROW_NBSP + r"\1", part)
        part = MARK_AFTER_WORD_RE.sub(NARROW_NBSP + r"\1", part)
        part = SPACES_BEFORE_COLON_RE.sub(NBSP + ":", part)
        part = SPACES_AFTER_OPENING_RE.sub("«" + NBSP, part)
        part = SPACES_BEFORE_CLOSING_RE.sub(NBSP + "»", part)
        parts[index] = part
    return "".join(parts)


def render_block(text: str, flavour: Flavour, media: list[str]) -> str:
    """Full Markdown to HTML; local media targets are appended to `media`.

    Most answers under a heading are one line of plain text; they take a fast path whose
    output is the parser's own (a test holds the two equal)."""
    from .commonmark import render

    fast = fast_paragraph(without_markers(text), flavour)
    if fast is not None:
        return fast
    if "." in text or ")" in text:
        text = numbers_as_text(text)
    return render(text, flavour, media, inline=False)


# A number alone on its line (`1989.`): Markdown starts an empty numbered list there; in
# notes it is an answer.
LONE_NUMBER_RE = lazy_pattern(r"^( {0,3}\d{1,9})([.)])[ \t]*$", re.M)
FENCE_LINE_RE = lazy_pattern(r" {0,3}(`{3,}|~{3,})")


def numbers_as_text(text: str) -> str:
    """The text with each number alone on its line escaped (`1989\\.`), outside code."""
    if not LONE_NUMBER_RE.search(text):
        return text
    lines, fence = text.split("\n"), ""
    for i, line in enumerate(lines):
        opening = FENCE_LINE_RE.match(line)
        if fence:
            fence = "" if opening and opening[1].startswith(fence) else fence
        elif opening:
            fence = opening[1]
        else:
            lines[i] = LONE_NUMBER_RE.sub(r"\1\\\2", line)
    return "\n".join(lines)


# A line can only lie as deep as the parser's limit when what opens its lists and quotes
# (indentation, `>`, list markers) is about that wide: each level takes a column or more.
NESTING_PREFIX_RE = lazy_pattern(r"^(?:[ \t>]|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))*", re.M)
NESTING_SUSPECT_WIDTH = 16


def flattened_lines(text: str, flavour: Flavour = Flavour()) -> list[int]:
    """0-based lines of a Markdown text from which lists or quotes nest too deep for the
    parser (nine levels of lists): `render_block` shows the rest of that item or quote
    flattened, its lines as written, one under the other."""
    if not any(
        len(m[0].expandtabs(4)) >= NESTING_SUSPECT_WIDTH for m in NESTING_PREFIX_RE.finditer(text)
    ):
        return []
    from .commonmark import parser

    env: dict = {}
    parser(flavour).parse(text, env)
    return sorted(env.get("flattened", []))


# Text without these characters means nothing to inline Markdown (CommonMark, with
# strikethrough, no linkify or typographer) nor to the math lifter: no emphasis, code, link,
# image, autolink, raw HTML, entity, escape or math can start in it, so escaping it is all
# the parser does. (`!` alone is plain text: an image needs the `[` that is excluded.)
_SAFE = r"[^\\`*_\[\]<&~$\n\r]"
PLAIN_TEXT_RE = lazy_pattern(rf"{_SAFE}*")
# `**bold**` and `*italics*` around plain text that starts with a letter or digit and ends
# with one, or with `?`, `!`, `.` or `)` when a space or the end follows the closing `*`s
# (`**Une question ?**`), not touching another `*`: CommonMark reads every such run as
# emphasis, and nothing else.
_CORE = rf"[^\W_](?:{_SAFE}*(?:[^\W_]|[?!.)](?=\1(?:[ \t]|$))))?"
SIMPLE_EMPHASIS_RE = lazy_pattern(rf"(?<!\*)(\*\*?)({_CORE})\1(?!\*)")


def fast_inline(text: str, flavour: Flavour) -> str | None:
    """What markdown-it gives for plain text with simple emphasis, without running it;
    None when the text holds anything else (then the parser must read it)."""
    if text != text.strip():
        return None
    if "*" not in text:
        return _fast_text(text, flavour)
    pieces = []
    last = 0
    for match in SIMPLE_EMPHASIS_RE.finditer(text):
        pieces.append(_fast_text(text[last : match.start()], flavour))
        tag = "strong" if len(match[1]) == 2 else "em"
        pieces.append(f"<{tag}>{_fast_text(match[2], flavour)}</{tag}>")
        last = match.end()
    pieces.append(_fast_text(text[last:], flavour))
    return None if None in pieces else "".join(pieces)  # type: ignore[arg-type]


# What can open a block other than a paragraph on a single line: a heading, a quote, a list
# item, a thematic break (`***`, `---`, `___`). Code, HTML and math need characters that
# `fast_inline` refuses; tables and setext headings need a second line. (A `*` or `**`
# right before a letter or digit opens emphasis, neither a list item nor a break.)
BLOCK_START_RE = lazy_pattern(r"[#>+=_-]|\*(?!\*?[^\W_])|\d{1,9}[.)]")


def fast_paragraph(text: str, flavour: Flavour) -> str | None:
    """What markdown-it gives for one line of plain text with simple emphasis, read as a
    block (a paragraph), or for such lines one blank line apart (paragraphs); None when it
    may be anything else."""
    parts = text.split("\n\n") if "\n" in text else [text]
    paragraphs = []
    for part in parts:
        if not part or "\n" in part or "\r" in part or BLOCK_START_RE.match(part):
            return None
        inline = fast_inline(part, flavour)
        if inline is None:
            return None
        paragraphs.append(f"<p>{inline}</p>")
    return "\n".join(paragraphs)


def _fast_text(text: str, flavour: Flavour) -> str | None:
    if not PLAIN_TEXT_RE.fullmatch(text):
        return None
    return escape_html(french_text(text) if flavour.french else text)


def escape_html(text: str) -> str:
    """`&`, `<`, `>` and `"` escaped, as markdown-it escapes text (not `'`)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def render_inline(text: str, flavour: Flavour, media: list[str]) -> str:
    """One line of inline Markdown to HTML; local media targets are appended to `media`.

    Most answer lines are plain text with some bold and italics; they take a fast path
    whose output is the parser's own (a test holds the two equal on real notes).
    """
    text = without_markers(text)
    fast = fast_inline(text, flavour)
    if fast is not None:
        return fast
    return render_inline_markdown(text, flavour, media)


def render_inline_markdown(text: str, flavour: Flavour, media: list[str]) -> str:
    """`render_inline` through the full parser, whatever the text (the fast path's reference)."""
    from .commonmark import render

    return render(text, flavour, media, inline=True)


def link_media(html: str, names: Sequence[str]) -> str:
    """Replace media placeholders by the bundled file names."""

    def name(match: re.Match[str]) -> str:
        index = int(match[1])
        return attribute(names[index]) if index < len(names) else ""

    return MEDIA_PLACEHOLDER_RE.sub(name, html)
