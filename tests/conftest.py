"""Shared fixtures: building with the real CLI and importing with Anki's own backend."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from click.testing import CliRunner, Result

from ankipress.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "cours-13-flashcards.txt"
FIXED_NOW = "1790000000"


def run_cli(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run `ankipress ARGS` in-process, as a user would from the shell."""
    runner = CliRunner()
    return runner.invoke(main, list(args), env=env, catch_exceptions=False)


def preview_page(content: Path, out: Path) -> Path:
    """`ankipress preview CONTENT -o OUT`, which must succeed; the page written."""
    result = run_cli("preview", str(content), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def write(path: Path, data: str | bytes) -> Path:
    """A source file (with its folders), from text (UTF-8) or raw bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def outputs(folder: Path) -> list[str]:
    """What a build left in a folder (the build cache lives elsewhere)."""
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory):
    """The build cache of every test in a folder of the test session's own, never the
    user's: set before any build, kept for the session (each output has its own)."""
    folder = tmp_path_factory.mktemp("cache")
    folder.chmod(0o700)
    previous = os.environ.get("ANKIPRESS_CACHE_DIR")
    os.environ["ANKIPRESS_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        del os.environ["ANKIPRESS_CACHE_DIR"]
    else:
        os.environ["ANKIPRESS_CACHE_DIR"] = previous


def visible_lines(html: str) -> list[str]:
    """The text a student sees, one entry per visual line (block or `<br>`)."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    html = re.sub(r"<(br|/p|/li|/div|hr|/h\d|/tr)\b[^>]*>", "\n", html)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    return [line.strip() for line in text.split("\n") if line.strip()]


@dataclass
class AnkiCollection:
    """A fresh Anki collection and the import log of the last package imported into it."""

    col: Collection
    last_log: object = None

    def import_package(self, path: Path) -> object:
        request = ImportAnkiPackageRequest(
            package_path=str(path), options=ImportAnkiPackageOptions()
        )
        self.last_log = self.col.import_anki_package(request).log
        return self.last_log

    def cards_in_due_order(self) -> list:
        cards = [self.col.get_card(cid) for cid in self.col.find_cards("")]
        return sorted(cards, key=lambda card: (card.due, card.ord))

    def notes(self) -> list:
        return [self.col.get_note(nid) for nid in sorted(self.col.find_notes(""))]

    def deck_names(self) -> set[str]:
        return {d.name for d in self.col.decks.all_names_and_ids()} - {"Default"}

    def review_all(self, ease: int = 3) -> int:
        """Answer every card once, as a student studying the deck would."""
        self.col.decks.select(self.col.decks.id_for_name("Default") or 1)
        count = 0
        for cid in self.col.find_cards(""):
            card = self.col.get_card(cid)
            card.start_timer()
            self.col.sched.answerCard(card, ease)
            count += 1
        return count


@pytest.fixture
def anki(tmp_path: Path) -> Callable[[], AnkiCollection]:
    """A factory of fresh, empty Anki collections, closed after the test."""
    opened: list[Collection] = []

    def make() -> AnkiCollection:
        folder = tmp_path / f"collection{len(opened)}"
        folder.mkdir()
        col = Collection(str(folder / "collection.anki2"))
        opened.append(col)
        return AnkiCollection(col)

    yield make
    for col in opened:
        col.close()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed notes copied to a fresh content folder and built once with the CLI."""
    work = tmp_path_factory.mktemp("seed")
    content = work / "content"
    content.mkdir()
    shutil.copy(SEED, content / SEED.name)
    result = run_cli("build", str(content), "-o", str(work / "build"))
    assert result.exit_code == 0, result.output
    return work / "build" / "cours-13-flashcards.apkg"


@pytest.fixture(scope="session")
def seed_collection(seed_build: Path, tmp_path_factory: pytest.TempPathFactory):
    """One Anki collection holding the imported seed deck, shared by read-only tests."""
    folder = tmp_path_factory.mktemp("seedcol")
    wrapper = AnkiCollection(Collection(str(folder / "collection.anki2")))
    wrapper.import_package(seed_build)
    yield wrapper
    wrapper.col.close()
