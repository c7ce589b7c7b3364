"""The lock file, `ankipress.lock`: what each build remembers of every note. Pure.

One JSON object per line, sorted by file, deck and question, so that the same notes always
give the same bytes and diffs and merges stay small. The file is written by ankipress but
lives beside the notes, where anyone may edit it (a merge conflict, a hand edit, a crafted
file): every line is checked field by field, and a line that is not what ankipress writes
is skipped with a warning at its line. Nothing in it can crash a build or give two notes
one id.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring as encode_string  # C-accelerated, as the encoder

from .cloze import strip_markup
from .records import Diagnostic, Location, NoteKind, warning

HEADER = (
    "# ankipress.lock: the identity of every note, so that re-importing updates notes in place\n"
    "# and keeps their reviews. Commit it with your notes; it is rewritten by `ankipress build`.\n"
)
MAX_ID = 2**52
"""Note ids are epoch milliseconds; anything near sqlite's limit is not one of ours."""
MAX_MOD = 2**32
"""Modification times are epoch seconds."""
MAX_TEXT = 100_000
"""Longer strings are not something ankipress wrote."""
KINDS = tuple(kind.value for kind in NoteKind)


@dataclass(frozen=True, slots=True)
class LockEntry:
    """What the lock file remembers of one note."""

    guid: str
    """The note's GUID in Anki."""
    id: int
    """The note id it was first built with (Anki shows it as the creation time)."""
    mod: int
    """Modification time (epoch seconds) last written for it."""
    deck: str
    file: str
    """Its source file, relative to the source folder."""
    question: str
    """Its normalised question."""
    answer: str
    """Fingerprint of its answer's source text."""
    content: str
    """Fingerprint of what reaches Anki: note type, deck, fields (the Source's line aside),
    tags. Only a changed fingerprint makes the note newer in the package."""
    kind: str = ""
    """Its note type (basic, reversed, cloze); "" in lock files written before it was kept."""
    clozes: tuple[tuple[str, int], ...] = ()
    """The deletions ankipress numbered itself, as (text, number), so that each keeps its
    number (and so its card's reviews) when deletions are added, removed or reordered."""
    top: int = 0
    """The highest deletion number ever given to this note: a new deletion takes a higher
    one, never the number of a fact deleted earlier (Anki may still hold its card)."""


FIELDS = {
    "guid": str,
    "id": int,
    "mod": int,
    "deck": str,
    "file": str,
    "question": str,
    "answer": str,
    "content": str,
}
OPTIONAL = {"kind": str, "clozes": list, "top": int}


def sort_key(entry: LockEntry) -> tuple[str, str, str, str]:
    return (entry.file, entry.deck, entry.question, entry.guid)


def entry_from(data: object) -> LockEntry:
    """A lock entry from one parsed line; ValueError (saying what is wrong) if it is not
    exactly what ankipress writes."""
    if is_plain_entry(data):  # the common case, checked with as little work as it takes
        question = data["question"]  # type: ignore[index]
        if "{{c" in question:
            question = strip_markup(question)
        return LockEntry(
            data["guid"],  # type: ignore[index]
            data["id"],  # type: ignore[index]
            data["mod"],  # type: ignore[index]
            sys.intern(data["deck"]),  # type: ignore[index]  # one string per deck: memory
            sys.intern(data["file"]),  # type: ignore[index]  # and per file
            question,
            data["answer"],  # type: ignore[index]
            data["content"],  # type: ignore[index]
            sys.intern(data.get("kind", "")),  # type: ignore[union-attr]
        )
    return checked_entry(data)


PLAIN_KEYS = frozenset(FIELDS)
PLAIN_WITH_KIND = PLAIN_KEYS | {"kind"}


def is_plain_entry(data: object) -> bool:
    """Whether `data` is a valid entry without remembered clozes (most entries)."""
    if type(data) is not dict or (data.keys() != PLAIN_KEYS and data.keys() != PLAIN_WITH_KIND):
        return False
    text = (data["guid"], data["deck"], data["file"], data["question"], data["answer"])
    return (
        all(type(value) is str and len(value) <= MAX_TEXT for value in text)
        and type(data["content"]) is str
        and len(data["content"]) <= MAX_TEXT
        and type(data["id"]) is int
        and type(data["mod"]) is int
        and 0 < data["id"] < MAX_ID
        and 0 <= data["mod"] < MAX_MOD
        and data.get("kind", "") in KIND_VALUES
        and bool(data["guid"].strip())
    )


KIND_VALUES = frozenset(("", *KINDS))


def checked_entry(data: object) -> LockEntry:
    """`entry_from` field by field, saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    missing = [name for name in FIELDS if name not in data]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    unknown = [name for name in data if name not in FIELDS and name not in OPTIONAL]
    if unknown:
        raise ValueError(f"unknown {', '.join(map(str, unknown))}")
    for name, kind in (FIELDS | OPTIONAL).items():
        if name in data and (type(data[name]) is not kind):  # bool is not an int here
            raise ValueError(f"`{name}` must be {'a number' if kind is int else 'text'}")
    for name in ("guid", "deck", "file", "question", "answer", "content", "kind"):
        if len(data.get(name, "")) > MAX_TEXT:
            raise ValueError(f"`{name}` is too long")
    if not data["guid"].strip():
        raise ValueError("empty `guid`")
    if not 0 < data["id"] < MAX_ID:
        raise ValueError("`id` out of range")
    if not 0 <= data["mod"] < MAX_MOD:
        raise ValueError("`mod` out of range")
    if data.get("kind", "") not in ("", *KINDS):
        raise ValueError("unknown `kind`")
    top = data.get("top", 0)
    if not 0 <= top < 10_000:
        raise ValueError("`top` out of range")
    clozes = []
    for item in data.get("clozes", []):
        if (
            not isinstance(item, list)
            or len(item) != 2
            or type(item[0]) is not str
            or type(item[1]) is not int
            or not 0 < item[1] <= top
            or len(item[0]) > MAX_TEXT
        ):
            raise ValueError("`clozes` must be [text, number] pairs up to `top`")
        clozes.append((item[0], item[1]))
    question = data["question"]
    if "{{c" in question:  # written before cloze questions were kept without their markup
        question = strip_markup(question)
    return LockEntry(
        guid=data["guid"],
        id=data["id"],
        mod=data["mod"],
        deck=data["deck"],
        file=data["file"],
        question=question,
        answer=data["answer"],
        content=data["content"],
        kind=data.get("kind", ""),
        clozes=tuple(clozes),
        top=top,
    )


def read_lock(data: bytes, display: str) -> tuple[list[LockEntry], list[Diagnostic]]:
    """Every valid entry of a lock file; each damaged line is skipped with a warning (only
    that note's memory is lost). Two entries claiming one GUID or one note id keep the
    first: no two notes may ever share them."""
    entries: list[LockEntry] = []
    diagnostics: list[Diagnostic] = []
    guids: set[str] = set()
    ids: set[int] = set()
    for number, value in parsed_lines(data):
        try:
            if isinstance(value, Exception):
                raise value
            entry = entry_from(value)
            if entry.guid in guids or entry.id in ids:
                raise ValueError("its GUID or note id is already used by an earlier entry")
        except (ValueError, RecursionError) as exc:  # JSON and UTF-8 errors are ValueErrors
            reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
            diagnostics.append(
                warning(Location(display, number), f"unreadable lock file entry skipped ({reason})")
            )
            continue
        guids.add(entry.guid)
        ids.add(entry.id)
        entries.append(entry)
    return entries, diagnostics


BATCH = 2_000
"""Lines parsed at once: one parse for many lines is fast, and a batch bounds the memory."""


def parsed_lines(data: bytes) -> Iterator[tuple[int, object]]:
    """(line number, parsed value or the error) of every entry line, in order. Lines are
    parsed a batch at a time when every line of the batch is one whole object, else one by
    one, so that an error is always told at its own line."""
    batch: list[tuple[int, bytes]] = []
    for number, raw in enumerate(io.BytesIO(data), start=1):  # not all lines at once: memory
        line = raw.strip()
        if line and not line.startswith(b"#"):
            batch.append((number, line))
        if len(batch) == BATCH:
            yield from parse_batch(batch)
            batch = []
    yield from parse_batch(batch)


def parse_batch(batch: list[tuple[int, bytes]]) -> Iterator[tuple[int, object]]:
    if all(line[:1] == b"{" and line[-1:] == b"}" for _, line in batch):
        try:
            values = json.loads(b"[" + b",".join(line for _, line in batch) + b"]")
            if len(values) == len(batch):
                yield from zip((number for number, _ in batch), values, strict=True)
                return
        except (ValueError, RecursionError):
            pass
    for number, line in batch:
        try:
            yield number, json.loads(line.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            yield number, exc


ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
"""How a lock file line is written: one JSON object, keys sorted."""


def entry_line(entry: LockEntry) -> str:
    """One entry as `ENCODER` writes it (a test holds the two equal), put together here:
    the encoder would first need a dict of every entry, the slowest part of a large build's
    lock file."""
    text = encode_string
    parts = [f'{{"answer": {text(entry.answer)}']
    if entry.clozes:
        parts.append(f'"clozes": {ENCODER.encode([list(pair) for pair in entry.clozes])}')
    parts += [
        f'"content": {text(entry.content)}',
        f'"deck": {text(entry.deck)}',
        f'"file": {text(entry.file)}',
        f'"guid": {text(entry.guid)}',
        f'"id": {int(entry.id)}',
    ]
    if entry.kind:
        parts.append(f'"kind": {text(entry.kind)}')
    parts += [f'"mod": {int(entry.mod)}', f'"question": {text(entry.question)}']
    if entry.clozes:
        parts.append(f'"top": {int(entry.top)}')
    return ", ".join(parts) + "}\n"


def entry_data(entry: LockEntry) -> dict[str, object]:
    """One entry as the JSON object its line holds."""
    data: dict[str, object] = {
        "answer": entry.answer,
        "content": entry.content,
        "deck": entry.deck,
        "file": entry.file,
        "guid": entry.guid,
        "id": entry.id,
        "mod": entry.mod,
        "question": entry.question,
    }
    if entry.kind:
        data["kind"] = entry.kind
    if entry.clozes:
        data["clozes"] = [list(pair) for pair in entry.clozes]
        data["top"] = entry.top
    return data


def lock_lines(entries: Iterable[LockEntry]) -> Iterator[str]:
    """The lock file's text, a line at a time, entries sorted."""
    yield HEADER
    for entry in sorted(entries, key=sort_key):
        yield entry_line(entry)


def format_lock(entries: Iterable[LockEntry]) -> str:
    return "".join(lock_lines(entries))


def describe_changes(before: Sequence[LockEntry], after: Sequence[LockEntry]) -> str:
    """What differs between two versions of a lock file, in words."""
    old = {entry.guid: entry for entry in before}
    new = {entry.guid: entry for entry in after}
    counts = (
        (len(new.keys() - old.keys()), "added"),
        (sum(1 for guid in new.keys() & old.keys() if new[guid] != old[guid]), "changed"),
        (len(old.keys() - new.keys()), "removed"),
    )
    words = [f"{n} note{'s' * (n != 1)} {what}" for n, what in counts if n]
    return ", ".join(words) or "entries written differently"
