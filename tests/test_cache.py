"""The render cache: unchanged files are not parsed again, and the output never differs."""

from __future__ import annotations

import shutil
import zipfile

from conftest import SEED, run_cli

import ankipress.pipeline

OTHER = "Cours 2\nQuel est le rôle du cervelet ?\nIl coordonne les mouvements.\n"


def make_content(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(SEED, content / SEED.name)
    (content / "cours-2.txt").write_text(OTHER, encoding="utf-8")
    return content


def build(content, out):
    result = run_cli("build", str(content), "-o", str(out), env={"SOURCE_DATE_EPOCH": "1790000000"})
    assert result.exit_code == 0, result.output
    return result


def test_unchanged_files_come_from_the_cache_and_give_the_same_package(tmp_path, monkeypatch):
    content = make_content(tmp_path)
    out = tmp_path / "build"
    build(content, out)
    first = {p.name: p.read_bytes() for p in out.glob("*.apkg")}
    assert len(list((out / ".cache").glob("*.entry"))) == 2

    parsed = []
    real_parse = ankipress.pipeline.parse
    monkeypatch.setattr(ankipress.pipeline, "parse", lambda s: parsed.append(s) or real_parse(s))
    build(content, out)
    assert parsed == []
    assert {p.name: p.read_bytes() for p in out.glob("*.apkg")} == first

    (content / "cours-2.txt").write_text(OTHER.replace("mouvements", "gestes"), "utf-8")
    build(content, out)
    assert [source.relpath for source in parsed] == ["cours-2.txt"]
    assert {p.name: p.read_bytes() for p in out.glob("*.apkg")}[SEED.stem + ".apkg"] == first[
        SEED.stem + ".apkg"
    ]
    assert len(list((out / ".cache").glob("*.entry"))) == 2  # the stale entry is pruned


def test_a_cached_build_equals_a_build_without_cache(tmp_path):
    content = make_content(tmp_path)
    cached_out, fresh_out = tmp_path / "cached", tmp_path / "fresh"
    build(content, cached_out)
    build(content, cached_out)
    build(content, fresh_out)
    shutil.rmtree(fresh_out / ".cache")
    build(content, fresh_out)
    for package in cached_out.glob("*.apkg"):
        assert package.read_bytes() == (fresh_out / package.name).read_bytes()


def test_a_damaged_cache_entry_is_rebuilt(tmp_path):
    content = make_content(tmp_path)
    out = tmp_path / "build"
    build(content, out)
    before = {p.name: p.read_bytes() for p in out.glob("*.apkg")}
    for entry in (out / ".cache").glob("*.entry"):
        entry.write_bytes(b"not a cache entry")
    build(content, out)
    assert {p.name: p.read_bytes() for p in out.glob("*.apkg")} == before


def test_settings_are_part_of_the_key(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "n.txt").write_text("Qu'est-ce que X ?\nY : Z\n", encoding="utf-8")
    out = tmp_path / "n.apkg"
    build(content, out)
    assert "\u202f?".encode() not in zipfile.ZipFile(out).read("collection.anki2")
    result = run_cli("build", str(content), "-o", str(out), "--lang", "fr")
    assert result.exit_code == 0
    assert "\u202f?".encode() in zipfile.ZipFile(out).read("collection.anki2")


def test_an_unchanged_rebuild_writes_nothing_and_any_change_rebuilds(tmp_path):
    content = make_content(tmp_path)
    (content / "image.md").write_text("## Quel schéma ?\n\n![s](s.png)\n", encoding="utf-8")
    (content / "s.png").write_bytes(b"\x89PNG one")
    out = tmp_path / "all.apkg"
    build(content, out)
    written = out.stat().st_mtime_ns

    result = build(content, out)
    assert "up to date: 14 notes" in result.output
    assert out.stat().st_mtime_ns == written

    (content / "s.png").write_bytes(b"\x89PNG two")
    assert "wrote" in build(content, out).output
    with zipfile.ZipFile(out) as package:
        assert b"\x89PNG two" in [package.read(name) for name in package.namelist()]
    assert "up to date" in build(content, out).output

    out.unlink()
    assert "wrote" in build(content, out).output
    lock = content / "ankipress.lock"
    lock.write_text(lock.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "wrote" in build(content, out).output
    assert "up to date" in build(content, out).output
