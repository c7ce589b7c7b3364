"""Finding and reading source files: the only module that reads the notes from disk.

Decoding follows what students' editors produce: UTF-8 with or without a BOM, UTF-16 with
a BOM, and otherwise Windows-1252 (Word and old Windows editors), with a warning. Line
endings are unified and the text normalised to NFC so that the same visible text is always
the same string.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from .records import Diagnostic, FrontMatter, Location, MediaFile, SourceFile, error, warning

SOURCE_SUFFIXES = (".md", ".markdown", ".txt")
LOCK_NAME = "ankipress.lock"
# Control characters (tab and newline aside) come from PDFs and terminals, never from notes.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FRONT_MATTER_KEYS = {
    "deck": str,
    "tags": list,
    "cloze": str,
    "lang": str,
    "id": str,
    "html": bool,
}


@dataclass(frozen=True)
class FoundFile:
    """A source file found on disk, with the source folder it belongs to."""

    path: Path
    root: Path


def display_path(path: Path) -> str:
    """A path as diagnostics show it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def source_folder_of(file: Path) -> Path:
    """The source folder of a file built on its own: the nearest folder above it holding a
    lock file (so that `build content/psycho/x.txt` names its deck and keeps its identities
    as a build of `content` does), else its own folder."""
    folder = file.parent
    for candidate in (folder, *folder.parents):
        if (candidate / LOCK_NAME).is_file():
            return candidate
    return folder


def discover(sources: Iterable[Path]) -> list[FoundFile]:
    """Every source file under the given files and folders, sorted, without duplicates.

    Names starting with `.` or `_` are skipped at any depth below a source folder, so
    drafts (`_draft.md`) and editor files (`.notes.md.swp`) stay out of the deck.
    """
    found: dict[Path, FoundFile] = {}
    for source in sources:
        if source.is_dir():
            root = source
            for dirpath, dirnames, filenames in os.walk(source):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
                for name in sorted(filenames):
                    if name.startswith((".", "_")) or not name.lower().endswith(SOURCE_SUFFIXES):
                        continue
                    path = Path(dirpath, name)
                    found.setdefault(path.resolve(), FoundFile(path, root))
        else:
            found.setdefault(source.resolve(), FoundFile(source, source_folder_of(source)))
    return sorted(found.values(), key=lambda f: (str(f.root), f.path.relative_to(f.root).parts))


def decode(data: bytes, where: Location) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: UTF-16 with BOM, UTF-8 (BOM optional), else Windows-1252 with a warning."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            return None, [error(where, f"invalid UTF-16 text ({exc.reason})")]
    if b"\x00" in data:
        return None, [error(where, "not a text file (it holds NUL bytes)")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        return None, [
            error(where, f"cannot decode: neither UTF-8 nor Windows-1252 (byte {exc.start})")
        ]
    return text, [
        warning(where, "not valid UTF-8; read as Windows-1252 (save the file as UTF-8 to be sure)")
    ]


def split_lines(text: str) -> tuple[str, ...]:
    """Lines without endings; CRLF, CR and LF all end a line.

    A BOM left mid-file (files pasted together) and control characters are dropped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = unicodedata.normalize("NFC", text)
    if CONTROL_RE.search(text):
        text = CONTROL_RE.sub("", text)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(lines)


def read_front_matter(lines: tuple[str, ...], display: str) -> tuple[FrontMatter, list[Diagnostic]]:
    """Parse and validate the YAML block between `---` lines at the very top, if any."""
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter(), []
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    except StopIteration:
        return FrontMatter(), [
            error(Location(display, 1), "front matter is not closed by a `---` line")
        ]
    line_count = end + 1
    block = "\n".join(lines[1:end])
    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(display, mark.line + 2, mark.column + 1) if mark else Location(display, 1)
        problem = getattr(exc, "problem", None) or str(exc)
        return FrontMatter(line_count=line_count), [
            error(where, f"front matter is not valid YAML: {problem}")
        ]
    if data is None:
        return FrontMatter(line_count=line_count), []
    if not isinstance(data, dict):
        return FrontMatter(line_count=line_count), [
            error(Location(display, 2), "front matter must be `key: value` lines")
        ]

    key_lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + 2

    diagnostics: list[Diagnostic] = []
    values: dict[str, object] = {}
    for key, value in data.items():
        where = Location(display, key_lines.get(str(key), 2))
        expected = FRONT_MATTER_KEYS.get(str(key))
        if expected is None:
            known = ", ".join(FRONT_MATTER_KEYS)
            diagnostics.append(error(where, f"unknown front matter key `{key}` (known: {known})"))
            continue
        if key == "tags" and isinstance(value, str):
            value = value.split()
        if key in ("deck", "id", "lang") and isinstance(value, int | float):
            value = str(value)
        if not isinstance(value, expected):
            diagnostics.append(error(where, f"front matter `{key}` must be {_type_name(expected)}"))
            continue
        if key == "tags" and not all(isinstance(t, str | int | float) for t in value):
            diagnostics.append(error(where, "front matter `tags` must be a list of words"))
            continue
        if key == "cloze" and value != "lists":
            diagnostics.append(error(where, "front matter `cloze` can only be `lists`"))
            continue
        if key in ("deck", "id") and not str(value).strip():
            diagnostics.append(error(where, f"front matter `{key}` is empty"))
            continue
        values[key] = value

    tags = tuple(clean_tag(str(t)) for t in values.get("tags", ()) if str(t).strip())
    deck = values.get("deck")
    front = FrontMatter(
        deck=normalise_deck_name(str(deck)) if deck is not None else None,
        tags=tags,
        cloze=values.get("cloze"),  # type: ignore[arg-type]
        lang=values.get("lang"),  # type: ignore[arg-type]
        id=str(values["id"]).strip() if "id" in values else None,
        html=bool(values.get("html", False)),
        line_count=line_count,
    )
    return front, diagnostics


def _type_name(kind: type) -> str:
    return {str: "text", list: "a list", bool: "true or false"}[kind]


def clean_tag(tag: str) -> str:
    """Anki tags cannot hold spaces: runs of whitespace become `_`."""
    return "_".join(tag.split())


def normalise_deck_name(name: str) -> str:
    """Trim each `::` part and drop empty ones, as Anki does when it names a deck."""
    parts = [" ".join(part.split()) for part in name.split("::")]
    return "::".join(part for part in parts if part)


def read_source(found: FoundFile) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read, decode and split one file; None (with an error) when it cannot be read as text."""
    data, problems = read_source_bytes(found)
    if data is None:
        return None, problems
    return source_from_bytes(found, data, display_path(found.path))


def read_source_bytes(found: FoundFile) -> tuple[bytes | None, list[Diagnostic]]:
    """A source file's bytes; None (with an error) when it cannot be read."""
    try:
        return found.path.read_bytes(), []
    except OSError as exc:
        where = Location(display_path(found.path), 1)
        return None, [error(where, f"cannot read: {exc.strerror or exc}")]


def source_from_bytes(
    found: FoundFile, data: bytes, display: str
) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Decode and split a source file's bytes; None (with an error) when they are not text."""
    where = Location(display, 1)
    text, diagnostics = decode(data, where)
    if text is None:
        return None, diagnostics
    lines = split_lines(text)
    front, front_diagnostics = read_front_matter(lines, display)
    diagnostics += front_diagnostics
    relpath = found.path.relative_to(found.root).as_posix()
    source = SourceFile(
        path=found.path,
        display=display,
        root=found.root,
        relpath=relpath,
        lines=lines,
        front_matter=front,
        digest=hashlib.sha256(data).hexdigest(),
    )
    return source, diagnostics


def read_text_if_exists(path: Path) -> str | None:
    """The text of a file we wrote ourselves (the lock file), or None when there is none."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


LOCK_SIZE_LIMIT = 256 * 1024 * 1024
"""A lock file holds a line per note: far below this for any real collection of notes."""


def read_lock_bytes(path: Path) -> tuple[bytes | None, list[Diagnostic]]:
    """A lock file's bytes; None when there is none, or (with a warning) when it is not a
    regular file of a sensible size: then the build goes on without its memory."""
    where = Location(display_path(path), 1)
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None, []
    except OSError as exc:
        return None, [warning(where, f"cannot read the lock file ({exc.strerror or exc}); ignored")]
    if not stat.S_ISREG(status.st_mode):
        return None, [warning(where, "the lock file is not a regular file; ignored")]
    if status.st_size > LOCK_SIZE_LIMIT:
        return None, [warning(where, "the lock file is too large to be ankipress's; ignored")]
    try:
        with open(path, "rb") as handle:
            return handle.read(LOCK_SIZE_LIMIT + 1), []
    except OSError as exc:
        return None, [warning(where, f"cannot read the lock file ({exc.strerror or exc}); ignored")]


def bundled_name(target: str, data: bytes) -> str:
    """A flat name from the file's own name and a hash of its content.

    Two different `x.png` in different folders get different names, the same file
    referenced twice gets one, and no name starts with `_` (Anki never replaces those).
    """
    path = PurePosixPath(target.replace("\\", "/"))
    stem = re.sub(r"[^\w.-]+", "-", path.stem).strip("._-")[:60] or "media"
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"{stem}-{digest}{path.suffix.lower()}"


def load_media(target: str, note_file: Path, root: Path) -> MediaFile | str:
    """Read a file a note refers to, or say why it cannot be bundled.

    The path is checked before anything is read: it must be relative, and once symlinks
    are followed it must stay inside the source folder, so that a shared notes folder can
    never pull a private file into a package.
    """
    if PurePosixPath(target).is_absolute() or re.match(r"^([A-Za-z]:)?[\\/]", target):
        return f"media path `{target}` is absolute; give it relative to the note's file"
    real_root = os.path.realpath(root)
    real = os.path.realpath(note_file.parent / target)
    if os.path.commonpath([real_root, real]) != real_root:
        return f"media path `{target}` leaves the source folder; it is not read"
    if not os.path.isfile(real):
        return f"media file `{target}` not found (looked for {display_path(Path(real))})"
    try:
        data = Path(real).read_bytes()
    except OSError as exc:
        return f"cannot read media file `{target}`: {exc.strerror or exc}"
    return MediaFile(bundled_name(target, data), data, real)


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, or "" when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def file_stamp(path: str | Path) -> tuple[str, int, int] | None:
    """(path, size, modification time) of a file, or None when it is not there."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (str(path), status.st_size, status.st_mtime_ns)
