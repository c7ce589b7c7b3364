"""Source files are confined like media: only a regular file inside its source folder
(symbolic links followed), of a sensible size, is read; anything else is a located error and
nothing of it is read. A named pipe or a device never blocks a build."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli, write

from ankipress.sources import MEDIA_SIZE_LIMIT, SOURCE_SIZE_LIMIT

SECRET = "Quel est le mot de passe ?\nhunter2-tres-secret\n"
NOTE = "Quel est le rôle du cervelet ?\nIl coordonne les mouvements.\n"


def build_in_process(content: Path, out: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """A build as a process of its own, so that a build that blocks fails the test instead of
    hanging the suite."""
    return subprocess.run(
        [sys.executable, "-m", "ankipress", "build", str(content), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=content.parent,
    )


def everything_written(folder: Path) -> str:
    """The text of every file under a folder (to look for a secret in)."""
    return "".join(
        path.read_bytes().decode("utf-8", "replace") for path in folder.rglob("*") if path.is_file()
    )


def test_a_link_to_a_file_outside_the_source_folder_is_an_error_and_not_read(tmp_path):
    content = tmp_path / "content"
    write(content / "cours.txt", NOTE)
    write(tmp_path / "private" / "secret.txt", SECRET)
    (content / "lien.txt").symlink_to(tmp_path / "private" / "secret.txt")
    result = build_in_process(content, tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "content/lien.txt:1:1: error: a symbolic link to a file outside the source folder; "
        "it is not read"
    )
    assert "hunter2" not in result.stderr + result.stdout
    assert not (tmp_path / "out").exists() and not (content / "ankipress.lock").exists()


def test_a_link_named_on_the_command_line_is_confined_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "private" / "secret.txt", SECRET)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "lien.txt").symlink_to(tmp_path / "private" / "secret.txt")
    result = run_cli("build", "notes/lien.txt", "-o", "out")
    assert result.exit_code == 1
    assert "notes/lien.txt:1:1: error: a symbolic link to a file outside" in result.output
    assert "hunter2" not in result.output


def test_a_link_inside_the_source_folder_is_read_once(tmp_path, anki):
    content = tmp_path / "content"
    write(content / "cours.txt", NOTE)
    (content / "raccourci.txt").symlink_to(content / "cours.txt")
    write(content / "psycho" / "vrai.txt", "Quel est X ?\nY\n")
    (content / "lien-psycho.txt").symlink_to(content / "psycho" / "vrai.txt")
    out = tmp_path / "out.apkg"
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(anki().import_package(out).new) == 2


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_link_to_a_device_is_refused_without_opening_it(tmp_path, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    content = tmp_path / "content"
    write(content / "cours.txt", NOTE)
    (content / "zero.txt").symlink_to(device)
    result = build_in_process(content, tmp_path / "out")
    assert result.returncode == 1
    assert "content/zero.txt:1:1: error: a symbolic link to a file outside" in result.stderr


def test_a_named_pipe_a_socket_and_a_device_inside_the_folder_are_errors(tmp_path):
    content = tmp_path / "content"
    write(content / "cours.txt", NOTE)
    os.mkfifo(content / "tube.txt")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(content / "prise.txt"))
        result = build_in_process(content, tmp_path / "out")
    finally:
        server.close()
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        "content/prise.txt:1:1: error: not a regular file (a socket); it is not read",
        "content/tube.txt:1:1: error: not a regular file (a named pipe); it is not read",
    ]


def test_a_named_pipe_given_as_the_source_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "tube.md")
    result = subprocess.run(
        [sys.executable, "-m", "ankipress", "check", "tube.md"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "tube.md:1:1: error: not a regular file (a named pipe)" in result.stderr


def test_a_file_above_the_size_limit_is_an_error_and_not_read(tmp_path):
    content = tmp_path / "content"
    write(content / "cours.txt", NOTE)
    with open(content / "enorme.txt", "wb") as big:
        big.truncate(SOURCE_SIZE_LIMIT + 1)  # sparse: nothing is written to disk
    write(content / "juste.txt", "Quel est X ?\n" + "y" * (SOURCE_SIZE_LIMIT - 20) + "\n")
    result = run_cli("check", str(content))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1
    assert errors[0].endswith("enorme.txt:1:1: error: larger than 4 MB (4.0 MB); it is not read")


def test_media_are_regular_files_of_a_sensible_size(tmp_path):
    content = tmp_path / "content"
    write(
        content / "cours.md",
        "## Quel tube ?\n\n![t](tube.png)\n\n## Quelle image ?\n\n![i](enorme.png)\n",
    )
    os.mkfifo(content / "tube.png")
    with open(content / "enorme.png", "wb") as big:
        big.truncate(MEDIA_SIZE_LIMIT + 1)
    result = build_in_process(content, tmp_path / "out")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        "content/cours.md:3:6: error: media file `tube.png`: not a regular file (a named pipe); "
        "it is not read",
        "content/cours.md:7:6: error: media file `enorme.png`: larger than 100 MB (100.0 MB); "
        "it is not read",
    ]
