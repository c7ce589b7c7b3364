"""Who each note is, build after build: GUIDs, note ids and modification times. Pure.

A new note's GUID comes from its identity key (deck or front matter `id`, and normalised
question; or its own `{#id}`), never from its answer or position, so Anki recognises it
after any answer edit. The lock file remembers, for every note, its GUID, note id,
modification time, deck, file, normalised question and fingerprints of its answer and
content. Unchanged notes keep all of it, which makes builds of unchanged content
byte-identical; a changed note gets a modification time newer than any before it, which is
what Anki's importer needs to apply the change ("update if newer").

The lock also lets a note keep its GUID through edits that change its key: a note that
matches no lock entry exactly is matched against the entries that lost their note in this
build (`match_renamed`): same answer under a reworded question, a question that differs
only slightly, the same question in another file or under a renamed deck. Only a clear
match continues an earlier note; a doubtful one starts a new note with a warning, so two
notes are never merged.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, fields
from difflib import SequenceMatcher

import genanki

from .parse import EXPLICIT_ID_PREFIX
from .records import Diagnostic, Location, RenderedNote, notice, warning

LOCK_HEADER = (
    "# ankipress.lock: the identity of every note, so that re-importing updates notes in place\n"
    "# and keeps their reviews. Commit it with your notes; it is rewritten by `ankipress build`.\n"
)

SLIGHT = 0.85
"""Similarity from which two different questions count as the same one, slightly edited."""
SLIGHT_WORDS = 0.75
"""…provided that at least this share of their words is unchanged."""
MARGIN = 1.0
"""How far a match must score above every rival to be trusted (one locality or so)."""
STRONG = 4.0 + 1.0 + MARGIN
"""A score no rival found by similarity alone can come within MARGIN of."""
SHARED_WORDS = SLIGHT_WORDS / 2 * (1 + SLIGHT_WORDS / (2 - SLIGHT_WORDS))
"""The share of a question's words that any slightly different question has too (0.6):
the word ratio needs 2·shared ≥ SLIGHT_WORDS·(m + n), with lengths m/n ≥ 0.75/1.25."""
EMPTY_ANSWER = hashlib.sha256(b"").hexdigest()[:16]
"""Fingerprint of an empty answer (cloze lines): shared by too many notes to identify one."""


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
    """Fingerprint of everything that reaches Anki: note type, deck, fields, tags."""


@dataclass(frozen=True, slots=True)
class PackedNote:
    """A rendered note with the identity it is written to the package with."""

    note: RenderedNote
    guid: str
    id: int
    mod: int


@dataclass(frozen=True)
class Ambiguity:
    """A note that may continue an earlier note, but not clearly enough to say so."""

    note: int
    """Index of the note among the notes given to `match_renamed`."""
    entry: int
    """Index of the earlier note (among the entries given) it resembles most."""
    rival_entry: int | None = None
    """A second earlier note it resembles about as much, if that is the doubt."""
    rival_note: int | None = None
    """Otherwise another note that resembles `entry` about as much."""


@dataclass(frozen=True)
class Matches:
    """What `match_renamed` found: confident continuations and doubtful cases."""

    pairs: tuple[tuple[int, int], ...]
    """(note index, index of the earlier note it continues), in note order."""
    ambiguities: tuple[Ambiguity, ...]


@dataclass(frozen=True)
class Identities:
    """The outcome of identifying one source folder's notes."""

    packed: tuple[PackedNote, ...]
    """Every note with its GUID, id and mod, in the order given."""
    entries: tuple[LockEntry, ...]
    """The new lock file's entries, sorted."""
    removed: tuple[LockEntry, ...]
    """Earlier notes that are no longer in the sources (Anki keeps them until deleted)."""
    diagnostics: tuple[Diagnostic, ...]
    """Notes continued under a new question or file, deck changes, ambiguous edits."""


def guid_for(key: str, *salt: str) -> str:
    return genanki.guid_for(key, *salt)


def content_fingerprint(note: RenderedNote) -> str:
    text = "\x1e".join((note.kind.value, note.deck, *note.fields, " ".join(note.tags)))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def is_explicit(note: RenderedNote) -> bool:
    """Whether the note names itself with `{#id}`: its GUID then never comes from the lock."""
    return note.key.startswith(EXPLICIT_ID_PREFIX)


# -- matching notes whose key changed ----------------------------------------------------------


def fold(text: str) -> str:
    """Text without its accents, so that `role` and `rôle` compare equal."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def similarity(a: str, b: str) -> float:
    """How alike two normalised questions are (0–1), or 0 when they are not slightly edited
    versions of each other. Characters, accents aside, measure typos and punctuation; words
    keep a short question with one word replaced (`quel est x?`, `quel est z?`) apart."""
    if a == b:
        return 1.0
    a, b = fold(a), fold(b)
    if 2 * min(len(a), len(b)) < SLIGHT * (len(a) + len(b)):
        return 0.0  # the lengths alone keep the ratio below SLIGHT
    chars = SequenceMatcher(None, a, b, autojunk=False)
    if chars.real_quick_ratio() < SLIGHT or chars.quick_ratio() < SLIGHT:
        return 0.0
    ratio = chars.ratio()
    words = SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()
    return ratio if ratio >= SLIGHT and words >= SLIGHT_WORDS else 0.0


def pair_score(note: RenderedNote, entry: LockEntry, alike: float) -> float | None:
    """How surely `note` continues `entry`, or None when it plausibly does not.

    Plausible: the same question (moved, renamed file or deck); or, in the same file or
    deck or with the same answer, a slightly different question; or the same (non-empty)
    answer in the same file or deck. Then the same answer adds 3, the same file and the
    same deck 0.5 each.
    """
    same_answer = note.answer_fingerprint == entry.answer and entry.answer != EMPTY_ANSWER
    same_file = note.relpath == entry.file
    same_deck = note.deck == entry.deck
    if note.question_text == entry.question:
        base = 4.0
    elif alike >= SLIGHT and (same_answer or same_file or same_deck):
        base = 2.0 + alike
    elif same_answer and (same_file or same_deck):
        base = 0.0
    else:
        return None
    return base + 3.0 * same_answer + 0.5 * same_file + 0.5 * same_deck


def candidate_scores(
    notes: Sequence[RenderedNote], entries: Sequence[LockEntry]
) -> dict[tuple[int, int], float]:
    """Score every plausible (note, entry) pair. Exact question and answer hits come from
    indexes; slightly different questions are looked for, unless a hit is already decisive,
    among the entries sharing one of the note's rarest words."""
    by_question: dict[str, list[int]] = defaultdict(list)
    by_answer: dict[str, list[int]] = defaultdict(list)
    for j, entry in enumerate(entries):
        by_question[entry.question].append(j)
        if entry.answer != EMPTY_ANSWER:
            by_answer[entry.answer].append(j)
    note_words = [word_bag(note.question_text) for note in notes]
    entry_words = [word_bag(entry.question) for entry in entries]
    note_sets = [frozenset(bag) for bag in note_words]
    entry_sets = [frozenset(bag) for bag in entry_words]
    rarity = Counter(word for bag in (*note_words, *entry_words) for word in bag)
    by_word: dict[tuple[str, int], list[int]] = defaultdict(list)
    for j, bag in enumerate(entry_words):
        for word in rarest_words(bag, rarity):
            by_word[word].append(j)

    scores: dict[tuple[int, int], float] = {}
    for i, note in enumerate(notes):
        hits = [
            *by_question.get(note.question_text, ()),
            *by_answer.get(note.answer_fingerprint, ()),
        ]
        found = score_all(note, entries, hits, {})
        if max((s for s in found.values() if s is not None), default=0.0) < STRONG:
            words = note_sets[i]
            alike = {j for word in rarest_words(note_words[i], rarity) for j in by_word[word]}
            alike = {
                j
                for j in alike
                if 2 * len(words & entry_sets[j])
                >= SLIGHT_WORDS * (len(words) + len(entry_sets[j]))
            }
            found = score_all(note, entries, sorted(alike), found)
        scores.update({(i, j): s for j, s in found.items() if s is not None})
    return scores


def word_bag(question: str) -> list[tuple[str, int]]:
    """The words of a question as a set: (word, how many times it came before)."""
    seen: Counter[str] = Counter()
    bag = []
    for word in fold(question).split():
        bag.append((word, seen[word]))
        seen[word] += 1
    return bag


def rarest_words(bag: list[tuple[str, int]], rarity: Counter) -> list[tuple[str, int]]:
    """The rarest words of a question, enough that any slightly different question shares
    at least one of them (prefix filtering: two questions sharing SHARED_WORDS of their
    words share one among the rarest), so that only those pairs are compared."""
    shared = max(1, math.ceil(SHARED_WORDS * len(bag) - 1e-9))
    return sorted(bag, key=lambda word: (rarity[word], word))[: len(bag) - shared + 1]


def score_all(
    note: RenderedNote,
    entries: Sequence[LockEntry],
    indices: Iterable[int],
    found: dict[int, float | None],
) -> dict[int, float | None]:
    """`found` completed with the scores of the note against the entries at `indices`."""
    for j in indices:
        if j not in found:
            found[j] = pair_score(
                note, entries[j], similarity(note.question_text, entries[j].question)
            )
    return found


def match_renamed(notes: Sequence[RenderedNote], entries: Sequence[LockEntry]) -> Matches:
    """Which of `notes` (matching no lock entry exactly) continue which of `entries` (lock
    entries whose note is gone). Pure and deterministic.

    A pair is confident when its score beats, by MARGIN, every other plausible pair of the
    same note and of the same entry. Confident pairs are taken in rounds (taking one can
    settle another's rivalry); a note left with a plausible pair is an ambiguity.
    """
    if not notes or not entries:
        return Matches((), ())
    scores = candidate_scores(notes, entries)
    note_of: dict[int, int] = {}  # entry index -> note index
    entry_of: dict[int, int] = {}  # note index -> entry index
    while True:
        live = {p: s for p, s in scores.items() if p[0] not in entry_of and p[1] not in note_of}
        by_note: dict[int, list[tuple[float, int]]] = defaultdict(list)
        by_entry: dict[int, list[tuple[float, int]]] = defaultdict(list)
        for (i, j), score in live.items():
            by_note[i].append((score, j))
            by_entry[j].append((score, i))
        confident = []
        for (i, j), score in live.items():
            rivals = [s for s, k in by_note[i] if k != j] + [s for s, k in by_entry[j] if k != i]
            if not rivals or score - max(rivals) >= MARGIN:
                confident.append((i, j))
        if not confident:
            break
        for i, j in confident:
            entry_of[i], note_of[j] = j, i

    ambiguities = []
    for i in sorted(by_note):
        _, j = max(by_note[i], key=lambda pair: (pair[0], -pair[1]))
        other_entry = max(((s, -k) for s, k in by_note[i] if k != j), default=None)
        other_note = max(((s, -k) for s, k in by_entry[j] if k != i), default=None)
        if other_entry is not None and (other_note is None or other_entry[0] >= other_note[0]):
            ambiguities.append(Ambiguity(i, j, rival_entry=-other_entry[1]))
        elif other_note is not None:
            ambiguities.append(Ambiguity(i, j, rival_note=-other_note[1]))
    return Matches(tuple(sorted(entry_of.items())), tuple(ambiguities))


# -- giving every note its identity ------------------------------------------------------------


def assign_identities(
    notes: Sequence[RenderedNote],
    lock: Sequence[LockEntry],
    now: float,
    built_files: Collection[str] | None = None,
    gone_files: Collection[str] = (),
    reserved: Collection[str] = (),
) -> Identities:
    """Give every note its GUID, id and modification time; return the new lock entries.

    `lock` holds the entries of the notes' source folder. `built_files` are the files of
    that folder read in this build (default: the notes' files), `gone_files` those that no
    longer exist or were left out of a build of the whole folder. Entries of built and gone
    files that no note claims are the notes removed; entries of other files are kept as
    they are, so building one file never forgets the others. `reserved` are GUIDs already
    given to notes of other source folders.
    """
    built = {note.relpath for note in notes} if built_files is None else set(built_files)
    gone = set(gone_files)
    lock = sort_entries(lock)
    fresh_mod = max([int(now), *(entry.mod + 1 for entry in lock)])
    next_id = max([int(now * 1000), *(entry.id + 1 for entry in lock)])
    keys = [guid_for(note.key) for note in notes]

    # 1. Exact: a note's own entry has its GUID and question (an explicit id: its GUID),
    #    or, when its GUID came from an earlier question, its deck and question.
    by_guid: dict[str, list[int]] = defaultdict(list)
    by_place: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j, entry in enumerate(lock):
        by_guid[entry.guid].append(j)
        by_place[(entry.deck, entry.question)].append(j)
    claimed: dict[int, int] = {}  # note index -> entry index
    taken: set[int] = set()

    def claim(i: int, candidates: Iterable[int]) -> None:
        for j in candidates:
            if j not in taken:
                claimed[i] = j
                taken.add(j)
                return

    for i, note in enumerate(notes):
        explicit = is_explicit(note)
        own = by_guid[keys[i]]
        claim(i, (j for j in own if explicit or lock[j].question == note.question_text))
    for i, note in enumerate(notes):
        if i not in claimed and not is_explicit(note):
            same_place = by_place[(note.deck, note.question_text)]
            claim(i, sorted(same_place, key=lambda j: lock[j].file != note.relpath))

    # 2. Renamed: the rest against the entries of this build's files that lost their note.
    waiting = [i for i, note in enumerate(notes) if i not in claimed and not is_explicit(note)]
    pool = [
        j
        for j, entry in enumerate(lock)
        if j not in taken and (entry.file in built or entry.file in gone)
    ]
    matches = match_renamed([notes[i] for i in waiting], [lock[j] for j in pool])
    continued = set()
    for k, m in matches.pairs:
        claimed[waiting[k]] = pool[m]
        taken.add(pool[m])
        continued.add(waiting[k])

    # 3. GUIDs: kept for claimed notes, the key's for new ones unless already in use.
    used = set(reserved)
    guids: dict[int, str] = {}
    for i in sorted(claimed):
        guid = lock[claimed[i]].guid
        if guid in used:  # two entries with one GUID (a hand-merged lock): only one keeps it
            del claimed[i]
            continue
        guids[i] = guid
        used.add(guid)
    in_lock = {entry.guid for entry in lock}
    packed: list[PackedNote] = []
    entries: list[LockEntry] = []
    for i, note in enumerate(notes):
        content = content_fingerprint(note)
        if i in claimed:
            known = lock[claimed[i]]
            guid, note_id = guids[i], known.id
            mod = known.mod if known.content == content else fresh_mod
        else:
            guid = keys[i]
            salt = 1
            while guid in used or (guid in in_lock and not is_explicit(note)):
                salt += 1
                guid = guid_for(note.key, str(salt))
            used.add(guid)
            note_id, next_id = next_id, next_id + 1
            mod = fresh_mod
        packed.append(PackedNote(note, guid, note_id, mod))
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
            )
        )

    unclaimed = [j for j in range(len(lock)) if j not in taken and lock[j].guid not in used]
    pooled = set(pool)
    kept = [lock[j] for j in unclaimed if j not in pooled]
    removed = [lock[j] for j in unclaimed if j in pooled]
    diagnostics = [
        *continuation_notices(notes, lock, claimed, continued),
        *deck_warnings(notes, lock, claimed, [*entries, *kept]),
        *ambiguity_warnings(
            [notes[i] for i in waiting], [lock[j] for j in pool], matches.ambiguities
        ),
    ]
    return Identities(
        tuple(packed), tuple(sort_entries([*entries, *kept])), tuple(removed), tuple(diagnostics)
    )


# -- what the student is told -------------------------------------------------------------------


def shorten(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def continuation_notices(
    notes: Sequence[RenderedNote],
    lock: Sequence[LockEntry],
    claimed: dict[int, int],
    continued: set[int],
) -> list[Diagnostic]:
    """One line per note that continues an earlier question; one per file notes came from."""
    diagnostics = []
    moved: dict[tuple[str, str], list[RenderedNote]] = defaultdict(list)
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
    notes: Sequence[RenderedNote],
    lock: Sequence[LockEntry],
    claimed: dict[int, int],
    new_lock: Sequence[LockEntry],
) -> list[Diagnostic]:
    """Anki never moves an existing card to another deck on import: say so, with the fix."""
    changed: dict[tuple[str, str], list[tuple[RenderedNote, LockEntry]]] = defaultdict(list)
    for i, note in enumerate(notes):
        if i in claimed and lock[claimed[i]].deck != note.deck:
            changed[(lock[claimed[i]].deck, note.deck)].append((note, lock[claimed[i]]))
    still_used = {entry.deck for entry in new_lock}
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
    notes: Sequence[RenderedNote], entries: Sequence[LockEntry], ambiguities: Iterable[Ambiguity]
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


SEARCH_SPECIAL_RE = re.compile(r'([\\"*_])')


def deck_search(deck: str) -> str:
    """An Anki browser search for the cards of one deck, not of its subdecks."""
    name = SEARCH_SPECIAL_RE.sub(r"\\\1", deck)
    return f'"deck:{name}" -"deck:{name}::*"'


def note_search(entries: Iterable[LockEntry]) -> str:
    """An Anki browser search for these notes, by the note ids they were built with (Anki
    keeps a package's note ids on import; it has no search by GUID)."""
    return "nid:" + ",".join(str(entry.id) for entry in sorted(entries, key=lambda e: e.id))


# -- the lock file ------------------------------------------------------------------------------


def sort_entries(entries: Iterable[LockEntry]) -> list[LockEntry]:
    return sorted(entries, key=lambda e: (e.file, e.deck, e.question, e.guid))


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


LOCK_FIELDS = tuple(f.name for f in fields(LockEntry))


def format_lock(entries: Sequence[LockEntry]) -> str:
    """One JSON object per line, sorted, so that diffs and merges stay small."""
    lines = [
        json.dumps(
            {name: getattr(entry, name) for name in LOCK_FIELDS},
            ensure_ascii=False,
            sort_keys=True,
            separators=(", ", ": "),
        )
        for entry in sort_entries(entries)
    ]
    return LOCK_HEADER + "".join(line + "\n" for line in lines)


def parse_lock(text: str, display: str) -> tuple[list[LockEntry], list[Diagnostic]]:
    """Read a lock file; a damaged line is skipped with a warning (only its memory is lost)."""
    entries: list[LockEntry] = []
    diagnostics: list[Diagnostic] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            data = json.loads(line)
            entry = LockEntry(**data)
            if not isinstance(entry.id, int) or not isinstance(entry.mod, int):
                raise TypeError("id and mod must be numbers")
        except (ValueError, TypeError) as exc:
            diagnostics.append(
                warning(Location(display, number), f"unreadable lock file entry skipped ({exc})")
            )
            continue
        entries.append(entry)
    return entries, diagnostics
