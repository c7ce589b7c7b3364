"""Parsing and rendering through data files: each `tests/cases/NAME.txt|md` sits next to
`NAME.expected`, the deck, notes (kind, location, fields, tags) and diagnostics it gives.

Adding a case means adding a file. To write the expected output of a new case, run
`ANKIPRESS_UPDATE_CASES=1 pytest tests/test_cases.py`, then read it and check it by hand.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ankipress.parse import find_duplicates, parse, style_warnings
from ankipress.render import empty_card_problems, render
from ankipress.sources import FoundFile, read_source

CASES = Path(__file__).parent / "cases"
INPUTS = sorted(p for p in CASES.iterdir() if p.suffix in (".txt", ".md"))


def dump(path: Path) -> str:
    """Everything a file gives, in a form a person can check line by line."""
    source, problems = read_source(FoundFile(path, path.parent))
    assert source is not None
    parsed = parse(source)
    diagnostics = [
        *problems,
        *parsed.diagnostics,
        *find_duplicates(parsed.notes),
        *style_warnings(parsed.notes),
    ]
    lines = [f"deck: {parsed.deck}"]
    for note in parsed.notes:
        rendered = render(note, path.parent)
        location = note.location
        lines.append(f"--- {location.line}:{location.col} {note.kind.value} {note.deck}")
        names = ("Text", "Back Extra") if note.kind.value == "cloze" else ("Front", "Back")
        for name, html in zip(names, rendered.fields, strict=False):
            lines.append(f"{name}: {html}")
        lines.append(f"tags: {' '.join(rendered.tags)}")
        lines += [
            f"! {location.line}:{location.col} error: {p}" for p in empty_card_problems(rendered)
        ]
    lines += [
        f"! {d.location.line}:{d.location.col} {d.severity.value}: {d.message}" for d in diagnostics
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_case(path: Path):
    expected = path.with_suffix(".expected")
    actual = dump(path)
    if os.environ.get("ANKIPRESS_UPDATE_CASES"):
        expected.write_text(actual, encoding="utf-8")
    assert expected.exists(), f"no {expected.name}: write it (see this module's docstring)"
    assert actual == expected.read_text(encoding="utf-8")


def test_every_expected_file_has_its_input():
    inputs = {p.stem for p in INPUTS}
    assert {p.stem for p in CASES.glob("*.expected")} == inputs
