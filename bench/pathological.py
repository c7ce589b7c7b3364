"""Pathological inputs: `ankipress build` on notes made to be slow, as whole processes.

Each input repeats a short piece of syntax that opens something and never closes it (or
nests it, or numbers it) until the file holds 100 KB, then 200 KB, and times a cold build
of that file into one package; the last inputs are built, edited, and their rebuild timed
(a note recognised after an edit is compared with the notes it may continue). A stage that
restarts a search at every opener shows as time per 100 KB growing with the size; the
target is under one second per 100 KB for each.

Prints a Markdown table (also used by `run.py` for results.md).
Usage: pathological.py [--sizes 100,200] [--runs 1] [--only NAME] [--timeout 120]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
KB = 1000
TARGET = 1.0
"""Seconds per 100 KB, at every size."""


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    make: Callable[[int], str]
    """The file's text, about the given number of characters long."""
    edit: Callable[[str], str] | None = None
    """For a rebuild: the change made to the text after a first build (the rebuild is timed)."""


def repeated(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def line_note(unit: str) -> Callable[[int], str]:
    """A line-style note whose one answer line is the unit repeated."""
    return lambda size: f"Quelle est la réponse ?\n{repeated(unit, size)}\n"


def heading_note(unit: str) -> Callable[[int], str]:
    """A heading-style note whose answer is the unit repeated (one long paragraph)."""
    return lambda size: f"## Quelle est la réponse ?\n\n{repeated(unit, size)}\n"


def question_tags(size: int) -> str:
    """A question whose mark is followed by tags, thousands of them, then a word."""
    return f"Quelle est la réponse ?{repeated(' #a', size)} fin\nRéponse.\n"


def nested_clozes(size: int) -> str:
    half = size // 8
    return "Quelle est la réponse ?\n" + "{{c1::" * half + "x" + "}}" * half + "\n"


def deep_list(size: int) -> str:
    lines, total, depth = [], 0, 0
    while total < size:
        lines.append("  " * depth + f"- niveau {depth}")
        total += len(lines[-1]) + 1
        depth += 1
    return "Quelle est la profondeur ?\n" + "\n".join(lines) + "\n"


def deep_quotes(size: int) -> str:
    return "## Quelle est la citation ?\n\n" + "> " * (size // 2) + "fin\n"


def french_spaces(size: int) -> str:
    return f"---\nlang: fr\n---\nQuelle est la réponse ?\nun{' ' * size}mot : oui\n"


def inline_answers_spaced(size: int) -> str:
    """Lines each a question and its answer (`Quoi ? un mot`), the last answer and statement
    judged after a colon ending in a long run of spaces before one more word."""
    pad = " " * (size // 3)
    return (
        "Quel est le premier mot ? un\nQuel est le deuxième mot ? deux\n"
        f"Quel est le dernier mot ? trois{pad}mot\nLe mot suivant est le bon : vrai,{pad}mot\n"
    )


def quiz_letters(size: int) -> str:
    """A quiz's options, then a line that looks like their letters for a long way (`a a a …`)
    but ends in a word; then a fill-in prompt whose blank and its aside run on."""
    run = "a " * (size // 6)
    return (
        f"Which one? (Select one.)\n\nA. un\n\nB. deux\n\n{run}mot\n\n"
        f"Le mot est {'_' * (size // 6)} {'(' * (size // 6)}\n- A. oui\n- B. non\n"
    )


def labels_then_spaces(size: int) -> str:
    """A bold tags label, a glossary's letter and a verdict, each followed by a long run of
    spaces before a word that spoils them; then a line that opens with such a run."""
    pad = " " * (size // 5)
    return f"Quel est le mot ?\nun\n\n**Tags:** mot{pad}!\n\nA{pad}x\n\nFalso{pad}!\n\n{pad}x\n"


def bracketed_separators(size: int) -> str:
    """One line of `::` in square brackets (a slice, a Dataview field), none of them a
    card's separator: each is judged by a look of bounded length, or quadratic."""
    return "Quel est le mot ?\n[" + "a b::c " * (size // 7) + "]\n"


def running_numbers_over_blank_lines(size: int) -> str:
    """Questions opening with a running number, then a long run of blank lines: whether the
    answer goes on is judged at each blank line by a look at the next one only."""
    questions = "".join(f"{n} - Question {n} ?\n\n> remarque\n" for n in range(1, 5))
    return "Titre\n\n" + questions + "\n" * (size - len(questions) - 10) + "fin\n"


WORDS = ("groupe", "pratique", "membre", "réseau", "étape", "client", "outil", "synthèse")


def long_question(size: int) -> str:
    """One question as long as the file, then its answer."""
    words = [WORDS[i % len(WORDS)] + str(i % 97) for i in range(size // 10)]
    return " ".join(words) + " ?\nRéponse\n"


def similar_clozes(size: int) -> str:
    """Paragraphs of about 2 KB, alike but for their first word, each a cloze note."""
    body = " ".join(f"==mot{i % 13}== {WORDS[i % len(WORDS)]}" for i in range(160))
    count = max(1, size // (len(body) + 20))
    return "".join(f"Paragraphe{n} {body}.\n\n" for n in range(count))


def sections_of_lone_answers(size: int) -> str:
    """Sections of one question each, its answer a lone line after a blank line: each
    asks what the whole file is written like (worked out once, or quadratic)."""
    units = []
    while sum(map(len, units)) < size:
        n = len(units)
        units.append(f"## Partie {n}\n\nQuelle est la question {n} ?\n\nLa réponse {n}\n\n")
    return "".join(units)


def notes_between_rules(size: int) -> str:
    """Notes between rules, each a question and paragraphs, one rule's stretch made of
    many blank lines and paragraphs: where each note ends is worked out once, in one pass."""
    units = ["Quelle est la première question ?\n\n" + "Un paragraphe.\n\n" * 2000 + "---\n"]
    while sum(map(len, units)) < size:
        n = len(units)
        units.append(f"**{n}. Question {n} ?**\n\nUne réponse.\n\nUne suite.\n\n---\n")
    return "".join(units)


def one_word_changed(text: str) -> str:
    middle = len(text) // 2
    return text[:middle] + text[middle:].replace("étape", "phase", 1)


def every_paragraph_changed(text: str) -> str:
    return text.replace("==mot1== pratique", "==mot1== pratiques")


CASES = (
    Case("`==a ` shorthands never closed", "n.txt", line_note("==a ")),
    Case("`==a== ` shorthand deletions", "n.txt", line_note("==a== ")),
    Case("`==c1::a ` numbered shorthands never closed", "n.txt", line_note("==c1::a ")),
    Case("`\\(a ` math never closed", "n.txt", line_note("\\(a ")),
    Case("`\\[a ` display math never closed", "n.md", heading_note("\\[a ")),
    Case("`$a ` dollars", "n.txt", line_note("$a ")),
    Case("`` `a `` backticks never closed", "n.txt", line_note("`a ")),
    Case("`**a ` emphasis never closed", "n.md", heading_note("**a ")),
    Case("`[a ` brackets never closed", "n.txt", line_note("[a ")),
    Case("`![a ` images never closed", "n.md", heading_note("![a ")),
    Case("`[a](` links never closed", "n.txt", line_note("[a](")),
    Case("`{{c1::a ` clozes never closed", "n.txt", line_note("{{c1::a ")),
    Case("`{{c1::a}} ` deletions", "n.txt", line_note("{{c1::a}} ")),
    Case("`{{c1::` nested, then `}}`", "n.txt", nested_clozes),
    Case("`? #a #a … fin`: tags after a question's mark, then a word", "n.txt", question_tags),
    Case("list items nested deeper and deeper", "n.txt", deep_list),
    Case("`> ` quotes nested deeper and deeper", "n.md", deep_quotes),
    Case("a long run of spaces (French typography on)", "n.txt", french_spaces),
    Case(
        "questions answered on their line, then a long run of spaces",
        "n.txt",
        inline_answers_spaced,
    ),
    Case(
        "a quiz's options, then a long line of letters that ends in a word", "n.txt", quiz_letters
    ),
    Case(
        "a tags label, a letter and a verdict, each then a long run of spaces",
        "n.md",
        labels_then_spaces,
    ),
    Case("`::` in square brackets along one line", "n.md", bracketed_separators),
    Case(
        "questions under running numbers, then a long run of blank lines",
        "n.md",
        running_numbers_over_blank_lines,
    ),
    Case("sections of a question and a lone answer", "n.md", sections_of_lone_answers),
    Case("notes between rules, one of thousands of paragraphs", "n.md", notes_between_rules),
    Case("one long question, one word edited: rebuild", "n.txt", long_question, one_word_changed),
    Case(
        "2 KB cloze paragraphs alike, each edited: rebuild",
        "n.txt",
        similar_clozes,
        every_paragraph_changed,
    ),
)


@dataclass(frozen=True)
class Timing:
    seconds: float
    cpu: float
    exit_code: int | None
    """None when the build was stopped at the time limit."""


def build(folder: Path, cache: Path, timeout: float) -> Timing:
    """A cold build of the folder into one package (with an empty build cache), as a process
    of its own, stopped after `timeout` seconds."""
    out = folder.parent / "out.apkg"
    command = [str(BIN / "ankipress"), "-q", "build", str(folder), "-o", str(out)]
    environment = {**os.environ, "ANKIPRESS_CACHE_DIR": str(cache)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        code: int | None = subprocess.run(
            command, env=environment, capture_output=True, timeout=timeout
        ).returncode
    except subprocess.TimeoutExpired:
        code = None
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Timing(seconds, cpu, code)


def measure(case: Case, size: int, runs: int, timeout: float) -> Timing:
    """The fastest of `runs` cold builds (the least disturbed by other work)."""
    with tempfile.TemporaryDirectory(prefix="ankipress-bench-") as scratch:
        folder = Path(scratch, "notes")
        folder.mkdir()
        text = case.make(size)
        timings = []
        for run in range(runs):
            (folder / case.file).write_text(text, encoding="utf-8")
            (folder / "ankipress.lock").unlink(missing_ok=True)
            Path(scratch, "out.apkg").unlink(missing_ok=True)
            cache = Path(scratch, f"cache-{run}")
            cache.mkdir(mode=0o700)
            if case.edit is not None:  # a first build, then the edited text rebuilt (timed)
                build(folder, cache, timeout)
                (folder / case.file).write_text(case.edit(text), encoding="utf-8")
            timings.append(build(folder, cache, timeout))
            if timings[-1].exit_code is None:
                break  # one build over the limit is enough to know
    return min(timings, key=lambda t: t.seconds)


def table(sizes: list[int], runs: int, only: str | None, timeout: float) -> tuple[list[str], bool]:
    header = " | ".join(f"s / 100 KB at {size} KB (CPU)" for size in sizes)
    lines = [
        f"| input | {header} | exit |",
        "|---|" + "---:|" * len(sizes) + "---:|",
    ]
    met = True
    for case in CASES:
        if only and only not in case.name:
            continue
        cells, codes = [], set()
        for size in sizes:
            timing = measure(case, size * KB, runs, timeout)
            per = timing.seconds / (size / 100)
            met &= per < TARGET and timing.exit_code is not None
            if timing.exit_code is None:
                cells.append(f"> {per:.0f} (stopped)")
                continue
            cells.append(f"{per:.2f} ({timing.cpu / (size / 100):.2f})")
            codes.add(timing.exit_code)
        exits = ", ".join(map(str, sorted(codes)))
        lines.append(f"| {case.name} | {' | '.join(cells)} | {exits} |")
        print(lines[-1], file=sys.stderr, flush=True)
    return lines, met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,200", help="file sizes, in KB")
    parser.add_argument("--runs", type=int, default=1, help="builds of each file (fastest kept)")
    parser.add_argument("--only", help="only the inputs whose name holds this text")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a build stops")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    lines, met = table(sizes, options.runs, options.only, options.timeout)
    verdict = "met" if met else "MISSED"
    print(
        "\n".join(
            [
                f"Pathological inputs: wall seconds per 100 KB of a cold build (CPU seconds in "
                f"brackets), fastest of {options.runs}; exit 1 is a build refused with errors.",
                "",
                *lines,
                "",
                f"- every pathological input under {TARGET:g} s per 100 KB: {verdict}",
            ]
        )
    )


if __name__ == "__main__":
    main()
