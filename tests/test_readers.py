"""The readers on any mixture of the lines they give meaning to: never an exception, every
line read, every note located in its file."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ankipress.compile import compile_file
from ankipress.parse import parse
from ankipress.sources import FoundFile, source_from_bytes

# Lines that mean something to one rule or another: separators, card blocks, headings at every
# level, comments, fences, tags, clozes, forced readings, front matter forcing a format.
LINES = [
    "?", "??", "%", "---", "___", "***", "START", "END", "Basic", "Back: b", "Tags: t u",
    "Front: f", "STARTI [Basic] a Back: b ENDI", "Q: q", "A: a", "C: c", "R : r", "# T",
    "## Quel est X ?", "### sous-titre", "###### 1. Quoi ?", "#### Answer: B", "## Answer",
    "<!--", "-->", "<!-- c -->", "x <!--SR:!2025-01-01,1,250-->", "```", "```py", "~~~", "$$",
    "- item", "  - sous-item", "1. un", "    indenté", "", "", "texte", "Quel est Y ?",
    "a :: b", "a ::: b", "une phrase::réponse", "==x==", "==c1::y==", "{{c1::z}}", "{{c2::",
    "#tag #a/b", "[#t]()", '## Q ? { id="x" }', "## Q {#id}", "#flashcards", "`<!--` code",
    "| a | b |", "> citation", "\t- tab",
]  # fmt: skip
FORMATS = ["", "ankipress", "obsidian-spaced-repetition", "obsidian-to-anki", "mdanki"]
FORMATS += ["markdown-flashcards"]  # "": recognised from the file
files = st.tuples(
    st.sampled_from(FORMATS),
    # NUL makes a file "not a text file" before any reader sees it.
    st.lists(
        st.one_of(st.sampled_from(LINES), st.text(max_size=6).map(lambda t: t.replace("\0", ""))),
        max_size=50,
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(file=files)
def test_any_mixture_is_read_line_by_line_without_raising(file):
    fmt, lines = file
    text = (f"---\nformat: {fmt}\n---\n" if fmt else "") + "\n".join(lines)
    path = Path("notes.md")
    source, _ = source_from_bytes(FoundFile(path, Path(".")), text.encode(), "notes.md")
    assert source is not None
    parsed = parse(source)
    assert len(parsed.line_readings) == len(source.lines)
    for note in parsed.notes:
        assert 1 <= note.location.line <= len(source.lines)
        assert note.question.strip() or note.kind.value == "cloze"
    compile_file(source)
