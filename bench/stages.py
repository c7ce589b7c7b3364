"""Where a cold `ankipress build` spends its time, stage by stage, in one process.

Usage: stages.py CORPUS_FOLDER
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()
from ankipress import identity, package, parse, pipeline, render, sources  # noqa: E402, F401

IMPORTS = time.perf_counter() - T0


def stages(folder: Path) -> list[tuple[str, float]]:
    timings = [("Python start-up and imports", IMPORTS)]

    def step(name, function, *args):
        start = time.perf_counter()
        result = function(*args)
        timings.append((name, time.perf_counter() - start))
        return result

    found = step("find files", sources.discover, [folder])
    files = step("read and decode", lambda: [sources.read_source(f)[0] for f in found])
    parsed = step("parse", lambda: [parse.parse(f) for f in files])
    notes = [note for result in parsed for note in result.notes]
    step(
        "duplicate and style checks",
        lambda: (parse.find_duplicates(notes), parse.style_warnings(notes)),
    )
    rendered = step("render (Markdown to HTML)", lambda: [render.render(n, folder) for n in notes])
    step("empty-card checks", lambda: [render.empty_card_problems(n) for n in rendered])
    identities = step(
        "identities (GUIDs, ids, mods)", identity.assign_identities, rendered, [], 1790000000
    )
    step("lock file text", identity.format_lock, identities.entries)
    data = step("package (sqlite + zip)", package.package_bytes, identities.packed)
    with tempfile.TemporaryDirectory() as work:
        step("write atomically", package.write_files_atomically, [(Path(work) / "x.apkg", data)])
    return timings


def main() -> None:
    timings = stages(Path(sys.argv[1]))
    total = sum(seconds for _, seconds in timings)
    print("| stage | seconds | share |")
    print("|---|---:|---:|")
    for name, seconds in timings:
        print(f"| {name} | {seconds:.3f} | {seconds / total:.0%} |")
    print(f"| total | {total:.3f} | |")


if __name__ == "__main__":
    main()
