"""Where Anki desktop keeps a profile's collection, found by Anki's own rules. No Anki import.

Anki's data folder ("base") is `ANKI_BASE` when set, else `%APPDATA%\\Anki2` on Windows,
`~/Library/Application Support/Anki2` on macOS, and `$XDG_DATA_HOME/Anki2` (default
`~/.local/share/Anki2`) elsewhere. Each profile is a folder of the base named after it,
holding `collection.anki2`; the profile names live in the base's `prefs21.db`. With one
profile, that is the one; with several, the student names one. (Anki itself opens the one
last loaded, but remembers it in a Python pickle, data that can run code when read: that
record is never read here.)
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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


def read_profiles(prefs: Path) -> list[str]:
    """The profile names in Anki's `prefs21.db` (only the names: each record's data is a
    pickle). Read-only: Anki may be running, and this file is Anki's."""
    connection = sqlite3.connect(f"{prefs.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
    try:
        names = [row[0] for row in connection.execute("SELECT name FROM profiles")]
    finally:
        connection.close()
    return sorted(name for name in names if name != "_global")


def find_collection(
    collection: Path | None,
    profile: str | None,
    platform: str,
    env: Mapping[str, str],
    home: Path,
) -> Found | NotFound:
    """The collection to sync: the file given, the profile named, or Anki's default
    profile (the only one)."""
    if collection is not None:
        if collection.is_dir():
            collection = collection / COLLECTION_NAME
        if not collection.is_file():
            return NotFound(f"no Anki collection at {collection}")
        return Found(collection, collection.parent / BACKUPS_NAME)

    base = default_base(platform, env, home)
    names: list[str] = []
    prefs = base / PREFS_NAME
    if prefs.is_file():
        with contextlib.suppress(sqlite3.Error):
            names = read_profiles(prefs)
    if profile is not None:
        matching = [name for name in names if name.casefold() == profile.casefold()]
        chosen = matching[0] if matching else profile
    elif len(names) == 1:
        chosen = names[0]
    elif names:
        listed = ", ".join(names)
        return NotFound(f"Anki has several profiles ({listed}); choose one with --profile NAME")
    else:
        return NotFound(
            f"no Anki profile found in {base} (set ANKI_BASE, or give --collection PATH)"
        )
    path = base / chosen / COLLECTION_NAME
    if not path.is_file():
        known = f" (profiles: {', '.join(names)})" if names else ""
        return NotFound(f'profile "{chosen}" has no collection at {path}{known}')
    return Found(path, path.parent / BACKUPS_NAME, chosen)
