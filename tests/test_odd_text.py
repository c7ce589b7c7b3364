"""Text that looks like ankipress's own markers, lists nested deeper than Markdown goes, and
file names with control characters: every word reaches Anki, every problem prints on a
line of its own."""

from __future__ import annotations

import re

from conftest import run_cli, visible_lines, write

from ankipress.markdown import Flavour, render_block, render_inline

PRIVATE = "\ue000\ue001\ue002\ue003"


def test_private_use_characters_are_text_like_any_other(tmp_path, anki):
    """They were the placeholders of math and media (and crashed the build); icon fonts use
    them, so notes copied from a web page may hold them."""
    content = tmp_path / "content"
    write(
        content / "icones.txt",
        f"Que montre {PRIVATE} ?\n\ue0020\ue003 et \ue0000\ue001 avec $x_{{\ue000}}$\n\n"
        f"Le =={PRIVATE}== et {{{{c2::\ue0021\ue003}}}} sont cachés.\n",
    )
    write(
        content / "titres.md",
        f"## Quoi {PRIVATE} ?\n\n![\ue002](\ue0030\ue002.png) \ue0021\ue003\n",
    )
    write(content / "\ue0030\ue002.png", b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "out.apkg"
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 0, result.output
    collection = anki()
    collection.import_package(out)
    shown = "\n".join(c.question() + c.answer() for c in collection.cards_in_due_order())
    assert f"Que montre {PRIVATE}" in shown
    assert "\ue0020\ue003 et \ue0000\ue001 avec \\(x_{\ue000}\\)" in shown
    assert f"Quoi {PRIVATE}" in shown and "\ue0021\ue003" in shown
    assert len(collection.col.media.check().missing) == 0
    assert [c.ord for c in collection.cards_in_due_order()] == [0, 0, 1, 0]


def test_the_renderer_s_own_markers_cannot_be_smuggled_in():
    """They are control characters, which reading a file drops: given directly, they go too."""
    media: list[str] = []
    assert render_inline("a\x910\x92b \x930\x94", Flavour(), media) == "a0b 0"
    assert render_block("$x$ \x910\x92", Flavour(), media) == "<p>\\(x\\) 0</p>"
    assert media == []


LEVELS = 14
NESTED = "".join("  " * depth + f"- niveau {depth}\n" for depth in range(LEVELS))


def test_a_heading_answer_nested_deeper_than_markdown_goes_loses_no_word(tmp_path, anki):
    content = tmp_path / "content"
    write(content / "profond.md", f"## Quelle est la profondeur ?\n\n{NESTED}\nFin.\n")
    out = tmp_path / "out.apkg"
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert re.search(r"profond\.md:11:1: warning: lists or quotes nested too deep", result.output)
    collection = anki()
    collection.import_package(out)
    (card,) = collection.cards_in_due_order()
    lines = visible_lines(card.answer())
    for depth in range(LEVELS):
        assert any(line.endswith(f"niveau {depth}") for line in lines), (depth, lines)
    assert "Fin." in lines
    assert card.answer().count("<ul>") == 9  # nine levels shown nested, the rest as written


def test_quotes_nested_deeper_than_markdown_goes_lose_no_word(tmp_path):
    content = tmp_path / "content"
    write(content / "citation.md", "## Quelle citation ?\n\n" + "> " * 30 + "au fond\n")
    result = run_cli("check", str(content))
    assert result.exit_code == 0
    assert "citation.md:3:1: warning: lists or quotes nested too deep" in result.output
    html = render_block("> " * 30 + "au fond", Flavour(), [])
    assert "au fond" in html and html.count("<blockquote>") < 30


def test_a_line_style_answer_nests_as_deep_as_it_is_written(tmp_path, anki):
    content = tmp_path / "content"
    write(content / "profond.txt", f"Quelle est la profondeur ?\n{NESTED}")
    out = tmp_path / "out.apkg"
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    collection = anki()
    collection.import_package(out)
    (card,) = collection.cards_in_due_order()
    assert card.answer().count("<ul>") == LEVELS
    assert re.findall(r"niveau \d+", card.answer()) == [f"niveau {d}" for d in range(LEVELS)]


def test_control_characters_in_a_file_name_are_shown_escaped(tmp_path, monkeypatch):
    """A newline in a name must not start a line that reads as another diagnostic."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "notes" / "a\nb.txt:9:9: error: faux.txt", "Quel est X ?\n")
    write(tmp_path / "notes" / "c\u202ed.txt", "Quel est Y ?\n")
    result = run_cli("check", "notes")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "notes/a\\nb.txt:9:9: error: faux.txt:1:1: error: question without an answer" in (
        line[: line.index(";")] for line in lines if ";" in line
    )
    assert any(line.startswith("notes/c\\u202ed.txt:1:1: error: ") for line in lines)
    assert sum(": error: " in line for line in lines) == 2
