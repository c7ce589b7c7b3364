"""No script from notes: whatever Markdown a note holds, the HTML ankipress writes has no
event handler, no script address and no element outside those Markdown makes, unless the
notes allow raw HTML (`html: true`). Checked on every field of the real rendering, on the
cards the preview draws, and on `card.question()` / `card.answer()` as Anki renders them."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import preview_page, run_cli, write
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ankipress.compile import compile_file
from ankipress.preview import PreviewNote, cards
from ankipress.sources import FoundFile, read_source

TAGS = {"p", "br", "strong", "em", "code", "pre", "a", "img", "ul", "ol", "li", "blockquote"}
TAGS |= {"hr", "s", "span", "div", "table", "thead", "tbody", "tr", "th", "td"}
TAGS |= {"h1", "h2", "h3", "h4", "h5", "h6"}
ATTRIBUTES = {"class", "href", "src", "alt", "title", "start", "style", "data-ordinal"}
CARD_ATTRIBUTES = ATTRIBUTES | {"id"}
"""The note types' templates mark the answer with `<hr id="answer">`."""
ANKI_ATTRIBUTES = CARD_ATTRIBUTES | {"data-cloze"}
"""Anki's own cloze markup adds the hidden text as `data-cloze`."""
STYLE_RE = re.compile(r"text-align:(left|right|center)")
SCRIPT_URL_RE = re.compile(r"^(javascript|vbscript|data:text/html|data:(?!image/))", re.I)
INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f-\x9f]")


class Audit(HTMLParser):
    """Every problem of an HTML fragment: an element outside `TAGS`, an attribute outside the
    allowed ones (an event handler above all), a script address, a style beyond alignment."""

    def __init__(self, attributes: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes = attributes
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name not in self.attributes:
                self.problems.append(f"attribute {name}={value!r} on <{tag}>")
            if name in ("href", "src") and SCRIPT_URL_RE.match(INVISIBLE_RE.sub("", value)):
                self.problems.append(f"script address {name}={value!r}")
            if name == "style" and not STYLE_RE.fullmatch(value.replace(" ", "")):
                self.problems.append(f"style {value!r}")

    handle_startendtag = handle_starttag


def problems(html: str, attributes: set[str] = ATTRIBUTES) -> list[str]:
    audit = Audit(attributes)
    audit.feed(html)
    audit.close()
    return audit.problems


def anki_problems(html: str) -> list[str]:
    """The problems of a card as Anki renders it, its note type's stylesheet aside."""
    return problems(re.sub(r"^<style>.*?</style>", "", html, flags=re.S), ANKI_ATTRIBUTES)


REPRODUCTIONS = {
    "image": '![$" onerror="alert(document.cookie)//$](https://x.invalid/a.png)',
    "link": '[x](https://e.com "$" onmouseover="alert(2)//$")',
}
EMPTY_SOURCE = "![une image onerror=alert(document.cookie) vide]()"
"""Found by the property test through Anki: its import rewrites `src=""` as a bare `src=`."""


def test_the_audit_finds_what_it_looks_for():
    """The oracle itself: each kind of breach is found (so the tests below can fail)."""
    assert problems('<img src="a.png" alt="\\(" onerror="alert(1)//\\)">') == [
        "attribute onerror='alert(1)//\\\\)' on <img>"
    ]
    assert problems('<a href="https://e.com" title="\\(" onmouseover="x">x</a>')
    assert problems('<a href=" JaVa&#x09;Script:alert(1)">x</a>')
    assert problems('<a href="vbscript:x">x</a>')
    assert problems('<a href="data:text/html,&lt;script&gt;">x</a>')
    assert problems("<script>alert(1)</script>")
    assert problems('<svg><circle r="1"/></svg>')
    assert problems('<p style="background:url(x)">x</p>')
    assert problems('<img alt="<span class="cloze" data-ordinal="1">x</span>">')
    assert problems('<img src="data:image/png;base64,AAAA" alt="">') == []
    assert problems('<th style="text-align:right">x</th>') == []


# -- what the reported notes give -----------------------------------------------------------


def fields_of(folder: Path, name: str, text: str) -> list[tuple[str, ...]]:
    path = write(folder / name, text)
    source, _ = read_source(FoundFile(path, folder))
    assert source is not None
    return [note.fields for note in compile_file(source).notes]


@pytest.mark.parametrize("case", sorted(REPRODUCTIONS))
@pytest.mark.parametrize("style", ["line", "heading"])
def test_math_inside_an_attribute_comes_back_as_written_text(tmp_path, case, style):
    markdown = REPRODUCTIONS[case]
    if style == "line":
        (fields,) = fields_of(tmp_path, "n.txt", f"Que montre ceci ?\n{markdown}\n")
    else:
        (fields,) = fields_of(tmp_path, "n.md", f"## Que montre ceci ?\n\n{markdown}\n")
    answer = fields[1]
    assert problems(answer) == []
    if case == "image":  # the description, as written, harmless inside its attribute
        assert 'alt="$&quot; onerror=&quot;alert(document.cookie)//$"' in answer
    else:  # not a link at all, as Markdown reads it: text
        assert "onmouseover=&quot;alert(2)//$&quot;)" in answer and "<a " not in answer


def test_math_is_put_back_only_where_markdown_reads_text(tmp_path):
    text = (
        "## Où est la formule ?\n\n"
        '[$x$ et $y$](https://e.com/$a$ "$t$") ![$\\alpha$](https://x.invalid/$b$.png)\n'
        "[wiki](https://en.wikipedia.org/wiki/Function_\\(mathematics\\)) `$code$` $z_1$\n"
    )
    ((_, answer, _),) = fields_of(tmp_path, "n.md", text)
    assert problems(answer) == []
    assert '<a href="https://e.com/$a$" title="$t$">\\(x\\) et \\(y\\)</a>' in answer
    assert '<img src="https://x.invalid/$b$.png" alt="$\\alpha$" />' in answer
    assert 'href="https://en.wikipedia.org/wiki/Function_(mathematics)"' in answer
    assert "<code>$code$</code> \\(z_1\\)" in answer


def test_cloze_and_sound_syntax_never_stand_inside_an_attribute(tmp_path):
    """Anki looks for `{{c1::…}}` and `[sound:…]` in the whole field: inside an attribute it
    would write its own markup there."""
    text = 'Le ==cervelet== ![{{c2::x}} [sound:a.mp3]](https://x.invalid/a.png "{{c3::y}}")\n'
    ((cloze_text, _, _),) = fields_of(tmp_path, "n.txt", text)
    assert 'alt="&#123;&#123;c2:&#58;x&#125;&#125; &#91;sound:a.mp3]"' in cloze_text
    assert 'title="&#123;&#123;c3:&#58;y&#125;&#125;"' in cloze_text
    assert problems(cloze_text) == []


# -- any hostile Markdown, through the real rendering ----------------------------------------

# Hostile Markdown, built from its grammar so that every construct gets hostile parts:
# images, links, titles, autolinks, math, code, clozes and raw HTML, nested in each other.
BITS = [
    '"', "'", ' onerror="alert(1)" ', " onmouseover=alert(2)// ", "javascript:alert(1)", "<",
    ">", "&quot;", "&#34;", "&#106;avascript:", "&", "\\", "(", ")", "[", "]", "{{c1::", "}}",
    "::", "==", "`", "*", "_", "|", " ", "\n", "x", "é", "%22", "{", "\ue000", "\ue003",
    "[sound:a.mp3]", "<img src=x onerror=alert(1)>", "<script>alert(1)</script>",
    '<a href="javascript:x">', "<svg onload=alert(1)>", "<!--", "-->", "$", "\\(",
]  # fmt: skip
ADDRESSES = [
    "https://x.invalid/a.png", "a.png", "s.mp3", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "&#106;avascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>",
    "java\nscript:x", "#x", "//x.invalid/a", "<javascript:alert(1)>", "<https://e.com/a b>",
    "", "<>", " ",
]  # fmt: skip
bits = st.lists(st.sampled_from(BITS), max_size=5).map("".join)
DELIMITERS = [("$", "$"), ("$$", "$$"), ("\\(", "\\)"), ("\\[", "\\]"), ("`", "`"), ("<", ">")]
wrapped = st.builds(lambda d, t: d[0] + t + d[1], st.sampled_from(DELIMITERS), bits)
plain = st.one_of(bits, wrapped)
address = st.one_of(st.sampled_from(ADDRESSES), plain, st.builds("{}{}".format, plain, plain))
QUOTES = [('"', '"'), ("'", "'"), ("(", ")")]
title = st.one_of(
    st.just(""), st.builds(lambda q, t: f" {q[0]}{t}{q[1]}", st.sampled_from(QUOTES), plain)
)


def constructs(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds("![{}]({}{})".format, inner, address, title),
        st.builds("[{}]({}{})".format, inner, address, title),
        st.builds(lambda label, to, t: f"[{label}]\n\n[{label}]: {to}{t}\n", inner, address, title),
        st.builds("<{}>".format, address),
        st.builds("{{{{c1::{}}}}}".format, inner),
        st.builds("=={}==".format, inner),
        st.builds("**{}**".format, inner),
        st.lists(inner, min_size=2, max_size=3).map(" ".join),
    )


pieces = st.recursive(plain, constructs, max_leaves=6)
TEMPLATES = {
    "line": ("n.txt", "Q: Quel est {q} ?\n{a}\n- {b}\n"),
    "heading": ("n.md", "## Quel est {q} ?\n\n{a}\n\n{b}\n"),
    "cloze": ("n.txt", "Le {q} {{{{c1::{a}}}}} et =={b}==\n"),
    "one-liner": ("n.txt", "Quel {q} :: {a} {b}\n"),
    "list cloze": ("n.txt", "C: Quels {q} ?\n- {a}\n- {b}\n"),
    "french": ("n.txt", "---\nlang: fr\n---\nQuel est {q} ?\n{a} : « {b} »\n"),
}


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template=st.sampled_from(sorted(TEMPLATES)), q=pieces, a=pieces, b=pieces)
def test_no_hostile_markdown_gives_a_live_attribute(tmp_path_factory, template, q, a, b):
    name, shape = TEMPLATES[template]
    folder = tmp_path_factory.mktemp("hostile")
    path = write(folder / name, shape.format(q=q, a=a, b=b))
    source, _ = read_source(FoundFile(path, folder))
    assume(source is not None)
    for note in compile_file(source).notes:
        for html in note.fields:
            assert problems(html) == [], html
        for _, front, back in cards(PreviewNote(note.kind, note.deck, note.fields, note.ords)):
            assert problems(front, CARD_ATTRIBUTES) == [], front
            assert problems(back, CARD_ATTRIBUTES) == [], back


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(template=st.sampled_from(sorted(TEMPLATES)), q=pieces, a=pieces, b=pieces)
def test_no_hostile_markdown_gives_a_live_attribute_in_anki(
    tmp_path_factory, anki, template, q, a, b
):
    name, shape = TEMPLATES[template]
    work = tmp_path_factory.mktemp("hostile-anki")
    write(work / "content" / name, shape.format(q=q, a=a, b=b))
    out = work / "out.apkg"
    result = run_cli("build", str(work / "content"), "-o", str(out))
    assume(result.exit_code == 0 and out.exists())
    collection = anki()
    collection.import_package(out)
    for card in collection.cards_in_due_order():
        assert anki_problems(card.question()) == [], card.question()
        assert anki_problems(card.answer()) == [], card.answer()


def test_an_image_without_address_is_its_description_as_text(tmp_path, anki):
    content = tmp_path / "content"
    write(content / "vide.md", f"## Quelle image ?\n\n{EMPTY_SOURCE} ![x](<>)\n")
    out = tmp_path / "out.apkg"
    assert run_cli("build", str(content), "-o", str(out)).exit_code == 0
    collection = anki()
    collection.import_package(out)
    (card,) = collection.cards_in_due_order()
    assert anki_problems(card.answer()) == []
    assert "<img" not in card.answer()
    assert "une image onerror=alert(document.cookie) vide x" in card.answer()


def test_raw_html_passes_only_when_the_notes_allow_it(tmp_path):
    text = "Quel script ?\n<img src=x onerror=alert(1)>\n"
    ((_, answer, _),) = fields_of(tmp_path / "off", "n.txt", text)
    assert problems(answer) == []
    ((_, answer, _),) = fields_of(tmp_path / "on", "n.txt", "---\nhtml: true\n---\n" + text)
    assert problems(answer) == ["attribute onerror='alert(1)' on <img>"]


# -- the two reproductions, end to end ------------------------------------------------------


@pytest.fixture
def reproductions(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    image, link = REPRODUCTIONS["image"], REPRODUCTIONS["link"]
    write(content / "titres.md", f"## Quelle image ?\n\n{image}\n\n## Quel lien ?\n\n{link}\n")
    write(content / "lignes.txt", f"Quelle image ?\n{image}\n\nQuel lien ?\n{link}\n")
    write(content / "trous.txt", f"Le ==cervelet== coordonne. {image} {link}\n")
    return content


def test_the_reported_notes_reach_anki_without_a_live_handler(reproductions, tmp_path, anki):
    out = tmp_path / "out.apkg"
    result = run_cli("build", str(reproductions), "-o", str(out))
    assert result.exit_code == 0, result.output
    collection = anki()
    collection.import_package(out)
    shown = []
    for card in collection.cards_in_due_order():
        for html in (card.question(), card.answer()):
            assert anki_problems(html) == [], html
            shown.append(html)
    page = "\n".join(shown)
    assert len(collection.notes()) == 5
    assert page.count('alt="$&quot; onerror=&quot;alert(document.cookie)//$"') >= 3
    assert "onerror=" not in re.sub(r'alt="[^"]*"', "", page)
    assert "onmouseover=" not in re.sub(r"onmouseover=&quot;", "", page)


def test_the_reported_notes_reach_the_preview_without_a_live_handler(reproductions, tmp_path):
    html = preview_page(reproductions, tmp_path / "preview.html").read_text(encoding="utf-8")
    cards_html = re.findall(r'<div class="card">(.*?)</div></div>', html, flags=re.S)
    assert len(cards_html) == 10  # five cards, front and back
    for card in cards_html:
        assert problems(card, CARD_ATTRIBUTES) == [], card
    audit = Audit(set())
    audit.feed(html)
    assert not [p for p in audit.problems if p.startswith("attribute on")]
    assert html.count("<script") == 1  # the page's own night switch
    assert unescape("onerror=&quot;") in unescape(html)  # the text is there, as text
