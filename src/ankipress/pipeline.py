"""The whole build, top to bottom: find → read → compile → identify → package.

`build` composes the stages: reading and compiling every file (compiling.py, each file once
through `compile.compile_file`), identifying the notes against each source folder's lock
file (folders.py, the rules in identity.py), then writing the packages (below, with
package.py) and remembering the build in its cache (cache.py). The build streams: what each
file compiled to goes to the cache as it comes, the build keeps only what identifying notes
needs, and the packages are written from the cache a file at a time. Nothing is written
unless every file is free of errors. `check`, `preview` and `explain` share the same stages.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from .cache import (
    BuildCache,
    Manifest,
    build_stamp,
    parts_key,
)
from .compile import (
    card_ords,
    linked,
    linked_fields,
    package_rows,
    sort_field,
)
from .compiling import (
    Compiled,
    FileSummary,
    Input,
    Progress,
    compile_all,
    data_of,
    in_workers,
    no_progress,
    read_inputs,
    read_locks,
    result_of,
    worker_pool,
    workers_for,
)
from .folders import Identified, LockUpdate, identify
from .identity import renumber
from .lock import LockEntry, read_lock
from .models import TEMPLATES_VERSION
from .package import (
    BuildBusy,
    FileNotes,
    GenankiParts,
    PackageNote,
    Placement,
    Reused,
    SmallPackage,
    build_lock,
    built_in_memory,
    field_checksum,
    note_values,
    small_packages,
    start_package_worker,
    write_files_atomically,
    write_package,
)
from .records import (
    Diagnostic,
    Location,
    Severity,
    error,
    warning,
)
from .render import DEFAULT_SETTINGS, RenderSettings
from .sources import (
    SOURCE_SUFFIXES,
    discover,
    display_path,
    file_stamp,
    source_from_bytes,
)


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


# -- packaging ------------------------------------------------------------------------------


def file_notes(
    summary: FileSummary, identified: Identified, compiled: Compiled, cache: BuildCache
) -> Iterator[PackageNote]:
    """The package rows of a file's notes, read back from the cache."""
    data = data_of(summary.found, summary.display, summary.key, compiled.settings, cache)
    for (kind, deck, fields, sort, tags, ords, checksum), identity, names in zip(
        package_rows(data), identified.identities[summary.place], summary.media_names, strict=True
    ):
        written = sort
        fields, sort = linked_fields(fields, sort, names)
        if identity.renumbered:
            fields = (renumber(fields[0], identity.renumbered), *fields[1:])
            sort, ords = sort_field(fields[0]), card_ords(kind, fields[0])
        if sort != written:  # the checksum kept is of the sort field as compiled
            checksum = field_checksum(sort)
        yield PackageNote(
            identity.id, identity.guid, identity.mod, kind, deck, tuple(tags), fields, sort,
            checksum, tuple(ords),
        )  # fmt: skip


def rows_key(summary: FileSummary, identified: Identified) -> str:
    """What a file's package rows depend on: its compiled result, its notes' identities and
    their media's bundled names (see `package.Placement`)."""
    digest = hashlib.sha256(summary.key.encode())
    digest.update(identified.identities[summary.place].data)
    digest.update(repr(summary.media_names).encode())
    return digest.hexdigest()


def package_key(rows_keys: Iterable[str]) -> str:
    """What a package's bytes depend on: its files' rows (`rows_key`) and the templates."""
    digest = hashlib.sha256(f"{TEMPLATES_VERSION}".encode())
    for key in rows_keys:
        digest.update(key.encode())
    return digest.hexdigest()


def output_targets(compiled: Compiled, out: Path) -> tuple[dict[Path, list[FileSummary]], list]:
    """Which files go into which package: all into `out` when it ends in `.apkg`, else one
    package per source file under `out`, mirroring sub-folders."""
    if out.suffix.lower() == ".apkg":
        return {out: [f for f in compiled.files if f.note_count]}, []
    targets: dict[Path, list[FileSummary]] = {}
    diagnostics = []
    for summary in compiled.files:
        if not summary.note_count:
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


@dataclass
class PackageWriter:
    """Writes one package (`write`, given to `write_files_atomically`). A large package's
    collection is kept in the build cache, and the next build copies from it the notes of
    every file whose rows are the same (`rows_key`) rather than inserting them again."""

    target: Path
    files: Sequence[FileSummary]
    keys: Sequence[str]
    """Each file's `rows_key`."""
    note_count: int
    identified: Identified
    compiled: Compiled
    cache: BuildCache
    parts: GenankiParts
    placements: dict[str, Placement] | None = None
    """Where each file's notes are in the collection kept by this build, once written."""
    threads: int = 1
    """Threads a large collection is deflated on."""

    def media(self) -> list[tuple[str, bytes]]:
        """The media files of its notes, by bundled name."""
        found = {name for f in self.files for note in f.media_names for name in note if name}
        return [(name, self.compiled.media[name].data) for name in sorted(found)]

    def first_card(self) -> int:
        """Its first card's id: above every note id (see `fill_collection`)."""
        identities = self.identified.identities
        return max([max(identities[f.place].ids, default=0) for f in self.files], default=0) + 1

    def small_task(self) -> SmallPackage:
        """This package, small, as plain values for a worker process to make it."""
        notes = (
            note_values(note)
            for summary in self.files
            for note in file_notes(summary, self.identified, self.compiled, self.cache)
        )
        return list(notes), self.media(), self.first_card()

    def write(self, stream: BinaryIO, scratch: Path) -> None:
        files, identified = self.files, self.identified
        media = self.media()
        large = not built_in_memory(self.note_count)
        keep_at = self.cache.collection_path(self.target) if large else None
        kept = self.cache.kept_collection(self.target) if keep_at else None

        def file_rows(reuse: bool) -> Iterator[FileNotes | Reused]:
            for summary, key in zip(files, self.keys, strict=True):
                found = identified.identities[summary.place]
                placed = kept.placements.get(key) if reuse and kept else None
                if placed is not None and placed.notes == len(found):
                    yield Reused(key, placed, tuple(found.ids))
                else:
                    notes = file_notes(summary, identified, self.compiled, self.cache)
                    yield FileNotes(key, notes)

        first_card = self.first_card()
        count, parts = self.note_count, self.parts
        self.placements = write_package(
            stream, file_rows, media, scratch, count, first_card, parts, kept, keep_at, self.threads
        )


def genanki_parts(cache: BuildCache) -> GenankiParts:
    """genanki's parts of a package, as an earlier build kept them, else made (and kept)."""
    key = parts_key()
    data = cache.kept("genanki parts", key)
    if data is not None:
        with contextlib.suppress(ValueError, TypeError):
            return GenankiParts.from_data(data)
    parts = GenankiParts.made()
    cache.keep("genanki parts", key, parts.to_data())
    return parts


@dataclass(frozen=True)
class Written:
    packages: tuple[Path, ...]
    written: tuple[Path, ...]
    outputs: dict[str, tuple[int, int, str]]


PACKAGES_FOR_WORKERS = 100
"""Small packages to write that pay for starting worker processes to make them."""


def write_outputs(
    targets: dict[Path, list[FileSummary]],
    identified: Identified,
    compiled: Compiled,
    cache: BuildCache,
    previous: Manifest | None,
    workers: int | None = None,
) -> Written:
    """Write the packages whose content changed (or that are not as last written) and the
    lock files that changed, all or nothing. Many small packages are made in worker
    processes, in order, while this one writes them."""
    files: list[tuple[Path, object]] = []
    writers: list[PackageWriter] = []
    large: list[Path] = []  # packages whose collection is kept for the next build
    keys = {}
    parts = None
    threads = max(workers_for(True, workers), 1)
    for target, members in targets.items():
        count = sum(f.note_count for f in members)
        if not built_in_memory(count):
            large.append(target)
        rows_keys = [rows_key(summary, identified) for summary in members]
        keys[target] = package_key(rows_keys)
        known = previous.outputs.get(str(target)) if previous else None
        stamp = file_stamp(target)
        if known and stamp and (stamp[1], stamp[2], keys[target]) == tuple(known):
            continue  # already written, with this very content
        parts = parts or genanki_parts(cache)
        writer = PackageWriter(
            target, members, rows_keys, count, identified, compiled, cache, parts, threads=threads
        )
        writers.append(writer)
        files.append((target, writer.write))
    for lock in identified.locks:
        if lock.changed:
            files.append((lock.path, lock.lines))
    small = [w for w in writers if built_in_memory(w.note_count)]
    processes = workers_for(len(small) >= PACKAGES_FOR_WORKERS, workers) if small else 0
    with contextlib.ExitStack() as stack:
        staged: Iterable[tuple[Path, object]] = files
        if processes:
            pool = stack.enter_context(worker_pool(processes, start_package_worker, (parts,)))
            tasks = (writer.small_task() for writer in small)
            made = in_workers(pool, tasks, processes * 4, small_packages)
            in_memory = {writer.target for writer in small}
            staged = ((path, next(made) if path in in_memory else c) for path, c in files)
        write_files_atomically(staged)  # type: ignore[arg-type]
    for writer in writers:
        if writer.placements is not None:
            cache.keep_collection(writer.target, writer.placements)
    cache.forget_collections(large)
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
            inputs = [replace(item, data=None) for item in inputs]  # the notes' text let go
            targets, problems = output_targets(compiled, out)
            compiled.diagnostics += problems
            if compiled.failed or not compiled.note_count:
                return not_built(compiled, sources)
            identified = identify(sources, compiled, locks, now, cache)
            diagnostics = (*compiled.diagnostics, *identified.diagnostics)
            try:
                written = write_outputs(targets, identified, compiled, cache, previous, workers)
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
        message = "no notes found; nothing written"
        if not compiled.files:  # say which files are read: an org-mode folder, say
            kinds = ", ".join(f"`*{suffix}`" for suffix in SOURCE_SUFFIXES)
            message = f"no notes found: no file of notes here ({kinds}); nothing written"
        diagnostics.append(warning(where, message))
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


def diagnostics_of(manifest: Manifest) -> tuple[Diagnostic, ...]:
    return tuple(
        Diagnostic(Location(path, line, col), Severity(severity), message)
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
