"""`make bench`: ankipress against ankdown and the genanki floor, as whole processes.

For each corpus size it times, as the median of interleaved runs: a cold `ankipress build`
into one package (no lock file, no cache, no old package), ankdown on the same notes in its
own format, the floor script (genanki alone, answers given as ready HTML), an ankipress
rebuild of unchanged content, and a rebuild after editing one answer line of one file. It
records each process's peak memory (maximum resident set size), checks that every package
holds all the notes, prints one table and writes it to bench/results.md.

Usage: run.py [--sizes 1000,10000,100000] [--runs 3] [--ankdown-up-to 100000]
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
UNCHANGED = "ankipress, unchanged"
EDITED = "ankipress, one file edited"
ANKDOWN = "ankdown"
FLOOR = "floor (genanki alone)"
TOOLS = (COLD, UNCHANGED, EDITED, ANKDOWN, FLOOR)

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


def timed(command: list[str]) -> Run:
    """Run a command to its end; its wall time and peak resident memory.

    The peak is the child's own, from `wait4`; on Linux it also counts the memory of this
    process at the fork, which is why the harness builds nothing itself.
    """
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
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


class Bench:
    """One corpus size: its generated notes, its work folder and one method per tool."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.corpus = HERE / "corpus" / str(size)
        self.work = HERE / "work" / str(size)
        # In a process of its own, so that this one stays small.
        subprocess.run(
            [sys.executable, str(HERE / "corpus.py"), str(self.corpus), str(size)], check=True
        )
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        self.notes = self.corpus / "ankipress"
        self.package = self.work / "ankipress.apkg"
        self.problems: list[str] = []

    def ankipress(self) -> Run:
        return timed(
            [str(BIN / "ankipress"), "-q", "build", str(self.notes), "-o", str(self.package)]
        )

    def cold(self) -> Run:
        (self.notes / "ankipress.lock").unlink(missing_ok=True)
        shutil.rmtree(self.work / ".cache", ignore_errors=True)
        self.package.unlink(missing_ok=True)
        return self.ankipress()

    def unchanged(self) -> Run:
        before = file_stamp(self.package)
        run = self.ankipress()
        if file_stamp(self.package) != before:
            self.problems.append("an unchanged rebuild wrote the package again")
        return run

    def edited(self) -> Run:
        """Rebuild after changing one answer line of one file (then put it back)."""
        path = self.notes / "cours-0000.txt"
        original = path.read_text(encoding="utf-8")
        path.write_text(original.replace("\n- ", "\n- Modifié : ", 1), encoding="utf-8")
        before = file_stamp(self.package)
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
        step(COLD, bench.cold, bench.package),
        step(FLOOR, bench.floor, bench.work / "floor.apkg"),
        step(ANKDOWN, lambda: bench.ankdown(program or ""), bench.work / "ankdown.apkg"),
    ]
    after = [
        step(UNCHANGED, bench.unchanged, bench.package),
        step(EDITED, bench.edited, bench.package),
    ]
    for number in range(runs):
        # Interleaved, in a rotating order, so that a noisy moment hits every tool alike;
        # the rebuilds follow a cold build of their own.
        shift = number % len(steps)
        for go in steps[shift:] + steps[:shift]:
            go()
        for go in after:
            go()
    return results, sorted(set(bench.problems))


@dataclass(frozen=True)
class Summary:
    seconds: float
    peak_mb: float
    """The highest of the runs."""


def summarize(found: list[Run] | str) -> Summary | str:
    if isinstance(found, str):
        return found
    return Summary(statistics.median(r.seconds for r in found), max(r.peak_mb for r in found))


def table(measured: dict[int, dict[str, Summary | str]]) -> list[str]:
    lines = [
        "| notes | tool | median s | notes/s | peak MB | time vs ankipress |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for size, results in measured.items():
        base = results[COLD]
        assert isinstance(base, Summary)
        for name in TOOLS:
            run = results[name]
            if isinstance(run, str):
                lines.append(f"| {size:,} | {name} ({run}) | n/a | n/a | n/a | n/a |")
                continue
            lines.append(
                f"| {size:,} | {name} | {run.seconds:.2f} | {size / run.seconds:,.0f} "
                f"| {run.peak_mb:.0f} | {run.seconds / base.seconds:.2f} |"
            )
    return lines


def ratio(results: dict[str, Summary | str], name: str, other: str) -> float | None:
    first, second = results[name], results[other]
    if isinstance(first, str) or isinstance(second, str):
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


def targets(measured: dict[int, dict[str, Summary | str]]) -> list[str]:
    lines = []
    if 10_000 in measured:
        at = measured[10_000]
        lines.append(
            "- " + verdict(ratio(at, COLD, ANKDOWN), 0.5, "10,000 notes, ankipress/ankdown")
        )
        lines.append("- " + verdict(ratio(at, COLD, FLOOR), 1.5, "10,000 notes, ankipress/floor"))
    else:
        lines.append("- ankipress/ankdown and ankipress/floor: 10,000 notes not measured")
    for size, results in measured.items():
        lines.append(
            "- " + verdict(ratio(results, UNCHANGED, COLD), 0.5, f"{size:,} notes, unchanged/cold")
        )
    for size, results in measured.items():
        edited = ratio(results, EDITED, COLD)
        shown = "n/a" if edited is None else f"{edited:.2f}"
        lines.append(f"- {size:,} notes, one edited file/cold: {shown} (no target)")
    if 100_000 in measured:
        builds = [measured[100_000][name] for name in (COLD, UNCHANGED, EDITED)]
        peak = max((b.peak_mb for b in builds if isinstance(b, Summary)), default=None)
        text = "100,000 notes, ankipress peak memory (highest of its builds)"
        lines.append("- " + verdict(peak, 300, text, " MB", strict=True))
    else:
        lines.append("- peak memory at 100,000 notes: not measured")
    sizes = sorted(measured)
    if len(sizes) > 1:
        per_note = []
        for size in sizes:
            cold = measured[size][COLD]
            assert isinstance(cold, Summary)
            per_note.append(f"{cold.seconds / size * 1e6:.0f} µs at {size:,}")
        lines.append("- cold build time per note: " + ", ".join(per_note))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes, in notes")
    parser.add_argument("--runs", type=int, default=3, help="runs of each tool per size")
    parser.add_argument(
        "--ankdown-up-to", type=int, default=100_000, help="largest size to run ankdown on"
    )
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    measured: dict[int, dict[str, Summary | str]] = {}
    problems: list[str] = []
    for size in sizes:
        print(f"measuring {size:,} notes…", file=sys.stderr, flush=True)
        results, found = measure(size, options.runs, options.ankdown_up_to)
        measured[size] = {name: summarize(runs) for name, runs in results.items()}
        problems += [f"{size:,} notes: {problem}" for problem in found]
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    report = [
        "# Benchmark",
        "",
        f"`make bench` on {time.strftime('%Y-%m-%d')} ({machine}): median seconds of "
        f"{options.runs} interleaved runs of whole processes; peak MB is the highest maximum "
        f"resident set size of those runs (it includes the harness's own {own_mb:.0f} MB, "
        "which a child counts from its fork). Every package was checked to hold every note.",
        "",
        *table(measured),
        "",
        "Targets:",
        "",
        *targets(measured),
        *([""] + [f"- warning: {p}" for p in problems] if problems else []),
        "",
    ]
    text = "\n".join(report)
    print(text)
    (HERE / "results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
