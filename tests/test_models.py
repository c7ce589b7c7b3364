"""The note types are a contract with every student's collection: they must not drift."""

from ankipress import models


def test_note_type_ids_names_fields_and_templates_never_change():
    summary = {
        model.model_id: (
            model.name,
            [f["name"] for f in model.fields],
            [t["name"] for t in model.templates],
        )
        for model in models.MODELS.values()
    }
    assert summary == {
        1795820001: ("ankipress Basic", ["Front", "Back", "Source"], ["Card 1"]),
        1795820002: (
            "ankipress Basic and reversed",
            ["Front", "Back", "Source"],
            ["Card 1", "Card 2"],
        ),
        1795820003: ("ankipress Cloze", ["Text", "Back Extra", "Source"], ["Cloze"]),
    }


def test_changing_templates_or_css_requires_a_newer_templates_version():
    # When this fails: raise TEMPLATES_VERSION to the date of the change, then update both
    # values here. Anki only takes a changed note type whose modification time is newer.
    assert (models.TEMPLATES_VERSION, models.templates_digest()) == (1795852800, "434d16e93069c0f6")
