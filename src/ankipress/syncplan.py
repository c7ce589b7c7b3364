"""What `ankipress sync` must do to a collection, worked out without touching it. Pure.

Inputs: the build (every note with its GUID and modification time, the lock entries before
and after it) and what the collection holds for those GUIDs (read by `sync.py`). Output: a
`Plan` listing every change (added, updated, retyped, moved, removed) and every note held
back because it was edited in Anki.

How an edit made in Anki is told apart: Anki keeps a package's modification time on import,
so a note ankipress wrote carries a mod ankipress gave it (the lock's, or this build's). A
note whose mod is neither, and is newer than the last sync of these sources into this
collection (remembered in the collection), was edited in Anki since. Without that memory
(a first sync), newer than the lock's mod counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .identity import shorten
from .lock import LockEntry
from .models import MODELS, TEMPLATES_VERSION
from .package import PackageNote
from .patterns import lazy_pattern
from .records import NoteKind
from .render import visible_text
from .sources import display_path

SOURCE_FIELD = "Source"
KIND_OF_MODEL = {model.model_id: kind for kind, model in MODELS.items()}
"""ankipress's own note types by id: the only notes sync ever changes or removes."""
KIND_NAMES = {
    NoteKind.BASIC: "Basic",
    NoteKind.REVERSED: "Basic and reversed",
    NoteKind.CLOZE: "Cloze",
}


@dataclass(frozen=True)
class SyncNote:
    """One note of the build: its package row, where it is written, its source folder."""

    row: PackageNote
    where: str
    """Its place in the sources, as diagnostics show it (`path:line:col`)."""
    root: Path
    """The source folder whose lock file remembers it."""
    media: tuple[str, ...] = ()
    """The bundled names of its media files."""

    @property
    def guid(self) -> str:
        return self.row.guid

    @property
    def mod(self) -> int:
        return self.row.mod

    @property
    def kind(self) -> NoteKind:
        return self.row.kind

    @property
    def deck(self) -> str:
        return self.row.deck

    @property
    def fields(self) -> tuple[str, ...]:
        return self.row.fields

    @property
    def tags(self) -> tuple[str, ...]:
        return self.row.tags


@dataclass(frozen=True)
class SyncBuild:
    """What sync needs of a build: its notes and media, and the lock before and after."""

    diagnostics: tuple
    notes: tuple[SyncNote, ...] = ()
    media: Mapping = field(default_factory=dict)
    """Media files by bundled name."""
    before: Mapping[str, tuple[Path, LockEntry]] = field(default_factory=dict)
    """Every lock entry before the build, by GUID, with its source folder."""
    removed: tuple[LockEntry, ...] = ()
    """Lock entries whose note left the sources."""
    retyped: Mapping[str, str] = field(default_factory=dict)
    """New GUID → old GUID, for notes the build gave a new identity because their type
    changed (the collection still holds them under the old one)."""
    locks: tuple = ()
    """Each source folder's lock file before and after (`folders.LockUpdate`)."""

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


@dataclass(frozen=True)
class StoredCard:
    id: int
    ord: int
    deck: str
    """Its home deck's name (a card in a filtered deck counts as in its home deck)."""


@dataclass(frozen=True)
class StoredNote:
    """A note as the collection holds it."""

    id: int
    guid: str
    notetype: int
    mod: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    cards: tuple[StoredCard, ...]


@dataclass(frozen=True)
class CollectionState:
    """What sync reads from the collection before changing anything."""

    notes: Mapping[str, StoredNote]
    """The collection's notes by GUID (at least those of the build and the lock)."""
    synced: Mapping[Path, int] = field(default_factory=dict)
    """When each source folder was last synced into this collection (epoch seconds)."""
    created_decks: frozenset[str] = frozenset()
    """Names of the decks ankipress's syncs created in this collection."""
    note_type_mods: Mapping[int, int] = field(default_factory=dict)
    """Modification time of each of ankipress's note types the collection has, by id."""


@dataclass(frozen=True)
class Item:
    """One note as the student knows it: where it is written, and its question."""

    guid: str
    where: str
    question: str


@dataclass(frozen=True)
class Retype:
    item: Item
    note_id: int
    old: NoteKind
    new: NoteKind
    stored_guid: str
    """Its GUID in the collection (the build gives it a new one when its type changed)."""


@dataclass(frozen=True)
class Move:
    item: Item
    note_id: int
    card_ids: tuple[int, ...]
    """The cards to move, as the collection holds them now (the sync may add more to the
    same decks: a new card of a retyped note is moved with them)."""
    old_decks: tuple[str, ...]
    new_deck: str


@dataclass(frozen=True)
class Removal:
    item: Item
    note_id: int
    decks: tuple[str, ...]


@dataclass(frozen=True)
class Conflict:
    """A note edited in Anki whose source changed too: both versions, field by field."""

    item: Item
    fields: tuple[tuple[str, str, str], ...]
    """(field name, as in Anki, as in the files) for each field that differs."""


@dataclass(frozen=True)
class Plan:
    added: tuple[Item, ...] = ()
    updated: tuple[Item, ...] = ()
    retyped: tuple[Retype, ...] = ()
    moved: tuple[Move, ...] = ()
    removed: tuple[Removal, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    """Held back: edited in Anki and in the files (`--force` lets the files win)."""
    edited_in_anki: tuple[Item, ...] = ()
    """Left alone: edited in Anki only."""
    foreign: tuple[Item, ...] = ()
    """Left alone: their note type was changed in Anki to one that is not ankipress's."""
    forced: tuple[Item, ...] = ()
    """Edited in Anki, overwritten from the files because of `--force`."""
    withheld: frozenset[str] = frozenset()
    """GUIDs of the build left out of the package (their note in Anki stays as it is)."""
    kept_entries: frozenset[str] = frozenset()
    """GUIDs whose lock entry must stay as it was before the build (held, not removed)."""
    mod_resets: tuple[tuple[int, int], ...] = ()
    """(note id, mod) to give a note before importing, so that the import updates it."""
    note_types: tuple[str, ...] = ()
    """ankipress's note types the import adds or updates (templates or style changed)."""
    pending: Mapping[Path, int] = field(default_factory=dict)
    """Per source folder, the mod of the oldest edit made in Anki that this sync leaves as
    it is: the time remembered as the folder's last sync must not pass it, so that the edit
    still counts as one next time."""

    def is_empty(self) -> bool:
        changes = (self.added, self.updated, self.retyped, self.moved, self.removed)
        return not any(changes) and not self.note_types


def edited_in_anki(mod: int, written: int | None, built: int | None, synced: int | None) -> bool:
    """Whether a note whose collection mod is `mod` was edited in Anki after ankipress last
    wrote it. `written`: its mod in the lock before this build; `built`: this build's;
    `synced`: when its sources were last synced here. Nothing known: assume edited."""
    if mod in (written, built):
        return False
    if synced is not None:
        return mod >= synced
    if written is not None:
        return mod > written
    return True


def item_of(note: SyncNote) -> Item:
    return Item(note.guid, note.where, first_line(note.fields[0]))


def item_of_entry(entry: LockEntry, stored: StoredNote, root: Path | None) -> Item:
    where = display_path(root / entry.file) if root is not None else entry.file
    return Item(entry.guid, where, first_line(stored.fields[0]) or shorten(entry.question))


LINE_BREAK_RE = lazy_pattern(r"<br\s*/?>|</(?:p|div|li|h\d)>|\n", re.IGNORECASE)


def first_line(html: str) -> str:
    """A field's first visible line, shortened: how a note is named in sync's report."""
    for line in LINE_BREAK_RE.split(html):
        text = visible_text(line)
        if text:
            return shorten(text)
    return ""


def field_names(kind: NoteKind) -> list[str]:
    return [f["name"] for f in MODELS[kind].fields]


def differences(
    kind: NoteKind, stored: StoredNote, note: SyncNote
) -> tuple[tuple[str, str, str], ...]:
    """The fields (and tags) in which the collection's note and the build's differ. The
    Source field is left out: its line follows the file, and a note that only moved is not
    changed (as with an import, it keeps the line it was last changed at)."""
    names = field_names(kind)
    found = [
        (name, shorten(visible_text(old), 200), shorten(visible_text(new), 200))
        for name, old, new in zip(names, stored.fields, note.fields, strict=False)
        if old != new and name != SOURCE_FIELD
    ]
    if stored.notetype != MODELS[note.kind].model_id:
        old_kind = KIND_OF_MODEL.get(stored.notetype)
        old_name = KIND_NAMES[old_kind] if old_kind else "another note type"
        found.append(("note type", old_name, KIND_NAMES[note.kind]))
    if {t.casefold() for t in stored.tags} != {t.casefold() for t in note.tags}:
        found.append(("tags", " ".join(stored.tags), " ".join(note.tags)))
    return tuple(found)


@dataclass(frozen=True)
class Decision:
    """What sync does with one note of the build."""

    item: Item
    stored: StoredNote | None = None
    """The collection's note it continues (None: a new note)."""
    held: Conflict | Item | None = None
    """A conflict, or a note edited in Anki only: left as it is in the collection."""
    foreign: bool = False
    """Its note type was changed in Anki to one that is not ankipress's: left alone."""
    forced: bool = False
    retype: Retype | None = None
    updated: bool = False
    reset: tuple[int, int] | None = None
    move: Move | None = None


def decide(note: SyncNote, build: SyncBuild, state: CollectionState, force: bool) -> Decision:
    """Compare one note of the build with the collection's note of the same identity."""
    item = item_of(note)
    guid = note.guid
    old_guid = build.retyped.get(guid, guid) if guid not in state.notes else guid
    stored = state.notes.get(old_guid)
    if stored is None:
        return Decision(item)
    old_kind = KIND_OF_MODEL.get(stored.notetype)
    if old_kind is None:
        return Decision(item, stored, foreign=True)
    entry = build.before[old_guid][1] if old_guid in build.before else None
    synced = state.synced.get(note.root)
    diff = differences(note.kind, stored, note)
    edited = edited_in_anki(stored.mod, entry.mod if entry else None, note.mod, synced)
    if edited and diff and not force:
        changed_in_files = (
            entry is None or note.mod != entry.mod or (synced is not None and entry.mod > synced)
        )
        return Decision(item, stored, held=Conflict(item, diff) if changed_in_files else item)
    retype = None
    if old_kind is not note.kind:
        retype = Retype(item, stored.id, old_kind, note.kind, old_guid)
    forced = edited and bool(diff)
    # What the import applies: a newer note. Sync adds the notes it makes newer: forced ones,
    # retyped ones, and (not edited in Anki) ones the lock file lost, whose build time is old.
    lost = entry is None and bool(diff) and not edited
    changes = note.mod > stored.mod or forced or lost or retype is not None
    reset = None
    if changes and (stored.mod >= note.mod or retype is not None):
        reset = (stored.id, min(stored.mod, note.mod - 1))
    return Decision(
        item,
        stored,
        forced=forced,
        retype=retype,
        updated=changes and retype is None and bool(diff),
        reset=reset,
        move=card_move(item, stored, entry, note.deck, state, build),
    )


def decide_removal(
    entry: LockEntry, build: SyncBuild, state: CollectionState, force: bool
) -> Removal | Conflict | Item | None:
    """A note that left the sources: to remove, held (edited in Anki), left alone (not of
    ankipress's note types any more: an Item), or nothing to do (not in the collection)."""
    stored = state.notes.get(entry.guid)
    if stored is None:
        return None
    root = build.before[entry.guid][0] if entry.guid in build.before else None
    item = item_of_entry(entry, stored, root)
    if stored.notetype not in KIND_OF_MODEL:
        return item
    synced = state.synced.get(root) if root is not None else None
    if edited_in_anki(stored.mod, entry.mod, None, synced) and not force:
        return Conflict(item, (("note", "edited in Anki", "deleted"),))
    decks = tuple(sorted({card.deck for card in stored.cards}))
    return Removal(item, stored.id, decks)


def make_plan(build: SyncBuild, state: CollectionState, force: bool) -> Plan:
    """Every change sync makes to the collection, and every note it holds back."""
    decisions = [(note, decide(note, build, state, force)) for note in build.notes]
    continued = {d.stored.guid for _, d in decisions if d.stored is not None}
    outcomes = [
        (entry, decide_removal(entry, build, state, force))
        for entry in build.removed
        if entry.guid not in continued
    ]
    # Held notes: (source folder, GUID, mod of the edit made in Anki).
    held = [
        (note.root, note.guid, d.stored.mod)
        for note, d in decisions
        if d.held is not None and d.stored is not None
    ]
    held += [
        (build.before[entry.guid][0], entry.guid, state.notes[entry.guid].mod)
        for entry, outcome in outcomes
        if isinstance(outcome, Conflict)
    ]
    pending: dict[Path, int] = {}
    for root, _, mod in held:
        pending[root] = min(mod, pending.get(root, mod))
    return Plan(
        note_types=note_type_changes(build, state),
        added=tuple(d.item for _, d in decisions if d.stored is None),
        updated=tuple(d.item for _, d in decisions if d.updated),
        retyped=tuple(d.retype for _, d in decisions if d.retype is not None),
        moved=tuple(d.move for _, d in decisions if d.move is not None),
        removed=tuple(o for _, o in outcomes if isinstance(o, Removal)),
        conflicts=(
            *(d.held for _, d in decisions if isinstance(d.held, Conflict)),
            *(o for _, o in outcomes if isinstance(o, Conflict)),
        ),
        edited_in_anki=tuple(d.held for _, d in decisions if isinstance(d.held, Item)),
        foreign=(
            *(d.item for _, d in decisions if d.foreign),
            *(o for _, o in outcomes if isinstance(o, Item)),
        ),
        forced=tuple(d.item for _, d in decisions if d.forced),
        withheld=frozenset(note.guid for note, d in decisions if d.held or d.foreign),
        kept_entries=frozenset(guid for _, guid, _ in held),
        mod_resets=tuple(d.reset for _, d in decisions if d.reset is not None),
        pending=pending,
    )


def note_type_changes(build: SyncBuild, state: CollectionState) -> tuple[str, ...]:
    """The note types the package brings that the collection lacks or has older."""
    changes = []
    for kind in sorted({note.kind for note in build.notes}, key=lambda k: k.value):
        model = MODELS[kind]
        mod = state.note_type_mods.get(model.model_id)
        if mod is None:
            changes.append(f"{model.name} (new)")
        elif mod < TEMPLATES_VERSION:
            changes.append(f"{model.name} (templates and style updated)")
    return tuple(changes)


def card_move(
    item: Item,
    stored: StoredNote,
    entry: LockEntry | None,
    deck: str,
    state: CollectionState,
    build: SyncBuild,
) -> Move | None:
    """The note's cards to move into `deck`: those still in the deck ankipress last put
    them in (the lock's), or in a deck an earlier sync created that no note uses any more.
    Cards the student moved elsewhere stay where they are."""
    in_use = {note.deck for note in build.notes}
    old = {entry.deck} if entry is not None and entry.deck != deck else set()
    old |= {name for name in state.created_decks if name not in in_use}
    cards = [card for card in stored.cards if card.deck in old and card.deck != deck]
    if not cards:
        return None
    decks = tuple(sorted({card.deck for card in cards}))
    return Move(item, stored.id, tuple(card.id for card in cards), decks, deck)


def lock_entries_after(
    after: Sequence[LockEntry],
    before: Mapping[str, LockEntry],
    kept: frozenset[str],
    withheld: frozenset[str],
    retyped: Mapping[str, str],
    note_ids: Mapping[str, int],
) -> list[LockEntry]:
    """One folder's lock entries once synced: the build's, except that a held note keeps
    the entry it had (so its change is still pending next time), a removed note that stays
    in Anki (held, or its removal not confirmed) stays known, and a note retyped in place
    keeps the note id the collection has for it (`note_ids`, by GUID)."""
    entries = {entry.guid: entry for entry in after}
    for guid in withheld:
        old = retyped.get(guid, guid)
        if guid in entries and old != guid and old in before:
            del entries[guid]
    for guid in kept:
        old = retyped.get(guid, guid)
        if old in before:
            entries[old] = before[old]
    taken = {entry.id for entry in entries.values()}
    for guid, note_id in note_ids.items():
        if guid in entries and guid not in withheld and note_id not in taken:
            taken.discard(entries[guid].id)
            entries[guid] = replace(entries[guid], id=note_id)
            taken.add(note_id)
    return list(entries.values())
