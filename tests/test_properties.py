"""Property tests: no input makes ankipress raise; every build is either imported cleanly by
Anki or refused with located diagnostics."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ankipress.pipeline import build, check
from ankipress.sources import FoundFile, read_source

# Text made mostly of what means something to the parser, so that examples hit its rules.
SYNTAX = [
    "\n", "\n\n", "\r\n", "\r", " ", "  ", "\t", "- ", "* ", "+ ", "• ", "– ", "1. ", "2) ",
    "Q: ", "A: ", "R : ", "C: ", "?", " ?", ":", " :: ", " ::: ", "{{c1::", "{{c2::", "}}",
    "::", "==", "$", "$$", "\\(", "\\)", "\\[", "\\]", "`", "```", "~~~", "# ", "## ", "### ",
    "---", "...", "![x](", "[s](a.mp3)", ")", "](", "<b>", "<script>", "&", "\u200f", "\ufeff",
    "Quel ", "Pourquoi ", "What ", "Décrivez ", "Quels sont les lobes", "réponse", "x",
    "deck: D", "tags: [a, b]", "cloze: lists", "lang: fr", "html: true", "id: n",
    "**", "===", "> ?", ">??", "{{x}}", "| a | b |", "|---|---|", "| **T** | |", "{:toc}",
    "{: .c }", "1. TOC", "TARGET DECK", "## Questions", "## Réponses", "🗂️ Question:",
    "📦 Answer:", "#flashcards", "START", "Back: ", "END", "<br>", "    ", "(c) ", "特点：",
    "“", "”", " (x)", " `y`", " – ",
]  # fmt: skip
notes_text = st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=8)), max_size=60).map(
    "".join
)
LOCATION = re.compile(r"^.+:\d+:\d+: (error|warning): .+")


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=notes_text)
def test_reading_and_rendering_any_text_never_raises(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("text")
    write(folder, "notes.md", text.encode("utf-8", "surrogatepass"))
    report = check([folder])
    for diagnostic in report.diagnostics:
        assert LOCATION.match(str(diagnostic)), str(diagnostic)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300))
def test_reading_any_bytes_never_raises(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("bytes")
    path = write(folder, "notes.txt", data)
    source, diagnostics = read_source(FoundFile(path, folder))
    assert source is not None or any(d.is_error for d in diagnostics)
    check([folder])


@settings(
    max_examples=40,
    deadline=None,
    # `anki` is a factory: each example opens its own fresh collection.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=notes_text)
def test_any_build_imports_cleanly_or_fails_with_located_errors(tmp_path_factory, anki, text):
    work = tmp_path_factory.mktemp("build")
    content = work / "content"
    write(content, "notes.txt", text.encode("utf-8", "surrogatepass"))
    out = work / "out.apkg"
    report = build([content], out, now=1790000000)
    for diagnostic in report.diagnostics:
        assert LOCATION.match(str(diagnostic)), str(diagnostic)
    if report.failed:
        assert not out.exists()
        assert any(d.is_error for d in report.diagnostics)
        return
    if report.note_count == 0:
        assert not out.exists()
        return
    collection = anki()
    log = collection.import_package(out)
    col = collection.col
    assert len(log.new) == report.note_count
    assert list(col.get_empty_cards().notes) == []
    assert all(col.get_note(nid).cards() for nid in col.find_notes(""))
