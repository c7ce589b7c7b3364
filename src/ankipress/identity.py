"""Who each note is, build after build: GUIDs, note ids, modification times. Pure.

A new note's GUID comes from its identity key (deck or front matter `id`, and normalised
question; or its own `{#id}`), never from its answer or position, so Anki recognises it
after any answer edit. The lock file remembers, for every note, its GUID, note id,
modification time, deck, file, note type, normalised question and fingerprints of its
answer and content. Identifying one source folder's notes takes three steps:

1. `claim_exact`: each note takes its own lock entry (its GUID and question, or its deck
   and question), provided its note type is the same;
2. `claim_renamed`: the rest are matched against the entries that lost their note
   (`matching.match_renamed`): reworded questions, renamed files and decks;
3. `allot`: GUIDs, ids and modification times. A claimed note keeps its GUID and id, and
   its modification time unless its content changed; a changed note gets a time newer
   than any before it, which is what Anki's importer needs to apply the change ("update if
   newer"); a note the lock does not know gets an old time (BASE_MOD), so that a lost lock
   file never makes Anki overwrite the notes it already has.

A note whose note type changed (Basic, reversed, Cloze) gets a new identity: Anki cannot
change a note's type on import, and would skip the note as "conflicting".

Deletions that ankipress numbered itself (`==text==`, list-cloze items) keep their number
from build to build (`settle_clozes`), so that each card keeps asking the fact its reviews
were made on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from . import cloze
from .compile import fingerprint, guid_for
from .lock import LockEntry, sort_key
from .matching import Ambiguity, match_renamed
from .parse import EXPLICIT_ID_PREFIX
from .patterns import lazy_pattern
from .records import Diagnostic, Location, NoteKind, notice, warning

BASE_MOD = 1_767_225_600  # 2026-01-01 00:00 UTC
"""The modification time of a note the lock file does not know: older than any build, so
that Anki adds it when new but never lets it overwrite a note it already has (which would
lose the edits made in Anki), for example after the lock file was lost."""
KIND_NAMES = {
    NoteKind.BASIC: "Basic",
    NoteKind.REVERSED: "Basic and reversed",
    NoteKind.CLOZE: "Cloze",
}
CLOZE_TEXT_LIMIT = 200
"""Characters of a deletion's text remembered in the lock file."""
RESEMBLED = 20
"""Up to this many new and forgotten deletions in a note, reworded ones are looked for."""


@dataclass(frozen=True, slots=True)
class NoteFacts:
    """What identifying a note looks at."""

    kind: NoteKind
    deck: str
    key: str
    guid: str
    """The GUID a new note with this key gets."""
    question_text: str
    answer_fingerprint: str
    content: str
    """Fingerprint of the note as it lands in Anki (media names included)."""
    relpath: str
    location: Location
    auto_clozes: tuple[tuple[int, str], ...] = ()
    """Deletions ankipress numbered: (number given by the parser, text)."""
    fixed_numbers: frozenset[int] = frozenset()
    """Cloze numbers written by hand (`{{cN::…}}`): never moved."""

    @property
    def explicit(self) -> bool:
        """Whether the note names itself with `{#id}`: then its GUID never comes from the
        lock file."""
        return self.key.startswith(EXPLICIT_ID_PREFIX)


@dataclass(frozen=True, slots=True)
class Identity:
    """The identity a note is written to the package with."""

    guid: str
    id: int
    mod: int
    renumbered: tuple[tuple[int, int], ...] = ()
    """(number given by the parser, number it keeps) for deletions whose number moves."""


@dataclass(frozen=True)
class FolderIdentities:
    """The outcome of identifying one source folder's notes."""

    identities: tuple[Identity, ...]
    """Every note's identity, in the order given."""
    entries: tuple[LockEntry, ...]
    """The new lock file's entries (sorted when written)."""
    removed: tuple[LockEntry, ...]
    """Earlier notes that are no longer in the sources (Anki keeps them until deleted)."""
    retyped: tuple[tuple[LockEntry, int], ...]
    """(earlier note, index of the note that replaces it under another note type)."""
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Reserved:
    """What notes identified apart from these hold: GUIDs and note ids already given (to
    notes of other source folders, or of files unchanged since the last build)."""

    guids: frozenset[str] = frozenset()
    ids: frozenset[int] = frozenset()
    next_id: int = 0
    """No new note id below this one."""
    next_mod: int = 0
    """No changed note's modification time below this one."""
    decks: frozenset[str] = frozenset()
    """Decks those notes are in."""


# -- 1. exact claims --------------------------------------------------------------------------


def claim_exact(notes: Sequence[NoteFacts], lock: Sequence[LockEntry]) -> dict[int, int]:
    """Note index -> index of its own lock entry: the entry with its GUID and question (an
    explicit id: its GUID alone), or else the entry with its deck and question, preferring
    its own file. A note never claims an entry of another note type."""
    by_guid: dict[str, list[int]] = defaultdict(list)
    by_place: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j, entry in enumerate(lock):
        by_guid[entry.guid].append(j)
        by_place[(entry.deck, entry.question)].append(j)
    claimed: dict[int, int] = {}
    taken: set[int] = set()

    def claim(i: int, candidates: Iterable[int]) -> None:
        kind = notes[i].kind
        for j in candidates:
            if j not in taken and lock[j].kind in ("", kind):
                claimed[i] = j
                taken.add(j)
                return

    for i, note in enumerate(notes):
        own = by_guid[note.guid]
        claim(i, (j for j in own if note.explicit or lock[j].question == note.question_text))
    for i, note in enumerate(notes):
        if i not in claimed and not note.explicit:
            same_place = by_place[(note.deck, note.question_text)]
            claim(i, sorted(same_place, key=lambda j: lock[j].file != note.relpath))
    return claimed


# -- 2. renamed notes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Renamed:
    claimed: dict[int, int]
    """Note index -> lock entry index, for the notes that continue an earlier note."""
    pool: tuple[int, ...]
    """Indexes of the entries that were candidates (entries of this build's files that lost
    their note): those left unclaimed are the removed notes."""
    waiting: tuple[int, ...]
    ambiguities: tuple[Ambiguity, ...]
    """Doubtful matches, indexes among `waiting` notes and `pool` entries."""


def claim_renamed(
    notes: Sequence[NoteFacts],
    lock: Sequence[LockEntry],
    claimed: dict[int, int],
    files: Collection[str],
) -> Renamed:
    """Match the notes left unclaimed against the entries of `files` (this build's files and
    those gone) that no note claimed."""
    taken = set(claimed.values())
    waiting = tuple(i for i, note in enumerate(notes) if i not in claimed and not note.explicit)
    pool = tuple(j for j, e in enumerate(lock) if j not in taken and e.file in files)
    matches = match_renamed([notes[i] for i in waiting], [lock[j] for j in pool])
    pairs = {waiting[k]: pool[m] for k, m in matches.pairs}
    return Renamed(pairs, pool, waiting, matches.ambiguities)


# -- 3. GUIDs, ids and modification times ----------------------------------------------------


def settle_clozes(
    note: NoteFacts, entry: LockEntry | None
) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[str, int], ...], int]:
    """Which number each deletion ankipress numbered keeps: the one it had in the lock
    entry (same text, or nearly), else a number above any this note ever used, so that a
    new fact never takes over the card (and reviews) of another. Returns the numbers that
    move, what the lock remembers, and the highest number ever used."""
    if not note.auto_clozes:
        return (), (), 0
    texts = [(number, remembered_text(text)) for number, text in note.auto_clozes]
    if entry is None or not entry.top:
        # A new note, or one built before numbers were remembered: as parsed.
        final = {number: number for number, _ in texts}
    else:
        final = keep_numbers(texts, entry, note.fixed_numbers)
    top = max([entry.top if entry else 0, *final.values(), *note.fixed_numbers])
    moved = tuple((old, new) for old, new in sorted(final.items()) if old != new)
    remembered = tuple(sorted(((text, final[number]) for number, text in texts), key=by_number))
    return moved, remembered, top


def keep_numbers(
    texts: Sequence[tuple[int, str]], entry: LockEntry, fixed: frozenset[int]
) -> dict[int, int]:
    """Parsed number -> kept number: the remembered number of the same text, else of a
    slightly reworded one, else a number above any used before."""
    known: dict[str, list[int]] = defaultdict(list)
    for text, number in sorted(entry.clozes, key=by_number):
        known[text].append(number)
    final: dict[int, int] = {}
    used = set(fixed)

    def take(number: int, text: str) -> None:
        kept = known[text].pop(0)
        if not known[text]:
            del known[text]
        if kept not in used:
            final[number] = kept
            used.add(kept)

    for number, text in texts:
        if text in known:
            take(number, text)
    left = [(number, text) for number, text in texts if number not in final]
    if len(left) <= RESEMBLED and len(known) <= RESEMBLED:
        for number, text in left:
            best = max(known, key=lambda old: (closeness(old, text), old), default=None)
            if best is not None and closeness(best, text) >= 0.75:
                take(number, best)
    top = max([entry.top, *used])
    for number, _ in texts:
        if number not in final:
            if top < cloze.MAX_NUMBER:
                top += 1
                final[number] = top
            else:  # Anki makes no card above c500: a number left free is better than none
                final[number] = next(n for n in range(1, cloze.MAX_NUMBER + 1) if n not in used)
            used.add(final[number])
    return final


def by_number(pair: tuple[str, int]) -> tuple[int, str]:
    return pair[1], pair[0]


def remembered_text(text: str) -> str:
    return " ".join(text.split()).casefold()[:CLOZE_TEXT_LIMIT]


def closeness(a: str, b: str) -> float:
    from difflib import SequenceMatcher  # only for notes with deletions to match

    return SequenceMatcher(None, a[:80], b[:80], autojunk=False).ratio()


def allot(
    notes: Sequence[NoteFacts],
    lock: Sequence[LockEntry],
    claimed: dict[int, int],
    retyped: dict[int, int],
    now: float,
    reserved: Reserved,
) -> tuple[list[Identity], list[LockEntry]]:
    """Every note's GUID, id and modification time, and its new lock entry."""
    fresh_mod = max([int(now), reserved.next_mod, *(entry.mod + 1 for entry in lock)])
    next_id = max([int(now * 1000), reserved.next_id, *(entry.id + 1 for entry in lock)])
    used_guids = set(reserved.guids)
    used_ids = set(reserved.ids)
    in_lock = {entry.guid for entry in lock}
    identities: list[Identity] = []
    entries: list[LockEntry] = []
    for i, note in enumerate(notes):
        known = lock[claimed[i]] if i in claimed else None
        moved, remembered, top = settle_clozes(note, known)
        content = fingerprint(note.content + repr(moved)) if moved else note.content
        if known is not None and known.guid not in used_guids:
            guid = known.guid
            mod = fresh_mod if changed_since(known, note, content) else known.mod
        else:
            guid = new_guid(note, used_guids, in_lock, retyped=i in retyped)
            mod = fresh_mod if i in retyped or known is not None else BASE_MOD
            known = None
        used_guids.add(guid)
        if known is not None and known.id not in used_ids:
            note_id = known.id
        else:
            while next_id in used_ids:
                next_id += 1
            note_id, next_id = next_id, next_id + 1
        used_ids.add(note_id)
        identities.append(Identity(guid, note_id, mod, moved))
        entries.append(
            LockEntry(
                guid=guid,
                id=note_id,
                mod=mod,
                deck=note.deck,
                file=note.relpath,
                question=note.question_text,
                answer=note.answer_fingerprint,
                content=content,
                kind=str(note.kind),
                clozes=remembered,
                top=top if remembered else 0,
            )
        )
    return identities, entries


def changed_since(entry: LockEntry, note: NoteFacts, content: str) -> bool:
    """Whether a note differs from what the lock file says was last written. Entries of lock
    files older than the content fingerprint's present form (no `kind`) are compared on what
    both forms share: deck, question and answer."""
    if entry.kind:
        return entry.content != content
    return (entry.deck, entry.question, entry.answer) != (
        note.deck,
        note.question_text,
        note.answer_fingerprint,
    )


def new_guid(note: NoteFacts, used: set[str], in_lock: set[str], retyped: bool) -> str:
    """The key's GUID, unless another note has it (in this build or in the lock file): then
    one salted with the note type (a retyped note), then with a counter."""
    guid = note.guid
    taken = guid in used or (guid in in_lock and not note.explicit)
    if taken and retyped:
        guid = guid_for(note.key, note.kind.value)
        taken = guid in used or guid in in_lock
    salt = 1
    while taken:
        salt += 1
        guid = guid_for(note.key, str(salt))
        taken = guid in used or guid in in_lock
    return guid


# -- the three steps together -----------------------------------------------------------------


def identify_folder(
    notes: Sequence[NoteFacts],
    lock: Sequence[LockEntry],
    now: float,
    built_files: Collection[str],
    gone_files: Collection[str] = (),
    reserved: Reserved = Reserved(),
) -> FolderIdentities:
    """Identify one source folder's notes against its lock file.

    `built_files` are the folder's files read in this build, `gone_files` those that no
    longer exist or were left out of a build of the whole folder. Entries of built and gone
    files that no note claims are the notes removed; entries of other files are kept as they
    are, so building one file never forgets the others.
    """
    lock = sorted(lock, key=sort_key)
    claimed = claim_exact(notes, lock)
    renamed = claim_renamed(notes, lock, claimed, {*built_files, *gone_files})
    claimed |= renamed.claimed
    taken = set(claimed.values())
    retyped = find_retyped(notes, lock, claimed, renamed.pool, set(taken))
    identities, entries = allot(notes, lock, claimed, retyped, now, reserved)

    kept_guids = {identity.guid for identity in identities}
    unclaimed = [j for j in range(len(lock)) if j not in taken and lock[j].guid not in kept_guids]
    pooled = set(renamed.pool)
    kept = [lock[j] for j in unclaimed if j not in pooled]
    removed = [lock[j] for j in unclaimed if j in pooled]
    continued = set(renamed.claimed)
    diagnostics = [
        *continuation_notices(notes, lock, claimed, continued),
        *deck_warnings(notes, lock, claimed, [*entries, *kept], reserved.decks),
        *ambiguity_warnings(
            [notes[i] for i in renamed.waiting],
            [lock[j] for j in renamed.pool],
            renamed.ambiguities,
        ),
        *retype_warnings(notes, lock, retyped),
    ]
    return FolderIdentities(
        identities=tuple(identities),
        entries=(*entries, *kept),
        removed=tuple(removed),
        retyped=tuple((lock[j], i) for i, j in sorted(retyped.items())),
        diagnostics=tuple(diagnostics),
    )


def find_retyped(
    notes: Sequence[NoteFacts],
    lock: Sequence[LockEntry],
    claimed: dict[int, int],
    pool: Sequence[int],
    taken: set[int],
) -> dict[int, int]:
    """Note index -> the unclaimed entry it replaces under another note type: same GUID, or
    same deck and question."""
    by_guid = {lock[j].guid: j for j in pool if j not in taken}
    by_place = {(lock[j].deck, lock[j].question): j for j in pool if j not in taken}
    retyped: dict[int, int] = {}
    for i, note in enumerate(notes):
        if i in claimed:
            continue
        j = by_guid.get(note.guid, by_place.get((note.deck, note.question_text)))
        if j is not None and lock[j].kind not in ("", note.kind) and j not in taken:
            retyped[i] = j
            taken.add(j)
    return retyped


# -- what the student is told -----------------------------------------------------------------


def shorten(text: str, width: int = 70) -> str:
    """A text on one line, cut with `…` beyond `width` characters."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def continuation_notices(
    notes: Sequence[NoteFacts],
    lock: Sequence[LockEntry],
    claimed: dict[int, int],
    continued: set[int],
) -> list[Diagnostic]:
    """One line per note that continues an earlier question; one per file notes came from."""
    diagnostics = []
    moved: dict[tuple[str, str], list[NoteFacts]] = defaultdict(list)
    for i, note in enumerate(notes):
        if i not in claimed:
            continue
        entry = lock[claimed[i]]
        if i in continued and entry.question != note.question_text:
            where = f" of {entry.file}" if entry.file != note.relpath else ""
            diagnostics.append(
                notice(
                    note.location,
                    f'continues the earlier note "{shorten(entry.question)}"{where}; '
                    "its reviews are kept",
                )
            )
        elif entry.file != note.relpath:
            moved[(entry.file, note.relpath)].append(note)
    for (old, _), group in moved.items():
        count = len(group)
        diagnostics.append(
            notice(
                group[0].location,
                f"{count} note{'s' * (count != 1)} continue{'s' * (count == 1)} "
                f"the notes of {old}; their reviews are kept",
            )
        )
    return diagnostics


def deck_warnings(
    notes: Sequence[NoteFacts],
    lock: Sequence[LockEntry],
    claimed: dict[int, int],
    new_lock: Sequence[LockEntry],
    other_decks: Collection[str] = (),
) -> list[Diagnostic]:
    """Anki never moves an existing card to another deck on import: say so, with the fix."""
    changed: dict[tuple[str, str], list[tuple[NoteFacts, LockEntry]]] = defaultdict(list)
    for i, note in enumerate(notes):
        if i in claimed and lock[claimed[i]].deck != note.deck:
            changed[(lock[claimed[i]].deck, note.deck)].append((note, lock[claimed[i]]))
    still_used = {entry.deck for entry in new_lock} | set(other_decks)
    diagnostics = []
    for (old, new), group in changed.items():
        count = len(group)
        search = (
            deck_search(old)
            if old not in still_used and len(changed) == len({o for o, _ in changed})
            else note_search(entry for _, entry in group)
        )
        diagnostics.append(
            warning(
                group[0][0].location,
                f'deck "{old}" is now "{new}" for {count} note{"s" * (count != 1)}: '
                f'Anki keeps {"their" if count != 1 else "its"} cards in "{old}" '
                "(an import never moves a card). After importing, search "
                f'{search} in Anki\'s browser, select all, and use Change Deck to "{new}"',
            )
        )
    return diagnostics


def ambiguity_warnings(
    notes: Sequence[NoteFacts], entries: Sequence[LockEntry], ambiguities: Iterable[Ambiguity]
) -> list[Diagnostic]:
    """Name both candidates of every doubtful match; the note starts as a new one."""
    diagnostics = []
    for ambiguity in ambiguities:
        note, entry = notes[ambiguity.note], entries[ambiguity.entry]
        first = f'"{shorten(entry.question)}" ({entry.file})'
        if ambiguity.rival_entry is not None:
            rival = entries[ambiguity.rival_entry]
            doubt = f' or "{shorten(rival.question)}" ({rival.file})'
        else:
            doubt = f", but so could the note at {notes[ambiguity.rival_note].location}"
        diagnostics.append(
            warning(
                note.location,
                f"could continue the earlier note {first}{doubt}; too close to tell, so it "
                "starts as a new note (to keep the reviews, restore ankipress.lock and make "
                "these edits one build at a time)",
            )
        )
    return diagnostics


def retype_warnings(
    notes: Sequence[NoteFacts], lock: Sequence[LockEntry], retyped: dict[int, int]
) -> list[Diagnostic]:
    """A note whose type changed arrives in Anki as a new note: say so at its line."""
    diagnostics = []
    for i, j in sorted(retyped.items()):
        old = KIND_NAMES[NoteKind(lock[j].kind)]
        new = KIND_NAMES[notes[i].kind]
        diagnostics.append(
            warning(
                notes[i].location,
                f"this note was {old} and is now {new}: Anki can't change a note's type on "
                "import, so it arrives as a new note, and the old one is listed below among "
                "the notes no longer in your files (`ankipress sync` changes the type in "
                "place and keeps the reviews)",
            )
        )
    return diagnostics


SEARCH_SPECIAL_RE = lazy_pattern(r'([\\"*_])')


def deck_search(deck: str) -> str:
    """An Anki browser search for the cards of one deck, not of its subdecks."""
    name = SEARCH_SPECIAL_RE.sub(r"\\\1", deck)
    return f'"deck:{name}" -"deck:{name}::*"'


def note_search(entries: Iterable[LockEntry]) -> str:
    """An Anki browser search for these notes, by the note ids they were built with (Anki
    keeps a package's note ids on import; it has no search by GUID)."""
    return "nid:" + ",".join(str(entry.id) for entry in sorted(entries, key=lambda e: e.id))


def renumber(text: str, moved: Sequence[tuple[int, int]]) -> str:
    """A cloze text with the deletions ankipress numbered moved to the numbers they keep
    (hand-written `{{cN::…}}`, code and math untouched)."""
    if not moved:
        return text
    mapping = dict(moved)
    pieces = []
    last = 0
    for deletion in cloze.scan(text)[0]:
        if deletion.number in mapping:
            head = f"{{{{c{deletion.number}::"
            pieces += [text[last : deletion.start], f"{{{{c{mapping[deletion.number]}::"]
            last = deletion.start + len(head)
    return "".join(pieces) + text[last:]
