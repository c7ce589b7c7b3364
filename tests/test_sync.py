"""`ankipress sync` against real collection files, checked with Anki's own backend.

Every test works in its own temporary folder: HOME and ANKI_BASE point there, so no real
Anki profile of this machine is ever found or touched.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from anki.collection import Collection
from conftest import AnkiCollection, run_cli, visible_lines, write

from ankipress.models import MODELS
from ankipress.profiles import NotFound, default_base, find_collection

OURS = {model.model_id for model in MODELS.values()}
BACKUP_NAME = re.compile(r"backup-\d{4}-\d\d-\d\d-\d\d\.\d\d\.\d\d\.colpkg")

BIO = """Biologie
Quel est le rôle du cervelet ?
Coordonner les mouvements.

Qui a découvert la pénicilline ?
Fleming

Qu'est-ce qu'une synapse ?
La jonction entre deux neurones.
"""
VOCAB = """Vocabulaire
Capitale du Canada :: Ottawa

Mitochondrie ::: Centrale énergétique de la cellule

Quelle est la vitesse de la lumière ?
300 000 km/s
"""

# Edited: an answer (cervelet), a deleted note (pénicilline), a renamed deck (Biologie ->
# Neuro), notes retyped each way (Basic -> reversed, reversed -> Basic, Basic -> Cloze) and
# a note added.
BIO_EDITED = """Neuro
Quel est le rôle du cervelet ?
Coordonner les mouvements et l'équilibre.

Qu'est-ce qu'une synapse ?
La jonction entre deux neurones.
"""
VOCAB_EDITED = """Vocabulaire
Capitale du Canada ::: Ottawa

Mitochondrie :: Centrale énergétique de la cellule

Quelle est la ==vitesse== de la lumière ?
300 000 km/s

Combien de pattes a une araignée ?
Huit
"""


@contextmanager
def opened(path: Path) -> Iterator[Collection]:
    """The collection open for a moment (a sync needs it closed, as Anki desktop leaves it)."""
    col = Collection(str(path))
    try:
        yield col
    finally:
        col.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Student:
    """A content folder, an Anki data folder, and a collection holding the student's own
    notes (another deck, Anki's stock note types) next to ankipress's."""

    root: Path
    content: Path
    collection: Path

    @property
    def env(self) -> dict[str, str]:
        return {"HOME": str(self.root), "ANKI_BASE": str(self.root / "Anki2")}

    def sync(self, *args: str, now: str = "1790000000", verbose: bool = False):
        env = self.env | {"SOURCE_DATE_EPOCH": now}
        command = [*(["--verbose"] if verbose else []), "sync", str(self.content)]
        return run_cli(*command, "--collection", str(self.collection), *args, env=env)

    def own_notes(self) -> list[tuple]:
        """Every row of the student's own notes and cards, as stored."""
        with opened(self.collection) as col:
            notes = col.db.all(f"SELECT * FROM notes WHERE mid NOT IN {tuple(OURS)} ORDER BY id")
            cards = col.db.all(
                "SELECT * FROM cards WHERE nid IN (SELECT id FROM notes "
                f"WHERE mid NOT IN {tuple(OURS)}) ORDER BY id"
            )
        return [*map(tuple, notes), *map(tuple, cards)]


def make_student(tmp_path: Path) -> Student:
    profile = tmp_path / "Anki2" / "User 1"
    profile.mkdir(parents=True)
    student = Student(tmp_path, tmp_path / "content", profile / "collection.anki2")
    write(student.content / "bio.txt", BIO)
    write(student.content / "vocab.txt", VOCAB)
    with opened(student.collection) as col:
        basic = col.new_note(col.models.by_name("Basic"))
        basic["Front"], basic["Back"] = "Mon mot de passe Wi-Fi ?", "hunter2"
        col.add_note(basic, col.decks.id("Perso"))
        reversed_ = col.new_note(col.models.by_name("Basic (and reversed card)"))
        reversed_["Front"], reversed_["Back"] = "chat", "cat"
        col.add_note(reversed_, col.decks.id("Perso::Anglais"))
        cloze = col.new_note(col.models.by_name("Cloze"))
        cloze["Text"] = "La capitale de l'Australie est {{c1::Canberra}}."
        col.add_note(cloze, col.decks.id("Perso"))
    return student


def review_everything(collection: Path) -> Counter:
    """Answer every card once; the reviews per card id."""
    with opened(collection) as col:
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            card.start_timer()
            col.sched.answerCard(card, 3)
        return Counter(col.db.list("SELECT cid FROM revlog"))


def ankipress_notes(col: Collection) -> dict[str, tuple[str, set[str]]]:
    """ankipress's notes in the collection: the first line of their first field → (note type
    name, the decks of their cards)."""
    found = {}
    for nid in col.db.list(f"SELECT id FROM notes WHERE mid IN {tuple(OURS)}"):
        note = col.get_note(nid)
        decks = {col.decks.name(card.did) for card in note.cards()}
        found[visible_lines(note.fields[0])[0]] = (note.note_type()["name"], decks)
    return found


@pytest.fixture
def student(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Student:
    """The student, working in their folder (paths are reported relative to it)."""
    monkeypatch.chdir(tmp_path)
    return make_student(tmp_path)


@pytest.fixture
def synced(student: Student) -> Student:
    """The student after a first sync."""
    result = student.sync()
    assert result.exit_code == 0, result.output
    return student


def test_a_first_sync_adds_the_notes_backs_up_and_leaves_the_students_notes_alone(student):
    own = student.own_notes()

    result = student.sync()

    assert result.exit_code == 0, result.output
    assert "6 notes added" in result.output
    backups = list((student.collection.parent / "backups").iterdir())
    assert len(backups) == 1 and BACKUP_NAME.fullmatch(backups[0].name)
    assert f"backup of the collection: Anki2/User 1/backups/{backups[0].name}" in result.output
    with opened(student.collection) as col:
        notes = ankipress_notes(col)
        assert col.db.scalar("SELECT count() FROM notes") == 9
        assert set(col.db.list(f"SELECT usn FROM notes WHERE mid IN {tuple(OURS)}")) == {-1}
    assert notes["Quel est le rôle du cervelet ?"] == ("ankipress Basic", {"Biologie"})
    assert notes["Mitochondrie"] == ("ankipress Basic and reversed", {"Vocabulaire"})
    assert student.own_notes() == own
    assert (student.content / "ankipress.lock").is_file()

    again = student.sync()
    assert again.exit_code == 0
    assert "nothing to change" in again.output
    assert len(list((student.collection.parent / "backups").iterdir())) == 1


def test_sync_applies_edits_deletions_renamed_decks_and_type_changes_keeping_reviews(synced):
    student = synced
    reviews = review_everything(student.collection)
    assert sum(reviews.values()) == 11  # 7 cards of ankipress's, 4 of the student's own
    own = student.own_notes()
    with opened(student.collection) as col:
        card_of = {
            visible_lines(col.get_note(nid).fields[0])[0]: col.card_ids_of_note(nid)
            for nid in col.db.list(f"SELECT id FROM notes WHERE mid IN {tuple(OURS)}")
        }
    write(student.content / "bio.txt", BIO_EDITED)
    write(student.content / "vocab.txt", VOCAB_EDITED)
    lock_before = (student.content / "ankipress.lock").read_bytes()

    before = digest(student.collection)
    dry = student.sync("--dry-run", now="1790001000")
    assert dry.exit_code == 0, dry.output
    assert digest(student.collection) == before
    assert (student.content / "ankipress.lock").read_bytes() == lock_before
    assert (
        not (student.collection.parent / "backups").exists()
        or len(list((student.collection.parent / "backups").iterdir())) == 1
    )
    for line in (
        'added    content/vocab.txt:9:1  "Combien de pattes a une araignée ?"',
        'updated  content/bio.txt:2:1  "Quel est le rôle du cervelet ?"',
        '"Capitale du Canada" (Basic → Basic and reversed',
        '"Mitochondrie" (Basic and reversed → Basic',
        '"Quelle est la {{c1::vitesse}} de la lumière ?" (Basic → Cloze',
        '"Quel est le rôle du cervelet ?" (1 card: "Biologie" → "Neuro")',
        'removed  content/bio.txt  "Qui a découvert la pénicilline ?"',
    ):
        assert line in dry.output
    assert "one-way (full) sync" in dry.output

    # Not on a terminal and without --delete: everything but the removal.
    result = student.sync(now="1790001000")
    assert result.exit_code == 0, result.output
    assert "1 note whose source is gone stayed in Anki" in result.output
    with opened(student.collection) as col:
        assert "Qui a découvert la pénicilline ?" in ankipress_notes(col)

    result = student.sync("--delete", now="1790001000")
    assert result.exit_code == 0, result.output
    assert "1 note removed" in result.output and 'deck "Biologie" removed' in result.output

    with opened(student.collection) as col:
        notes = ankipress_notes(col)
        assert notes == {
            "Quel est le rôle du cervelet ?": ("ankipress Basic", {"Neuro"}),
            "Qu'est-ce qu'une synapse ?": ("ankipress Basic", {"Neuro"}),
            "Capitale du Canada": ("ankipress Basic and reversed", {"Vocabulaire"}),
            "Mitochondrie": ("ankipress Basic", {"Vocabulaire"}),
            "Quelle est la {{c1::vitesse}} de la lumière ?": ("ankipress Cloze", {"Vocabulaire"}),
            "Combien de pattes a une araignée ?": ("ankipress Basic", {"Vocabulaire"}),
        }
        cervelet = col.get_note(col.find_notes('"Front:Quel est le rôle du cervelet ?"')[0])
        assert "équilibre" in cervelet["Back"]
        assert "Biologie" not in {d.name for d in col.decks.all_names_and_ids()}
        # Every card that still exists kept its reviews; card 1 of each retyped note is
        # the same card; reversed → Basic dropped card 2 only.
        kept = set(col.db.list("SELECT id FROM cards"))
        assert Counter(col.db.list("SELECT cid FROM revlog")) == reviews
        assert all(reviews[cid] == 1 for cid in kept if cid in reviews)
        assert card_of["Capitale du Canada"][0] in kept
        assert card_of["Mitochondrie"][0] in kept and card_of["Mitochondrie"][1] not in kept
        vitesse = col.find_notes("vitesse")[0]
        assert col.card_ids_of_note(vitesse) == card_of["Quelle est la vitesse de la lumière ?"]
    assert student.own_notes() == own

    assert "nothing to change" in student.sync(now="1790001000").output


def test_an_edit_made_in_anki_is_held_against_a_changed_source_until_forced(synced):
    student = synced
    with opened(student.collection) as col:
        note = col.get_note(col.find_notes('"Front:Quel est le rôle du cervelet ?"')[0])
        note["Back"] = "Coordonner les mouvements (corrigé dans Anki)."
        col.update_note(note)
        other = col.get_note(col.find_notes("\"Front:Qu'est-ce qu'une synapse ?\"")[0])
        other["Back"] = "La jonction (corrigé sur le téléphone)."
        col.update_note(other)
    write(student.content / "bio.txt", BIO.replace("Coordonner les mouvements.", "Coordonner."))
    # A plain build in between (to preview, say), even one stamped later than the edit,
    # must not hide the edit made in Anki.
    later = {"SOURCE_DATE_EPOCH": str(int(time.time()) + 100)}
    built = run_cli("build", str(student.content), "-o", str(student.root / "build"), env=later)
    assert built.exit_code == 0

    result = student.sync(now="1790001000")

    assert result.exit_code == 1
    assert 'conflict content/bio.txt:2:1  "Quel est le rôle du cervelet ?"' in result.output
    assert "Back, in Anki:      Coordonner les mouvements (corrigé dans Anki)." in result.output
    assert "Back, in your files: Coordonner." in result.output
    assert "edited in Anki  content/bio.txt:8:1  \"Qu'est-ce qu'une synapse ?\"" in result.output
    with opened(student.collection) as col:
        note = col.get_note(col.find_notes('"Front:Quel est le rôle du cervelet ?"')[0])
        assert note["Back"] == "Coordonner les mouvements (corrigé dans Anki)."

    again = student.sync(now="1790002000")
    assert again.exit_code == 1 and "conflict content/bio.txt:2:1" in again.output

    forced = student.sync("--force", now="1790002000")
    assert forced.exit_code == 0, forced.output
    assert "overwritten  content/bio.txt:2:1" in forced.output
    with opened(student.collection) as col:
        note = col.get_note(col.find_notes('"Front:Quel est le rôle du cervelet ?"')[0])
        assert note["Back"] == "<p>Coordonner.</p>"
        synapse = col.get_note(col.find_notes("\"Front:Qu'est-ce qu'une synapse ?\"")[0])
        assert synapse["Back"] == "<p>La jonction entre deux neurones.</p>"
    assert "nothing to change" in student.sync(now="1790002000").output


def mark_synced_with_ankiweb(collection: Path) -> None:
    """What a completed sync with AnkiWeb leaves: every row synced, the schema too."""
    with opened(collection) as col:
        for table in ("notes", "cards", "revlog", "graves"):
            col.db.execute(f"UPDATE {table} SET usn = 0")
        col.db.execute("UPDATE col SET ls = max(scm, mod) + 1")
        assert not col.schema_changed()


def test_changes_wait_for_ankiweb_and_only_a_type_change_needs_a_full_sync(synced):
    student = synced
    mark_synced_with_ankiweb(student.collection)
    write(student.content / "bio.txt", BIO.replace("Fleming", "Alexander Fleming"))

    edited = student.sync(now="1790001000")

    assert edited.exit_code == 0, edited.output
    assert "one-way" not in edited.output
    with opened(student.collection) as col:
        assert not col.schema_changed()
        pending = col.db.all("SELECT flds FROM notes WHERE usn = -1")
        assert [fields.split("\x1f")[0] for (fields,) in pending] == [
            "Qui a découvert la pénicilline ?"
        ]
        assert col.db.scalar("SELECT count() FROM cards WHERE usn = -1") == 0

    write(student.content / "vocab.txt", VOCAB.replace("Canada :: Ottawa", "Canada ::: Ottawa"))
    retyped = student.sync(now="1790002000")

    assert retyped.exit_code == 0, retyped.output
    assert "Anki's next sync with AnkiWeb will have to be a one-way (full) sync" in retyped.output
    with opened(student.collection) as col:
        assert col.schema_changed()


def test_an_emptied_deck_that_sync_did_not_create_is_left_in_place(student):
    built = run_cli("build", str(student.content), "-o", str(student.root / "build"))
    assert built.exit_code == 0
    with opened(student.collection) as col:
        collection = AnkiCollection(col)
        for package in sorted((student.root / "build").glob("*.apkg")):
            assert not collection.import_package(package).conflicting
    write(student.content / "bio.txt", BIO.replace("Biologie", "Neuro"))

    result = student.sync(now="1790001000")

    assert result.exit_code == 0, result.output
    assert "3 cards moved" in result.output
    assert 'deck "Biologie" is empty; left in place (ankipress did not create it)' in result.output
    with opened(student.collection) as col:
        assert col.decks.id_for_name("Biologie")
        assert col.decks.card_count(col.decks.id_for_name("Neuro"), include_subdecks=True) == 3


def hold_open(collection: Path) -> subprocess.Popen:
    """Another process holding the collection open as Anki desktop does (Anki's backend,
    which opens it in SQLite's exclusive locking mode)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "from anki.collection import Collection\n"
            f"col = Collection({str(collection)!r})\n"
            "print('open', flush=True)\n"
            "sys.stdin.readline()\n"
            "col.close()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "open"
    return holder


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_collection_open_in_anki_is_refused_and_left_unchanged(synced, dry_run):
    student = synced
    write(student.content / "bio.txt", BIO_EDITED)
    lock = (student.content / "ankipress.lock").read_bytes()
    folder = sorted(student.collection.parent.iterdir())
    holder = hold_open(student.collection)
    try:
        before = digest(student.collection)
        result = student.sync(*(["--dry-run"] if dry_run else []), now="1790001000")
        assert digest(student.collection) == before
    finally:
        holder.communicate("\n")
    assert result.exit_code == 1
    assert "sync refused" in result.output and "is open in Anki" in result.output
    assert "Traceback" not in result.output
    assert (student.content / "ankipress.lock").read_bytes() == lock
    assert sorted(student.collection.parent.iterdir()) == folder


def test_media_added_by_sync_are_in_the_media_folder_and_none_is_missing(student):
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
    write(student.content / "schema.png", png)
    write(student.content / "bio.txt", BIO + "\nQuel schéma ?\n![le schéma](schema.png)\n")

    result = student.sync()

    assert result.exit_code == 0, result.output
    assert "1 media file added to the collection's media folder" in result.output
    media = student.collection.parent / "collection.media"
    with opened(student.collection) as col:
        check = col.media.check()
        assert list(check.missing) == []
        note = col.get_note(col.find_notes('"Front:Quel schéma ?"')[0])
        (name,) = re.findall(r'src="([^"]+)"', note["Back"])
    assert (media / name).read_bytes() == png


def test_the_only_profile_is_found_in_anki_base(student, tmp_path):
    prefs = sqlite3.connect(tmp_path / "Anki2" / "prefs21.db")
    prefs.execute("CREATE TABLE profiles (name TEXT PRIMARY KEY, data BLOB NOT NULL)")
    meta = pickle.dumps({"last_loaded_profile_name": "User 1"}, 4)
    prefs.execute("INSERT INTO profiles VALUES ('_global', ?)", (meta,))
    prefs.execute("INSERT INTO profiles VALUES ('User 1', ?)", (b"",))
    prefs.commit()

    env = student.env | {"SOURCE_DATE_EPOCH": "1790000000"}
    result = run_cli("sync", str(student.content), env=env)
    assert result.exit_code == 0, result.output
    with opened(student.collection) as col:
        assert len(ankipress_notes(col)) == 6

    prefs.execute("INSERT INTO profiles VALUES ('Autre', ?)", (b"",))
    prefs.commit()
    prefs.close()
    (tmp_path / "Anki2" / "Autre").mkdir()
    with opened(tmp_path / "Anki2" / "Autre" / "collection.anki2"):
        pass
    several = run_cli("sync", str(student.content), "--dry-run", env=env)
    assert several.exit_code == 1 and "several profiles (Autre, User 1)" in several.output

    other = run_cli("sync", str(student.content), "--profile", "autre", "--dry-run", env=env)
    assert other.exit_code == 0 and "6 notes added" in other.output

    missing = run_cli("sync", str(student.content), "--profile", "Nobody", env=env)
    assert missing.exit_code == 1
    assert 'profile "Nobody" has no collection' in missing.output
    assert "profiles: Autre, User 1" in missing.output


def test_collection_and_profile_together_are_a_usage_error(tmp_path):
    result = run_cli("sync", "--collection", str(tmp_path), "--profile", "x")
    assert result.exit_code == 2


def test_a_missing_collection_is_refused(tmp_path):
    write(tmp_path / "content" / "bio.txt", BIO)
    result = run_cli(
        "sync", str(tmp_path / "content"), "--collection", str(tmp_path / "nope.anki2")
    )
    assert result.exit_code == 1
    assert "no Anki collection at" in result.output


def test_without_the_anki_package_sync_says_how_to_install_it(tmp_path, monkeypatch):
    import ankipress

    monkeypatch.delattr(ankipress, "sync", raising=False)
    monkeypatch.delitem(sys.modules, "ankipress.sync", raising=False)
    for name in [n for n in sys.modules if n == "anki" or n.startswith("anki.")]:
        monkeypatch.setitem(sys.modules, name, None)
    write(tmp_path / "content" / "bio.txt", BIO)

    result = run_cli("sync", str(tmp_path / "content"), "--collection", str(tmp_path))

    assert result.exit_code == 1
    assert "pip install 'ankipress[sync]'" in result.output
    assert "Traceback" not in result.output


def test_removal_is_confirmed_on_a_terminal(synced):
    import pty

    student = synced
    write(
        student.content / "bio.txt", BIO.replace("Qui a découvert la pénicilline ?\nFleming\n", "")
    )
    command = [sys.executable, "-m", "ankipress", "sync", str(student.content)]
    command += ["--collection", str(student.collection)]
    env = os.environ | student.env | {"SOURCE_DATE_EPOCH": "1790001000"}
    controller, terminal = pty.openpty()
    process = subprocess.Popen(command, stdin=terminal, stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    seen = b""
    answered = False
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if not answered and b"Remove them from Anki?" in seen:
            os.write(controller, b"y\n")
            answered = True
    assert process.wait() == 0, seen.decode()
    os.close(controller)
    assert b'"Qui a d\xc3\xa9couvert la p\xc3\xa9nicilline ?" (deck Biologie)' in seen
    with opened(student.collection) as col:
        assert not col.find_notes("pénicilline")


def test_a_collection_in_the_older_file_format_stays_in_it(student):
    Collection(str(student.collection)).close(downgrade=True)  # as Anki 2.1.49 leaves it
    with sqlite3.connect(student.collection) as connection:
        assert connection.execute("SELECT ver FROM col").fetchone() == (11,)

    result = student.sync()

    assert result.exit_code == 0, result.output
    with sqlite3.connect(student.collection) as connection:
        assert connection.execute("SELECT ver FROM col").fetchone() == (11,)
        assert connection.execute("SELECT count() FROM notes").fetchone() == (9,)


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {}, "/home/ana/.local/share/Anki2"),
        ("linux", {"XDG_DATA_HOME": "/data"}, "/data/Anki2"),
        ("darwin", {}, "/home/ana/Library/Application Support/Anki2"),
        (
            "win32",
            {"APPDATA": "/C/Users/ana/AppData/Roaming"},
            "/C/Users/ana/AppData/Roaming/Anki2",
        ),
        ("win32", {"ANKI_BASE": "/elsewhere"}, "/elsewhere"),
        ("linux", {"ANKI_BASE": "/elsewhere", "XDG_DATA_HOME": "/data"}, "/elsewhere"),
    ],
)
def test_anki_data_folder_by_platform(platform, env, expected):
    assert default_base(platform, env, Path("/home/ana")) == Path(expected)


def test_several_profiles_ask_for_one_even_when_anki_remembers_the_last(tmp_path):
    """The last loaded profile is in Anki's pickled record, which is never read."""
    base = tmp_path / "Anki2"
    base.mkdir()
    prefs = sqlite3.connect(base / "prefs21.db")
    prefs.execute("CREATE TABLE profiles (name TEXT PRIMARY KEY, data BLOB NOT NULL)")
    meta = pickle.dumps({"last_loaded_profile_name": "Bob"}, 4)
    prefs.execute("INSERT INTO profiles VALUES ('_global', ?)", (meta,))
    prefs.executemany("INSERT INTO profiles VALUES (?, ?)", [("Ana", b""), ("Bob", b"")])
    prefs.commit()
    prefs.close()
    found = find_collection(None, None, "linux", {"ANKI_BASE": str(base)}, tmp_path)
    assert isinstance(found, NotFound)
    assert "several profiles (Ana, Bob)" in found.message and "--profile" in found.message


def test_a_note_that_only_moved_down_its_file_is_not_changed(synced):
    student = synced
    with opened(student.collection) as col:
        mods = dict(col.db.all("SELECT guid, mod FROM notes"))
    write(student.content / "bio.txt", BIO.replace("Biologie\n", "Biologie\nQui ?\nMoi.\n\n"))

    result = student.sync(now="1790001000", verbose=True)

    assert result.exit_code == 0, result.output
    assert result.output.count("updated") == 0
    assert 'added    content/bio.txt:2:1  "Qui ?"' in result.output
    with opened(student.collection) as col:
        cervelet = col.get_note(col.find_notes('"Front:Quel est le rôle du cervelet ?"')[0])
        assert cervelet["Source"] == "bio.txt:2"  # as an import leaves it
        assert cervelet.mod == mods[cervelet.guid]
        after = dict(col.db.all("SELECT guid, mod FROM notes"))
        assert mods.items() < after.items() and len(after) == len(mods) + 1
