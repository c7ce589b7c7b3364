"""The configured markdown-it parsers, for everything the fast path of markdown.py does not
read: pure, no I/O. Loaded only when a note needs them.

One parser per flavour, built once, CommonMark with tables and strikethrough, and:
- math lifted out where Markdown reads text, and only there (`_parse`);
- every attribute value escaped by `markdown.attribute`;
- lists and quotes nested deeper than the parser's limit shown flattened (`_flatten_deep`);
- links and brackets read in linear time (`_link_label`, `_link_destination`), huge
  paragraphs rendered piece by piece;
- fenced code highlighted by Pygments into CSS classes;
- local images and audio collected as placeholders;
- French typography in text tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import PurePosixPath
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt, helpers
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from .literals import (
    MATH_CLOSE,
    MATH_OPEN,
    MEDIA_CLOSE,
    MEDIA_OPEN,
    Math,
    lift_math,
    placeholders,
    restore_math,
    without_markers,
)
from .markdown import (
    AUDIO_SUFFIXES,
    EMBED_RE,
    EMBED_SIZE_RE,
    HIGHLIGHT_CLASS_PREFIX,
    IMAGE_SUFFIXES,
    PAGE_LINK_RE,
    Embed,
    Flavour,
    attribute,
    french_text,
    is_local,
)
from .patterns import lazy_pattern


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


CALLOUT_MARK_RE = lazy_pattern(r"\[![\w-]+\][+-]?[ \t]*")


def _callouts(state: StateCore) -> None:
    """Obsidian's callout, `> [!note] Title` over `>` lines: a quote whose first line, its
    `[!note]` mark taken out, is its title, in bold (a card has no callout boxes)."""
    tokens = state.tokens
    for i in range(len(tokens) - 2):
        if tokens[i].type != "blockquote_open" or tokens[i + 1].type != "paragraph_open":
            continue
        children = tokens[i + 2].children
        if not children or children[0].type != "text":
            continue
        mark = CALLOUT_MARK_RE.match(children[0].content)
        if mark is None:
            continue
        children[0].content = children[0].content[mark.end() :]
        title_end = next(
            (j for j, child in enumerate(children) if child.type in ("softbreak", "hardbreak")),
            len(children),
        )
        if not any(child.type != "text" or child.content.strip() for child in children[:title_end]):
            del children[: title_end + 1]  # no title: the mark's line goes
            continue
        children.insert(title_end, Token("strong_close", "strong", -1))
        children.insert(0, Token("strong_open", "strong", 1))


def _french_spacing(state: StateCore) -> None:
    for block in state.tokens:
        if block.type == "inline" and block.children:
            for child in block.children:
                if child.type == "text":
                    child.content = french_text(child.content)


def _media_placeholder(env: dict, target: str) -> str:
    media: list[str] = env.setdefault("media", [])
    media.append(target)
    return f"{MEDIA_OPEN}{len(media) - 1}{MEDIA_CLOSE}"


def _render_image(
    renderer: RendererHTML, tokens: Sequence[Token], index: int, options: OptionsDict, env: dict
) -> str:
    token = tokens[index]
    target = str(token.attrGet("src") or "")
    if not target:
        # No address (or one refused, as `javascript:`): its description, as text. Anki's
        # import rewrites an empty `src=""` as a bare `src=`, whose value then swallows the
        # next attribute and turns text of the description into attributes.
        return escapeHtml(renderer.renderInlineAsText(token.children or [], options, env))
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


INLINE_NESTING = 8
"""Links and images inside links, at most this deep: markdown-it tries every `[` and `![` that
deep before giving up, so its time on text full of brackets grows with this limit (20 by
default, shared with lists and quotes, which keep it)."""
PIECE_SIZE = 16_384
"""Inline text longer than this (a huge paragraph) is read in pieces, each rendered at once,
so that markdown-it's tokens (some hundred bytes per character of emphasis) never pile up."""


PAREN_NESTING = 3
"""Parentheses inside a link's address, at most this deep: the three CommonMark asks every
reader to support (markdown-it allows 32, and reads that many again for every `[…](` that
never closes)."""
_DESTINATION_RUN_RE = lazy_pattern(r"[^\x00-\x20\x7f\\()]+")


def _link_destination(string: str, start: int, maximum: int) -> Any:
    """markdown-it's reading of a link's address, with at most PAREN_NESTING parentheses.

    A quick scan finds where the address ends, skipping ordinary characters in runs; the
    address is then read by markdown-it's own function, up to that end only."""
    if string.startswith("<", start):
        return helpers.parseLinkDestination(string, start, maximum)
    position, level = start, 0
    while position < maximum:
        if run := _DESTINATION_RUN_RE.match(string, position, maximum):
            position = run.end()
            continue
        char = string[position]
        if char == "\\" and position + 1 < maximum:
            if string[position + 1] == " ":
                break
            position += 2
            continue
        if char == "(":
            level += 1
            if level > PAREN_NESTING:
                return helpers.parseLinkDestination(string, start, start)  # fails
        elif char == ")":
            if level == 0:
                break
            level -= 1
        elif char != "\\":
            break  # a space or a control character
        position += 1
    return helpers.parseLinkDestination(string, start, position)


def _link_label(state: StateInline, start: int, disable_nested: bool = False) -> int:
    """markdown-it's `parseLinkLabel` (where the `]` closing a link's text is), remembering
    what each scan learns of the brackets it passes: the `]` closing each of them, or that
    none does. A later scan reaching a bracket already known jumps over it, or stops (a
    bracket never closed keeps every bracket around it open), so that text full of `[` and
    `![` is read in linear time, not once per bracket."""
    known: dict[tuple[int, int], tuple[int, bool]] = state.__dict__.setdefault(
        "_ankipress_labels", {}
    )
    limit = state.posMax
    if (start, limit) in known:
        end, holds_link = known[start, limit]
        return -1 if end < 0 or (disable_nested and holds_link) else end
    old_position = state.pos
    state.pos = start + 1
    opened = [start]  # text brackets not closed yet, innermost last
    holds = [False]  # whether a link starts inside each of them
    found = -1
    while state.pos < limit:
        marker = state.src[state.pos]
        if marker == "]":
            bracket, holds_link = opened.pop(), holds.pop()
            known[bracket, limit] = (state.pos, holds_link)
            if not opened:
                found = state.pos
                break
            holds[-1] |= holds_link
        before = state.pos
        state.md.inline.skipToken(state)
        if marker != "[":
            continue
        if state.pos != before + 1:  # a link: no link inside a link's text
            if disable_nested:
                state.pos = old_position
                return -1
            holds[-1] = True
        elif (before, limit) in known:
            end, holds_link = known[before, limit]
            if end < 0:
                break  # a bracket never closed: neither is any bracket around it
            if disable_nested and holds_link:
                state.pos = old_position
                return -1
            holds[-1] |= holds_link
            state.pos = end + 1
        else:
            opened.append(before)
            holds.append(False)
    if found < 0:
        for bracket in opened:
            known[bracket, limit] = (-1, False)
    state.pos = old_position
    return found


def _wikilink(state: StateInline, silent: bool) -> bool:
    """`[[Page]]` shows `Page`, `[[Page|text]]` shows `text`, as in the note apps: a link to a
    page of the student's vault, which no card can follow. An embed `![[…]]` is `_embed`'s."""
    position = state.pos
    if not state.src.startswith("[[", position) or state.src[position - 1 : position] == "!":
        return False
    match = PAGE_LINK_RE.match(state.src, position)
    if match is None:
        return False
    if not silent:
        token = state.push("text", "", 0)
        token.content = (match[2] or "").strip() or match[1].strip()
    state.pos = match.end()
    return True


LINE_BREAK_TAG_RE = lazy_pattern(r"<br[ \t]*/?>", re.IGNORECASE)


def _line_break_tag(state: StateInline, silent: bool) -> bool:
    """`<br>` (or `<br/>`, `<br />`) is a line break, as notes write one inside a table's
    cell or at a line's end, even where raw HTML is shown as text: it holds nothing that
    could run. At the end of the text (others after it aside) it breaks nothing: left out."""
    if state.src[state.pos : state.pos + 3].lower() != "<br":
        return False
    match = LINE_BREAK_TAG_RE.match(state.src, state.pos)
    if match is None:
        return False
    if not silent and LINE_BREAK_TAG_RE.sub("", state.src[match.end() :]).strip():
        state.push("hardbreak", "br", 0)
    state.pos = match.end()
    return True


def _embed(state: StateInline, silent: bool) -> bool:
    """Obsidian's embed, `![[schema.png]]`: an image or a sound is shown or played as
    `![](…)` would be (`|300` or `|300x200` sizes an image; other text after `|` is its
    description); an embedded page or another file cannot be part of a card, so its name
    is shown (`render.embed_warnings` says so)."""
    position = state.pos
    if not state.src.startswith("![[", position):
        return False
    match = EMBED_RE.match(state.src, position)
    if match is None:
        return False
    if not silent:
        embed = Embed(match[1], match[2] or "")
        if embed.suffix in IMAGE_SUFFIXES:
            token = state.push("embed_image", "", 0)
            token.content = embed.target
            size = EMBED_SIZE_RE.fullmatch(embed.option)
            token.meta = {"size": size.groups() if size else None}
            token.info = "" if size else embed.option.strip()
        elif embed.suffix in AUDIO_SUFFIXES:
            state.push("sound", "", 0).content = embed.target
        else:
            state.push("text", "", 0).content = embed.shown
    state.pos = match.end()
    return True


def _render_embedded_image(
    renderer: RendererHTML, tokens: Sequence[Token], index: int, options: OptionsDict, env: dict
) -> str:
    token = tokens[index]
    width, height = token.meta["size"] or (None, None)
    size = (f' width="{width}"' if width else "") + (f' height="{height}"' if height else "")
    alt = attribute(token.info)
    return f'<img src="{_media_placeholder(env, token.content)}" alt="{alt}"{size}>'


def _configured(flavour: Flavour) -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        {"html": flavour.allow_html, "breaks": True, "highlight": highlight_code},
        renderer_cls=_Renderer,
    ).enable(["table", "strikethrough"])
    md.inline.ruler.before("link", "wikilink", _wikilink)
    md.inline.ruler.before("image", "embed", _embed)
    if not flavour.allow_html:  # (allowed, raw HTML shows `<br>` as written)
        md.inline.ruler.before("html_inline", "line_break_tag", _line_break_tag)
    if not flavour.page_links:
        md.inline.ruler.disable(["wikilink", "embed"])
    md.helpers = SimpleNamespace(  # this parser's own, not the module every parser shares
        parseLinkLabel=_link_label,
        parseLinkDestination=_link_destination,
        parseLinkTitle=helpers.parseLinkTitle,
    )
    return md


@cache
def _inline_parser(
    flavour: Flavour, links: bool = True, emphasis: bool = True, wikilinks: bool = True
) -> MarkdownIt:
    """The parser's twin for inline text, with the lower nesting limit; without its link
    and image rules, its emphasis rule, or its page-link and embed rules, for text where
    none of them can close (see `may_link`, `may_emphasise`; a page link or an embed needs
    `[[`): trying one at every opener is most of the work on such text."""
    md = _configured(flavour)
    md.options["maxNesting"] = INLINE_NESTING
    if not wikilinks:
        md.inline.ruler.disable(["wikilink", "embed"])
    if not links:
        md.inline.ruler.disable(["link", "image"])
    if not emphasis:
        md.inline.ruler.disable(["emphasis"])
    return md


def _inline_rule(flavour: Flavour) -> Callable[[StateCore], None]:
    """markdown-it's own core rule that reads inline text, through a twin; a huge text is
    read and rendered piece by piece instead."""

    def inline(state: StateCore) -> None:
        for token in state.tokens:
            if token.type != "inline":
                continue
            if len(token.content) > PIECE_SIZE:
                token.children = [_rendered_in_pieces(state.md, token.content, state.env)]
            else:
                token.children = []
                text = token.content
                links, emphasis = may_link(text, state.env), may_emphasise(text)
                md = _inline_parser(flavour, links, emphasis, "[[" in text)
                md.inline.parse(text, md, state.env, token.children)

    return inline


def may_link(text: str, env: dict) -> bool:
    """Whether a link or an image may close in this inline text: every one needs a `]`,
    then a `)` (`[a](b)`) or a reference defined in the note (`[a]`, `[a][b]`)."""
    return "]" in text and (")" in text or bool(env.get("references")))


MAY_CLOSE_EMPHASIS_RE = lazy_pattern(r"[^ \t\n*]\*|[^ \t\n_]_")
"""A run of `*` or `_` after something other than a space, tab or line break."""


def may_emphasise(text: str) -> bool:
    """Whether emphasis may close in this inline text: a closing `*` or `_` run never
    follows white space (nor starts the text), and a space, tab or line break is white
    space to markdown-it too."""
    return MAY_CLOSE_EMPHASIS_RE.search(text) is not None


def _rendered_in_pieces(md: MarkdownIt, text: str, env: dict) -> Token:
    """A `rendered` token holding the HTML of the text, read one piece at a time (each piece
    is a text of its own: emphasis or a link spanning two pieces is not recognised)."""
    html = []
    math: set[int] = set()
    for piece in _pieces(text, PIECE_SIZE):
        tokens = md.parseInline(piece, env)
        math |= _math_read_as_text(tokens)
        html.append(md.renderer.render(tokens, md.options, env))
    token = Token("rendered", "", 0)
    token.content, token.meta = "".join(html), {"math": math}
    return token


def _pieces(text: str, size: int) -> Iterator[str]:
    """The text cut into pieces of at most `size` characters: after a line break if there is
    one, else after a space, else anywhere but inside a placeholder."""
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind("\n", start, end - 1) + 1
        if cut <= start:
            cut = max(text.rfind(" ", start, end - 1), text.rfind("\t", start, end - 1)) + 1
        if cut <= start:
            opening = max(text.rfind(MATH_OPEN, start, end), text.rfind(MEDIA_OPEN, start, end))
            closing = max(text.rfind(MATH_CLOSE, start, end), text.rfind(MEDIA_CLOSE, start, end))
            cut = opening if opening > max(closing, start) else end
        yield text[start:cut]
        start = cut
    yield text[start:]


@cache
def parser(flavour: Flavour) -> MarkdownIt:
    """The one configured parser of a flavour: CommonMark plus tables and strikethrough.

    Single newlines inside a paragraph become line breaks, as in the note apps students use.
    """
    md = _configured(flavour)
    md.block.ruler.before("table", "flatten_deep", _flatten_deep)
    md.core.ruler.at("inline", _inline_rule(flavour))
    md.core.ruler.push("sound_tokens", _sound_tokens)
    md.core.ruler.push("callouts", _callouts)
    if flavour.french:
        md.core.ruler.push("french_spacing", _french_spacing)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("sound", _render_sound)
    md.add_render_rule("embed_image", _render_embedded_image)
    md.add_render_rule(
        "rendered", lambda renderer, tokens, index, options, env: tokens[index].content
    )
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
            elif child.type == "rendered":
                found |= child.meta["math"]
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
        env: dict = {"media": []}
        tokens = parse(lifted, env)
        stray = set(range(len(spans))) - keep - _math_read_as_text(tokens)
        if not stray:
            return tokens, spans, env
        keep |= stray
    env = {"media": []}
    return parse(text, env), [], env


def render(text: str, flavour: Flavour, media: list[str], inline: bool) -> str:
    md = parser(flavour)
    parse = md.parseInline if inline else md.parse
    tokens, spans, env = _parse(without_markers(text), parse)
    html = md.renderer.render(tokens, md.options, env)
    media += env["media"]
    return restore_math(html if inline else html.strip(), spans)
