"""The command line end to end: exit codes, diagnostics, outputs, and what Anki imports."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT, SEED, outputs, run_cli, visible_lines, write

from ankipress import __version__

HEADING_NOTES = """\
---
deck: Neuro::Cervelet
tags: [neuro, examen final]
---
# Le cervelet

## Quel est le rôle du cervelet ?

Il coordonne les **mouvements** et l'équilibre.

## Structure

- deux hémisphères
- le vermis au centre
"""


def test_version_is_printed():
    result = run_cli("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_runs_as_python_module():
    result = subprocess.run(
        [sys.executable, "-m", "ankipress", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and __version__ in result.stdout


def test_check_content_folder_exits_zero():
    result = subprocess.run(
        [sys.executable, "-m", "ankipress", "check", "content"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_explain_prints_every_line_with_its_reading():
    result = run_cli("explain", str(SEED))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "deck: Cours 13 Flashcards"
    source_lines = SEED.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + len(source_lines)
    readings = [line.split()[1] for line in lines[1:]]
    assert readings[0] == "title"
    assert readings.count("question") == 12
    assert readings.count("answer") == len(source_lines) - 13
    assert lines[2].endswith(source_lines[1])


def test_explain_marks_front_matter_and_blank_lines(tmp_path):
    notes = write(tmp_path / "n.md", HEADING_NOTES)
    result = run_cli("explain", str(notes))
    readings = [
        line.split()[1] if len(line.split()) > 1 else "" for line in result.output.splitlines()[1:]
    ]
    assert readings[:4] == ["front", "front", "front", "front"]
    assert "blank" in readings


def test_missing_source_is_a_usage_error(tmp_path):
    result = run_cli("build", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_unknown_option_is_a_usage_error():
    assert run_cli("build", "--frobnicate").exit_code == 2


def test_content_errors_are_all_reported_with_locations_and_nothing_is_written(tmp_path):
    content = tmp_path / "content"
    write(content / "a.txt", "Quel est le rôle du cervelet ?\n\nQuelle est la capitale ?\nOttawa\n")
    write(content / "b.txt", "- orphan item\nQuel est X ?\nY\n")
    out = tmp_path / "build"
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 1
    stderr = result.output
    assert f"{content.as_posix()}/a.txt:1:1: error: question without an answer" in stderr or (
        "a.txt:1:1: error: question without an answer" in stderr
    )
    assert "b.txt:1:1: error: answer line before any question" in stderr
    assert "Traceback" not in stderr
    assert not out.exists()
    assert not (content / "ankipress.lock").exists()


def test_failed_build_leaves_the_earlier_package_untouched(tmp_path):
    content = tmp_path / "content"
    notes = write(content / "cours.txt", "Quel est X ?\nY\n")
    out = tmp_path / "build"
    assert run_cli("build", str(content), "-o", str(out)).exit_code == 0
    package = out / "cours.apkg"
    before = package.read_bytes()
    write(notes, "Quel est X ?\nY\nQuel est Z ?\n")
    assert run_cli("build", str(content), "-o", str(out)).exit_code == 1
    assert package.read_bytes() == before
    assert outputs(out) == ["cours.apkg"]


def test_no_temporary_files_are_left_anywhere(tmp_path, monkeypatch):
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(private_tmp))
    content = tmp_path / "content"
    write(content / "cours.txt", "Quel est X ?\nY\n")
    out = tmp_path / "build"
    result = subprocess.run(
        [sys.executable, "-m", "ankipress", "build", str(content), "-o", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(private_tmp)},
    )
    assert result.returncode == 0, result.stderr
    assert list(private_tmp.iterdir()) == []
    assert outputs(out) == ["cours.apkg"]
    assert sorted(p.name for p in content.iterdir()) == ["ankipress.lock", "cours.txt"]


def test_heading_style_with_front_matter_deck_and_tags(tmp_path, anki):
    content = tmp_path / "content"
    write(content / "cervelet.md", HEADING_NOTES)
    out = tmp_path / "build"
    assert run_cli("build", str(content), "-o", str(out)).exit_code == 0
    collection = anki()
    collection.import_package(out / "cervelet.apkg")
    assert collection.deck_names() == {"Neuro", "Neuro::Cervelet"}
    cards = collection.cards_in_due_order()
    assert [visible_lines(c.render_output(reload=True).question_text) for c in cards] == [
        ["Quel est le rôle du cervelet ?"],
        ["Structure"],
    ]
    assert "<strong>mouvements</strong>" in cards[0].note()["Back"]
    assert (
        cards[1].note()["Back"]
        == "<ul>\n<li>deux hémisphères</li>\n<li>le vermis au centre</li>\n</ul>"
    )
    for card in cards:
        assert sorted(card.note().tags) == ["examen_final", "neuro", "source::cervelet.md"]
        assert card.note()["Source"].startswith("cervelet.md:")
    assert cards[0].note()["Source"] == "cervelet.md:7"


def test_windows_1252_crlf_file_builds_like_its_utf8_twin(tmp_path, anki):
    text = "Cours 4\r\nQu'est-ce qu'un neurone ?\r\nUne cellule nerveuse, très spécialisée.\r\n"
    text += (
        "Quelles sont ses parties ?\r\n- le corps cellulaire\r\n- l'axone\r\n- les dendrites\r\n"
    )
    utf8 = write(tmp_path / "utf8" / "cours.txt", text.replace("\r\n", "\n").encode("utf-8"))
    legacy = write(tmp_path / "cp1252" / "cours.txt", text.encode("cp1252"))

    fields = []
    for source in (utf8, legacy):
        out = tmp_path / f"out-{source.parent.name}"
        result = run_cli("build", str(source.parent), "-o", str(out))
        assert result.exit_code == 0
        collection = anki()
        collection.import_package(out / "cours.apkg")
        notes = collection.notes()
        fields.append([tuple(note.fields) for note in notes])
        if source is legacy:
            assert "cp1252/cours.txt:1:1: warning:" in result.output
            assert "Windows-1252" in result.output
        else:
            assert "warning" not in result.output
    assert fields[0] == fields[1]
    assert len(fields[0]) == 2
    assert fields[0][0][1] == "<p>Une cellule nerveuse, très spécialisée.</p>"


def test_subfolders_prefix_the_deck_and_mirror_the_output(tmp_path, anki):
    content = tmp_path / "content"
    write(content / "psycho" / "cours-13.txt", SEED.read_text(encoding="utf-8"))
    out = tmp_path / "build"
    assert run_cli("build", str(content), "-o", str(out)).exit_code == 0
    package = out / "psycho" / "cours-13.apkg"
    collection = anki()
    collection.import_package(package)
    assert collection.deck_names() == {"psycho", "psycho::Cours 13 Flashcards"}


def test_one_package_holds_every_deck_when_out_is_an_apkg(tmp_path, anki):
    content = tmp_path / "content"
    write(content / "seed.txt", SEED.read_text(encoding="utf-8"))
    write(content / "cervelet.md", HEADING_NOTES)
    out = tmp_path / "all.apkg"
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 0
    assert outputs(tmp_path) == ["all.apkg", "content"]
    collection = anki()
    collection.import_package(out)
    assert collection.deck_names() == {"Cours 13 Flashcards", "Neuro", "Neuro::Cervelet"}
    assert len(collection.notes()) == 14


def test_skipped_files_are_not_built(tmp_path):
    content = tmp_path / "content"
    write(content / "_brouillon.txt", "Quel est X ?\n")
    write(content / ".cache.md", "## Q\n")
    write(content / "notes.txt", "Quel est X ?\nY\n")
    out = tmp_path / "build"
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert outputs(out) == ["notes.apkg"]


def test_a_folder_without_files_of_notes_says_which_files_are_read(tmp_path):
    content = tmp_path / "content"
    write(content / "cards.org", "* Item :drill:\nQuestion\n** Answer\nReply\n")
    result = run_cli("build", str(content), "-o", str(tmp_path / "build"))
    assert result.exit_code == 0, result.output
    assert "no notes found: no file of notes here (`*.md`, `*.markdown`, `*.txt`" in result.output
    write(content / "empty.md", "# Nothing yet\n")
    result = run_cli("build", str(content), "-o", str(tmp_path / "build"))
    assert "no notes found; nothing written" in result.output


def test_duplicate_questions_across_files_of_one_deck_name_both_lines(tmp_path):
    content = tmp_path / "content"
    write(content / "a.txt", "---\ndeck: Bio\n---\nQuel est X ?\nY\n")
    write(content / "b.txt", "---\ndeck: Bio\n---\nquel est  X?\nZ\n")
    result = run_cli("check", str(content))
    assert result.exit_code == 1
    assert "b.txt:4:1: error: the same question is already asked at" in result.output
    assert "a.txt:4:1" in result.output


def test_an_internal_error_is_one_line_and_exit_code_three(tmp_path, monkeypatch):
    import ankipress.compiling

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ankipress.compiling, "compile_file", broken)
    write(tmp_path / "n.txt", "Quel est X ?\nY\n")
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 3
    assert "internal error: RuntimeError: boom" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("flag", ["--quiet", "-q"])
def test_quiet_hides_warnings(tmp_path, flag):
    write(tmp_path / "empty.txt", "")
    result = run_cli(flag, "check", str(tmp_path))
    assert result.exit_code == 0
    assert result.output == ""
    assert "warning: no notes" in run_cli("check", str(tmp_path)).output


def test_a_file_built_alone_belongs_to_the_folder_holding_the_lock_file(tmp_path, anki):
    content = tmp_path / "content"
    write(content / "psycho" / "cours-13.txt", SEED.read_text(encoding="utf-8"))
    assert run_cli("build", str(content), "-o", str(tmp_path / "all")).exit_code == 0
    lock = (content / "ankipress.lock").read_bytes()
    out = tmp_path / "one.apkg"
    result = run_cli("build", str(content / "psycho" / "cours-13.txt"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert (content / "ankipress.lock").read_bytes() == lock
    assert not (content / "psycho" / "ankipress.lock").exists()
    collection = anki()
    collection.import_package(out)
    assert collection.deck_names() == {"psycho", "psycho::Cours 13 Flashcards"}


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_start_without_the_heavy_modules(flag):
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ankipress", flag],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()}
    assert "click" in imported  # the measurement works
    heavy = {"genanki", "markdown_it", "yaml", "pygments", "sqlite3"}
    assert not heavy & {name.split(".")[0] for name in imported}


def test_a_large_build_shows_a_progress_bar_on_a_terminal_only(tmp_path):
    import pty

    content = tmp_path / "content"
    notes = "".join(f"Quel est le point {n} ?\n- réponse {n}\n" for n in range(400))
    write(content / "gros.txt", notes)
    command = [sys.executable, "-m", "ankipress", "build", str(content), "-o", str(tmp_path / "o")]

    no_cache = {**os.environ, "ANKIPRESS_CACHE_DIR": "off"}  # so that both builds compile
    piped = subprocess.run(command, capture_output=True, text=True, env=no_cache)
    assert piped.returncode == 0 and "Compiling notes" not in piped.stderr

    (tmp_path / "o").rename(tmp_path / "first")
    (content / "ankipress.lock").unlink()
    controller, terminal = pty.openpty()
    process = subprocess.Popen(command, stderr=terminal, stdout=subprocess.DEVNULL, env=no_cache)
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closes with the process
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait() == 0
    os.close(controller)
    assert b"Compiling notes" in seen and b"100%" in seen
