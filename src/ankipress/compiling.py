"""Compiling every file of a build: read, compile once (in worker processes when there is
enough work), and keep only what identifying and packaging the notes needs.

The build streams: what each file compiled to goes to the build cache as it comes (data
only), each file is summarised (its notes' facts, its media read) and the summary is all
the build keeps; the packages are written later from the cache, a file at a time.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import hashlib
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import BuildCache, FileStamp, entry_key
from .compile import (
    KINDS,
    DuplicateCheck,
    FileHead,
    compile_file,
    fingerprint,
    from_data,
    head_of,
    note_facts_rows,
    to_data,
)
from .identity import NoteFacts
from .records import Diagnostic, FileResult, Location, MediaFile, NoteKind, error
from .render import RenderSettings
from .sources import (
    LOCK_NAME,
    FileFinder,
    FoundFile,
    display_path,
    load_media,
    read_lock_bytes,
    read_source_bytes,
    source_from_bytes,
)

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

Progress = Callable[[int, str], AbstractContextManager[Callable[[int], None]]]
"""Given the work to do (in lines of notes) and a label, a context whose value is called
with the work done as it goes (the command line shows a bar on a terminal)."""
WORKER_BYTES = 1_500_000
"""Below this much text to compile, worker processes cost more than they save."""
BYTES_PER_FILE = 1_024
"""What compiling a file costs beyond its text (reading its format, caching its result),
counted as this much more text: 10,000 files of one note are worth worker processes."""


def no_progress(total: int, label: str) -> AbstractContextManager[Callable[[int], None]]:
    return contextlib.nullcontext(lambda done: None)


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
    digest: str
    """SHA-256 of `data` ("" when there is none), worked out once as it is read."""
    problems: tuple[Diagnostic, ...] = ()


def read_locks(roots: Iterable[Path]) -> list[LockFile]:
    locks = []
    for root in sorted(set(roots), key=str):
        data, problems = read_lock_bytes(root / LOCK_NAME)
        digest = "" if data is None else hashlib.sha256(data).hexdigest()
        locks.append(LockFile(root, root / LOCK_NAME, data, digest, tuple(problems)))
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
    """Compile (here or in a worker process): the result as data (JSON bytes), which is
    cheaper to pass between processes than objects, and is what the cache keeps anyway."""
    return to_data(compile_input(*task))


CHUNK = 4
"""Files compiled per task sent to a worker process."""


def in_workers(
    pool: Pool, tasks: Iterable[tuple], window: int, run: Callable[[list], list] | None = None
) -> Iterator:
    """Each task's result, worked out by the pool (`run` on each chunk of tasks; compiled by
    default), in order. At most `window` chunks of tasks are out at a time, so that results
    never pile up in memory when this process takes them more slowly than the workers make
    them (it shares the cores with them)."""
    out: collections.deque = collections.deque()
    remaining = iter(tasks)
    chunks = iter(lambda: list(itertools.islice(remaining, CHUNK)), [])
    for chunk in chunks:
        out.append(pool.apply_async(run or _compile_chunk, (chunk,)))
        if len(out) >= window:
            yield from out.popleft().get()
    while out:
        yield from out.popleft().get()


def _compile_chunk(tasks: list[tuple[FoundFile, bytes, str, RenderSettings]]) -> list[bytes]:
    return [_compile_task(task) for task in tasks]


@contextlib.contextmanager
def worker_pool(
    count: int, initializer: Callable[..., None] | None = None, arguments: tuple = ()
) -> Iterator[Pool]:
    """`count` worker processes (forked where the system allows: no start-up to pay)."""
    import multiprocessing

    method = "fork" if sys.platform.startswith("linux") else "spawn"
    with multiprocessing.get_context(method).Pool(count, initializer, arguments) as pool:
        yield pool


@dataclass(frozen=True, eq=False)
class FileSummary:
    """What the build keeps of one compiled file: its notes' facts for identifying them,
    the bundled names of their media, and where its rows are in the cache."""

    found: FoundFile
    relpath: str
    display: str
    key: str
    head: FileHead | None
    """What the cache holds of its notes, when their facts are made only if asked for
    (`made` is empty then)."""
    media_names: tuple[tuple[str, ...], ...]
    made: tuple[NoteFacts, ...] = ()
    """Each note's facts, when made as the file was read (`head` is None then)."""

    @property
    def place(self) -> str:
        return f"{self.found.root}\x00{self.relpath}"

    @property
    def note_count(self) -> int:
        return len(self.head.keys) if self.head else len(self.made)

    @property
    def facts(self) -> tuple[NoteFacts, ...]:
        head = self.head
        if head is None:
            return self.made
        rows = note_facts_rows(head.facts, len(head.keys))
        return tuple(
            note_facts(self.relpath, self.display, row, where, names)
            for row, where, names in zip(rows, head.where, self.media_names, strict=True)
        )

    @cached_property
    def decks(self) -> frozenset[str]:
        if self.head:
            return frozenset(self.head.decks)
        return frozenset(fact.deck for fact in self.made)


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
        return sum(file.note_count for file in self.files)


def worker_count(pending: Sequence[Input], workers: int | None) -> int:
    """How many worker processes to compile with (see `workers_for`): enough text pays for
    starting them."""
    size = sum(len(item.data or b"") + BYTES_PER_FILE for item in pending)
    return workers_for(size >= WORKER_BYTES and len(pending) > 1, workers)


def workers_for(enough_work: bool, workers: int | None) -> int:
    """How many worker processes to use: `workers` when given, else ANKIPRESS_WORKERS when
    set, else as many as free cores (four at most) when there is `enough_work` to pay for
    starting them; 0 for none (one alone would only add the cost of passing the work)."""
    if workers is None:
        chosen = os.environ.get("ANKIPRESS_WORKERS", "")
        if chosen.isdigit():
            workers = int(chosen)
        elif enough_work:
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
            workers = min(cores, 4)
        else:
            workers = 0
    return workers if workers > 1 else 0


def compiled_results(
    inputs: Sequence[Input],
    settings: RenderSettings,
    cache: BuildCache,
    progress: Progress,
    workers: int | None,
) -> Iterator[tuple[Input, str, FileHead, bool]]:
    """Each readable file's result, in order: from the cache, or compiled (in workers when
    worth it), and whether it was compiled now; new results go to the cache as they come."""
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
        fresh: Iterator[bytes]
        if count:
            pool = stack.enter_context(worker_pool(count))
            fresh = in_workers(pool, tasks, window=count * 4)
        else:
            fresh = map(_compile_task, tasks)
        lines = {item.place: (item.data or b"").count(b"\n") + 1 for item in pending}
        advance = stack.enter_context(progress(sum(lines.values()), "Compiling notes"))
        for item, key, compile_now in plan:
            if not compile_now:
                try:
                    head = head_of(data_of(item.found, item.display, key, settings, cache))
                except DAMAGED:  # a damaged entry: the file is compiled again
                    cache.forget(key)
                    head = head_of(data_of(item.found, item.display, key, settings, cache))
                yield item, key, head, False
                continue
            data = next(fresh)
            cache.put(key, data)
            advance(lines[item.place])
            yield item, key, head_of(data), True


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
    the whole build can: duplicated questions across files.

    The facts of a file compiled now (a changed file, whose notes are identified again)
    are made at once; those of a file taken from the cache are kept as rows and made only
    if identifying asks for them (an edited rebuild leaves unchanged files as they were).
    Rows and facts are never held together: that would take more memory."""
    compiled = Compiled(settings)
    duplicates = DuplicateCheck()
    media_read: dict[tuple[Path, str], MediaFile | str] = {}
    finder = FileFinder()
    for item in inputs:
        compiled.diagnostics += item.problems
    for item, key, head, fresh in compiled_results(inputs, settings, cache, progress, workers):
        compiled.diagnostics += head.diagnostics
        compiled.diagnostics += duplicates.check(head.display, head.where)
        all_names: list[tuple[str, ...]] = [()] * len(head.keys)
        for index, target, line, col in head.media:
            place = (item.found.path.parent, target)
            if place not in media_read:
                media_read[place] = load_media(target, item.found.path, item.found.root, finder)
            media = media_read[place]
            if isinstance(media, str):
                compiled.diagnostics.append(error(Location(head.display, line, col), media))
                name = ""
            else:
                compiled.media[media.name] = media
                name = media.name
            all_names[index] = (*all_names[index], name)
        summary = FileSummary(item.found, item.relpath, head.display, key, head, tuple(all_names))
        if fresh:  # made now, and the head let go
            summary = replace(summary, head=None, made=summary.facts)
        compiled.files.append(summary)
    return compiled


def note_facts(
    relpath: str,
    display: str,
    row: list,
    where: tuple[str, str, int, int],
    names: tuple[str, ...],
) -> NoteFacts:
    """A note's facts from its row of `FileHead.facts` and its key, deck and place."""
    kind_value, guid, question, answer, content, ords, numbered = row
    key, deck, line, col = where
    kind = KINDS[kind_value]
    auto_clozes = tuple(map(tuple, numbered))
    fixed: frozenset[int] = frozenset()
    if kind is NoteKind.CLOZE:
        fixed = frozenset(o + 1 for o in ords) - {number for number, _ in auto_clozes}
    return NoteFacts(
        kind=kind,
        deck=sys.intern(deck),  # one string per deck, not per note: memory
        key=key,
        guid=guid,
        question_text=question,
        answer_fingerprint=answer,
        content=fingerprint(content + "\x1f".join(names)) if names else content,
        relpath=relpath,
        location=Location(display, line, col),
        auto_clozes=auto_clozes,  # type: ignore[arg-type]
        fixed_numbers=fixed,
    )
