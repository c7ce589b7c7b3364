"""Recognising a note whose identity key changed: a reworded question, a renamed file or
deck, a note moved to another file. Pure and deterministic.

A note that matches no lock entry exactly is compared with the entries that lost their note
in this build: the same answer under a reworded question, a question that differs only
slightly, the same question in another file or under a renamed deck. Only a clear match
continues an earlier note; a doubtful one is reported, so that two notes are never merged.

Every comparison is bounded: questions are compared on at most COMPARED characters, and each
note against at most CANDIDATES earlier notes, so that no input makes a build slow.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from .lock import LockEntry

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
COMPARED = 160
"""Characters of a question compared for similarity (the rest cannot change the verdict
much, and comparing more costs time that grows with the square of the length)."""
CANDIDATES = 6
"""Earlier notes a note is compared with by similarity, the most promising first."""


class Comparable(Protocol):
    """What matching looks at in a note."""

    @property
    def kind(self) -> object: ...
    @property
    def deck(self) -> str: ...
    @property
    def relpath(self) -> str: ...
    @property
    def question_text(self) -> str: ...
    @property
    def answer_fingerprint(self) -> str: ...


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


def fold(text: str) -> str:
    """Text without its accents, so that `role` and `rôle` compare equal."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def similarity(a: str, b: str) -> float:
    """How alike two normalised questions are (0–1), or 0 when they are not slightly edited
    versions of each other. Characters, accents aside, measure typos and punctuation; words
    keep a short question with one word replaced (`quel est x?`, `quel est z?`) apart."""
    if a == b:
        return 1.0
    a, b = fold(a[:COMPARED]), fold(b[:COMPARED])
    if 2 * min(len(a), len(b)) < SLIGHT * (len(a) + len(b)):
        return 0.0  # the lengths alone keep the ratio below SLIGHT
    from difflib import SequenceMatcher  # only when notes are to be matched: start-up time

    chars = SequenceMatcher(None, a, b, autojunk=False)
    if chars.real_quick_ratio() < SLIGHT or chars.quick_ratio() < SLIGHT:
        return 0.0
    # Words first: a few dozen of them compare faster than the characters.
    if SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio() < SLIGHT_WORDS:
        return 0.0
    ratio = chars.ratio()
    return ratio if ratio >= SLIGHT else 0.0


def pair_score(note: Comparable, entry: LockEntry, alike: float) -> float | None:
    """How surely `note` continues `entry`, or None when it plausibly does not.

    Plausible: the same question (moved, renamed file or deck); or, in the same file or
    deck or with the same answer, a slightly different question; or the same (non-empty)
    answer in the same file or deck. Then the same answer adds 3, the same file and the
    same deck 0.5 each. Never across note types: a note whose type changed is a new note
    (Anki cannot change a note's type on import).
    """
    if entry.kind and entry.kind != kind_name(note):
        return None
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
    notes: Sequence[Comparable], entries: Sequence[LockEntry]
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
            shared = Counter(
                j for word in rarest_words(note_words[i], rarity) for j in by_word[word]
            )
            alike = [
                j
                for j, _ in sorted(shared.items(), key=lambda pair: (-pair[1], pair[0]))
                if 2 * len(words & entry_sets[j])
                >= SLIGHT_WORDS * (len(words) + len(entry_sets[j]))
            ][:CANDIDATES]
            found = score_all(note, entries, sorted(alike), found)
        scores.update({(i, j): s for j, s in found.items() if s is not None})
    return scores


def word_bag(question: str) -> list[tuple[str, int]]:
    """The words of a question (its compared part) as a set: (word, how many times it came
    before)."""
    seen: Counter[str] = Counter()
    bag = []
    for word in fold(question[:COMPARED]).split():
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
    note: Comparable,
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


def match_renamed(notes: Sequence[Comparable], entries: Sequence[LockEntry]) -> Matches:
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


def kind_name(note: Comparable) -> str:
    kind = note.kind
    return str(getattr(kind, "value", kind))
