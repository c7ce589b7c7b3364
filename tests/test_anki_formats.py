"""Notes written for other flashcard tools, and mixed files, built with the CLI and imported
with Anki's own importer: what lands in Anki is what the notes' author meant."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli, visible_lines, write

OBSIDIAN = """\
---
sr-due: 2025-03-01
aliases: [neurones]
---
#flashcards/neuro

Le cours, en prose : le neurone reçoit des signaux par ses dendrites.
Ce texte n'est pas une carte.

Synapse::Jonction entre deux neurones
<!--SR:!2025-03-01,12,250-->

Neurotransmetteur:::Messager chimique d'une synapse

Quels sont les deux types
de synapses ?
?
- chimique
- électrique

La gaine de ==myéline== accélère l'==influx nerveux==.
"""

OBSIDIAN_TO_ANKI = """\
Des notes de cours autour des cartes.

START
Basic (and reversed card)
Hormone
Back: Messager chimique transporté par le sang
Tags: endocrinologie examen
END

Q: Où est produite
l'insuline ?
A: Dans le pancréas,
par les cellules bêta.
"""

MDANKI = """\
# Réseaux

## Modèle OSI

Combien de couches ?

%

Sept couches.

[#reseaux]() [#examen]()
"""

MIXED = """\
# Algorithmique

## Tri

Que fait le tri à bulles ?
Il échange deux voisins dans le désordre.

Que fait le tri par insertion ?
Il insère chaque élément à sa place.

## Qu'est-ce qu'un tri stable ?

Un tri qui garde l'ordre des éléments égaux.
"""


def build(tmp_path: Path, name: str, text: str, *args: str):
    write(tmp_path / "content" / name, text)
    out = tmp_path / "out.apkg"
    result = run_cli("build", str(tmp_path / "content"), "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return result, out


def imported_notes(anki, package: Path) -> list:
    collection = anki()
    collection.import_package(package)
    return collection.notes()


def built_notes(tmp_path: Path, anki, name: str, text: str, *args: str) -> list:
    """The notes Anki holds after importing the package built from one page."""
    _, out = build(tmp_path, name, text, *args)
    return imported_notes(anki, out)


def decks_of(*notes) -> set[str]:
    """The decks the notes' cards are in, as Anki names them."""
    return {note.col.decks.name(card.did) for note in notes for card in note.cards()}


def fronts_and_backs(notes: list) -> list[tuple[str, list[str]]]:
    """Each Basic note's front as stored, and its back as the lines a student sees."""
    return [(note["Front"], visible_lines(note["Back"])) for note in notes]


def test_obsidian_spaced_repetition_cards_land_as_their_note_types(tmp_path, anki):
    notes = built_notes(tmp_path, anki, "neurones.md", OBSIDIAN)
    types = [note.note_type()["name"] for note in notes]
    assert types == [
        "ankipress Basic",
        "ankipress Basic and reversed",
        "ankipress Basic",
        "ankipress Cloze",
    ]
    synapse, messenger, kinds, myelin = notes
    assert (synapse["Front"], synapse["Back"]) == ("Synapse", "<p>Jonction entre deux neurones</p>")
    assert len(messenger.cards()) == 2
    assert visible_lines(kinds["Front"]) == ["Quels sont les deux types", "de synapses ?"]
    assert visible_lines(kinds["Back"]) == ["chimique", "électrique"]
    assert myelin["Text"] == "La gaine de {{c1::myéline}} accélère l'{{c2::influx nerveux}}."
    assert len(myelin.cards()) == 2
    # `#flashcards/neuro` is a tag (Anki's nesting), never text; the prose and the review
    # comments are on no card.
    assert all("flashcards::neuro" in note.tags for note in notes)
    everything = " ".join(field for note in notes for field in note.fields)
    assert "prose" not in everything and "SR:" not in everything and "#flashcards" not in everything


def test_a_vaults_own_one_line_separator_is_read_from_where_its_reviews_stand(tmp_path, anki):
    text = (
        "Entiers naturels := 0, 1, 2, …\n<!--SR:!2025-01-10,3,250-->\n"
        "Entiers relatifs := …, -1, 0, 1, …\n<!--SR:!2025-01-12,5,250-->\n"
        "En prose, une définition se note `a := b`.\n"
    )
    _, out = build(tmp_path, "ensembles.md", text)
    assert fronts_and_backs(imported_notes(anki, out)) == [
        ("Entiers naturels", ["0, 1, 2, …"]),
        ("Entiers relatifs", ["…, -1, 0, 1, …"]),
    ]


def test_obsidian_to_anki_blocks_and_multiline_questions(tmp_path, anki):
    hormone, insulin = built_notes(tmp_path, anki, "hormones.md", OBSIDIAN_TO_ANKI)
    assert hormone.note_type()["name"] == "ankipress Basic and reversed"
    assert hormone["Front"] == "Hormone"
    assert hormone["Back"] == "<p>Messager chimique transporté par le sang</p>"
    assert {"endocrinologie", "examen"} <= set(hormone.tags)
    assert visible_lines(insulin["Front"]) == ["Où est produite", "l'insuline ?"]
    assert visible_lines(insulin["Back"]) == ["Dans le pancréas,", "par les cellules bêta."]


def test_obsidian_to_anki_in_a_vaults_language_with_its_deck_tags_and_one_line_cards(
    tmp_path, anki
):
    text = (
        "TARGET DECK: Netzwerke::DMZ\nFILE TAGS: netz\n\n"
        "START\nEinfach (beide Richtungen)\nVorderseite: Was ist eine DMZ?\n"
        "Rückseite: Ein Puffernetz.\nEND\n\n"
        "Was filtert eine Firewall? :: den Verkehr\n<!--ID: 1700000000001-->\n"
    )
    dmz, firewall = built_notes(tmp_path, anki, "netz.md", text)
    assert dmz.note_type()["name"] == "ankipress Basic and reversed"
    assert fronts_and_backs([dmz, firewall]) == [
        ("Was ist eine DMZ?", ["Ein Puffernetz."]),
        ("Was filtert eine Firewall?", ["den Verkehr"]),
    ]
    assert "netz" in firewall.tags
    assert decks_of(dmz) == {"Netzwerke::DMZ"}


def test_quoted_obsidian_cards_and_curly_deletions_land_as_cards(tmp_path, anki):
    text = (
        "#flashcards\n\n> Docker::une plateforme de conteneurs\n\n"
        "> Lance un conteneur\n> ??\n> `docker run`\n\n"
        "Les chaînes sont {{immuables}} et {{partagées}}.\n"
    )
    docker, run, strings = built_notes(tmp_path, anki, "docker.md", text)
    assert fronts_and_backs([docker, run]) == [
        ("Docker", ["une plateforme de conteneurs"]),
        ("Lance un conteneur", ["docker run"]),
    ]
    assert run.note_type()["name"] == "ankipress Basic and reversed"
    assert len(strings.cards()) == 2  # one card a deletion
    assert "{{c2::partagées}}" in strings["Text"]


def test_setext_questions_and_cloze_items_land_as_notes(tmp_path, anki):
    text = (
        "Révisions\n=========\n\n“Quel éditeur choisir ?”\n------------------------\n\n"
        "Celui qui vous plaît.\n\n## Trous\n\n- Le cache privilégie la {{c1::latence}}.\n"
        "- {{c1::LRU}} évince l'entrée la plus ancienne.\n"
    )
    editor, latency, lru = built_notes(tmp_path, anki, "revisions.md", text)
    assert editor["Front"] == "“Quel éditeur choisir ?”"
    assert visible_lines(editor["Back"]) == ["Celui qui vous plaît."]
    assert [note.note_type()["name"] for note in (latency, lru)] == ["ankipress Cloze"] * 2
    assert decks_of(lru) == {"Révisions"}


def test_a_card_front_with_code_lands_highlighted(tmp_path, anki):
    text = '#flashcards\n\nQue renvoie ce code ?\n```python\nprint(len("été"))\n```\n?\n3\n'
    (note,) = built_notes(tmp_path, anki, "python.md", text)
    assert '<pre class="ap-code"><code class="language-python">' in note["Front"]
    assert visible_lines(note["Front"]) == ["Que renvoie ce code ?", 'print(len("été"))']


def test_mdanki_front_data_and_tags(tmp_path, anki):
    (note,) = built_notes(tmp_path, anki, "reseaux.md", MDANKI)
    assert visible_lines(note["Front"]) == ["Modèle OSI", "Combien de couches ?"]
    assert note["Back"] == "<p>Sept couches.</p>"
    assert {"reseaux", "examen"} <= set(note.tags)


def test_ankdown_cards_land_with_their_backs_and_tags(tmp_path, anki):
    text = (
        "Unité de la force ?\n\n%\n\nLe newton.\n\n- symbole N\n\n%\n\nphysique, unités\n\n"
        "---\n\nLoi d'Ohm\n%\n$U = RI$\n\n---\n"
    )
    force, ohm = built_notes(tmp_path, anki, "physique.md", text)
    assert fronts_and_backs([force, ohm]) == [
        ("Unité de la force ?", ["Le newton.", "symbole N"]),
        ("Loi d'Ohm", ["\\(U = RI\\)"]),
    ]
    assert {"physique", "unités"} <= set(force.tags)


def test_word_lists_split_by_arrows_or_double_equals_are_one_note_a_row(tmp_path, anki):
    _, out = build(tmp_path, "fruits.txt", "Fruits\nla pomme == apple\nla poire == pear\n"
                   "le raisin == grape\n")  # fmt: skip
    assert fronts_and_backs(imported_notes(anki, out)) == [
        ("la pomme", ["apple"]),
        ("la poire", ["pear"]),
        ("le raisin", ["grape"]),
    ]
    _, out = build(tmp_path, "verbes.md", "- être → to be\n- avoir → to have\n- aller → to go\n")
    assert ("être", ["to be"]) in fronts_and_backs(imported_notes(anki, out))


def test_mixed_file_sections_group_line_notes_beside_question_headings(tmp_path, anki):
    notes = built_notes(tmp_path, anki, "algo.md", MIXED)
    assert [note["Front"] for note in notes] == [
        "Que fait le tri à bulles ?",
        "Que fait le tri par insertion ?",
        "Qu'est-ce qu'un tri stable ?",
    ]
    assert notes[0]["Back"] == "<p>Il échange deux voisins dans le désordre.</p>"
    assert {note.note_type()["name"] for note in notes} == {"ankipress Basic"}
    # A section heading is neither a tag nor a subdeck: every note is in the file's deck.
    collection_decks = decks_of(*notes)
    assert collection_decks == {"Algorithmique"}


def test_code_block_in_a_line_style_answer_is_one_highlighted_block(tmp_path, anki):
    text = "Comment boucler en Python ?\n```python\nfor i in range(3):\n\n    print(i)  # ?\n```\n"
    (note,) = built_notes(tmp_path, anki, "python.txt", text)
    card = note.cards()[0]
    answer = card.render_output(reload=True).answer_text
    assert '<pre class="ap-code"><code class="language-python">' in answer
    assert "```" not in answer


LINE_TABLES = """\
Révisions

Quels sont les modes de développement ?
| Mode | Équipe |
|:--|--:|
| Agile | petite |
| Structuré \\| classique | grande |

Et leurs délais ?

| Mode | Délai |
|---|---|
| Agile | court |
"""


def test_a_table_in_a_line_style_answer_is_one_table_never_a_question(tmp_path, anki):
    modes, delays = built_notes(tmp_path, anki, "modes.txt", LINE_TABLES)
    assert modes["Front"] == "Quels sont les modes de développement ?"
    assert delays["Front"] == "Et leurs délais ?"  # the table after a blank line is its answer
    answer = modes.cards()[0].render_output(reload=True).answer_text
    assert answer.count("<tr>") == 3 and "|" not in answer.replace("Structuré | classique", "")
    assert '<th style="text-align:left">Mode</th>' in answer
    assert "<td>court</td>" in delays["Back"]


OBSIDIAN_FRONT_MATTER_TAG = """\
---
tags:
  - informatique
  - flashcards
---
## Résumé

| Mode | Équipe |
|---|---|
| Agile | petite |

Quelle équipe pour le mode agile ?
?
Une petite équipe, avec le client.
"""


def test_a_flashcards_tag_in_front_matter_beside_cards_reads_the_page_as_obsidian(tmp_path, anki):
    _, out = build(tmp_path, "modes.md", OBSIDIAN_FRONT_MATTER_TAG)
    (note,) = imported_notes(anki, out)  # the summary table is prose, as the plugin reads it
    assert note["Front"] == "Quelle équipe pour le mode agile ?"
    assert note["Back"] == "<p>Une petite équipe, avec le client.</p>"
    assert {"informatique", "flashcards"} <= set(note.tags)
    explained = run_cli("explain", str(tmp_path / "content" / "modes.md")).output
    assert "the `flashcards` tag of its front matter" in explained
    # Without the plugin's cards, the tag is a tag for Anki: the page is ankipress's own.
    plain = OBSIDIAN_FRONT_MATTER_TAG.replace("?\n", "")
    write(tmp_path / "content" / "modes.md", plain)
    explained = run_cli("explain", str(tmp_path / "content" / "modes.md")).output
    assert "read as: ankipress format" in explained and "Obsidian" not in explained


LOGSEQ = """\
tags:: réseaux
alias:: osi

- Le cours du 3 mars, en vrac.
- ## Couches
  collapsed:: true
\t- #card Combien de couches compte le modèle OSI ?
\t\t- Sept
\t- Quelles couches sont basses ? #card
\t  card-last-interval:: 4
\t  card-next-schedule:: 2026-01-02T09:00:00.000Z
\t\t- physique
\t\t- liaison
\t\t\t- trames
\t- La couche {{cloze transport}} découpe en segments. #card
"""


def test_logseq_blocks_tagged_card_land_as_cards_their_children_as_backs(tmp_path, anki):
    count, low, cloze_note = built_notes(tmp_path, anki, "osi.md", LOGSEQ)
    assert count["Front"] == "Combien de couches compte le modèle OSI ?"
    assert count["Back"] == "<p>Sept</p>"
    assert low["Front"] == "Quelles couches sont basses ?"
    assert visible_lines(low["Back"]) == ["physique", "liaison", "trames"]
    assert low["Back"].count("<ul>") == 2  # the grandchild nests
    assert cloze_note["Text"] == "La couche {{c1::transport}} découpe en segments."
    everything = " ".join(field for note in (count, low, cloze_note) for field in note.fields)
    assert "#card" not in everything and "card-" not in everything and "vrac" not in everything
    # The page's `tags::` tag every card; `alias::` is no tag.
    assert all("réseaux" in note.tags and "osi" not in note.tags for note in (count, low))


def test_a_logseq_page_for_the_anki_plugin_gives_its_deck_flashcards_and_clozes(tmp_path, anki):
    page = (
        "deck:: [[Réseaux::Couches]]\n\n"
        "- La couche {{cloze réseau}} achemine les paquets.\n"
        "- Que fait la couche liaison ? #flashcard\n\t- elle transmet des trames\n"
    )
    cloze_note, basic = built_notes(tmp_path, anki, "couches.md", page)
    assert cloze_note["Text"] == "La couche {{c1::réseau}} achemine les paquets."
    assert (basic["Front"], basic["Back"]) == (
        "Que fait la couche liaison ?",
        "<p>elle transmet des trames</p>",
    )
    assert decks_of(cloze_note, basic) == {"Réseaux::Couches"}


ANKI_TEXT_EXPORT = """\
#separator:tab
#html:true
#notetype:Basic (and reversed card)
#deck:Langues::Espagnol
#tags column:3
el perro\tle <b>chien</b>\tanimaux espagnol
"la casa
(f.)"\t"la maison\tfamiliale"\tmaison
"""


def test_an_anki_text_export_lands_with_its_deck_tags_html_and_note_type(tmp_path, anki):
    result, out = build(tmp_path, "espagnol.txt", ANKI_TEXT_EXPORT)
    assert "lets raw HTML through (`#html:true`)" in result.output
    dog, house = imported_notes(anki, out)
    # `#html:true`: the fields are HTML, as Anki reads them, never Markdown.
    assert (dog["Front"], dog["Back"]) == ("el perro", "le <b>chien</b>")
    assert {"animaux", "espagnol"} <= set(dog.tags)
    assert house["Front"] == "la casa\n(f.)"
    assert house["Back"] == "la maison\tfamiliale"  # the quoted tab is text
    assert house.note_type()["name"] == "ankipress Basic and reversed"
    assert len(house.cards()) == 2
    decks = decks_of(dog, house)
    assert decks == {"Langues::Espagnol"}


ANKI_EXPORT_WITH_COLUMNS = """\
#separator:tab
#html:true
#guid column:1
#notetype column:2
#deck column:3
#tags column:6
a1B2c3D4e5\tBasic (and reversed card)\tLangues::Espagnol\tel perro\tle <b>chien</b>\tanimaux
f6G7h8I9j0\tBasic\tInfo::Python\tque fait __init__ ?\tinitialise l'objet<br>(constructeur)\tpython
"""


def test_an_anki_export_gives_each_row_its_note_type_and_deck_from_its_columns(tmp_path, anki):
    dog, init = built_notes(tmp_path, anki, "export.txt", ANKI_EXPORT_WITH_COLUMNS)
    assert dog.note_type()["name"] == "ankipress Basic and reversed" and len(dog.cards()) == 2
    assert init.note_type()["name"] == "ankipress Basic" and len(init.cards()) == 1
    assert decks_of(dog) == {"Langues::Espagnol"}
    assert decks_of(init) == {"Info::Python"}
    # HTML as written: `__init__` is no bold, `<br>` a line break; no GUID, type or deck text.
    assert (init["Front"], init["Back"]) == (
        "que fait __init__ ?",
        "initialise l'objet<br>(constructeur)",
    )
    assert "animaux" in dog.tags and "python" in init.tags
    assert "Basic" not in dog["Back"] + init["Back"] and "a1B2" not in dog["Back"]


def test_a_word_list_split_by_dashes_is_one_note_a_row(tmp_path, anki):
    text = "Vocabulaire\nle chien - el perro\nle chat – el gato\nla maison - la casa\n"
    notes = built_notes(tmp_path, anki, "vocabulaire.txt", text)
    assert [(n["Front"], n["Back"]) for n in notes] == [
        ("le chien", "<p>el perro</p>"),
        ("le chat", "<p>el gato</p>"),
        ("la maison", "<p>la casa</p>"),
    ]


def test_spreadsheet_and_quizlet_files_named_csv_or_tsv_are_one_note_a_row(tmp_path, anki):
    # A spreadsheet's `.csv` (a first row naming the columns; a quoted field holding commas
    # and a line break), a French spreadsheet's `;`, and a `.tsv` export, beside a note file.
    write(
        tmp_path / "content" / "vocab.csv", 'Front,Back\nle chien,the dog\n"oui, non","yes,\nno"\n'
    )
    write(tmp_path / "content" / "villes.csv", "Question;Réponse\nCapitale ?;Paris\n")
    write(tmp_path / "content" / "bio.tsv", "Ribosome\tSynthèse des protéines\n")
    out = tmp_path / "out"
    result = run_cli("build", str(tmp_path / "content"), "-o", str(out))
    assert result.exit_code == 0, result.output
    collection = anki()
    for name in ("bio", "villes", "vocab"):
        collection.import_package(out / f"{name}.apkg")
    assert fronts_and_backs(collection.notes()) == [
        ("Ribosome", ["Synthèse des protéines"]),
        ("Capitale ?", ["Paris"]),
        ("le chien", ["the dog"]),
        ("oui, non", ["yes,", "no"]),
    ]
    assert collection.deck_names() == {"bio", "villes", "vocab"}


def test_a_vocabulary_list_of_items_is_one_note_an_item(tmp_path, anki):
    text = "# Italien\n\n## Couleurs\n\n* nero - noir\n* bianco = blanc\n* rosso - rouge\n"
    text += "* verde - vert\n* giallo - jaune\n"
    _, out = build(tmp_path, "couleurs.md", text)
    assert fronts_and_backs(imported_notes(anki, out)) == [
        ("nero", ["noir"]),
        ("bianco", ["blanc"]),
        ("rosso", ["rouge"]),
        ("verde", ["vert"]),
        ("giallo", ["jaune"]),
    ]


def test_a_vocabulary_table_under_no_question_is_one_note_a_row(tmp_path, anki):
    text = "# Verbes\n\n| Infinitif | Sens | Participe |\n|---|---|---|\n"
    text += "| prendre | to take | pris |\n| aller | to go | – |\n"
    _, out = build(tmp_path, "verbes.md", text)
    assert fronts_and_backs(imported_notes(anki, out)) == [
        ("prendre", ["Sens: to take", "Participe: pris"]),
        ("aller", ["Sens: to go"]),
    ]


def test_obsidian_callouts_that_ask_are_notes_and_other_callouts_are_titled_quotes(tmp_path, anki):
    text = (
        "> [!question]- Que contient le noyau ?\n> - l'ADN\n> - le nucléole\n\n"
        "## Que produit la mitochondrie ?\n\nL'ATP.\n\n> [!tip] À retenir\n> la centrale\n"
    )
    nucleus, mitochondria = built_notes(tmp_path, anki, "cellule.md", text)
    assert nucleus["Front"] == "Que contient le noyau ?"
    assert visible_lines(nucleus["Back"]) == ["l'ADN", "le nucléole"]
    assert visible_lines(mitochondria["Back"]) == ["L'ATP.", "À retenir", "la centrale"]
    assert "[!" not in nucleus["Front"] + mitochondria["Back"]


def test_numbered_and_labelled_questions_land_without_their_numbers_and_labels(tmp_path, anki):
    text = (
        "1. Qu'est-ce qu'une cellule ?\nL'unité du vivant.\n\n"
        "2. **Définir la mitose.**\n   Une division en deux.\n\n"
        "Question 3 : Quel organite produit l'ATP ?\nRéponse : La mitochondrie.\n"
    )
    notes = built_notes(tmp_path, anki, "bio.txt", text)
    assert [(n["Front"], n["Back"]) for n in notes] == [
        ("Qu'est-ce qu'une cellule ?", "<p>L'unité du vivant.</p>"),
        ("<strong>Définir la mitose.</strong>", "<p>Une division en deux.</p>"),
        ("Quel organite produit l'ATP ?", "<p>La mitochondrie.</p>"),
    ]


def test_explain_names_the_format_and_shows_what_check_finds(tmp_path):
    path = write(tmp_path / "n.md", OBSIDIAN + "\nQuel est le rôle du cortex ?\nPenser.\n")
    result = run_cli("explain", str(path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "read as: Obsidian Spaced Repetition format" in result.output
    assert any(line.split()[1:2] == ["ignored"] and "prose" in line for line in lines)
    assert "warning: this reads as a question and its answer" in result.output


def test_explain_piped_into_a_reader_that_stops_early_ends_quietly(tmp_path):
    notes = "".join(f"Question {n} ?\nRéponse {n}.\n\n" for n in range(3000))
    path = write(tmp_path / "long.txt", notes)
    command = f'"{sys.executable}" -m ankipress explain "{path}" | head -n 2'
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(command, shell=True, capture_output=True, text=True, env=env, check=False)
    assert done.stdout.splitlines()[0] == "deck: long"
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


def test_deck_written_with_other_capitals_in_another_file_is_an_error(tmp_path):
    write(tmp_path / "c" / "a.txt", "---\ndeck: Bio\n---\nQuel est X ?\nX.\n")
    write(tmp_path / "c" / "b.txt", "---\ndeck: bio\n---\nQuel est Y ?\nY.\n")
    result = run_cli("check", str(tmp_path / "c"))
    assert result.exit_code == 1
    assert "b.txt:4:1: error: deck 'bio' is also written 'Bio'" in result.output


def test_yaml_aliases_cannot_blow_tags_up(tmp_path):
    tags = 'tags: [&t "' + "x" * 1000 + '", ' + ", ".join(["*t"] * 5000) + "]\n"
    write(tmp_path / "c" / "a.txt", "---\n" + tags + "---\nQuel est X ?\nX.\n")
    result = run_cli("check", str(tmp_path / "c"))
    assert result.exit_code == 1
    assert "a.txt:2:" in result.output and "aliases (`*t`)" in result.output


def test_outline_siblings_sub_titled_answers_and_labelled_cards_land_as_meant(tmp_path, anki):
    text = (
        "# Révisions\n\n"
        "## Atomes\n\n"
        "* Qu'est-ce qu'un isotope ?\n  * même numéro atomique\n"
        "* Différence entre masse atomique et nombre de masse.\n"
        "  * une moyenne contre un compte\n\n"
        "## Langage\n\n"
        "### 1. Qu'est-ce qu'un générateur ?\n\nUne fonction qui cède ses valeurs.\n\n"
        "### 2. **Listes et tuples**\n\n#### Listes :\n- modifiables\n\n#### Tuples :\n- figés\n\n"
        "### 3. Pourquoi le GIL ?\n\nPour protéger l'interpréteur.\n\n"
        "## Cartes\n\n"
        "### Carte 1 : la mitochondrie\n**Q** : Quel organite produit l'ATP ?\n\n"
        "**A** : La mitochondrie.\n\n**Niveau** : acquis\n"
    )
    result, out = build(tmp_path, "revisions.md", text)
    assert "warning" not in result.output
    notes = imported_notes(anki, out)
    assert [visible_lines(note["Front"]) for note in notes] == [
        ["Qu'est-ce qu'un isotope ?"],
        ["Différence entre masse atomique et nombre de masse."],
        ["Qu'est-ce qu'un générateur ?"],  # numbered as a list: the numbers stay off
        ["Listes et tuples"],
        ["Pourquoi le GIL ?"],
        ["Quel organite produit l'ATP ?"],
    ]
    assert visible_lines(notes[1]["Back"]) == ["une moyenne contre un compte"]
    assert visible_lines(notes[3]["Back"]) == ["Listes :", "modifiables", "Tuples :", "figés"]
    assert visible_lines(notes[5]["Back"]) == ["La mitochondrie.", "Niveau : acquis"]


def test_prompts_with_quoted_answers_land_one_note_each_and_a_closing_section_stays_out(
    tmp_path, anki
):
    numbered = (
        "1. Il valore attuale netto.\n> La somma dei flussi scontati, meno l'investimento.\n\n"
        "2. Che cos'è il payback?\n> Il tempo per recuperare l'investimento.\n\n"
        "3. Perché scontare i flussi futuri?\n> Un euro domani vale meno di un euro oggi.\n"
    )
    bullets = (
        "## Security exam\n\n#### Contents\n\n[toc]\n\n#### Access control\n\n"
        "* Define the principle of separation of duties\n\n"
        "  > No single person can complete a critical task alone.\n\n"
        "#### Capabilities\n\n"
        "* What is a capability list?\n\n  > The rights held by one subject:\n  >\n"
        "  > * read\n  > * write\n\n"
        "#### Feedback\n\nThe course was demanding but fair.\n"
    )
    write(tmp_path / "content" / "finanza.md", numbered)
    result, out = build(tmp_path, "security.md", bullets)
    assert 'heading "Contents" is not a question' in result.output
    assert 'heading "Feedback" is not a question' in result.output
    notes = imported_notes(anki, out)
    fronts = {visible_lines(note["Front"])[0]: note for note in notes}
    assert sorted(fronts) == [
        "Che cos'è il payback?",
        "Define the principle of separation of duties",
        "Il valore attuale netto.",
        "Perché scontare i flussi futuri?",
        "What is a capability list?",
    ]
    assert "<blockquote>" in fronts["Il valore attuale netto."]["Back"]
    assert visible_lines(fronts["What is a capability list?"]["Back"]) == [
        "The rights held by one subject:",
        "read",
        "write",
    ]


def test_details_blocks_land_folded_question_and_answer_without_their_tags(tmp_path, anki):
    text = (
        "<details>\n<summary><b>Qu'est-ce qu'une fermeture ?</b></summary><br>\n\n"
        "Une fonction qui garde sa portée.\n</details>\n\n"
        "Quelle est la capitale de l'Australie ?\n\n"
        "<details><summary>Voir la réponse</summary>\n\nCanberra.\n</details>\n\n"
        "## Que renvoie `typeof null` ?\n\n"
        "<details><summary>Answer</summary>\n\n- `object`\n</details>\n"
    )
    notes = built_notes(tmp_path, anki, "entretien.md", text)
    assert fronts_and_backs(notes) == [
        ("Qu'est-ce qu'une fermeture ?", ["Une fonction qui garde sa portée."]),
        ("Quelle est la capitale de l'Australie ?", ["Canberra."]),
        ("Que renvoie <code>typeof null</code> ?", ["object"]),
    ]
    assert not any("details" in note["Back"] or "summary" in note["Back"] for note in notes)
