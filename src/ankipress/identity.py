"""Who each note is, build after build: GUIDs, note ids and modification times. Pure.

A note's GUID comes from its identity key (deck or front matter `id`, and normalised
question), never from its answer or position, so Anki recognises it after any answer edit.
The lock file remembers, for every note, its GUID, note id, modification time and a
fingerprint of its content. Unchanged notes keep all three, which makes builds of unchanged
content byte-identical; a changed note gets a modification time newer than any before it,
which is what Anki's importer needs to apply the change ("update if newer").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import genanki

from .records import Diagnostic, Location, RenderedNote, warning

LOCK_NAME = "ankipress.lock"
LOCK_HEADER = (
    "# ankipress.lock: the identity of every note, so that re-importing updates notes in place\n"
    "# and keeps their reviews. Commit it with your notes; it is rewritten by `ankipress build`.\n"
)


@dataclass(frozen=True)
class LockEntry:
    """What the lock file remembers of one note."""

    guid: str
    """The note's GUID in Anki."""
    id: int
    """The note id it was first built with (Anki shows it as the creation time)."""
    mod: int
    """Modification time (epoch seconds) last written for it."""
    deck: str
    file: str
    """Its source file, relative to the source folder."""
    question: str
    """Its normalised question."""
    answer: str
    """Fingerprint of its answer's source text."""
    content: str
    """Fingerprint of everything that reaches Anki: note type, deck, fields, tags."""


@dataclass(frozen=True)
class PackedNote:
    """A rendered note with the identity it is written to the package with."""

    note: RenderedNote
    guid: str
    id: int
    mod: int


def guid_for(key: str) -> str:
    return genanki.guid_for(key)


def content_fingerprint(note: RenderedNote) -> str:
    text = "\x1e".join((note.kind.value, note.deck, *note.fields, " ".join(note.tags)))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def assign_identities(
    notes: Sequence[RenderedNote], lock: Sequence[LockEntry], now: float
) -> tuple[list[PackedNote], list[LockEntry]]:
    """Give every note its GUID, id and modification time; return the new lock entries.

    `lock` holds the entries of the note's source folder; those of files not in this build
    are kept as they are, so building one file never forgets the others.
    """
    by_guid = {entry.guid: entry for entry in lock}
    fresh_mod = max([int(now), *(entry.mod + 1 for entry in lock)])
    next_id = max([int(now * 1000), *(entry.id + 1 for entry in lock)])

    packed: list[PackedNote] = []
    entries: dict[str, LockEntry] = {}
    for note in notes:
        guid = guid_for(note.key)
        content = content_fingerprint(note)
        known = by_guid.get(guid)
        if known is not None:
            note_id = known.id
            mod = known.mod if known.content == content else fresh_mod
        else:
            note_id, next_id = next_id, next_id + 1
            mod = fresh_mod
        packed.append(PackedNote(note, guid, note_id, mod))
        entries[guid] = LockEntry(
            guid=guid,
            id=note_id,
            mod=mod,
            deck=note.deck,
            file=note.relpath,
            question=note.question_text,
            answer=note.answer_fingerprint,
            content=content,
        )

    built_files = {note.relpath for note in notes}
    kept = [e for e in lock if e.file not in built_files and e.guid not in entries]
    return packed, sort_entries([*entries.values(), *kept])


def sort_entries(entries: Sequence[LockEntry]) -> list[LockEntry]:
    return sorted(entries, key=lambda e: (e.file, e.deck, e.question, e.guid))


def format_lock(entries: Sequence[LockEntry]) -> str:
    """One JSON object per line, sorted, so that diffs and merges stay small."""
    lines = [
        json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
        for entry in sort_entries(entries)
    ]
    return LOCK_HEADER + "".join(line + "\n" for line in lines)


def parse_lock(text: str, display: str) -> tuple[list[LockEntry], list[Diagnostic]]:
    """Read a lock file; a damaged line is skipped with a warning (only its memory is lost)."""
    entries: list[LockEntry] = []
    diagnostics: list[Diagnostic] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            data = json.loads(line)
            entry = LockEntry(**data)
            if not isinstance(entry.id, int) or not isinstance(entry.mod, int):
                raise TypeError("id and mod must be numbers")
        except (ValueError, TypeError) as exc:
            diagnostics.append(
                warning(Location(display, number), f"unreadable lock file entry skipped ({exc})")
            )
            continue
        entries.append(entry)
    return entries, diagnostics
