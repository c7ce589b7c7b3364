"""Cloze notes, list clozes, one-line and reversed notes, as Anki imports them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_cli, visible_lines

LOBES = """\
---
cloze: lists
---
Neuroanatomie
Quels sont les quatre lobes du cortex ?
- frontal
- pariétal
- temporal
- occipital
"""

SENTENCES = """\
Le {{c1::cervelet}} coordonne les mouvements et l'{{c2::équilibre}}.

L'aire de ==Broca== est responsable de la ==production== du langage.
"""

ONE_LINERS = """\
Vocabulaire
Capitale du Canada :: Ottawa
Synapse ::: Jonction entre deux neurones
"""


def build_one(tmp_path: Path, name: str, text: str, now: str = "1790000000") -> Path:
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    (content / name).write_text(text, encoding="utf-8")
    out = tmp_path / "build"
    result = run_cli("build", str(content), "-o", str(out), env={"SOURCE_DATE_EPOCH": now})
    assert result.exit_code == 0, result.output
    return out / Path(name).with_suffix(".apkg")


def rendered(card) -> tuple[list[str], list[str]]:
    output = card.render_output(reload=True)
    return visible_lines(output.question_text), visible_lines(output.answer_text)


def assert_cards_match_cloze_numbers(col) -> None:
    assert list(col.get_empty_cards().notes) == []
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        assert note.cards(), "a note without cards"
        if note.note_type()["name"] == "ankipress Cloze":
            numbers = {int(n) for n in re.findall(r"\{\{c(\d+)::", note["Text"])}
            assert sorted(card.ord + 1 for card in note.cards()) == sorted(numbers)


def test_list_cloze_gives_one_card_per_item(tmp_path, anki):
    collection = anki()
    collection.import_package(build_one(tmp_path, "lobes.txt", LOBES))
    notes = collection.notes()
    assert len(notes) == 1
    assert notes[0].note_type()["name"] == "ankipress Cloze"
    cards = collection.cards_in_due_order()
    assert len(cards) == 4
    question, answer = rendered(cards[0])
    lobes_question = "Quels sont les quatre lobes du cortex ?"
    assert question == [lobes_question, "[...]", "pariétal", "temporal", "occipital"]
    assert answer[:5] == [lobes_question, "frontal", "pariétal", "temporal", "occipital"]
    assert 'class="cloze" data-ordinal="1">frontal' in cards[0].answer()
    last_question, _ = rendered(cards[3])
    assert last_question[-1] == "[...]" and "frontal" in last_question
    assert_cards_match_cloze_numbers(collection.col)


def test_cloze_sentences_and_highlight_shorthand(tmp_path, anki):
    collection = anki()
    collection.import_package(build_one(tmp_path, "phrases.txt", SENTENCES))
    notes = collection.notes()
    assert len(notes) == 2
    assert [len(note.cards()) for note in notes] == [2, 2]
    cards = collection.cards_in_due_order()
    assert rendered(cards[0])[0] == ["Le [...] coordonne les mouvements et l'équilibre."]
    assert rendered(cards[1])[0] == ["Le cervelet coordonne les mouvements et l'[...]."]
    broca_first, broca_second = cards[2], cards[3]
    assert rendered(broca_first)[0] == [
        "L'aire de [...] est responsable de la production du langage."
    ]
    assert rendered(broca_first)[1][0] == (
        "L'aire de Broca est responsable de la production du langage."
    )
    assert "Broca" not in rendered(broca_first)[0][0]
    assert rendered(broca_second)[0] == ["L'aire de Broca est responsable de la [...] du langage."]
    assert_cards_match_cloze_numbers(collection.col)


def test_one_line_notes_basic_and_reversed(tmp_path, anki):
    collection = anki()
    collection.import_package(build_one(tmp_path, "vocabulaire.txt", ONE_LINERS))
    assert collection.deck_names() == {"Vocabulaire"}
    by_type = {note.note_type()["name"]: note for note in collection.notes()}
    basic = by_type["ankipress Basic"]
    reversed_ = by_type["ankipress Basic and reversed"]
    assert len(basic.cards()) == 1
    assert rendered(basic.cards()[0])[0] == ["Capitale du Canada"]
    assert rendered(basic.cards()[0])[1][:2] == ["Capitale du Canada", "Ottawa"]
    cards = sorted(reversed_.cards(), key=lambda card: card.ord)
    assert len(cards) == 2
    assert rendered(cards[0])[0] == ["Synapse"]
    assert rendered(cards[1])[0] == ["Jonction entre deux neurones"]
    assert rendered(cards[1])[1][:2] == ["Jonction entre deux neurones", "Synapse"]
    assert_cards_match_cloze_numbers(collection.col)


def test_per_note_list_cloze_and_code_stays_literal(tmp_path, anki):
    text = (
        "C: Quelles sont les étapes du co-développement ?\n"
        "- Préparation\n- Exposé\n- Clarification\n\n"
        "Que fait `{{c1::x}}` dans le code `a == b` ?\n"
        "Rien : `==x==` et `std::vector` restent du code.\n"
    )
    collection = anki()
    collection.import_package(build_one(tmp_path, "etapes.txt", text))
    notes = collection.notes()
    assert [note.note_type()["name"] for note in notes] == ["ankipress Cloze", "ankipress Basic"]
    assert len(notes[0].cards()) == 3
    basic = notes[1]
    assert visible_lines(basic["Front"]) == ["Que fait {{c1::x}} dans le code a == b ?"]
    assert visible_lines(basic["Back"]) == ["Rien : ==x== et std::vector restent du code."]
    assert_cards_match_cloze_numbers(collection.col)


def test_code_inside_a_cloze_note_is_not_a_deletion(tmp_path, anki):
    text = "La syntaxe `{{c2::x}}` crée une {{c1::lacune}}.\n"
    collection = anki()
    collection.import_package(build_one(tmp_path, "syntaxe.txt", text))
    (note,) = collection.notes()
    assert len(note.cards()) == 1
    question, _ = rendered(note.cards()[0])
    assert question == ["La syntaxe {{c2::x}} crée une [...]."]


def test_heading_style_cloze_and_list_cloze(tmp_path, anki):
    text = (
        "# Neuro\n\n## C: Quels sont les lobes ?\n\n- frontal\n- pariétal\n\n"
        "## Cervelet\n\nLe ==cervelet== coordonne les ==mouvements==.\n"
    )
    collection = anki()
    collection.import_package(build_one(tmp_path, "neuro.md", text))
    notes = collection.notes()
    assert [len(note.cards()) for note in notes] == [2, 2]
    assert notes[0]["Text"].startswith('<div class="ap-question">Quels sont les lobes ?</div>')
    assert_cards_match_cloze_numbers(collection.col)


def test_reimport_after_editing_cloze_text_updates_and_adds_a_card(tmp_path, anki):
    first = build_one(tmp_path, "phrases.txt", SENTENCES)
    collection = anki()
    collection.import_package(first)
    collection.review_all()
    col = collection.col
    reviews = col.db.scalar("select count() from revlog")
    assert reviews == 4

    edited = SENTENCES.replace("{{c2::équilibre}}", "{{c2::équilibre::hint}}").replace(
        "la ==production== du langage", "la ==production== du ==langage=="
    )
    first.unlink()
    second = build_one(tmp_path, "phrases.txt", edited, now="1790000100")
    log = collection.import_package(second)
    assert len(log.updated) == 2 and len(log.new) == 0
    assert len(col.find_notes("")) == 2
    assert len(col.find_cards("")) == 5
    assert col.db.scalar("select count() from revlog") == reviews
    broca = col.get_note(col.find_notes("Broca")[0])
    assert len(broca.cards()) == 3
    assert_cards_match_cloze_numbers(col)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le {{c1::cervelet coordonne.\n", "1:4: error: unclosed cloze `{{c1::`"),
        ("Le {{c1::}} coordonne.\n", "1:4: error: empty cloze deletion `c1`"),
        ("Le {{c0::cervelet}} coordonne.\n", "1:4: error: cloze numbers start at c1"),
    ],
)
def test_cloze_errors_are_located(tmp_path, text, expected):
    (tmp_path / "n.txt").write_text(text, encoding="utf-8")
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 1
    assert f"n.txt:{expected}" in result.output


def test_all_cloze_errors_in_one_run_and_nothing_written(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.txt").write_text(
        "Le {{c1::cervelet coordonne.\n\nLe {{c1::}} vide.\n\n"
        "C: Quelle liste ?\nPas de liste ici.\n\nLe {{c1::x}} et {{c3::y}}.\n",
        encoding="utf-8",
    )
    out = tmp_path / "build"
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any("a.txt:1:4: error: unclosed cloze" in line for line in lines)
    assert any("a.txt:3:4: error: empty cloze deletion" in line for line in lines)
    assert any("a.txt:5:4: error: `C:` asks for a list cloze" in line for line in lines)
    assert any("a.txt:8:1: warning: cloze numbers skip c2" in line for line in lines)
    assert not out.exists()


def test_explain_shows_clozes_and_one_liners(tmp_path):
    path = tmp_path / "n.txt"
    path.write_text(LOBES + "\n" + SENTENCES + ONE_LINERS.split("\n", 1)[1], encoding="utf-8")
    result = run_cli("explain", str(path))
    assert result.exit_code == 0, result.output
    readings = [line.split("  ")[1].strip() for line in result.output.splitlines()[1:]]
    assert readings[4] == "list cloze"
    assert readings[5:9] == ["cloze item"] * 4
    assert readings.count("cloze") == 2
    assert readings.count("one-liner") == 2
