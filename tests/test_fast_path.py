"""The fast paths for plain lines and one-line paragraphs give exactly the HTML markdown-it
gives."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from ankipress.commonmark import render
from ankipress.markdown import Flavour, fast_inline, fast_paragraph, render_inline_markdown
from ankipress.parse import parse
from ankipress.records import LineAnswer
from ankipress.sources import FoundFile, discover, read_source

FLAVOURS = [Flavour(), Flavour(french=True), Flavour(allow_html=True, french=True)]


def line_texts(folder: Path) -> list[str]:
    """Every question and answer line of every line-style note under a folder."""
    texts = []
    for found in discover([folder]):
        source, _ = read_source(FoundFile(found.path, found.root))
        for note in parse(source).notes:
            texts.append(note.question)
            if isinstance(note.answer, LineAnswer):
                texts += [line.text for line in note.answer.lines]
    return texts


def assert_same(text: str) -> None:
    for flavour in FLAVOURS:
        fast = fast_inline(text, flavour)
        if fast is not None:
            assert fast == render_inline_markdown(text, flavour, []), (text, flavour)
        fast = fast_paragraph(text, flavour)
        if fast is not None:
            assert fast == render(text, flavour, [], inline=False), (text, flavour)


def test_fast_path_matches_markdown_it_on_every_line_of_the_content():
    texts = line_texts(ROOT / "content")
    assert len(texts) > 60
    taken = [t for t in texts if fast_inline(t, Flavour()) is not None]
    assert len(taken) > len(texts) * 0.8  # the fast path really is the common path
    for text in texts:
        assert_same(text)


PIECES = [
    "mot", "Mot", "é", "10", " ", "  ", ",", ".", ";", ":", "?", "!", "'", "’", "(", ")", "/",
    "+", "%", "«", "»", '"', "-", "*", "**", "***", "_", "__", "`", "[", "]", "<", ">", "&",
    "\\", "$", "~", "=", "#", "!", "|", "{", "}", "\u00a0", "\u202f", "°", "@", "^", "€",
    "{{c1::", "==", "\t", "http://a.fr", "www.x.fr", "&amp;", "<b>", "\\(", ":", "...",
    "1.", "2)", "- ", "+ ", "* ", "> ", "# ", "---", "===", "\n", "\n\n", "    ", "1989.",
]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=14).map("".join))
def test_fast_path_matches_markdown_it_on_any_mix_of_text_and_emphasis(text):
    assert_same(text)


def test_one_line_paragraphs_take_the_fast_path_and_blocks_do_not():
    assert fast_paragraph("La réponse 12", Flavour()) == "<p>La réponse 12</p>"
    bold = "<p>Elle est <strong>rouge</strong> !</p>"
    assert fast_paragraph("Elle est **rouge** !", Flavour()) == bold
    asked = "<p><strong>1. Une question ?</strong></p>"
    assert fast_paragraph("**1. Une question ?**", Flavour()) == asked
    assert fast_inline("**Une question ?**suivie", Flavour()) is None  # not a closing run
    for block in ("- item", "1. un", "1989.", "> cité", "# titre", "***", "a\nb", ""):
        assert fast_paragraph(block, Flavour()) is None, block
    two = "<p>Une réponse.</p>\n<p>Une <em>suite</em>.</p>"
    assert fast_paragraph("Une réponse.\n\nUne *suite*.", Flavour()) == two
    assert two == render("Une réponse.\n\nUne *suite*.", Flavour(), [], inline=False)
    for blocks in ("a\n\n\nb", "a\n\n- b", "a\n\n", "\n\na", "a\n\n    b"):
        assert fast_paragraph(blocks, Flavour()) is None, blocks
