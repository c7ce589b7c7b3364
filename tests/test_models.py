"""The note types are a contract with every student's collection: they must not drift."""

from dataclasses import replace

from ankipress import models
from ankipress.records import NoteKind


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
    assert (models.TEMPLATES_VERSION, models.templates_digest()) == (1796011200, "4e1ad4380e4e84b9")


def test_a_newer_templates_version_updates_the_note_type_in_anki(tmp_path, anki, monkeypatch):
    from conftest import run_cli

    from ankipress import package

    content = tmp_path / "content"
    content.mkdir()
    (content / "n.txt").write_text("Quel est X ?\nY\n", encoding="utf-8")
    first = tmp_path / "first.apkg"
    assert run_cli("build", str(content), "-o", str(first)).exit_code == 0
    collection = anki()
    collection.import_package(first)

    newer = replace(models.BASIC, css=models.CSS + "\n.ap-new-rule { color: red; }\n")
    monkeypatch.setitem(models.MODELS, NoteKind.BASIC, newer)
    monkeypatch.setattr(package, "TEMPLATES_VERSION", models.TEMPLATES_VERSION + 86400)
    second = tmp_path / "second.apkg"
    assert run_cli("build", str(content), "-o", str(second)).exit_code == 0
    log = collection.import_package(second)
    assert len(log.conflicting) == 0
    notetype = collection.col.models.by_name("ankipress Basic")
    assert ".ap-new-rule" in notetype["css"]
    assert len(collection.col.models.all_names_and_ids()) == len(
        {m.name for m in collection.col.models.all_names_and_ids()}
    )
