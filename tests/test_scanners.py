"""The text scanners read what the plain patterns read, in one pass whatever the text holds.

Each linear scanner (math, code spans, `==…==` shorthands, deletions, link labels and
addresses, French spacing) is held equal, on generated text, to the short regular
expression or to markdown-it's own function it replaces (those restart a search at every
opening delimiter: quadratic time). Timing lives in `bench/pathological.py`, not here; the
pathological inputs are checked here for what they give."""

from __future__ import annotations

import re
import types
from unittest import mock

import pytest
from conftest import run_cli, write
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt, helpers

from ankipress import cloze, commonmark, lines, literals, markdown

# The patterns the scanners replace, as they were: the reference of what each must find.
MATH_RE = re.compile(
    r"(?<![\\$])\$\$(?P<dd>.+?)\$\$"
    r"|(?<![\\$\w])\$(?P<d>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?![\w$])"
    r"|(?<!\\)\\\((?P<p>.+?)\\\)"
    r"|(?<!\\)\\\[(?P<b>.+?)\\\]",
    re.S,
)
HIGHLIGHT_RE = re.compile(r"(?<!=)==(?=[^\s=])(.*?[^\s=])==(?!=)")
WRITTEN_HIGHLIGHT_RE = re.compile(r"(?<!=)==c(\d+)::(?=[^\s=])(.*?[^\s=])==(?!=)")


def reference_math(text: str, code: list[tuple[int, int]]) -> list[tuple[int, int, str, bool]]:
    masked = literals.mask(text, code)
    return [
        (m.start(), m.end(), m[m.lastgroup], m.lastgroup in ("dd", "b"))  # type: ignore[index]
        for m in MATH_RE.finditer(masked)
        if literals.MASK not in m.group(0)
    ]


def reference_french(text: str) -> str:
    parts = re.split(r"(\S*://\S*)", text)
    for index in range(0, len(parts), 2):
        part = parts[index]
        part = re.sub(r"[ \t\u00a0]+([?!;])", "\u202f\\1", part)
        part = re.sub(r"(?<=[\w»)\]])([?!;])", "\u202f\\1", part)
        part = re.sub(r"[ \t\u202f]+:", "\u00a0:", part)
        part = re.sub(r"«[ \t\u202f]*", "«\u00a0", part)
        part = re.sub(r"[ \t\u202f]*»", "\u00a0»", part)
        parts[index] = part
    return "".join(parts)


def texts(*pieces: str, size: int = 40) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=size).map("".join)


COMMONMARK = MarkdownIt("commonmark")
OURS = commonmark._configured(markdown.Flavour())
WITH_THEIR_LABELS = commonmark._configured(markdown.Flavour())
WITH_THEIR_LABELS.helpers = types.SimpleNamespace(
    **{**vars(OURS.helpers), "parseLinkLabel": helpers.parseLinkLabel}
)
WITH_THEIR_ADDRESSES = commonmark._configured(markdown.Flavour())
WITH_THEIR_ADDRESSES.helpers = types.SimpleNamespace(
    **{**vars(OURS.helpers), "parseLinkDestination": helpers.parseLinkDestination}
)
MATHS = texts("$", "$$", "\\(", "\\)", "\\[", "\\]", "\\", "a", " ", "\n", "`", "``", "x_y", "é")
CLOZES = texts("{{c1::", "{{c2::", "}}", "}", "::", "==", "=", "==c1::", " ", "a", "\n", "`", "$")


@settings(max_examples=1500, deadline=None)
@given(MATHS)
def test_math_is_found_as_the_pattern_finds_it(text):
    code = literals.code_ranges(text)
    found = [(m.start, m.end, m.tex, m.display) for m in literals.find_math(text, code)]
    assert found == reference_math(text, code)


@settings(max_examples=1500, deadline=None)
@given(texts("`", "``", "```", "\\", "\\`", "a", " ", "<", "$"))
def test_code_spans_are_markdown_its(text):
    line = "x" + text
    tokens = COMMONMARK.parseInline(line)[0].children or []
    theirs = [t.content for t in tokens if t.type == "code_inline"]
    ours = []
    for start, end in literals.code_span_ranges(line):
        run = len(line[start:end]) - len(line[start:end].lstrip("`"))
        content = line[start + run : end - run]
        if content.startswith(" ") and content.endswith(" ") and content.strip(" "):
            content = content[1:-1]
        ours.append(content)
    assert ours == theirs


@settings(max_examples=1500, deadline=None)
@given(CLOZES)
def test_shorthands_are_found_as_the_pattern_finds_them(text):
    literal = literals.mask_literals(text)
    masked = literals.mask(literal, [(d.start, d.end) for d in cloze.scan(text)[0]])
    expected = [
        (m.span(), text[m.start(1) : m.end(1)])
        for m in HIGHLIGHT_RE.finditer(masked)
        # code or math in it, but no deletion, when a deletion can hide it
        if literals.MASK not in m[0]
        or (literal[m.start() : m.end()] == m[0] and cloze.holds(text[m.start(1) : m.end(1)]))
    ]
    assert [(m.span(), m[1]) for m in cloze.highlights(text)] == expected
    pieces, last = [], 0
    for m in WRITTEN_HIGHLIGHT_RE.finditer(literals.mask_literals(text)):
        if literals.MASK not in m[0]:
            pieces += [text[last : m.start()], f"{{{{c{m[1]}::{text[m.start(2) : m.end(2)]}}}}}"]
            last = m.end()
    assert cloze.written_highlights(text) == "".join(pieces) + text[last:]


@settings(max_examples=1500, deadline=None)
@given(texts(" ", "\t", "\u00a0", "\u202f", "?", "!", ";", ":", "«", "»", "a", ")", "://", "\n"))
def test_french_spacing_is_the_patterns(text):
    assert markdown.french_text(text) == reference_french(text)


@settings(max_examples=1000, deadline=None)
@given(texts("[", "]", "![", "](u)", "(u)", "a", " ", "`", "<http://a>", "*", "\\]", "[x]", "\n"))
def test_link_labels_are_read_as_markdown_it_reads_them(text):
    """Remembering what each label scan learnt gives markdown-it's very reading."""
    text += "\n\n[x]: /r"
    assert OURS.render(text) == WITH_THEIR_LABELS.render(text)


@settings(max_examples=1000, deadline=None)
@given(texts("[a](", "(", ")", "\\", "\\ ", " ", "a", "<", ">", "\n", "\x7f", '"t"', "[", "]"))
def test_link_addresses_are_read_as_markdown_it_reads_them(text):
    """Up to eight parentheses deep, as markdown-it reads 32 (CommonMark asks for three)."""
    if text.count("(") <= commonmark.PAREN_NESTING:
        assert OURS.render(text) == WITH_THEIR_ADDRESSES.render(text)


@settings(max_examples=1000, deadline=None)
@given(
    texts("[a](", "[a]", "![a](", "](u)", ")", "(", "[", "]", "a", " ", "*", "\n"),
    st.sampled_from(["", "\n\n[a]: /r"]),
)
def test_text_read_without_the_link_rules_is_read_as_with_them(text, references):
    """Where no link can close (no `]`, or no `)` and no reference), leaving the link and
    image rules out reads the text as markdown-it reads it with them."""
    text += references
    md = commonmark.parser(markdown.Flavour())
    fast = md.render(text)
    with mock.patch.object(commonmark, "may_link", lambda text, env: True):
        assert fast == md.render(text)


@settings(max_examples=1000, deadline=None)
@given(
    texts(
        "*", "**", "_", "__", " ", "a", "\n", "\t", "\u00a0", "\u202f", ".", "*a", "a_", "[a](u)"
    ),
    st.sampled_from(["", "> ", "- ", "# "]),
)
def test_text_read_without_the_emphasis_rule_is_read_as_with_it(text, block):
    """Where no `*` or `_` run follows anything but a space, tab or line break (no emphasis
    can close), leaving the emphasis rule out reads the text as markdown-it reads it."""
    md = commonmark.parser(markdown.Flavour())
    fast = md.render(block + text)
    with mock.patch.object(commonmark, "may_emphasise", lambda text: True):
        assert fast == md.render(block + text)


# -- what the pathological inputs give ------------------------------------------------------

SIZE = 20_000


def test_openers_never_closed_find_nothing():
    assert literals.find_math("\\(a " * SIZE) == []
    assert literals.find_math("\\[a " * SIZE) == []
    assert cloze.highlights("==a " * SIZE) == []
    assert cloze.written_highlights("==c1::a " * SIZE) == "==c1::a " * SIZE
    assert literals.code_span_ranges("a ".join("`" * n for n in range(1, 200))) == []
    deletions, problems = cloze.scan("{{c1::a " * SIZE)
    assert deletions == [] and len(problems) == cloze.MAX_DEPTH + 1


def test_deletions_nested_too_deep_are_one_problem_and_nothing_nested_is_lost():
    text = "{{c1::" * SIZE + "x" + "}}" * SIZE
    deletions, problems = cloze.scan(text)
    assert [p.message for p in problems] == ["cloze deletions nested more than 8 deep"]
    assert len(deletions) == cloze.MAX_DEPTH
    nested = "{{c1::a {{c2::b}} c}} d"
    assert cloze.strip_markup(nested) == "a b c d"  # the text after a nested deletion stays


def test_cloze_numbers_above_anki_s_last_card_are_a_problem():
    _, problems = cloze.scan("{{c500::a}} {{c501::b}} {{c" + "9" * 5000 + "::c}}")
    assert [p.message for p in problems] == [
        "cloze number c501 is too high: Anki makes cards up to c500",
        "cloze number c99999999… is too high: Anki makes cards up to c500",
    ]


def test_a_huge_paragraph_is_rendered_in_pieces_with_all_its_markdown():
    units = 4 * commonmark.PIECE_SIZE // len("**a** $x_1$ ![i](p.png) ")
    media: list[str] = []
    html = markdown.render_block("**a** $x_1$ ![i](p.png) " * units, markdown.Flavour(), media)
    assert html.count("<strong>a</strong>") == units
    assert html.count("\\(x_1\\)") == units
    assert html.count("<img ") == units == len(media)


@pytest.mark.parametrize(
    "unit",
    ["==a ", "==a== ", "\\(a ", "$a ", "`a ", "**a ", "[a ", "![a ", "[a](", "{{c1::a}} ", "> "],
)
def test_pathological_notes_build_or_fail_with_located_errors(tmp_path, unit):
    write(tmp_path / "content" / "n.md", "## Quelle est la réponse ?\n\n" + unit * 2000 + "\n")
    result = run_cli("check", str(tmp_path / "content"))
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output and "internal error" not in result.output


NOTE_ID_RE = re.compile(r"[ \t]*\{#(?P<id>\w[\w.:/-]*)\}[ \t]*$")
_ATTR = r"""(?:[.#][\w-]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s}]+))"""
ATTR_LIST_RE = re.compile(rf"[ \t]*\{{:?[ \t]*{_ATTR}(?:[ \t]+{_ATTR})*[ \t]*\}}[ \t]*$")
ENDINGS = st.text(alphabet="ab {}#:.=-\"' \t", max_size=24)


@settings(max_examples=400, deadline=None)
@given(text=ENDINGS)
def test_a_note_id_is_found_as_the_pattern_finds_it(text):
    from ankipress.lines import split_note_id

    match = NOTE_ID_RE.search(text)
    expected = (text, None) if match is None else (text[: match.start()], match["id"])
    assert split_note_id(text) == expected


@settings(max_examples=400, deadline=None)
@given(text=ENDINGS.map(lambda t: "Titre " + t))
def test_a_heading_attribute_list_is_dropped_as_the_pattern_drops_it(text):
    from ankipress.headings import heading_text
    from ankipress.lines import split_note_id

    stripped = text.strip()
    match = ATTR_LIST_RE.search(stripped)
    # A `{` quoted inside the list is read from the last `{` only, on purpose (one pass).
    assume(match is None or match.group().count("{") == 1)
    expected = stripped
    if split_note_id(stripped)[1] is None and match:
        expected = stripped[: match.start()]
    assert heading_text(text) == expected


OLD_TRAILING_TAGS_RE = re.compile(r"(?:[ \t]+#[^\W\d][\w/-]*)+[ \t]*$")


def reference_question_tags(text: str) -> tuple[str, list[str]]:
    """Tags after a question's mark, found by searching the whole line from its end."""
    tags = OLD_TRAILING_TAGS_RE.search(text)
    if tags is None or not text[: tags.start()].rstrip(lines.QUOTES_AND_EMPHASIS).endswith(
        lines.QUESTION_MARKS
    ):
        return text, []
    return text[: tags.start()], tags[0].split()


@settings(max_examples=1000, deadline=None)
@given(texts("?", "？", " ", "#", "a", "1", "*", "«", "»", "\t", "/", "é"))
def test_tags_after_a_question_are_the_patterns(text):
    assert lines.asked_with_tags(text) == reference_question_tags(text)


def test_a_pattern_compiled_at_first_use_reads_as_one_compiled_at_once():
    from ankipress.patterns import lazy_pattern

    lazy = lazy_pattern(r"(?P<word>b\w+)", re.IGNORECASE)
    assert lazy.pattern == r"(?P<word>b\w+)"  # before compiling: patterns built from others
    compiled = re.compile(lazy.pattern, re.IGNORECASE)
    text = "a Bee, a bird and a boat"
    assert lazy.search(text)["word"] == compiled.search(text)["word"] == "Bee"
    assert lazy.sub("x", text) == compiled.sub("x", text)
    assert lazy.findall(text) == compiled.findall(text)
    assert lazy.groupindex == compiled.groupindex and lazy.flags == compiled.flags
    assert "search" in vars(lazy)  # later calls find the compiled method at once


def test_no_reader_compiles_its_patterns_at_import():
    import subprocess
    import sys

    code = (
        "import re; compiled = []; real = re.compile\n"
        "re.compile = lambda *a, **k: compiled.append(a[0]) or real(*a, **k)\n"
        "import ankipress.pipeline, ankipress.cli\n"
        "print(len(compiled))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    # Libraries compile a few of their own; the readers' ~190 wait for their first use.
    assert int(found.stdout) < 60
