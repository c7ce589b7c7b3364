"""Bad input never loses work: every problem located, all at once, old packages kept."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED, outputs, run_cli, write

from ankipress import package

PNG = b"\x89PNG\r\n\x1a\n"


def test_a_folder_of_problems_gives_one_located_diagnostic_each(tmp_path):
    content = tmp_path / "content"
    write(content / "sans-reponse.txt", "Quel est X ?\nY\nQuel est Z ?\n")
    write(content / "image.md", "## Quel schéma ?\n\n![schéma](absent.png)\n")
    write(content / "fuite.md", "## Quel secret ?\n\n![x](../../secret.png)\n")
    write(content / "binaire.txt", b"\x00\x01\x02PK\x03\x04")
    write(content / "vide.txt", "")
    write(
        content / "doublon.txt",
        "Quel est le rôle du cervelet ?\nA\n\nQuel est le rôle du cervelet?\nB\n",
    )
    out = tmp_path / "build"
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 1
    lines = [
        line for line in result.output.splitlines() if ": error: " in line or ": warning: " in line
    ]
    expected = {
        "sans-reponse.txt:3:1: error: question without an answer",
        "image.md:3:11: error: media file `absent.png` not found",
        "fuite.md:3:6: error: media path `../../secret.png` leaves the source folder",
        "binaire.txt:1:1: error: not a text file",
        "vide.txt:1:1: warning: no notes in this file",
        "doublon.txt:4:1: error: the same question is already asked at",
    }
    for start in expected:
        assert sum(start in line for line in lines) == 1, (start, lines)
    assert len(lines) == len(expected)
    assert "Traceback" not in result.output
    assert not out.exists()


def test_check_reports_the_same_problems_without_writing(tmp_path):
    content = tmp_path / "content"
    write(content / "a.txt", "Quel est X ?\n\nQuel est Y ?\nZ\n")
    before = sorted(p.name for p in content.iterdir())
    result = run_cli("check", str(content))
    assert result.exit_code == 1
    assert "a.txt:1:1: error: question without an answer" in result.output
    assert sorted(p.name for p in content.iterdir()) == before


def test_front_matter_problems_are_located(tmp_path):
    write(tmp_path / "a.md", "---\ndeck: Bio\ndekc: red\ntags: 3\n---\nQuel ?\nR\n")
    write(tmp_path / "b.md", "---\ndeck: [unclosed\n---\nQuel ?\nR\n")
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 1
    assert (
        "a.md:3:1: warning: front matter key `dekc` is ignored: did you mean `deck`?"
        in result.output
    )
    assert "a.md:4:1: error: front matter `tags` must be a list" in result.output
    assert "b.md:2:16: error: front matter is not valid YAML" in result.output


def test_warnings_for_long_lists_and_long_questions(tmp_path):
    items = "".join(f"- étape {n}\n" for n in range(12))
    write(tmp_path / "a.txt", f"Quelles sont les étapes ?\n{items}\nQuel {'très ' * 80}long ?\nR\n")
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 0
    assert "a.txt:1:1: warning: the answer is a list of 12 items" in result.output
    assert "a.txt:15:1: warning: very long question" in result.output


def test_a_long_cloze_is_no_long_question(tmp_path):
    # A cloze is a whole paragraph with its deletions: no answer hides on its line.
    write(tmp_path / "a.txt", f"La {{{{c1::mitochondrie}}}} {'produit beaucoup ' * 30}d'ATP.\n")
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "very long question" not in result.output


def test_a_question_over_several_lines_is_measured_by_its_longest_line(tmp_path):
    # Its answer stands apart, under a blank line: none can hide on its question's lines.
    sample = "\n".join(f"ligne {n} " + "de sortie " * 12 for n in range(4))
    write(tmp_path / "a.md", f"1. La commande affiche :\n{sample}\nQue faire ?\n\n    Rien\n")
    result = run_cli("check", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "very long question" not in result.output


def test_a_windows_1252_file_is_read_with_a_warning_and_undecodable_bytes_are_an_error(tmp_path):
    write(tmp_path / "cp.txt", "Qu'est-ce qu'un café ?\r\nUne boisson\r\n".encode("cp1252"))
    write(tmp_path / "bad.txt", b"Quel est \x81 ?\nR\n")
    result = run_cli("check", str(tmp_path))
    assert "cp.txt:1:1: warning: not valid UTF-8; read as Windows-1252" in result.output
    assert "bad.txt:1:1: error: cannot decode" in result.output
    assert result.exit_code == 1


def seed_package(tmp_path: Path) -> tuple[Path, Path, bytes]:
    content = tmp_path / "content"
    write(content / SEED.name, SEED.read_text(encoding="utf-8"))
    out = tmp_path / "build"
    assert run_cli("build", str(content), "-o", str(out)).exit_code == 0
    package_path = out / "cours-13-flashcards.apkg"
    return content, package_path, package_path.read_bytes()


def test_a_write_interrupted_halfway_leaves_the_old_package_and_no_temporary_file(
    tmp_path, monkeypatch
):
    content, package_path, before = seed_package(tmp_path)
    seed = content / SEED.name
    seed.write_text(seed.read_text(encoding="utf-8").replace("Max 10", "Max 12"), "utf-8")
    lock_before = (content / "ankipress.lock").read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(package.os, "replace", interrupted)
    result = run_cli("build", str(content), "-o", str(package_path.parent))
    assert result.exit_code != 0
    assert package_path.read_bytes() == before
    assert (content / "ankipress.lock").read_bytes() == lock_before
    assert outputs(package_path.parent) == [package_path.name]
    assert sorted(p.name for p in content.iterdir()) == ["ankipress.lock", SEED.name]


def test_a_build_killed_while_writing_leaves_the_old_package_intact(tmp_path):
    content, package_path, before = seed_package(tmp_path)
    seed = content / SEED.name
    seed.write_text(seed.read_text(encoding="utf-8").replace("Max 10", "Max 12"), "utf-8")
    # A real kill, in a separate process, at the moment the new files are complete but
    # not yet in place: nothing in ankipress gets a chance to clean up.
    killer = (
        "import os, signal, sys\n"
        "from ankipress import package\n"
        "package.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from ankipress.cli import main\n"
        "sys.argv = ['ankipress', 'build', sys.argv[1], '-o', sys.argv[2]]\n"
        "main()\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", killer, str(content), str(package_path.parent)],
        capture_output=True,
    )
    assert killed.returncode == -signal.SIGKILL
    assert package_path.read_bytes() == before

    result = run_cli("build", str(content), "-o", str(package_path.parent))
    assert result.exit_code == 0
    assert package_path.read_bytes() != before
    leftovers = [name for name in outputs(package_path.parent) if name != package_path.name]
    leftovers += [p.name for p in content.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


HOSTILE = {
    "long-line": "Quelle est la longue réponse ?\n" + "mot " * 25_000 + "\n",
    "deep": "Quelle est la profondeur ?\n"
    + "".join("  " * depth + f"- niveau {depth}\n" for depth in range(300)),
    "separators": "Quel est X ?\nY\n---\nQuel est Z ?\nW\n***\n",
    "unmatched": "Que vaut {{ ou == ou $ ?\nUn $ seul, un == seul, un {{ seul et ```\n",
    "rtl": "\u200fما هو الدماغ؟ ?\n\u200fعضو\n",
    "boms": "\ufeffQuel est X ?\n\ufeffY\nQuel est \ufeffZ ?\nW\n",
    "mixed-endings": "Quel est X ?\r\nY\rQuel est Z ?\nW\r\n",
    "unclosed-fence": "## Quel code ?\n\n```python\nx = 1\n## pas un titre\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_builds_and_imports_cleanly(tmp_path, anki, name):
    content = tmp_path / "content"
    suffix = ".md" if name == "unclosed-fence" else ".txt"
    write(content / f"{name}{suffix}", HOSTILE[name])
    out = tmp_path / "out.apkg"
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 0, result.output
    collection = anki()
    log = collection.import_package(out)
    assert len(log.new) >= 1
    col = collection.col
    assert list(col.get_empty_cards().notes) == []
    notes = collection.notes()
    if name == "separators" or name == "boms" or name == "mixed-endings":
        assert len(notes) == 2
    if name == "deep":
        assert notes[0]["Back"].count("<ul>") == 300
    if name == "unclosed-fence":
        assert "## pas un titre" in notes[0]["Back"]
    if name == "long-line":
        assert len(notes[0]["Back"]) > 100_000


def test_usage_errors_exit_two_and_internal_errors_three_with_debug(tmp_path, monkeypatch):
    assert run_cli("build", str(tmp_path / "absent")).exit_code == 2
    assert run_cli("frobnicate").exit_code == 2
    write(tmp_path / "n.txt", "Quel est X ?\nY\n")
    import ankipress.pipeline

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(ankipress.pipeline, "compile_all", broken)
    quiet = run_cli("check", str(tmp_path))
    assert quiet.exit_code == 3 and "Traceback" not in quiet.output
    assert quiet.output.count("\n") == 1
    loud = run_cli("--debug", "check", str(tmp_path))
    assert loud.exit_code == 3
    assert "Traceback" in loud.output and "ValueError: boom" in loud.output


def test_a_delimited_field_past_the_csv_limit_is_a_located_error_not_a_crash(tmp_path):
    huge = "x" * 200_000  # past the csv module's 128 KB field limit
    with_header = f'#separator:tab\nchien\t"{huge}"\nchat\tcat\n'
    write(tmp_path / "content" / "vocabulaire.txt", with_header)
    write(tmp_path / "content" / "sans-entete.txt", f'chien\tdog\nchat\t"{huge}"\n')
    result = run_cli("check", str(tmp_path / "content"))
    assert result.exit_code == 1
    assert "vocabulaire.txt:2:1: error: this row cannot be read: field larger" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
