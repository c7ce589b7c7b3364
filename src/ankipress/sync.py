"""`ankipress sync`: the build applied to a student's collection with Anki's own backend.

Only the sync command imports this module (it needs the `anki` package, the optional extra
`ankipress[sync]`). The steps, each a function below:

1. `build_for_sync`: the build in memory: notes, media, lock entries before and after.
   Nothing is written until the collection is done (a refused sync forgets nothing).
2. `hold_and_copy`: the collection must not be open in Anki desktop, which holds it with
   SQLite's exclusive locking mode (`locking_mode = exclusive`, WAL): trying to read it that
   way fails at once while Anki has it open. Under that lock, held to the end, the
   collection is copied (SQLite's backup API) and all the work is done on the copy: a dry
   run drops it, a sync puts it in place with one rename. The student's file is only read
   until then, and is either as it was or fully synced.
3. `read_state` + `syncplan.make_plan`: what the collection holds, and every change to make.
4. `backup`: Anki's own backup (`backup-YYYY-MM-DD-HH.MM.SS.colpkg` in the profile's
   `backups` folder), before anything changes.
5. `apply`: import the package as Anki desktop does (update if newer, note types by id,
   media), change note types in place (Anki's change-notetype operation, card 1 staying
   card 1) and import those notes, move cards of renamed decks, remove notes whose source
   is gone, remove emptied decks an earlier sync created. Every change is left marked for
   Anki's own sync (usn -1).
6. `install`, then the lock files.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.errors import DBError
from anki.media import media_paths_from_col_path

from .cache import BuildCache
from .compiling import compile_all, read_inputs, read_locks
from .folders import identify
from .lock import format_lock, read_lock
from .models import MODELS
from .package import FileNotes, GenankiParts, write_files_atomically, write_package
from .pipeline import file_notes
from .profiles import Found
from .records import Diagnostic
from .render import RenderSettings
from .sources import discover, display_path
from .syncplan import (
    KIND_NAMES,
    KIND_OF_MODEL,
    CollectionState,
    Plan,
    Removal,
    StoredCard,
    StoredNote,
    SyncBuild,
    SyncNote,
    lock_entries_after,
    make_plan,
)

CONFIG_KEY = "ankipress"
"""The collection's memory of ankipress's syncs (synced with it): when each source folder
was last synced (`synced`, by a hash of the folder's path), and the decks syncs created."""

IMPORT_COUNTS = (
    "new",
    "updated",
    "duplicate",
    "conflicting",
    "first_field_match",
    "missing_notetype",
)


@dataclass(frozen=True)
class Refused:
    """Sync did not start, and changed nothing: a sentence saying why."""

    message: str


@dataclass(frozen=True)
class Incomplete:
    """The collection was synced, but what follows failed: a sentence saying what to do."""

    message: str


@dataclass(frozen=True)
class Request:
    sources: tuple[Path, ...]
    found: Found
    now: float
    """The build's time (its notes' modification times)."""
    clock: float
    """The real time of this sync, remembered in the collection."""
    settings: RenderSettings
    dry_run: bool = False
    delete: bool = False
    force: bool = False


@dataclass(frozen=True)
class Applied:
    """What `apply` did to a collection."""

    imported: dict[str, int]
    """Anki's import log: notes new, updated, duplicate (unchanged), conflicting, …"""
    removed: tuple[Removal, ...]
    cards_moved: int
    decks_removed: tuple[str, ...]
    decks_left: tuple[str, ...]
    """Old decks left empty, kept because no sync created them."""
    media_added: tuple[str, ...]
    full_sync: bool
    """Anki's schema was changed: its next sync with AnkiWeb has to be a one-way sync."""


@dataclass(frozen=True)
class Outcome:
    plan: Plan
    applied: Applied | None
    """None when there was nothing to change."""
    dry_run: bool
    removals_confirmed: bool
    backup: Path | None = None
    locks_written: tuple[Path, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)


# -- 1. the build -------------------------------------------------------------------------------


def build_for_sync(sources: Sequence[Path], now: float, settings: RenderSettings) -> SyncBuild:
    """Everything a build works out, in memory: nothing is written (no package, no lock
    file, no build cache)."""
    with BuildCache(None) as cache:
        inputs = read_inputs(discover(sources), {})
        compiled = compile_all(inputs, settings, cache)
        if compiled.failed or not compiled.note_count:
            return SyncBuild(tuple(compiled.diagnostics))
        locks = read_locks(item.found.root for item in inputs)
        identified = identify(sources, compiled, locks, now)
        rows = (
            row
            for summary in compiled.files
            for row in file_notes(summary, identified, compiled, cache)
        )
        places = [
            (str(fact.location), summary.found.root, names)
            for summary in compiled.files
            for fact, names in zip(summary.facts, summary.media_names, strict=True)
        ]
        notes = tuple(
            SyncNote(row, where, root, tuple(name for name in names if name))
            for row, (where, root, names) in zip(rows, places, strict=True)
        )
    before = {}
    for lock in identified.locks:
        entries, _ = read_lock(lock.before or b"", display_path(lock.path))
        before |= {entry.guid: (lock.path.parent, entry) for entry in entries}
    diagnostics = (*compiled.diagnostics, *identified.diagnostics)
    return SyncBuild(
        diagnostics=tuple(d for d in diagnostics if not import_advice(d)),
        notes=notes,
        media=dict(compiled.media),
        before=before,
        removed=identified.removed,
        retyped={new.guid: old.guid for old, new in identified.retyped},
        locks=identified.locks,
    )


IMPORT_ADVICE = ("an import never moves a card", "Anki can't change a note's type on import")


def import_advice(diagnostic: Diagnostic) -> bool:
    """A build's advice for what an import can't do (move cards, change a note's type): sync
    does both itself, and lists them."""
    return any(advice in diagnostic.message for advice in IMPORT_ADVICE)


def packages(build: SyncBuild, plan: Plan) -> tuple[list[SyncNote], list[SyncNote]]:
    """The notes of the two imports. The first holds every note but the withheld ones, the
    retyped ones under the GUID the collection knows (Anki skips them as "conflicting",
    but brings their new note type); the second only the retyped notes, once their type
    has been changed in place."""
    stored = {retype.item.guid: retype.stored_guid for retype in plan.retyped}
    first = [
        replace(note, row=replace(note.row, guid=stored[note.guid]))
        if note.guid in stored
        else note
        for note in build.notes
        if note.guid not in plan.withheld
    ]
    second = [note for note in build.notes if note.guid in stored]
    return first, second


def write_sync_package(notes: Sequence[SyncNote], media: Mapping, path: Path) -> Path:
    """One package of these notes and their media."""
    names = sorted({name for note in notes for name in note.media})
    first_card = max((note.row.id for note in notes), default=0) + 1
    with open(path, "wb") as stream:
        write_package(
            stream,
            [FileNotes("", [note.row for note in notes])],
            [(name, media[name].data) for name in names],
            path.parent,
            len(notes),
            first_card,
            GenankiParts.made(),
        )
    return path


# -- 2. is Anki closed? ------------------------------------------------------------------------


ANKI_OPEN = (
    "the collection {path} is open in Anki (or another program): close Anki desktop "
    "(or wait for its sync to finish), then run ankipress sync again. Nothing was changed."
)


def hold_and_copy(path: Path, copy: Path) -> sqlite3.Connection | Refused:
    """Take the collection's lock the way Anki does (exclusive locking mode, no waiting:
    this fails at once while Anki desktop has it open) and copy it to `copy` under that
    lock (SQLite's backup API). The returned connection keeps the lock until closed. The
    file itself is only read."""
    try:
        guard = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=0, isolation_level=None
        )
    except sqlite3.Error as exc:
        return Refused(f"cannot open the collection {path}: {exc}")
    try:
        guard.execute("PRAGMA locking_mode = exclusive")
        guard.execute("SELECT count(*) FROM notes").fetchone()
        target = sqlite3.connect(copy)
        try:
            guard.backup(target)
        finally:
            target.close()
    except sqlite3.Error as exc:
        guard.close()
        if "locked" in str(exc) or "busy" in str(exc):
            return Refused(ANKI_OPEN.format(path=path))
        return Refused(f"cannot read the collection {path}: {exc}")
    return guard


LEGACY_SCHEMA = 11
"""The file format Anki desktop before 2.1.50 leaves its collection in (later ones keep
the backend's own): a collection found in it is put back in it, so that its Anki still
opens it."""


def schema_version(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT ver FROM col").fetchone()[0]
    finally:
        connection.close()


def open_collection(path: Path) -> Collection | Refused:
    try:
        return Collection(str(path))
    except DBError as exc:
        return Refused(f"Anki's backend cannot open the collection: {exc}")


def install(
    copy: Path, path: Path, guard: sqlite3.Connection, media: Path, names: Sequence[str]
) -> None:
    """Put the synced copy in place of the collection (one rename: the collection is either
    as it was or fully synced), after copying the media files the import added."""
    media.mkdir(parents=True, exist_ok=True)
    added = Path(media_paths_from_col_path(str(copy))[0])
    for name in names:
        if not (media / name).exists() and (added / name).is_file():
            shutil.copy2(added / name, media / name)
    shutil.copymode(path, copy)
    guard.close()
    os.replace(copy, path)


# -- 3. what the collection holds ---------------------------------------------------------------


def read_memory(col: Collection) -> dict:
    """The collection's memory of ankipress's syncs; what isn't as ankipress writes it (a
    hand edit) is ignored."""
    memory = col.get_config(CONFIG_KEY, {})
    memory = memory if isinstance(memory, dict) else {}
    synced = memory.get("synced")
    decks = memory.get("decks")
    return {
        "synced": {
            key: value
            for key, value in (synced.items() if isinstance(synced, dict) else ())
            if isinstance(key, str) and type(value) is int
        },
        "decks": [did for did in (decks if isinstance(decks, list) else ()) if type(did) is int],
    }


def root_key(root: Path) -> str:
    """A source folder's key in the collection's memory (a hash: no local path is synced)."""
    return hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]


def read_state(col: Collection, build: SyncBuild) -> CollectionState:
    """The collection's notes that sync may touch (by GUID), their cards, and its memory."""
    wanted = (
        {packed.guid for packed in build.notes} | set(build.before) | set(build.retyped.values())
    )
    ours = set(KIND_OF_MODEL)
    rows = [
        row
        for row in col.db.all("SELECT id, guid, mid, mod, flds, tags FROM notes")
        if row[1] in wanted or row[2] in ours
    ]
    deck_names = {d.id: d.name for d in col.decks.all_names_and_ids()}
    cards: dict[int, list[StoredCard]] = defaultdict(list)
    ids = {row[0] for row in rows}
    for cid, nid, ord_, did, odid in col.db.all("SELECT id, nid, ord, did, odid FROM cards"):
        if nid in ids:
            cards[nid].append(StoredCard(cid, ord_, deck_names.get(odid or did, "")))
    notes = {
        guid: StoredNote(
            nid, guid, mid, mod, tuple(flds.split("\x1f")), tuple(tags.split()), tuple(cards[nid])
        )
        for nid, guid, mid, mod, flds, tags in rows
    }
    memory = read_memory(col)
    synced_by_key = memory["synced"]
    roots = {root for root, _ in build.before.values()} | {note.root for note in build.notes}
    synced = {
        root: synced_by_key[root_key(root)] for root in roots if root_key(root) in synced_by_key
    }
    created = frozenset(deck_names[did] for did in memory["decks"] if did in deck_names)
    types = {m: col.models.get(m) for m in KIND_OF_MODEL}
    type_mods = {m: notetype["mod"] for m, notetype in types.items() if notetype is not None}
    return CollectionState(notes, synced, created, type_mods)


# -- 4. the backup ------------------------------------------------------------------------------


def backup(col: Collection, folder: Path) -> Path | None:
    """Anki's own backup of the collection into `folder`, named as Anki names them; returns
    the file (or the newest one there, when Anki found nothing changed since it)."""
    folder.mkdir(parents=True, exist_ok=True)
    pattern = "backup-*.colpkg"
    existing = set(folder.glob(pattern))
    col.create_backup(backup_folder=str(folder), force=True, wait_for_completion=True)
    made = sorted(set(folder.glob(pattern)) - existing)
    if made:
        return made[-1]
    return max(folder.glob(pattern), default=None, key=lambda p: p.stat().st_mtime)


# -- 5. applying the plan -----------------------------------------------------------------------


def apply(
    col: Collection,
    build: SyncBuild,
    plan: Plan,
    work: Path,
    delete: bool,
    media_folder: Path,
    clock: float,
) -> Applied:
    """Make the collection hold what the plan says."""
    schema = col.db.scalar("SELECT scm FROM col")
    decks_before = {d.id for d in col.decks.all_names_and_ids()}
    media_names = {name for note in build.notes for name in note.media}
    media_added = tuple(sorted(n for n in media_names if not (media_folder / n).exists()))

    retyped = {retype.note_id for retype in plan.retyped}
    reset_mods(col, [(nid, mod) for nid, mod in plan.mod_resets if nid not in retyped])
    first, second = packages(build, plan)
    imported = import_package(col, write_sync_package(first, build.media, work / "sync.apkg"))
    imported["conflicting"] -= len(plan.retyped)  # expected: their type changes next
    if second:
        change_note_types(col, plan)
        reset_mods(col, [(nid, mod) for nid, mod in plan.mod_resets if nid in retyped])
        package = write_sync_package(second, build.media, work / "retyped.apkg")
        for name, count in import_package(col, package).items():
            imported[name] += count

    moved = move_cards(col, plan)

    removed = plan.removed if delete else ()
    if removed:
        col.remove_notes([removal.note_id for removal in removed])

    created = {d.id for d in col.decks.all_names_and_ids()} - decks_before
    memory = read_memory(col)
    created |= set(memory["decks"])
    emptied = {d for m in plan.moved for d in m.old_decks} | {d for r in removed for d in r.decks}
    decks_removed, decks_left = remove_empty_decks(col, emptied, created)

    alive = {d.id for d in col.decks.all_names_and_ids()}
    synced = dict(memory["synced"])
    roots = {note.root for note in build.notes}
    synced |= {
        root_key(root): min(int(clock), plan.pending.get(root, int(clock))) for root in roots
    }
    col.set_config(CONFIG_KEY, {"synced": synced, "decks": sorted(created & alive)})

    return Applied(
        imported=imported,
        removed=removed,
        cards_moved=moved,
        decks_removed=decks_removed,
        decks_left=decks_left,
        media_added=media_added,
        full_sync=col.db.scalar("SELECT scm FROM col") != schema,
    )


def move_cards(col: Collection, plan: Plan) -> int:
    """Each moved note's cards still in its old decks into its new deck, as Anki's Change
    Deck does (a card in a filtered deck returns home first). Read again now: a retyped
    note may have gained a card."""
    targets: dict[str, list[int]] = defaultdict(list)
    for move in plan.moved:
        for cid in col.card_ids_of_note(move.note_id):
            card = col.get_card(cid)
            home = col.decks.name(card.odid or card.did)
            if home in move.old_decks:
                targets[move.new_deck].append(cid)
    return sum(
        col.set_deck(card_ids, col.decks.id(deck)).count
        for deck, card_ids in sorted(targets.items())
    )


def reset_mods(col: Collection, resets: Sequence[tuple[int, int]]) -> None:
    """Give notes an older modification time, so that the import (update if newer)
    replaces them: notes forced from the files, and retyped notes (which changing the note
    type stamped with the current time)."""
    for note_id, mod in resets:
        col.db.execute("UPDATE notes SET mod = ? WHERE id = ?", mod, note_id)


def import_package(col: Collection, package: Path) -> dict[str, int]:
    """Import as Anki desktop does (its default options: update notes and note types if
    newer, match note types by id, add media); Anki's log, counted."""
    request = ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions()
    )
    log = col.import_anki_package(request).log
    return {name: len(getattr(log, name)) for name in IMPORT_COUNTS}


def change_note_types(col: Collection, plan: Plan) -> None:
    """Each retyped note to its new note type in place, with Anki's own operation and its
    default mapping (fields and cards by name, then by position: card 1 stays card 1)."""
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for retype in plan.retyped:
        old, new = MODELS[retype.old].model_id, MODELS[retype.new].model_id
        groups[(old, new)].append(retype.note_id)
    for (old, new), note_ids in sorted(groups.items()):
        info = col.models.change_notetype_info(old_notetype_id=old, new_notetype_id=new)
        request = info.input
        request.note_ids.extend(note_ids)
        col.models.change_notetype_of_notes(request)
    for retype in plan.retyped:
        if retype.stored_guid != retype.item.guid:
            note = col.get_note(retype.note_id)
            note.guid = retype.item.guid
            col.update_note(note)


def remove_empty_decks(
    col: Collection, names: set[str], created: set[int]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Remove each of these decks (then its parents) once it holds no card and no subdeck,
    if a sync created it; the others that are empty are only named."""
    removed, left = [], []
    pending = sorted(names, key=lambda name: -name.count("::"))
    seen: set[str] = set()
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        did = col.decks.id_for_name(name)
        if not did or did == 1 or col.decks.children(did):
            continue
        if col.decks.card_count(did, include_subdecks=True):
            continue
        if did not in created:
            left.append(name)
            continue
        col.decks.remove([did])
        removed.append(name)
        if "::" in name:
            pending.append(name.rsplit("::", 1)[0])
    return tuple(removed), tuple(left)


# -- 6. the lock files --------------------------------------------------------------------------


def lock_files(build: SyncBuild, plan: Plan, kept: frozenset[str]) -> list[tuple[Path, bytes]]:
    """Each source folder's lock file as the sync leaves it (see `lock_entries_after`)."""
    ids = {r.item.guid: r.note_id for r in plan.retyped if r.item.guid != r.stored_guid}
    files = []
    for lock in build.locks:
        root = lock.path.parent
        before = {guid: entry for guid, (r, entry) in build.before.items() if r == root}
        entries = lock_entries_after(lock.entries, before, kept, plan.withheld, build.retyped, ids)
        data = format_lock(entries).encode()
        if data != lock.before:
            files.append((lock.path, data))
    return files


# -- the whole sync -----------------------------------------------------------------------------

Confirm = Callable[[Sequence[Removal]], bool]


@dataclass(frozen=True)
class Worked:
    """What was done on the copy of the collection."""

    plan: Plan
    applied: Applied | None
    confirmed: bool
    """Whether the removals were confirmed (or asked for with --delete)."""
    backup: Path | None


def work_on_copy(
    request: Request, build: SyncBuild, copy: Path, confirm: Confirm | None
) -> Worked | Refused:
    """Plan, ask, back up and apply, on the copy of the collection."""
    legacy = schema_version(copy) <= LEGACY_SCHEMA
    col = open_collection(copy)
    if isinstance(col, Refused):
        return col
    try:
        plan = make_plan(build, read_state(col, build), request.force)
        if plan.is_empty():
            return Worked(plan, None, request.delete, None)
        asked = bool(plan.removed) and not request.dry_run and confirm is not None
        confirmed = request.delete or (asked and confirm(plan.removed))
        saved = None if request.dry_run else backup(col, request.found.backups)
        media = Path(media_paths_from_col_path(str(request.found.collection))[0])
        delete = confirmed or request.dry_run
        applied = apply(col, build, plan, copy.parent, delete, media, request.clock)
        return Worked(plan, applied, confirmed, saved)
    finally:
        col.close(downgrade=legacy)


def run(request: Request, confirm: Confirm | None) -> Outcome | Refused | Incomplete | SyncBuild:
    """Build, then apply to the collection. Returns the failed build when the notes have
    errors, `Refused` when the collection can't be synced (nothing changed), else what was
    done. `confirm` asks the student before notes are removed (None: not asked).

    The work is done on a copy taken under Anki's lock, which is held throughout: a dry run
    then drops the copy; a sync puts it in place of the collection with one rename (in the
    collection's own folder, so the rename is atomic)."""
    build = build_for_sync(request.sources, request.now, request.settings)
    if build.failed or not build.notes:
        return build
    path = request.found.collection
    beside = None if request.dry_run else path.parent
    try:
        with tempfile.TemporaryDirectory(prefix=".ankipress-sync-", dir=beside) as scratch:
            copy = Path(scratch) / path.name
            guard = hold_and_copy(path, copy)
            if isinstance(guard, Refused):
                return guard
            try:
                worked = work_on_copy(request, build, copy, confirm)
                if isinstance(worked, Refused):
                    return worked
                if worked.applied is not None and not request.dry_run:
                    media = Path(media_paths_from_col_path(str(path))[0])
                    install(copy, path, guard, media, worked.applied.media_added)
            finally:
                guard.close()
    except OSError as exc:
        return Refused(f"cannot work beside the collection ({exc}). Nothing was changed.")
    plan = worked.plan
    if request.dry_run:
        return Outcome(plan, worked.applied, True, worked.confirmed, diagnostics=build.diagnostics)
    kept = plan.kept_entries
    if not worked.confirmed:
        kept |= {removal.item.guid for removal in plan.removed}
    files = lock_files(build, plan, kept)
    try:
        write_files_atomically(files)
    except OSError as exc:
        return Incomplete(
            f"the collection is synced, but the lock files could not be written ({exc}); "
            "run ankipress sync again once that is fixed"
        )
    return Outcome(
        plan,
        worked.applied,
        False,
        worked.confirmed,
        worked.backup,
        tuple(path for path, _ in files),
        build.diagnostics,
    )


# -- what the student is told (the CLI prints these lines) -------------------------------------


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def change_lines(plan: Plan, every: bool) -> list[str]:
    """One line per change: every one with `every`, else all but additions and updates."""
    lines = []
    if every:
        lines += [f'added    {i.where}  "{i.question}"' for i in plan.added]
        lines += [f'updated  {i.where}  "{i.question}"' for i in plan.updated]
    lines += [
        f'retyped  {r.item.where}  "{r.item.question}" '
        f"({KIND_NAMES[r.old]} → {KIND_NAMES[r.new]}, reviews of the cards that map kept)"
        for r in plan.retyped
    ]
    lines += [
        f'moved    {m.item.where}  "{m.item.question}" '
        f'({plural(len(m.card_ids), "card")}: "{", ".join(m.old_decks)}" → "{m.new_deck}")'
        for m in plan.moved
    ]
    lines += [f'removed  {r.item.where}  "{r.item.question}"' for r in plan.removed]
    lines += [f"note type  {name}" for name in plan.note_types]
    return lines


def removal_lines(removals: Sequence[Removal]) -> list[str]:
    """The notes about to be removed, for the confirmation prompt."""
    lines = [f"{plural(len(removals), 'note')} left your files; removing from Anki:"]
    lines += [
        f'  {r.item.where}  "{r.item.question}" (deck {", ".join(r.decks)})' for r in removals
    ]
    return lines


def held_lines(plan: Plan) -> list[str]:
    """Notes held back (edited in Anki and in the files) with both versions, and notes
    left as edited in Anki."""
    lines = []
    for conflict in plan.conflicts:
        item = conflict.item
        lines.append(
            f'conflict {item.where}  "{item.question}": edited in Anki and in your files; '
            "kept as in Anki (run with --force to take your files' version)"
        )
        for name, in_anki, in_files in conflict.fields:
            lines.append(f"    {name}, in Anki:      {in_anki}")
            lines.append(f"    {name}, in your files: {in_files}")
    lines += [
        f'edited in Anki  {i.where}  "{i.question}": left as edited in Anki '
        "(copy the edit into your file to keep it; --force takes your file's version)"
        for i in plan.edited_in_anki
    ]
    lines += [
        f'left alone  {i.where}  "{i.question}": its note type was changed in Anki '
        "to one that is not ankipress's"
        for i in plan.foreign
    ]
    lines += [
        f'overwritten  {i.where}  "{i.question}": edited in Anki, replaced by your files (--force)'
        for i in plan.forced
    ]
    return lines


def summary_lines(outcome: Outcome, collection: str, every: bool) -> list[str]:
    """Everything sync did (or, in a dry run, would do), ending with a one-line summary."""
    plan, applied = outcome.plan, outcome.applied
    would = "would be " if outcome.dry_run else ""
    lines = []
    if outcome.dry_run:
        lines.append(f"dry run: nothing written; what sync would do to {collection}:")
    if outcome.backup is not None:
        lines.append(f"backup of the collection: {display_path(outcome.backup)}")
    lines += change_lines(plan, every or outcome.dry_run)
    if applied is not None:
        if plan.removed and not outcome.removals_confirmed:
            them = "them" if len(plan.removed) != 1 else "it"
            lines.append(
                f"{plural(len(plan.removed), 'note')} whose source is gone "
                f"{'would stay' if outcome.dry_run else 'stayed'} in Anki: "
                f"run `ankipress sync --delete` to remove {them}"
            )
        if applied.media_added:
            lines.append(
                f"{plural(len(applied.media_added), 'media file')} "
                f"{would}added to the collection's media folder"
            )
        lines += [f'deck "{name}" {would}removed (empty)' for name in applied.decks_removed]
        lines += [
            f'deck "{name}" {"would be" if outcome.dry_run else "is"} empty; left in place '
            "(ankipress did not create it): delete it in Anki if you no longer need it"
            for name in applied.decks_left
        ]
        if applied.imported.get("conflicting"):
            lines.append(
                f"Anki's import skipped {plural(applied.imported['conflicting'], 'note')} "
                "as conflicting: was one of ankipress's note types changed in Anki (a field "
                "or card renamed, added or removed)?"
            )
        if applied.full_sync:
            lines.append(
                "Anki's next sync with AnkiWeb "
                f"{'would' if outcome.dry_run else 'will'} have to be a one-way (full) sync, "
                f"because {'notes changed note type' if plan.retyped else 'a note type changed'}"
                ": first sync your phone, then sync Anki desktop and choose Upload"
            )
    removed = len(plan.removed) if outcome.removals_confirmed or outcome.dry_run else 0
    counts = [
        (len(plan.added), "added"),
        (len(plan.updated), "updated"),
        (len(plan.retyped), "retyped"),
        (applied.cards_moved if applied else 0, "card", "moved"),
        (removed, "removed"),
        (len(plan.conflicts), "held back"),
        (len(plan.edited_in_anki), "edited in Anki"),
    ]
    parts = []
    for count, *words in counts:
        if count:
            noun = words[0] if len(words) == 2 else "note"
            parts.append(f"{plural(count, noun)} {words[-1]}")
    done = ", ".join(parts) if parts else "nothing to change: the collection is up to date"
    lines.append(f"{'dry run: ' if outcome.dry_run else ''}{done}")
    return lines
