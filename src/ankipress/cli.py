"""The command line: the only place that prints and chooses exit codes.

Exit codes: 0 success (warnings allowed), 1 content errors, 2 usage errors (click's own),
3 an internal error (a bug in ankipress: one line, `--debug` for the traceback).
Heavy modules are imported inside the commands so that `--help` and `--version` stay fast.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .records import Diagnostic, Severity, printable

if TYPE_CHECKING:
    from .lock import LockEntry

PROGRESS_THRESHOLD = 600
"""Lines of notes to compile from which a terminal shows a progress bar (a few hundred
notes)."""
PLAIN_LINE_STYLE = "ankipress format: line style"

SOURCES = click.argument(
    "sources",
    nargs=-1,
    type=click.Path(exists=True, path_type=Path),
)
ALLOW_HTML = click.option(
    "--allow-html", is_flag=True, help="Let raw HTML in the notes through (default: shown as text)."
)
LANG = click.option(
    "--lang", help="Language of notes whose front matter has no `lang` (e.g. fr: French spacing)."
)


def render_settings(allow_html: bool, lang: str | None):
    from .render import RenderSettings

    return RenderSettings(allow_html=allow_html, lang=lang)


def build_time() -> float:
    """Now, or SOURCE_DATE_EPOCH when set (the reproducible-builds convention)."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH")
    return float(fixed) if fixed and fixed.isdigit() else time.time()


def report(diagnostics: Sequence[Diagnostic], quiet: bool) -> None:
    shown = [str(d) for d in diagnostics if not quiet or d.is_error]
    for start in range(0, len(shown), REPORT_CHUNK):  # a file's many errors: few writes
        click.echo("\n".join(shown[start : start + REPORT_CHUNK]), err=True)


REPORT_CHUNK = 1000
"""Problems printed in one write."""


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = sum(1 for d in diagnostics if d.severity is Severity.WARNING)
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' * (errors != 1)}")
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return ", ".join(parts)


def report_removed(removed: Sequence[LockEntry]) -> None:
    """Anki's importer never deletes a note: list those gone from the sources, and how to
    find them in Anki's browser."""
    from .identity import note_search

    if not removed:
        return
    count = len(removed)
    them = "them" if count != 1 else "it"
    click.echo(
        f"{count} note{'s' * (count != 1)} no longer in your files "
        f"(Anki keeps {them}: an import never deletes a note):",
        err=True,
    )
    for entry in removed:
        click.echo(f'  {printable(entry.file)}: "{printable(entry.question)}"', err=True)
    click.echo(
        f"To delete {them} in Anki, search this in the browser, select all, delete:", err=True
    )
    click.echo(f"  {note_search(removed)}", err=True)


@contextmanager
def progress_bar(total: int, label: str):
    """A progress bar on a terminal for large builds (`total` lines to compile); nothing
    otherwise."""
    if total < PROGRESS_THRESHOLD or not sys.stderr.isatty():
        yield lambda done: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


class Command(click.Command):
    """Turns an unexpected exception into one line and exit code 3 (`--debug` shows it)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError:  # the reader stopped early (`explain FILE | head`): no bug
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # so that exiting flushes nothing more
            ctx.exit(0)
        except Exception as exc:  # the one place a bug is caught, so no traceback leaks
            if ctx.find_root().params.get("debug"):
                import traceback  # only here: start-up time

                traceback.print_exc()
            else:
                click.echo(
                    f"ankipress: internal error: {type(exc).__name__}: {exc} "
                    "(this is a bug in ankipress; run with --debug for details)",
                    err=True,
                )
            ctx.exit(3)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ankipress")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Name every package written.")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
@click.pass_context
def main(ctx: click.Context, quiet: bool, verbose: bool, debug: bool) -> None:
    """Turn study notes written as plain text or Markdown into Anki decks."""
    ctx.obj = {"quiet": quiet, "verbose": verbose and not quiet}
    # A build makes many small objects that live to its end, and few reference cycles:
    # Python's cycle collector, run every 700 allocations, rescans them again and again
    # (a tenth of a large build). Run it far less often, as type checkers do.
    gc.set_threshold(200_000, 30, 30)


@main.command(cls=Command)
@SOURCES
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="A folder (one .apkg per source file) or a FILE.apkg (one package of every deck).",
)
@ALLOW_HTML
@LANG
@click.pass_obj
def build(
    options: dict, sources: tuple[Path, ...], out: Path, allow_html: bool, lang: str | None
) -> None:
    """Build SOURCES (files or folders; default: content) into Anki packages."""
    from .pipeline import build as run_build
    from .sources import display_path

    result = run_build(
        sources or (Path("content"),),
        out,
        build_time(),
        settings=render_settings(allow_html, lang),
        progress=progress_bar,
    )
    report(result.diagnostics, options["quiet"])
    if result.failed:
        click.echo(f"ankipress: {summary(result.diagnostics)}; nothing written", err=True)
        sys.exit(1)
    if result.up_to_date and not options["quiet"]:
        click.echo(f"up to date: {result.note_count} notes, nothing changed", err=True)
    elif not options["quiet"]:
        written = result.written
        if options["verbose"] or len(written) <= 3:
            for package in written:
                click.echo(f"wrote {display_path(package)}", err=True)
        count = len(result.packages)
        where = f" under {display_path(out)}" if count > 1 else ""
        rewritten = f" ({len(written)} rewritten)" if len(written) < count else ""
        click.echo(
            f"{result.note_count} notes in {count} package{'s' * (count != 1)}{where}{rewritten}",
            err=True,
        )
        report_removed(result.removed)


@main.command(cls=Command)
@SOURCES
@ALLOW_HTML
@LANG
@click.option(
    "--locked",
    is_flag=True,
    help="Also fail when ankipress.lock is not up to date with the notes (for CI).",
)
@click.pass_obj
def check(
    options: dict, sources: tuple[Path, ...], allow_html: bool, lang: str | None, locked: bool
) -> None:
    """Read and validate SOURCES without writing anything; print every problem."""
    from .pipeline import check as run_check

    result = run_check(
        sources or (Path("content"),),
        render_settings(allow_html, lang),
        locked=locked,
        now=build_time(),
    )
    report(result.diagnostics, options["quiet"])
    if result.failed:
        click.echo(f"ankipress: {summary(result.diagnostics)}", err=True)
        sys.exit(1)
    if options["verbose"]:
        click.echo(f"{result.note_count} notes, no errors", err=True)


@main.command(cls=Command)
@SOURCES
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("build/preview.html"),
    show_default=True,
    help="The HTML file to write.",
)
@ALLOW_HTML
@LANG
@click.pass_obj
def preview(
    options: dict, sources: tuple[Path, ...], out: Path, allow_html: bool, lang: str | None
) -> None:
    """Write one HTML page showing every card's front and back, styled as in Anki."""
    from .package import write_files_atomically
    from .pipeline import preview as run_preview
    from .sources import display_path

    page, diagnostics = run_preview(
        sources or (Path("content"),), render_settings(allow_html, lang)
    )
    report(diagnostics, options["quiet"])
    if page is None:
        click.echo(f"ankipress: {summary(diagnostics)}; nothing written", err=True)
        sys.exit(1)
    write_files_atomically([(out, page.encode())])
    if not options["quiet"]:
        click.echo(f"wrote {display_path(out)}", err=True)


def file_reading(file: Path) -> str:
    """How a file as a whole is read (its format and style), for `explain`."""
    from .parse import parse
    from .sources import discover, read_source

    found = discover([file])
    source = read_source(found[0])[0] if found else None
    return parse(source).reading if source is not None else PLAIN_LINE_STYLE


@main.command(cls=Command)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ALLOW_HTML
@LANG
@click.pass_obj
def explain(options: dict, file: Path, allow_html: bool, lang: str | None) -> None:
    """Print each line of FILE with how it was read, then every problem `check` finds in it."""
    from .pipeline import explain as run_explain

    result, diagnostics = run_explain(file, render_settings(allow_html, lang))
    if result is not None:
        width = len(str(len(result.lines)))
        click.echo(f"deck: {result.deck}")
        for number, reading, text in result.lines:
            click.echo(f"{number:>{width}}  {reading:<12}  {text}")
        if (how := file_reading(file)) != PLAIN_LINE_STYLE:  # else the lines say it all
            click.echo(f"read as: {how}")
    report(diagnostics, options["quiet"])
    if any(d.is_error for d in diagnostics):
        sys.exit(1)


SYNC_MISSING = (
    "ankipress: sync needs Anki's own backend, the `anki` package: "
    "pip install 'ankipress[sync]' (or run `make sync`)"
)


@main.command(cls=Command)
@SOURCES
@click.option(
    "--collection",
    type=click.Path(path_type=Path),
    help="The collection file (collection.anki2, or its folder) instead of a profile's.",
)
@click.option(
    "--profile", metavar="NAME", help="The Anki profile to sync into (default: the only one)."
)
@click.option("--dry-run", is_flag=True, help="List every change; write nothing.")
@click.option("--delete", is_flag=True, help="Remove notes whose source is gone, without asking.")
@click.option("--force", is_flag=True, help="Let your files win over edits made in Anki.")
@ALLOW_HTML
@LANG
@click.pass_obj
def sync(
    options: dict,
    sources: tuple[Path, ...],
    collection: Path | None,
    profile: str | None,
    dry_run: bool,
    delete: bool,
    force: bool,
    allow_html: bool,
    lang: str | None,
) -> None:
    """Build SOURCES and apply them to your Anki collection (close Anki desktop first)."""
    if collection is not None and profile is not None:
        raise click.UsageError("give --collection or --profile, not both")
    try:
        from . import sync as syncing
    except ImportError as exc:
        if not (exc.name or "").startswith("anki"):
            raise
        click.echo(SYNC_MISSING, err=True)
        sys.exit(1)
    from .profiles import NotFound, find_collection
    from .sources import display_path

    found = find_collection(collection, profile, sys.platform, os.environ, Path.home())
    if isinstance(found, NotFound):
        click.echo(f"ankipress: sync refused: {found.message}", err=True)
        sys.exit(1)

    def ask(removals) -> bool:
        for line in syncing.removal_lines(removals):
            click.echo(line, err=True)
        return click.confirm("Remove them from Anki?", default=False, err=True)

    request = syncing.Request(
        sources=sources or (Path("content"),),
        found=found,
        now=build_time(),
        clock=time.time(),
        settings=render_settings(allow_html, lang),
        dry_run=dry_run,
        delete=delete,
        force=force,
    )
    result = syncing.run(request, ask if sys.stdin.isatty() else None)
    if isinstance(result, syncing.Refused):
        click.echo(f"ankipress: sync refused: {result.message}", err=True)
        sys.exit(1)
    if isinstance(result, syncing.Incomplete):
        click.echo(f"ankipress: sync incomplete: {result.message}", err=True)
        sys.exit(1)
    report(result.diagnostics, options["quiet"])
    if isinstance(result, syncing.SyncBuild):
        if result.failed:
            click.echo(f"ankipress: {summary(result.diagnostics)}; nothing synced", err=True)
            sys.exit(1)
        click.echo("ankipress: no notes found; nothing synced", err=True)
        return
    for line in syncing.held_lines(result.plan):
        click.echo(line, err=True)
    if not options["quiet"]:
        where = display_path(found.collection)
        for line in syncing.summary_lines(result, where, options["verbose"]):
            click.echo(line)
    if result.plan.conflicts:
        sys.exit(1)
