"""Reading notes out of source files: question detection, deck names, the seed notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ankipress.parse import (
    LineStyleParser,
    ParsedFile,
    find_duplicates,
    find_headings,
    normalise_question,
    parse,
)
from ankipress.records import AnswerLine, LineAnswer, MarkdownAnswer, Note, Reading, SourceFile
from ankipress.sources import FoundFile, read_source

SEED = Path(__file__).resolve().parent.parent / "content" / "cours-13-flashcards.txt"


def source_of(root: Path, text: str, name: str = "notes.txt") -> SourceFile:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    source, problems = read_source(FoundFile(path, root))
    assert source is not None, problems
    return source


def parse_text(root: Path, text: str, name: str = "notes.txt") -> ParsedFile:
    return parse(source_of(root, text, name))


def questions(parsed: ParsedFile) -> list[str]:
    return [note.question for note in parsed.notes]


def answer_lines(note: Note) -> tuple[AnswerLine, ...]:
    assert isinstance(note.answer, LineAnswer)
    return note.answer.lines


def answer_texts(note: Note) -> list[str]:
    return [line.text for line in answer_lines(note)]


def errors(parsed: ParsedFile) -> list[str]:
    return [f"{d.location.line}:{d.location.col} {d.message}" for d in parsed.diagnostics]


# -- which lines are questions ---------------------------------------------------------------

QUESTIONS = [
    "Quel est le but du codéveloppement ?",
    "Quelles sont les étapes?",
    "Les étapes du groupe   ?",
    "Les étapes du groupe\u00a0?",
    "Quel est le rôle du cervelet",
    "Quelle structure",
    "Quels lobes",
    "Quelles aires",
    "Qu'est-ce qu'une synapse",
    "Qu’est-ce qu’une synapse",
    "QU'EST-CE QU'UNE SYNAPSE",
    "Pourquoi dormir",
    "Comment apprendre",
    "Combien de neurones",
    "Qui a décrit l'aphasie",
    "Où est le thalamus",
    "Quand dort-on",
    "Décrivez les trois rôles.",
    "Décrire le cortex.",
    "Nommez un neurotransmetteur.",
    "Nommer des exemples de co-développement en orientation avec des clients.",
    "Expliquez la plasticité.",
    "Expliquer la myélinisation.",
    "Définissez la mémoire.",
    "Définir l'attention.",
    "Citez deux lobes.",
    "Citer une aire.",
    "Donnez un exemple.",
    "Donner la définition.",
    "Comparez deux mémoires.",
    "Comparer les hémisphères.",
    "Énumérez les lobes.",
    "ÉNUMÉREZ LES LOBES.",
    "Identifiez la structure.",
    "What is a neuron",
    "why do we sleep",
    "HOW does memory work",
    "Which lobe",
    "Who described aphasia",
    "When does it end",
    "Where is the thalamus",
    "Describe the cortex.",
    "Name three lobes.",
    "List the senses.",
    "Explain plasticity.",
    "Define memory.",
    "Compare the hemispheres.",
    "State the law.",
    "Give an example.",
]

NOT_QUESTIONS = [
    "Améliorer la pratique professionnelle.",
    "Animateur : se charge de la procédure",
    "Quelqu'un a dit cela.",
    "Commentaire du professeur.",
    "Quiconque le souhaite.",
    "Quelconque.",
    "Named after Broca.",
    "Listing everything.",
    "Whatever the weather.",
    "Statement of the law.",
    "Given the data.",
    "Howard Gardner.",
    "Le point d'interrogation ? est au milieu.",
]


def two_line_parser(tmp_path: Path, line: str, following: str = "Une réponse.") -> LineStyleParser:
    source = source_of(tmp_path, f"{line}\n{following}\n")
    return LineStyleParser(source, [])


@pytest.mark.parametrize("line", QUESTIONS)
def test_looks_like_question(tmp_path: Path, line: str):
    assert two_line_parser(tmp_path, line).looks_like_question(0)


@pytest.mark.parametrize("line", NOT_QUESTIONS)
def test_does_not_look_like_question(tmp_path: Path, line: str):
    assert not two_line_parser(tmp_path, line).looks_like_question(0)


@pytest.mark.parametrize("line", QUESTIONS)
def test_a_question_line_inside_an_answer_starts_a_note(tmp_path: Path, line: str):
    parsed = parse_text(tmp_path, f"Quel est X ?\nUne réponse.\n{line}\nSa réponse.\n")
    assert questions(parsed) == ["Quel est X ?", line.strip()]
    assert [answer_texts(n) for n in parsed.notes] == [["Une réponse."], ["Sa réponse."]]


@pytest.mark.parametrize("line", NOT_QUESTIONS)
def test_any_other_line_inside_an_answer_is_an_answer_line(tmp_path: Path, line: str):
    parsed = parse_text(tmp_path, f"Quel est X ?\nUne réponse.\n{line}\nSuite.\n")
    assert questions(parsed) == ["Quel est X ?"]
    assert answer_texts(parsed.notes[0]) == ["Une réponse.", line, "Suite."]


def test_a_line_leading_a_list_is_a_question(tmp_path: Path):
    parser = two_line_parser(tmp_path, "Caractéristique d’un groupe.", "- Max 10 personnes")
    assert parser.looks_like_question(0)
    parser = two_line_parser(tmp_path, "Les rôles", "  1) Animateur")
    assert parser.looks_like_question(0)


def test_a_line_leading_a_list_and_ending_with_a_colon_is_an_answer_line(tmp_path: Path):
    parser = two_line_parser(tmp_path, "Il y en a trois :", "- Apprentissages")
    assert not parser.looks_like_question(0)
    parsed = parse_text(
        tmp_path, "Quel est le fondement ?\nIl y en a trois:\n- Apprentissages\n- Entraide\n"
    )
    assert questions(parsed) == ["Quel est le fondement ?"]
    assert answer_texts(parsed.notes[0]) == ["Il y en a trois:", "Apprentissages", "Entraide"]


def test_a_line_before_a_blank_and_a_list_does_not_lead_it(tmp_path: Path):
    parser = two_line_parser(tmp_path, "Les rôles", "\n- Animateur")
    assert not parser.looks_like_question(0)


@pytest.mark.parametrize(
    "item",
    [
        "- Quel est X ?",
        "* Pourquoi ?",
        "+ What is it",
        "• Qui ?",
        "– Où ?",
        "1. Quand ?",
        "2) Comment",
    ],
)
def test_list_items_are_never_questions(tmp_path: Path, item: str):
    parsed = parse_text(tmp_path, f"Quel est X ?\n{item}\n\n{item}\n")
    assert questions(parsed) == ["Quel est X ?"]
    lines = answer_lines(parsed.notes[0])
    assert len(lines) == 2
    assert all(line.is_item for line in lines)


def test_not_list_items(tmp_path: Path):
    # A marker must be followed by a space: these are plain answer lines.
    parsed = parse_text(tmp_path, "Quel est X ?\n-5 degrés\n1.5 mg\n*important*\n")
    lines = answer_lines(parsed.notes[0])
    assert [line.is_item for line in lines] == [False, False, False]


# -- blank lines and forced readings ----------------------------------------------------------


def test_a_blank_line_ends_a_note_and_the_next_line_is_a_question(tmp_path: Path):
    parsed = parse_text(tmp_path, "Quel est X ?\nX.\n\nCapitale de la France\nParis\n")
    assert questions(parsed) == ["Quel est X ?", "Capitale de la France"]
    assert answer_texts(parsed.notes[1]) == ["Paris"]


def test_list_items_and_indented_lines_after_a_blank_continue_the_answer(tmp_path: Path):
    parsed = parse_text(tmp_path, "Quels rôles ?\n- Animateur\n\n- Client\n\n  suite du client\n")
    assert questions(parsed) == ["Quels rôles ?"]
    lines = answer_lines(parsed.notes[0])
    assert [line.text for line in lines] == ["Animateur", "Client", "suite du client"]
    assert lines[2].continues_item


@pytest.mark.parametrize(
    ("text", "question", "col", "answer"),
    [
        ("Q: Le cervelet\nA: Pourquoi pas ?\n", "Le cervelet", 4, ["Pourquoi pas ?"]),
        ("Q : Le cervelet\nR : Quel rôle ?\n", "Le cervelet", 5, ["Quel rôle ?"]),
        ("Q:Le cervelet\nA:La coordination.\n", "Le cervelet", 3, ["La coordination."]),
        ("Q: Le cervelet\nLa coordination.\n", "Le cervelet", 4, ["La coordination."]),
    ],
)
def test_forced_readings(tmp_path: Path, text: str, question: str, col: int, answer: list[str]):
    parsed = parse_text(tmp_path, text)
    assert errors(parsed) == []
    (note,) = parsed.notes
    assert (note.question, note.location.line, note.location.col) == (question, 1, col)
    assert answer_texts(note) == answer


def test_question_without_an_answer_is_an_error_at_its_line_and_column(tmp_path: Path):
    parsed = parse_text(
        tmp_path, "Titre\nQuel est X ?\nX.\n\nQ:  Quel est Y ?\n\nQuel est Z ?\nZ.\n"
    )
    assert questions(parsed) == ["Quel est X ?", "Quel est Z ?"]
    (problem,) = parsed.diagnostics
    assert problem.is_error
    assert (problem.location.line, problem.location.col) == (5, 5)
    assert "question without an answer" in problem.message


def test_list_item_before_any_question_is_an_error(tmp_path: Path):
    parsed = parse_text(tmp_path, "- un item\nQuel est X ?\nX.\n")
    assert questions(parsed) == ["Quel est X ?"]
    (problem,) = parsed.diagnostics
    assert problem.is_error
    assert problem.location.line == 1
    assert "before any question" in problem.message


# -- identity of a question -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Quel est le but ?", "quel est le but ?"),
        ("Quel est le but ?", "Quel  est   le but?"),
        ("Quel est le but ?", "Quel est le but\u00a0?"),
        ("Quel est le but ?", "Quel est le but\u202f?"),
        ("Qu’est-ce qu’une COP ?", "Qu'est-ce qu'une COP ?"),
        ("Nommez : trois rôles", "nommez: trois rôles"),
        ("  Quel est le but ?  ", "Quel est le but ?"),
        ("ÉNUMÉREZ", "énumérez"),
    ],
)
def test_normalise_question_ignores_case_spacing_and_quotes(a: str, b: str):
    assert normalise_question(a) == normalise_question(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Quel est le but ?", "Quel est le but"),
        ("Quel est le but ?", "Quel est le bout ?"),
        ("Le rôle du cervelet", "Le role du cervelet"),
        ("Les étapes", "Les étapes."),
    ],
)
def test_normalise_question_keeps_what_changes_the_question(a: str, b: str):
    assert normalise_question(a) != normalise_question(b)


def test_normalise_question_form():
    assert normalise_question("  Qu’est-ce   qu’une\u00a0COP ? ") == "qu'est-ce qu'une cop?"


def test_duplicates_in_one_file_name_both_lines(tmp_path: Path):
    parsed = parse_text(tmp_path, "Quel est le but ?\nUn.\n\nquel est le  but?\nDeux.\n")
    (problem,) = find_duplicates(parsed.notes)
    assert problem.is_error
    assert problem.location.line == 4
    assert f"{parsed.source.display}:1:1" in problem.message


def test_duplicates_across_files_of_one_deck(tmp_path: Path):
    front = "---\ndeck: Psycho\n---\n"
    first = parse_text(tmp_path, front + "Quel est le but ?\nUn.\n", "a.txt")
    second = parse_text(tmp_path, front + "Titre\nQuel est le but ?\nDeux.\n", "b.txt")
    (problem,) = find_duplicates([*first.notes, *second.notes])
    assert problem.location == second.notes[0].location
    assert f"{first.source.display}:4:1" in problem.message


def test_the_same_question_in_two_decks_is_no_duplicate(tmp_path: Path):
    first = parse_text(tmp_path, "Quel est le but ?\nUn.\n", "a.txt")
    second = parse_text(tmp_path, "Quel est le but ?\nDeux.\n", "b.txt")
    assert first.deck != second.deck
    assert find_duplicates([*first.notes, *second.notes]) == []


def test_question_with_decomposed_accents_is_a_duplicate(tmp_path: Path):
    text = "Quel est le rôle ?\nUn.\n\nQuel est le ro\u0302le ?\nDeux.\n"
    parsed = parse_text(tmp_path, text)
    assert len(find_duplicates(parsed.notes)) == 1


# -- deck names -------------------------------------------------------------------------------


def test_deck_from_front_matter_wins(tmp_path: Path):
    text = "---\ndeck: Psycho::Cours 13\n---\n# Titre\n\nCours\nQuel est X ?\nX.\n"
    assert parse_text(tmp_path, text, "sous/dossier/notes.md").deck == "Psycho::Cours 13"


def test_deck_from_front_matter_wins_in_heading_style(tmp_path: Path):
    text = "---\ndeck: Psycho\n---\n# Titre\n\n## Quel est X ?\n\nX.\n"
    assert parse_text(tmp_path, text, "sous/notes.md").deck == "Psycho"


def test_deck_from_heading_in_line_style(tmp_path: Path):
    parsed = parse_text(tmp_path, "# Neurologie\n\nQuel est X ?\nX.\n", "notes.md")
    assert parsed.deck == "Neurologie"
    assert questions(parsed) == ["Quel est X ?"]


def test_deck_from_heading_in_heading_style(tmp_path: Path):
    parsed = parse_text(tmp_path, "# Neurologie\n\n## Quel est X ?\n\nX.\n", "notes.md")
    assert parsed.deck == "Neurologie"
    assert isinstance(parsed.notes[0].answer, MarkdownAnswer)


def test_deck_from_title_line(tmp_path: Path):
    parsed = parse_text(tmp_path, "Cours 13 Flashcards\nQuel est X ?\nX.\n")
    assert parsed.deck == "Cours 13 Flashcards"
    assert questions(parsed) == ["Quel est X ?"]
    assert parsed.readings[0].reading is Reading.TITLE


def test_deck_from_file_stem(tmp_path: Path):
    assert parse_text(tmp_path, "Quel est X ?\nX.\n", "cours-13.txt").deck == "cours-13"
    text = "## Quel est X ?\n\nX.\n"
    assert parse_text(tmp_path, text, "neuro.md").deck == "neuro"


def test_sub_folders_prefix_the_deck(tmp_path: Path):
    text = "Cours 13 Flashcards\nQuel est X ?\nX.\n"
    parsed = parse_text(tmp_path, text, "psycho/cours-13.txt")
    assert parsed.deck == "psycho::Cours 13 Flashcards"
    assert parsed.notes[0].deck == "psycho::Cours 13 Flashcards"
    assert parse_text(tmp_path, "Quel ?\nX.\n", "psycho/a/b.txt").deck == "psycho::a::b"
    text = "# Neuro\n\n## Quel ?\n\nX.\n"
    assert parse_text(tmp_path, text, "psycho/n.md").deck == "psycho::Neuro"


@pytest.mark.parametrize(
    ("text", "deck", "first_question"),
    [
        ("Vocabulaire\nQuel est X ?\nX.\n", "Vocabulaire", "Quel est X ?"),
        ("Vocabulaire\n\nCapitale\nParis\n", "Vocabulaire", "Capitale"),
        ("Vocabulaire\nQ: Capitale\nA: Paris\n", "Vocabulaire", "Capitale"),
        ("Vocabulaire\nCapitale :: Paris\n", "Vocabulaire", "Capitale"),
        ("Vocabulaire\nParis\n", "notes", "Vocabulaire"),
        ("Vocabulaire\nA: Paris\n", "notes", "Vocabulaire"),
        ("Vocabulaire\n- Paris\n", "notes", "Vocabulaire"),
        ("Pourquoi dormir\nPour consolider.\nQuel est X ?\nX.\n", "notes", "Pourquoi dormir"),
        ("Quel est X ?\nX.\n", "notes", "Quel est X ?"),
    ],
    ids=[
        "question-follows",
        "blank-then-note",
        "forced-question-follows",
        "one-liner-follows",
        "answer-follows",
        "forced-answer-follows",
        "list-follows",
        "first-line-is-question",
        "no-title",
    ],
)
def test_title_line_only_when_a_question_follows(
    tmp_path: Path, text: str, deck: str, first_question: str
):
    parsed = parse_text(tmp_path, text)
    assert errors(parsed) == []
    assert parsed.deck == deck
    assert questions(parsed)[0] == first_question


def test_title_line_after_front_matter(tmp_path: Path):
    parsed = parse_text(tmp_path, "---\ntags: [a]\n---\nCours 13\nQuel est X ?\nX.\n")
    assert parsed.deck == "Cours 13"
    assert parsed.notes[0].location.line == 5


# -- styles -----------------------------------------------------------------------------------


def test_heading_style_needs_a_heading_of_level_two(tmp_path: Path):
    heading = parse_text(tmp_path, "## Quel est X ?\nX.\n", "a.md")
    assert isinstance(heading.notes[0].answer, MarkdownAnswer)
    line = parse_text(tmp_path, "# Titre\nQuel est X ?\nX.\n", "b.md")
    assert isinstance(line.notes[0].answer, LineAnswer)


def test_headings_inside_fenced_code_do_not_count():
    lines = ("# Titre", "```", "## pas un titre", "```", "~~~", "### non plus", "~~~", "## Oui")
    assert find_headings(lines, 0) == [(0, 1, "Titre"), (7, 2, "Oui")]


# -- the seed notes ---------------------------------------------------------------------------

SEED_QUESTIONS = [
    (2, "Quel est le but du codéveloppement ?"),
    (
        4,
        "Décrivez les trois rôles que l’on peut porter à tour de rôle dans des rencontres "
        "de co-développement.",
    ),
    (8, "Caractéristique d’un groupe de co-développement."),
    (14, "Retombées positives du groupe de codéveloppement sur le membre."),
    (19, "Quels sont les 3 éléments de fondement du groupe de co-développement ?"),
    (23, "Quelles sont les étapes du groupe de co-développement?"),
    (31, "Nommer des exemples de co-développement en orientation avec des clients."),
    (34, "Décrivez ce qu’est une communauté de pratique."),
    (41, "Quels sont les 3 éléments de fondement du groupe de la communauté de pratique ?"),
    (45, "Quelles sont les différences entre les groupe de co-développement et les COP ?"),
    (53, "Quel sont les avantages de la communauté pratique ?"),
    (59, "Quels sont les différents rôles de la communauté pratique?"),
]


@pytest.fixture(scope="module")
def seed() -> ParsedFile:
    source, problems = read_source(FoundFile(SEED, SEED.parent))
    assert source is not None
    assert problems == []
    return parse(source)


def test_seed_gives_twelve_notes(seed: ParsedFile):
    assert [(n.location.line, n.question) for n in seed.notes] == SEED_QUESTIONS
    assert seed.diagnostics == ()
    assert find_duplicates(seed.notes) == []


def test_seed_deck_is_its_title_line(seed: ParsedFile):
    assert seed.deck == "Cours 13 Flashcards"
    assert seed.readings[0].reading is Reading.TITLE


def test_seed_questions_ending_with_a_full_stop(seed: ParsedFile):
    # None ends with `?`: three are found by their verb, two because they lead a list.
    found = {n.question for n in seed.notes if n.question.endswith(".")}
    assert found == {
        SEED_QUESTIONS[1][1],
        SEED_QUESTIONS[2][1],
        SEED_QUESTIONS[3][1],
        SEED_QUESTIONS[6][1],
        SEED_QUESTIONS[7][1],
    }


def test_seed_second_answer_keeps_three_plain_lines(seed: ParsedFile):
    lines = answer_lines(seed.notes[1])
    assert [line.text for line in lines] == [
        "Animateur : se charge procédure (temps) + ambiance (participation)",
        "Accompagné/client : Expose leur situation et leur besoin",
        "Accompagnant/consultant : Écoutent et viennent en aide. S’occupe du contenu "
        "(propose stratégies et solutions)",
    ]
    assert not any(line.is_item for line in lines)


def test_seed_first_answer_is_one_plain_line(seed: ParsedFile):
    (line,) = answer_lines(seed.notes[0])
    assert line.text.startswith("Améliorer la pratique professionnelle")
    assert not line.is_item


def test_seed_list_answers(seed: ParsedFile):
    counts = [len(answer_lines(n)) for n in seed.notes[2:]]
    assert counts == [5, 4, 3, 7, 2, 6, 3, 7, 5, 4]
    for note in seed.notes[2:]:
        assert all(line.is_item and line.depth == 0 for line in answer_lines(note))


def test_seed_notes_carry_their_source(seed: ParsedFile):
    note = seed.notes[0]
    assert note.source == "cours-13-flashcards.txt:2"
    assert note.tags == ("source::cours-13-flashcards.txt",)
    assert note.relpath == "cours-13-flashcards.txt"
