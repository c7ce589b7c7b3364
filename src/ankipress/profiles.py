"""Where Anki desktop keeps a profile's collection, found by Anki's own rules. No Anki import.

Anki's data folder ("base") is `ANKI_BASE` when set, else `%APPDATA%\\Anki2` on Windows,
`~/Library/Application Support/Anki2` on macOS, and `$XDG_DATA_HOME/Anki2` (default
`~/.local/share/Anki2`) elsewhere. Each profile is a folder of the base named after it,
holding `collection.anki2`; the profile names live in the base's `prefs21.db`. At start-up
Anki opens the only profile, or else the one last loaded (remembered in that file's global
record, a Python pickle: read here opcode by opcode, never unpickled).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from pickletools import genops  # reads a pickle's opcodes only; nothing is unpickled

PREFS_NAME = "prefs21.db"
COLLECTION_NAME = "collection.anki2"
BACKUPS_NAME = "backups"


@dataclass(frozen=True)
class Found:
    """A collection file, and the folder Anki keeps its backups in."""

    collection: Path
    backups: Path
    profile: str | None = None
    """The profile's name, when the collection was found through one."""


@dataclass(frozen=True)
class NotFound:
    """Why no collection could be found (a sentence for the student)."""

    message: str


def default_base(platform: str, env: Mapping[str, str], home: Path) -> Path:
    """Anki's data folder on `platform` (a `sys.platform` value), as Anki works it out."""
    if env.get("ANKI_BASE"):
        return Path(env["ANKI_BASE"])
    if platform == "win32":
        appdata = env.get("APPDATA") or str(home / "AppData" / "Roaming")
        return Path(appdata) / "Anki2"
    if platform == "darwin":
        return home / "Library" / "Application Support" / "Anki2"
    data = env.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return Path(data) / "Anki2"


def read_profiles(prefs: Path) -> tuple[list[str], str | None]:
    """The profile names in Anki's `prefs21.db`, and the last loaded one (None if unknown).
    Read-only: Anki may be running, and this file is Anki's."""
    connection = sqlite3.connect(f"{prefs.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
    try:
        names = [row[0] for row in connection.execute("SELECT name FROM profiles")]
        row = connection.execute(
            "SELECT CAST(data AS BLOB) FROM profiles WHERE name = '_global'"
        ).fetchone()
    finally:
        connection.close()
    last = pickled_string_after(row[0], "last_loaded_profile_name") if row and row[0] else None
    return sorted(name for name in names if name != "_global"), last


def pickled_string_after(data: bytes, key: str) -> str | None:
    """In a pickled dict of strings, the string value stored under `key`, found by reading
    the pickle's opcodes (nothing is executed or built). None when it is not there."""
    memo: list[object] = []
    last: object = None
    after_key = False
    try:
        for opcode, arg, _ in genops(data):
            if opcode.name == "MEMOIZE":
                memo.append(last)
                continue
            if opcode.name in ("BINPUT", "LONG_BINPUT", "PUT"):
                index = int(arg)
                memo.extend([None] * (index + 1 - len(memo)))
                memo[index] = last
                continue
            if opcode.name in ("BINGET", "LONG_BINGET", "GET"):
                index = int(arg)
                value = memo[index] if index < len(memo) else None
            elif isinstance(arg, str) and "UNICODE" in opcode.name:
                value = arg
            else:
                value = None
            if after_key:
                return value if isinstance(value, str) else None
            after_key = value == key
            last = value
    except (ValueError, IndexError):
        return None
    return None


def find_collection(
    collection: Path | None,
    profile: str | None,
    platform: str,
    env: Mapping[str, str],
    home: Path,
) -> Found | NotFound:
    """The collection to sync: the file given, the profile named, or Anki's default
    profile (the only one, else the one last loaded)."""
    if collection is not None:
        if collection.is_dir():
            collection = collection / COLLECTION_NAME
        if not collection.is_file():
            return NotFound(f"no Anki collection at {collection}")
        return Found(collection, collection.parent / BACKUPS_NAME)

    base = default_base(platform, env, home)
    names: list[str] = []
    last = None
    prefs = base / PREFS_NAME
    if prefs.is_file():
        with contextlib.suppress(sqlite3.Error):
            names, last = read_profiles(prefs)
    if profile is not None:
        matching = [name for name in names if name.casefold() == profile.casefold()]
        chosen = matching[0] if matching else profile
    elif len(names) == 1:
        chosen = names[0]
    elif last in names:
        chosen = last
    elif names:
        listed = ", ".join(names)
        return NotFound(
            f"Anki has several profiles ({listed}) and none was last opened; "
            "choose one with --profile NAME"
        )
    else:
        return NotFound(
            f"no Anki profile found in {base} (set ANKI_BASE, or give --collection PATH)"
        )
    path = base / chosen / COLLECTION_NAME
    if not path.is_file():
        known = f" (profiles: {', '.join(names)})" if names else ""
        return NotFound(f'profile "{chosen}" has no collection at {path}{known}')
    return Found(path, path.parent / BACKUPS_NAME, chosen)
