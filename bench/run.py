"""`make bench`: ankipress against ankdown and the genanki floor, as whole processes.

For each corpus size it times, as the median of interleaved runs: a cold `ankipress build`
into one package (no lock file, no cache), ankdown on the same notes in its own format, the
floor script (genanki alone, answers given as ready HTML), an ankipress rebuild of unchanged
content, and a rebuild after editing one file. It records each process's peak memory
(maximum resident set size), prints one table and writes it to bench/results.md.

Usage: run.py [--sizes 1000,10000,100000] [--runs 3] [--ankdown-up-to 100000]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


def timed(command: list[str]) -> Run:
    """Run a command to its end; its wall time and peak resident memory."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        error = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise SystemExit(f"failed ({status}): {' '.join(command)}\n{error[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024)


class Bench:
    def __init__(self, size: int) -> None:
        self.size = size
        self.corpus = HERE / "corpus" / str(size)
        self.work = HERE / "work" / str(size)
        # In a process of its own, so that this one stays small: a child's peak memory as
        # the system reports it starts from its parent's size at the fork.
        subprocess.run(
            [sys.executable, str(HERE / "corpus.py"), str(self.corpus), str(size)], check=True
        )
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        self.notes = self.corpus / "ankipress"
        self.package = self.work / "ankipress.apkg"

    def ankipress(self) -> Run:
        return timed(
            [str(BIN / "ankipress"), "-q", "build", str(self.notes), "-o", str(self.package)]
        )

    def cold(self) -> Run:
        (self.notes / "ankipress.lock").unlink(missing_ok=True)
        shutil.rmtree(self.work / ".cache", ignore_errors=True)
        return self.ankipress()

    def edited(self) -> Run:
        """Rebuild after changing one answer line of one file (then put it back)."""
        path = self.notes / "cours-0000.txt"
        original = path.read_text(encoding="utf-8")
        path.write_text(original.replace("\n- ", "\n- Modifié : ", 1), encoding="utf-8")
        try:
            return self.ankipress()
        finally:
            path.write_text(original, encoding="utf-8")

    def ankdown(self) -> Run:
        out = self.work / "ankdown.apkg"
        return timed([str(BIN / "ankdown"), "-r", str(self.corpus / "ankdown"), "-p", str(out)])

    def floor(self) -> Run:
        out = self.work / "floor.apkg"
        return timed(
            [sys.executable, str(HERE / "floor.py"), str(self.corpus / "floor.json"), str(out)]
        )


def median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs))


def measure(size: int, runs: int, with_ankdown: bool) -> dict[str, Run]:
    bench = Bench(size)
    results: dict[str, list[Run]] = {
        "ankipress": [], "ankipress, unchanged": [], "ankipress, one file edited": [],
        "floor (genanki alone)": [],
    }  # fmt: skip
    if with_ankdown:
        results["ankdown"] = []
    for number in range(runs):
        # Interleaved, in a rotating order, so that a noisy moment hits every tool alike.
        steps = [
            lambda: results["ankipress"].append(bench.cold()),
            lambda: results["floor (genanki alone)"].append(bench.floor()),
        ]
        if with_ankdown:
            steps.append(lambda: results["ankdown"].append(bench.ankdown()))
        for step in steps[number % len(steps) :] + steps[: number % len(steps)]:
            step()
        results["ankipress, unchanged"].append(bench.ankipress())
        results["ankipress, one file edited"].append(bench.edited())
    return {name: median(found) for name, found in results.items()}


def table(measured: dict[int, dict[str, Run]]) -> list[str]:
    lines = [
        "| notes | tool | median s | notes/s | peak MB | time vs ankipress |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for size, results in measured.items():
        base = results["ankipress"].seconds
        for name, run in results.items():
            lines.append(
                f"| {size:,} | {name} | {run.seconds:.2f} | {size / run.seconds:,.0f} "
                f"| {run.peak_mb:.0f} | {run.seconds / base:.2f} |"
            )
    return lines


def targets(measured: dict[int, dict[str, Run]]) -> list[str]:
    lines = []
    for size, results in measured.items():
        cold = results["ankipress"].seconds
        parts = []
        if "ankdown" in results:
            parts.append(
                f"ankipress/ankdown {cold / results['ankdown'].seconds:.2f} (target ≤ 0.5)"
            )
        parts.append(
            f"ankipress/floor {cold / results['floor (genanki alone)'].seconds:.2f} (≤ 1.5)"
        )
        parts.append(f"unchanged/cold {results['ankipress, unchanged'].seconds / cold:.2f} (≤ 0.5)")
        parts.append(
            f"one edited file/cold {results['ankipress, one file edited'].seconds / cold:.2f}"
        )
        parts.append(f"peak {results['ankipress'].peak_mb:.0f} MB (≤ 300 at 100,000)")
        lines.append(f"- {size:,} notes: " + "; ".join(parts))
    sizes = sorted(measured)
    if len(sizes) > 1:
        per_note = [measured[s]["ankipress"].seconds / s * 1e6 for s in sizes]
        lines.append(
            "- cold build time per note: "
            + ", ".join(f"{p:.0f} µs at {s:,}" for p, s in zip(per_note, sizes, strict=True))
            + " (linear when these stay close)"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ankdown-up-to", type=int, default=100_000)
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    measured = {}
    for size in sizes:
        print(f"measuring {size:,} notes…", file=sys.stderr, flush=True)
        measured[size] = measure(size, options.runs, size <= options.ankdown_up_to)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    report = [
        "# Benchmark",
        "",
        f"`make bench` on {time.strftime('%Y-%m-%d')} ({machine}); median of {options.runs} "
        "interleaved runs of whole processes; peak MB is the maximum resident set size.",
        "",
        *table(measured),
        "",
        *targets(measured),
        "",
    ]
    text = "\n".join(report)
    print(text)
    (HERE / "results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
