"""The identity rules on their own: matching edited notes to the lock file, GUIDs, the lock."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from ankipress.compile import guid_for
from ankipress.identity import NoteFacts, Reserved, deck_search, identify_folder, note_search
from ankipress.lock import LockEntry, describe_changes, format_lock, read_lock
from ankipress.matching import (
    EMPTY_ANSWER,
    STRONG,
    candidate_scores,
    match_renamed,
    pair_score,
    similarity,
)
from ankipress.parse import normalise_question, split_note_id
from ankipress.records import Location, NoteKind, Severity

NOW = 1_790_000_000


def fingerprint(answer: str) -> str:
    return hashlib.sha256(answer.encode()).hexdigest()[:16]


def note(
    question: str,
    answer: str = "",
    deck: str = "Cours",
    file: str = "cours.txt",
    line: int = 1,
    own_id: str | None = None,
) -> NoteFacts:
    """A note's facts as the pipeline gives them to the identity step."""
    answer = answer or f"réponse à {question}"
    key = f"note:{own_id}" if own_id else f"deck:{deck}\x1f{normalise_question(question)}"
    return NoteFacts(
        kind=NoteKind.BASIC,
        deck=deck,
        key=key,
        guid=guid_for(key),
        question_text=normalise_question(question),
        answer_fingerprint=fingerprint(answer),
        content=fingerprint(f"{deck}\x1e{question}\x1e{answer}\x1e{file}"),
        relpath=file,
        location=Location(f"content/{file}", line),
    )


def entry(
    question: str, answer: str = "", deck: str = "Cours", file: str = "cours.txt", guid: str = ""
) -> LockEntry:
    answer = answer or f"réponse à {question}"
    return LockEntry(
        guid=guid or guid_for(f"deck:{deck}\x1f{normalise_question(question)}"),
        id=NOW * 1000,
        mod=NOW,
        deck=deck,
        file=file,
        question=normalise_question(question),
        answer=fingerprint(answer),
        content="0" * 16,
        kind="basic",
    )


def first_build(notes: list[NoteFacts]):
    return identify_folder(notes, [], NOW, {n.relpath for n in notes})


def rebuild(
    notes: list[NoteFacts], lock, now: int = NOW + 100, built_files=None, gone_files=(), **kwargs
):
    built = {n.relpath for n in notes} if built_files is None else built_files
    return identify_folder(notes, lock, now, built, gone_files, **kwargs)


def guids(result) -> list[str]:
    return [item.guid for item in result.identities]


# -- the matcher ------------------------------------------------------------------------------


def test_similarity_sees_typos_and_one_replaced_word_but_not_other_questions():
    base = "quel sont les avantages de la communauté pratique?"
    assert similarity(base, "quels sont les avantages de la communauté pratique?") > 0.95
    assert similarity(base, "quels sont les bénéfices de la communauté pratique?") >= 0.85
    assert similarity(base, "quels sont les différents rôles de la communauté pratique?") < 0.85
    assert similarity("pourquoi?", "comment?") < 0.85
    assert similarity("quel est le role?", "quel est le rôle?") == 1.0  # accents aside
    # One word of three replaced is another question, however few letters changed.
    assert similarity("quel est x?", "quel est z?") < 0.85


def test_a_short_question_with_one_word_and_its_answer_replaced_is_a_new_note():
    old = entry("Quel est X ?", answer="Y")
    assert match_renamed([note("Quel est Z ?", answer="W")], [old]).pairs == ()
    # … while the same answer says that it is the same note, retitled.
    assert match_renamed([note("Quel est Z ?", answer="Y")], [old]).pairs == ((0, 0),)


def test_a_slight_edit_in_another_file_and_deck_with_another_answer_is_a_new_note():
    old = entry("Quel est le rôle du cervelet ?", answer="A", deck="Neuro", file="neuro.txt")
    new = note("Quel est le rôle du cervelet ?!", answer="B", deck="Bio", file="bio.txt")
    assert match_renamed([new], [old]).pairs == ()
    moved = note("Quel est le rôle du cervelet ?!", answer="B", deck="Neuro", file="bio.txt")
    assert match_renamed([moved], [old]).pairs == ((0, 0),)


def test_a_typo_fixed_in_a_question_continues_the_note():
    old = entry("Quel sont les avantages de la communauté pratique ?", answer="A")
    fixed = note("Quels sont les avantages de la communauté pratique ?", answer="A")
    result = match_renamed([fixed], [old])
    assert result.pairs == ((0, 0),)
    assert result.ambiguities == ()


def test_a_reworded_question_with_the_same_answer_continues_the_note():
    old = entry("Pourquoi le ciel est-il bleu ?", answer="La diffusion de Rayleigh")
    reworded = note("D'où vient la couleur du ciel ?", answer="La diffusion de Rayleigh")
    assert match_renamed([reworded], [old]).pairs == ((0, 0),)


def test_same_answer_alone_is_not_enough_in_another_file_and_deck():
    old = entry("Pourquoi le ciel est-il bleu ?", answer="Rayleigh", deck="Physique", file="p.txt")
    other = note("Qui a expliqué la diffusion ?", answer="Rayleigh", deck="Histoire", file="h.txt")
    assert match_renamed([other], [old]) == match_renamed([], [])


def test_an_empty_answer_identifies_nothing():
    """Cloze lines have no answer: their shared empty fingerprint must not match them."""
    old = entry("La {{c1::mitochondrie}} produit l'ATP", answer="")
    old = replace(old, answer=EMPTY_ANSWER)
    other = note("Le {{c1::noyau}} contient l'ADN")
    other = replace(other, answer_fingerprint=EMPTY_ANSWER)
    assert match_renamed([other], [old]).pairs == ()


def test_an_unrelated_new_question_is_not_matched():
    old = entry("Quel est le but du codéveloppement ?")
    new = note("Qu'est-ce qu'une COP ?")
    result = match_renamed([new], [old])
    assert result.pairs == () and result.ambiguities == ()


def test_the_same_question_in_a_renamed_file_and_deck_continues_the_note():
    old = entry("Quel est X ?", answer="Y", deck="Cours 13 Flashcards", file="cours-13.txt")
    moved = note("Quel est X ?", answer="Y", deck="Cours 13", file="cours13.txt")
    assert match_renamed([moved], [old]).pairs == ((0, 0),)


def test_two_equally_close_earlier_notes_make_an_ambiguity_naming_both():
    first = entry("Quels sont les éléments du groupe A ?", answer="a")
    second = entry("Quels sont les éléments du groupe B ?", answer="b")
    merged = note("Quels sont les éléments du groupe C ?", answer="c")
    result = match_renamed([merged], [first, second])
    assert result.pairs == ()
    (ambiguity,) = result.ambiguities
    assert {ambiguity.entry, ambiguity.rival_entry} == {0, 1}
    assert ambiguity.rival_note is None


def test_two_notes_close_to_one_earlier_note_make_an_ambiguity_naming_the_other():
    old = entry("Quel sont les avantages de la communauté pratique ?", answer="tout")
    one = note("Quels sont les avantages de la communauté pratique ?", answer="moitié", line=1)
    two = note("Quel sont les avantages de la communauté de pratique ?", answer="autre", line=5)
    result = match_renamed([one, two], [old])
    assert result.pairs == ()
    assert [(a.note, a.entry, a.rival_note) for a in result.ambiguities] == [(0, 0, 1), (1, 0, 0)]


def test_the_note_keeping_the_answer_wins_a_split_and_the_other_is_new():
    old = entry("Quel sont les avantages de la communauté pratique ?", answer="tout")
    keeps = note("Quels sont les avantages de la communauté pratique ?", answer="tout")
    other = note("Quel sont les avantages de la communauté de pratique ?", answer="autre")
    result = match_renamed([other, keeps], [old])
    assert result.pairs == ((1, 0),)
    assert result.ambiguities == ()


def test_a_settled_pair_settles_its_rivals_in_the_next_round():
    """B's only rival for entry b is A, which clearly belongs to entry a."""
    a = entry("Quel est le rôle du cervelet ?", answer="coordination")
    b = entry("Quel est le rôle du cervelet dans l'équilibre ?", answer="équilibre")
    note_a = note("Quel est le rôle du cervelet ?!", answer="coordination")
    note_b = note("Quel est le rôle du cervelet dans l'équilibre ?!", answer="posture")
    result = match_renamed([note_a, note_b], [a, b])
    assert result.pairs == ((0, 0), (1, 1))


# -- GUIDs, ids and mods ----------------------------------------------------------------------


def test_unchanged_notes_keep_guid_id_and_mod_and_the_lock_is_identical():
    notes = [note("Quel est X ?", line=1), note("Quel est Y ?", line=3)]
    first = first_build(notes)
    again = rebuild(notes, first.entries, now=NOW + 999)
    assert again.identities == first.identities
    assert format_lock(again.entries) == format_lock(first.entries)
    assert again.diagnostics == () and again.removed == ()


def test_without_a_lock_new_notes_get_the_guid_of_their_deck_and_question():
    notes = [note("Quel est X ?"), note("Quel est Y ?", deck="Autre")]
    assert guids(first_build(notes)) == [guid_for(n.key) for n in notes]


def test_an_edited_question_keeps_its_guid_id_and_gets_a_newer_mod():
    first = first_build([note("Quel sont les avantages ?", answer="A"), note("Quel est Y ?")])
    result = rebuild(
        [note("Quels sont les avantages ?", answer="A"), note("Quel est Y ?")], first.entries
    )
    assert guids(result) == guids(first)
    assert result.identities[0].id == first.identities[0].id
    assert result.identities[0].mod > max(e.mod for e in first.entries)
    assert result.identities[1].mod == first.identities[1].mod
    (message,) = result.diagnostics
    assert message.severity is Severity.NOTE
    assert 'continues the earlier note "quel sont les avantages?"' in message.message


def test_a_new_note_never_takes_a_guid_an_edited_note_kept():
    """`Quel` became `Quels` (keeping the GUID of `Quel`); then `Quel` is added again."""
    first = first_build([note("Quel sont les avantages ?", answer="A")])
    second = rebuild([note("Quels sont les avantages ?", answer="A")], first.entries)
    both = [
        note("Quels sont les avantages ?", answer="A"),
        note("Quel sont les avantages ?", answer="B"),
    ]
    third = rebuild(both, second.entries, now=NOW + 200)
    assert third.identities[0].guid == first.identities[0].guid
    assert len(set(guids(third))) == 2
    assert third.removed == ()


def test_an_ambiguous_edit_gets_new_guids_and_lists_the_earlier_note_as_removed():
    first = first_build(
        [note("Quel sont les avantages de la communauté pratique ?", answer="tout")]
    )
    split = [
        note("Quels sont les avantages de la communauté pratique ?", answer="moitié", line=1),
        note("Quel sont les avantages de la communauté de pratique ?", answer="autre", line=5),
    ]
    result = rebuild(split, first.entries)
    assert first.identities[0].guid not in guids(result)
    assert len(set(guids(result))) == 2
    assert result.removed == first.entries
    warnings = [d for d in result.diagnostics if d.severity is Severity.WARNING]
    assert len(warnings) == 2
    assert "but so could the note at content/cours.txt:5:1" in warnings[0].message
    assert '"quel sont les avantages de la communauté pratique?"' in warnings[0].message


def test_an_ambiguous_note_never_takes_the_guid_of_a_candidate_not_even_by_its_own_key():
    """`Quel` became `Quels` (keeping the GUID of `Quel`); then that note is split in two
    ambiguous notes, one of them `Quel` again: it must not revive the old note's GUID."""
    first = first_build([note("Quel sont les avantages de la communauté pratique ?", answer="A")])
    fixed = [note("Quels sont les avantages de la communauté pratique ?", answer="A")]
    second = rebuild(fixed, first.entries)
    split = [
        note("Quel sont les avantages de la communauté pratique ?", answer="B", line=1),
        note("Quels sont les avantages de la communauté de pratique ?", answer="C", line=5),
    ]
    third = rebuild(split, second.entries, now=NOW + 200)
    assert len(third.diagnostics) == 2
    assert first.identities[0].guid not in guids(third)
    assert third.removed == second.entries


def test_a_renamed_deck_keeps_guids_and_warns_with_the_search_of_the_old_deck():
    notes = [note("Quel est X ?", deck="Cours 13"), note("Quel est Y ?", deck="Cours 13")]
    first = first_build(notes)
    renamed = [note("Quel est X ?", deck="Cours 13 bis"), note("Quel est Y ?", deck="Cours 13 bis")]
    result = rebuild(renamed, first.entries)
    assert guids(result) == guids(first)
    (message,) = result.diagnostics
    assert message.severity is Severity.WARNING
    assert 'deck "Cours 13" is now "Cours 13 bis" for 2 notes' in message.message
    assert '"deck:Cours 13" -"deck:Cours 13::*"' in message.message


def test_a_note_moved_to_another_deck_warns_with_the_search_of_that_note_only():
    first = first_build([note("Quel est X ?", deck="A"), note("Quel est Y ?", deck="A")])
    moved = [note("Quel est X ?", deck="A"), note("Quel est Y ?", deck="B", file="b.txt")]
    result = rebuild(moved, first.entries)
    assert guids(result) == guids(first)
    deck_warning = next(d for d in result.diagnostics if d.severity is Severity.WARNING)
    assert f"search nid:{first.identities[1].id} in" in deck_warning.message


def test_a_renamed_file_continues_its_notes_when_the_old_file_is_gone():
    notes = [note("Quel est X ?", file="old.txt"), note("Quel est Y ?", file="old.txt")]
    first = first_build(notes)
    renamed = [note("Quel est X ?", file="new.txt"), note("Quel est Y ?", file="new.txt")]
    result = rebuild(renamed, first.entries, built_files={"new.txt"}, gone_files={"old.txt"})
    assert guids(result) == guids(first)
    assert {e.file for e in result.entries} == {"new.txt"}
    (message,) = result.diagnostics
    assert message.message == "2 notes continue the notes of old.txt; their reviews are kept"


def test_entries_of_files_not_built_are_kept_and_never_continued():
    first = first_build(
        [note("Quel est X ?", file="a.txt"), note("Quel est Y ?", answer="Z", file="b.txt")]
    )
    # Only a.txt is built; b.txt still exists. A question of a.txt resembling b.txt's note
    # must not steal it.
    result = rebuild(
        [note("Quel est X ?", file="a.txt"), note("Quel est Y ?!", answer="Z", file="a.txt")],
        first.entries,
        built_files={"a.txt"},
    )
    assert first.identities[1].guid not in guids(result)
    assert first.entries[1] in result.entries
    assert result.removed == ()


def test_a_removed_note_is_listed_and_forgotten():
    first = first_build([note("Quel est X ?"), note("Quel est Y ?")])
    result = rebuild([note("Quel est X ?")], first.entries)
    assert [e.question for e in result.removed] == ["quel est y?"]
    assert [e.question for e in result.entries] == ["quel est x?"]


def test_an_explicit_id_wins_over_every_edit_and_over_the_lock():
    first = first_build([note("Quel est le rôle du cervelet ?", own_id="cervelet")])
    edited = note(
        "Que fait le cervelet ?", answer="autre", deck="Neuro", file="n.txt", own_id="cervelet"
    )
    assert guids(rebuild([edited], first.entries)) == [guid_for("note:cervelet")]
    assert guids(first_build([edited])) == [guid_for("note:cervelet")]


def test_an_explicit_id_is_never_given_to_a_fuzzy_match():
    """Adding an id to an existing note names a new note; the old one is listed as removed."""
    first = first_build([note("Quel est le rôle du cervelet ?", answer="A")])
    with_id = note("Quel est le rôle du cervelet ?", answer="A", own_id="cervelet")
    result = rebuild([with_id], first.entries)
    assert guids(result) == [guid_for("note:cervelet")]
    assert result.removed == first.entries


def test_guids_reserved_by_another_source_folder_are_not_reused():
    x = note("Quel est X ?")
    result = identify_folder([x], [], NOW, {x.relpath}, reserved=Reserved(frozenset({x.guid})))
    assert guids(result) != [guid_for(x.key)]


QUESTIONS = st.lists(
    st.text(alphabet="abcdefghij ?", min_size=3, max_size=12).map(str.strip).filter(bool),
    min_size=1,
    max_size=8,
    unique_by=normalise_question,
)


@settings(max_examples=60, deadline=None)
@given(before=QUESTIONS, after=QUESTIONS, answers=st.lists(st.sampled_from("xyz"), min_size=16))
def test_no_two_notes_ever_share_a_guid_and_unchanged_notes_keep_theirs(before, after, answers):
    old = [note(q, answer=answers[i]) for i, q in enumerate(before)]
    first = first_build(old)
    new = [note(q, answer=answers[8 + i]) for i, q in enumerate(after)]
    result = rebuild(new, first.entries)
    assert len(set(guids(result))) == len(new)
    assert len({e.guid for e in result.entries}) == len(result.entries)
    kept = {n.key: p.guid for n, p in zip(old, first.identities, strict=True)}
    for n, packed in zip(new, result.identities, strict=True):
        if n.key in kept and any(
            o.key == n.key and o.answer_fingerprint == n.answer_fingerprint for o in old
        ):
            assert packed.guid == kept[n.key]
    removed = {e.guid for e in result.removed}
    assert not removed & set(guids(result))


# -- searches, lock file, ids in the notes ---------------------------------------------------------


def test_searches_escape_what_anki_would_read_as_wildcards():
    assert deck_search('Bio_1 "*"') == r'"deck:Bio\_1 \"\*\"" -"deck:Bio\_1 \"\*\"::*"'
    entries = [entry("b"), entry("a")]
    entries = [replace(e, id=n) for e, n in zip(entries, (20, 10), strict=True)]
    assert note_search(entries) == "nid:10,20"


def test_describe_changes_counts_added_changed_and_removed_notes():
    a, b, c = entry("a"), entry("b"), entry("c")
    b2 = replace(b, mod=b.mod + 1)
    assert describe_changes([a, b], [b2, c]) == "1 note added, 1 note changed, 1 note removed"
    assert describe_changes([a], [a]) == "entries written differently"


def test_the_lock_file_is_sorted_one_note_a_line_and_reads_back():
    result = first_build([note("Quel est Y ?", file="b.txt"), note("Quel est X ?", file="a.txt")])
    text = format_lock(result.entries)
    lines = text.splitlines()
    assert lines[0].startswith("# ") and lines[1].startswith("# ")
    assert len(lines) == 4 and '"file": "a.txt"' in lines[2] and '"file": "b.txt"' in lines[3]
    assert read_lock(text.encode(), "ankipress.lock") == (
        sorted(result.entries, key=lambda e: (e.file, e.deck, e.question, e.guid)),
        [],
    )


@settings(max_examples=200, deadline=None)
@given(
    pieces=st.lists(
        st.sampled_from(["good", "damaged", "", "# comment", "  ", "\r", " \r "]),
        min_size=1,
        max_size=12,
    ),
    last_newline=st.booleans(),
)
def test_a_damaged_lock_line_is_told_at_its_own_line(pieces, last_newline):
    """Whatever blank, comment, CRLF or lone-CR lines surround it: lines end at LF only."""
    good = format_lock([entry("Quel est X ?")]).splitlines()[-1]
    lines = [good if p == "good" else "{not json" if p == "damaged" else p for p in pieces]
    text = "\n".join(lines) + ("\n" if last_newline else "")
    entries, problems = read_lock(text.encode(), "ankipress.lock")
    goods = [number for number, p in enumerate(pieces, start=1) if p == "good"]
    skipped = [n for n, p in enumerate(pieces, start=1) if p == "damaged" or n in goods[1:]]
    assert [d.location.line for d in problems] == skipped  # a second copy: its GUID is taken
    assert len(entries) == min(1, len(goods))


def test_a_note_id_is_split_from_the_end_of_its_question():
    assert split_note_id("Quel est le rôle du cervelet ? {#cervelet-rôle}") == (
        "Quel est le rôle du cervelet ?",
        "cervelet-rôle",
    )
    assert split_note_id("Le cervelet {#neuro/cervelet.1}") == ("Le cervelet", "neuro/cervelet.1")
    assert split_note_id("Un ensemble {#} vide ?") == ("Un ensemble {#} vide ?", None)
    assert split_note_id("Quoi {# pas un id}") == ("Quoi {# pas un id}", None)


WORDS = st.sampled_from(["quel", "est", "le", "rôle", "role", "du", "cervelet", "x", "?", "de"])


@settings(max_examples=150, deadline=None)
@given(
    old=st.lists(st.lists(WORDS, min_size=1, max_size=7).map(" ".join), max_size=6),
    new=st.lists(st.lists(WORDS, min_size=1, max_size=7).map(" ".join), max_size=6),
    answers=st.lists(st.sampled_from("ab"), min_size=12, max_size=12),
    files=st.lists(st.sampled_from(["a.txt", "b.txt"]), min_size=12, max_size=12),
)
def test_the_word_index_finds_every_pair_comparing_all_pairs_would(old, new, answers, files):
    """Only entries sharing a rare word with a note are compared: never miss a pair."""
    entries = [entry(q, answer=answers[j], file=files[j]) for j, q in enumerate(old)]
    notes = [note(q, answer=answers[6 + i], file=files[6 + i]) for i, q in enumerate(new)]
    scores = candidate_scores(notes, entries)
    for i, n in enumerate(notes):
        brute = {
            j: pair_score(n, e, similarity(n.question_text, e.question))
            for j, e in enumerate(entries)
        }
        decided = any(s is not None and s >= STRONG for s in brute.values())
        for j, expected in brute.items():
            if expected is None:
                assert (i, j) not in scores
            elif not decided:
                assert scores[(i, j)] == expected
