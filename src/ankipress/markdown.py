"""The configured markdown-it parsers and the HTML they write for Anki: pure, no I/O.

One parser per flavour (raw HTML allowed or not, French typography or not), built once.
On top of CommonMark with tables and strikethrough:
- math is lifted out before Markdown runs and restored as MathJax `\\(…\\)` / `\\[…\\]`, only
  where Markdown reads text: math that lands in a link's address or title, an image's
  description, code or raw HTML is put back as written and the text parsed again;
- every attribute value is escaped, `{` and `[` included, so that no attribute can be left
  and Anki finds no cloze or sound tag inside one;
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from .literals import (
    MEDIA_CLOSE,
    MEDIA_OPEN,
    Math,
    lift_math,
    placeholders,
    restore_math,
    without_markers,
)

AUDIO_SUFFIXES = frozenset({".mp3", ".ogg", ".wav", ".m4a", ".flac", ".opus", ".mp4", ".webm"})
MEDIA_PLACEHOLDER_RE = re.compile(f"{MEDIA_OPEN}(\\d+){MEDIA_CLOSE}")
URL_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]+:", re.IGNORECASE)
NARROW_NBSP, NBSP = "\u202f", "\u00a0"
HIGHLIGHT_CLASS_PREFIX = "hl-"


@dataclass(frozen=True)
class Flavour:
    """What changes how a note's Markdown becomes HTML."""

    allow_html: bool = False
    """Raw HTML in the notes reaches Anki as HTML; otherwise it is shown as text."""
    french: bool = False
    """French typography: no-break spaces before `?`, `!`, `;`, `:` and inside `« »`."""


def is_local(target: str) -> bool:
    """A path to a file beside the notes, not a web address, anchor or data URI."""
    return bool(target) and not (URL_SCHEME_RE.match(target) or target.startswith(("//", "#")))


def attribute(value: object) -> str:
    """A value escaped for a double-quoted attribute. `{` and `[` too: Anki looks for
    `{{c1::…}}` and `[sound:…]` in the whole field, attributes included, and would write
    its own markup into the middle of one."""
    return escape(str(value)).replace("{", "&#123;").replace("[", "&#91;")


class _Renderer(RendererHTML):
    """markdown-it's HTML renderer, with every attribute value escaped by `attribute`."""

    @staticmethod
    def renderAttrs(token: Token) -> str:
        return "".join(f' {escapeHtml(k)}="{attribute(v)}"' for k, v in token.attrItems())


def highlight_code(code: str, language: str, attrs: Any) -> str:
    """Pygments highlighting as CSS classes; empty (plain code) for an unknown language."""
    if not language:
        return ""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return ""
    body = highlight(code, lexer, HtmlFormatter(nowrap=True, classprefix=HIGHLIGHT_CLASS_PREFIX))
    language = attribute(language)
    return f'<pre class="ap-code"><code class="language-{language}">{body}</code></pre>\n'


def _sound_tokens(state: StateCore) -> None:
    """Links and images to audio files become `sound` tokens: Anki plays `[sound:…]`."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        skipping_to: int | None = None
        if not any(child.type in ("link_open", "image") for child in block.children):
            continue
        for child in block.children:
            if skipping_to is not None:
                if child.type == "link_close" and child.level == skipping_to:
                    skipping_to = None
                continue
            if child.type not in ("link_open", "image"):
                children.append(child)
                continue
            target = str(child.attrGet("href") or child.attrGet("src") or "")
            audio = PurePosixPath(unquote(target)).suffix.lower() in AUDIO_SUFFIXES
            if audio and is_local(target):
                sound = Token("sound", "", 0)
                sound.content = unquote(target)
                children.append(sound)
                if child.type == "link_open":
                    skipping_to = child.level
                continue
            children.append(child)
        block.children = children


def _french_text(text: str) -> str:
    parts = re.split(r"(\S*://\S*)", text)  # leave web addresses alone
    for index in range(0, len(parts), 2):
        part = parts[index]
        part = re.sub(r"[ \t\u00a0]+([?!;])", NARROW_NBSP + r"\1", part)
        part = re.sub(r"(?<=[\w»)\]])([?!;])", NARROW_NBSP + r"\1", part)
        part = re.sub(r"[ \t\u202f]+:", NBSP + ":", part)
        part = re.sub(r"«[ \t\u202f]*", "«" + NBSP, part)
        part = re.sub(r"[ \t\u202f]*»", NBSP + "»", part)
        parts[index] = part
    return "".join(parts)


def _french_spacing(state: StateCore) -> None:
    for block in state.tokens:
        if block.type == "inline" and block.children:
            for child in block.children:
                if child.type == "text":
                    child.content = _french_text(child.content)


def _media_placeholder(env: dict, target: str) -> str:
    media: list[str] = env.setdefault("media", [])
    media.append(target)
    return f"{MEDIA_OPEN}{len(media) - 1}{MEDIA_CLOSE}"


def _render_image(
    renderer: RendererHTML, tokens: Sequence[Token], index: int, options: OptionsDict, env: dict
) -> str:
    token = tokens[index]
    target = str(token.attrGet("src") or "")
    if not is_local(target):
        return renderer.image(tokens, index, options, env)
    alt = attribute(renderer.renderInlineAsText(token.children or [], options, env))
    return f'<img src="{_media_placeholder(env, unquote(target))}" alt="{alt}">'


def _render_sound(
    renderer: RendererHTML, tokens: Sequence[Token], index: int, options: OptionsDict, env: dict
) -> str:
    return f"[sound:{_media_placeholder(env, tokens[index].content)}]"


def _flatten_deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Lines nested nearly as deep as the parser goes (which drops what lies deeper): the
    rest of the item or quote becomes one paragraph of its lines as written."""
    if silent or state.level < state.md.options.maxNesting - 2:
        return False  # two below the limit: a list and its item open two levels at once
    lines = []
    line = last = start
    while line < end:
        if not state.isEmpty(line):
            if state.sCount[line] < state.blkIndent:
                break
            lines.append(state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]])
            last = line
        line += 1
    state.line = last + 1
    state.push("paragraph_open", "p", 1).map = [start, state.line]
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = "\n".join(lines), [start, state.line], []
    state.push("paragraph_close", "p", -1)
    state.env.setdefault("flattened", []).append(start)
    return True


@cache
def parser(flavour: Flavour) -> MarkdownIt:
    """The one configured parser of a flavour: CommonMark plus tables and strikethrough.

    Single newlines inside a paragraph become line breaks, as in the note apps students use.
    """
    md = MarkdownIt(
        "commonmark",
        {"html": flavour.allow_html, "breaks": True, "highlight": highlight_code},
        renderer_cls=_Renderer,
    ).enable(["table", "strikethrough"])
    md.block.ruler.before("table", "flatten_deep", _flatten_deep)
    md.core.ruler.push("sound_tokens", _sound_tokens)
    if flavour.french:
        md.core.ruler.push("french_spacing", _french_spacing)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("sound", _render_sound)
    return md


def _math_read_as_text(tokens: Sequence[Token]) -> set[int]:
    """The math placeholders that Markdown read as text: those in text tokens, outside
    images (whose description becomes an attribute) and autolinks (an address)."""
    found: set[int] = set()
    for block in tokens:
        autolink = False
        for child in block.children or ():
            if child.type == "link_open" and child.markup in ("autolink", "linkify"):
                autolink = True
            elif child.type == "link_close":
                autolink = False
            elif child.type == "text" and not autolink:
                found.update(placeholders(child.content))
    return found


ParseFunction = Callable[[str, dict], list[Token]]
MATH_ATTEMPTS = 4


def _parse(text: str, parse: ParseFunction) -> tuple[list[Token], list[Math], dict]:
    """Tokens of the text with its math lifted out wherever Markdown reads it as text.

    Math that lands anywhere else (a link's address or title, an image's description,
    code, raw HTML) is left as written and the text parsed again, so Markdown reads it as
    if it had never been lifted. Should that keep moving math around, the last attempt
    lifts none."""
    keep: set[int] = set()
    for _ in range(MATH_ATTEMPTS):
        lifted, spans = lift_math(text, keep)
        env: dict = {}
        tokens = parse(lifted, env)
        stray = set(range(len(spans))) - keep - _math_read_as_text(tokens)
        if not stray:
            return tokens, spans, env
        keep |= stray
    env = {}
    return parse(text, env), [], env


def _render(text: str, flavour: Flavour, media: list[str], inline: bool) -> str:
    md = parser(flavour)
    parse = md.parseInline if inline else md.parse
    tokens, spans, env = _parse(without_markers(text), parse)
    env["media"] = media
    html = md.renderer.render(tokens, md.options, env)
    return restore_math(html if inline else html.strip(), spans)


def render_block(text: str, flavour: Flavour, media: list[str]) -> str:
    """Full Markdown to HTML; local media targets are appended to `media`."""
    return _render(text, flavour, media, inline=False)


# A line can only lie as deep as the parser's limit when what opens its lists and quotes
# (indentation, `>`, list markers) is about that wide: each level takes a column or more.
NESTING_PREFIX_RE = re.compile(r"(?:[ \t>]|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))*", re.M)
NESTING_SUSPECT_WIDTH = 16


def flattened_lines(text: str) -> list[int]:
    """0-based lines of a Markdown text from which lists or quotes nest too deep for the
    parser (about nine levels of lists): `render_block` shows the rest of that item or quote
    flattened, its lines as written, one under the other."""
    if not any(
        len(m[0].expandtabs(4)) >= NESTING_SUSPECT_WIDTH for m in NESTING_PREFIX_RE.finditer(text)
    ):
        return []
    env: dict = {}
    parser(Flavour()).parse(text, env)
    return sorted(env.get("flattened", []))


# Text without these characters means nothing to inline Markdown (CommonMark, with
# strikethrough, no linkify or typographer) nor to the math lifter: no emphasis, code, link,
# image, autolink, raw HTML, entity, escape or math can start in it, so escaping it is all
# the parser does. (`!` alone is plain text: an image needs the `[` that is excluded.)
_SAFE = r"[^\\`*_\[\]<&~$\n\r]"
PLAIN_TEXT_RE = re.compile(rf"{_SAFE}*")
# `**bold**` and `*italics*` around plain text that starts and ends with a letter or digit,
# not touching another `*`: CommonMark reads every such run as emphasis, and nothing else.
_CORE = rf"[^\W_](?:{_SAFE}*[^\W_])?"
SIMPLE_EMPHASIS_RE = re.compile(rf"(?<!\*)(\*\*?)({_CORE})\1(?!\*)")


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


def _fast_text(text: str, flavour: Flavour) -> str | None:
    if not PLAIN_TEXT_RE.fullmatch(text):
        return None
    return escapeHtml(_french_text(text) if flavour.french else text)


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
    return _render(text, flavour, media, inline=True)


def link_media(html: str, names: Sequence[str]) -> str:
    """Replace media placeholders by the bundled file names."""

    def name(match: re.Match[str]) -> str:
        index = int(match[1])
        return attribute(names[index]) if index < len(names) else ""

    return MEDIA_PLACEHOLDER_RE.sub(name, html)
