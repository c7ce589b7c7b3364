"""The render cache: what each source file became, so that a rebuild skips unchanged files.

It also keeps a manifest of the last build of each output: when nothing it was made from
has changed and the packages are still there as written, a rebuild writes nothing.

It lives in `.cache` inside the output folder (beside a single output package), holds one
entry per source file, and is safe to delete: a missing, stale or damaged entry only means
that file is parsed and rendered again. An entry's name is a hash of everything the result
depends on (ankipress's own code, the file's bytes, path and source folder, and the render
settings), so a changed file, setting or version never meets an old entry.

This module is the one exception to "only sources.py reads, only package.py writes": it
reads and writes its own folder and nothing else.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import __version__
from .parse import ParsedFile
from .records import Diagnostic, RenderedNote, SourceFile

SUFFIX = ".entry"


@cache
def code_digest() -> str:
    """A hash of ankipress's own code, so that a changed parser never reuses old entries."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Entry:
    """A source file's parse and its rendered notes (media placeholders not yet linked)."""

    parsed: ParsedFile
    rendered: tuple[RenderedNote, ...]


def cache_folder(out: Path) -> Path:
    return (out.parent if out.suffix.lower() == ".apkg" else out) / ".cache"


def entry_key(source: SourceFile, settings: object) -> str:
    parts = (code_digest(), source.digest, source.relpath, str(source.root))
    parts += (source.display, repr(settings))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Manifest:
    """What the last successful build wrote, and from what: if the sources, the lock files
    and the media are all as they were, and the packages too, the build has nothing to do."""

    stamp: str
    """Hash of ankipress's code, the settings, the output path, every source file's bytes
    and every lock file's text."""
    outputs: tuple[tuple[str, int, int] | None, ...]
    media: tuple[tuple[str, int, int] | None, ...]
    packages: tuple[Path, ...]
    note_count: int
    diagnostics: tuple[Diagnostic, ...]


def build_stamp(parts: Iterable[object]) -> str:
    digest = hashlib.sha256(code_digest().encode())
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\x1f")
    return digest.hexdigest()


class RenderCache:
    """Entries read from and written to one cache folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.new: dict[str, Entry] = {}

    def get(self, key: str) -> Entry | None:
        self.used.add(key)
        try:
            entry = pickle.loads((self.folder / (key + SUFFIX)).read_bytes())
        except Exception:  # missing or damaged: the file is simply rendered again
            return None
        return entry if isinstance(entry, Entry) else None

    def put(self, key: str, entry: Entry) -> None:
        self.used.add(key)
        self.new[key] = entry

    def manifest_path(self, out: Path) -> Path:
        name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]
        return self.folder / f"build-{name}.manifest"

    def manifest(self, out: Path) -> Manifest | None:
        try:
            manifest = pickle.loads(self.manifest_path(out).read_bytes())
        except Exception:  # missing or damaged: the build simply runs
            return None
        return manifest if isinstance(manifest, Manifest) else None

    def manifest_file(self, out: Path, manifest: Manifest) -> tuple[Path, bytes]:
        return self.manifest_path(out), pickle.dumps(manifest, protocol=pickle.HIGHEST_PROTOCOL)

    def files_to_write(self) -> Iterator[tuple[Path, bytes]]:
        """New entries, pickled one at a time as they are written (never all in memory)."""
        for key, entry in self.new.items():
            yield self.folder / (key + SUFFIX), pickle.dumps(entry, pickle.HIGHEST_PROTOCOL)

    def stale(self) -> Iterable[Path]:
        """Entries this build did not use (files gone or changed since)."""
        if not self.folder.is_dir():
            return []
        return [p for p in self.folder.glob("*" + SUFFIX) if p.stem not in self.used]

    def prune(self) -> None:
        for path in self.stale():
            with contextlib.suppress(OSError):
                path.unlink()
