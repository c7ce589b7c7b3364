"""The build cache: unchanged files are not compiled again, the output never differs from a
build without it, and nothing in it can be planted by someone else."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import SEED, run_cli, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ankipress.compiling
import ankipress.folders
import ankipress.pipeline
from ankipress import cache

OTHER = "Cours 2\nQuel est le rôle du cervelet ?\nIl coordonne les mouvements.\n"


def make_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    content.mkdir(parents=True)
    shutil.copy(SEED, content / SEED.name)
    (content / "cours-2.txt").write_text(OTHER, encoding="utf-8")
    return content


def build(content, out, now: str = "1790000000", **env: str):
    result = run_cli("build", str(content), "-o", str(out), env={"SOURCE_DATE_EPOCH": now, **env})
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The files compiled (not taken from the cache) by the builds of a test."""
    seen: list[str] = []
    real = ankipress.compiling.compile_file

    def spy(source, settings):
        seen.append(source.relpath)
        return real(source, settings)

    monkeypatch.setattr(ankipress.compiling, "compile_file", spy)
    return seen


def packages(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.apkg"))}


def database(out: Path) -> Path:
    (path,) = Path(os.environ["ANKIPRESS_CACHE_DIR"]).glob(f"build-{cache_name(out)}.sqlite")
    return path


def cache_name(out: Path) -> str:
    import hashlib

    return hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:20]


def test_unchanged_files_come_from_the_cache_and_only_the_edited_package_is_rewritten(
    tmp_path, compiled
):
    content = make_content(tmp_path)
    out = tmp_path / "build"
    build(content, out)
    first = packages(out)
    assert sorted(compiled) == ["cours-13-flashcards.txt", "cours-2.txt"]
    seed_written = (out / (SEED.stem + ".apkg")).stat().st_mtime_ns

    compiled.clear()
    assert "up to date" in build(content, out).output
    assert compiled == []
    assert packages(out) == first

    (content / "cours-2.txt").write_text(OTHER.replace("mouvements", "gestes"), "utf-8")
    result = build(content, out, now="1790000100")
    assert compiled == ["cours-2.txt"]
    assert packages(out)[SEED.stem + ".apkg"] == first[SEED.stem + ".apkg"]
    assert (out / (SEED.stem + ".apkg")).stat().st_mtime_ns == seed_written  # not rewritten
    assert "wrote" in result.output and "cours-2.apkg" in result.output
    entries = sqlite3.connect(database(out)).execute("SELECT count(*) FROM entries").fetchone()
    assert entries == (2,)  # the stale entry is pruned


def edits(content: Path) -> list:
    seed = content / SEED.name

    def answer():
        seed.write_text(seed.read_text("utf-8").replace("Max 10", "Max 12"), "utf-8")

    def insert():
        lines = seed.read_text("utf-8").splitlines()
        lines[1:1] = ["Qu’est-ce qu’une COP ?", "- Une communauté de pratique"]
        seed.write_text("\n".join(lines) + "\n", "utf-8")

    def new_file():
        write(content / "cours-3.txt", "Cours 3\nQuelle est la capitale ?\n- Ottawa\n")

    return [answer, insert, new_file]


@pytest.mark.parametrize("workers", ["0", "2"])
def test_builds_after_edits_equal_a_cold_build_without_cache(tmp_path, workers):
    """The cache, the manifest and worker processes never change a byte of the output."""
    warm = make_content(tmp_path / "warm")
    cold = make_content(tmp_path / "cold")
    build(warm, tmp_path / "warm-out", ANKIPRESS_WORKERS=workers)
    build(cold, tmp_path / "cold-out-0", ANKIPRESS_CACHE_DIR="off")
    for number, (edit_warm, edit_cold) in enumerate(zip(edits(warm), edits(cold), strict=True)):
        edit_warm()
        edit_cold()
        now = str(1790000100 + number)
        build(warm, tmp_path / "warm-out", now=now, ANKIPRESS_WORKERS=workers)
        fresh = tmp_path / f"cold-out-{number + 1}"
        build(cold, fresh, now=now, ANKIPRESS_CACHE_DIR="off", ANKIPRESS_WORKERS="0")
        assert packages(tmp_path / "warm-out") == packages(fresh)
        assert (warm / "ankipress.lock").read_bytes() == (cold / "ankipress.lock").read_bytes()


@pytest.mark.parametrize("identities", [b"[1, 2]", b'[["a"], [1], ["x"], []]', b"not json"])
def test_a_damaged_folder_state_identifies_every_file_again(tmp_path, identities):
    warm = make_content(tmp_path / "warm")
    cold = make_content(tmp_path / "cold")
    build(warm, tmp_path / "warm-out")
    build(cold, tmp_path / "cold-out-0", ANKIPRESS_CACHE_DIR="off")
    connection = sqlite3.connect(database(tmp_path / "warm-out"))
    connection.execute("UPDATE files SET identities = ?", (identities,))
    connection.commit()
    connection.close()
    for content in (warm, cold):
        with (content / "cours-2.txt").open("a", encoding="utf-8") as notes:
            notes.write("Et le cortex ?\nIl pense.\n")
    build(warm, tmp_path / "warm-out", now="1790000100")
    build(cold, tmp_path / "cold-out-1", now="1790000100", ANKIPRESS_CACHE_DIR="off")
    assert packages(tmp_path / "warm-out") == packages(tmp_path / "cold-out-1")
    assert (warm / "ankipress.lock").read_bytes() == (cold / "ankipress.lock").read_bytes()


def test_workers_give_the_same_package_as_one_process(tmp_path):
    """Enough files that more chunks of them are to compile, and more of their packages to
    make, than workers are sent at once (results are taken in order as the window moves
    on): compiled and packaged in workers, every package is the same."""
    content = make_content(tmp_path)
    for number in range(45):
        write(content / f"extra-{number}.txt", f"Cours {number}\nQuel est le point {number} ?\nX\n")
    build(content, tmp_path / "one", ANKIPRESS_CACHE_DIR="off", ANKIPRESS_WORKERS="0")
    (content / "ankipress.lock").unlink()
    build(content, tmp_path / "two", ANKIPRESS_CACHE_DIR="off", ANKIPRESS_WORKERS="2")
    assert packages(tmp_path / "one") == packages(tmp_path / "two")


def test_files_go_to_the_workers_once_each_and_come_back_in_order():
    class Done:
        def __init__(self, value):
            self.value = value

        def get(self):
            return self.value

    class Pool:  # as multiprocessing's, but here and at once; what it was sent, told
        def __init__(self):
            self.sent = []

        def apply_async(self, function, args):
            (chunk,) = args
            self.sent.append(chunk)
            return Done([f"compiled {task}" for task in chunk])

    pool = Pool()
    tasks = list(range(30))  # a list, not only a generator
    results = list(ankipress.compiling.in_workers(pool, tasks, window=2))
    assert results == [f"compiled {task}" for task in tasks]
    assert [task for chunk in pool.sent for task in chunk] == tasks


def test_a_damaged_cache_database_is_replaced(tmp_path):
    content = make_content(tmp_path)
    out = tmp_path / "build"
    build(content, out)
    before = packages(out)
    database(out).write_bytes(b"not a database at all" * 100)
    (content / "cours-2.txt").write_text(OTHER + "\n", "utf-8")
    build(content, out)
    assert packages(out) == before
    build(content, out)


def damage_whole(data: bytes) -> bytes:
    return b"[1, 2\n not json"


def damage_facts(data: bytes) -> bytes:
    """The first line as written, the second (read only when a file changed) altered."""
    head, facts, rows = data.split(b"\n")
    return b"\n".join((head, facts.replace(b'"basic"', b'"cloze"', 1), rows))


def damage_fields(data: bytes) -> bytes:
    head, facts, rows = data.split(b"\n")
    return b"\n".join((head, facts, rows[:-1]))


@pytest.mark.parametrize("damage", [damage_whole, damage_facts, damage_fields])
def test_a_damaged_entry_is_compiled_again(tmp_path, compiled, damage):
    content = make_content(tmp_path)
    out = tmp_path / "all.apkg"
    build(content, out)
    before = out.read_bytes()
    connection = sqlite3.connect(database(out))
    for key, data in connection.execute("SELECT key, data FROM entries").fetchall():
        connection.execute("UPDATE entries SET data = ? WHERE key = ?", (damage(data), key))
    connection.commit()
    connection.close()
    compiled.clear()
    (content / "ankipress.lock").write_text(
        (content / "ankipress.lock").read_text("utf-8") + "\n", "utf-8"
    )  # so that the build is not "up to date"
    build(content, out)
    assert sorted(compiled) == ["cours-13-flashcards.txt", "cours-2.txt"]
    assert out.read_bytes() == before


def test_settings_and_library_versions_are_part_of_the_key(tmp_path, compiled, monkeypatch):
    content = tmp_path / "content"
    content.mkdir()
    (content / "n.txt").write_text("Qu'est-ce que X ?\nY : Z\n", encoding="utf-8")
    out = tmp_path / "n.apkg"
    build(content, out)
    assert "\u202f?".encode() not in zipfile.ZipFile(out).read("collection.anki2")
    result = run_cli("build", str(content), "-o", str(out), "--lang", "fr")
    assert result.exit_code == 0
    assert "\u202f?".encode() in zipfile.ZipFile(out).read("collection.anki2")

    compiled.clear()
    build(content, out)
    assert compiled == ["n.txt"]
    compiled.clear()
    real = cache.library_version
    monkeypatch.setattr(cache, "library_version", lambda name: real(name) + "-upgraded")
    cache.code_digest.cache_clear()
    try:
        (content / "ankipress.lock").unlink()  # so that the build can't be "up to date"
        build(content, out)
    finally:
        cache.code_digest.cache_clear()
    assert compiled == ["n.txt"]  # an upgraded Markdown library never reuses old HTML


def test_the_cache_is_data_and_lives_outside_the_output_folder(tmp_path):
    content = make_content(tmp_path)
    out = tmp_path / "build"
    build(content, out)
    assert sorted(p.name for p in out.iterdir()) == ["cours-13-flashcards.apkg", "cours-2.apkg"]
    rows = sqlite3.connect(database(out)).execute("SELECT data FROM entries").fetchall()
    # Each entry is three lines of JSON (what every build reads of the notes; what
    # identifies them; their fields).
    parts = [part for (data,) in rows for part in data.split(b"\n")]
    assert rows and len(parts) == 3 * len(rows)
    assert all(isinstance(json.loads(part), list) for part in parts)
    source = Path(ankipress.pipeline.__file__).parent
    for module in source.glob("*.py"):
        text = module.read_text("utf-8")
        for loader in ("import pickle", "from pickle", "pickletools", "marshal", "shelve"):
            assert loader not in text, (module.name, loader)


def test_entries_planted_beside_the_output_are_never_read(tmp_path):
    """A repository may ship files in build/: nothing there is taken as cache."""
    content = make_content(tmp_path)
    out = tmp_path / "build"
    for name in (".cache/x.entry", ".ankipress-cache/entries.sqlite", ".cache/build.manifest"):
        write(out / name, b"\x80\x04crafted")
    build(content, out)
    assert (out / ".cache" / "x.entry").read_bytes() == b"\x80\x04crafted"


def test_a_cache_folder_others_can_write_is_never_used(tmp_path, compiled, monkeypatch):
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    monkeypatch.setenv("ANKIPRESS_CACHE_DIR", str(shared))
    content = make_content(tmp_path)
    out = tmp_path / "build"
    build(content, out)
    assert list(shared.iterdir())  # private: used
    compiled.clear()
    shared.chmod(0o777)  # anyone may now put entries there: ignore it
    try:
        (content / "ankipress.lock").unlink()
        build(content, out)
    finally:
        shared.chmod(0o700)
    assert sorted(compiled) == ["cours-13-flashcards.txt", "cours-2.txt"]


def test_a_planted_entry_in_a_cache_database_not_ours_is_ignored(tmp_path, monkeypatch):
    home = tmp_path / "cache-home"
    monkeypatch.setenv("ANKIPRESS_CACHE_DIR", str(home))
    content = make_content(tmp_path)
    out = tmp_path / "build"
    build(content, out)
    path = database(out)
    connection = sqlite3.connect(path)
    forged = b'["cours-2.txt","x","Evil",[],[],[]]\n[]'
    connection.execute("UPDATE entries SET data = ?", (forged,))
    connection.commit()
    connection.close()
    path.chmod(0o666)  # writable by others: not ours alone
    try:
        (content / "ankipress.lock").unlink()
        build(content, out)
    finally:
        path.chmod(0o600)
    assert b"Evil" not in zipfile.ZipFile(out / "cours-2.apkg").read("collection.anki2")


def test_a_build_never_deletes_a_file_it_did_not_write(tmp_path):
    content = make_content(tmp_path)
    out = tmp_path / "home"
    keep = [".profile.swp.tmp", ".x.apkg.notmine.tmp", "notes.entry", ".cache"]
    for name in keep:
        write(out / name, "mine")
    build(content, out / "deck.apkg")
    assert all((out / name).exists() for name in keep)


def test_an_unchanged_rebuild_writes_nothing_and_any_change_rebuilds(tmp_path):
    content = make_content(tmp_path)
    (content / "image.md").write_text("## Quel schéma ?\n\n![s](s.png)\n", encoding="utf-8")
    (content / "s.png").write_bytes(b"\x89PNG one")
    out = tmp_path / "all.apkg"
    build(content, out)
    written = out.stat().st_mtime_ns

    result = build(content, out)
    assert "up to date: 14 notes" in result.output
    assert out.stat().st_mtime_ns == written

    (content / "s.png").write_bytes(b"\x89PNG two")
    assert "wrote" in build(content, out).output
    with zipfile.ZipFile(out) as package:
        assert b"\x89PNG two" in [package.read(name) for name in package.namelist()]
    assert "up to date" in build(content, out).output

    out.unlink()
    assert "wrote" in build(content, out).output
    lock = content / "ankipress.lock"
    lock.write_text(lock.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "up to date" not in build(content, out).output
    assert "up to date" in build(content, out).output


FILES = {
    "a.txt": "Cours A\nQuel est le rôle du cervelet ?\nIl coordonne.\n"
    "Que relie le tronc cérébral ?\n- le cerveau\n- la moelle\n",
    "b.txt": "Cours B\nQu'est-ce qu'un neurone ?\nUne cellule\nCapitale du Canada :: Ottawa\n",
    "c.txt": "L'aire de ==Broca== produit le ==langage==.\n",
    "sub/d.md": "# Neuro\n\n## Que fait la myéline ?\n\nElle isole.\n",
}

TRONC = "Que relie le tronc cérébral ?\n- le cerveau\n- la moelle\n"
EDITS = [
    ("edit an answer", "a.txt", lambda t: t.replace("Il coordonne.", "Il coordonne les gestes.")),
    ("reword a question", "a.txt", lambda t: t.replace("Quel est", "Quels sont")),
    ("insert a note", "b.txt", lambda t: t.replace("Cours B\n", "Cours B\nQuoi ?\nÇa\n")),
    ("retype a note", "b.txt", lambda t: t.replace(" :: ", " ::: ")),
    ("insert a deletion", "c.txt", lambda t: t.replace("L'aire", "L'aire ==gauche==")),
    ("rename a deck", "sub/d.md", lambda t: t.replace("# Neuro", "# Neurologie")),
    ("delete a file", "b.txt", None),
    ("add a file", "e.txt", lambda t: "Cours E\nQuel est X ?\nY\n"),
    (
        "move a note",
        "a.txt",
        lambda t: t.replace("Que relie le tronc cérébral ?\n- le cerveau\n- la moelle\n", ""),
    ),
]


def apply_edit(content: Path, name: str, change) -> None:
    path = content / name
    if change is None:
        path.unlink(missing_ok=True)
        return
    before = path.read_text("utf-8") if path.exists() else ""
    write(path, change(before))


def large_collections(monkeypatch, batch: int = 3) -> None:
    """Build every package as a large one (in a scratch file, kept in the cache for the next
    build to copy from), inserting `batch` notes at a time."""
    import ankipress.package

    monkeypatch.setattr(ankipress.package, "IN_MEMORY_NOTES", 0)
    monkeypatch.setattr(ankipress.package, "BATCH", batch)


@pytest.mark.parametrize("large", [False, True], ids=["small", "large"])
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chain=st.lists(st.sampled_from(EDITS), min_size=1, max_size=4, unique_by=lambda e: e[0]))
def test_only_changed_files_are_identified_again_and_the_outcome_is_the_same(
    tmp_path_factory, monkeypatch, large, chain
):
    """Any chain of edits, built with the cache (unchanged files keep their identities and
    lock lines without being identified again; a large package copies unchanged files' notes
    from the collection it kept) and without it: the same bytes."""
    if large:
        large_collections(monkeypatch)
    work = tmp_path_factory.mktemp("chain")
    warm, cold = work / "warm" / "content", work / "cold" / "content"
    for content in (warm, cold):
        for name, text in FILES.items():
            write(content / name, text)
    build(warm, work / "warm-out.apkg")
    build(cold, work / "cold-out-0.apkg", ANKIPRESS_CACHE_DIR="off")
    for number, (_, name, change) in enumerate(chain, start=1):
        apply_edit(warm, name, change)
        apply_edit(cold, name, change)
        now = str(1790000000 + number * 100)
        said = build(warm, work / "warm-out.apkg", now=now).output
        fresh = work / f"cold-out-{number}.apkg"
        told = build(cold, fresh, now=now, ANKIPRESS_CACHE_DIR="off").output
        assert (work / "warm-out.apkg").read_bytes() == fresh.read_bytes()
        assert (warm / "ankipress.lock").read_bytes() == (cold / "ankipress.lock").read_bytes()
        assert diagnostics(said, warm) == diagnostics(told, cold)


def diagnostics(output: str, content: Path) -> list[str]:
    """The located messages of a build's output, paths made alike."""
    return [
        line.replace(str(content), "CONTENT")
        for line in output.splitlines()
        if ": warning: " in line or ": note: " in line or ": error: " in line
    ]


def test_a_rebuild_after_one_edit_identifies_only_that_file(tmp_path, monkeypatch):
    content = tmp_path / "content"
    for name, text in FILES.items():
        write(content / name, text)
    out = tmp_path / "all.apkg"
    build(content, out)
    seen = []
    real = ankipress.folders.identify_changed
    monkeypatch.setattr(
        ankipress.folders,
        "identify_changed",
        lambda files, *rest: seen.append(len(files)) or real(files, *rest),
    )
    real_folder = ankipress.folders.identify_folder
    counted = []
    monkeypatch.setattr(
        ankipress.folders,
        "identify_folder",
        lambda notes, *rest, **kw: counted.append(len(notes)) or real_folder(notes, *rest, **kw),
    )
    apply_edit(content, *EDITS[0][1:])
    build(content, out, now="1790000100")
    assert seen == [4] and counted == [2]  # a.txt's two notes, not the seven


def copied_notes(monkeypatch) -> list[int]:
    """How many notes each build copied from a kept collection."""
    import ankipress.package

    counts: list[int] = []
    real = ankipress.package.fill_collection

    def counting(connection, files, *rest):
        counts.append(0)

        def seen():
            for file in files:
                if isinstance(file, ankipress.package.Reused):
                    counts[-1] += len(file.ids)
                yield file

        return real(connection, seen(), *rest)

    monkeypatch.setattr(ankipress.package, "fill_collection", counting)
    return counts


def cold_twin(tmp_path: Path, content: Path, now: str) -> bytes:
    """The package a build without any cache makes of the same notes."""
    twin = tmp_path / f"twin-{now}"
    shutil.copytree(content, twin)  # with the lock file the build just wrote
    out = tmp_path / f"twin-{now}.apkg"
    build(twin, out, now=now, ANKIPRESS_CACHE_DIR="off")
    return out.read_bytes()


def kept_collection(out: Path) -> Path:
    return Path(os.environ["ANKIPRESS_CACHE_DIR"]) / f"collection-{cache_name(out)}.anki2"


def large_build(tmp_path: Path, monkeypatch) -> tuple[Path, Path, list[int]]:
    """The notes of FILES, their package to be built as a large one, and the count of notes
    each build copies from the kept collection."""
    large_collections(monkeypatch)
    copied = copied_notes(monkeypatch)
    content = tmp_path / "content"
    for name, text in FILES.items():
        write(content / name, text)
    return content, tmp_path / "all.apkg", copied


def test_a_large_package_copies_unchanged_files_notes_from_the_collection_it_kept(
    tmp_path, monkeypatch
):
    content, out, copied = large_build(tmp_path, monkeypatch)
    build(content, out)
    assert copied == [0]
    apply_edit(content, *EDITS[2][1:])  # a note inserted into b.txt
    build(content, out, now="1790000100")
    assert copied == [0, 4]  # a.txt's two notes, c.txt's and d.md's: all but b.txt's
    assert out.read_bytes() == cold_twin(tmp_path, content, "1790000100")
    with zipfile.ZipFile(out) as package:
        assert package.read("collection.anki2") == kept_collection(out).read_bytes()


def test_notes_copied_across_insert_batches_give_the_bytes_of_a_cold_build(tmp_path, monkeypatch):
    """Enough notes that notes and cards each fill pages as they are inserted, batch by
    batch: copied or inserted, they reach the database in the same order, and a batch
    boundary falls inside a copied file."""
    large_collections(monkeypatch, batch=64)
    copied = copied_notes(monkeypatch)
    content = tmp_path / "content"
    for number in range(6):
        notes = "".join(
            f"Question {number}.{index} ?\n" + "réponse " * (1 + index % 7) + "\n"
            for index in range(90 + number * 7)
        )
        write(content / f"f{number}.txt", f"Cours {number}\n{notes}")
    out = tmp_path / "all.apkg"
    build(content, out)
    for number, name in enumerate(("f1.txt", "f4.txt"), start=1):
        path = content / name
        path.write_text(path.read_text("utf-8").replace("réponse", "une réponse", 1), "utf-8")
        now = str(1790000000 + number * 100)
        build(content, out, now=now)
        assert copied[-1] > 400
        assert out.read_bytes() == cold_twin(tmp_path, content, now)


def test_a_large_collection_deflated_in_pieces_on_threads_is_whole_and_the_same_on_one(
    tmp_path, monkeypatch, anki
):
    """A large collection is deflated in pieces, side by side on as many threads as the
    build has workers: the package is the same, byte for byte, on one thread, and Anki
    reads every note of it."""
    import ankipress.package

    large_collections(monkeypatch)
    monkeypatch.setattr(ankipress.package, "PIECE", 4096)  # a collection of a dozen pieces
    content = tmp_path / "content"
    for number in range(4):
        notes = "".join(f"Question {number}.{i} ?\nréponse {i}\n" for i in range(40))
        write(content / f"f{number}.txt", f"Cours {number}\n{notes}")
    build(content, tmp_path / "one.apkg", ANKIPRESS_CACHE_DIR="off", ANKIPRESS_WORKERS="0")
    (content / "ankipress.lock").unlink()
    build(content, tmp_path / "two.apkg", ANKIPRESS_CACHE_DIR="off", ANKIPRESS_WORKERS="3")
    one, two = (tmp_path / "one.apkg").read_bytes(), (tmp_path / "two.apkg").read_bytes()
    assert one == two
    with zipfile.ZipFile(tmp_path / "two.apkg") as package:
        info = package.getinfo("collection.anki2")
        assert info.file_size > 12 * 4096
        assert package.testzip() is None
    # One deflate stream, ended as a stream must be (not merely pieces a reader forgives).
    name_and_extra = int.from_bytes(
        two[info.header_offset + 26 : info.header_offset + 28], "little"
    )
    name_and_extra += int.from_bytes(
        two[info.header_offset + 28 : info.header_offset + 30], "little"
    )
    start = info.header_offset + 30 + name_and_extra
    stream = zlib.decompressobj(-zlib.MAX_WBITS)
    assert len(stream.decompress(two[start : start + info.compress_size])) == info.file_size
    assert stream.eof and not stream.unused_data
    collection = anki()
    collection.import_package(tmp_path / "two.apkg")
    assert len(collection.notes()) == 160


def test_a_collection_that_cannot_be_kept_leaves_the_package_whole(tmp_path, monkeypatch):
    content, out, copied = large_build(tmp_path, monkeypatch)
    kept_collection(out).mkdir(parents=True)  # where it would go, taken
    build(content, out)
    apply_edit(content, *EDITS[0][1:])
    build(content, out, now="1790000100")
    assert copied == [0, 0]  # nothing kept, nothing copied
    assert out.read_bytes() == cold_twin(tmp_path, content, "1790000100")


def test_a_kept_collection_goes_when_its_package_is_no_longer_large_or_gone(tmp_path, monkeypatch):
    import ankipress.package

    monkeypatch.setattr(ankipress.package, "IN_MEMORY_NOTES", 2)  # large: three notes or more
    content, out = tmp_path / "content", tmp_path / "out"
    three = "".join(f"Question {n} ?\nRéponse {n}\n" for n in range(3))
    for name in ("shrinks.txt", "goes.txt", "stays.txt"):
        write(content / name, f"Cours {name}\n{three}")
    build(content, out)
    kept = {
        name: kept_collection(out / f"{name[:-4]}.apkg")
        for name in ("shrinks.txt", "goes.txt", "stays.txt")
    }
    assert all(path.exists() for path in kept.values())
    write(content / "shrinks.txt", "Cours\nQuestion ?\nRéponse\n")
    (content / "goes.txt").unlink()
    build(content, out, now="1790000100")
    assert [name for name, path in kept.items() if path.exists()] == ["stays.txt"]
    with sqlite3.connect(database(out)) as connection:
        records = connection.execute("SELECT name FROM meta WHERE name LIKE 'collection %'")
        assert [name for (name,) in records] == [f"collection {(out / 'stays.apkg').resolve()}"]
    connection.close()


@pytest.mark.parametrize(
    "damage",
    [
        "garbage",
        "rows deleted",
        "a trigger",
        "its record damaged",
        "open to others",
    ],
)
def test_a_damaged_kept_collection_is_not_copied_from(tmp_path, monkeypatch, damage):
    content, out, copied = large_build(tmp_path, monkeypatch)
    build(content, out)
    kept = kept_collection(out)
    status = kept.stat()
    if damage == "garbage":
        kept.write_bytes(b"\x00not a database" * (status.st_size // 16))
    elif damage == "open to others":
        kept.chmod(0o666)
    elif damage == "its record damaged":
        with sqlite3.connect(database(out)) as connection:
            name = f"collection {out.resolve()}"
            (value,) = connection.execute(
                "SELECT value FROM meta WHERE name = ?", (name,)
            ).fetchone()
            damaged = value.replace(
                b'"placements": {"', b'"placements": {"x": [1, 2, "3", 4, [], []], "'
            )
            assert damaged != value
            connection.execute("UPDATE meta SET value = ? WHERE name = ?", (damaged, name))
        connection.close()
    else:
        with sqlite3.connect(kept) as connection:
            connection.execute(
                {
                    "rows deleted": "DELETE FROM notes WHERE id IN (SELECT id FROM notes LIMIT 2)",
                    "a trigger": "CREATE TRIGGER t AFTER INSERT ON cards BEGIN SELECT 1; END",
                }[damage]
            )
        connection.close()
    os.utime(kept, ns=(status.st_atime_ns, status.st_mtime_ns))  # as the build left it
    apply_edit(content, *EDITS[0][1:])
    build(content, out, now="1790000100")
    assert copied[-1] == 0 or damage == "rows deleted"  # tried, found short, built again
    assert out.read_bytes() == cold_twin(tmp_path, content, "1790000100")


def test_genanki_parts_kept_in_the_cache_are_what_genanki_makes():
    import genanki

    from ankipress.models import MODELS, TEMPLATES_VERSION
    from ankipress.package import GenankiParts, deck_id, deck_json
    from ankipress.records import NoteKind

    parts = GenankiParts.from_data(GenankiParts.made().to_data())
    assert parts == GenankiParts.made()
    for name in ("Cours 13", "Bio::Cellule", "Déjà vu « ici »"):
        assert deck_json(name, parts) == genanki.Deck(deck_id(name), name).to_json()
    for kind in NoteKind:
        made = json.loads(json.dumps(MODELS[kind].to_json(TEMPLATES_VERSION, 0)))
        assert parts.model_json[kind.value] == made
    for damaged in (b"", b"[1, 2]", b'["a", "b", "{}", "{}"]', b"{}"):
        with pytest.raises(ValueError):
            GenankiParts.from_data(damaged)


def test_note_types_encoded_once_equal_them_encoded_for_each_package():
    import itertools

    from ankipress.models import MODELS
    from ankipress.package import GenankiParts, models_json
    from ankipress.records import NoteKind

    parts = GenankiParts.made()
    for count in (1, 2, 3):
        for kinds in itertools.combinations(sorted(NoteKind, key=lambda k: k.value), count):
            for deck in (1, 1 << 30, 1999999999):
                expected = {
                    str(MODELS[kind].model_id): {**parts.model_json[kind.value], "did": deck}
                    for kind in kinds
                }
                assert models_json(kinds, deck, parts) == json.dumps(expected, sort_keys=True)


def test_a_small_collection_is_the_same_whatever_was_built_before_it():
    """Small collections share one connection; each must come out as from a new one."""
    import threading
    from dataclasses import replace

    from ankipress.package import FileNotes, GenankiParts, PackageNote, small_collection
    from ankipress.records import NoteKind

    parts = GenankiParts.made()

    def note(number: int, kind: NoteKind, text: str) -> PackageNote:
        fields = (f"{text} {number} ?", "<ul><li>" + "réponse " * number + "</li></ul>", "a:1")
        ords = (0, 1) if kind is NoteKind.REVERSED else (0,)
        return PackageNote(
            1_600_000_000_000 + number, f"guid{number}", 1_600_000_000, kind, f"Cours {text}",
            ("t",), fields, fields[0], number, ords,
        )  # fmt: skip

    packages = [
        [note(1, NoteKind.BASIC, "Un")],
        [note(n, NoteKind.REVERSED, "Deux") for n in range(2, 40)],
        [note(40, NoteKind.BASIC, "Question bien plus longue que les autres")],
        [note(41, NoteKind.BASIC, "Un"), note(42, NoteKind.REVERSED, "Trois")],
    ]

    def made(notes: list[PackageNote]) -> bytes:
        return small_collection([FileNotes("", notes)], 1_700_000_000_000, parts)

    failing = [*packages[1][:3], replace(packages[0][0], id=1 << 70)]  # fails halfway

    alone: dict[int, bytes] = {}

    def made_alone(index: int) -> None:  # in a thread of its own: a connection never used
        alone[index] = made(packages[index])

    for index in range(len(packages)):
        local = threading.Thread(target=made_alone, args=(index,))
        local.start()
        local.join()
    with pytest.raises(OverflowError):
        small_collection([FileNotes("", failing)], 1_700_000_000_000, parts)
    for index in (0, 1, 2, 3, 2, 0, 3, 1):
        assert made(packages[index]) == alone[index]


def test_damaged_genanki_parts_in_the_cache_are_made_again(tmp_path):
    content = make_content(tmp_path)
    out = tmp_path / "deck.apkg"
    build(content, out)
    first = out.read_bytes()
    select = "SELECT value FROM meta WHERE name = 'genanki parts'"
    with sqlite3.connect(database(out)) as connection:
        (value,) = connection.execute(select).fetchone()
        key = bytes(value).split(b"\n", 1)[0]
        connection.execute(
            "UPDATE meta SET value = ? WHERE name = 'genanki parts'", (key + b"\n[1, 2]",)
        )
    out.unlink()  # so that the package is written again
    build(content, out)
    assert out.read_bytes() == first
    with sqlite3.connect(database(out)) as connection:
        assert connection.execute(select).fetchone() == (value,)  # made again, and kept
