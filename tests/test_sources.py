"""Reading source files: finding them, decoding their bytes, splitting lines, front matter."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ankipress.records import Diagnostic, Location, Severity, SourceFile
from ankipress.sources import FoundFile, decode, discover, read_source


def read(
    tmp_path: Path, data: bytes | str, name: str = "notes.txt"
) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Write `data` to a file in `tmp_path` and read it back as a source."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_source(FoundFile(path, tmp_path))


def read_ok(tmp_path: Path, data: bytes | str, name: str = "notes.txt") -> SourceFile:
    source, diagnostics = read(tmp_path, data, name)
    assert source is not None, diagnostics
    assert diagnostics == [], [str(d) for d in diagnostics]
    return source


def only(diagnostics: list[Diagnostic]) -> Diagnostic:
    assert len(diagnostics) == 1, [str(d) for d in diagnostics]
    return diagnostics[0]


SAMPLE = "Qu'est-ce qu'un café ?\nUne boisson.\n"
SAMPLE_LINES = ("Qu'est-ce qu'un café ?", "Une boisson.")


# -- decoding --------------------------------------------------------------------------------


def test_utf8_without_bom(tmp_path: Path):
    assert read_ok(tmp_path, SAMPLE.encode("utf-8")).lines == SAMPLE_LINES


def test_utf8_with_bom_drops_the_bom(tmp_path: Path):
    source = read_ok(tmp_path, codecs.BOM_UTF8 + SAMPLE.encode("utf-8"))
    assert source.lines == SAMPLE_LINES
    assert not source.lines[0].startswith("\ufeff")


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
    ids=["utf-16-le", "utf-16-be"],
)
def test_utf16_with_bom(tmp_path: Path, bom: bytes, encoding: str):
    data = bom + SAMPLE.replace("\n", "\r\n").encode(encoding)
    assert b"\x00" in data  # the NUL bytes of UTF-16 must not make it "not a text file"
    source = read_ok(tmp_path, data)
    assert source.lines == SAMPLE_LINES


def test_utf16_with_bom_and_front_matter(tmp_path: Path):
    text = "---\ndeck: Psycho\n---\n" + SAMPLE
    source = read_ok(tmp_path, codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert source.front_matter.deck == "Psycho"
    assert source.front_matter.line_count == 3


def test_windows_1252_fallback_warns_naming_the_file(tmp_path: Path):
    source, diagnostics = read(tmp_path, b"Qu'est-ce qu'un caf\xe9 ?\r\nUne boisson.\r\n")
    assert source is not None
    assert source.lines == SAMPLE_LINES
    diagnostic = only(diagnostics)
    assert diagnostic.severity is Severity.WARNING
    assert "Windows-1252" in diagnostic.message
    assert diagnostic.location.path.endswith("notes.txt")
    assert (diagnostic.location.line, diagnostic.location.col) == (1, 1)
    assert str(diagnostic).startswith(f"{diagnostic.location.path}:1:1: warning: ")


def test_windows_1252_only_characters(tmp_path: Path):
    # Curly quotes, the euro sign and an ellipsis from a Word document.
    source, diagnostics = read(tmp_path, b"\x93Prix\x94 : 5 \x80\x85\n")
    assert source is not None
    assert source.lines == ("“Prix” : 5 €…",)
    assert only(diagnostics).severity is Severity.WARNING


def test_nul_bytes_are_not_a_text_file(tmp_path: Path):
    source, diagnostics = read(tmp_path, b"PK\x03\x04\x00\x00binary")
    assert source is None
    diagnostic = only(diagnostics)
    assert diagnostic.is_error
    assert "not a text file" in diagnostic.message


def test_bytes_neither_utf8_nor_windows_1252_are_an_error(tmp_path: Path):
    # 0x81 is undefined in Windows-1252, and the lone 0xe9 makes it invalid UTF-8.
    source, diagnostics = read(tmp_path, b"Caf\xe9 ?\n\x81\n")
    assert source is None
    diagnostic = only(diagnostics)
    assert diagnostic.is_error
    assert "decode" in diagnostic.message


def test_central_european_text_windows_1252_cannot_read_is_read_as_windows_1250(tmp_path):
    # `ť` is 0x9d in Windows-1250, a byte Windows-1252 leaves undefined.
    text = "priateľ:přítel\nťava:velbloud\nčas:idő\n"
    source, diagnostics = read(tmp_path, text.encode("cp1250"))
    assert source is not None
    assert source.lines == tuple(text.splitlines())
    assert "Windows-1250" in only(diagnostics).message


@pytest.mark.parametrize(
    ("text", "encoding", "named"),
    [
        ("什么是内部类？\n定义在类里面的类，叫内部类。\n", "gbk", "GB18030"),
        ("これは何ですか。\n答え、テストです。\n", "cp932", "Shift_JIS"),
        ("가비지 컬렉터란 무엇인가요?\n쓰이지 않는 메모리를 회수한다.\n", "cp949", "EUC-KR"),
    ],
)
def test_legacy_east_asian_encodings_are_read_as_written(tmp_path, text, encoding, named):
    source, diagnostics = read(tmp_path, text.encode(encoding))
    assert source is not None
    assert source.lines == tuple(text.splitlines())
    assert named in only(diagnostics).message


LATIN_TEXT = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz ABCDEZ.,?'éèàçùâêîôûëïüäöß€“”"),
    min_size=1,
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(LATIN_TEXT)
def test_windows_1252_text_is_never_taken_for_an_east_asian_encoding(text):
    data = text.encode("cp1252")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        assume(False)  # (`ß“` is also valid UTF-8, read as such)
    decoded, diagnostics = decode(data, Location("x", 1))
    assert decoded == text
    assert all("Windows-1252" in d.message for d in diagnostics)


def test_valid_utf8_is_never_read_as_windows_1252(tmp_path: Path):
    # "é" in UTF-8 is two bytes that Windows-1252 would read as "Ã©".
    source = read_ok(tmp_path, "Qu'est-ce qu'un café ?\n".encode())
    assert source.lines == ("Qu'est-ce qu'un café ?",)


# -- lines -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"Quel ?\nR\xc3\xa9ponse\n", b"Quel ?\r\nR\xc3\xa9ponse\r\n", b"Quel ?\rR\xc3\xa9ponse\r"],
    ids=["lf", "crlf", "cr"],
)
def test_line_endings(tmp_path: Path, data: bytes):
    assert read_ok(tmp_path, data).lines == ("Quel ?", "Réponse")


def test_mixed_line_endings(tmp_path: Path):
    source = read_ok(tmp_path, b"a\r\nb\rc\nd\r\r\ne")
    assert source.lines == ("a", "b", "c", "d", "", "e")


def test_blank_lines_are_kept_and_the_last_newline_makes_no_line(tmp_path: Path):
    assert read_ok(tmp_path, "a\n\n\nb\n").lines == ("a", "", "", "b")
    assert read_ok(tmp_path, "a\n\n").lines == ("a", "")


def test_text_is_normalised_to_nfc(tmp_path: Path):
    decomposed = "Qu'est-ce qu'un cafe\u0301 ?\n"
    assert unicodedata.is_normalized("NFD", decomposed)
    source = read_ok(tmp_path, decomposed)
    assert source.lines == ("Qu'est-ce qu'un caf\u00e9 ?",)
    assert unicodedata.is_normalized("NFC", source.lines[0])


def test_a_bom_in_the_middle_of_a_file_is_dropped(tmp_path: Path):
    # Two files pasted together: the second one's BOM lands mid-file.
    data = codecs.BOM_UTF8 + b"Quel ?\nUn.\n" + codecs.BOM_UTF8 + b"Qui ?\nDeux.\n"
    source = read_ok(tmp_path, data)
    assert source.lines == ("Quel ?", "Un.", "Qui ?", "Deux.")


def test_source_file_fields(tmp_path: Path):
    data = SAMPLE.encode()
    source = read_ok(tmp_path, data, "psycho/cours 13.txt")
    assert source.relpath == "psycho/cours 13.txt"
    assert source.folders == ("psycho",)
    assert source.stem == "cours 13"
    assert source.root == tmp_path
    assert len(source.digest) == 64
    assert source.location(1).line == 2


def test_digest_follows_the_bytes(tmp_path: Path):
    first = read_ok(tmp_path, "Quel ?\nUn.\n", "a.txt").digest
    same = read_ok(tmp_path, "Quel ?\nUn.\n", "b.txt").digest
    other = read_ok(tmp_path, "Quel ?\r\nUn.\r\n", "c.txt").digest
    assert first == same != other


# -- front matter ----------------------------------------------------------------------------


def test_front_matter_every_key(tmp_path: Path):
    source, diagnostics = read(
        tmp_path,
        "---\n"
        "deck: Psycho::Cours 13\n"
        "tags: [examen final, psycho]\n"
        "cloze: lists\n"
        "lang: fr\n"
        "id: cours-13\n"
        "html: true\n"
        "---\n" + SAMPLE,
    )
    assert source is not None
    # `html: true` is the one key that warns: it lets script in the file reach the cards.
    assert "raw HTML" in only(diagnostics).message
    front = source.front_matter
    assert front.deck == "Psycho::Cours 13"
    assert front.tags == ("examen_final", "psycho")
    assert front.cloze == "lists"
    assert front.lang == "fr"
    assert front.id == "cours-13"
    assert front.html is True
    assert front.line_count == 8
    # The front matter lines stay in `lines`, so that line numbers match the file.
    assert source.lines[0] == "---"
    assert source.lines[8:] == SAMPLE_LINES


def test_no_front_matter(tmp_path: Path):
    front = read_ok(tmp_path, SAMPLE).front_matter
    assert front.line_count == 0
    assert (front.deck, front.tags, front.cloze, front.lang, front.id) == (
        None,
        (),
        None,
        None,
        None,
    )


def test_front_matter_only_at_the_very_top(tmp_path: Path):
    source = read_ok(tmp_path, "\n---\ndeck: Psycho\n---\n" + SAMPLE)
    assert source.front_matter.deck is None
    assert source.front_matter.line_count == 0


def test_front_matter_deck_name_is_tidied(tmp_path: Path):
    source = read_ok(tmp_path, "---\ndeck: '  Psycho ::  Cours   13 :: '\n---\n" + SAMPLE)
    assert source.front_matter.deck == "Psycho::Cours 13"


def test_front_matter_tags_as_a_string(tmp_path: Path):
    source = read_ok(tmp_path, "---\ntags: examen psycho\n---\n" + SAMPLE)
    assert source.front_matter.tags == ("examen", "psycho")


def test_front_matter_tags_as_a_block_list(tmp_path: Path):
    source = read_ok(tmp_path, "---\ntags:\n  - examen final\n  - 2024\n---\n" + SAMPLE)
    assert source.front_matter.tags == ("examen_final", "2024")


def test_front_matter_empty_block(tmp_path: Path):
    source = read_ok(tmp_path, "---\n---\n" + SAMPLE)
    assert source.front_matter.line_count == 2
    assert source.front_matter.deck is None


def test_front_matter_misspelt_key_is_a_warning_at_its_line(tmp_path: Path):
    source, diagnostics = read(tmp_path, "---\ndeck: Psycho\n\ntitre: Cours\n---\n" + SAMPLE)
    assert source is not None
    diagnostic = only(diagnostics)
    assert diagnostic.severity is Severity.WARNING
    assert diagnostic.location.line == 4
    assert "`titre`" in diagnostic.message
    # The valid keys still count.
    assert source.front_matter.deck == "Psycho"


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("tags: 5", "tags"),
        ("deck: [a, b]", "deck"),
        ("html: peut-être", "html"),
        ("lang: [fr]", "lang"),
        ("cloze: toutes", "cloze"),
        ("tags: [[a, b]]", "tags"),
        ("deck: ''", "deck"),
    ],
)
def test_front_matter_wrong_value_is_an_error_at_its_line(tmp_path: Path, line: str, key: str):
    source, diagnostics = read(tmp_path, f"---\nid: cours-13\n{line}\n---\n" + SAMPLE)
    assert source is not None
    diagnostic = only(diagnostics)
    assert diagnostic.is_error
    assert diagnostic.location.line == 3
    assert f"`{key}`" in diagnostic.message
    assert source.front_matter.id == "cours-13"  # the valid key still counts
    assert source.front_matter.line_count == 4


def test_front_matter_invalid_yaml_is_an_error_with_its_line(tmp_path: Path):
    source, diagnostics = read(tmp_path, "---\ndeck: Psycho\ntags: [a, b\n---\n" + SAMPLE)
    assert source is not None
    diagnostic = only(diagnostics)
    assert diagnostic.is_error
    assert "YAML" in diagnostic.message
    assert diagnostic.location.line == 3
    # The block is still known to be front matter: its lines are not read as notes.
    assert source.front_matter.line_count == 4


def test_front_matter_bad_indentation_is_an_error_with_its_line(tmp_path: Path):
    source, diagnostics = read(tmp_path, "---\ndeck: a\n  lang: fr\n---\n" + SAMPLE)
    diagnostic = only(diagnostics)
    assert diagnostic.is_error
    assert diagnostic.location.line == 3
    assert source is not None
    assert source.front_matter.line_count == 4


def test_front_matter_that_is_not_a_mapping(tmp_path: Path):
    source, diagnostics = read(tmp_path, "---\n- a\n- b\n---\n" + SAMPLE)
    assert source is not None
    assert only(diagnostics).is_error


def test_unclosed_front_matter_is_an_error(tmp_path: Path):
    source, diagnostics = read(tmp_path, "---\ndeck: Psycho\n" + SAMPLE)
    assert source is not None
    diagnostic = only(diagnostics)
    assert diagnostic.is_error
    assert diagnostic.location.line == 1
    assert "not closed" in diagnostic.message
    assert source.front_matter.deck is None


def test_front_matter_after_a_utf8_bom(tmp_path: Path):
    source = read_ok(tmp_path, codecs.BOM_UTF8 + b"---\ndeck: Psycho\n---\nQuel ?\nUn.\n")
    assert source.front_matter.deck == "Psycho"


def test_front_matter_with_crlf(tmp_path: Path):
    source = read_ok(tmp_path, b"---\r\ndeck: Psycho\r\ntags: [a]\r\n---\r\nQuel ?\r\nUn.\r\n")
    assert source.front_matter.deck == "Psycho"
    assert source.front_matter.tags == ("a",)


# -- finding files ---------------------------------------------------------------------------


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Quel ?\nUn.\n", encoding="utf-8")


def relpaths(found: list[FoundFile]) -> list[str]:
    return [f.path.relative_to(f.root).as_posix() for f in found]


def test_discover_finds_note_files_recursively_and_sorted(tmp_path: Path):
    content = tmp_path / "content"
    touch(
        content,
        "b.txt",
        "a.md",
        "psycho/cours.markdown",
        "psycho/b/deep.txt",
        "psycho/a.txt",
        "z.MD",
    )
    found = discover([content])
    assert relpaths(found) == [
        "a.md",
        "b.txt",
        "psycho/a.txt",
        "psycho/b/deep.txt",
        "psycho/cours.markdown",
        "z.MD",
    ]
    assert all(f.root == content for f in found)


def test_discover_skips_drafts_hidden_files_and_other_suffixes(tmp_path: Path):
    content = tmp_path / "content"
    touch(
        content,
        "cours.txt",
        "_draft.md",
        ".hidden.md",
        ".notes.md.swp",
        "_folder/inside.md",
        ".git/inside.md",
        "psycho/_draft.txt",
        "psycho/ok.md",
        "image.png",
        "notes.docx",
        "notes.txt~",
        "ankipress.lock",
    )
    assert relpaths(discover([content])) == ["cours.txt", "psycho/ok.md"]


def test_discover_a_single_file_and_no_duplicates(tmp_path: Path):
    content = tmp_path / "content"
    touch(content, "a.txt", "psycho/b.txt")
    found = discover([content, content / "psycho" / "b.txt", content / "a.txt"])
    assert relpaths(found) == ["a.txt", "psycho/b.txt"]


def test_discover_knows_each_files_real_path_through_links(tmp_path: Path):
    """Reached through a linked source folder, a link to a file and a link to a link."""
    real = tmp_path / "real"
    touch(real, "a.txt", "psycho/b.txt", "elsewhere/c.txt")
    (real / "psycho" / "to-c.txt").symlink_to(real / "elsewhere" / "c.txt")
    (real / "psycho" / "to-to-c.txt").symlink_to(real / "psycho" / "to-c.txt")
    (tmp_path / "linked").symlink_to(real)
    found = discover([tmp_path / "linked"])
    assert relpaths(found) == [
        "a.txt",
        "elsewhere/c.txt",
        "psycho/b.txt",
    ]  # the two links to c.txt are c.txt, found once
    assert [f.real for f in found] == [str(f.path.resolve()) for f in found]
    base = real.resolve()
    expected = {str(base / "a.txt"), str(base / "psycho" / "b.txt"), str(base / "elsewhere/c.txt")}
    assert {f.real for f in found} == expected


def test_discover_a_file_alone_uses_its_own_folder(tmp_path: Path):
    content = tmp_path / "content"
    touch(content, "psycho/b.txt")
    (found,) = discover([content / "psycho" / "b.txt"])
    assert found.root == content / "psycho"


def test_discover_a_file_alone_under_a_lock_file_uses_the_lock_folder(tmp_path: Path):
    content = tmp_path / "content"
    touch(content, "psycho/b.txt")
    (content / "ankipress.lock").write_text("", encoding="utf-8")
    (found,) = discover([content / "psycho" / "b.txt"])
    assert found.root == content


def test_discover_empty_folder(tmp_path: Path):
    assert discover([tmp_path]) == []
