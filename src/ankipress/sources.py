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
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a file has front matter, not at every start
    import yaml

from .formats import FORMATS
from .markdown import embed_target
from .patterns import lazy_pattern
from .records import (
    Diagnostic,
    FrontMatter,
    Location,
    MediaFile,
    SourceFile,
    error,
    printable,
    warning,
)

SOURCE_SUFFIXES = (".md", ".markdown", ".txt", ".csv", ".tsv")
LOCK_NAME = "ankipress.lock"
# Control characters (tab and newline aside) come from PDFs and terminals, never from notes;
# dropping them also keeps notes clear of the renderer's placeholders (see literals.py).
CONTROL_RE = lazy_pattern(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FRONT_MATTER_KEYS = {
    "deck": str,
    "tags": list,
    "cloze": str,
    "lang": str,
    "id": str,
    "html": bool,
    "format": str,
    "title": str,
}
# Other names for our keys, as other tools write them (Obsidian reads `tag` as `tags`).
KEY_ALIASES = {"tag": "tags", "cards-deck": "deck"}
"""Keys meaning one of ours: `cards-deck` is the deck of the Obsidian Flashcards plugin."""
# That plugin's own clozes, `{1:word}` (numbered) in a file naming its deck so.
PLUGIN_CLOZE_RE = lazy_pattern(r"\{\d{1,2}:[^{}\n]+\}")
# The most characters front matter may stand for once YAML aliases are expanded.
MAX_ALIAS_EXPANSION = 100_000


@dataclass(frozen=True)
class FoundFile:
    """A source file found on disk, with the source folder it belongs to."""

    path: Path
    root: Path
    real: str = ""
    """Its path once symbolic links are followed, when known (else worked out when read)."""
    real_root: str = ""
    """Likewise its source folder's."""


SOURCE_SIZE_LIMIT = 4 * 1024 * 1024
"""The largest notes file read (4 MB): far more than any course's notes, and a bound on the
time and memory a build can take."""
MEDIA_SIZE_LIMIT = 100 * 1024 * 1024
"""The largest image or sound bundled (100 MB): AnkiWeb syncs no larger file."""
READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)  # Windows: bytes as they are
    | getattr(os, "O_NONBLOCK", 0)  # a pipe put there since the check does not block
    | getattr(os, "O_NOFOLLOW", 0)  # nor does a link put there lead elsewhere
    | getattr(os, "O_CLOEXEC", 0)
)
KINDS_OF_FILE = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def display_path(path: Path) -> str:
    """A path as diagnostics show it: relative to the working directory when inside it,
    control characters (a newline in a file's name) escaped. A symbolic link is shown as
    itself, not as the file it points to."""
    itself = path.parent.resolve() / path.name if path.name not in ("", "..") else path.resolve()
    try:
        shown = itself.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    return printable(shown)


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
            root, real_root = source, os.path.realpath(source)
            for dirpath, dirnames, filenames in os.walk(source):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
                real_folder = None
                for name in sorted(filenames):
                    if name.startswith((".", "_")) or not name.lower().endswith(SOURCE_SUFFIXES):
                        continue
                    path = Path(dirpath, name)
                    if path.is_symlink():
                        real = path.resolve()
                    else:  # the folder resolved once, not each file's path again
                        real_folder = real_folder or Path(os.path.realpath(dirpath))
                        real = real_folder / name
                    found.setdefault(real, FoundFile(path, root, str(real), real_root))
        else:
            found.setdefault(source.resolve(), FoundFile(source, source_folder_of(source)))
    return sorted(found.values(), key=lambda f: (str(f.root), f.path.relative_to(f.root).parts))


def decode(data: bytes, where: Location) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: UTF-16 with BOM, UTF-8 (BOM optional), else a legacy Chinese, Japanese
    or Korean encoding when the text reads so, else Windows-1252, else Windows-1250 when the
    text reads as Central European, with a warning."""
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
    for encoding, name, plausible in EAST_ASIAN_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if plausible(text):
            message = f"not valid UTF-8; read as {name} (save the file as UTF-8 to be sure)"
            return text, [warning(where, message)]
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        # Bytes Windows-1252 leaves undefined are letters in Central Europe's (`ť`, `Ť`, `Ź`)
        central = _central_european(data)
        if central is not None:
            message = "not valid UTF-8; read as Windows-1250 (Central European; save the file "
            return central, [warning(where, message + "as UTF-8 to be sure)")]
        return None, [
            error(where, f"cannot decode: neither UTF-8 nor Windows-1252 (byte {exc.start})")
        ]
    return text, [
        warning(where, "not valid UTF-8; read as Windows-1252 (save the file as UTF-8 to be sure)")
    ]


def _central_european(data: bytes) -> str | None:
    """The bytes read as Windows-1250 when they decode so and read as Czech, Slovak, Polish,
    Hungarian or Croatian (letters no Western encoding has, `ě`, `ř`, `ť`, `ł`, `ő`); else
    None."""
    try:
        text = data.decode("cp1250")
    except UnicodeDecodeError:
        return None
    return text if _written_in(text, CENTRAL_EUROPEAN_LETTERS, "") else None


CENTRAL_EUROPEAN_LETTERS = "ÁáÄäÉéÍíÓóÔôÖöÚúÜüÝýČčĎďĚěĹĺĽľŇňŔŕŘřŠšŤťŮůŽžĄąĆćĘęŁłŃńŚśŹźŻżŐőŰűĐđ"
"""The letters of the languages written in Windows-1250, accented Latin ones included."""


def _written_in(text: str, letters: str, marks: str) -> bool:
    """Whether text decoded so reads as that script: four in five of its characters beyond
    ASCII in its range of letters (`letters`, a regular expression's class), and, where
    `marks` are given, its punctuation used (Latin text taken for Chinese makes characters
    of the range, never `，` or `。`)."""
    beyond = [c for c in text if ord(c) > 0x7F]
    if len(beyond) < 4:
        return False
    inside = len(re.findall(f"[{letters}]", "".join(beyond)))
    return inside * 5 >= len(beyond) * 4 and (not marks or any(m in text for m in marks))


EAST_ASIAN_ENCODINGS = (
    (
        "gb18030",
        "GB18030 (Chinese)",
        lambda t: _written_in(t, "\u4e00-\u9fff\u3000-\u303f\uff00-\uffef", "，。、：；"),
    ),
    (
        "cp932",
        "Shift_JIS (Japanese)",
        lambda t: _written_in(t, "\u3040-\u30ff\u4e00-\u9fff\u3000-\u303f\uff00-\uffef", "。、"),
    ),
    (
        "cp949",
        "EUC-KR (Korean)",
        lambda t: _written_in(t, "\uac00-\ud7a3\u3130-\u318f", "") and KOREAN_WORDS_RE.search(t),
    ),
)
"""Encodings tried, in turn, for text that is not UTF-8 before Windows-1252: the legacy
encodings of Chinese, Japanese and Korean notes, each only when the text reads so."""
KOREAN_WORDS_RE = lazy_pattern("[\uac00-\ud7a3] [\uac00-\ud7a3]")
"""Two Korean words with a space between them, as Korean is written (bytes that only decode
as Hangul syllables run on without one)."""


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
    """Parse and validate the YAML block between `---` lines at the very top, if any.

    Keys of other tools (Obsidian's `aliases`, a blog's `date`, …) are ignored; a key that
    looks like a misspelt key of ours gets a warning, since its value is then ignored too.
    """
    if lines and lines[0].rstrip() == "+++":
        return _toml_front_matter(lines), []
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter(), []
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    except StopIteration:
        return FrontMatter(), [
            error(Location(display, 1), "front matter is not closed by a `---` line")
        ]
    line_count = end + 1
    written = [line for line in lines[1:end] if line.strip()]
    if written and all(map(TOML_KEY_RE.match, written)):  # hashcards' `name = "…"`: TOML
        return _toml_front_matter(lines, end), []
    data, key_lines, diagnostics = _load_yaml("\n".join(lines[1:end]), display)
    if data is None or diagnostics:
        return FrontMatter(line_count=line_count), diagnostics

    values: dict[str, object] = {}
    for key, value in data.items():
        where = Location(display, key_lines.get(str(key), 2))
        name = KEY_ALIASES.get(str(key), str(key))
        if name != key and (name in data or value is None or not str(value).strip()):
            continue  # another tool's key left empty by a template, or beside ours: ours wins
        if name not in FRONT_MATTER_KEYS:
            if (meant := _misspelt(str(key))) is not None:
                message = f"front matter key `{key}` is ignored: did you mean `{meant}`?"
                diagnostics.append(warning(where, message))
            continue
        checked, problem = _check_value(name, value)
        if problem is not None:
            diagnostics.append(error(where, problem))
            continue
        values[name] = checked
        if key == "cards-deck" and any(map(PLUGIN_CLOZE_RE.search, lines[line_count:])):
            message = (
                "this file is written for the Obsidian Flashcards plugin, whose `{1:…}` "
                "clozes ankipress does not read (they stay text, and the cards around them may "
                "be read otherwise); write them `{{c1::…}}`"
            )
            diagnostics.append(warning(where, message))
        if name == "html" and checked:
            diagnostics.append(
                warning(
                    where,
                    "this file lets raw HTML through (`html: true`): any script in it reaches "
                    "the cards; keep it only if you trust every line of this file",
                )
            )

    tags = tuple(t for t in (obsidian_tag(str(t)) for t in values.get("tags", ())) if t)
    deck = values.get("deck")
    front = FrontMatter(
        deck=normalise_deck_name(str(deck)) if deck is not None else None,
        tags=tags,
        cloze=values.get("cloze"),  # type: ignore[arg-type]
        lang=values.get("lang"),  # type: ignore[arg-type]
        id=str(values["id"]).strip() if "id" in values else None,
        html=bool(values.get("html", False)),
        title=normalise_deck_name(str(values.get("title") or "")) or None,
        format=values.get("format"),  # type: ignore[arg-type]
        line_count=line_count,
    )
    return front, diagnostics


def _load_yaml(block: str, display: str) -> tuple[dict | None, dict[str, int], list[Diagnostic]]:
    """The front matter's mapping, each key's line, and why it cannot be used (if so)."""
    import yaml

    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
        if (problem := _alias_problem(block, node, display)) is not None:
            return None, {}, [problem]
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(display, mark.line + 2, mark.column + 1) if mark else Location(display, 1)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, {}, [error(where, f"front matter is not valid YAML: {problem}")]
    except RecursionError:
        return None, {}, [error(Location(display, 2), "front matter is nested too deeply")]
    if data is None:
        return None, {}, []
    if not isinstance(data, dict):
        return None, {}, [error(Location(display, 2), "front matter must be `key: value` lines")]
    key_lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + 2
    return data, key_lines, []


def expanded_size(node: yaml.Node | None, limit: int) -> int:
    """How many characters a YAML node stands for once its aliases are expanded, counted up
    to just past `limit` (a node reached again through its own alias counts as too many)."""
    import yaml

    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(node, False)] if node is not None else []
    on_path: set[int] = set()
    while stack:
        current, children_done = stack.pop()
        key = id(current)
        if isinstance(current, yaml.ScalarNode):
            sizes[key] = len(str(current.value)) + 1
            continue
        children = [
            c for pair in current.value for c in (pair if isinstance(pair, tuple) else (pair,))
        ]
        if children_done:
            on_path.discard(key)
            sizes[key] = min(limit + 1, 1 + sum(sizes.get(id(c), limit + 1) for c in children))
            continue
        if key in sizes:
            continue
        if key in on_path:  # a collection holding itself: endless once expanded
            return limit + 1
        on_path.add(key)
        stack.append((current, True))
        stack += [(c, False) for c in children if id(c) not in sizes]
    return sizes.get(id(node), 0)


def _alias_problem(block: str, node: yaml.Node | None, display: str) -> Diagnostic | None:
    """An error when aliases (`*name`) would blow the front matter up far beyond its text
    (a few lines of YAML can otherwise stand for gigabytes of tags)."""
    import yaml

    if "*" not in block:
        return None
    limit = max(MAX_ALIAS_EXPANSION, 4 * len(block))
    if expanded_size(node, limit) <= limit:
        return None
    event = next(
        e for e in yaml.parse(block, Loader=yaml.SafeLoader) if isinstance(e, yaml.AliasEvent)
    )
    where = Location(display, event.start_mark.line + 2, event.start_mark.column + 1)
    return error(
        where,
        f"front matter aliases (`*{event.anchor}`) repeat more text than ankipress accepts "
        f"({limit} characters); write the values out instead",
    )


# `title = "…"` in Hugo's TOML front matter.
TOML_TITLE_RE = lazy_pattern(
    r"""(?:title|name)[ \t]*=[ \t]*(?:"(?P<double>[^"\\]*)"|'(?P<single>[^']*)')[ \t]*"""
)
TOML_KEY_RE = lazy_pattern(
    r"""[ \t]*(?:[A-Za-z0-9_-]+[ \t]*=[ \t]*\S|\[[A-Za-z0-9_.-]+\][ \t]*$|#)"""
)
"""A line of TOML: `key = value`, a `[table]` or a comment (a `key: value` line is YAML)."""


def _toml_front_matter(lines: tuple[str, ...], end: int | None = None) -> FrontMatter:
    """TOML front matter, Hugo's between `+++` lines or hashcards' between `---` lines: part
    of no note; its `title` names the deck as YAML's does, and so does hashcards' `name`
    (the rest is another tool's, not read). Unclosed, it is text."""
    if end is None:
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "+++"), None)
    if end is None:
        return FrontMatter()
    titles = (TOML_TITLE_RE.fullmatch(line.strip()) for line in lines[1:end])
    title = next((t["double"] or t["single"] for t in titles if t), None)
    return FrontMatter(title=(title or "").strip() or None, line_count=end + 1)


def _misspelt(key: str) -> str | None:
    """The key of ours that a key of unknown meaning most likely stands for, if any."""
    lower = key.lower().replace("_", "-")
    if lower in FRONT_MATTER_KEYS or lower in KEY_ALIASES:
        return KEY_ALIASES.get(lower, lower)
    import difflib  # only for front matter keys that are not ours: start-up time

    close = difflib.get_close_matches(lower, [*FRONT_MATTER_KEYS, "language"], n=1, cutoff=0.75)
    return ("lang" if close[0] == "language" else close[0]) if close else None


def _check_value(key: str, value: object) -> tuple[object, str | None]:
    """The value of one of our keys, made usable, or why it cannot be used."""
    if key == "title":  # another tool's key: used when it is text, else left alone
        return (str(value) if isinstance(value, str | int | float) else None), None
    if value is None:  # `tags:` with nothing after it, as page templates leave it
        if key in ("tags", "lang"):
            return ([] if key == "tags" else None), None
        return value, f"front matter `{key}` is empty"
    if key == "tags" and isinstance(value, str):
        value = [t for t in re.split(r"[\s,]+", value) if t]
    if key in ("deck", "id", "lang", "title") and isinstance(value, int | float):
        value = str(value)
    expected = FRONT_MATTER_KEYS[key]
    if not isinstance(value, expected):
        return value, f"front matter `{key}` must be {_type_name(expected)}"
    if key == "tags" and not all(isinstance(t, str | int | float) for t in value):
        return value, "front matter `tags` must be a list of words"
    if key == "cloze" and value != "lists":
        return value, "front matter `cloze` can only be `lists`"
    if key in ("deck", "id") and not str(value).strip():
        return value, f"front matter `{key}` is empty"
    if key == "deck" and not normalise_deck_name(str(value)):
        return value, "front matter `deck` names no deck: write a name between the `::`"
    if key == "format" and value not in FORMATS:
        return value, f"front matter `format` must be one of: {', '.join(FORMATS)}"
    return value, None


def _type_name(kind: type) -> str:
    return {str: "text", list: "a list", bool: "true or false"}[kind]


def obsidian_tag(tag: str) -> str:
    """A tag as Anki takes it: no `#` before it, `/` nesting (Obsidian) as `::` nesting (Anki),
    no spaces."""
    tag = tag.strip().lstrip("#")
    return clean_tag("::".join(part for part in tag.split("/") if part))


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
    """A source file's bytes; None (with an error) when it cannot be read, or must not be:
    like media, a source file is read only when it is a regular file inside its source folder
    (symbolic links followed) and not larger than SOURCE_SIZE_LIMIT. Nothing is opened before
    that is known, so a link to a private file, a named pipe or a device reads nothing."""
    data = read_confined(found.path, found.root, SOURCE_SIZE_LIMIT, found.real, found.real_root)
    if isinstance(data, str):
        return None, [error(Location(display_path(found.path), 1), data)]
    return data, []


def read_confined(
    path: Path, root: Path, limit: int, real: str = "", real_root: str = ""
) -> bytes | str:
    """The bytes of a regular file inside `root` once symbolic links are followed, of at
    most `limit` bytes; or why it is not read (a sentence for a diagnostic). `real` and
    `real_root` save working out the resolved paths again when they are known."""
    real = real or os.path.realpath(path)
    real_root = real_root or os.path.realpath(root)
    if os.path.commonpath([real_root, real]) != real_root:
        return "a symbolic link to a file outside the source folder; it is not read"
    try:
        status = os.stat(real)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    problem = _not_readable(status, limit)
    if problem:
        return problem
    try:
        # Should the file have become a pipe since, opening it returns at once (READ_FLAGS)
        # and fstat says so.
        handle = os.open(real, READ_FLAGS)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    with os.fdopen(handle, "rb") as file:
        problem = _not_readable(os.fstat(file.fileno()), limit)
        if problem:
            return problem
        data = file.read(limit + 1)
    return _not_readable(None, limit, len(data)) or data


def _not_readable(status: os.stat_result | None, limit: int, size: int = 0) -> str | None:
    """Why a file of this kind or size is not read, if it is not."""
    if status is not None:
        if not stat.S_ISREG(status.st_mode):
            kind = next((name for test, name in KINDS_OF_FILE if test(status.st_mode)), "special")
            return f"not a regular file ({kind}); it is not read"
        size = status.st_size
    if size > limit:
        return (
            f"larger than {limit // (1024 * 1024)} MB ({size / (1024 * 1024):.1f} MB); "
            "it is not read"
        )
    return None


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


LOCK_SIZE_LIMIT = 256 * 1024 * 1024
"""A lock file holds a line per note: far below this for any real collection of notes."""


def read_lock_bytes(path: Path) -> tuple[bytes | None, list[Diagnostic]]:
    """A lock file's bytes; None when there is none, or (with a warning) when it is not a
    regular file of a sensible size in its folder: then the build goes on without its
    memory. Read as notes are (`read_confined`): a pipe or a device is never opened."""
    if not os.path.lexists(path):
        return None, []
    found = read_confined(path, path.parent, LOCK_SIZE_LIMIT)
    if isinstance(found, bytes):
        return found, []
    where = Location(display_path(path), 1)
    reason = found.removesuffix("; it is not read")
    return None, [warning(where, f"the lock file is ignored: {reason}")]


def bundled_name(target: str, data: bytes) -> str:
    """A flat name from the file's own name and a hash of its content.

    Two different `x.png` in different folders get different names, the same file
    referenced twice gets one, and no name starts with `_` (Anki never replaces those).
    """
    path = PurePosixPath(target.replace("\\", "/"))
    stem = re.sub(r"[^\w.-]+", "-", path.stem).strip("._-")[:60] or "media"
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"{stem}-{digest}{path.suffix.lower()}"


def load_media(
    target: str, note_file: Path, root: Path, finder: FileFinder | None = None
) -> MediaFile | str:
    """Read a file a note refers to, or say why it cannot be bundled.

    The path is checked before anything is read: it must be relative, and once symlinks
    are followed it must stay inside the source folder, so that a shared notes folder can
    never pull a private file into a package; and it must be a regular file of at most
    MEDIA_SIZE_LIMIT bytes. An embed's `[[name]]` is looked for as Obsidian finds it
    (`embedded_path`).
    """
    embedded = embed_target(target)
    written = target if embedded is None else embedded
    if PurePosixPath(written).is_absolute() or re.match(r"^([A-Za-z]:)?[\\/]", written):
        return f"media path `{target}` is absolute; give it relative to the note's file"
    real_root = os.path.realpath(root)
    if embedded is None:
        path = note_file.parent / target
    else:
        found = embedded_path(embedded, note_file, root, finder or FileFinder())
        if found is None:
            return (
                f"media file `{target}` not found (looked for it beside the note, at the top "
                f"of {display_path(root)}, and by its name in every folder under it)"
            )
        path = found
    real = os.path.realpath(path)
    if os.path.commonpath([real_root, real]) != real_root:
        return f"media path `{target}` leaves the source folder; it is not read"
    if not os.path.lexists(real):
        return f"media file `{target}` not found (looked for {display_path(Path(real))})"
    data = read_confined(Path(real), Path(real_root), MEDIA_SIZE_LIMIT)
    if isinstance(data, str):
        return f"media file `{target}`: {data}"
    # An embed's file is named as it is on disk, whatever the letters' case it was written in.
    return MediaFile(bundled_name(written if embedded is None else path.name, data), data, real)


def embedded_path(name: str, note_file: Path, root: Path, finder: FileFinder) -> Path | None:
    """The file an Obsidian embed names, found as Obsidian finds it: a path from the note's
    folder, or from the top of the vault (here the source folder), else the file of that
    name (or path ending) anywhere in it, the one nearest the top when there are several;
    the letters' case does not matter there, as on the systems Obsidian mostly runs on."""
    for path in (note_file.parent / name, root / name):
        if os.path.lexists(path):
            return path
    wanted = "/" + name.replace("\\", "/").lstrip("/").casefold()
    matches = [p for p in finder.files(root) if ("/" + p.casefold()).endswith(wanted)]
    if not matches:
        return None
    return root / min(matches, key=lambda p: (p.count("/"), p))


class FileFinder:
    """The files of each source folder (hidden folders left out, as Obsidian leaves out
    `.obsidian` and `.trash`), listed once a build, when an embed is not found at once."""

    LIMIT = 200_000
    """Files listed at most: a source folder holding more is not searched further."""

    def __init__(self) -> None:
        self._listed: dict[Path, list[str]] = {}

    def files(self, root: Path) -> list[str]:
        if root not in self._listed:
            self._listed[root] = self._walk(root)
        return self._listed[root]

    def _walk(self, root: Path) -> list[str]:
        found: list[str] = []
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            base = os.path.relpath(folder, root).replace(os.sep, "/")
            prefix = "" if base == "." else base + "/"
            found += (prefix + f for f in sorted(files) if not f.startswith("."))
            if len(found) >= self.LIMIT:
                break
        return found


def file_stamp(path: str | Path) -> tuple[str, int, int] | None:
    """(path, size, modification time) of a file, or None when it is not there."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (str(path), status.st_size, status.st_mtime_ns)
