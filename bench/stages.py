"""Where a cold `ankipress build` spends its time, stage by stage, in one process.

Usage: stages.py CORPUS_FOLDER
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()
from ankipress import cache, compiling, folders, pipeline, sources  # noqa: E402

IMPORTS = time.perf_counter() - T0


def stages(folder: Path) -> list[tuple[str, float]]:
    timings = [("Python start-up and imports", IMPORTS)]

    def step(name, function, *args):
        start = time.perf_counter()
        result = function(*args)
        timings.append((name, time.perf_counter() - start))
        return result

    settings = pipeline.DEFAULT_SETTINGS
    found = step("find files", sources.discover, [folder])
    inputs = step("read files", compiling.read_inputs, found, {})
    with cache.BuildCache(None) as store:
        compiled = step(
            "compile (parse, render, checks)", compiling.compile_all, inputs, settings, store
        )
        locks = compiling.read_locks(item.found.root for item in inputs)
        identified = step(
            "identities and lock text", folders.identify, [folder], compiled, locks, 1790000000
        )
        with tempfile.TemporaryDirectory() as work:
            out = Path(work) / "x.apkg"
            targets, _ = pipeline.output_targets(compiled, out)
            step(
                "package (sqlite + zip) and write",
                pipeline.write_outputs,
                targets,
                folders.Identified(identified.identities, (), (), (), ()),
                compiled,
                store,
                None,
            )
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
