"""`make bench`: ankipress against ankdown and the genanki floor, as whole processes.

For each corpus size it times, as the median of interleaved runs: a cold `ankipress build`
into one package (no lock file, no cache, no old package), the same in one process (no
worker processes), ankdown on the same notes in its own format, the floor script (genanki
alone, answers given as ready HTML), an ankipress rebuild of unchanged content, and a
rebuild after editing one answer line of one file. Then the same notes one note a file
against all in one file, built as `make deck` does (one package per file), and a rebuild
after editing one of those files, and the floor writing 500 of those files one package
each; and the same notes in 2,000 files against 10 files (the spec's row). It records each
process's peak memory (maximum resident set size), checks that every package holds all the
notes, prints one table with a verdict per target, and writes it to bench/results.md.

Usage: run.py [--sizes 1000,10000,100000] [--runs 3] [--ankdown-up-to 100000]
              [--files 10000]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent

COLD = "ankipress"
SERIAL = "ankipress, one process"
UNCHANGED = "ankipress, unchanged"
EDITED = "ankipress, one file edited"
ANKDOWN = "ankdown"
FLOOR = "floor (genanki alone)"
TOOLS = (COLD, SERIAL, UNCHANGED, EDITED, ANKDOWN, FLOOR)

ONE_FILE = "all notes in one file, package per file"
MANY_FILES = "one note a file, package per file"
MANY_ONE_PACKAGE = "one note a file, one package"
MANY_EDITED = "one note a file, one file edited"
TEN_FILES = "in 10 files, package per file"
SPREAD_FILES = "in 2,000 files, package per file"
FILE_TOOLS = (ONE_FILE, MANY_FILES, MANY_ONE_PACKAGE, MANY_EDITED, TEN_FILES, SPREAD_FILES)
SPREAD = (10, 2_000)
"""The spec's row: the same notes in 2,000 files against 10 files, each a package."""

# Counts the notes of a package, in a process of its own (see `timed` on why the harness
# keeps its own memory small).
COUNT_NOTES = """
import shutil, sqlite3, sys, tempfile, zipfile
with tempfile.TemporaryDirectory() as folder:
    with zipfile.ZipFile(sys.argv[1]) as archive, archive.open("collection.anki2") as data:
        with open(folder + "/c.anki2", "wb") as out:
            shutil.copyfileobj(data, out, 1 << 20)
    connection = sqlite3.connect(folder + "/c.anki2")
    print(connection.execute("SELECT count(*) FROM notes").fetchone()[0])
    connection.close()
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


class Failed(Exception):
    pass


def timed(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run a command to its end; its wall time and peak resident memory.

    The peak is the child's own, from `wait4`; on Linux it also counts the memory of this
    process at the fork, which is why the harness builds nothing itself.
    """
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=errors, env={**os.environ, **(env or {})}
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            errors.seek(0)
            text = errors.read().decode(errors="replace").strip()
            raise Failed(f"exit {code}: {' '.join(command)}\n{text[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024)  # KiB on Linux


def note_count(package: Path) -> int:
    result = subprocess.run(
        [sys.executable, "-c", COUNT_NOTES, str(package)], capture_output=True, text=True
    )
    return int(result.stdout) if result.returncode == 0 else -1


def file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def ankdown_program() -> str | None:
    local = BIN / "ankdown"
    return str(local) if local.exists() else shutil.which("ankdown")


def corpus(name: str, size: int, per_file: int = 100) -> Path:
    folder = HERE / "corpus" / name
    # In a process of its own, so that this one stays small.
    subprocess.run(
        [sys.executable, str(HERE / "corpus.py"), str(folder), str(size), str(per_file)],
        check=True,
    )
    return folder


def edit_one(notes: Path) -> tuple[Path, str]:
    """Change one answer line of the first file; returns it and its text before."""
    path = sorted(notes.glob("*.txt"))[0]
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("\n- ", "\n- Modifié : ", 1), encoding="utf-8")
    return path, original


class Bench:
    """One corpus size: its generated notes, its work folder and one method per tool."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.corpus = corpus(str(size), size)
        self.work = HERE / "work" / str(size)
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        self.notes = self.corpus / "ankipress"
        self.package = self.work / "ankipress.apkg"
        self.cache = self.work / "cache"
        self.problems: list[str] = []

    def ankipress(self, workers: str = "") -> Run:
        env = {"ANKIPRESS_CACHE_DIR": str(self.cache)}
        if workers:
            env["ANKIPRESS_WORKERS"] = workers
        command = [str(BIN / "ankipress"), "-q", "build", str(self.notes), "-o", str(self.package)]
        return timed(command, env)

    def reset(self) -> None:
        (self.notes / "ankipress.lock").unlink(missing_ok=True)
        shutil.rmtree(self.cache, ignore_errors=True)
        self.package.unlink(missing_ok=True)

    def cold(self) -> Run:
        self.reset()
        return self.ankipress()

    def serial(self) -> Run:
        self.reset()
        return self.ankipress(workers="0")

    def unchanged(self) -> Run:
        before = file_stamp(self.package)
        run = self.ankipress()
        if file_stamp(self.package) != before:
            self.problems.append("an unchanged rebuild wrote the package again")
        return run

    def edited(self) -> Run:
        """Rebuild after changing one answer line of one file (then put it back)."""
        before = file_stamp(self.package)
        path, original = edit_one(self.notes)
        try:
            run = self.ankipress()
        finally:
            path.write_text(original, encoding="utf-8")
        if file_stamp(self.package) == before:
            self.problems.append("a rebuild after an edit left the package as it was")
        return run

    def ankdown(self, program: str) -> Run:
        out = self.work / "ankdown.apkg"
        out.unlink(missing_ok=True)
        return timed([program, "-r", str(self.corpus / "ankdown"), "-p", str(out)])

    def floor(self) -> Run:
        out = self.work / "floor.apkg"
        out.unlink(missing_ok=True)
        return timed([sys.executable, str(HERE / "floor.py"), str(self.notes), str(out)])

    def check_count(self, name: str, package: Path) -> None:
        found = note_count(package)
        if found < 0:
            raise Failed(f"{name} wrote no readable package")
        if found != self.size:
            raise Failed(f"{name} wrote {found:,} notes instead of {self.size:,}")


Results = dict[str, list[Run] | str]
"""Each tool's runs, or why it has none."""


def measure(size: int, runs: int, ankdown_up_to: int) -> tuple[Results, list[str]]:
    bench = Bench(size)
    results: Results = {name: [] for name in TOOLS}
    program = ankdown_program()
    if program is None:
        results[ANKDOWN] = "not installed (pip install -e '.[bench]')"
    elif size > ankdown_up_to:
        results[ANKDOWN] = f"not run above {ankdown_up_to:,} notes"

    def step(name: str, run: Callable[[], Run], package: Path) -> Callable[[], None]:
        def go() -> None:
            found = results[name]
            if isinstance(found, str):
                return
            try:
                found.append(run())
                if len(found) == 1:
                    bench.check_count(name, package)
            except Failed as failure:
                if name == COLD:
                    raise SystemExit(f"ankipress failed at {size:,} notes: {failure}") from None
                results[name] = f"failed: {str(failure).splitlines()[-1][:120]}"
                print(f"{name} failed: {failure}", file=sys.stderr)

        return go

    steps = [
        step(SERIAL, bench.serial, bench.package),
        step(FLOOR, bench.floor, bench.work / "floor.apkg"),
        step(ANKDOWN, lambda: bench.ankdown(program or ""), bench.work / "ankdown.apkg"),
        step(COLD, bench.cold, bench.package),
    ]
    after = [
        step(UNCHANGED, bench.unchanged, bench.package),
        step(EDITED, bench.edited, bench.package),
    ]
    for number in range(runs):
        # Interleaved, in a rotating order, so that a noisy moment hits every tool alike;
        # the rebuilds follow the cold build they start from.
        shift = number % (len(steps) - 1)
        for go in steps[:-1][shift:] + steps[:-1][:shift] + steps[-1:]:
            go()
        for go in after:
            go()
    return results, sorted(set(bench.problems))


def measure_files(size: int, runs: int) -> tuple[Results, list[str], int]:
    """The same notes one note a file and all in one file, each built as `make deck` does
    (one package per file) from cold; one note a file into one package; then one of the
    many files edited. And the same notes in 10 files and in 2,000 (the spec's row)."""
    one = corpus(f"{size}-one-file", size, size) / "ankipress"
    many = corpus(f"{size}-files", size, 1) / "ankipress"
    few, spread = (corpus(f"{size}-in-{n}", size, max(size // n, 1)) / "ankipress" for n in SPREAD)
    work = HERE / "work" / f"{size}-files"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    results: Results = {name: [] for name in FILE_TOOLS}
    problems: list[str] = []
    rewritten = -1

    def build(notes: Path, out: Path) -> Run:
        cache = work / "cache"
        command = [str(BIN / "ankipress"), "-q", "build", str(notes), "-o", str(out)]
        return timed(command, {"ANKIPRESS_CACHE_DIR": str(cache)})

    def cold(notes: Path, out: Path) -> Run:
        (notes / "ankipress.lock").unlink(missing_ok=True)
        shutil.rmtree(work / "cache", ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        return build(notes, out)

    for _ in range(runs):
        for name, notes, out in (
            (ONE_FILE, one, work / "one"),
            (TEN_FILES, few, work / "few"),
            (SPREAD_FILES, spread, work / "spread"),
            (MANY_ONE_PACKAGE, many, work / "many.apkg"),
            (MANY_FILES, many, work / "many"),  # last: the edited build starts from its cache
        ):
            try:
                results[name].append(cold(notes, out))  # type: ignore[union-attr]
            except Failed as failure:
                results[name] = f"failed: {str(failure).splitlines()[-1][:120]}"
        packages = sorted((work / "many").glob("*.apkg"))
        if len(packages) != size:
            problems.append(f"{len(packages):,} packages for {size:,} one-note files")
        stamps = {p: file_stamp(p) for p in packages}
        path, original = edit_one(many)
        try:
            results[MANY_EDITED].append(build(many, work / "many"))  # type: ignore[union-attr]
        finally:
            path.write_text(original, encoding="utf-8")
        rewritten = sum(1 for p in packages if file_stamp(p) != stamps[p])
        if rewritten != 1:
            problems.append(f"one edited file of {size:,} rewrote {rewritten:,} packages")
    return results, problems, rewritten


FLOOR_SAMPLE = 500
"""One-note files the floor writes one package each (genanki takes tens of milliseconds a
package, so all 10,000 would add minutes to every run for the same figure)."""


def floor_per_file(size: int) -> Run | str:
    """genanki alone writing the first `FLOOR_SAMPLE` one-note files one package each, once."""
    many = corpus(f"{size}-files", size, 1) / "ankipress"
    out = HERE / "work" / f"{size}-files" / "floor"
    shutil.rmtree(out, ignore_errors=True)
    script = str(HERE / "floor.py")
    try:
        run = timed(
            [sys.executable, script, "--package-per-file", str(FLOOR_SAMPLE), str(many), str(out)]
        )
    except Failed as failure:
        return f"failed: {str(failure).splitlines()[-1][:120]}"
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return run


def per_file_floor_line(size: int, floor: Run | str, files: dict[str, Summary | str]) -> str:
    """How the floor's time per package compares with ankipress's on the one-note files."""
    if isinstance(floor, str):
        return f"- the floor, one package per file: {floor}"
    floor_ms = floor.seconds / FLOOR_SAMPLE * 1000
    line = (
        f"- the floor (genanki alone), one package per file, {FLOOR_SAMPLE} of the one-note "
        f"files (one run): {floor.seconds:.2f} s, {floor_ms:.1f} ms a package"
    )
    ours = files[MANY_FILES]
    if isinstance(ours, Summary):
        ms = ours.seconds / size * 1000
        line += f"; ankipress: {ms:.1f} ms a package ({floor_ms / ms:.1f}× faster than the floor)"
    return line


@dataclass(frozen=True)
class Summary:
    seconds: float
    peak_mb: float
    """The highest of the runs."""


def summarize(found: list[Run] | str) -> Summary | str:
    if isinstance(found, str):
        return found
    return Summary(statistics.median(r.seconds for r in found), max(r.peak_mb for r in found))


def table(measured: dict[int, dict[str, Summary | str]], tools: tuple[str, ...], base: str):
    lines = [
        "| notes | build | median s | notes/s | peak MB | time vs first |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for size, results in measured.items():
        first = results[base]
        for name in tools:
            run = results[name]
            if isinstance(run, str) or not isinstance(first, Summary):
                lines.append(f"| {size:,} | {name} ({run}) | n/a | n/a | n/a | n/a |")
                continue
            lines.append(
                f"| {size:,} | {name} | {run.seconds:.2f} | {size / run.seconds:,.0f} "
                f"| {run.peak_mb:.0f} | {run.seconds / first.seconds:.2f} |"
            )
    return lines


def ratio(results: dict[str, Summary | str], name: str, other: str) -> float | None:
    first, second = results[name], results[other]
    if not isinstance(first, Summary) or not isinstance(second, Summary):
        return None
    return first.seconds / second.seconds


def verdict(
    value: float | None, limit: float, text: str, unit: str = "", strict: bool = False
) -> str:
    if value is None:
        return f"{text}: n/a"
    shown = f"{value:.0f}{unit}" if unit else f"{value:.2f}"
    met = value < limit if strict else value <= limit
    return f"{text}: {shown} (target {'<' if strict else '≤'} {limit:g}{unit}): " + (
        "met" if met else "MISSED"
    )


def targets(
    measured: dict[int, dict[str, Summary | str]],
    files: dict[int, dict[str, Summary | str]],
    rewritten: dict[int, int],
    floors: dict[int, Run | str],
) -> list[str]:
    lines = []
    if 10_000 in measured:
        at = measured[10_000]
        lines.append(
            "- " + verdict(ratio(at, COLD, ANKDOWN), 0.7, "10,000 notes, cold, vs ankdown")
        )
        lines.append(
            "- " + verdict(ratio(at, COLD, FLOOR), 1.5, "10,000 notes, cold, vs the floor")
        )
    else:
        lines.append("- against ankdown and the floor: 10,000 notes not measured")
    if 100_000 in measured:
        builds = [measured[100_000][name] for name in (COLD, SERIAL, UNCHANGED, EDITED)]
        peak = max((b.peak_mb for b in builds if isinstance(b, Summary)), default=None)
        text = "100,000 notes, peak memory (highest of the builds)"
        lines.append("- " + verdict(peak, 250, text, " MB", strict=True))
    else:
        lines.append("- peak memory at 100,000 notes: not measured")
    for size, limit in ((10_000, 0.3), (100_000, 0.1)):
        if size in measured:
            edited = ratio(measured[size], EDITED, COLD)
            lines.append("- " + verdict(edited, limit, f"{size:,} notes, one file edited vs cold"))
    for size, results in measured.items():
        unchanged = ratio(results, UNCHANGED, COLD)
        serial = ratio(results, SERIAL, COLD)
        shown = "n/a" if unchanged is None else f"{unchanged:.2f}"
        lines.append(f"- {size:,} notes, unchanged rebuild vs cold: {shown} (no target)")
        shown = "n/a" if serial is None else f"{serial:.2f}"
        lines.append(f"- {size:,} notes, one process vs worker processes: {shown} (no target)")
    for size, results in files.items():
        text = f"the same {size:,} notes in 2,000 files vs in 10 files, cold"
        lines.append("- " + verdict(ratio(results, SPREAD_FILES, TEN_FILES), 1.5, text))
        text = f"{size:,} files of one note, cold, vs the same notes in one file"
        lines.append("- " + verdict(ratio(results, MANY_FILES, ONE_FILE), 1.5, text))
        into_one = ratio(results, MANY_ONE_PACKAGE, ONE_FILE)
        shown = "n/a" if into_one is None else f"{into_one:.2f}"
        lines.append(f"- {size:,} files of one note into one package, vs one file: {shown}")
        if size in floors:
            lines.append(per_file_floor_line(size, floors[size], results))
        count = rewritten.get(size, -1)
        met = "met" if count == 1 else "MISSED"
        lines.append(
            f"- {size:,} files of one note, one edited: {count} package(s) rewritten "
            f"(target 1): {met}"
        )
    sizes = sorted(measured)
    if len(sizes) > 1:
        per_note = []
        for size in sizes:
            cold = measured[size][COLD]
            if isinstance(cold, Summary):
                per_note.append(f"{cold.seconds / size * 1e6:.0f} µs at {size:,}")
        lines.append("- cold build time per note: " + ", ".join(per_note))
    return lines


def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    free = max(0.0, (cores or 1) - load)
    return (
        f"{platform.machine()}, {cores} cores with a load average of {load:.1f} at the start "
        f"(about {free:.1f} free), Python {platform.python_version()}"
    )


def pathological_lines(runs: int) -> list[str]:
    """The table of `pathological.py` (notes made to be slow), run as a process of its own so
    that this one stays small."""
    print("measuring pathological inputs…", file=sys.stderr, flush=True)
    command = [sys.executable, str(HERE / "pathological.py"), "--runs", str(runs)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        return [f"Pathological inputs: failed ({result.stderr.strip()[-300:]})"]
    return result.stdout.strip().splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes, in notes")
    parser.add_argument("--runs", type=int, default=3, help="runs of each tool per size")
    parser.add_argument(
        "--ankdown-up-to", type=int, default=100_000, help="largest size to run ankdown on"
    )
    parser.add_argument(
        "--files", type=int, default=10_000, help="notes of the one-note-a-file corpus (0: none)"
    )
    options = parser.parse_args()
    where = machine()
    sizes = [int(s) for s in options.sizes.split(",") if s]
    measured: dict[int, dict[str, Summary | str]] = {}
    files: dict[int, dict[str, Summary | str]] = {}
    rewritten: dict[int, int] = {}
    floors: dict[int, Run | str] = {}
    problems: list[str] = []
    for size in sizes:
        print(f"measuring {size:,} notes…", file=sys.stderr, flush=True)
        results, found = measure(size, options.runs, options.ankdown_up_to)
        measured[size] = {name: summarize(runs) for name, runs in results.items()}
        problems += [f"{size:,} notes: {problem}" for problem in found]
    if options.files:
        print(f"measuring {options.files:,} one-note files…", file=sys.stderr, flush=True)
        results, found, count = measure_files(options.files, options.runs)
        files[options.files] = {name: summarize(runs) for name, runs in results.items()}
        rewritten[options.files] = count
        problems += found
        floors[options.files] = floor_per_file(options.files)
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = [
        "# Benchmark",
        "",
        f"`make bench` on {time.strftime('%Y-%m-%d')} ({where}): median seconds of "
        f"{options.runs} interleaved runs of whole processes; peak MB is the highest maximum "
        f"resident set size of those runs (of the building process; it includes the "
        f"harness's own {own_mb:.0f} MB, which a child counts from its fork). Every package "
        "was checked to hold every note.",
        "",
        *table(measured, TOOLS, COLD),
        "",
        *(table(files, FILE_TOOLS, ONE_FILE) if files else []),
        "",
        "Targets:",
        "",
        *targets(measured, files, rewritten, floors),
        *([""] + [f"- warning: {p}" for p in problems] if problems else []),
        "",
        *pathological_lines(options.runs),
        "",
    ]
    text = "\n".join(report)
    print(text)
    (HERE / "results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
