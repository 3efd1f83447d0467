"""The `accords` command: a thin shell over the library.

Every command calls the public library (sources, extract, store, query,
evaluate) and turns an AccordsError into one red line on stderr and an exit
code scripts can trust (see EXIT_CODES). Output goes to stdout as a Rich
table, JSON or CSV; messages about inputs go to stderr.
"""
from __future__ import annotations

import csv
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from accords import __version__
from accords.errors import AccordsError, StoreError, UnknownEntityError
from accords.model import Document, Entity, EventType, Status
from accords.commands import reading

OK, FAILED, USAGE, SKIPPED = 0, 1, 2, 3
EXIT_CODES = ("Exit codes: 0 all done; 3 done, but some input was skipped (bad files or lines, reported on "
              "stderr); 1 failed; 2 usage error or unknown name.")
DB_HELP = "Database file or URL (default: $ACCORDS_DB, else ./accords.db)."
DATE_HELP = "YYYY-MM-DD (or YYYY-MM, YYYY)"
EVIDENCE_WIDTH = 90
DEMO_NAME = "kazakhstan-abraham-accords.txt"
DEMO_PUBLISHED = "2025-11-06"

app = typer.Typer(name="accords", no_args_is_help=True, add_completion=False, epilog=EXIT_CODES,
                  pretty_exceptions_show_locals=False,
                  help="Sourced, time-aware facts about international relations, extracted from news articles: "
                       "who joined, left, signed or sought which agreement or body, which states established, "
                       "restored or cut relations, and which summits were held.")


class UsageError(AccordsError):
    """A command-line value that cannot be used (exit code 2)."""


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ExtractFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


class EvalFormat(str, Enum):
    text = "text"
    json = "json"


# ---------------------------------------------------------------------------
# shell helpers: consoles, errors, dates, names


def _console(stderr: bool = False) -> Console:
    """A console on stdout/stderr; when piped, wide enough that tables are not squeezed (COLUMNS wins)."""
    stream = sys.stderr if stderr else sys.stdout
    wide = None if stream.isatty() or os.environ.get("COLUMNS") else 160
    return Console(file=stream, width=wide, markup=False, highlight=False, emoji=False)


def _say(message: str, style: str | None = None) -> None:
    _console(stderr=True).print(Text("accords: " + message, style=style or ""), soft_wrap=True)


def _command(fn: Callable) -> Callable:
    """Run a command, turning AccordsError into one red line on stderr and an exit code."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (UnknownEntityError, UsageError) as exc:
            _say(exc.message, "red")
            raise typer.Exit(USAGE) from None
        except AccordsError as exc:
            _say(exc.message, "red")
            raise typer.Exit(FAILED) from None

    return run


_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _date_option(value: str | None, option: str) -> str | None:
    """A strict ISO date, possibly partial, as given; UsageError otherwise."""
    if value is None:
        return None
    text = value.strip()
    ok = bool(_ISO.match(text))
    if ok:
        parts = [int(p) for p in text.split("-")]
        try:
            date(parts[0], *(parts[1:] + [1, 1])[:2])
        except ValueError:
            ok = False
    if not ok:
        raise UsageError(f"{option}: {value!r} is not a date; use {DATE_HELP}")
    return text


def _published_option(value: str | None) -> date | None:
    text = _date_option(value, "--published")
    if text is None:
        return None
    if len(text) != 10:
        raise UsageError(f"--published: {value!r} is not a day; give YYYY-MM-DD (relative dates in the "
                         "text, such as 'on Thursday', are resolved against it)")
    return date.fromisoformat(text)


def _resolve(store, name: str, want: str | None = None) -> Entity:
    """A name from the command line: the gazetteer first, then the store's own entities (id or name)."""
    from accords.reference import gazetteer, normalize, slugify

    try:
        entity = gazetteer().resolve(name)
    except UnknownEntityError as exc:
        entity = None
        known = store.entities() if store is not None else []
        key = normalize(name)
        for e in known:
            if e.id == name or e.id == slugify(name) or normalize(e.name) == key:
                entity = e
                break
        if entity is None:
            raise UnknownEntityError(name, _suggest(name, exc.suggestions, known)) from None
    if want == "country" and not entity.is_country:
        raise UsageError(f"{name!r} is {entity.name} ({entity.kind}), not a country")
    if want == "body" and entity.is_country:
        raise UsageError(f"{name!r} is a country ({entity.name}); give an agreement, organization or other body")
    return entity


def _suggest(name: str, suggestions: list[str], known: list[Entity]) -> list[str]:
    from rapidfuzz import process

    from accords.reference import normalize

    names = {normalize(e.name): e.name for e in known}
    hits = process.extract(normalize(name), list(names), limit=3, score_cutoff=75)
    out = list(suggestions)
    for key, _score, _ in hits:
        if names[key] not in out:
            out.append(names[key])
    return out[:3]


def _open_store(db: str | None, must_exist: bool = True):
    """The store at --db; for reading, a missing SQLite file is an error rather than a new empty database."""
    from accords.store import open_store
    from accords.store.engine import is_memory, resolve_url

    if must_exist:
        url = resolve_url(db)
        if url.get_backend_name() == "sqlite" and not is_memory(url) and not Path(url.database).exists():
            raise StoreError(f"no database at {url.database}: ingest articles first (accords ingest FILE...), "
                             "or choose one with --db / ACCORDS_DB")
    return open_store(db)


# ---------------------------------------------------------------------------
# output: tables, JSON, CSV


def _short(text: str | None, width: int = EVIDENCE_WIDTH) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _source(doc: str | None, outlet: str | None = None) -> str:
    return " / ".join(p for p in (doc, outlet) if p)


def _table(title: str | None, columns: list[str], rows: Iterable[list[Any]]) -> Group:
    table = Table()
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    return Group(Text(title or "", style="bold"), table)


def _print(*renderables: Any) -> None:
    console = _console()
    for r in renderables:
        console.print(r)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _flat(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """One CSV row from a nested dict: entities and small dicts flattened (member_id...), lists joined."""
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = prefix + k
        if isinstance(v, dict) and k not in ("details",):
            out.update(_flat(v, key + "_"))
        elif isinstance(v, list) and all(isinstance(x, dict) and "id" in x for x in v):
            out[key] = ";".join(str(x["id"]) for x in v)
        elif isinstance(v, list) and all(isinstance(x, (str, int, float)) for x in v):
            out[key] = ";".join(str(x) for x in v)
        elif isinstance(v, (dict, list)):
            out[key] = json.dumps(v, ensure_ascii=False) if v else ""
        else:
            out[key] = "" if v is None else v
    return out


def _write_csv(rows: Iterable[dict[str, Any]], fh=None) -> int:
    flat = [_flat(r) for r in rows]
    fields: dict[str, None] = {}
    for r in flat:
        fields.update(dict.fromkeys(r))
    writer = csv.DictWriter(fh or sys.stdout, fieldnames=list(fields), restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return len(flat)


def _emit(fmt: OutputFormat, data: Any, rows: Callable[[], Iterable[dict[str, Any]]],
          tables: Callable[[], list[Any]]) -> None:
    if fmt is OutputFormat.json:
        _print_json(data)
    elif fmt is OutputFormat.csv:
        _write_csv(rows())
    else:
        _print(*tables())


def _nothing(what: str) -> Text:
    return Text(what, style="dim")


# ---------------------------------------------------------------------------
# commands: extract, ingest, export, eval


def _version(value: bool) -> None:
    if value:
        typer.echo(f"accords {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True,
                                                 help="Print the version and exit.")) -> None:
    """Sourced, time-aware facts about international relations, extracted from news articles."""


PATHS_HELP = ("Text files (.txt or any other), .json documents, .jsonl corpora (one JSON object per line: id, "
              "text, published, title, url, outlet), .csv/.tsv and .parquet corpora, .html pages, .rss/.atom "
              "feeds (any of them .gz or .zst), directories and globs of those, http(s) URLs, or - for stdin.")
PUBLISHED_HELP = ("Publication date (YYYY-MM-DD) of plain-text inputs, and of corpus documents that give none; "
                  "relative dates such as 'on Thursday' are resolved against it.")


@app.command(epilog=EXIT_CODES)
@_command
def extract(paths: Optional[list[str]] = typer.Argument(None, help=PATHS_HELP, metavar="PATH"),
            published: Optional[str] = typer.Option(None, "--published", help=PUBLISHED_HELP, metavar="DATE"),
            fmt: ExtractFormat = typer.Option(ExtractFormat.jsonl, "--format", "-f",
                                              help="jsonl: one fact record per line; table: for reading."),
            urls: Optional[str] = reading.URLS_OPTION, text_col: str = reading.TEXT_COL_OPTION,
            date_col: str = reading.DATE_COL_OPTION, url_col: str = reading.URL_COL_OPTION,
            id_col: str = reading.ID_COL_OPTION, errors: Optional[Path] = reading.ERRORS_OPTION,
            allow_private: bool = reading.PRIVATE_OPTION, ignore_robots: bool = reading.ROBOTS_OPTION) -> None:
    """Extract facts from articles and print them, one JSON fact record per line (no database)."""
    from accords.extract import extract_docs

    options = reading.read_options(_published_option(published), text_col, date_col, url_col, id_col,
                                   allow_private, ignore_robots)
    found = []
    with reading.extract_documents(_inputs(paths, urls), options, _console(stderr=True), urls=urls,
                                   errors=errors) as (documents, counts):
        for doc, assertions in extract_docs(documents):
            counts.ingested += 1
            counts.facts += len(assertions)
            if fmt is ExtractFormat.jsonl:
                for a in assertions:
                    typer.echo(json.dumps(a.to_record(), ensure_ascii=False))
            else:
                found.extend(assertions)
    if fmt is ExtractFormat.table:
        rows = [[a.doc, a.type.value, a.status.value, a.subject.name, a.object.name, a.date or "",
                 _short(a.evidence.text)] for a in found]
        _print(_table(f"{counts.facts} facts in {counts.documents} documents",
                      ["Doc", "Type", "Status", "Subject", "Object", "Date", "Evidence"], rows))
    raise typer.Exit(counts.exit_code)


@app.command(epilog=EXIT_CODES)
@_command
def ingest(paths: Optional[list[str]] = typer.Argument(None, help=PATHS_HELP, metavar="PATH"),
           db: Optional[str] = typer.Option(None, "--db", help=DB_HELP, metavar="URL"),
           published: Optional[str] = typer.Option(None, "--published", help=PUBLISHED_HELP, metavar="DATE"),
           urls: Optional[str] = reading.URLS_OPTION, text_col: str = reading.TEXT_COL_OPTION,
           date_col: str = reading.DATE_COL_OPTION, url_col: str = reading.URL_COL_OPTION,
           id_col: str = reading.ID_COL_OPTION, errors: Optional[Path] = reading.ERRORS_OPTION,
           allow_private: bool = reading.PRIVATE_OPTION, ignore_robots: bool = reading.ROBOTS_OPTION,
           workers: int = typer.Option(1, "--workers", "-w", min=0, metavar="N",
                                       help="Extract in N local processes (0: one per core); with --scheduler "
                                            "local, the number of Dask workers."),
           scheduler: Optional[str] = typer.Option(None, "--scheduler", envvar="DASK_SCHEDULER_ADDRESS",
                                                   metavar="ADDRESS",
                                                   help="Extract on a Dask cluster: its scheduler's address "
                                                        "(tcp://host:8786), or 'local' for a LocalCluster here. "
                                                        "Needs accords[dask]."),
           ) -> None:
    """Extract facts from articles and store them, a partition of documents per transaction.

    Content already stored is skipped (not even extracted), so an interrupted run can simply be rerun.
    With --workers or --scheduler the extraction runs in parallel; what is stored is the same.
    URLs already stored are not fetched again; syndicated copies of one story are grouped (accords stories).
    Ends with: ingested N documents (M facts), K already stored, S skipped; then copies and skips by reason.
    """
    from accords.batch import BatchOptions

    options = reading.read_options(_published_option(published), text_col, date_col, url_col, id_col,
                                   allow_private, ignore_robots)
    inputs = _inputs(paths, urls)
    with _open_store(db, must_exist=False) as store:
        counts = _ingest(store, inputs, options.published, BatchOptions(workers=workers, scheduler=scheduler or None),
                         reading=options, urls=urls, errors=errors)
    typer.echo(f"ingested {counts.documents} documents ({counts.facts} facts), {counts.already} already stored, "
               f"{counts.skipped} skipped")
    for line in reading.summary_lines(counts):
        typer.echo(line)
    raise typer.Exit(counts.exit_code)


def _inputs(paths: Optional[list[str]], urls: Optional[str]) -> list[str]:
    if not paths and not urls:
        raise UsageError("give at least one PATH (a file, directory, glob, URL or -) or --urls FILE")
    return list(paths or [])


def _ingest(store, paths: list[str], published: date | None, options=None, *, reading=None, urls=None,
            errors=None):
    """Read, extract (by `options`: accords.batch), store and group copies, with progress; the run's counts."""
    from accords.batch import BatchOptions, ingest_stream
    from accords.commands import reading as read

    batch = options or BatchOptions()
    return read.ingest_run(store, paths, reading or read.read_options(published), _console(stderr=True),
                           urls=urls, errors=errors, pipeline=lambda st, docs: ingest_stream(st, docs, batch))


@app.command(epilog=EXIT_CODES)
@_command
def export(path: Optional[Path] = typer.Argument(None, help="File to write (default: stdout).", dir_okay=False),
           db: Optional[str] = typer.Option(None, "--db", help=DB_HELP, metavar="URL"),
           fmt: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", "-f", help="jsonl or csv.")) -> None:
    """Export every stored assertion as a fact record, with its database id, published date and outlet."""
    with _open_store(db) as store:
        records = [sa.record() for sa in store.assertions()]
    fh = None
    try:
        fh = path.open("w", encoding="utf-8", newline="") if path else sys.stdout
        if fmt is ExportFormat.csv:
            _write_csv(records, fh)
        else:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise AccordsError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if path and fh is not None:
            fh.close()
    if path:
        _say(f"wrote {len(records)} fact records to {path}")


@app.command("eval", epilog=EXIT_CODES)
@_command
def eval_(gold: Path = typer.Argument(..., help="Gold set: JSON Lines with id, text, published and gold facts.",
                                      metavar="GOLD.jsonl"),
          explain: bool = typer.Option(False, "--explain", help="Also list misses, extras, overclaims and wrong "
                                                                "dates, with their sentences."),
          fmt: EvalFormat = typer.Option(EvalFormat.text, "--format", "-f", help="text or json.")) -> None:
    """Run the extractor over a gold set and score it: precision, recall, overclaims, dates, summits."""
    from accords import evaluate as ev
    from accords.extract import extract_docs

    def run(documents: list[Document]) -> dict[str, list[dict[str, Any]]]:
        return {doc.id: [a.to_record() for a in found] for doc, found in extract_docs(documents)}

    if not gold.is_file():
        raise UsageError(f"no gold file at {gold}")
    report = ev.evaluate(gold, run)
    if fmt is EvalFormat.json:
        data = report.to_dict()
        if not explain:
            for key in ("misses", "extras", "overclaim_items", "wrong_dates", "invented_dates", "gathering_misses"):
                data.pop(key, None)
        _print_json(data)
        return
    typer.echo(ev.format_report(report))
    details = ev.explain(report) if explain else ""
    if details:
        typer.echo("\n" + details)


# ---------------------------------------------------------------------------
# commands: questions asked of the store

BODY_HELP = "Agreement, organization, bloc or format: name, alias or id (e.g. 'Abraham Accords', NATO)."
COUNTRY_HELP = "A state: name, alias, demonym or ISO code (e.g. Israel, UAE, ARE)."
FORMAT_OPTION = typer.Option(OutputFormat.table, "--format", "-f", help="table, json or csv.")
DB_OPTION = typer.Option(None, "--db", help=DB_HELP, metavar="URL")
# Bitemporal (accords.query): valid time and reported time, on every question.
AS_OF_OPTION = typer.Option(None, "--as-of", metavar="DATE",
                            help=f"Valid time: the world as it was on this date ({DATE_HELP}).")
KNOWN_ON_OPTION = typer.Option(None, "--known-on", metavar="DATE",
                               help=f"Reported time: only what the news had said by this date, i.e. documents "
                                    f"published on or before it ({DATE_HELP}).")


def _times(as_of: str | None, known_on: str | None) -> dict[str, str | None]:
    return {"as_of": _date_option(as_of, "--as-of"), "known_on": _date_option(known_on, "--known-on")}


def _span(valid_from: str | None, valid_to: str | None) -> tuple[str, str]:
    return valid_from or "—", valid_to or ""


def _support(e) -> str:
    """'2, conf 0.86' and, when sources disagree, 'disputed: status' (accords conflicts shows them)."""
    text = f"{e.sources}, conf {e.confidence:.2f}" if e.sources else ""
    return text + (f"; disputed: {', '.join(e.conflicts)}" if e.conflicts else "")


def _members_tables(result) -> list[Any]:
    head = Text(f"{result.body.name} ({result.body.kind}) as of {result.as_of.isoformat()}"
                + (f", as known on {result.known_on.isoformat()}" if result.known_on else ""), style="bold")
    out: list[Any] = [head]
    for section in result.SECTIONS:
        entries = getattr(result, section)
        if entries:
            out.append(_table(f"{section} ({len(entries)})",
                              ["State", "Status", "From", "To", "Note", "Sources", "Evidence", "Source"],
                              [[e.member.name, e.status, *_span(e.valid_from, e.valid_to), e.note or "",
                                _support(e), _short(e.evidence), _source(e.doc, e.outlet)] for e in entries]))
    if len(out) == 1:
        out.append(_nothing("nothing known about it by then"))
    return out


def _timeline_tables(entity: Entity, entries) -> list[Any]:
    rows = [[e.date or f"undated, reported {e.reported or '?'}", e.type, e.status, e.subject.name,
             e.object.name, _short(e.evidence), _source(e.doc, e.outlet)] for e in entries]
    if not rows:
        return [_nothing(f"no events known for {entity.name}")]
    return [_table(f"Timeline of {entity.name}", ["Date", "Type", "Status", "Subject", "Object", "Evidence",
                                                  "Source"], rows)]


@app.command(epilog=EXIT_CODES)
@_command
def members(body: str = typer.Argument(..., help=BODY_HELP, metavar="BODY"),
            as_of: Optional[str] = typer.Option(None, "--as-of", help=f"{DATE_HELP} (default: --known-on, else "
                                                                      "today).", metavar="DATE"),
            known_on: Optional[str] = KNOWN_ON_OPTION,
            db: Optional[str] = DB_OPTION, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Who was in a body on a date: members, announced, prospective, former and negated."""
    from accords import query

    times = _times(as_of, known_on)
    with _open_store(db) as store:
        result = query.members(store, _resolve(store, body, "body"), **times)

    def rows():
        for section in result.SECTIONS:
            for e in getattr(result, section):
                yield {"section": section, **e.to_dict()}

    _emit(fmt, result.to_dict(), rows, lambda: _members_tables(result))


@app.command(epilog=EXIT_CODES)
@_command
def timeline(body: str = typer.Argument(..., help=BODY_HELP, metavar="BODY"),
             as_of: Optional[str] = AS_OF_OPTION, known_on: Optional[str] = KNOWN_ON_OPTION,
             db: Optional[str] = DB_OPTION, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """A body's joins, exits, signatures, applications, invitations and founding, in date order."""
    from accords import query

    times = _times(as_of, known_on)
    with _open_store(db) as store:
        entity = _resolve(store, body, "body")
        entries = query.timeline(store, entity, **times)
    data = [e.to_dict() for e in entries]

    _emit(fmt, data, lambda: data, lambda: _timeline_tables(entity, entries))


def _relation_rows(facts) -> list[list[Any]]:
    out = []
    for f in facts:
        ev = f.evidence
        status = f.status + (f" ({f.change})" if f.change and f.status not in ("up", "down") else "")
        out.append([f"{f.a.name} – {f.b.name}", status, *_span(f.valid_from, f.valid_to),
                    _short(ev.text if ev else ""), _source(ev.doc, ev.outlet) if ev else ""])
    return out


RELATION_COLUMNS = ["Pair", "Status", "From", "To", "Evidence", "Source"]


@app.command(epilog=EXIT_CODES)
@_command
def relations(country: str = typer.Argument(..., help=COUNTRY_HELP, metavar="COUNTRY"),
              other: Optional[str] = typer.Argument(None, help="A second state: only this pair.", metavar="[COUNTRY]"),
              as_of: Optional[str] = AS_OF_OPTION, known_on: Optional[str] = KNOWN_ON_OPTION,
              db: Optional[str] = DB_OPTION, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Diplomatic relations of a state with every partner, or of a pair: intervals and pending changes."""
    from accords import query

    times = _times(as_of, known_on)
    with _open_store(db) as store:
        a = _resolve(store, country, "country")
        b = _resolve(store, other, "country") if other else None
        facts = query.relations(store, a, b, **times)
    data = [f.to_dict() for f in facts]

    _emit(fmt, data, lambda: data, lambda: _relations_tables(a, b, facts))


def _relations_tables(a: Entity, b: Entity | None, facts) -> list[Any]:
    who = a.name + (f" and {b.name}" if b else "")
    if not facts:
        return [_nothing(f"no relations known for {who}")]
    return [_table(f"Relations of {who}", RELATION_COLUMNS, _relation_rows(facts))]


def _summit_rows(facts) -> list[list[Any]]:
    return [[f.date or "date unknown", f.gathering.name, f.type, f.status, ", ".join(p.name for p in f.participants),
             f.place if isinstance(f.place, str) else (json.dumps(f.place, ensure_ascii=False) if f.place else ""),
             _short(f.evidence.text if f.evidence else ""),
             _source(f.evidence.doc, f.evidence.outlet) if f.evidence else ""] for f in facts]


SUMMIT_COLUMNS = ["Date", "Gathering", "Type", "Status", "Participants", "Place", "Evidence", "Source"]


@app.command(epilog=EXIT_CODES)
@_command
def summits(body: Optional[str] = typer.Option(None, "--body", help="Only this gathering or format."),
            country: Optional[str] = typer.Option(None, "--country", help="Only gatherings this state attended."),
            as_of: Optional[str] = AS_OF_OPTION, known_on: Optional[str] = KNOWN_ON_OPTION,
            db: Optional[str] = DB_OPTION, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Summits and meetings, in date order, with their participants."""
    from accords import query

    times = _times(as_of, known_on)
    with _open_store(db) as store:
        b = _resolve(store, body, "body") if body else None
        c = _resolve(store, country, "country") if country else None
        facts = query.summits(store, b, c, **times)
    data = [f.to_dict() for f in facts]

    _emit(fmt, data, lambda: data, lambda: _summits_tables(facts))


def _summits_tables(facts) -> list[Any]:
    if not facts:
        return [_nothing("no summits or meetings known")]
    return [_table("Summits and meetings", SUMMIT_COLUMNS, _summit_rows(facts))]


@app.command(epilog=EXIT_CODES)
@_command
def country(name: str = typer.Argument(..., help=COUNTRY_HELP, metavar="COUNTRY"),
            as_of: Optional[str] = AS_OF_OPTION, known_on: Optional[str] = KNOWN_ON_OPTION,
            db: Optional[str] = DB_OPTION, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """Everything the news says about a state: memberships, relations, summits and counts."""
    from accords import query

    times = _times(as_of, known_on)
    with _open_store(db) as store:
        result = query.country(store, _resolve(store, name, "country"), **times)
    c = result.country

    def rows():
        for section in ("memberships", "relations", "summits"):
            for f in getattr(result, section):
                yield {"section": section, **f.to_dict()}

    def tables():
        n = result.counts
        out: list[Any] = [Text(f"{c.name} ({c.id}): {n.get('assertions', 0)} facts in {n.get('documents', 0)} "
                               "documents", style="bold")]
        if result.memberships:
            out.append(_table("Memberships", ["Body", "Status", "From", "To", "Evidence", "Source"], [
                [f.body.name, f.status, *_span(f.valid_from, f.valid_to), _short(f.evidence.text if f.evidence
                                                                                 else ""),
                 _source(f.evidence.doc, f.evidence.outlet) if f.evidence else ""] for f in result.memberships]))
        if result.relations:
            out.append(_table("Relations", RELATION_COLUMNS, _relation_rows(result.relations)))
        if result.summits:
            out.append(_table("Summits and meetings", SUMMIT_COLUMNS, _summit_rows(result.summits)))
        if len(out) == 1:
            out.append(_nothing("nothing known about it"))
        return out

    _emit(fmt, result.to_dict(), rows, tables)


@app.command(epilog=EXIT_CODES)
@_command
def events(type_: Optional[list[EventType]] = typer.Option(None, "--type", "-t", help="Event type (repeatable)."),
           status: Optional[list[Status]] = typer.Option(None, "--status", "-s", help="Status (repeatable)."),
           since: Optional[str] = typer.Option(None, "--since", help=f"From this date: {DATE_HELP}.",
                                               metavar="DATE"),
           until: Optional[str] = typer.Option(None, "--until", help=f"Up to this date: {DATE_HELP}.",
                                               metavar="DATE"),
           body: Optional[str] = typer.Option(None, "--body", help="Only events about this body."),
           country: Optional[str] = typer.Option(None, "--country", help="Only events naming this state."),
           as_of: Optional[str] = AS_OF_OPTION, known_on: Optional[str] = KNOWN_ON_OPTION,
           db: Optional[str] = DB_OPTION, fmt: OutputFormat = FORMAT_OPTION) -> None:
    """The stored events themselves (one per article statement), in date order, with filters."""
    from accords import query

    lo, hi = _date_option(since, "--since"), _date_option(until, "--until")
    times = _times(as_of, known_on)
    with _open_store(db) as store:
        b = _resolve(store, body, "body").id if body else None
        c = _resolve(store, country, "country").id if country else None
        found = query.events(store, type=[t.value for t in type_ or []] or None,
                             status=[s.value for s in status or []] or None, since=lo, until=hi, body=b, country=c,
                             **times)
    data = [sa.record() for sa in found]

    def tables():
        if not found:
            return [_nothing("no events match")]
        rows = [[sa.assertion.date or f"undated, reported {sa.reported or '?'}", sa.assertion.type.value,
                 sa.assertion.status.value, sa.assertion.subject.name, sa.assertion.object.name,
                 _short(sa.assertion.evidence.text), _source(sa.assertion.doc, sa.outlet)] for sa in found]
        return [_table(f"{len(found)} events", ["Date", "Type", "Status", "Subject", "Object", "Evidence", "Source"],
                       rows)]

    _emit(fmt, data, lambda: data, tables)


# ---------------------------------------------------------------------------
# demo


@app.command(epilog=EXIT_CODES)
@_command
def demo(article: Optional[Path] = typer.Argument(None, help="The article to ingest (default: the example "
                                                  "article in ../shared/examples, or $ACCORDS_SHARED/examples)."),
         db: Optional[str] = typer.Option(None, "--db", help=DB_HELP + " ':memory:' keeps nothing.",
                                          metavar="URL"),
         published: Optional[str] = typer.Option(None, "--published", metavar="DATE",
                                                 help=f"Publication date of the article (default: {DEMO_PUBLISHED} "
                                                      "for the example article).")) -> None:
    """Ingest an article (by default the Kazakhstan / Abraham Accords example) and show what was learned."""
    from accords import query

    article = article or demo_article()
    if not article.is_file():
        raise UsageError(f"no article at {article}; pass one: accords demo PATH/TO/ARTICLE.txt "
                         "--published YYYY-MM-DD")
    if published is None and article.name == DEMO_NAME:
        published = DEMO_PUBLISHED
    with _open_store(db, must_exist=False) as store:
        counts = _ingest(store, [str(article)], _published_option(published))
        typer.echo(f"ingested {counts.documents} documents ({counts.facts} facts), {counts.already} already "
                   f"stored, {counts.skipped} skipped\n")
        aa, isr = _resolve(store, "Abraham Accords"), _resolve(store, "Israel")
        tables = [*_members_tables(query.members(store, aa, as_of="2025-11-07")),
                  *_relations_tables(isr, None, query.relations(store, isr)),
                  *_summits_tables(query.summits(store)),
                  *_timeline_tables(aa, query.timeline(store, aa))]
    _print(*tables)
    raise typer.Exit(counts.exit_code)


def demo_article() -> Path:
    """The example article: in the shared folder beside the repository ($ACCORDS_SHARED overrides)."""
    shared = os.environ.get("ACCORDS_SHARED") or Path(__file__).resolve().parents[2] / "shared"
    return Path(shared) / "examples" / DEMO_NAME


from accords.commands import serve as _serve  # noqa: E402  (accords serve: the HTTP API and web page)

_serve.register(app)


from accords.commands import db as _db_commands  # noqa: E402  (accords db: migrate, stats, copy)

_db_commands.register(app)


from accords.commands import sources as _sources_commands  # noqa: E402  (accords watch, accords stories)

_sources_commands.register(app)

from accords.commands import kb as _kb_commands  # noqa: E402  (conflicts, changes, explain, reference)

_kb_commands.register(app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="accords")
