"""Writing `.apkg` files: the only module that writes the build's outputs.

genanki provides the collection schema, note type and deck JSON. Notes and cards are
inserted here rather than through genanki's writer because each note needs its own id and
modification time (genanki gives every note the same), notes arrive as a stream (a build
never holds every note at once), and no temporary sqlite file may be left behind (genanki's
`write_to_file` leaves one per call). Fixed zip timestamps make builds of unchanged content
byte-identical. A large package's collection is kept in the build cache on purpose: the
next build copies the notes of unchanged files from it (`Reused`, `Batch`), inserting every
row in the order a build from nothing would, so the bytes are the same.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import hashlib
import io
import json
import os
import sqlite3
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .models import MODELS, TEMPLATES_VERSION
from .patterns import lazy_pattern
from .records import NoteKind

if TYPE_CHECKING:
    import zipfile

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 1
"""Deflate level of every package member: level 1 is several times faster than the default
6 for a package only a few percent larger, and every rebuild writes its package."""
SCRATCH_PREFIX = ".ankipress-collection."
IN_MEMORY_NOTES = 2_000
"""Collections of up to this many notes are built in memory; larger ones in a scratch
file, so that a large deck never needs its whole database in memory."""


def built_in_memory(notes: int) -> bool:
    """Whether a package of this many notes has its collection built in memory (else in a
    scratch file, which a build may keep for the next one: `KeptCollection`)."""
    return notes <= IN_MEMORY_NOTES


# ivl, factor, reps, lapses, left, odue, odid, flags, data of a card never studied
NEW_CARD = (0, 0, 0, 0, 0, 0, 0, 0, "")
TEMPORARY_RE = lazy_pattern(r"[a-z0-9_]{8}")
"""The random part of a name `tempfile` makes."""
BUILD_WAIT = 10.0
"""Seconds a build waits for another build of the same output folder to end."""


@dataclass(frozen=True, slots=True)
class PackageNote:
    """One note as a package row: identity, note type, deck, tags, fields and cards."""

    id: int
    guid: str
    mod: int
    kind: NoteKind
    deck: str
    tags: tuple[str, ...]
    fields: tuple[str, ...]
    sort_field: str
    sort_checksum: int
    """`field_checksum` of the sort field (Anki's duplicate check)."""
    ords: tuple[int, ...]


@cache
def deck_id(name: str) -> int:
    """A stable id per deck name, in the range genanki recommends."""
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
    return (1 << 30) + digest % (1 << 30)


def field_checksum(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)


@dataclass(frozen=True)
class GenankiParts:
    """What a package takes from genanki: its collection schema, the `col` row, each note
    type's JSON and a deck's. Made once (`made`, which imports genanki: a tenth of a second,
    most of a small rebuild) and kept as data in the build cache (`to_data`/`from_data`)."""

    schema: str
    col: str
    models: str
    """JSON: each note type's, by kind, with its default deck 0."""
    deck: str
    """JSON of a deck named "" with id 0."""

    @classmethod
    def made(cls) -> GenankiParts:
        import genanki
        from genanki.apkg_col import APKG_COL
        from genanki.apkg_schema import APKG_SCHEMA

        models = {kind.value: MODELS[kind].to_json(TEMPLATES_VERSION, 0) for kind in NoteKind}
        deck = genanki.Deck(0, "").to_json()
        return cls(APKG_SCHEMA, APKG_COL, json.dumps(models), json.dumps(deck))

    def to_data(self) -> bytes:
        return json.dumps([self.schema, self.col, self.models, self.deck]).encode()

    @classmethod
    def from_data(cls, data: bytes) -> GenankiParts:
        """Parts `to_data` wrote; ValueError when they are not that."""
        values = json.loads(data)
        if not (isinstance(values, list) and len(values) == 4):
            raise ValueError("not genanki's parts")
        parts = cls(*(str(value) for value in values))
        if set(parts.model_json) != {kind.value for kind in NoteKind}:
            raise ValueError("not genanki's parts")
        return parts

    @cached_property
    def model_json(self) -> dict[str, dict]:
        return json.loads(self.models)

    @cached_property
    def deck_json(self) -> dict:
        return json.loads(self.deck)

    @cached_property
    def statements(self) -> tuple[str, str]:
        """The schema split into its tables and its indexes (created after the inserts,
        which is faster)."""
        statements = [s.strip() for s in self.schema.split(";") if s.strip()]
        tables = ";\n".join(s for s in statements if not s.upper().startswith("CREATE INDEX"))
        indexes = ";\n".join(s for s in statements if s.upper().startswith("CREATE INDEX"))
        return tables + ";", indexes + ";"


def deck_json(name: str, parts: GenankiParts) -> dict:
    return {**parts.deck_json, "id": deck_id(name), "name": name}


def models_json(kinds: tuple[NoteKind, ...], first_deck: int, parts: GenankiParts) -> str:
    """The note types' JSON, their default deck (`did`) the package's first deck."""
    return models_template(kinds, parts).replace(DECK_PLACEHOLDER, str(first_deck))


DECK_PLACEHOLDER = "-4611686018427387905"
"""Where the default deck's id goes in `models_template`: a number no id can be."""


@cache
def models_template(kinds: tuple[NoteKind, ...], parts: GenankiParts) -> str:
    """`models_json` with a placeholder for the deck id, encoded once per set of note types
    (their templates and style are most of a small package's work)."""
    models = {}
    for kind in kinds:
        models[str(MODELS[kind].model_id)] = {**parts.model_json[kind.value], "did": 0}
    text = json.dumps(models, sort_keys=True).replace('"did": 0', f'"did": {DECK_PLACEHOLDER}')
    if text.count(DECK_PLACEHOLDER) != len(kinds):
        raise AssertionError("the note types' JSON has a deck id elsewhere")
    return text


@cache
def collection_decks(parts: GenankiParts) -> dict:
    """The decks of an empty collection (Anki's "Default"), read once."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(empty_collection(True, parts))
        return json.loads(connection.execute("SELECT decks FROM col").fetchone()[0])
    finally:
        connection.close()


NOTE_INSERT = "INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)"
CARD_INSERT = "INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
BATCH = 5_000


@cache
def empty_collection(indexed: bool, parts: GenankiParts) -> bytes:
    """An empty collection (tables, the `col` row, and the indexes if `indexed`), made once
    and copied into each package's database: much faster than running the schema again."""
    tables, indexes = parts.statements
    connection = sqlite3.connect(":memory:")
    try:
        # Small pages: a package of a few notes is mostly its empty tables and indexes, and
        # every rebuild compresses it again.
        connection.execute(f"PRAGMA page_size = {1024 if indexed else 4096}")
        connection.executescript(tables)
        connection.executescript(parts.col)
        if indexed:
            connection.executescript(indexes)
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one source file's notes are in a collection, and what they hold besides their
    rows: enough for a later build to copy them whole (`Reused`)."""

    first_due: int
    """Position of its first note in the package (a new card's due)."""
    notes: int
    first_card: int
    """Id of its first card; the file's cards have the ids that follow."""
    cards: int
    decks: tuple[str, ...]
    """Its decks, in the order they first appear."""
    kinds: tuple[str, ...]

    def to_data(self) -> list:
        numbers = [self.first_due, self.notes, self.first_card, self.cards]
        return [*numbers, list(self.decks), list(self.kinds)]

    @classmethod
    def from_data(cls, data: list) -> Placement:
        """A placement `to_data` wrote; ValueError when it is not that."""
        *numbers, decks, kinds = data
        if not (
            type(decks) is list
            and type(kinds) is list
            and len(numbers) == 4
            and all(type(n) is int for n in numbers)
            and all(type(name) is str for name in decks)
            and set(kinds) <= {kind.value for kind in NoteKind}
        ):
            raise ValueError("not a placement")
        return cls(*numbers, tuple(decks), tuple(kinds))


@dataclass(frozen=True, slots=True)
class FileNotes:
    """One source file's notes as package rows, under `key`: a digest of everything their
    rows hold (empty: not to be copied by a later build)."""

    key: str
    notes: Iterable[PackageNote]


@dataclass(frozen=True, slots=True)
class Reused:
    """One source file's notes copied whole from the collection an earlier build kept,
    where they are `placement`; `ids` are the notes' ids, in order."""

    key: str
    placement: Placement
    ids: tuple[int, ...]


@dataclass(frozen=True)
class KeptCollection:
    """The collection of an output's last package, kept in the build cache with where each
    file's notes are in it."""

    path: Path
    placements: dict[str, Placement]


class KeptMismatch(Exception):
    """The kept collection did not hold what its placements said: build without it."""


NOTE_COPY = (
    "INSERT INTO notes SELECT n.* FROM temp.reused AS r CROSS JOIN kept.notes AS n"
    " ON n.id = r.id WHERE r.pos BETWEEN ? AND ? ORDER BY r.pos"
)
CARD_COPY = (
    "INSERT INTO cards SELECT c.id + ?, c.nid, c.did, c.ord, c.mod, c.usn, c.type, c.queue,"
    " c.due + ?, c.ivl, c.factor, c.reps, c.lapses, c.left, c.odue, c.odid, c.flags, c.data"
    " FROM temp.reused AS r CROSS JOIN kept.cards AS c ON c.nid = r.id"
    " WHERE r.pos BETWEEN ? AND ? ORDER BY r.pos, c.id"
)


@dataclass(slots=True)
class Values:
    """Rows given as values."""

    notes: list[tuple]
    cards: list[tuple]


@dataclass(frozen=True, slots=True)
class Copy:
    """The notes at positions `first` to `last` copied from the kept collection, their
    cards' ids and dues shifted to their new places."""

    first: int
    last: int
    card_shift: int
    due_shift: int


class Batch:
    """Rows inserted BATCH notes at a time, the notes then their cards, whether they come as
    values or are copied from a kept collection: the same rows in the same order give the
    same database, byte for byte, however they were inserted."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self.cursor = cursor
        self.size = 0
        self.parts: list[Values | Copy] = []
        self.positions: list[tuple[int, int]] = []
        """(position, note id) of the notes to copy."""

    def add(self, note_row: tuple, card_rows: list[tuple]) -> None:
        if not self.parts or not isinstance(self.parts[-1], Values):
            self.parts.append(Values([], []))
        values = self.parts[-1]
        values.notes.append(note_row)  # type: ignore[union-attr]
        values.cards.extend(card_rows)  # type: ignore[union-attr]
        self._grow(1)

    def copy(self, first: int, ids: Sequence[int], card_shift: int, due_shift: int) -> None:
        """Notes `ids`, to be at positions `first`… of the package."""
        self.positions.extend(enumerate(ids, start=first))
        self.parts.append(Copy(first, first + len(ids) - 1, card_shift, due_shift))
        self._grow(len(ids))

    @property
    def room(self) -> int:
        return BATCH - self.size

    def _grow(self, count: int) -> None:
        self.size += count
        if self.size >= BATCH:
            self.flush()

    def flush(self) -> None:
        cursor = self.cursor
        if self.positions:
            cursor.executemany("INSERT INTO temp.reused VALUES (?, ?)", self.positions)
        for part in self.parts:
            if isinstance(part, Values):
                cursor.executemany(NOTE_INSERT, part.notes)
            elif cursor.execute(NOTE_COPY, (part.first, part.last)).rowcount != (
                part.last - part.first + 1
            ):
                raise KeptMismatch
        for part in self.parts:
            if isinstance(part, Values):
                cursor.executemany(CARD_INSERT, part.cards)
            else:
                shifts = (part.card_shift, part.due_shift, part.first, part.last)
                cursor.execute(CARD_COPY, shifts)
        self.parts.clear()
        self.positions.clear()
        self.size = 0


def fill_collection(
    connection: sqlite3.Connection,
    files: Iterable[FileNotes | Reused],
    first_card_id: int,
    indexed: bool,
    parts: GenankiParts,
) -> dict[str, Placement]:
    """Insert the notes and their cards into an empty collection; returns where each file's
    notes went. New cards are due in the order the notes come (source order). Card ids
    count up from `first_card_id` (above every note id, as in Anki, where an id is a
    creation time). The indexes are made after the inserts unless the collection is
    `indexed` already. `Reused` files are copied from the collection attached as `kept`."""
    cursor = connection.cursor()
    decks: dict[str, None] = {}
    kinds: set[str] = set()
    placements: dict[str, Placement] = {}
    batch = Batch(cursor)
    count = card_count = 0
    copied = False
    for file in files:
        first_due, first_card = count + 1, first_card_id + card_count
        if isinstance(file, Reused):
            copied = True
            old = file.placement
            card_shift, due_shift = first_card - old.first_card, first_due - old.first_due
            done = 0
            while done < len(file.ids):
                take = min(batch.room, len(file.ids) - done)
                batch.copy(count + 1, file.ids[done : done + take], card_shift, due_shift)
                count += take
                done += take
            card_count += old.cards
            file_decks, file_kinds = dict.fromkeys(old.decks), set(old.kinds)
        else:
            file_decks, file_kinds = {}, set()
            for note in file.notes:
                count += 1
                file_decks.setdefault(note.deck)
                file_kinds.add(note.kind)
                tags = " ".join(note.tags)
                note_row = (
                    note.id,
                    note.guid,
                    MODELS[note.kind].model_id,
                    note.mod,
                    -1,
                    f" {tags} " if tags else "",
                    "\x1f".join(note.fields),
                    note.sort_field,
                    note.sort_checksum,
                    0,
                    "",
                )
                did = deck_id(note.deck)
                card_rows = []
                for ord_ in note.ords:
                    card_id = first_card_id + card_count
                    card_count += 1
                    card_rows.append(
                        (card_id, note.id, did, ord_, note.mod, -1, 0, 0, count, *NEW_CARD)
                    )
                batch.add(note_row, card_rows)
        if file.key:
            placements[file.key] = Placement(
                first_due,
                count + 1 - first_due,
                first_card,
                first_card_id + card_count - first_card,
                tuple(file_decks),
                tuple(sorted(file_kinds)),
            )
        decks.update(file_decks)
        kinds.update(file_kinds)
    batch.flush()
    deck_rows = dict(collection_decks(parts))
    for name in decks:
        deck_rows[str(deck_id(name))] = deck_json(name, parts)
    first_deck = deck_id(next(iter(decks))) if decks else 1
    ordered = tuple(sorted(NoteKind(kind) for kind in kinds))
    cursor.execute(
        "UPDATE col SET decks = ?, models = ?",
        (json.dumps(deck_rows, sort_keys=True), models_json(ordered, first_deck, parts)),
    )
    if copied:
        counted = "SELECT (SELECT count(*) FROM notes), count(*) FROM cards"
        if cursor.execute(counted).fetchone() != (count, card_count):
            raise KeptMismatch
    connection.commit()
    if not indexed:
        with contextlib.suppress(sqlite3.OperationalError):  # when nothing was attached
            connection.execute("DETACH DATABASE kept")
        cursor.executescript(parts.statements[1])
    connection.commit()
    return placements


def write_package(
    stream: BinaryIO,
    files: Iterable[FileNotes | Reused] | Callable[[bool], Iterable[FileNotes | Reused]],
    media: Sequence[tuple[str, bytes]],
    scratch: Path,
    expected_notes: int,
    first_card_id: int,
    parts: GenankiParts,
    kept: KeptCollection | None = None,
    keep_at: Path | None = None,
    threads: int = 1,
) -> dict[str, Placement] | None:
    """The whole `.apkg` into `stream`: collection, media map, media files; fixed timestamps.
    A large collection is built in a scratch file in the folder `scratch` (or beside
    `keep_at`, where it is kept after), removed after. `files` may be a function giving
    them, told whether the `kept` collection can be copied from (see `Reused`): should it
    not hold what it should, the collection is built again without it. Returns where each
    file's notes are in the collection kept at `keep_at`; None when none was kept there.
    A large collection is deflated on `threads` threads."""
    import zipfile  # only when a package is written: start-up time

    def given(reuse: bool) -> Iterable[FileNotes | Reused]:
        return files(reuse) if callable(files) else files

    zip_options = {"compression": zipfile.ZIP_DEFLATED, "compresslevel": COMPRESS_LEVEL}
    if built_in_memory(expected_notes):
        stream.write(small_package(given(False), media, first_card_id, parts))
        return None
    with zipfile.ZipFile(stream, "w", **zip_options) as zf:  # type: ignore[arg-type]
        folder = keep_at.parent if keep_at else scratch
        prefix = f"{SCRATCH_PREFIX}{keep_at.stem}." if keep_at else SCRATCH_PREFIX
        if keep_at:  # what a killed build of this package left (the output's are swept)
            sweep_stale(folder, list_folder(folder), prefix)
        with scratch_database(folder, prefix) as database:
            try:
                placements = large_collection(database, given, first_card_id, parts, kept)
            except KeptMismatch:
                placements = large_collection(database, given, first_card_id, parts, None)
            with open(database, "rb") as source, zf.open(_info("collection.anki2"), "w") as out:
                deflate_in_pieces(out, threads)
                while chunk := source.read(PIECE):
                    out.write(chunk)
            kept_now = False
            if keep_at:
                with contextlib.suppress(OSError):  # kept or not, the package is whole
                    os.replace(database, keep_at)
                    kept_now = True
        _add_media(zf, media)
    return placements if kept_now else None


def small_package(
    files: Iterable[FileNotes | Reused],
    media: Sequence[tuple[str, bytes]],
    first_card_id: int,
    parts: GenankiParts,
) -> bytes:
    """A small package's bytes, put together in memory and written at once: zipfile's many
    small writes and seeks, as system calls, would cost more than the rest of a one-note
    package."""
    import zipfile

    collection = small_collection(files, first_card_id, parts)
    buffer = io.BytesIO()
    options = {"compression": zipfile.ZIP_DEFLATED, "compresslevel": COMPRESS_LEVEL}
    with zipfile.ZipFile(buffer, "w", **options) as zf:  # type: ignore[arg-type]
        _add(zf, "collection.anki2", collection)
        _add_media(zf, media)
    return buffer.getvalue()


SmallPackage = tuple[list[tuple], list[tuple[str, bytes]], int]
"""A small package to make in a worker process: its notes as `note_values`, its media, and
its first card's id (plain values: cheaper to pass than objects)."""


def note_values(note: PackageNote) -> tuple:
    return (
        note.id, note.guid, note.mod, note.kind.value, note.deck, note.tags, note.fields,
        note.sort_field, note.sort_checksum, note.ords,
    )  # fmt: skip


def start_package_worker(parts: GenankiParts) -> None:
    """A worker process's start: genanki's parts, and no connection of its parent's (one
    shared across a fork must not be used)."""
    global _worker_parts
    _worker_parts = parts
    _memory.connection = None


_worker_parts: GenankiParts | None = None


def small_packages(tasks: list[SmallPackage]) -> list[bytes]:
    """Each small package's bytes, in a worker process (see `start_package_worker`)."""
    if _worker_parts is None:
        raise RuntimeError("a package worker was not started with genanki's parts")
    made = []
    for values, media, first_card_id in tasks:
        notes = [PackageNote(*v[:3], NoteKind(v[3]), *v[4:]) for v in values]
        made.append(small_package([FileNotes("", notes)], media, first_card_id, _worker_parts))
    return made


def _add_media(archive: zipfile.ZipFile, media: Sequence[tuple[str, bytes]]) -> None:
    """The media map (`"0"` → its file name…), then each file under its number."""
    media_map = {str(index): name for index, (name, _) in enumerate(media)}
    _add(archive, "media", json.dumps(media_map, sort_keys=True).encode())
    for index, (_, data) in enumerate(media):
        _add(archive, str(index), data)


def small_collection(
    files: Iterable[FileNotes | Reused], first_card_id: int, parts: GenankiParts
) -> bytes:
    """A collection built in memory (its indexes there from the start), as bytes."""
    connection = memory_connection()
    try:
        connection.deserialize(empty_collection(True, parts))  # the last one's content gone
        fill_collection(connection, files, first_card_id, True, parts)
        return connection.serialize()
    finally:
        connection.rollback()  # a failed one leaves no transaction open for the next


_memory = threading.local()


def memory_connection() -> sqlite3.Connection:
    """One in-memory connection per thread, reused for every small collection: opening a
    connection and reading a collection's schema costs 0.2 ms, more than the rest of a
    one-note package's collection. Each use replaces the content whole (`deserialize`).
    Prepared statements are not kept: one kept across a `deserialize` lays the rows out
    differently, and the bytes must be those of a new connection."""
    connection = getattr(_memory, "connection", None)
    if connection is None:
        connection = _memory.connection = sqlite3.connect(":memory:", cached_statements=0)
    return connection


def large_collection(
    database: str,
    files: Callable[[bool], Iterable[FileNotes | Reused]],
    first_card_id: int,
    parts: GenankiParts,
    kept: KeptCollection | None,
) -> dict[str, Placement]:
    """A collection in the file `database`, its indexes made last; notes of `Reused` files
    copied from the `kept` collection (KeptMismatch when it does not hold them)."""
    Path(database).write_bytes(empty_collection(False, parts))
    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA journal_mode = OFF")  # nothing to recover
        connection.execute("PRAGMA synchronous = OFF")
        if kept is not None:
            try:
                attach_kept(connection, kept.path)
            except sqlite3.Error:
                kept = None
        try:
            return fill_collection(connection, files(kept is not None), first_card_id, False, parts)
        except sqlite3.Error as exc:
            if kept is None:
                raise
            raise KeptMismatch from exc
    finally:
        connection.close()


def attach_kept(connection: sqlite3.Connection, path: Path) -> None:
    """Attach a kept collection as `kept`, with the table in which the build lists the notes
    to copy from it; sqlite3.Error unless its tables are exactly those of a package (no
    views, no triggers: nothing in it runs)."""
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.execute("ATTACH DATABASE ? AS kept", (str(path),))
    schema = "SELECT type, name, sql FROM {}.sqlite_master WHERE type != 'index' ORDER BY name"
    try:
        if (
            connection.execute(schema.format("kept")).fetchall()
            != connection.execute(schema.format("main")).fetchall()
        ):
            raise sqlite3.DatabaseError("not a collection this version made")
    except sqlite3.Error:
        connection.execute("DETACH DATABASE kept")
        raise
    connection.execute("CREATE TEMP TABLE reused (pos INTEGER PRIMARY KEY, id INTEGER NOT NULL)")


@contextlib.contextmanager
def scratch_database(folder: Path, prefix: str = SCRATCH_PREFIX) -> Iterator[str]:
    import tempfile

    handle, path = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    os.close(handle)
    try:
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _info(name: str) -> zipfile.ZipInfo:
    import zipfile

    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    # ZipFile.open() takes the level from the ZipInfo, not from the archive.
    level = "compress_level" if hasattr(info, "compress_level") else "_compresslevel"  # 3.13
    setattr(info, level, COMPRESS_LEVEL)
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


PIECE = 1 << 20
"""Bytes of a large collection deflated as one piece (see `PiecewiseDeflate`)."""


class PiecewiseDeflate:
    """Deflate in pieces that can be compressed side by side: each `PIECE` bytes are
    deflated alone and end on a byte boundary (a sync flush, not a last block), so the
    pieces joined in order, then an empty last block, are one valid deflate stream. zlib
    lets go of the interpreter while it works, so `threads` threads use as many cores: the
    deflate of a large collection, a sixth of an edited rebuild, takes about half the time
    on two. The pieces are cut from the bytes alone, so the stream is the same whatever the
    threads (a build on one core writes the very package a build on four does)."""

    def __init__(self, level: int, threads: int) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.level = level
        self.pool = ThreadPoolExecutor(threads) if threads > 1 else None
        self.ahead = threads * 2
        self.pending: collections.deque = collections.deque()
        self.buffer = bytearray()

    def _piece(self, data: bytes) -> bytes:
        compressor = zlib.compressobj(self.level, zlib.DEFLATED, -zlib.MAX_WBITS)
        return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)

    def _cut(self, everything: bool) -> bytes:
        """The pieces deflated so far, in order: on one thread each as it is cut; on several,
        those ready (all of them, with `everything`), the rest left to work."""
        done = []
        while len(self.buffer) >= PIECE or (everything and self.buffer):
            piece = bytes(self.buffer[:PIECE])
            del self.buffer[:PIECE]
            if self.pool is None:
                done.append(self._piece(piece))
            else:
                self.pending.append(self.pool.submit(self._piece, piece))
        while self.pending and (
            everything or len(self.pending) > self.ahead or self.pending[0].done()
        ):
            done.append(self.pending.popleft().result())
        return b"".join(done)

    def compress(self, data: bytes) -> bytes:
        self.buffer += data
        return self._cut(everything=False)

    def flush(self) -> bytes:
        try:
            done = self._cut(everything=True)
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)
        last = zlib.compressobj(self.level, zlib.DEFLATED, -zlib.MAX_WBITS).flush()  # empty
        return done + last


def deflate_in_pieces(member: object, threads: int) -> None:
    """Have a zip member open for writing deflate in pieces (`PiecewiseDeflate`) on
    `threads` threads. It takes the place of zipfile's own compressor (`_compressor`, as
    named in Python 3.11 to 3.13); were that not there, the member would deflate as zipfile
    does, as valid, on one core."""
    if getattr(member, "_compressor", None) is not None:
        member._compressor = PiecewiseDeflate(COMPRESS_LEVEL, threads)  # type: ignore[attr-defined]


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    archive.writestr(_info(name), data)


Content = bytes | Callable[[BinaryIO, Path], None] | Iterable[str | bytes]
"""A file's bytes, a function writing them to a stream (given a scratch folder), or its
lines (text or bytes)."""


def write_files_atomically(files: Iterable[tuple[Path, Content]], durable: bool = True) -> None:
    """Write every file, or none: each goes to a temporary file beside its target first,
    and only when all are complete are they renamed over the old ones. On any failure the
    temporary files are removed and the old files stay as they were. `durable` files reach
    the disk before any is renamed.
    """
    import tempfile  # only when something is written: start-up time

    staged: collections.deque[tuple[Path, Path]] = collections.deque()
    listings: dict[Path, list[str]] = {}
    target = Path(".")
    try:
        for target, data in files:
            folder = target.parent
            if folder not in listings:  # once per folder: a build may write thousands
                folder.mkdir(parents=True, exist_ok=True)
                listings[folder] = list_folder(folder)
                sweep_stale(folder, listings[folder], SCRATCH_PREFIX)
            sweep_stale(folder, listings[folder], f".{target.name}.")
            handle, temporary = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=folder
            )
            staged.append((Path(temporary), target))
            os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide the deck from other users
            with os.fdopen(handle, "wb") as stream:
                if isinstance(data, bytes):
                    stream.write(data)
                elif callable(data):
                    data(stream, folder)
                else:
                    for line in data:
                        stream.write(line if isinstance(line, bytes) else line.encode())
                stream.flush()
                if durable and len(staged) <= 16:
                    os.fsync(stream.fileno())
        if durable and len(staged) > 16 and hasattr(os, "sync"):
            os.sync()  # one flush for many files, rather than one wait per file
        while staged:
            temporary, target = staged[0]
            os.replace(temporary, target)
            staged.popleft()
    except OSError as exc:  # said of the file meant, not of its temporary twin
        raise OSError(exc.errno, exc.strerror or str(exc), str(target)) from exc
    finally:
        for temporary, _ in staged:  # those not in place
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()


def list_folder(folder: Path) -> list[str]:
    """The names of the temporary files in a folder (read once per folder and build)."""
    try:
        with os.scandir(folder) as entries:
            return [e.name for e in entries if e.name.endswith(".tmp") and e.name[0] == "."]
    except OSError:
        return []


def sweep_stale(folder: Path, names: list[str], prefix: str) -> None:
    """Remove the temporary files a killed build left in `folder`: exactly the names
    `tempfile` gives ours (`PREFIX` + eight random characters + `.tmp`), nothing else.
    Builds of one output folder never overlap (`build_lock`), so none of them belongs to a
    running build."""
    for name in names:
        middle = name[len(prefix) : -len(".tmp")]
        if name.startswith(prefix) and TEMPORARY_RE.fullmatch(middle):
            with contextlib.suppress(OSError):
                (folder / name).unlink()


class BuildBusy(Exception):
    """Another build is writing to the same output folder."""


@contextlib.contextmanager
def build_lock(folder: Path, wait: float = BUILD_WAIT) -> Iterator[None]:
    """Hold the output folder for one build at a time: a second build waits up to `wait`
    seconds for the first to end, then raises BuildBusy. The lock is the operating
    system's, on the folder itself (no file left behind; released even when a build is
    killed). Windows can't lock a folder: there, a `.ankipress-build` file in it. A folder
    made for the build and left empty (a failed first build) is removed again."""
    made = [f for f in (folder, *folder.parents) if not f.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with _locked(folder, wait):
            yield
    finally:
        for path in made:  # innermost first; a folder holding anything stays
            with contextlib.suppress(OSError):
                path.rmdir()


@contextlib.contextmanager
def _locked(folder: Path, wait: float) -> Iterator[None]:
    if sys.platform == "win32":
        handle = os.open(folder / ".ankipress-build", os.O_RDWR | os.O_CREAT, 0o644)
    else:
        handle = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise BuildBusy(str(folder))
            time.sleep(0.05)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _try_lock(handle: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    return True
