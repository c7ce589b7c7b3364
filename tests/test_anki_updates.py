"""Re-importing edited builds: notes update in place and every review is kept."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SEED, run_cli, visible_lines


def build(content: Path, out: Path, now: str) -> Path:
    result = run_cli("build", str(content), "-o", str(out), env={"SOURCE_DATE_EPOCH": now})
    assert result.exit_code == 0, result.output
    return out / "cours-13-flashcards.apkg"


def edit_seed(text: str) -> str:
    """Edit one answer, swap the first two notes, add a note at the end."""
    lines = text.splitlines()
    lines[2] = "Améliorer la pratique professionnelle grâce aux interactions entre pairs."
    first, second = lines[1:3], lines[3:7]
    lines[1:7] = second + first
    lines += ["Qu’est-ce qu’une COP ?", "- Une communauté de pratique"]
    return "\n".join(lines) + "\n"


def test_edit_swap_and_add_then_reimport_keeps_every_review(tmp_path, anki):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content / SEED.name)
    first = build(content, tmp_path / "build1", "1790000000")

    collection = anki()
    collection.import_package(first)
    reviewed = collection.review_all()
    assert reviewed == 12
    col = collection.col
    reviews_before = col.db.scalar("select count() from revlog")
    assert reviews_before == 12
    card_ids_before = set(col.find_cards(""))

    seed = content / SEED.name
    seed.write_text(edit_seed(seed.read_text(encoding="utf-8")), encoding="utf-8")
    second = build(content, tmp_path / "build2", "1790000100")
    log = collection.import_package(second)

    # The edited note only: the note swapped before it changed lines, nothing else.
    assert len(log.new) == 1
    assert len(log.updated) == 1
    assert len(log.conflicting) == 0
    assert len(col.find_notes("")) == 13
    assert col.db.scalar("select count() from revlog") == reviews_before
    assert card_ids_before < set(col.find_cards(""))
    reviewed_cards = [col.get_card(cid) for cid in card_ids_before]
    assert all(card.type != 0 and card.reps == 1 for card in reviewed_cards)

    edited = col.get_note(col.find_notes('"Front:Quel est le but du codéveloppement ?"')[0])
    assert "grâce aux interactions entre pairs" in edited["Back"]
    assert edited["Source"] == "cours-13-flashcards.txt:6"
    added = col.find_notes('"Front:Qu’est-ce qu’une COP ?"')
    assert len(added) == 1


def test_unchanged_rebuild_is_byte_identical_and_imports_as_duplicates(tmp_path, anki):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content / SEED.name)
    first = build(content, tmp_path / "build1", "1790000000")
    second = build(content, tmp_path / "build2", "1790000500")
    assert first.read_bytes() == second.read_bytes()

    collection = anki()
    collection.import_package(first)
    log = collection.import_package(second)
    assert len(log.new) == 0 and len(log.updated) == 0
    assert len(log.duplicate) == 12


def test_edit_in_the_same_second_is_still_newer(tmp_path, anki):
    """Anki only applies a change whose modification time is newer than the one it has."""
    content = tmp_path / "content"
    content.mkdir()
    seed = content / SEED.name
    shutil.copy(SEED, seed)
    first = build(content, tmp_path / "build1", "1790000000")
    collection = anki()
    collection.import_package(first)

    seed.write_text(seed.read_text(encoding="utf-8").replace("Max 10", "Max 12"), "utf-8")
    second = build(content, tmp_path / "build2", "1790000000")
    log = collection.import_package(second)
    assert len(log.updated) == 1
    note = collection.col.get_note(log.updated[0].id.nid)
    assert "Max 12 personnes" in visible_lines(note["Back"])


def test_deleting_the_lock_file_changes_no_guid(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content / SEED.name)
    build(content, tmp_path / "build1", "1790000000")
    lock = (content / "ankipress.lock").read_text(encoding="utf-8")
    (content / "ankipress.lock").unlink()
    build(content, tmp_path / "build2", "1790009999")
    relocked = (content / "ankipress.lock").read_text(encoding="utf-8")

    def guids(text: str) -> list[str]:
        return sorted(line.split('"guid": "')[1].split('"')[0] for line in text.splitlines()[2:])

    assert guids(lock) == guids(relocked)
    assert len(guids(lock)) == 12
