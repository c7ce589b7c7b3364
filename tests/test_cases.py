"""Parsing and rendering through data files, input next to expected output.

Each case is `tests/cases/STYLE/NAME.txt` (or `.md`, or deeper: `STYLE/FOLDER/NAME.txt`)
with `NAME.expected` beside it: the deck, every note (location, kind, rendered fields, tags)
and every diagnostic the file gives, one item a line. The STYLE folder is the source folder,
so a case in a sub-folder of it gets that sub-folder as a deck prefix.

Adding a case means adding a file. To write the expected output of a new case, run
`ANKIPRESS_UPDATE_CASES=1 pytest tests/test_cases.py`, then read every line of it and check
it against the specification by hand before keeping it: the expected file is the contract,
not a copy of whatever the code gives today.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ankipress.compile import DuplicateCheck, compile_file
from ankipress.records import Diagnostic, NoteKind
from ankipress.sources import FoundFile, read_source

CASES = Path(__file__).parent / "cases"
SUFFIXES = (".txt", ".md", ".csv", ".tsv")
INPUTS = sorted(p for p in CASES.rglob("*") if p.suffix in SUFFIXES and p.is_file())
UPDATE = bool(os.environ.get("ANKIPRESS_UPDATE_CASES"))


def style_folder(path: Path) -> Path:
    """The case's source folder: the first folder under `cases/`."""
    return CASES / path.relative_to(CASES).parts[0]


def field_lines(label: str, html: str) -> list[str]:
    """`label: html`, a multi-line field going on in lines indented under it."""
    first, *rest = html.split("\n")
    lines = [f"{label}: {first}" if first else f"{label}:"]
    lines += [f"   {line}" if line else "" for line in rest]
    return lines


def diagnostic_line(diagnostic: Diagnostic) -> str:
    where = diagnostic.location
    return f"diagnostic {where.line}:{where.col} {diagnostic.severity.value}: {diagnostic.message}"


def dump(path: Path) -> str:
    """Everything a file gives, in a form a person can check line by line.

    Call it with the working directory set to the case's source folder, so that paths in
    messages (`already asked at NAME.txt:1:1`) read the same on every machine.
    """
    root = style_folder(path)
    source, problems = read_source(FoundFile(path, root))
    lines: list[str] = []
    if source is None:
        return "\n".join(["unreadable", *map(diagnostic_line, problems)]) + "\n"
    result = compile_file(source)
    lines.append(f"deck: {result.deck}")
    for note in result.notes:
        deck = "" if note.deck == result.deck else f" deck={note.deck}"
        lines.append(f"note {note.line}:{note.col} {note.kind.value}{deck}")
        labels = ("Text", "Extra") if note.kind is NoteKind.CLOZE else ("Q", "A")
        for label, html in zip(labels, note.fields, strict=False):
            lines += field_lines(label, html)
        lines.append(f"tags: {' '.join(note.tags)}")
    diagnostics = [*problems, *result.diagnostics, *DuplicateCheck().problems(result)]
    lines += map(diagnostic_line, diagnostics)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", INPUTS, ids=[p.relative_to(CASES).as_posix() for p in INPUTS])
def test_case(path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(style_folder(path))
    expected = path.with_suffix(".expected")
    actual = dump(path)
    if UPDATE:
        expected.write_text(actual, encoding="utf-8")
    assert expected.exists(), f"no {expected.name}: write it (see this module's docstring)"
    assert actual == expected.read_text(encoding="utf-8")


def test_every_expected_file_has_its_input():
    inputs = {p.with_suffix("") for p in INPUTS}
    expected = {p.with_suffix("") for p in CASES.rglob("*.expected")}
    assert expected == inputs


def test_there_are_cases_of_every_style():
    styles = {p.relative_to(CASES).parts[0] for p in INPUTS}
    assert {"line", "heading", "cloze", "decks", "errors"} <= styles
    assert len(INPUTS) >= 20
