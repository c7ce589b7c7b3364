"""The whole build, top to bottom: read → parse → render → identify → package.

Each stage is a plain function over frozen records; this module only composes them and
collects their diagnostics. Nothing is written unless every file is free of errors.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import BinaryIO, TypeVar
from urllib.parse import quote

from .cache import Entry, Manifest, RenderCache, build_stamp, cache_folder, entry_key
from .identity import (
    LockEntry,
    PackedNote,
    assign_identities,
    describe_changes,
    format_lock,
    parse_lock,
)
from .package import write_files_atomically, write_package
from .parse import ParsedFile, find_duplicates, parse, style_warnings
from .records import Diagnostic, Location, MediaFile, RenderedNote, SourceFile, error, warning
from .render import (
    DEFAULT_SETTINGS,
    RenderSettings,
    empty_card_problems,
    render,
    with_media_names,
)
from .sources import (
    LOCK_NAME,
    FoundFile,
    discover,
    display_path,
    file_digest,
    file_stamp,
    load_media,
    read_source,
    read_text_if_exists,
)

T = TypeVar("T")
Progress = Callable[[Sequence[T], str], AbstractContextManager[Iterable[T]]]


def no_progress(items: Sequence[T], label: str) -> AbstractContextManager[Iterable[T]]:
    return contextlib.nullcontext(items)


@dataclass(frozen=True)
class Loaded:
    """Every source file read and parsed, with every diagnostic so far."""

    parsed: tuple[ParsedFile, ...]
    diagnostics: tuple[Diagnostic, ...]
    cached: dict[int, tuple[RenderedNote, ...]] = field(default_factory=dict)
    """Rendered notes taken from the cache, by position in `parsed`."""


@dataclass(frozen=True)
class BuildReport:
    diagnostics: tuple[Diagnostic, ...]
    packages: tuple[Path, ...] = ()
    """Packages written (none when there were errors)."""
    note_count: int = 0
    removed: tuple[LockEntry, ...] = ()
    """Notes the lock file knew that are no longer in the sources (Anki keeps them)."""
    up_to_date: bool = False
    """Nothing changed since the last build: the packages were left as they were."""

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def load(
    found: Sequence[FoundFile],
    settings: RenderSettings = DEFAULT_SETTINGS,
    cache: RenderCache | None = None,
) -> Loaded:
    """Read and parse every source file found; problems become diagnostics, never exceptions.

    With a cache, a file whose entry is there is not parsed again: its entry holds its
    parse and rendered notes.
    """
    parsed: list[ParsedFile] = []
    cached: dict[int, tuple[RenderedNote, ...]] = {}
    diagnostics: list[Diagnostic] = []
    for file in found:
        source, problems = read_source(file)
        diagnostics += problems
        if source is None:
            continue
        entry = cache.get(entry_key(source, settings)) if cache is not None else None
        if entry is not None:
            cached[len(parsed)] = entry.rendered
            result = entry.parsed
        else:
            result = parse(source)
        parsed.append(result)
        diagnostics += result.diagnostics
    notes = [note for result in parsed for note in result.notes]
    diagnostics += find_duplicates(notes)
    diagnostics += style_warnings(notes)
    return Loaded(tuple(parsed), tuple(diagnostics), cached)


def render_all(
    loaded: Loaded,
    settings: RenderSettings,
    progress: Progress = no_progress,
    cache: RenderCache | None = None,
) -> list[RenderedNote]:
    """Every note's fields, in source order; cached files are taken from the cache."""
    pending = [
        (note, result.source.root)
        for position, result in enumerate(loaded.parsed)
        if position not in loaded.cached
        for note in result.notes
    ]
    with progress(pending, "Rendering notes") as items:
        fresh = iter([render(note, root, settings) for note, root in items])
    rendered: list[RenderedNote] = []
    for position, result in enumerate(loaded.parsed):
        if position in loaded.cached:
            rendered += loaded.cached[position]
            continue
        notes = tuple(next(fresh) for _ in result.notes)
        if cache is not None:
            cache.put(entry_key(result.source, settings), Entry(result, notes))
        rendered += notes
    return rendered


def locate(source: SourceFile, note: RenderedNote, target: str) -> Location:
    """Where a media reference stands: its first mention at or after the note's line."""
    for index in range(note.location.line - 1, len(source.lines)):
        for written in (target, quote(target)):
            col = source.lines[index].find(written)
            if col >= 0:
                return source.location(index, col + 1)
    return note.location


def bundle_media(
    loaded: Loaded, rendered: list[RenderedNote]
) -> tuple[list[RenderedNote], dict[str, MediaFile], list[Diagnostic]]:
    """Read every local image and audio file the notes refer to; name them for the package."""
    sources = {(r.source.root, r.source.relpath): r.source for r in loaded.parsed}
    files: dict[str, MediaFile] = {}
    read: dict[tuple[Path, str], MediaFile | str] = {}
    diagnostics: list[Diagnostic] = []
    linked = []
    for note in rendered:
        if not note.media_targets:
            linked.append(note)
            continue
        source = sources[(note.root, note.relpath)]
        names = []
        for target in note.media_targets:
            key = (source.path.parent, target)
            if key not in read:
                read[key] = load_media(target, source.path, source.root)
            media = read[key]
            if isinstance(media, str):
                diagnostics.append(error(locate(source, note, target), media))
                names.append("")
            else:
                files[media.name] = media
                names.append(media.name)
        linked.append(with_media_names(note, tuple(names)))
    return linked, files, diagnostics


@dataclass(frozen=True)
class Prepared:
    """Everything read and rendered, ready to package (if no diagnostic is an error)."""

    loaded: Loaded
    notes: tuple[RenderedNote, ...]
    media: dict[str, MediaFile]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def prepare(
    sources: Sequence[Path],
    settings: RenderSettings = DEFAULT_SETTINGS,
    progress: Progress = no_progress,
    cache: RenderCache | None = None,
    found: Sequence[FoundFile] | None = None,
) -> Prepared:
    """Find → read → parse → render → bundle media: everything short of identities and
    writing. `found` saves finding the files again when the caller already has."""
    loaded = load(discover(sources) if found is None else found, settings, cache)
    rendered = render_all(loaded, settings, progress, cache)
    empty = [
        error(note.location, problem) for note in rendered for problem in empty_card_problems(note)
    ]
    linked, media, problems = bundle_media(loaded, rendered)
    return Prepared(loaded, tuple(linked), media, (*loaded.diagnostics, *empty, *problems))


@dataclass(frozen=True)
class LockUpdate:
    """One source folder's lock file: as it is on disk and as the build writes it."""

    path: Path
    before: str | None
    after: str
    changes: str
    """What differs, in words (e.g. "2 notes added, 1 changed")."""


@dataclass(frozen=True)
class Identified:
    """Every note with its identity, and each source folder's lock file after the build."""

    packed: tuple[PackedNote, ...]
    locks: tuple[LockUpdate, ...]
    removed: tuple[LockEntry, ...]
    diagnostics: tuple[Diagnostic, ...]


def identify(sources: Sequence[Path], prepared: Prepared, now: float) -> Identified:
    """Give every note its GUID, id and mod from its source folder's lock file.

    Entries of files that are gone (absent from disk, or not found in a build of the whole
    folder) can be continued by renamed or moved notes; those of files merely left out of
    this build are kept as they are.
    """
    walked = {source for source in sources if source.is_dir()}
    roots = sorted({note.root for note in prepared.notes}, key=str)
    packed: list[PackedNote] = []
    locks, removed, diagnostics = [], [], []
    for root in roots:
        lock_path = root / LOCK_NAME
        before = read_text_if_exists(lock_path)
        lock, problems = parse_lock(before or "", display_path(lock_path))
        built = {r.source.relpath for r in prepared.loaded.parsed if r.source.root == root}
        gone = {
            entry.file
            for entry in lock
            if entry.file not in built and (root in walked or not (root / entry.file).is_file())
        }
        notes = [note for note in prepared.notes if note.root == root]
        reserved = {item.guid for item in packed}
        result = assign_identities(notes, lock, now, built, gone, reserved)
        packed += result.packed
        after = format_lock(result.entries)
        locks.append(LockUpdate(lock_path, before, after, describe_changes(lock, result.entries)))
        removed += result.removed
        diagnostics += [*problems, *result.diagnostics]
    return Identified(tuple(packed), tuple(locks), tuple(removed), tuple(diagnostics))


def check(
    sources: Sequence[Path],
    settings: RenderSettings = DEFAULT_SETTINGS,
    locked: bool = False,
    now: float = 0.0,
) -> BuildReport:
    """Everything a build does short of writing: all the diagnostics a build would give.

    With `locked`, also an error for each lock file that the build would change.
    """
    prepared = prepare(sources, settings)
    if not locked or prepared.failed or not prepared.notes:
        return BuildReport(prepared.diagnostics, (), len(prepared.notes))
    identified = identify(sources, prepared, now)
    stale = [
        error(
            Location(display_path(lock.path), 1),
            (
                f"not up to date with the notes ({lock.changes})"
                if lock.before is not None
                else "missing"
            )
            + "; run `ankipress build` and commit it",
        )
        for lock in identified.locks
        if lock.before != lock.after
    ]
    diagnostics = (*prepared.diagnostics, *identified.diagnostics, *stale)
    return BuildReport(diagnostics, (), len(prepared.notes), identified.removed)


def output_paths(loaded: Loaded, out: Path) -> tuple[dict[str, Path], list[Diagnostic]]:
    """One package per source file under `out`, mirroring sub-folders: relpath → package."""
    targets: dict[str, Path] = {}
    taken: dict[Path, str] = {}
    diagnostics = []
    for result in loaded.parsed:
        source = result.source
        target = out / Path(source.relpath).with_suffix(".apkg")
        if target in taken:
            diagnostics.append(
                error(
                    Location(source.display, 1),
                    f"{taken[target]} is also written to {display_path(target)}; "
                    "build them into separate output folders",
                )
            )
        taken.setdefault(target, source.display)
        targets[f"{source.root}\x00{source.relpath}"] = target
    return targets, diagnostics


def build(
    sources: Sequence[Path],
    out: Path,
    now: float,
    settings: RenderSettings = DEFAULT_SETTINGS,
    progress: Progress = no_progress,
) -> BuildReport:
    """Build every deck; write the packages and lock files only if no file has an error.

    When nothing changed since the last build of `out` (sources, lock files, media, and
    the packages themselves), nothing is written: the packages are already what this build
    would write.
    """
    cache = RenderCache(cache_folder(out))
    found = discover(sources)
    roots = sorted({file.root for file in found}, key=str)
    locks_before = {root: read_text_if_exists(root / LOCK_NAME) for root in roots}
    previous = cache.manifest(out)
    if previous is not None and up_to_date(previous, stamp_of(found, out, settings, locks_before)):
        return BuildReport(previous.diagnostics, (), previous.note_count, up_to_date=True)

    prepared = prepare(sources, settings, progress, cache, found)
    loaded, rendered = prepared.loaded, prepared.notes
    diagnostics = list(prepared.diagnostics)
    single_package = out.suffix.lower() == ".apkg"
    targets: dict[str, Path] = {}
    if not single_package:
        targets, problems = output_paths(loaded, out)
        diagnostics += problems

    if any(d.is_error for d in diagnostics):
        return BuildReport(tuple(diagnostics))
    if not rendered:
        where = Location(display_path(sources[0]) if sources else ".", 1)
        diagnostics.append(warning(where, "no notes found; nothing written"))
        return BuildReport(tuple(diagnostics))

    identified = identify(sources, prepared, now)
    diagnostics += identified.diagnostics
    packed = list(identified.packed)
    files = [(lock.path, lock.after.encode()) for lock in identified.locks]

    def package(items: list) -> Callable[[BinaryIO, Path], None]:
        names = sorted({name for item in items for name in item.note.media_names})
        media = [(name, prepared.media[name].data) for name in names]
        return lambda stream, scratch: write_package(stream, items, media, scratch)

    if single_package:
        files.insert(0, (out, package(packed)))
    else:
        by_target: dict[Path, list] = {}
        for item in packed:
            target = targets[f"{item.note.root}\x00{item.note.relpath}"]
            by_target.setdefault(target, []).append(item)
        files[:0] = [(target, package(items)) for target, items in by_target.items()]

    write_files_atomically(files)
    written = tuple(path for path, _ in files if path.suffix == ".apkg")
    locks_after = locks_before | {lock.path.parent: lock.after for lock in identified.locks}
    manifest = Manifest(
        stamp=stamp_of(found, out, settings, locks_after),
        outputs=tuple(file_stamp(path) for path in written),
        media=tuple(file_stamp(media.path) for media in prepared.media.values()),
        packages=written,
        note_count=len(rendered),
        diagnostics=tuple(diagnostics),
    )
    with contextlib.suppress(OSError):  # the cache only saves time; failing to keep it is fine
        cache_files = chain(cache.files_to_write(), [cache.manifest_file(out, manifest)])
        write_files_atomically(cache_files, durable=False)
        cache.prune()
    return BuildReport(tuple(diagnostics), written, len(rendered), identified.removed)


def stamp_of(
    found: Sequence[FoundFile], out: Path, settings: RenderSettings, locks: dict[Path, str | None]
) -> str:
    """What a build's result depends on, apart from media files (checked by their stamps)."""
    parts: list[object] = [repr(settings), str(out.resolve()), str(Path.cwd())]
    parts += [(str(f.root), str(f.path), file_digest(f.path)) for f in found]
    parts += [(str(root), locks[root]) for root in sorted(locks, key=str)]
    return build_stamp(parts)


def up_to_date(manifest: Manifest, stamp: str) -> bool:
    return (
        manifest.stamp == stamp
        and bool(manifest.outputs)
        and all(s is not None and file_stamp(s[0]) == s for s in manifest.outputs)
        and all(s is not None and file_stamp(s[0]) == s for s in manifest.media)
    )


def preview(
    sources: Sequence[Path], settings: RenderSettings = DEFAULT_SETTINGS
) -> tuple[str | None, tuple[Diagnostic, ...]]:
    """The preview page of every card, or None (with the errors) when the notes have errors."""
    from .preview import render_page

    prepared = prepare(sources, settings)
    if prepared.failed:
        return None, prepared.diagnostics
    return render_page(prepared.notes, prepared.media), prepared.diagnostics


def explain(path: Path) -> tuple[ParsedFile | None, tuple[Diagnostic, ...]]:
    """How one file is read, line by line, with its own diagnostics."""
    found = discover([path])
    if not found:
        return None, ()
    source, problems = read_source(found[0])
    if source is None:
        return None, tuple(problems)
    result = parse(source)
    return result, (*problems, *result.diagnostics)
