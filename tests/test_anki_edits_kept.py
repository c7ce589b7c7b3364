"""What a student did in Anki survives rebuilds: edits and tags are never wiped by a line
shift or a lost lock file, reviews stay on the fact they were made on, and a note whose type
changes reaches Anki in its new type. All through Anki's own importer."""

from __future__ import annotations

import re
import time
from pathlib import Path

from conftest import run_cli, visible_lines, write


def build(content: Path, out: Path, now: int) -> str:
    result = run_cli("build", str(content), "-o", str(out), env={"SOURCE_DATE_EPOCH": str(now)})
    assert result.exit_code == 0, result.output
    return result.output


NOTES = """\
Neurologie
Quel est le rôle du cervelet ?
Il coordonne les mouvements.
Que relie le tronc cérébral ?
- le cerveau à la moelle
Qu'est-ce qu'un neurone ?
Une cellule nerveuse
"""


def edit_in_anki(col, front: str) -> int:
    """Change the Back of the note whose Front is `front` and tag it, as a student would."""
    (nid,) = [n for n in col.find_notes("") if col.get_note(n)["Front"] == front]
    note = col.get_note(nid)
    note["Back"] = "Mon propre texte"
    note.tags.append("difficile")
    col.update_note(note)
    return nid


def test_a_note_inserted_above_updates_nothing_and_keeps_edits_made_in_anki(tmp_path, anki):
    content = tmp_path / "content"
    notes = write(content / "neuro.txt", NOTES)
    start = int(time.time()) - 3600  # built an hour ago; the edit in Anki happens now
    build(content, tmp_path / "b1", start)
    collection = anki()
    collection.import_package(tmp_path / "b1" / "neuro.apkg")
    collection.review_all()
    edited = edit_in_anki(collection.col, "Qu'est-ce qu'un neurone ?")

    lines = NOTES.splitlines()
    lines[1:1] = ["Qu'est-ce qu'une synapse ?", "La jonction entre deux neurones"]
    notes.write_text("\n".join(lines) + "\n", "utf-8")
    later = int(time.time()) + 3600  # a build after the edit: newer than it
    build(content, tmp_path / "b2", later)
    log = collection.import_package(tmp_path / "b2" / "neuro.apkg")
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (1, 0, 0)
    kept = collection.col.get_note(edited)
    assert kept["Back"] == "Mon propre texte" and "difficile" in kept.tags

    # The same after losing the lock file: nothing is newer than what Anki has.
    (content / "ankipress.lock").unlink()
    lines[1:1] = ["Qu'est-ce que la myéline ?", "Une gaine"]
    notes.write_text("\n".join(lines) + "\n", "utf-8")
    build(content, tmp_path / "b3", later + 3600)
    log = collection.import_package(tmp_path / "b3" / "neuro.apkg")
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (1, 0, 0)
    kept = collection.col.get_note(edited)
    assert kept["Back"] == "Mon propre texte" and "difficile" in kept.tags
    assert collection.col.db.scalar("select count() from revlog") == 3


def test_only_the_note_whose_text_changed_is_newer(tmp_path, anki):
    content = tmp_path / "content"
    notes = write(content / "neuro.txt", NOTES)
    start = int(time.time()) - 3600
    build(content, tmp_path / "b1", start)
    collection = anki()
    collection.import_package(tmp_path / "b1" / "neuro.apkg")
    edited = edit_in_anki(collection.col, "Qu'est-ce qu'un neurone ?")

    # Reorder the notes and reword one answer: only that note is newer.
    blocks = NOTES.splitlines()
    reordered = [blocks[0], *blocks[5:7], *blocks[3:5], blocks[1], "Il coordonne les gestes."]
    notes.write_text("\n".join(reordered) + "\n", "utf-8")
    build(content, tmp_path / "b2", int(time.time()) + 3600)
    log = collection.import_package(tmp_path / "b2" / "neuro.apkg")
    assert (len(log.new), len(log.updated)) == (0, 1)
    (cervelet,) = collection.col.find_notes('"Front:Quel est le rôle du cervelet ?"')
    assert "gestes" in collection.col.get_note(cervelet)["Back"]
    assert collection.col.get_note(edited)["Back"] == "Mon propre texte"


CLOZES = """\
---
cloze: lists
---
Neurologie

L'aire de ==Broca== est responsable de la ==production== du langage.

Quels sont les lobes du cortex ?
- frontal
- pariétal
- occipital
"""

CLOZES_EDITED = """\
---
cloze: lists
---
Neurologie

L'aire ==gauche== de ==Broca== est responsable de la ==production== du langage.

Quels sont les lobes du cortex ?
- temporal
- frontal
- occipital
- pariétal
"""


def hidden_fact(card) -> str:
    """What a cloze card hides: the text its back reveals as the active deletion."""
    answer = card.render_output(reload=True).answer_text
    (fact,) = re.findall(r'<span class="cloze" data-ordinal="\d+">(.*?)</span>', answer)
    return fact


def test_cloze_numbers_keep_each_card_on_its_fact_through_insertions(tmp_path, anki):
    content = tmp_path / "content"
    notes = write(content / "neuro.txt", CLOZES)
    build(content, tmp_path / "b1", 1790000000)
    collection = anki()
    collection.import_package(tmp_path / "b1" / "neuro.apkg")
    collection.review_all()
    col = collection.col
    learned = {cid: hidden_fact(col.get_card(cid)) for cid in col.find_cards("")}
    assert sorted(learned.values()) == ["Broca", "frontal", "occipital", "pariétal", "production"]

    notes.write_text(CLOZES_EDITED, "utf-8")
    build(content, tmp_path / "b2", 1790000100)
    log = collection.import_package(tmp_path / "b2" / "neuro.apkg")
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 2, 0)
    for cid, fact in learned.items():
        card = col.get_card(cid)
        assert card.reps == 1
        assert hidden_fact(card) == fact  # still asks what it was learned on
    facts = sorted(hidden_fact(col.get_card(cid)) for cid in col.find_cards(""))
    assert facts == [
        "Broca",
        "frontal",
        "gauche",
        "occipital",
        "pariétal",
        "production",
        "temporal",
    ]
    assert not col.get_empty_cards().report

    # Built again with nothing changed: the numbers stay where they are.
    first_lock = (content / "ankipress.lock").read_bytes()
    build(content, tmp_path / "b3", 1790000200)
    assert (content / "ankipress.lock").read_bytes() == first_lock
    assert (tmp_path / "b3" / "neuro.apkg").read_bytes() == (
        tmp_path / "b2" / "neuro.apkg"
    ).read_bytes()


def test_a_removed_deletion_never_lends_its_number_to_a_new_fact(tmp_path, anki):
    content = tmp_path / "content"
    notes = write(content / "n.txt", "L'aire de ==Broca== produit le ==langage==.\n")
    build(content, tmp_path / "b1", 1790000000)
    notes.write_text("L'aire de Broca produit le ==langage==.\n", "utf-8")
    build(content, tmp_path / "b2", 1790000100)
    notes.write_text("L'aire de Broca produit le ==langage== ==articulé==.\n", "utf-8")
    build(content, tmp_path / "b3", 1790000200)
    collection = anki()
    collection.import_package(tmp_path / "b3" / "n.apkg")
    (nid,) = collection.col.find_notes("")
    text = collection.col.get_note(nid)["Text"]
    assert "{{c2::langage}}" in text and "{{c3::articulé}}" in text  # c1 was Broca's


RETYPED = """\
Neurologie

Quel est le rôle du cervelet ?
Il coordonne les mouvements.

Capitale du Canada :: Ottawa

Que produit l'aire de Broca ?
Le ==langage==.

Qu'est-ce qu'un neurone ?
Une cellule nerveuse
"""

RETYPED_EDITED = """\
Neurologie

Quel est le rôle du cervelet ?
Il coordonne les ==mouvements==.

Capitale du Canada ::: Ottawa

Que produit l'aire de Broca ?
Le langage.

Qu'est-ce qu'un neurone ?
Une cellule nerveuse
"""


def test_a_note_whose_type_changes_reaches_anki_in_its_new_type(tmp_path, anki):
    content = tmp_path / "content"
    notes = write(content / "neuro.txt", RETYPED)
    build(content, tmp_path / "b1", 1790000000)
    collection = anki()
    collection.import_package(tmp_path / "b1" / "neuro.apkg")
    collection.review_all()
    col = collection.col
    before = set(col.find_notes(""))

    notes.write_text(RETYPED_EDITED, "utf-8")
    output = build(content, tmp_path / "b2", 1790000100)
    assert output.count("Anki can't change a note's type on import") == 3
    assert "neuro.txt:3:1: warning: this note was Basic and is now Cloze" in output
    assert "neuro.txt:6:1: warning: this note was Basic and is now Basic and reversed" in output
    assert "neuro.txt:8:1: warning: this note was Cloze and is now Basic" in output
    log = collection.import_package(tmp_path / "b2" / "neuro.apkg")
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (3, 0, 0)

    new_types = {col.get_note(nid).note_type()["name"] for nid in set(col.find_notes("")) - before}
    assert new_types == {"ankipress Cloze", "ankipress Basic and reversed", "ankipress Basic"}
    (reversed_note,) = col.find_notes('"note:ankipress Basic and reversed"')
    assert len(col.get_note(reversed_note).cards()) == 2

    # The old notes are listed as no longer in the files, with a search finding exactly them.
    assert "3 notes no longer in your files" in output
    search = re.search(r"^\s+(nid:[\d,]+)$", output, re.M)[1]
    old = set(col.find_notes(search))
    assert len(old) == 3 and old <= before
    assert {visible_lines(col.get_note(n).fields[0])[0] for n in old} == {
        "Quel est le rôle du cervelet ?",
        "Capitale du Canada",
        "Que produit l'aire de Broca ?",
    }

    # Turned back into their first types, the notes meet their old selves again in Anki.
    notes.write_text(RETYPED, "utf-8")
    output = build(content, tmp_path / "b3", 1790000200)
    log = collection.import_package(tmp_path / "b3" / "neuro.apkg")
    assert len(log.conflicting) == 0
