"""The first user's notes, built by the CLI and imported by Anki's own importer."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import SEED, visible_lines

SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()
QUESTION_LINES = [2, 4, 8, 14, 19, 23, 31, 34, 41, 45, 53, 59]


def expected_notes() -> list[tuple[int, str, list[str]]]:
    """(line, question, answer lines without list markers) read straight off the seed file."""
    notes = []
    for position, line in enumerate(QUESTION_LINES):
        end = QUESTION_LINES[position + 1] - 1 if position + 1 < len(QUESTION_LINES) else None
        answer = SEED_LINES[line : end if end else len(SEED_LINES)]
        notes.append((line, SEED_LINES[line - 1], [re.sub(r"^- ", "", a) for a in answer]))
    return notes


def test_seed_is_one_deck_named_by_its_title_line(seed_collection):
    assert seed_collection.deck_names() == {"Cours 13 Flashcards"}


def test_seed_gives_twelve_basic_notes_with_one_card_each(seed_collection):
    notes = seed_collection.notes()
    assert len(notes) == 12
    assert {note.note_type()["name"] for note in notes} == {"ankipress Basic"}
    assert len(seed_collection.col.find_cards("")) == 12
    assert all(len(note.cards()) == 1 for note in notes)
    assert len(seed_collection.last_log.new) == 12


def test_seed_cards_show_every_question_and_answer_line_in_source_order(seed_collection):
    cards = seed_collection.cards_in_due_order()
    for card, (line, question, answer) in zip(cards, expected_notes(), strict=True):
        rendered = card.render_output(reload=True)
        assert visible_lines(rendered.question_text) == [question]
        back = visible_lines(rendered.answer_text)
        assert back[0] == question
        assert back[1:-1] == answer, f"note at line {line}"
        assert back[-1] == f"cours-13-flashcards.txt:{line}"


def test_seed_source_field_ends_with_the_question_line(seed_collection):
    cards = seed_collection.cards_in_due_order()
    sources = [card.note()["Source"] for card in cards]
    assert sources == [f"cours-13-flashcards.txt:{line}" for line in QUESTION_LINES]


def test_seed_plain_answer_lines_stay_apart_and_lists_are_lists(seed_collection):
    cards = seed_collection.cards_in_due_order()
    roles = cards[1].note()["Back"]
    assert roles.count("<br>") == 2 and "<li>" not in roles
    assert roles.startswith("<p>Animateur : ")
    for card in cards[2:]:
        back = card.note()["Back"]
        assert back.startswith("<ul><li>") and back.endswith("</li></ul>")


def test_seed_questions_ending_with_a_period_are_questions(seed_collection):
    fronts = {card.note()["Front"] for card in seed_collection.cards_in_due_order()}
    for start in ("Décrivez les trois rôles", "Caractéristique d’un groupe", "Retombées positives"):
        assert any(front.startswith(start) and front.endswith(".") for front in fronts)


def test_seed_new_cards_are_due_in_source_order(seed_collection):
    cards = seed_collection.cards_in_due_order()
    dues = [card.due for card in cards]
    assert dues == sorted(set(dues))
    assert [card.type for card in cards] == [0] * 12  # new cards


def test_seed_notes_are_tagged_with_their_source_file(seed_collection):
    for note in seed_collection.notes():
        assert note.tags == ["source::cours-13-flashcards.txt"]


def test_seed_imports_with_no_empty_cards_and_no_missing_media(seed_collection):
    col = seed_collection.col
    assert list(col.get_empty_cards().notes) == []
    assert list(col.media.check().missing) == []


def test_seed_card_css_and_templates_reach_anki(seed_collection):
    card = seed_collection.cards_in_due_order()[0]
    question = card.question()
    assert ".nightMode" in question
    assert 'class="ap-question"' in question


def test_seed_package_has_no_zero_ids(seed_build: Path, seed_collection):
    assert all(nid > 0 for nid in seed_collection.col.find_notes(""))
    assert seed_build.stat().st_size > 0
