"""One source file to everything it gives: `compile_file`, pure, computed once per file.

Parse, render, and every fact about each note worked out once (fields, cards, sort field,
identity key and GUID, fingerprints, media references, the file's own problems). `build`,
`check`, `preview`, `explain` and the tests all go through it. A `FileResult` holds only
plain values, so it travels between processes and into the build cache as data
(`to_data`/`from_data`: JSON, nothing that can run code when read).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from . import cloze
from .markdown import MEDIA_OPEN, embed_target, link_media
from .package import field_checksum
from .parse import EXPLICIT_ID_PREFIX, deck_case_error, fingerprint, parse, style_warnings
from .records import (
    CompiledNote,
    Diagnostic,
    FileResult,
    Location,
    Note,
    NoteKind,
    Reading,
    Severity,
    SourceFile,
    error,
)
from .render import (
    DEFAULT_SETTINGS,
    RenderSettings,
    embed_warnings,
    empty_card_problems,
    html_warning,
    render_fields,
    render_warnings,
    shows_html_as_text,
    visible_text,
)

TEMPLATE_COUNT = {NoteKind.BASIC: 1, NoteKind.REVERSED: 2}
LOCATE_LINES = 10_000
"""How far below its note a media reference is looked for (a bound, for huge files)."""
BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


def guid_for(*values: str) -> str:
    """A GUID as genanki makes it (the first 8 bytes of a SHA-256, in Anki's base 91), so
    that notes built by earlier versions keep theirs; a test holds the two equal."""
    number = int.from_bytes(hashlib.sha256("__".join(values).encode()).digest()[:8], "big")
    digits = []
    while number:
        number, digit = divmod(number, 91)
        digits.append(BASE91[digit])
    return "".join(reversed(digits))


def card_ords(kind: NoteKind, text: str) -> tuple[int, ...]:
    """Template ordinals of a note's cards: one per template, or one per cloze number."""
    if kind is NoteKind.CLOZE:
        return tuple(sorted(n - 1 for n in cloze.numbers(text) if n > 0))
    return tuple(range(TEMPLATE_COUNT[kind]))


def sort_field(first_field: str) -> str:
    return visible_text(first_field)


def content_fingerprint(
    kind: NoteKind, deck: str, fields: tuple[str, ...], relpath: str, tags: Iterable[str]
) -> str:
    """Everything that reaches Anki, but the Source field's line: a line shifting because
    notes were added above never makes a note newer."""
    return fingerprint("\x1e".join((kind, deck, *fields[:-1], relpath, " ".join(tags))))


def locate(lines: Sequence[str], first: int, target: str) -> tuple[str, int, int]:
    """A media reference and where it stands: its first mention from the note's line on
    (the note's own line when it can't be found, e.g. written with escapes)."""
    from urllib.parse import quote  # only for notes with media: start-up time

    embedded = embed_target(target)
    spellings = (target, quote(target)) if embedded is None else ("![[" + embedded, "[[" + embedded)
    for index in range(first - 1, min(len(lines), first - 1 + LOCATE_LINES)):
        for written in spellings:
            col = lines[index].find(written)
            if col >= 0:
                return target, index + 1, col + 1
    return target, first, 1


def compile_note(
    note: Note, settings: RenderSettings, lines: Sequence[str]
) -> tuple[CompiledNote, list[str]]:
    """One note's fields and facts, and why it would give an empty card (if it would)."""
    fields, targets = render_fields(note, settings)
    media = tuple(locate(lines, note.location.line, target) for target in targets)
    return (
        CompiledNote(
            kind=note.kind,
            deck=note.deck,
            fields=fields,
            sort_field=sort_field(fields[0]),
            tags=note.tags,
            key=note.key,
            guid=guid_for(note.key),
            question_text=note.question_text,
            answer_fingerprint=note.answer_fingerprint,
            content=content_fingerprint(note.kind, note.deck, fields, note.relpath, note.tags),
            line=note.location.line,
            col=note.location.col,
            ords=card_ords(note.kind, fields[0]),
            auto_clozes=note.auto_clozes,
            media=media,
        ),
        empty_card_problems(note.kind, fields),
    )


def compile_file(source: SourceFile, settings: RenderSettings = DEFAULT_SETTINGS) -> FileResult:
    """Everything one file gives: its notes as they land in Anki, and its own problems."""
    parsed = parse(source)
    notes = []
    empty = []
    text = "\n".join(source.lines)
    embedding = "![[" in text  # (most files: no note asks)
    html_unsaid = not parsed.html_said and ("</" in text or "<img" in text or "<IMG" in text)
    for note in parsed.notes:
        compiled, problems = compile_note(note, settings, source.lines)
        notes.append(compiled)
        empty += [error(note.location, problem) for problem in problems]
        empty += render_warnings(note, source.lines, settings)
        if embedding:
            empty += embed_warnings(note, source.lines)
        shows_html = html_unsaid and shows_html_as_text(note, settings)
        if shows_html and (said := html_warning(note, compiled.fields, source.lines)):
            empty.append(said)
            html_unsaid = False  # once a file
    return FileResult(
        relpath=source.relpath,
        display=source.display,
        deck=parsed.deck,
        notes=tuple(notes),
        diagnostics=(*parsed.diagnostics, *empty, *style_warnings(parsed.notes)),
        readings=parsed.line_readings,
    )


# -- checks across files -------------------------------------------------------------------


@dataclass
class DuplicateCheck:
    """Two notes with one identity (the same question in one deck, or one `{#id}` used
    twice), across every file of a build, fed a file at a time; and one deck written with
    two sets of capitals (Anki matches deck names ignoring case, so they would merge)."""

    first_seen: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    """Where each identity key was first seen (path, line, column)."""
    deck_spelling: dict[str, tuple[str, tuple[str, int, int]]] = field(default_factory=dict)
    """Each deck name, by its case-folded form: as first written, and where."""

    def problems(self, result: FileResult) -> Iterator[Diagnostic]:
        return self.check(result.display, ((n.key, n.deck, n.line, n.col) for n in result.notes))

    def check(
        self, display: str, notes: Iterable[tuple[str, str, int, int]]
    ) -> Iterator[Diagnostic]:
        """The problems of one file's notes, given as (key, deck, line, column)."""
        first_seen, deck_spelling = self.first_seen, self.deck_spelling
        last_deck = None
        for key, deck, line, col in notes:
            where = (display, line, col)
            if deck != last_deck:  # notes of one deck follow each other: looked at once
                last_deck = deck
                spelt, first = deck_spelling.setdefault(deck.casefold(), (deck, where))
                if spelt != deck:
                    yield deck_case_error(deck, Location(*where), spelt, Location(*first))
                    deck_spelling[deck.casefold()] = (deck, where)  # once per file
            earlier = first_seen.setdefault(key, where)
            if earlier is where:
                continue
            at, before = Location(*where), Location(*earlier)
            if key.startswith(EXPLICIT_ID_PREFIX):
                own_id = key.removeprefix(EXPLICIT_ID_PREFIX)
                yield error(at, f"the id {{#{own_id}}} is already used at {before}")
            else:
                yield error(
                    at,
                    f"the same question is already asked at {before} in deck '{deck}'; "
                    "reword one of them",
                )


# -- media ----------------------------------------------------------------------------------


def linked(note: CompiledNote, names: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """The note's fields and sort field with media placeholders replaced by bundled names."""
    return linked_fields(note.fields, note.sort_field, names)


def linked_fields(
    fields: Sequence[str], sort: str, names: tuple[str, ...]
) -> tuple[tuple[str, ...], str]:
    if not names:
        return tuple(fields), sort
    linked = tuple(link_media(html, names) for html in fields)
    return linked, link_media(sort, names) if MEDIA_OPEN in sort else sort


def package_rows(
    data: bytes,
) -> Iterator[tuple[NoteKind, str, list[str], str, list[str], list, int]]:
    """What a package needs of each note of a file result written by `to_data` (kind, deck,
    fields, sort field, tags, card ordinals, the sort field's checksum), read straight from
    its third part: a package is written from the cache without making the notes' records
    again."""
    for kind, deck, fields, sort, tags, ords, checksum in json.loads(data[_parts(data)[1] + 1 :]):
        yield KINDS[kind], deck, fields, sort, tags, ords, checksum


# -- as data, for worker processes and the build cache --------------------------------------

KINDS = {kind.value: kind for kind in NoteKind}
SEVERITIES = {severity.value: severity for severity in Severity}
READINGS = {reading.value: reading for reading in Reading}


def to_data(result: FileResult) -> bytes:
    """A file result as JSON, in three parts on three lines: what every build looks at
    (each note's identity key, deck, place and media, as columns, which read fastest),
    then what identifying a changed file needs, then what its package needs (fields above
    all), so that each is read without the others."""
    notes = result.notes
    media = [[index, *reference] for index, n in enumerate(notes) for reference in n.media]
    diagnostics = [
        [d.location.path, d.location.line, d.location.col, d.severity.value, d.message]
        for d in result.diagnostics
    ]
    readings = [reading.value for reading in result.readings]
    head = [
        result.relpath, result.display, result.deck, diagnostics, readings,
        [n.key for n in notes], [n.deck for n in notes], [n.line for n in notes],
        [n.col for n in notes], media,
    ]  # fmt: skip
    facts = [
        [
            n.kind,
            n.guid,
            n.question_text,
            n.answer_fingerprint,
            n.content,
            list(n.ords),
            [list(pair) for pair in n.auto_clozes],
        ]
        for n in notes
    ]
    rows = [
        [
            n.kind,
            n.deck,
            list(n.fields),
            n.sort_field,
            list(n.tags),
            list(n.ords),
            field_checksum(n.sort_field),
        ]
        for n in notes
    ]
    rest = ENCODE(facts).encode() + b"\n" + ENCODE(rows).encode()
    head.append(zlib.crc32(rest))  # read with the head, checks the parts read later
    return ENCODE(head).encode() + b"\n" + rest


ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def from_data(data: bytes) -> FileResult:
    """The file result `to_data` wrote (a build reads only the parts it needs: `head_of`,
    `package_rows`). Only ankipress writes the cache, in the user's own folder, so the data
    is taken as written; anything else fails with ValueError, KeyError or TypeError."""
    head_end, facts_end = _parts(data)
    relpath, display, deck, diagnostics, readings, keys, decks, lines, cols, media, _ = json.loads(
        data[:head_end]
    )
    facts = json.loads(data[head_end + 1 : facts_end])
    rows = json.loads(data[facts_end + 1 :])
    references: list[list[tuple[str, int, int]]] = [[] for _ in keys]
    for index, target, line, col in media:
        references[index].append((target, line, col))
    return FileResult(
        relpath=relpath,
        display=display,
        deck=deck,
        notes=tuple(
            CompiledNote(
                KINDS[n[0]],
                deck_,
                tuple(row[2]),
                row[3],
                tuple(row[4]),
                key,
                n[1],
                n[2],
                n[3],
                n[4],
                line,
                col,
                tuple(n[5]),
                tuple(map(tuple, n[6])),
                tuple(found),
            )
            for n, row, key, deck_, line, col, found in zip(
                facts, rows, keys, decks, lines, cols, references, strict=True
            )
        ),
        diagnostics=decode_diagnostics(diagnostics),
        readings=tuple(READINGS[value] for value in readings),
    )


def _parts(data: bytes) -> tuple[int, int]:
    """Where the first and the second of the three lines `to_data` wrote end."""
    head_end = data.index(b"\n")
    return head_end, data.index(b"\n", head_end + 1)


def decode_diagnostics(rows: Iterable[list]) -> tuple[Diagnostic, ...]:
    return tuple(
        Diagnostic(Location(path, line, col), SEVERITIES[severity], text)
        for path, line, col, severity, text in rows
    )


@dataclass(frozen=True, eq=False)
class FileHead:
    """The first part of what `to_data` wrote, as every build needs it: each note's
    identity key, deck and place, as columns, and its media references. The facts that
    identify a note are left as data (`facts`, the second part): only a changed file's are
    looked at, read by `note_facts_rows`."""

    relpath: str
    display: str
    keys: list[str]
    decks: list[str]
    lines: list[int]
    cols: list[int]
    media: list[list]
    """(note's index, target, line, column) of each media reference."""
    diagnostics: tuple[Diagnostic, ...]
    facts: bytes

    @property
    def where(self) -> Iterator[tuple[str, str, int, int]]:
        """Each note's key, deck, line and column."""
        return zip(self.keys, self.decks, self.lines, self.cols, strict=True)


def head_of(data: bytes) -> FileHead:
    """What every build reads of a file's data: its first part, and the second as data;
    ValueError when the parts are not as written (the first holds the others' CRC)."""
    head_end, facts_end = _parts(data)
    relpath, display, _, diagnostics, _, keys, decks, lines, cols, media, check = json.loads(
        data[:head_end]
    )
    if zlib.crc32(data[head_end + 1 :]) != check or not (
        len(keys) == len(decks) == len(lines) == len(cols)
    ):
        raise ValueError("a damaged cache entry")
    facts = data[head_end + 1 : facts_end]
    return FileHead(
        relpath, display, keys, decks, lines, cols, media, decode_diagnostics(diagnostics), facts
    )


def note_facts_rows(data: bytes, count: int) -> list[list]:
    """Each note's facts that only identifying a changed file needs (kind, GUID, question
    text, answer and content fingerprints, cards, numbered deletions), from
    `FileHead.facts`; ValueError when there are not `count` of them, each of those seven."""
    rows = json.loads(data)
    if len(rows) != count or not all(
        type(row) is list and len(row) == 7 and row[0] in KINDS for row in rows
    ):
        raise ValueError("a damaged cache entry")
    return rows
