"""Math, code, tables, media, raw HTML and French spacing, as Anki imports them."""

from __future__ import annotations

import os
import re
from html import unescape
from pathlib import Path

import pytest
from conftest import run_cli, visible_lines

from ankipress import sources

PNG = b"\x89PNG\r\n\x1a\n"

MATH = r"""# Algorithmes

## Quelle est la complexité du théorème maître ?

Si $a<b$ alors $T(n) = \Theta(n^{\log_b a})$ avec $x_1*y_1$ et **gras** _penché_.

$$
\sum_{i=1}^{n} x_i^{2}
$$

Aussi \(\log n\) et \[a_b*c\]. Prix : 5 $ et 10 $, et `$pas_de_math$`.
"""
SOURCE_MATH = [
    ("(", "a<b"),
    ("(", r"T(n) = \Theta(n^{\log_b a})"),
    ("(", "x_1*y_1"),
    ("[", "\n\\sum_{i=1}^{n} x_i^{2}\n"),
    ("(", r"\log n"),
    ("[", "a_b*c"),
]

CODE = """\
## Comment écrire un carré ?

```python
def carre(x):
    return x ** 2  # le carré
```

## Quels nombres ?

| n | carré |
|---|-------|
| 2 | 4 |

- pairs
  - 2
  - 4
- impairs
"""


def build(tmp_path: Path, files: dict[str, str | bytes], *args: str):
    content = tmp_path / "content"
    for name, text in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    out = tmp_path / "out.apkg"
    result = run_cli("build", str(content), "-o", str(out), *args)
    return result, out


def imported(anki, package: Path):
    collection = anki()
    collection.import_package(package)
    return collection


def test_math_reaches_anki_byte_for_byte_between_mathjax_delimiters(tmp_path, anki):
    result, out = build(tmp_path, {"algo.md": MATH})
    assert result.exit_code == 0, result.output
    (note,) = imported(anki, out).notes()
    back = note["Back"]
    found = re.findall(r"\\([(\[])(.*?)\\[)\]]", back, re.S)
    assert [(kind, unescape(tex)) for kind, tex in found] == SOURCE_MATH
    assert "<strong>gras</strong>" in back and "<em>penché</em>" in back
    assert "5 $ et 10 $" in back
    assert "<code>$pas_de_math$</code>" in back


def test_math_in_a_line_style_answer_and_inside_a_cloze(tmp_path, anki):
    text = (
        "Quelle est la dérivée de $x^2$ ?\n$2x$ et non $x_1*2$\n\n"
        "La dérivée de $x^3$ est {{c1::$3x^2$}}.\n"
    )
    result, out = build(tmp_path, {"derivees.txt": text})
    assert result.exit_code == 0, result.output
    notes = imported(anki, out).notes()
    assert notes[0]["Front"] == r"Quelle est la dérivée de \(x^2\) ?"
    assert notes[0]["Back"] == r"<p>\(2x\) et non \(x_1*2\)</p>"
    assert notes[1]["Text"] == r"La dérivée de \(x^3\) est {{c1::\(3x^2\)}}."
    assert len(notes[1].cards()) == 1


def test_code_is_highlighted_tables_and_nested_lists_render(tmp_path, anki):
    result, out = build(tmp_path, {"code.md": CODE})
    assert result.exit_code == 0, result.output
    code_note, table_note = imported(anki, out).notes()
    back = code_note["Back"]
    assert back.startswith('<pre class="ap-code"><code class="language-python">')
    assert len(re.findall(r'<span class="hl-\w+">', back)) >= 5
    text = unescape(re.sub(r"<[^>]+>", "", back))
    assert text == "def carre(x):\n    return x ** 2  # le carré\n"
    table = table_note["Back"]
    assert "<table>" in table and "<th>carré</th>" in table and "<td>4</td>" in table
    assert re.search(r"<li>pairs\s*<ul>\s*<li>2</li>\s*<li>4</li>\s*</ul>\s*</li>", table)


def test_card_css_colours_code_by_day_and_by_night(tmp_path, anki):
    _, out = build(tmp_path, {"code.md": CODE})
    card = imported(anki, out).cards_in_due_order()[0]
    question = card.answer()
    assert ".ap-code .hl-k {" in question
    assert ".nightMode .ap-code .hl-k" in question
    assert re.search(r"pre \{[^}]*overflow-x: auto", question)
    assert re.search(r"ul, ol \{[^}]*text-align: left", question)


def test_images_and_audio_are_bundled_and_present_after_import(tmp_path, anki):
    notes = (
        "## Quel schéma ?\n\n![schéma](schema.png)\n\n"
        "## Et l'autre ?\n\n![autre](figures/schema.png) et [écouter](sons/cri%20du%20chat.mp3)\n"
    )
    files = {
        "bio.md": notes,
        "schema.png": PNG + b"one",
        "figures/schema.png": PNG + b"two",
        "sons/cri du chat.mp3": b"ID3 sound",
    }
    result, out = build(tmp_path, files)
    assert result.exit_code == 0, result.output
    collection = imported(anki, out)
    first, second = collection.notes()
    (first_name,) = re.findall(r'<img src="([^"]+)"', first["Back"])
    (second_name,) = re.findall(r'<img src="([^"]+)"', second["Back"])
    (sound,) = re.findall(r"\[sound:([^\]]+)\]", second["Back"])
    assert first_name != second_name
    assert first_name.startswith("schema-") and second_name.startswith("schema-")
    assert not any(name.startswith("_") for name in (first_name, second_name, sound))
    media_dir = Path(collection.col.media.dir())
    assert (media_dir / first_name).read_bytes() == PNG + b"one"
    assert (media_dir / second_name).read_bytes() == PNG + b"two"
    assert (media_dir / sound).read_bytes() == b"ID3 sound"
    check = collection.col.media.check()
    assert list(check.missing) == [] and list(check.unused) == []


def test_obsidian_embeds_are_found_as_obsidian_finds_them_and_land_as_media(tmp_path, anki):
    # A vault: the note in a sub-folder, its images in an attachments folder, named by
    # their file name alone, by a path from the top, with another case, or sized.
    notes = (
        "## Quel schéma ?\n\n![[neurone.png]]\n\n"
        "## Et en petit ?\n\n![[pieces/neurone.png|120]] puis ![[Neurone.PNG|une légende]]\n\n"
        "## Quel son ?\n\n![[cri.mp3]]\n\n"
        "## Voir aussi ?\n\n![[Synapses]]\n"
    )
    files = {
        "bio/cours/neurones.md": notes,
        "pieces/neurone.png": PNG + b"vault",
        "archives/vieux/neurone.png": PNG + b"older, deeper",
        "pieces/cri.mp3": b"ID3 cry",
    }
    result, out = build(tmp_path, files)
    assert result.exit_code == 0, result.output
    # The embedded page cannot be on a card: its name is shown, and a warning says so.
    assert "neurones.md:15:1: warning: `![[Synapses]]` embeds a page" in result.output
    collection = imported(anki, out)
    schema, small, sound, page = collection.notes()
    (name,) = re.findall(r'<img src="([^"]+)" alt="">', schema["Back"])
    assert re.findall(r"<img [^>]+>", small["Back"]) == [
        f'<img src="{name}" alt="" width="120">',
        f'<img src="{name}" alt="une légende">',
    ]
    (cry,) = re.findall(r"\[sound:([^\]]+)\]", sound["Back"])
    assert visible_lines(page["Back"]) == ["Synapses"]
    media_dir = Path(collection.col.media.dir())
    # Two files share the name: the one nearest the top of the vault is the one shown.
    assert (media_dir / name).read_bytes() == PNG + b"vault"
    assert (media_dir / cry).read_bytes() == b"ID3 cry"
    check = collection.col.media.check()
    assert list(check.missing) == [] and list(check.unused) == []


def test_an_embed_never_reads_outside_the_source_folder_nor_a_hidden_folder(tmp_path, monkeypatch):
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG + b"private")
    content = tmp_path / "content"
    (content / ".obsidian").mkdir(parents=True)
    (content / ".obsidian" / "cache.png").write_bytes(PNG + b"hidden")
    (content / "n.txt").write_text(
        "Quel secret ?\n![[../secret.png]]\n\nQuel cache ?\n- voir ![[cache.png]]\n",
        encoding="utf-8",
    )
    opened = []
    real_read = sources.read_confined

    def spy(path, *args, **kwargs):
        opened.append(Path(path).resolve())
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(sources, "read_confined", spy)
    out = tmp_path / "out.apkg"
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 1
    assert "n.txt:2:1: error: media path `[[../secret.png]]` leaves the source folder" in (
        result.output
    )
    assert "n.txt:5:8: error: media file `[[cache.png]]` not found" in result.output
    assert not out.exists()
    assert outside.resolve() not in opened


def test_missing_and_escaping_media_are_located_errors_and_nothing_outside_is_read(
    tmp_path, monkeypatch
):
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG + b"private")
    (tmp_path / "elsewhere").mkdir()
    notes = (
        "Quel schéma ?\n![manque](absent.png)\n\n"
        "Quel secret ?\n![fuite](../../secret.png)\n\n"
        "Quel lien ?\n![lien](lien.png)\n\n"
        "Quel chemin ?\n![abs](/etc/hostname)\n"
    )
    content = tmp_path / "elsewhere" / "content"
    content.mkdir()
    (content / "n.txt").write_text(notes, encoding="utf-8")
    os.symlink(outside, content / "lien.png")

    opened = []
    real_read_bytes = Path.read_bytes

    def spy(self: Path) -> bytes:
        opened.append(self.resolve())
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    out = tmp_path / "out.apkg"
    result = run_cli("build", str(content), "-o", str(out))
    assert result.exit_code == 1
    output = result.output
    assert "n.txt:2:11: error: media file `absent.png` not found" in output
    assert "n.txt:5:10: error: media path `../../secret.png` leaves the source folder" in output
    assert "n.txt:8:9: error: media path `lien.png` leaves the source folder" in output
    assert "n.txt:11:8: error: media path `/etc/hostname` is absolute" in output
    assert not out.exists()
    assert outside.resolve() not in opened


def test_raw_html_is_text_by_default_and_html_when_allowed(tmp_path, anki):
    text = "Que fait ce code ?\n<script>alert(1)</script> <b>gras</b>\n"
    _, out = build(tmp_path, {"html.txt": text})
    (note,) = imported(anki, out).notes()
    assert note["Back"] == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;gras&lt;/b&gt;</p>"
    assert visible_lines(note["Back"]) == ["<script>alert(1)</script> <b>gras</b>"]

    allowed = tmp_path / "allowed"
    _, out = build(allowed, {"html.txt": "---\nhtml: true\n---\n" + text})
    (note,) = imported(anki, out).notes()
    assert "<b>gras</b>" in note["Back"]
    _, out = build(tmp_path / "flag", {"html.txt": text}, "--allow-html")
    (note,) = imported(anki, out).notes()
    assert "<script>alert(1)</script>" in note["Back"]


@pytest.mark.parametrize(
    ("front_matter", "args", "french"),
    [("---\nlang: fr\n---\n", (), True), ("", ("--lang", "fr"), True), ("", (), False)],
)
def test_french_spacing_only_with_lang_fr(tmp_path, anki, front_matter, args, french):
    text = front_matter + "Qu'est-ce qu'un neurone ?\nUne cellule : « excitable » ; vraiment!\n"
    result, out = build(tmp_path, {"fr.txt": text}, *args)
    assert result.exit_code == 0, result.output
    (note,) = imported(anki, out).notes()
    if french:
        assert note["Front"] == "Qu'est-ce qu'un neurone\u202f?"
        assert note["Back"] == (
            "<p>Une cellule\u00a0: «\u00a0excitable\u00a0»\u202f; vraiment\u202f!</p>"
        )
    else:
        assert note["Front"] == "Qu'est-ce qu'un neurone ?"
        assert note["Back"] == "<p>Une cellule : « excitable » ; vraiment!</p>"


def test_french_spacing_leaves_code_math_and_addresses_alone(tmp_path, anki):
    text = "---\nlang: fr\n---\nQuoi ?\n`a ? b : c` et $x ? y$ et https://exemple.fr/?q=1 : fin\n"
    _, out = build(tmp_path, {"fr.txt": text})
    (note,) = imported(anki, out).notes()
    assert "<code>a ? b : c</code>" in note["Back"]
    assert r"\(x ? y\)" in note["Back"]
    assert "https://exemple.fr/?q=1\u00a0: fin" in note["Back"]


def test_a_logseq_graphs_sized_images_and_coloured_highlights_land_as_plain_media_and_text(
    tmp_path, anki
):
    # A Logseq graph: pages beside assets, an image sized by Logseq's own attribute, a
    # coloured highlight in the back: Logseq's styling, none of it text on the card.
    page = (
        "- ## Comment le message est-il traité ? #card\n"
        "\t- ![schéma](../assets/handler.png){:height 370, :width 749}\n"
        "\t- par [[#red]]==**handleMessage**==\n"
    )
    files = {"pages/handler.md": page, "assets/handler.png": PNG + b"graph"}
    result, out = build(tmp_path, files)
    assert result.exit_code == 0, result.output
    collection = imported(anki, out)
    (note,) = collection.notes()
    (name,) = re.findall(r'<img src="([^"]+)" alt="schéma">', note["Back"])
    assert visible_lines(note["Back"]) == ["par handleMessage"]
    assert "<strong>handleMessage</strong>" in note["Back"]
    assert "{:" not in note["Back"] and "#red" not in note["Back"] and "==" not in note["Back"]
    assert (Path(collection.col.media.dir()) / name).read_bytes() == PNG + b"graph"
