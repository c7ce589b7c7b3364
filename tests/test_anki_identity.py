"""Identity that survives edits, through Anki's own importer.

Each test starts from the seed notes built once, imported into a fresh collection and every
card reviewed; then it edits the notes, builds again with the CLI, imports with Anki's default
options, and checks that every review is kept and no note is duplicated.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from conftest import SEED, AnkiCollection, run_cli, visible_lines

from ankipress.lock import read_lock

SEED_NAME = SEED.name
FIRST, LATER, LATEST = "1790000000", "1790000100", "1790000200"
AVANTAGES = "Quel sont les avantages de la communauté pratique ?"


def build(*args: str, now: str = LATER, code: int = 0) -> Result:
    result = run_cli("build", *args, env={"SOURCE_DATE_EPOCH": now})
    assert result.exit_code == code, result.output
    return result


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def lock_guids(content: Path) -> list[str]:
    text = (content / "ankipress.lock").read_text(encoding="utf-8")
    return re.findall(r'"guid": "((?:[^"\\]|\\.)*)"', text)


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed notes in a content folder, built once: `content/` (with its lock), `build/`."""
    work = tmp_path_factory.mktemp("identity")
    (work / "content").mkdir()
    shutil.copy(SEED, work / "content" / SEED_NAME)
    build(str(work / "content"), "-o", str(work / "build"), now=FIRST)
    return work


@dataclass
class Studied:
    """A student's collection after importing the first build and reviewing every card."""

    collection: AnkiCollection
    content: Path
    """A copy of the content folder and lock file, ready to edit."""
    cards: set[int]
    guids: set[str]

    @property
    def col(self):
        return self.collection.col

    def rebuild_and_import(self, now: str = LATER) -> tuple[Result, list]:
        out = self.content.parent / f"build-{now}"
        result = build(str(self.content), "-o", str(out), now=now)
        logs = [self.collection.import_package(p) for p in sorted(out.rglob("*.apkg"))]
        return result, logs

    def assert_every_review_kept(self, notes: int) -> None:
        col = self.col
        assert len(col.find_notes("")) == notes
        guids = {guid for (guid,) in col.db.all("select guid from notes")}
        assert len(guids) == notes
        assert self.guids <= guids
        assert col.db.scalar("select count() from revlog") == 12
        assert self.cards <= set(col.find_cards(""))
        for cid in self.cards:
            card = col.get_card(cid)
            assert card.reps == 1 and card.type != 0


@pytest.fixture
def studied(first: Path, tmp_path: Path, anki: Callable[[], AnkiCollection]) -> Studied:
    content = tmp_path / "content"
    shutil.copytree(first / "content", content)
    collection = anki()
    collection.import_package(first / "build" / "cours-13-flashcards.apkg")
    assert collection.review_all() == 12
    cards = set(collection.col.find_cards(""))
    guids = {guid for (guid,) in collection.col.db.all("select guid from notes")}
    return Studied(collection, content, cards, guids)


def front(col, text: str):
    """The one note whose Front shows `text`."""
    (nid,) = [n for n in col.find_notes("") if text in visible_lines(col.get_note(n)["Front"])]
    return col.get_note(nid)


# -- the edits ---------------------------------------------------------------------------------


def edit_answer(content: Path) -> None:
    seed = content / SEED_NAME
    seed.write_text(
        seed.read_text("utf-8").replace("Max 10 personnes", "Max 12 personnes"), "utf-8"
    )


def swap_first_two_notes(content: Path) -> None:
    lines = lines_of(content / SEED_NAME)
    lines[1:7] = lines[3:7] + lines[1:3]
    write_lines(content / SEED_NAME, lines)


def insert_a_note(content: Path) -> None:
    lines = lines_of(content / SEED_NAME)
    lines[7:7] = ["Qu’est-ce qu’une COP ?", "- Une communauté de pratique"]
    write_lines(content / SEED_NAME, lines)


def fix_a_typo_in_a_question(content: Path) -> None:
    lines = lines_of(content / SEED_NAME)
    lines[lines.index(AVANTAGES)] = AVANTAGES.replace("Quel sont", "Quels sont")
    write_lines(content / SEED_NAME, lines)


def rename_the_file(content: Path) -> None:
    (content / SEED_NAME).rename(content / "cours-13-codeveloppement.txt")


def move_a_note_to_a_second_file(content: Path) -> None:
    lines = lines_of(content / SEED_NAME)
    start = lines.index(AVANTAGES)
    block = lines[start : start + 6]
    del lines[start : start + 6]
    write_lines(content / SEED_NAME, lines)
    write_lines(content / "cours-13-suite.txt", ["Cours 13 Flashcards", *block])


def rename_the_deck(content: Path) -> None:
    lines = lines_of(content / SEED_NAME)
    lines[0] = "Cours 13 — Codéveloppement"
    write_lines(content / SEED_NAME, lines)


def check_answer(col) -> None:
    note = front(col, "Caractéristique d’un groupe de co-développement.")
    assert "Max 12 personnes" in visible_lines(note["Back"])


def check_swap(col) -> None:
    # Lines moved, nothing else: Anki keeps the note as it was, Source line included.
    assert front(col, "Quel est le but du codéveloppement ?")["Source"] == f"{SEED_NAME}:2"


def check_insert(col) -> None:
    assert front(col, "Qu’est-ce qu’une COP ?")["Source"] == f"{SEED_NAME}:8"


def check_typo(col) -> None:
    note = front(col, "Quels sont les avantages de la communauté pratique ?")
    assert not [n for n in col.find_notes("") if "Quel sont" in col.get_note(n)["Front"]]
    assert note["Source"] == f"{SEED_NAME}:53"


def check_rename_file(col) -> None:
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        assert note["Source"].startswith("cours-13-codeveloppement.txt:")
        assert note.tags == ["source::cours-13-codeveloppement.txt"]


def check_move(col) -> None:
    assert front(col, AVANTAGES)["Source"] == "cours-13-suite.txt:2"


def check_deck(col) -> None:
    assert len(col.find_notes("")) == 12  # the cards' deck: see the dedicated test below


# (edit, notes after it, new notes, updated notes, what the build says, check in Anki)
EDITS = [
    (edit_answer, 12, 0, 1, "", check_answer),
    (swap_first_two_notes, 12, 0, 0, "", check_swap),
    (insert_a_note, 13, 1, 0, "", check_insert),
    (
        fix_a_typo_in_a_question,
        12,
        0,
        1,
        f'{SEED_NAME}:53:1: note: continues the earlier note "quel sont les avantages',
        check_typo,
    ),
    (
        rename_the_file,
        12,
        0,
        12,  # the Source field and the tag name the file: every note is newer
        "note: 12 notes continue the notes of cours-13-flashcards.txt",
        check_rename_file,
    ),
    (
        move_a_note_to_a_second_file,
        12,
        0,
        1,
        "cours-13-suite.txt:2:1: note: 1 note continues the notes of cours-13-flashcards.txt",
        check_move,
    ),
    (rename_the_deck, 12, 0, 12, 'warning: deck "Cours 13 Flashcards" is now', check_deck),
]


@pytest.mark.parametrize(
    ("edit", "notes", "new", "updated", "said", "check"),
    EDITS,
    ids=[e[0].__name__ for e in EDITS],
)
def test_an_edit_then_reimport_keeps_every_review_and_makes_no_duplicate(
    studied: Studied, edit, notes: int, new: int, updated: int, said: str, check
):
    edit(studied.content)
    result, logs = studied.rebuild_and_import()
    assert said in result.output
    assert "no longer in your files" not in result.output
    assert sum(len(log.new) for log in logs) == new
    assert sum(len(log.updated) for log in logs) == updated
    assert not any(log.conflicting for log in logs)
    studied.assert_every_review_kept(notes)
    check(studied.col)
    lock = lock_guids(studied.content)
    assert len(lock) == len(set(lock)) == notes


def test_a_renamed_deck_leaves_the_cards_in_the_old_deck_and_the_printed_search_fixes_it(
    studied: Studied,
):
    rename_the_deck(studied.content)
    result, _ = studied.rebuild_and_import()
    col = studied.col
    # What Anki does: notes updated in place, cards left where they were, new deck empty.
    assert studied.collection.deck_names() == {"Cours 13 Flashcards", "Cours 13 — Codéveloppement"}
    old_deck = col.decks.id_for_name("Cours 13 Flashcards")
    new_deck = col.decks.id_for_name("Cours 13 — Codéveloppement")
    assert {col.get_card(cid).did for cid in col.find_cards("")} == {old_deck}

    search = re.search(r"search (.+) in Anki's browser", result.output)[1]
    assert search == '"deck:Cours 13 Flashcards" -"deck:Cours 13 Flashcards::*"'
    found = col.find_cards(search)
    assert set(found) == studied.cards
    col.set_deck(found, new_deck)  # Browse → select all → Change Deck
    assert {col.get_card(cid).did for cid in col.find_cards("")} == {new_deck}
    studied.assert_every_review_kept(12)


def test_renaming_the_deck_in_anki_before_importing_also_keeps_everything_in_place(
    studied: Studied,
):
    rename_the_deck(studied.content)
    col = studied.col
    col.decks.rename(col.decks.id_for_name("Cours 13 Flashcards"), "Cours 13 — Codéveloppement")
    _, logs = studied.rebuild_and_import()
    assert len(logs[0].updated) == 12
    assert studied.collection.deck_names() == {"Cours 13 — Codéveloppement"}
    studied.assert_every_review_kept(12)


def test_an_ambiguous_edit_is_reported_and_never_merges_two_notes(studied: Studied):
    """One note split into two whose questions are both a letter away from the old one."""
    lines = lines_of(studied.content / SEED_NAME)
    start = lines.index(AVANTAGES)
    items = lines[start + 1 : start + 6]
    lines[start : start + 6] = [
        "Quels sont les avantages de la communauté pratique ?",
        *items[:2],
        "Quel sont les avantages de la communauté de pratique ?",
        *items[2:],
    ]
    write_lines(studied.content / SEED_NAME, lines)
    old = front(studied.col, AVANTAGES)
    old_fields = list(old.fields)

    result, logs = studied.rebuild_and_import()
    warnings = [line for line in result.output.splitlines() if "warning: could continue" in line]
    assert [w.split(": warning")[0].rsplit("/", 1)[-1] for w in warnings] == [
        f"{SEED_NAME}:53:1",
        f"{SEED_NAME}:56:1",
    ]
    assert all('"quel sont les avantages de la communauté pratique?"' in w for w in warnings)
    assert f"so could the note at {studied.content.as_posix()}/{SEED_NAME}:56:1" in warnings[0]
    assert len(logs[0].new) == 2
    studied.assert_every_review_kept(14)
    assert studied.col.get_note(old.id).fields == old_fields  # not overwritten by either note
    lock = lock_guids(studied.content)
    assert len(lock) == len(set(lock)) == 13
    assert old.guid not in lock

    search = result.output.split("select all, delete:\n")[1].split()[0]
    assert studied.col.find_notes(search) == [old.id]


def test_removed_notes_are_listed_with_a_search_that_finds_exactly_them_in_anki(
    studied: Studied,
):
    lines = lines_of(studied.content / SEED_NAME)
    start = lines.index(AVANTAGES)
    del lines[start : start + 6]  # "Quel sont les avantages…"
    del lines[1:3]  # "Quel est le but du codéveloppement ?"
    write_lines(studied.content / SEED_NAME, lines)
    removed = {
        front(studied.col, q).id for q in (AVANTAGES, "Quel est le but du codéveloppement ?")
    }

    result, _ = studied.rebuild_and_import()
    output = result.output
    assert (
        "2 notes no longer in your files (Anki keeps them: an import never deletes a note):"
        in output
    )
    assert f'  {SEED_NAME}: "quel est le but du codéveloppement?"' in output
    assert f'  {SEED_NAME}: "quel sont les avantages de la communauté pratique?"' in output
    search = output.split("select all, delete:\n")[1].split()[0]
    assert search.startswith("nid:")
    studied.assert_every_review_kept(12)  # Anki never deletes on import
    assert set(studied.col.find_notes(search)) == removed
    studied.col.remove_notes(list(removed))
    assert len(studied.col.find_notes("")) == 10

    again = build(str(studied.content), "-o", str(studied.content.parent / "b3"), now=LATEST)
    assert "no longer in your files" not in again.output  # said once, then forgotten


def test_deleting_the_lock_file_changes_no_guid_and_anki_sees_no_new_note(studied: Studied):
    before = sorted(lock_guids(studied.content))
    (studied.content / "ankipress.lock").unlink()
    _, logs = studied.rebuild_and_import()
    assert sorted(lock_guids(studied.content)) == before
    assert len(logs[0].new) == 0
    studied.assert_every_review_kept(12)


def test_the_lock_file_is_byte_identical_across_builds_of_the_same_content(first, tmp_path):
    lock = (first / "content" / "ankipress.lock").read_bytes()
    # Rebuilt later from its own lock file …
    content = tmp_path / "content"
    shutil.copytree(first / "content", content)
    build(str(content), "-o", str(tmp_path / "b"), now=LATEST)
    assert (content / "ankipress.lock").read_bytes() == lock
    # … and built from scratch at the same time in another folder.
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(SEED, other / SEED_NAME)
    build(str(other), "-o", str(tmp_path / "b2"), now=FIRST)
    assert (other / "ankipress.lock").read_bytes() == lock
    # An edit, built twice from the same lock at the same time, gives the same bytes too.
    locks = []
    for name in ("x", "y"):
        copy = tmp_path / name
        shutil.copytree(first / "content", copy)
        fix_a_typo_in_a_question(copy)
        rename_the_file(copy)
        build(str(copy), "-o", str(tmp_path / f"build-{name}"), now=LATEST)
        locks.append((copy / "ankipress.lock").read_bytes())
    assert locks[0] == locks[1] != lock
    entries, problems = read_lock(locks[0], "ankipress.lock")
    assert len(entries) == 12 and not problems  # one line a note, after the two comment lines
    assert len(locks[0].decode().splitlines()) == 14
    order = [(e.file, e.deck, e.question) for e in entries]
    assert order == sorted(order)


def test_check_locked_fails_until_the_lock_file_is_rebuilt(first, tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content / SEED_NAME)
    missing = run_cli("check", "--locked", str(content))
    assert missing.exit_code == 1
    assert (
        "ankipress.lock:1:1: error: missing; run `ankipress build` and commit it" in missing.output
    )
    assert not (content / "ankipress.lock").exists()

    shutil.copy(first / "content" / "ankipress.lock", content / "ankipress.lock")
    assert run_cli("check", "--locked", str(content)).exit_code == 0
    assert run_cli("check", "--locked", str(content)).output == ""

    fix_a_typo_in_a_question(content)
    insert_a_note(content)
    lock = (content / "ankipress.lock").read_bytes()
    stale = run_cli("check", "--locked", str(content))
    assert stale.exit_code == 1
    assert "error: not up to date with the notes (1 note added, 1 note changed)" in stale.output
    assert "note: continues the earlier note" in stale.output  # what the build would do
    assert stale.output.endswith("ankipress: 1 error\n")  # a note is not a warning
    assert (content / "ankipress.lock").read_bytes() == lock  # check writes nothing
    assert run_cli("check", str(content)).exit_code == 0  # without --locked: content is fine

    build(str(content), "-o", str(tmp_path / "b"))
    assert run_cli("check", "--locked", str(content)).exit_code == 0


def test_building_one_file_keeps_the_others_and_follows_a_renamed_one(tmp_path, anki):
    content = tmp_path / "content"
    content.mkdir()
    (content / "bio.txt").write_text(
        "Biologie\nQuel est le rôle du cervelet ?\nCoordonner\n", "utf-8"
    )
    # No title line: the deck is named after the file, so renaming the file renames the deck.
    (content / "chimie.txt").write_text("Qu'est-ce qu'un ion ?\nUn atome chargé\n", "utf-8")
    build(str(content), "-o", str(tmp_path / "b1"), now=FIRST)
    collection = anki()
    for package in sorted((tmp_path / "b1").glob("*.apkg")):
        collection.import_package(package)
    collection.review_all()
    guids = sorted(lock_guids(content))

    (content / "chimie.txt").rename(content / "chimie-generale.txt")
    result = build(str(content / "chimie-generale.txt"), "-o", str(tmp_path / "b2"), now=LATER)
    assert sorted(lock_guids(content)) == guids
    assert "no longer in your files" not in result.output
    assert 'deck "chimie" is now "chimie-generale"' in result.output
    log = collection.import_package(tmp_path / "b2" / "chimie-generale.apkg")
    assert len(log.new) == 0 and len(log.updated) == 1
    assert collection.col.db.scalar("select count() from revlog") == 2

    lock = (content / "ankipress.lock").read_bytes()
    build(str(content / "bio.txt"), "-o", str(tmp_path / "b3"), now=LATEST)
    build(str(content), "-o", str(tmp_path / "b4"), now=LATEST)
    assert (content / "ankipress.lock").read_bytes() == lock


ID_NOTES = """\
---
id: neuro
---
Neurologie
Quel est le rôle du cervelet ? {#cervelet}
Coordonner les mouvements
Le tronc cérébral {#tronc}
- relie le cerveau à la moelle
Capitale du Canada {#capitale} :: Ottawa
Qu'est-ce qu'un neurone ?
Une cellule nerveuse
"""

ID_NOTES_EDITED = """\
---
id: neuro
---
Neurosciences
Que fait le cervelet ? {#cervelet}
Il coordonne les mouvements et l'équilibre
Que relie le tronc cérébral ? {#tronc}
- le cerveau à la moelle épinière
Quelle est la capitale du Canada ? {#capitale} :: Ottawa
Qu'est-ce qu'un neurone ?
Une cellule nerveuse
"""


def test_explicit_ids_keep_notes_through_any_edit_even_without_the_lock_file(tmp_path, anki):
    content = tmp_path / "content"
    content.mkdir()
    notes = content / "neuro.txt"
    notes.write_text(ID_NOTES, "utf-8")
    build(str(content), "-o", str(tmp_path / "b1"), now=FIRST)
    collection = anki()
    collection.import_package(tmp_path / "b1" / "neuro.apkg")
    shown = [
        visible_lines(card.render_output(reload=True).question_text)
        for card in collection.cards_in_due_order()
    ]
    assert shown == [
        ["Quel est le rôle du cervelet ?"],
        ["Le tronc cérébral"],
        ["Capitale du Canada"],
        ["Qu'est-ce qu'un neurone ?"],
    ]
    assert collection.review_all() == 4

    # Every question reworded, every answer and the deck changed, and the lock file gone:
    # the ids (and the front matter id, for the note without its own) keep every note.
    # Without the lock file nothing says which notes changed, so none is newer: Anki keeps
    # what it has (and any edit made there) rather than overwrite all of them.
    notes.write_text(ID_NOTES_EDITED, "utf-8")
    (content / "ankipress.lock").unlink()
    build(str(content), "-o", str(tmp_path / "b2"), now=LATER)
    log = collection.import_package(tmp_path / "b2" / "neuro.apkg")
    assert len(log.new) == 0 and len(log.updated) == 0 and len(log.duplicate) == 4
    col = collection.col
    assert len(col.find_notes("")) == 4
    assert col.db.scalar("select count() from revlog") == 4
    # With the lock file back in place, the next edit reaches Anki as usual.
    notes.write_text(ID_NOTES_EDITED.replace("Que relie", "Que relie donc"), "utf-8")
    build(str(content), "-o", str(tmp_path / "b3"), now=LATEST)
    log = collection.import_package(tmp_path / "b3" / "neuro.apkg")
    assert len(log.new) == 0 and len(log.updated) == 1
    assert front(col, "Que relie donc le tronc cérébral ?")


def test_an_id_used_twice_is_an_error_naming_both_places(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.txt").write_text("Quel est X ? {#x}\nY\n", "utf-8")
    (content / "b.md").write_text("## Quel est Z ? {#x}\n\nW\n", "utf-8")
    result = run_cli("build", str(content), "-o", str(tmp_path / "b"))
    assert result.exit_code == 1
    assert "b.md:1:4: error: the id {#x} is already used at " in result.output
    assert "a.txt:1:1" in result.output


def test_a_file_left_out_of_a_folder_build_has_its_notes_listed_as_removed(tmp_path):
    """A draft (`_name.txt`) built once by name is not part of a build of the folder."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "cours.txt").write_text("Quel est X ?\nY\n", "utf-8")
    (content / "_brouillon.txt").write_text("Quel est Z ?\nW\n", "utf-8")
    build(str(content / "_brouillon.txt"), "-o", str(tmp_path / "b1"), now=FIRST)
    result = build(str(content), "-o", str(tmp_path / "b2"), now=LATER)
    assert "1 note no longer in your files" in result.output
    assert '  _brouillon.txt: "quel est z?"' in result.output
    assert len(lock_guids(content)) == 1


def test_a_heading_id_is_left_out_of_the_card_and_names_the_note(tmp_path, anki):
    content = tmp_path / "content"
    content.mkdir()
    notes = content / "cervelet.md"
    notes.write_text(
        "# Neuro\n\n## Le cervelet {#cervelet}\n\nCoordonne les mouvements.\n", "utf-8"
    )
    build(str(content), "-o", str(tmp_path / "b1"), now=FIRST)
    collection = anki()
    collection.import_package(tmp_path / "b1" / "cervelet.apkg")
    (card,) = collection.cards_in_due_order()
    assert visible_lines(card.render_output(reload=True).question_text) == ["Le cervelet"]
    collection.review_all()

    notes.write_text("# Neuro\n\n## Que fait le cervelet ? {#cervelet}\n\nL'équilibre.\n", "utf-8")
    build(str(content), "-o", str(tmp_path / "b2"), now=LATER)
    log = collection.import_package(tmp_path / "b2" / "cervelet.apkg")
    assert len(log.new) == 0 and len(log.updated) == 1
    assert collection.col.get_card(card.id).reps == 1
