"""The reading side of `accords ingest`, `extract` and `watch`: options, progress, skip reports, summary.

The commands in accords.cli take these options and call `read_options()`,
`ingest_run()` and `extract_documents()`; the work is done by
accords.sources.ingest (the library), this module only shows it.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Optional

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from accords.errors import AccordsError, InputError
from accords.model import Assertion, Document
from accords.sources.fetch import FetchOptions
from accords.sources.ingest import Ingest, Reader, ReadOptions, RunStats
from accords.sources.problems import to_record
from accords.sources.records import Columns, InputWarning

LOG_EVERY = 10.0  # seconds between two progress lines when stderr is not a terminal

URLS_HELP = "A file of URLs (one per line, '#' for comments; '-' for stdin): each page or feed is fetched."
TEXT_COL_HELP = "Corpus column (JSONL field, CSV header, Parquet column) holding the text."
DATE_COL_HELP = "Corpus column holding the publication date."
URL_COL_HELP = "Corpus column holding the URL (fetched when a row has no text, e.g. GDELT's SOURCEURL)."
ID_COL_HELP = "Corpus column holding the document id (rows without one are named by their content hash)."
ERRORS_HELP = "Also write every skipped item and warning to FILE, as JSON Lines (source, level, reason, message)."
PRIVATE_HELP = "Fetch from private, loopback and link-local addresses too (your own network; refused by default)."
ROBOTS_HELP = "Fetch pages that robots.txt disallows (only for sites that allow you to)."

URLS_OPTION = typer.Option(None, "--urls", help=URLS_HELP, metavar="FILE")
TEXT_COL_OPTION = typer.Option("text", "--text-col", help=TEXT_COL_HELP, metavar="NAME")
DATE_COL_OPTION = typer.Option("published", "--date-col", help=DATE_COL_HELP, metavar="NAME")
URL_COL_OPTION = typer.Option("url", "--url-col", help=URL_COL_HELP, metavar="NAME")
ID_COL_OPTION = typer.Option("id", "--id-col", help=ID_COL_HELP, metavar="NAME")
ERRORS_OPTION = typer.Option(None, "--errors", help=ERRORS_HELP, metavar="FILE", dir_okay=False)
PRIVATE_OPTION = typer.Option(False, "--allow-private", help=PRIVATE_HELP)
ROBOTS_OPTION = typer.Option(False, "--ignore-robots", help=ROBOTS_HELP)


def read_options(published: date | None, text_col: str = "text", date_col: str = "published", url_col: str = "url",
                 id_col: str = "id", allow_private: bool = False, ignore_robots: bool = False) -> ReadOptions:
    return ReadOptions(published=published, columns=Columns(text=text_col, date=date_col, url=url_col, id=id_col),
                       fetch=FetchOptions(allow_private=allow_private, respect_robots=not ignore_robots))


class ConsoleReporter:
    """Skips and warnings on stderr (and in --errors FILE); a progress bar on a terminal, log lines elsewhere."""

    def __init__(self, console: Console, stats: RunStats, errors: IO[str] | None = None, verb: str = "ingesting"):
        self.console = console
        self.stats = stats
        self.errors = errors
        self.verb = verb
        self.started = time.monotonic()
        self._last_log = self.started
        self.progress: Progress | None = None
        self._task = None

    # the Reporter protocol of accords.sources.ingest
    def problem(self, err: InputError) -> None:
        if isinstance(err, InputWarning):
            line = Text(f"accords: warning {err.message}", style="yellow")
        else:
            line = Text(f"accords: skipped {err.message}", style="red")
        self._print(line)
        if self.errors is not None:
            self.errors.write(json.dumps(to_record(err), ensure_ascii=False) + "\n")
            self.errors.flush()
        self.tick()

    def stored(self, doc: Document, assertions: list[Assertion], copy_of: str | None) -> None:
        self.tick()

    def known(self, what: str) -> None:
        self.tick()

    def tick(self) -> None:
        s = self.stats
        elapsed = max(time.monotonic() - self.started, 1e-9)
        done = s.ingested + s.already + s.known_urls
        if self.progress is not None:
            self.progress.update(self._task, docs=s.ingested, rate=done / elapsed, facts=s.facts,
                                 skipped=s.skipped)
        elif time.monotonic() - self._last_log >= LOG_EVERY:
            self._last_log = time.monotonic()
            self._print(Text(f"accords: {self.verb}: {s.read} read, {s.ingested} stored ({done / elapsed:.1f}/s), "
                             f"{s.facts} facts, {s.already + s.known_urls} already stored, "
                             f"{s.skipped} skipped"))

    @contextmanager
    def showing(self) -> Iterator["ConsoleReporter"]:
        """A live progress bar while the block runs, when stderr is a terminal."""
        if not self.console.is_terminal:
            yield self
            return
        self.progress = Progress(SpinnerColumn(), TextColumn(self.verb),
                                 TextColumn("{task.fields[docs]} documents ({task.fields[rate]:.1f}/s), "
                                            "{task.fields[facts]} facts, {task.fields[skipped]} skipped"),
                                 TimeElapsedColumn(), console=self.console, transient=True)
        with self.progress:
            self._task = self.progress.add_task(self.verb, total=None, docs=0, rate=0.0, facts=0, skipped=0)
            yield self
        self.progress = None

    def _print(self, line: Text) -> None:
        (self.progress.console if self.progress is not None else self.console).print(line, soft_wrap=True)


@contextmanager
def errors_file(path: Optional[Path]) -> Iterator[IO[str] | None]:
    if path is None:
        yield None
        return
    try:
        fh = path.open("w", encoding="utf-8")
    except OSError as exc:
        raise AccordsError(f"cannot write the errors file {path}: {exc.strerror or exc}") from exc
    with fh:
        yield fh


def ingest_run(store, paths: list[str], options: ReadOptions, console: Console, *, urls: Optional[str] = None,
               errors: Optional[Path] = None, pipeline=None) -> RunStats:
    """Run an ingest with progress and reports; on Ctrl-C say what is stored and exit 130.

    `pipeline`: how documents are extracted and stored (see accords.sources.ingest.Ingest).
    """
    with errors_file(errors) as fh, Ingest(store, options, pipeline=pipeline) as run:
        reporter = ConsoleReporter(console, run.stats, fh)
        run.reporter = reporter
        try:
            with reporter.showing():
                run.run(paths, [urls] if urls else [])
        except KeyboardInterrupt:
            s = run.stats
            console.print(Text(f"accords: interrupted after {s.ingested} documents ({s.facts} facts); they are "
                               "stored, and a rerun skips them", style="red"), soft_wrap=True)
            raise typer.Exit(130) from None
    return run.stats


@contextmanager
def extract_documents(paths: list[str], options: ReadOptions, console: Console, *, urls: Optional[str] = None,
                      errors: Optional[Path] = None) -> Iterator[tuple[Iterator[Document], RunStats]]:
    """The documents of the inputs (for `accords extract`, no store), with problems reported as they come."""
    with errors_file(errors) as fh:
        reader = Reader(options)
        reader.reporter = ConsoleReporter(console, reader.stats, fh, verb="extracting")
        try:
            yield reader.documents(paths, [urls] if urls else []), reader.stats
        finally:
            reader.close()


def summary_lines(stats: RunStats) -> list[str]:
    """The lines after `ingested N documents ...`: copies, known URLs, skips and warnings by reason (when any)."""
    lines = []
    extra = []
    if stats.copies:
        extra.append(f"{stats.copies} syndicated copies grouped with an earlier story")
    if stats.known_urls:
        extra.append(f"{stats.known_urls} URLs already stored, not fetched again")
    if extra:
        lines.append(f"read {stats.read} documents: " + "; ".join(extra))
    if stats.skipped:
        lines.append("skipped: " + ", ".join(f"{n} {reason}" for reason, n in stats.skipped_by.most_common()))
    if stats.warnings:
        lines.append("warnings: " + ", ".join(f"{n} {reason}" for reason, n in stats.warnings_by.most_common()))
    return lines
