"""The build cache: what each source file compiled to, so that a rebuild skips unchanged files,
and a manifest of the last build, so that a rebuild with nothing changed writes nothing.

It is data only (an sqlite database of JSON entries: nothing in it can run code when read),
and it lives in the user's own cache folder (`~/.cache/ankipress` on Linux, or
`ANKIPRESS_CACHE_DIR`), one database per output, never beside the notes: a repository or a
shared folder can't ship entries that a build would trust, and another user can't fill it
first. A folder or database owned by someone else, or writable by others, is never read.
The cache deletes nothing but its own entries, and is safe to delete at any time: a missing,
stale or damaged entry only means that the file is compiled again. Beside the database, a
large package's collection is kept as it was last written, so that the next build copies
its unchanged files' notes from it rather than inserting them again.

An entry's key covers everything its result depends on: ankipress's own code and version,
the versions of the libraries that render notes, the settings, and the file's bytes, path
and source folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import sqlite3
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import __version__
from .package import KeptCollection, Placement
from .patterns import lazy_pattern

RENDERING_LIBRARIES = ("markdown_it", "mdit_py_plugins", "pygments", "yaml")
VERSION_RE = lazy_pattern(r"""__version__\s*(?::\s*str\s*)?=\s*["']([^"']+)["']""")
SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    root TEXT, relpath TEXT, key TEXT, identities BLOB, block BLOB, max_mod INTEGER,
    max_id INTEGER, PRIMARY KEY (root, relpath)
);
CREATE TABLE IF NOT EXISTS locks (root TEXT PRIMARY KEY, digest TEXT NOT NULL);
"""


@cache
def code_digest() -> str:
    """ankipress's own code and version, and the versions of the libraries that render
    notes: a changed parser, or an upgraded Markdown library, never reuses old entries."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    for name in RENDERING_LIBRARIES:
        digest.update(f"\x1f{name}={library_version(name)}".encode())
    return digest.hexdigest()


@cache
def parts_key() -> str:
    """The cache key of genanki's parts of a package (see `package.GenankiParts`): from
    ankipress's code and genanki's own files, read without importing it."""
    digest = hashlib.sha256(f"genanki parts\x1f{code_digest()}".encode())
    try:
        spec = importlib.util.find_spec("genanki")
        folder = Path(spec.origin).parent if spec and spec.origin else None
        for path in sorted(folder.glob("*.py")) if folder else ():
            digest.update(path.read_bytes())
    except (ImportError, ValueError, OSError):
        digest.update(b"\x00unknown")
    return digest.hexdigest()[:32]


def library_version(name: str) -> str:
    """A library's `__version__` as its package states it, read without importing it (an
    import would slow every start-up); "" when it is not installed."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return ""
    if spec is None or spec.origin is None:
        return ""
    try:
        text = Path(spec.origin).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    found = VERSION_RE.search(text)
    return found[1] if found else spec.origin


def cache_home() -> Path | None:
    """The user's own folder for ankipress's cache, by the platform's rules; None when
    `ANKIPRESS_CACHE_DIR` is set to `off`."""
    chosen = os.environ.get("ANKIPRESS_CACHE_DIR")
    if chosen:
        return None if chosen.lower() in ("off", "0", "no") else Path(chosen)
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else home / "AppData" / "Local") / "ankipress" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "ankipress"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".cache"
    return base / "ankipress"


def private(path: Path, kind: int) -> bool:
    """Whether `path` is ours alone: of the given kind (not a link), owned by this user, and
    writable by nobody else. (Windows has no such modes; its per-user folder is private.)"""
    try:
        status = os.lstat(path)
    except OSError:
        return False
    if stat.S_IFMT(status.st_mode) != kind:
        return False
    if hasattr(os, "getuid"):
        return status.st_uid == os.getuid() and not status.st_mode & 0o022
    return True


def open_database(out: Path) -> sqlite3.Connection | None:
    """The cache database of one output, created if need be; None when it can't be had
    safely (then the build simply runs without a cache)."""
    home = cache_home()
    if home is None:
        return None
    try:
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    if not private(home, stat.S_IFDIR):
        return None
    name = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:20]
    path = home / f"build-{name}.sqlite"
    if os.path.lexists(path) and not private(path, stat.S_IFREG):
        return None
    try:
        if not os.path.lexists(path):
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("PRAGMA trusted_schema = OFF")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = OFF")  # a cache: losing it costs only time
        connection.executescript(SCHEMA)
        return connection
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            path.unlink()  # damaged (not a database): ours to replace next time
        return None


COLLECTION_RECORD = "collection "
"""How the name of a kept collection's record starts, before its package's path."""


def collection_record(package: Path) -> str:
    """The name, in the cache's `meta` table, of the record of a package's kept collection."""
    return f"{COLLECTION_RECORD}{package.resolve()}"


def file_identity(path: Path) -> list[int]:
    """[size, modification time, inode] of a file: it is the very file last seen if all
    three are the same (OSError when it is not there)."""
    status = os.stat(path)
    return [status.st_size, status.st_mtime_ns, status.st_ino]


@dataclass(frozen=True)
class FileStamp:
    """What a source file was when last read: if size, modification time and inode are the
    same, its digest is taken as the same (as make and git do)."""

    size: int
    mtime_ns: int
    inode: int
    digest: str


@dataclass(frozen=True)
class Manifest:
    """What the last successful build of an output wrote, and from what."""

    stamp: str
    """Hash of ankipress's code, the settings, the output path, every source file's digest
    and every lock file's bytes."""
    sources: dict[str, FileStamp]
    """Every source file read, by path."""
    outputs: dict[str, tuple[int, int, str]]
    """Every file written (packages, lock files): (size, modification time, content key)
    by path. A package whose content key is the same need not be written again."""
    media: tuple[tuple[str, int, int], ...]
    """Every media file bundled: (path, size, modification time)."""
    note_count: int
    diagnostics: tuple[tuple[str, int, int, str, str], ...]
    """What the build printed, to print again when nothing changed."""


class BuildCache:
    """Entries read from and written to one output's cache database. Without one (no safe
    folder for it, or a check that writes nothing), entries live in memory for one run."""

    def __init__(self, connection: sqlite3.Connection | None, folder: Path | None = None) -> None:
        self.connection = connection
        self.folder = folder if connection is not None else None
        """The cache folder (where large packages' collections are kept), when there is one."""
        self.memory: dict[str, bytes] = {}
        self.used: set[str] = set()
        self.known: set[str] = set()
        if connection is not None:
            try:
                self.known = {key for (key,) in connection.execute("SELECT key FROM entries")}
            except sqlite3.Error:
                self._lose()

    @classmethod
    def open(cls, out: Path) -> BuildCache:
        return cls(open_database(out), cache_home())

    def collection_path(self, package: Path) -> Path | None:
        """Where the collection of a package is kept for the next build (see
        `package.KeptCollection`); None without a cache folder."""
        if self.folder is None or self.connection is None:
            return None
        name = hashlib.sha256(str(package.resolve()).encode()).hexdigest()[:20]
        return self.folder / f"collection-{name}.anki2"

    def kept_collection(self, package: Path) -> KeptCollection | None:
        """The collection kept from the last build of this package, if it is still exactly
        the file that build left (same size, time and inode), private, and its record
        readable; else None."""
        path = self.collection_path(package)
        data = self.kept(collection_record(package), parts_key()) if path else None
        if path is None or data is None or not private(path, stat.S_IFREG):
            return None
        try:
            record = json.loads(data)
            if record["stamp"] != file_identity(path):
                return None
            placements = {
                str(key): Placement.from_data(value) for key, value in record["placements"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return KeptCollection(path, placements)

    def keep_collection(self, package: Path, placements: dict[str, Placement]) -> None:
        """Record the collection this build just kept (at `collection_path`) for the next
        build of `package`."""
        path = self.collection_path(package)
        if path is None:
            return
        try:
            stamp = file_identity(path)
        except OSError:
            return
        record = {
            "stamp": stamp,
            "placements": {key: value.to_data() for key, value in placements.items()},
        }
        data = json.dumps(record, ensure_ascii=False).encode()
        self.keep(collection_record(package), parts_key(), data)

    def forget_collections(self, kept_for: Iterable[Path]) -> None:
        """Remove the kept collections, and their records, of every package but those
        `kept_for`: packages this output no longer has, or no longer large (each would
        otherwise stay in the cache folder, tens of megabytes for a large deck)."""
        if self.connection is None:
            return
        keep = {collection_record(package) for package in kept_for}
        try:
            rows = self.connection.execute(
                "SELECT name FROM meta WHERE substr(name, 1, ?) = ?",
                (len(COLLECTION_RECORD), COLLECTION_RECORD),
            ).fetchall()
        except sqlite3.Error:
            self._lose()
            return
        for (name,) in rows:
            if name in keep:
                continue
            path = self.collection_path(Path(name.removeprefix(COLLECTION_RECORD)))
            if path is not None:
                with contextlib.suppress(OSError):
                    path.unlink()
            self._run("DELETE FROM meta WHERE name = ?", name)

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self.connection.close()
            self.connection = None
        self.memory.clear()

    def __enter__(self) -> BuildCache:
        """One transaction for the whole build: committed at the end, whatever the outcome
        (what the files compiled to stays true even when the build stops at an error)."""
        self._run("BEGIN")
        return self

    def __exit__(self, *_: object) -> None:
        self._run("COMMIT")
        self.close()

    def _query(self, sql: str, *args: object) -> tuple | None:
        if self.connection is None:
            return None
        try:
            return self.connection.execute(sql, args).fetchone()
        except sqlite3.Error:
            self._lose()
            return None

    def _run(self, sql: str, *args: object) -> None:
        if self.connection is None:
            return
        try:
            self.connection.execute(sql, args)
        except sqlite3.Error:
            self._lose()

    def _lose(self) -> None:
        """Damaged or unwritable (a full disk): go on without the database. What this build
        put in it so far is lost with it, so nothing is trusted from it any more."""
        with contextlib.suppress(sqlite3.Error):
            self.connection.close()  # type: ignore[union-attr]
        self.connection = None
        self.lost = True

    lost = False
    """Whether the database failed during this build (its entries are then unknown)."""

    def has(self, key: str) -> bool:
        """Whether the entry is there; it is kept by this build's pruning."""
        self.used.add(key)
        if self.connection is None:
            return key in self.memory
        return key in self.known

    def get(self, key: str) -> bytes | None:
        if self.connection is None:
            return self.memory.get(key)
        row = self._query("SELECT data FROM entries WHERE key = ?", key)
        return bytes(row[0]) if row is not None else self.memory.get(key)

    def forget(self, key: str) -> None:
        self.memory.pop(key, None)
        self.known.discard(key)
        self._run("DELETE FROM entries WHERE key = ?", key)

    def put(self, key: str, data: bytes) -> None:
        self.used.add(key)
        if self.connection is None:
            self.memory[key] = data
            return
        self._run("INSERT OR REPLACE INTO entries (key, data) VALUES (?, ?)", key, data)
        self.known.add(key)
        if self.connection is None:  # the write failed: keep it for this build
            self.memory[key] = data

    def after_failed_write(self, full: bool) -> None:
        """The build's outputs could not be written: the manifest no longer says what is on
        disk; on a full disk, the entries this build did not use are released first."""
        self.forget_manifest()
        if full:
            self.prune()

    def prune(self) -> None:
        """Forget the entries this build did not use (files changed or gone since)."""
        stale = self.known - self.used
        if self.connection is None or not stale:
            return
        try:
            self.connection.executemany("DELETE FROM entries WHERE key = ?", ((k,) for k in stale))
        except sqlite3.Error:
            self._lose()
        self.known -= stale

    def manifest(self) -> Manifest | None:
        row = self._query("SELECT value FROM meta WHERE name = 'manifest'")
        if row is None:
            return None
        try:
            data = json.loads(row[0])
            return Manifest(
                stamp=str(data["stamp"]),
                sources={path: FileStamp(*stamp) for path, stamp in data["sources"].items()},
                outputs={path: tuple(value) for path, value in data["outputs"].items()},
                media=tuple(tuple(item) for item in data["media"]),
                note_count=int(data["note_count"]),
                diagnostics=tuple(tuple(item) for item in data["diagnostics"]),
            )
        except (ValueError, KeyError, TypeError):
            return None

    def save_manifest(self, manifest: Manifest) -> None:
        data = {
            "stamp": manifest.stamp,
            "sources": {
                path: [s.size, s.mtime_ns, s.inode, s.digest]
                for path, s in manifest.sources.items()
            },
            "outputs": {path: list(value) for path, value in manifest.outputs.items()},
            "media": [list(item) for item in manifest.media],
            "note_count": manifest.note_count,
            "diagnostics": [list(item) for item in manifest.diagnostics],
        }
        self._run(
            "INSERT OR REPLACE INTO meta (name, value) VALUES ('manifest', ?)",
            json.dumps(data, ensure_ascii=False).encode(),
        )

    def kept(self, name: str, key: str) -> bytes | None:
        """What `keep` kept under this name with this key (None when the key changed)."""
        row = self._query("SELECT value FROM meta WHERE name = ?", name)
        stamp = key.encode() + b"\n"
        if row is None or not bytes(row[0]).startswith(stamp):
            return None
        return bytes(row[0])[len(stamp) :]

    def keep(self, name: str, key: str, value: bytes) -> None:
        """Data the build works out once for many builds (not from any source file)."""
        self._run(
            "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)",
            name,
            key.encode() + b"\n" + value,
        )

    def forget_manifest(self) -> None:
        self._run("DELETE FROM meta WHERE name = 'manifest'")
        self._run("DELETE FROM locks")

    def folder_state(self, root: Path) -> FolderState | None:
        """What the last build left of a source folder (None when unknown)."""
        row = self._query("SELECT digest FROM locks WHERE root = ?", str(root))
        if row is None or self.connection is None:
            return None
        try:
            rows = self.connection.execute(
                "SELECT relpath, key, identities, block, max_mod, max_id FROM files WHERE root = ?",
                (str(root),),
            ).fetchall()
        except sqlite3.Error:
            self._lose()
            return None
        files = {
            rel: FileState(key, bytes(ids), bytes(block), mod, id_)
            for rel, key, ids, block, mod, id_ in rows
        }
        return FolderState(row[0], files)

    def save_folder_state(
        self,
        root: Path,
        lock_digest: str,
        changed: dict[str, FileState],
        gone: Iterable[str],
        whole: bool,
    ) -> None:
        """Record a source folder as this build leaves it: `changed` files' states, `gone`
        files forgotten; `whole` replaces every file's state."""
        if self.connection is None:
            return
        try:
            if whole:
                self.connection.execute("DELETE FROM files WHERE root = ?", (str(root),))
            self.connection.executemany(
                "DELETE FROM files WHERE root = ? AND relpath = ?",
                ((str(root), rel) for rel in gone),
            )
            self.connection.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (str(root), rel, f.key, f.identities, f.block, f.max_mod, f.max_id)
                    for rel, f in changed.items()
                ),
            )
            self.connection.execute(
                "INSERT OR REPLACE INTO locks VALUES (?, ?)", (str(root), lock_digest)
            )
        except sqlite3.Error:
            self._lose()


@dataclass(frozen=True)
class FileState:
    """One source file as the last build left it: the key of what it compiled to, its
    notes' identities (JSON), and its lines of the lock file with their highest mod and id."""

    key: str
    identities: bytes
    block: bytes
    max_mod: int
    max_id: int


@dataclass(frozen=True)
class FolderState:
    """A source folder as the last build left it: the digest of the lock file it wrote, and
    each file's state. Valid as long as the lock file on disk has that digest."""

    lock_digest: str
    files: dict[str, FileState]


def entry_key(digest: str, relpath: str, root: Path, display: str, settings: object) -> str:
    parts = (code_digest(), digest, relpath, str(root), display, repr(settings))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def build_stamp(parts: Iterable[object]) -> str:
    digest = hashlib.sha256(code_digest().encode())
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\x1f")
    return digest.hexdigest()
