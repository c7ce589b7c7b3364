"""Writing `.apkg` files: the only module that writes to disk.

genanki provides the collection schema, note type and deck JSON. Notes and cards are
inserted here rather than through genanki's writer because each note needs its own id and
modification time (genanki gives every note the same), and the package is assembled in
memory so that no temporary sqlite file is left behind (genanki's `write_to_file` leaves one
per call). Fixed zip timestamps make builds of unchanged content byte-identical.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import BinaryIO

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from . import cloze
from .identity import PackedNote
from .models import MODELS, TEMPLATES_VERSION
from .records import NoteKind, RenderedNote
from .render import visible_text

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SCRATCH_PREFIX = ".ankipress-collection."
# ivl, factor, reps, lapses, left, odue, odid, flags, data of a card never studied
NEW_CARD = (0, 0, 0, 0, 0, 0, 0, 0, "")


@cache
def deck_id(name: str) -> int:
    """A stable id per deck name, in the range genanki recommends."""
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
    return (1 << 30) + digest % (1 << 30)


def card_ords(note: RenderedNote) -> list[int]:
    """Template ordinals of the note's cards: one per template, or one per cloze number."""
    if note.kind is NoteKind.CLOZE:
        return sorted(n - 1 for n in cloze.numbers(note.fields[0]) if n > 0)
    return list(range(len(MODELS[note.kind].templates)))


def sort_field(field_html: str) -> str:
    return visible_text(field_html)


def field_checksum(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)


def write_collection(path: str, notes: Sequence[PackedNote]) -> None:
    """The package's `collection.anki2`, written to `path` as an sqlite database (a file,
    not memory, so that a large deck never needs its whole database in memory)."""
    connection = sqlite3.connect(path)
    try:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode = OFF")  # a scratch file: nothing to recover
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.executescript(APKG_SCHEMA)
        cursor.executescript(APKG_COL)

        names = sorted({packed.note.deck for packed in notes})
        decks = json.loads(cursor.execute("SELECT decks FROM col").fetchone()[0])
        for name in names:
            decks[str(deck_id(name))] = genanki.Deck(deck_id(name), name).to_json()
        first_deck = deck_id(notes[0].note.deck) if notes else 1
        kinds = sorted({packed.note.kind for packed in notes}, key=lambda k: k.value)
        models = {
            str(MODELS[kind].model_id): MODELS[kind].to_json(TEMPLATES_VERSION, first_deck)
            for kind in kinds
        }
        cursor.execute(
            "UPDATE col SET decks = ?, models = ?",
            (json.dumps(decks, sort_keys=True), json.dumps(models, sort_keys=True)),
        )
        cursor.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", note_rows(notes))
        cursor.executemany(
            "INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", card_rows(notes)
        )
        connection.commit()
    finally:
        connection.close()


def note_rows(notes: Sequence[PackedNote]) -> Iterator[tuple]:
    for packed in notes:
        note = packed.note
        sort_text = sort_field(note.fields[0])
        tags = " ".join(note.tags)
        yield (
            packed.id,
            packed.guid,
            MODELS[note.kind].model_id,
            packed.mod,
            -1,
            f" {tags} " if tags else "",
            "\x1f".join(note.fields),
            sort_text,
            field_checksum(sort_text),
            0,
            "",
        )


def card_rows(notes: Sequence[PackedNote]) -> Iterator[tuple]:
    card_id = max((packed.id for packed in notes), default=0) + 1
    for position, packed in enumerate(notes, start=1):
        did = deck_id(packed.note.deck)
        for ord_ in card_ords(packed.note):
            # New cards are due in source order: `due` is the position of their note.
            yield (card_id, packed.id, did, ord_, packed.mod, -1, 0, 0, position, *NEW_CARD)
            card_id += 1


def write_package(
    stream: BinaryIO,
    notes: Sequence[PackedNote],
    media: Iterable[tuple[str, bytes]],
    scratch: Path,
) -> None:
    """The whole `.apkg` into `stream`: collection, media map, media files; fixed timestamps.
    The collection is built in a scratch file in the folder `scratch`, removed afterwards."""
    handle, database = tempfile.mkstemp(prefix=SCRATCH_PREFIX, suffix=".tmp", dir=scratch)
    os.close(handle)
    try:
        write_collection(database, notes)
        media = list(media)
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            with (
                open(database, "rb") as collection,
                archive.open(_info("collection.anki2"), "w") as out,
            ):
                shutil.copyfileobj(collection, out, 1 << 20)
            media_map = {str(index): name for index, (name, _) in enumerate(media)}
            _add(archive, "media", json.dumps(media_map, sort_keys=True).encode())
            for index, (_, data) in enumerate(media):
                _add(archive, str(index), data)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(database)


def package_bytes(
    notes: Sequence[PackedNote],
    media: Iterable[tuple[str, bytes]] = (),
    scratch: Path | None = None,
) -> bytes:
    """The whole `.apkg` as bytes (`write_package` into memory)."""
    buffer = io.BytesIO()
    write_package(buffer, notes, media, scratch or Path(tempfile.gettempdir()))
    return buffer.getvalue()


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    # Fast compression: the package is a transport file, and every rebuild writes it.
    archive.writestr(_info(name), data, compresslevel=1)


Content = bytes | Callable[[BinaryIO, Path], None]
"""A file's bytes, or a function writing them to a stream (given a scratch folder)."""


def write_files_atomically(files: Iterable[tuple[Path, Content]], durable: bool = True) -> None:
    """Write every file, or none: each goes to a temporary file beside its target first,
    and only when all are complete are they renamed over the old ones. On any failure the
    temporary files are removed and the old files stay as they were. `durable` files are
    flushed to the disk before the rename (the cache need not be).
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files:
            target.parent.mkdir(parents=True, exist_ok=True)
            # A build killed before it could clean up leaves its temporary file: drop it.
            for pattern in (f".{glob.escape(target.name)}.*.tmp", f"{SCRATCH_PREFIX}*.tmp"):
                for stale in target.parent.glob(pattern):
                    stale.unlink(missing_ok=True)
            handle, temporary = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
            )
            staged.append((Path(temporary), target))
            os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide the deck from other users
            with os.fdopen(handle, "wb") as stream:
                if isinstance(data, bytes):
                    stream.write(data)
                else:
                    data(stream, target.parent)
                stream.flush()
                if durable:
                    os.fsync(stream.fileno())
        for temporary, target in staged:
            os.replace(temporary, target)
    finally:
        for temporary, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
