"""The build against what can go wrong around it: two builds at once, a lock file crafted
or hand-edited, a full disk, a read-only folder. Each ends in a clear message, never in an
internal error, and never with a damaged package."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import SEED, run_cli

from ankipress import package
from ankipress.lock import read_lock


def content_with_seed(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content / SEED.name)
    return content


def test_a_second_build_of_the_same_output_waits_then_says_another_is_running(
    tmp_path, monkeypatch
):
    content = content_with_seed(tmp_path)
    out = tmp_path / "build"
    out.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from ankipress.package import build_lock\n"
            "with build_lock(Path(sys.argv[1])):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(30)\n",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(package, "BUILD_WAIT", 0.3)
        monkeypatch.setattr(package.build_lock, "__defaults__", (0.3,))
        result = run_cli("build", str(content), "-o", str(out))
        assert result.exit_code == 1
        assert "error: another ankipress build is writing here" in result.output
        assert "internal error" not in result.output
        assert list(out.iterdir()) == []
    finally:
        holder.kill()
        holder.wait()
    # Once the other build is over, the build runs.
    assert run_cli("build", str(content), "-o", str(out)).exit_code == 0


def test_builds_at_once_in_parallel_processes_all_succeed_one_after_the_other(tmp_path):
    content = content_with_seed(tmp_path)
    out = tmp_path / "build"
    command = [sys.executable, "-m", "ankipress", "build", str(content), "-o", str(out)]
    env = {**os.environ, "ANKIPRESS_CACHE_DIR": "off"}
    processes = [
        subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env) for _ in range(4)
    ]
    results = [(p.wait(), p.stderr.read()) for p in processes]
    assert all(code == 0 for code, _ in results), results
    with zipfile.ZipFile(out / "cours-13-flashcards.apkg") as archive:
        assert archive.testzip() is None
    assert sorted(p.name for p in out.iterdir()) == ["cours-13-flashcards.apkg"]


def lock_line(**changes) -> str:
    entry = {
        "answer": "0" * 16,
        "content": "0" * 16,
        "deck": "Cours 13 Flashcards",
        "file": "cours-13-flashcards.txt",
        "guid": "abcdefghij",
        "id": 1790000000000,
        "mod": 1790000000,
        "question": "quel est le but du codéveloppement?",
    }
    entry.update(changes)
    return json.dumps(entry, ensure_ascii=False)


CRAFTED = {
    "question is a number": lock_line(question=42),
    "mod too large": lock_line(mod=10**20),
    "id at sqlite's limit": lock_line(id=2**63 - 1),
    "id zero": lock_line(id=0),
    "negative mod": lock_line(mod=-5),
    "true as an id": lock_line(id=True),
    "unknown kind": lock_line(kind="shell"),
    "clozes of the wrong shape": lock_line(clozes=[[1, "x"]], top=3),
    "missing fields": '{"guid": "x"}',
    "not an object": "[1, 2, 3]",
    "deep nesting": "[" * 100_000,
    "not json": "<<<<<<< HEAD",
}


@pytest.mark.parametrize("line", CRAFTED.values(), ids=CRAFTED.keys())
def test_a_crafted_lock_entry_is_skipped_with_a_warning_at_its_line(tmp_path, line, anki):
    content = content_with_seed(tmp_path)
    (content / "ankipress.lock").write_text(f"# header\n{line}\n", encoding="utf-8")
    result = run_cli("build", str(content), "-o", str(tmp_path / "build"))
    assert result.exit_code == 0, result.output
    assert "ankipress.lock:2:1: warning: unreadable lock file entry skipped" in result.output
    collection = anki()
    log = collection.import_package(tmp_path / "build" / "cours-13-flashcards.apkg")
    assert len(log.new) == 12


def test_two_lock_entries_never_give_two_notes_one_id_or_one_guid(tmp_path, anki):
    content = content_with_seed(tmp_path)
    out = tmp_path / "build"
    assert run_cli("build", str(content), "-o", str(out)).exit_code == 0
    lock = content / "ankipress.lock"
    lines = lock.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[2])
    # Every entry claims the first entry's id, then the first entry's GUID.
    same_id = [lines[2], *(json.dumps({**json.loads(x), "id": first["id"]}) for x in lines[3:])]
    lock.write_text("\n".join([*lines[:2], *same_id]) + "\n", encoding="utf-8")
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 0
    assert result.output.count("already used by an earlier entry") == 11
    entries, problems = read_lock(lock.read_bytes(), "ankipress.lock")
    assert not problems
    assert len({e.id for e in entries}) == len({e.guid for e in entries}) == 12
    log = anki().import_package(out / "cours-13-flashcards.apkg")
    assert len(log.new) == 12


def test_a_lock_file_that_is_a_folder_or_not_utf8_does_not_crash(tmp_path):
    content = content_with_seed(tmp_path)
    lock = content / "ankipress.lock"
    lock.write_bytes(b"# x\n\xff\xfe not utf-8\n")
    result = run_cli("build", str(content), "-o", str(tmp_path / "a"))
    assert result.exit_code == 0
    assert "ankipress.lock:2:1: warning: unreadable lock file entry skipped" in result.output
    lock.unlink()
    lock.mkdir()
    result = run_cli("build", str(content), "-o", str(tmp_path / "b"))
    assert result.exit_code == 1
    assert "warning: the lock file is ignored: not a regular file (a folder)" in result.output
    assert "ankipress.lock:1:1: error: cannot write" in result.output
    assert "internal error" not in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders anyway")
def test_a_read_only_output_folder_is_a_clear_error(tmp_path):
    content = content_with_seed(tmp_path)
    out = tmp_path / "build"
    out.mkdir()
    out.chmod(0o500)
    try:
        result = run_cli("build", str(content), "-o", str(out))
    finally:
        out.chmod(0o700)
    assert result.exit_code == 1
    assert "error: cannot write: Permission denied" in result.output
    assert "internal error" not in result.output


def test_a_folder_refusing_writes_is_a_clear_error_even_for_root(tmp_path, monkeypatch):
    """What a read-only folder gives a user who is not root, simulated where tests run as
    root: the temporary file can't be made."""
    content = content_with_seed(tmp_path)
    out = tmp_path / "build"
    out.mkdir()
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(out))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 1
    assert "cours-13-flashcards.apkg:1:1: error: cannot write: Permission denied" in result.output
    assert "internal error" not in result.output
    assert list(out.iterdir()) == []


def test_a_full_disk_is_a_clear_error_and_the_old_package_stays(tmp_path, monkeypatch):
    content = content_with_seed(tmp_path)
    out = tmp_path / "build"
    assert run_cli("build", str(content), "-o", str(out)).exit_code == 0
    package_path = out / "cours-13-flashcards.apkg"
    before = package_path.read_bytes()
    real = package.write_package

    def full(stream, *args, **kwargs):
        stream.write(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(package, "write_package", full)
    import ankipress.pipeline

    monkeypatch.setattr(ankipress.pipeline, "write_package", full)
    (content / SEED.name).write_text(SEED.read_text("utf-8") + "Quoi ?\nÇa\n", "utf-8")
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 1
    assert "error: cannot write: No space left on device" in result.output
    assert "internal error" not in result.output
    assert package_path.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["cours-13-flashcards.apkg"]
    monkeypatch.setattr(ankipress.pipeline, "write_package", real)
    assert run_cli("build", str(content), "-o", str(out)).exit_code == 0
