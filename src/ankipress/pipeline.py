"""The whole build, top to bottom: find → read → compile → identify → package.

Each file is compiled once (`compile.compile_file`, in worker processes when there is enough
work), and the build streams: what each file compiled to goes to the build cache as it
comes, the build keeps only what identifying notes needs, and the packages are written
from the cache a file at a time. Nothing is written unless every file is free of errors.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from .cache import (
    BuildCache,
    FileStamp,
    FileState,
    FolderState,
    Manifest,
    build_stamp,
    entry_key,
)
from .compile import (
    DuplicateCheck,
    card_ords,
    compile_file,
    fingerprint,
    from_data,
    linked,
    linked_fields,
    package_rows,
    sort_field,
    to_data,
)
from .identity import FolderIdentities, Identity, NoteFacts, Reserved, identify_folder, renumber
from .lock import HEADER, LockEntry, entry_line, read_lock, sort_key
from .models import TEMPLATES_VERSION
from .package import BuildBusy, PackageNote, build_lock, write_files_atomically, write_package
from .records import (
    Diagnostic,
    FileResult,
    Location,
    MediaFile,
    NoteKind,
    Severity,
    error,
    warning,
)
from .render import DEFAULT_SETTINGS, RenderSettings
from .sources import (
    LOCK_NAME,
    FoundFile,
    discover,
    display_path,
    file_stamp,
    load_media,
    read_lock_bytes,
    read_source_bytes,
    source_from_bytes,
)

Progress = Callable[[int, str], AbstractContextManager[Callable[[int], None]]]
"""Given the work to do (in lines of notes) and a label, a context whose value is called
with the work done as it goes (the command line shows a bar on a terminal)."""
WORKER_BYTES = 1_500_000
"""Below this much text to compile, worker processes cost more than they save."""


def no_progress(total: int, label: str) -> AbstractContextManager[Callable[[int], None]]:
    return contextlib.nullcontext(lambda done: None)


@dataclass(frozen=True)
class BuildReport:
    diagnostics: tuple[Diagnostic, ...]
    packages: tuple[Path, ...] = ()
    """Every package of this build (none when there were errors)."""
    note_count: int = 0
    removed: tuple[LockEntry, ...] = ()
    """Notes the lock file knew that are no longer in the sources (Anki keeps them)."""
    retyped: tuple[tuple[LockEntry, LockEntry], ...] = ()
    """(earlier note, the note replacing it under another note type)."""
    up_to_date: bool = False
    """Nothing changed since the last build: nothing was written."""
    written: tuple[Path, ...] = ()
    """The packages written by this build (unchanged ones are left as they were)."""

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


# -- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    """One source file found, with its bytes (unless known unchanged) and their digest."""

    found: FoundFile
    relpath: str
    display: str
    stamp: FileStamp | None
    """None when the file could not be read."""
    data: bytes | None = None
    problems: tuple[Diagnostic, ...] = ()

    @property
    def place(self) -> str:
        return f"{self.found.root}\x00{self.relpath}"


def names_of(file: FoundFile, shown: dict[Path, str]) -> tuple[str, str]:
    """A file's path relative to its source folder, and as diagnostics show it (its folder
    as shown, then that path: worked out once per folder, not once per file)."""
    root, path = str(file.root), str(file.path)
    if not path.startswith(root + os.sep):
        relpath = file.path.relative_to(file.root).as_posix()
        return relpath, display_path(file.path)
    relpath = path[len(root) + 1 :].replace(os.sep, "/")
    if file.root not in shown:
        shown[file.root] = display_path(file.root)
    folder = shown[file.root]
    return relpath, relpath if folder == "." else f"{folder}/{relpath}"


def read_inputs(found: Sequence[FoundFile], known: dict[str, FileStamp]) -> list[Input]:
    """Every source file's digest: a file unchanged since the last build (same size,
    modification time and inode) is not even read."""
    inputs = []
    shown: dict[Path, str] = {}
    for file in found:
        relpath, display = names_of(file, shown)
        try:
            status = os.stat(file.path)
        except OSError:
            status = None
        earlier = known.get(str(file.path))
        if (
            status
            and earlier
            and (earlier.size, earlier.mtime_ns, earlier.inode)
            == (
                status.st_size,
                status.st_mtime_ns,
                status.st_ino,
            )
        ):
            inputs.append(Input(file, relpath, display, earlier))
            continue
        data, problems = read_source_bytes(file)
        stamp = None
        if data is not None and status is not None:
            digest = hashlib.sha256(data).hexdigest()
            stamp = FileStamp(status.st_size, status.st_mtime_ns, status.st_ino, digest)
        inputs.append(Input(file, relpath, display, stamp, data, tuple(problems)))
    return inputs


@dataclass(frozen=True)
class LockFile:
    """One source folder's lock file as read."""

    root: Path
    path: Path
    data: bytes | None
    problems: tuple[Diagnostic, ...] = ()

    @property
    def digest(self) -> str:
        return "" if self.data is None else hashlib.sha256(self.data).hexdigest()


def read_locks(roots: Iterable[Path]) -> list[LockFile]:
    locks = []
    for root in sorted(set(roots), key=str):
        data, problems = read_lock_bytes(root / LOCK_NAME)
        locks.append(LockFile(root, root / LOCK_NAME, data, tuple(problems)))
    return locks


# -- compiling ------------------------------------------------------------------------------


def compile_input(
    found: FoundFile, data: bytes, display: str, settings: RenderSettings
) -> FileResult:
    """Decode and compile one file's bytes."""
    source, problems = source_from_bytes(found, data, display)
    if source is None:
        relpath = found.path.relative_to(found.root).as_posix()
        return FileResult(relpath, display, "", (), tuple(problems))
    result = compile_file(source, settings)
    if not problems:
        return result
    return FileResult(
        result.relpath,
        result.display,
        result.deck,
        result.notes,
        (*problems, *result.diagnostics),
        result.readings,
    )


def _compile_task(task: tuple[FoundFile, bytes, str, RenderSettings]) -> bytes:
    """Compile in a worker process: the result goes back as data (JSON bytes), which is
    cheaper to pass between processes than objects, and is what the cache keeps anyway."""
    return to_data(compile_input(*task))


def _compile_here(task: tuple[FoundFile, bytes, str, RenderSettings]) -> FileResult:
    return compile_input(*task)


@dataclass(frozen=True)
class FileSummary:
    """What the build keeps of one compiled file: its notes' facts for identifying them,
    the bundled names of their media, and where its rows are in the cache."""

    found: FoundFile
    relpath: str
    display: str
    key: str
    facts: tuple[NoteFacts, ...]
    media_names: tuple[tuple[str, ...], ...]

    @property
    def place(self) -> str:
        return f"{self.found.root}\x00{self.relpath}"


@dataclass
class Compiled:
    """Every file compiled, with every problem found so far."""

    settings: RenderSettings
    files: list[FileSummary] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    media: dict[str, MediaFile] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)

    @property
    def note_count(self) -> int:
        return sum(len(file.facts) for file in self.files)


def worker_count(pending: Sequence[Input], workers: int | None) -> int:
    """How many worker processes to compile with: from ANKIPRESS_WORKERS when set, else
    as many as free cores when there is enough text to pay for starting them."""
    if workers is None:
        chosen = os.environ.get("ANKIPRESS_WORKERS", "")
        if chosen.isdigit():
            workers = int(chosen)
        else:
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
            size = sum(len(item.data or b"") for item in pending)
            workers = min(cores, 4) if size >= WORKER_BYTES and len(pending) > 1 else 0
    return workers if workers > 1 else 0


def compiled_results(
    inputs: Sequence[Input],
    settings: RenderSettings,
    cache: BuildCache,
    progress: Progress,
    workers: int | None,
) -> Iterator[tuple[Input, str, FileResult]]:
    """Each readable file's result, in order: from the cache, or compiled (in workers when
    worth it); new results go to the cache as they come."""
    plan: list[tuple[Input, str, bool]] = []
    pending = []
    for item in inputs:
        if item.stamp is None:
            continue
        root = item.found.root
        key = entry_key(item.stamp.digest, item.relpath, root, item.display, settings)
        if cache.has(key):
            plan.append((item, key, False))
            continue
        if item.data is None:  # known unchanged, but its entry is gone: read it again
            data, problems = read_source_bytes(item.found)
            item = Input(item.found, item.relpath, item.display, item.stamp, data, problems)
        if item.data is not None:
            plan.append((item, key, True))
            pending.append(item)
    count = worker_count(pending, workers)
    tasks = ((item.found, item.data, item.display, settings) for item in pending)
    with contextlib.ExitStack() as stack:
        fresh: Iterator[FileResult | bytes]
        if count:
            import multiprocessing

            method = "fork" if sys.platform.startswith("linux") else "spawn"
            pool = stack.enter_context(multiprocessing.get_context(method).Pool(count))
            fresh = pool.imap(_compile_task, tasks, chunksize=4)
        else:
            fresh = map(_compile_here, tasks)
        lines = {item.place: (item.data or b"").count(b"\n") + 1 for item in pending}
        advance = stack.enter_context(progress(sum(lines.values()), "Compiling notes"))
        for item, key, compile_now in plan:
            if not compile_now:
                try:
                    data = data_of(item.found, item.display, key, settings, cache)
                    found = from_data(data, fields=False)
                except DAMAGED:  # a damaged entry: the file is compiled again
                    cache.forget(key)
                    data = data_of(item.found, item.display, key, settings, cache)
                    found = from_data(data, fields=False)
                yield item, key, found
                continue
            result = next(fresh)
            if isinstance(result, bytes):
                cache.put(key, result)
                result = from_data(result, fields=False)
            else:
                cache.put(key, to_data(result))
            advance(lines[item.place])
            yield item, key, result


DAMAGED = (ValueError, KeyError, TypeError, IndexError)
"""What reading a damaged cache entry raises."""


def result_of(
    found: FoundFile, display: str, key: str, settings: RenderSettings, cache: BuildCache
) -> FileResult:
    """A file's compiled result from the cache (see `data_of`)."""
    return from_data(data_of(found, display, key, settings, cache))


def data_of(
    found: FoundFile, display: str, key: str, settings: RenderSettings, cache: BuildCache
) -> bytes:
    """A file's compiled result, as data, from the cache; compiled again, should the cache
    have lost it (a damaged or full cache database is dropped in the middle of a build)."""
    data = cache.get(key)
    if data is None:
        raw, _ = read_source_bytes(found)
        if raw is None:
            raise OSError(errno.EIO, "the file can no longer be read", str(found.path))
        data = to_data(compile_input(found, raw, display, settings))
        cache.put(key, data)
    return data


def compile_all(
    inputs: Sequence[Input],
    settings: RenderSettings,
    cache: BuildCache,
    progress: Progress = no_progress,
    workers: int | None = None,
) -> Compiled:
    """Compile every file (or take it from the cache), read its media, and check what only
    the whole build can: duplicated questions across files."""
    compiled = Compiled(settings)
    duplicates = DuplicateCheck()
    media_read: dict[tuple[Path, str], MediaFile | str] = {}
    for item in inputs:
        compiled.diagnostics += item.problems
    for item, key, result in compiled_results(inputs, settings, cache, progress, workers):
        compiled.diagnostics += result.diagnostics
        compiled.diagnostics += duplicates.problems(result)
        facts = []
        all_names = []
        for note in result.notes:
            names = []
            for target, line, col in note.media:
                place = (item.found.path.parent, target)
                if place not in media_read:
                    media_read[place] = load_media(target, item.found.path, item.found.root)
                media = media_read[place]
                if isinstance(media, str):
                    compiled.diagnostics.append(error(Location(result.display, line, col), media))
                    names.append("")
                else:
                    compiled.media[media.name] = media
                    names.append(media.name)
            facts.append(note_facts(result, note, tuple(names)))
            all_names.append(tuple(names))
        compiled.files.append(
            FileSummary(
                item.found, item.relpath, result.display, key, tuple(facts), tuple(all_names)
            )
        )
    return compiled


def note_facts(result: FileResult, note, names: tuple[str, ...]) -> NoteFacts:
    auto = {number for number, _ in note.auto_clozes}
    fixed = frozenset(o + 1 for o in note.ords) - auto if note.kind is NoteKind.CLOZE else ()
    return NoteFacts(
        kind=note.kind,
        deck=note.deck,
        key=note.key,
        guid=note.guid,
        question_text=note.question_text,
        answer_fingerprint=note.answer_fingerprint,
        content=fingerprint(note.content + "\x1f".join(names)) if names else note.content,
        relpath=result.relpath,
        location=result.location(note),
        auto_clozes=note.auto_clozes,
        fixed_numbers=frozenset(fixed),
    )


# -- identifying ----------------------------------------------------------------------------


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

    @property
    def changed(self) -> bool:
        before = "" if self.before is None else hashlib.sha256(self.before).hexdigest()
        return before != self.after_digest


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
    identities: dict[str, tuple[Identity, ...]]
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
    identities: dict[str, tuple[Identity, ...]] = {}
    updates, removed, retyped, diagnostics, states = [], [], [], [], []
    reserved = Reserved()
    for number, lock in enumerate(locks, start=1):
        files = [f for f in compiled.files if f.found.root == lock.root]
        whole = lock.root.resolve() in walked
        state = cache.folder_state(lock.root) if cache is not None and len(locks) == 1 else None
        if state is not None and lock.data is not None and state.lock_digest == lock.digest:
            outcome = identify_changed(files, lock, state, whole, now)
        else:
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
    identities: dict[str, tuple[Identity, ...]]
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
        rel: file_state(keys.get(rel, ""), found.get(f"{lock.root}\x00{rel}", ()), block)
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
    found = {f.place: decode_identities(state.files[f.relpath].identities) for f in unchanged}
    others, _ = read_lock(b"".join(state.files[rel].block for rel in kept), "")
    held = [i for identities in found.values() for i in identities]
    reserved = Reserved(
        guids=frozenset({i.guid for i in held} | {e.guid for e in others}),
        ids=frozenset({i.id for i in held} | {e.id for e in others}),
        next_id=max((s.max_id + 1 for s in state.files.values()), default=0),
        next_mod=max((s.max_mod + 1 for s in state.files.values()), default=0),
        decks=frozenset(
            {fact.deck for f in unchanged for fact in f.facts} | {e.deck for e in others}
        ),
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
    identities: dict[str, tuple[Identity, ...]],
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
    update = LockUpdate(lock.path, lock.data, result.entries, lines, after)
    return Outcome(result, identities, update, replace(state, lock_digest=after), tuple(problems))


def split_by_file(
    files: Sequence[FileSummary], identities: Sequence[Identity]
) -> dict[str, tuple[Identity, ...]]:
    found = {}
    position = 0
    for f in files:
        found[f.place] = tuple(identities[position : position + len(f.facts)])
        position += len(f.facts)
    return found


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


def file_state(key: str, identities: Sequence[Identity], block: Block) -> FileState:
    """What the cache remembers of one file for the next build."""
    data = [[i.guid, i.id, i.mod, [list(pair) for pair in i.renumbered]] for i in identities]
    text = json.dumps(data, separators=(",", ":")).encode()
    return FileState(key, text, block.text, block.max_mod, block.max_id)


def decode_identities(data: bytes) -> tuple[Identity, ...]:
    return tuple(
        Identity(guid, id_, mod, tuple(map(tuple, moved)))  # type: ignore[arg-type]
        for guid, id_, mod, moved in json.loads(data)
    )


def retyped_pairs(result: FolderIdentities) -> list[tuple[LockEntry, LockEntry]]:
    return [(old, result.entries[index]) for old, index in result.retyped]


# -- packaging ------------------------------------------------------------------------------


def package_notes(
    files: Sequence[FileSummary], identified: Identified, compiled: Compiled, cache: BuildCache
) -> Iterator[PackageNote]:
    """The package rows of these files' notes, read back from the cache a file at a time."""
    for summary in files:
        data = data_of(summary.found, summary.display, summary.key, compiled.settings, cache)
        place = summary.place
        for (kind, deck, fields, sort, tags, ords), identity, names in zip(
            package_rows(data), identified.identities[place], summary.media_names, strict=True
        ):
            fields, sort = linked_fields(fields, sort, names)
            if identity.renumbered:
                fields = (renumber(fields[0], identity.renumbered), *fields[1:])
                sort, ords = sort_field(fields[0]), card_ords(kind, fields[0])
            yield PackageNote(
                identity.id, identity.guid, identity.mod, kind, deck, tuple(tags), fields, sort,
                tuple(ords),
            )  # fmt: skip


def package_key(files: Sequence[FileSummary], identified: Identified) -> str:
    """What a package's bytes depend on: its files' compiled results and identities."""
    digest = hashlib.sha256(f"{TEMPLATES_VERSION}".encode())
    for summary in files:
        digest.update(summary.key.encode())
        found = identified.identities[summary.place]
        digest.update(repr([(i.guid, i.id, i.mod, i.renumbered) for i in found]).encode())
        digest.update(repr(summary.media_names).encode())
    return digest.hexdigest()


def output_targets(compiled: Compiled, out: Path) -> tuple[dict[Path, list[FileSummary]], list]:
    """Which files go into which package: all into `out` when it ends in `.apkg`, else one
    package per source file under `out`, mirroring sub-folders."""
    if out.suffix.lower() == ".apkg":
        return {out: [f for f in compiled.files if f.facts]}, []
    targets: dict[Path, list[FileSummary]] = {}
    diagnostics = []
    for summary in compiled.files:
        if not summary.facts:
            continue
        target = out / Path(summary.relpath).with_suffix(".apkg")
        if target in targets:
            diagnostics.append(
                error(
                    Location(summary.display, 1),
                    f"{targets[target][0].display} is also written to {display_path(target)}; "
                    "build them into separate output folders",
                )
            )
            continue
        targets[target] = [summary]
    return targets, diagnostics


def package_writer(
    files: Sequence[FileSummary], identified: Identified, compiled: Compiled, cache: BuildCache
) -> Callable[[BinaryIO, Path], None]:
    names = sorted({name for f in files for note in f.media_names for name in note if name})
    media = [(name, compiled.media[name].data) for name in names]
    count = sum(len(f.facts) for f in files)
    ids = [i.id for f in files for i in identified.identities[f.place]]
    first_card = max(ids, default=0) + 1

    def write(stream: BinaryIO, scratch: Path) -> None:
        notes = package_notes(files, identified, compiled, cache)
        write_package(stream, notes, media, scratch, count, first_card)

    return write


@dataclass(frozen=True)
class Written:
    packages: tuple[Path, ...]
    written: tuple[Path, ...]
    outputs: dict[str, tuple[int, int, str]]


def write_outputs(
    targets: dict[Path, list[FileSummary]],
    identified: Identified,
    compiled: Compiled,
    cache: BuildCache,
    previous: Manifest | None,
) -> Written:
    """Write the packages whose content changed (or that are not as last written) and the
    lock files that changed, all or nothing."""
    files: list[tuple[Path, object]] = []
    keys = {}
    for target, members in targets.items():
        keys[target] = package_key(members, identified)
        known = previous.outputs.get(str(target)) if previous else None
        stamp = file_stamp(target)
        if known and stamp and (stamp[1], stamp[2], keys[target]) == tuple(known):
            continue  # already written, with this very content
        files.append((target, package_writer(members, identified, compiled, cache)))
    for lock in identified.locks:
        if lock.changed:
            files.append((lock.path, lock.lines))
    write_files_atomically(files)  # type: ignore[arg-type]
    outputs = {}
    for target, key in keys.items():
        stamp = file_stamp(target)
        if stamp is not None:
            outputs[str(target)] = (stamp[1], stamp[2], key)
    written = tuple(path for path, _ in files if path in targets)
    return Written(tuple(targets), written, outputs)


def io_problem(exc: OSError, fallback: Path) -> Diagnostic:
    """A clear error at the path an input or output operation failed on."""
    where = Location(
        display_path(Path(exc.filename)) if exc.filename else display_path(fallback), 1
    )
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        reason += "; free some space and build again (the build cache was cleared)"
    return error(where, f"cannot write: {reason}")


# -- the build ------------------------------------------------------------------------------


def build(
    sources: Sequence[Path],
    out: Path,
    now: float,
    settings: RenderSettings = DEFAULT_SETTINGS,
    progress: Progress = no_progress,
    workers: int | None = None,
) -> BuildReport:
    """Build every deck; write the packages and lock files only if no file has an error.

    When nothing changed since the last build of `out` (sources, lock files, media, and the
    packages themselves), nothing is written.
    """
    found = discover(sources)
    folder = out.parent if out.suffix.lower() == ".apkg" else out
    try:
        with build_lock(folder), BuildCache.open(out) as cache:
            previous = cache.manifest()
            inputs = read_inputs(found, previous.sources if previous else {})
            locks = read_locks(item.found.root for item in inputs)
            stamp = stamp_of(inputs, [(lock.path, lock.digest) for lock in locks], out, settings)
            if previous and up_to_date(previous, stamp):
                return unchanged(previous)
            compiled = compile_all(inputs, settings, cache, progress, workers)
            targets, problems = output_targets(compiled, out)
            compiled.diagnostics += problems
            if compiled.failed or not compiled.note_count:
                return not_built(compiled, sources)
            identified = identify(sources, compiled, locks, now, cache)
            diagnostics = (*compiled.diagnostics, *identified.diagnostics)
            try:
                written = write_outputs(targets, identified, compiled, cache, previous)
            except OSError as exc:
                cache.after_failed_write(full=exc.errno == errno.ENOSPC)
                return BuildReport((*diagnostics, io_problem(exc, out)))
            remember(cache, inputs, out, settings, compiled, identified, written)
            return BuildReport(
                diagnostics, written.packages, compiled.note_count,
                identified.removed, identified.retyped, written=written.written,
            )  # fmt: skip
    except BuildBusy:
        where = Location(display_path(folder), 1)
        message = "another ankipress build is writing here; try again when it ends"
        return BuildReport((error(where, message),))
    except OSError as exc:
        return BuildReport((io_problem(exc, folder),))


def unchanged(manifest: Manifest) -> BuildReport:
    """Nothing changed since the last build: what it said about the notes, and its packages."""
    diagnostics = diagnostics_of(manifest)
    packages = tuple(map(Path, manifest.outputs))
    return BuildReport(diagnostics, packages, manifest.note_count, up_to_date=True)


def remember(
    cache: BuildCache,
    inputs: Sequence[Input],
    out: Path,
    settings: RenderSettings,
    compiled: Compiled,
    identified: Identified,
    written: Written,
) -> None:
    """What the next build needs to know of this one: the manifest (what was written, from
    what) and each source folder's state; entries not used any more are forgotten."""
    after = [(lock.path, lock.after_digest) for lock in identified.locks]
    cache.save_manifest(
        Manifest(
            stamp=stamp_of(inputs, after, out, settings),
            sources={str(i.found.path): i.stamp for i in inputs if i.stamp},
            outputs=written.outputs,
            media=tuple(s for m in compiled.media.values() if (s := file_stamp(m.path))),
            note_count=compiled.note_count,
            # What the notes themselves give, to say again while nothing changes; not what
            # this build did (a note continued, a deck renamed).
            diagnostics=tuple(
                (d.location.path, d.location.line, d.location.col, d.severity.value, d.message)
                for d in compiled.diagnostics
            ),
        )
    )
    for state in identified.states:
        cache.save_folder_state(state.root, state.lock_digest, state.files, state.gone, state.whole)
    cache.prune()


def not_built(compiled: Compiled, sources: Sequence[Path]) -> BuildReport:
    diagnostics = list(compiled.diagnostics)
    if not compiled.failed:
        where = Location(display_path(sources[0]) if sources else ".", 1)
        diagnostics.append(warning(where, "no notes found; nothing written"))
    return BuildReport(tuple(diagnostics))


def stamp_of(
    inputs: Sequence[Input], locks: Iterable[tuple[Path, str]], out: Path, settings: RenderSettings
) -> str:
    """What a build's result depends on, apart from media files (checked by their stamps):
    the settings, the output, every source file's digest and every lock file's."""
    parts: list[object] = [repr(settings), str(out.resolve()), str(Path.cwd())]
    parts += [(str(i.found.root), i.relpath, i.stamp.digest if i.stamp else "") for i in inputs]
    parts += [(str(path), digest) for path, digest in locks]
    return build_stamp(parts)


def up_to_date(manifest: Manifest, stamp: str) -> bool:
    def unchanged(path: str, size: int, mtime: int) -> bool:
        found = file_stamp(path)
        return found is not None and found[1:] == (size, mtime)

    return (
        manifest.stamp == stamp
        and bool(manifest.outputs)
        and all(unchanged(path, size, mtime) for path, (size, mtime, _) in manifest.outputs.items())
        and all(unchanged(*media) for media in manifest.media)
    )


SEVERITIES = {severity.value: severity for severity in Severity}


def diagnostics_of(manifest: Manifest) -> tuple[Diagnostic, ...]:
    return tuple(
        Diagnostic(Location(path, line, col), SEVERITIES[severity], message)
        for path, line, col, severity, message in manifest.diagnostics
    )


# -- check, preview, explain ----------------------------------------------------------------


def check(
    sources: Sequence[Path],
    settings: RenderSettings = DEFAULT_SETTINGS,
    locked: bool = False,
    now: float = 0.0,
) -> BuildReport:
    """Everything a build does short of writing: all the diagnostics a build would give.

    With `locked`, also an error for each lock file that the build would change.
    """
    with BuildCache(None) as cache:
        inputs = read_inputs(discover(sources), {})
        compiled = compile_all(inputs, settings, cache)
        if not locked or compiled.failed or not compiled.note_count:
            return BuildReport(tuple(compiled.diagnostics), (), compiled.note_count)
        locks = read_locks(item.found.root for item in inputs)
        identified = identify(sources, compiled, locks, now)
    stale = [
        error(
            Location(display_path(lock.path), 1),
            (
                f"not up to date with the notes ({describe(lock)})"
                if lock.before is not None
                else "missing"
            )
            + "; run `ankipress build` and commit it",
        )
        for lock in identified.locks
        if lock.changed
    ]
    diagnostics = (*compiled.diagnostics, *identified.diagnostics, *stale)
    return BuildReport(diagnostics, (), compiled.note_count, identified.removed)


def describe(lock: LockUpdate) -> str:
    from .lock import describe_changes

    before, _ = read_lock(lock.before or b"", "")
    return describe_changes(before, lock.entries)


def preview(
    sources: Sequence[Path], settings: RenderSettings = DEFAULT_SETTINGS
) -> tuple[str | None, tuple[Diagnostic, ...]]:
    """The preview page of every card, or None (with the errors) when the notes have errors."""
    from .preview import PreviewNote, render_page

    with BuildCache(None) as cache:
        compiled = compile_all(read_inputs(discover(sources), {}), settings, cache)
        if compiled.failed:
            return None, tuple(compiled.diagnostics)
        notes = []
        for summary in compiled.files:
            result = result_of(summary.found, summary.display, summary.key, settings, cache)
            for note, names in zip(result.notes, summary.media_names, strict=True):
                fields, _ = linked(note, names)
                notes.append(PreviewNote(note.kind, note.deck, fields, note.ords))
    return render_page(notes, compiled.media), tuple(compiled.diagnostics)


@dataclass(frozen=True)
class Explained:
    """How one file was read: its deck, each line with its reading, and every problem."""

    deck: str
    lines: tuple[tuple[int, str, str], ...]
    """(line number, reading, text) of every line."""


def explain(
    path: Path, settings: RenderSettings = DEFAULT_SETTINGS
) -> tuple[Explained | None, tuple[Diagnostic, ...]]:
    """How one file is read, line by line, with every diagnostic a check of it gives."""
    found = discover([path])
    if not found:
        return None, ()
    inputs = read_inputs(found, {})
    data = inputs[0].data
    if data is None:
        return None, inputs[0].problems
    source, problems = source_from_bytes(found[0], data, inputs[0].display)
    if source is None:
        return None, tuple(problems)
    with BuildCache(None) as cache:
        compiled = compile_all(inputs, settings, cache)
        summary = compiled.files[0]
        result = result_of(summary.found, summary.display, summary.key, settings, cache)
    lines = tuple(
        (number, reading.value, text)
        for number, (reading, text) in enumerate(
            zip(result.readings, source.lines, strict=True), start=1
        )
    )
    return Explained(result.deck, lines), tuple(compiled.diagnostics)
