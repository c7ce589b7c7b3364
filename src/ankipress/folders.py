"""Identifying a build's notes, one source folder at a time, against its lock file.

Every note of a folder against every entry of its lock file (`identify_all`); or, when the
last build's cache knows the folder and its lock file is as that build wrote it, only the
files changed since (`identify_changed`): unchanged files keep their identities and their
lines of the lock file. The outcome is the same, as the tests hold. The rules themselves are
in identity.py; this module reads the lock file, splits the work by file, and assembles the
new lock file from each file's lines.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .cache import BuildCache, FileState, FolderState
from .compiling import DAMAGED, Compiled, FileSummary, LockFile
from .identity import FolderIdentities, Identity, Reserved, identify_folder
from .lock import HEADER, LockEntry, entry_line, read_lock, sort_key
from .records import Diagnostic
from .sources import display_path


@dataclass(frozen=True)
class LockUpdate:
    """One source folder's lock file: as it is on disk and as the build writes it."""

    path: Path
    before: bytes | None
    entries: tuple[LockEntry, ...]
    """The entries of the notes identified in this build: every entry, unless only some
    files changed since the last build (then theirs)."""
    lines: tuple[str | bytes, ...]
    """The lock file's text as the build writes it, a line (or a file's lines) at a time."""
    after_digest: str
    before_digest: str
    """Of `before` ("" when there is none)."""

    @property
    def changed(self) -> bool:
        return self.before_digest != self.after_digest


@dataclass(frozen=True)
class StateUpdate:
    """What the cache is to remember of a source folder once the build is written."""

    root: Path
    lock_digest: str
    files: dict[str, FileState]
    """The state of each file whose state changed."""
    gone: tuple[str, ...]
    whole: bool
    """Whether `files` is every file of the folder (the others are forgotten)."""


@dataclass(frozen=True)
class Identified:
    identities: dict[str, FileIdentities]
    """Each file's notes' identities, by file place (root and relpath)."""
    locks: tuple[LockUpdate, ...]
    removed: tuple[LockEntry, ...]
    retyped: tuple[tuple[LockEntry, LockEntry], ...]
    diagnostics: tuple[Diagnostic, ...]
    states: tuple[StateUpdate, ...] = ()


def identify(
    sources: Sequence[Path],
    compiled: Compiled,
    locks: Sequence[LockFile],
    now: float,
    cache: BuildCache | None = None,
) -> Identified:
    """Give every note its GUID, id and mod from its source folder's lock file.

    Entries of files that are gone (absent from disk, or not found in a build of the whole
    folder) can be continued by renamed or moved notes; those of files merely left out of
    this build are kept as they are.

    With the cache of the last build, and the lock file as that build wrote it, only the
    files changed since are identified (`identify_changed`): unchanged files keep their
    identities and their lines of the lock file. The outcome is the same as identifying
    everything (`identify_all`), as the tests hold.
    """
    walked = {source.resolve() for source in sources if source.is_dir()}
    identities: dict[str, FileIdentities] = {}
    updates, removed, retyped, diagnostics, states = [], [], [], [], []
    reserved = Reserved()
    for number, lock in enumerate(locks, start=1):
        files = [f for f in compiled.files if f.found.root == lock.root]
        whole = lock.root.resolve() in walked
        state = cache.folder_state(lock.root) if cache is not None and len(locks) == 1 else None
        outcome = None
        if state is not None and lock.data is not None and state.lock_digest == lock.digest:
            with contextlib.suppress(*DAMAGED):  # a damaged state: every file identified again
                outcome = identify_changed(files, lock, state, whole, now)
        if outcome is None:
            outcome = identify_all(files, lock, whole, now, reserved)
        identities |= outcome.identities
        if number < len(locks):  # what the next source folders may not take
            given = [i for f in files for i in identities[f.place]]
            reserved = Reserved(
                reserved.guids | {i.guid for i in given},
                reserved.ids | {i.id for i in given},
                max([reserved.next_id, *(i.id + 1 for i in given)]),
            )
        updates.append(outcome.lock)
        states.append(outcome.state)
        removed += outcome.result.removed
        retyped += retyped_pairs(outcome.result)
        diagnostics += [*lock.problems, *outcome.problems, *outcome.result.diagnostics]
    return Identified(
        identities, tuple(updates), tuple(removed), tuple(retyped), tuple(diagnostics),
        tuple(states),
    )  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """One source folder identified."""

    result: FolderIdentities
    identities: dict[str, FileIdentities]
    """Every file's notes' identities, by file place."""
    lock: LockUpdate
    state: StateUpdate
    problems: tuple[Diagnostic, ...]
    """Damaged lines of the lock file."""


def identify_all(
    files: Sequence[FileSummary], lock: LockFile, whole: bool, now: float, reserved: Reserved
) -> Outcome:
    """Every note of the folder against every entry of its lock file."""
    entries, problems = read_lock(lock.data or b"", display_path(lock.path))
    built = {f.relpath for f in files}
    gone = {
        entry.file
        for entry in entries
        if entry.file not in built and (whole or not (lock.root / entry.file).is_file())
    }
    facts = [fact for f in files for fact in f.facts]
    result = identify_folder(facts, entries, now, built, gone, reserved)
    found = split_by_file(files, result.identities)
    blocks = lock_blocks(result.entries)
    keys = {f.relpath: f.key for f in files}
    states = {
        rel: file_state(keys.get(rel, ""), found.get(f"{lock.root}\x00{rel}", NONE), block)
        for rel, block in blocks.items()
    }
    states |= {
        f.relpath: file_state(f.key, found[f.place], Block(b""))
        for f in files
        if f.relpath not in blocks
    }
    return finish(
        lock, result, found, blocks, StateUpdate(lock.root, "", states, (), True), problems
    )


def identify_changed(
    files: Sequence[FileSummary], lock: LockFile, state: FolderState, whole: bool, now: float
) -> Outcome:
    """Only the files changed since the last build, against their own lines of the lock
    file and those of the files gone; the others keep what the last build gave them."""
    unchanged = [f for f in files if (s := state.files.get(f.relpath)) and s.key == f.key]
    same = {f.relpath for f in unchanged}
    changed = [f for f in files if f.relpath not in same]
    built = {f.relpath for f in files}
    gone = {
        rel
        for rel in state.files
        if rel not in built and (whole or not (lock.root / rel).is_file())
    }
    kept = [rel for rel in state.files if rel not in built and rel not in gone]
    earlier = [rel for rel in (*(f.relpath for f in changed), *sorted(gone)) if rel in state.files]
    entries, problems = read_lock(
        b"".join(state.files[rel].block for rel in earlier), display_path(lock.path)
    )
    found = {f.place: FileIdentities(state.files[f.relpath].identities) for f in unchanged}
    others, _ = read_lock(b"".join(state.files[rel].block for rel in kept), "")
    held = found.values()
    reserved = Reserved(
        guids=frozenset(itertools.chain(*(i.guids for i in held), (e.guid for e in others))),
        ids=frozenset(itertools.chain(*(i.ids for i in held), (e.id for e in others))),
        next_id=max((s.max_id + 1 for s in state.files.values()), default=0),
        next_mod=max((s.max_mod + 1 for s in state.files.values()), default=0),
        decks=frozenset({deck for f in unchanged for deck in f.decks} | {e.deck for e in others}),
    )
    facts = [fact for f in changed for fact in f.facts]
    result = identify_folder(facts, entries, now, {f.relpath for f in changed}, gone, reserved)
    fresh = split_by_file(changed, result.identities)
    new_blocks = lock_blocks(result.entries)
    blocks = {rel: Block(state.files[rel].block) for rel in (*same, *kept)} | new_blocks
    states = {
        f.relpath: file_state(f.key, fresh[f.place], new_blocks.get(f.relpath, Block(b"")))
        for f in changed
    }
    update = StateUpdate(lock.root, "", states, tuple(sorted(gone)), False)
    return finish(lock, result, found | fresh, blocks, update, problems)


def finish(
    lock: LockFile,
    result: FolderIdentities,
    identities: dict[str, FileIdentities],
    blocks: dict[str, Block],
    state: StateUpdate,
    problems: Sequence[Diagnostic],
) -> Outcome:
    """The folder's new lock file, from each file's lines in file order (the order of the
    whole file: its lines are sorted by file first)."""
    lines = (HEADER.encode(), *(blocks[rel].text for rel in sorted(blocks)))
    digest = hashlib.sha256()
    for block in lines:
        digest.update(block)
    after = digest.hexdigest()
    update = LockUpdate(lock.path, lock.data, result.entries, lines, after, lock.digest)
    return Outcome(result, identities, update, replace(state, lock_digest=after), tuple(problems))


def split_by_file(
    files: Sequence[FileSummary], identities: Sequence[Identity]
) -> dict[str, FileIdentities]:
    found = {}
    position = 0
    for f in files:
        found[f.place] = FileIdentities.of(identities[position : position + f.note_count])
        position += f.note_count
    return found


class FileIdentities(Sequence[Identity]):
    """One file's notes' identities, in note order, and the data the cache keeps of them
    (`data`, JSON: the GUIDs, ids and mods as columns, then the moved deletions of each note
    that has some). Those the cache gives are made one at a time as they are looked at (an
    edited rebuild of a large deck looks at few of them); those identified now are kept as
    made, their data written when asked for."""

    __slots__ = ("_columns", "_data", "_made")

    def __init__(self, data: bytes) -> None:
        """As the cache keeps them; ValueError, KeyError or TypeError when not so."""
        guids, ids, mods, moved = json.loads(data)
        if not (
            len(guids) == len(ids) == len(mods)
            and {*map(type, guids)} <= {str}
            and {*map(type, ids), *map(type, mods)} <= {int}
        ):
            raise ValueError("damaged identities")
        renumbered = {
            index: tuple((given, kept) for given, kept in pairs) for index, pairs in moved
        }
        self._data: bytes | None = data
        self._made: tuple[Identity, ...] | None = None
        self._columns = (guids, ids, mods, renumbered)

    @classmethod
    def of(cls, identities: Sequence[Identity]) -> FileIdentities:
        made = object.__new__(cls)
        made._data, made._made, made._columns = None, tuple(identities), None
        return made

    @property
    def data(self) -> bytes:
        if self._data is None:
            made = self._made or ()
            moved = [
                [k, [list(pair) for pair in i.renumbered]]
                for k, i in enumerate(made)
                if i.renumbered
            ]
            columns = [[i.guid for i in made], [i.id for i in made], [i.mod for i in made], moved]
            self._data = json.dumps(columns, separators=(",", ":")).encode()
        return self._data

    @property
    def guids(self) -> Sequence[str]:
        return self._columns[0] if self._columns else [i.guid for i in self._made or ()]

    @property
    def ids(self) -> Sequence[int]:
        return self._columns[1] if self._columns else [i.id for i in self._made or ()]

    def __len__(self) -> int:
        return len(self._columns[1]) if self._columns else len(self._made or ())

    def __getitem__(self, index):  # type: ignore[override]
        if self._made is not None:
            return self._made[index]
        if isinstance(index, slice):
            return list(map(self.__getitem__, range(len(self))[index]))
        guids, ids, mods, moved = self._columns  # type: ignore[misc]
        return Identity(guids[index], ids[index], mods[index], moved.get(index % len(self), ()))

    def __iter__(self) -> Iterator[Identity]:
        if self._made is not None:
            yield from self._made
            return
        guids, ids, mods, moved = self._columns  # type: ignore[misc]
        for index, (guid, id_, mod) in enumerate(zip(guids, ids, mods, strict=True)):
            yield Identity(guid, id_, mod, moved.get(index, ()))


NONE = FileIdentities.of(())
"""A file with no notes."""


@dataclass(frozen=True)
class Block:
    """One file's lines of the lock file, and their highest mod and note id."""

    text: bytes
    max_mod: int = 0
    max_id: int = 0


def lock_blocks(entries: Iterable[LockEntry]) -> dict[str, Block]:
    """Each file's lines of the lock file, sorted as the whole file is."""
    by_file: dict[str, list[LockEntry]] = defaultdict(list)
    for entry in entries:
        by_file[entry.file].append(entry)
    return {
        rel: Block(
            "".join(entry_line(e) for e in sorted(group, key=sort_key)).encode(),
            max(e.mod for e in group),
            max(e.id for e in group),
        )
        for rel, group in by_file.items()
    }


def file_state(key: str, identities: FileIdentities, block: Block) -> FileState:
    """What the cache remembers of one file for the next build."""
    return FileState(key, identities.data, block.text, block.max_mod, block.max_id)


def retyped_pairs(result: FolderIdentities) -> list[tuple[LockEntry, LockEntry]]:
    return [(old, result.entries[index]) for old, index in result.retyped]
