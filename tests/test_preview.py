"""The preview page: every card Anki makes, as Anki shows it (its browser tests are in
test_preview_browser.py)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import SKIP_REASON, find_chromium
from conftest import SEED, preview_page, run_cli, visible_lines

from ankipress.preview import fill, inline_media
from ankipress.records import MediaFile

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
RICH = """\
---
deck: Neuro
cloze: lists
---
# Neuro

## Quels sont les lobes du cortex ?

- frontal
- pariétal
- occipital

## Le cervelet

Le ==cervelet== coordonne les {{c2::mouvements::quoi ?}}.

## Que fait ce code ?

```python
def carre(x):
    return x ** 2
```

## Quel schéma ?

![schéma du neurone](neurone.png)
"""


@pytest.fixture(scope="module")
def rich_content(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("preview") / "content"
    content.mkdir()
    shutil.copy(SEED, content / SEED.name)
    (content / "neuro.md").write_text(RICH, encoding="utf-8")
    (content / "neurone.png").write_bytes(PNG)
    (content / "vocabulaire.txt").write_text(
        "Vocabulaire\nSynapse ::: Jonction entre deux neurones\n", encoding="utf-8"
    )
    return content


@pytest.fixture(scope="module")
def page(rich_content: Path) -> Path:
    return preview_page(rich_content, rich_content.parent / "preview.html")


def sides(html: str) -> list[tuple[str, str]]:
    """(front, back) HTML of every card in the page, in order."""
    return re.findall(
        r'<div class="ap-side ap-front"><div class="card">(.*?)</div></div>'
        r'<div class="ap-side ap-back"><div class="card">(.*?)</div></div></article>',
        html,
        re.S,
    )


def test_the_page_shows_every_card_anki_makes_as_anki_shows_it(rich_content, page, anki):
    out = rich_content.parent / "all.apkg"
    assert run_cli("build", str(rich_content), "-o", str(out)).exit_code == 0
    collection = anki()
    collection.import_package(out)
    anki_cards = [
        (visible_lines(card.question()), visible_lines(card.answer()))
        for card in collection.cards_in_due_order()
    ]
    shown = [(visible_lines(front), visible_lines(back)) for front, back in sides(page.read_text())]
    assert len(shown) == len(anki_cards) == 12 + 3 + 2 + 1 + 1 + 2
    assert sorted(shown) == sorted(anki_cards)


@pytest.mark.parametrize("value", ["", " \n", "<br>", "<BR />", "<div></div>", "&nbsp;", "<b></b>"])
def test_conditional_sections_treat_empty_fields_as_anki_does(value, anki):
    collection = anki().col
    model = collection.models.by_name("Basic")
    template = "{{Front}}{{#Back}}[shown]{{/Back}}"
    model["tmpls"][0]["qfmt"] = template
    collection.models.update_dict(model)
    note = collection.new_note(model)
    note["Front"], note["Back"] = "q", value
    collection.add_note(note, 1)
    ours = fill(template, {"Front": "q", "Back": value}, "", 1, answer=False)
    assert ("[shown]" in ours) == ("[shown]" in note.cards()[0].question())


def test_sounds_become_audio_controls_and_unknown_media_stay_as_they_are():
    media = {"cri-0123.mp3": MediaFile("cri-0123.mp3", b"ID3")}
    html = inline_media('[sound:cri-0123.mp3] [sound:ailleurs.mp3] <img src="x.png">', media)
    assert html == (
        '<audio controls src="data:audio/mpeg;base64,SUQz" title="cri-0123.mp3"></audio>'
        ' [sound:ailleurs.mp3] <img src="x.png">'
    )


def test_cloze_fronts_hide_only_their_deletion_and_images_are_inlined(page):
    html = page.read_text(encoding="utf-8")
    fronts = [visible_lines(front) for front, _ in sides(html)]
    assert ["Quels sont les lobes du cortex ?", "[...]", "pariétal", "occipital"] in fronts
    assert ["Le cervelet", "Le cervelet coordonne les [quoi ?]."] in fronts
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="schéma', html)
    assert 'id="ap-night"' in html
    assert "http" not in re.sub(r'xmlns="[^"]*"', "", html)  # nothing fetched from the web
    assert all(src.startswith("data:") for src in re.findall(r'\bsrc="([^"]*)"', html))


def test_preview_with_errors_writes_nothing(tmp_path):
    (tmp_path / "n.txt").write_text("Quel est X ?\n", encoding="utf-8")
    out = tmp_path / "preview.html"
    result = run_cli("preview", str(tmp_path), "-o", str(out))
    assert result.exit_code == 1
    assert "question without an answer" in result.output
    assert not out.exists()


def test_the_browser_is_found_as_a_user_has_it(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    assert find_chromium({"PATH": str(folder)}) is None
    fake = folder / "chromium-browser"
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    fake.chmod(0o755)
    assert find_chromium({"PATH": str(folder)}) == str(fake)
    assert find_chromium({"PATH": str(folder), "ANKIPRESS_CHROMIUM": "none"}) is None
    assert find_chromium({"PATH": "", "ANKIPRESS_CHROMIUM": str(fake)}) == str(fake)


@pytest.mark.parametrize(
    ("extra", "outcome"),
    [({}, "1 skipped"), ({"ANKIPRESS_REQUIRE_CHROMIUM": "1"}, "1 error")],
)
def test_without_chromium_the_browser_tests_skip_saying_how_to_install_it(extra, outcome):
    # As on a student's machine: no browser found. CI asks for one, so there it is an error.
    env = {k: v for k, v in os.environ.items() if k != "ANKIPRESS_REQUIRE_CHROMIUM"}
    env |= {"ANKIPRESS_CHROMIUM": "none", **extra}
    pytest_run = [sys.executable, "-m", "pytest", "-rsE", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [*pytest_run, "test_preview_browser.py"],
        cwd=Path(__file__).parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert outcome in result.stdout, result.stdout
    assert SKIP_REASON in result.stdout
