"""`accords conflicts | changes | explain | reference`: the knowledge base's sources, changes and reference data."""
# No `from __future__ import annotations`: Typer reads the option types at run time.

from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer


class ChangesFormat(str, Enum):
    lines = "lines"
    json = "json"
    atom = "atom"


class TextFormat(str, Enum):
    text = "text"
    json = "json"


class ConflictKind(str, Enum):
    status = "status"
    date = "date"
    negation = "negation"


def _side_cell(side: dict[str, Any], short) -> str:
    ev = side["evidence"]
    n = side["sources"]
    who = ", ".join(side["outlets"]) or ev.get("doc") or ""
    return (f"{side['claim']}\n{n} source{'s' * (n != 1)}: {who}\n\u201c{short(ev['text'], 160)}\u201d"
            f"\n{ev.get('doc') or ''} {ev.get('published') or ''}".rstrip())


def _names(values: Optional[list[str]], usage_error) -> dict[str, str]:
    out = {}
    for v in values or []:
        if "=" not in v:
            raise usage_error(f"--name {v!r}: give VALUE=BODY, e.g. --name 3180=NATO")
        k, _, body = v.partition("=")
        out[k.strip()] = body.strip()
    return out


def register(app: typer.Typer) -> None:
    from accords import cli
    from accords.cli import (AS_OF_OPTION, DB_OPTION, EXIT_CODES, FORMAT_OPTION, KNOWN_ON_OPTION, SKIPPED,
                             OutputFormat, UsageError, _command, _emit, _nothing, _open_store, _print, _print_json,
                             _resolve, _say, _short, _table, _times)

    @app.command(epilog=EXIT_CODES)
    @_command
    def conflicts(body: Optional[str] = typer.Option(None, "--body", help="Only about this body's members."),
                  country: Optional[str] = typer.Option(None, "--country",
                                                        help="Only about this state's memberships and relations."),
                  kind: Optional[ConflictKind] = typer.Option(None, "--kind", help="Only this kind: status "
                                                              "(member vs. not), date, negation (did vs. did not)."),
                  known_on: Optional[str] = KNOWN_ON_OPTION, db: Optional[str] = DB_OPTION,
                  fmt: OutputFormat = FORMAT_OPTION) -> None:
        """Where sources disagree: member vs. not, different dates, did vs. did not; the evidence side by side."""
        from accords.kb import conflicts as kc

        when = _times(None, known_on)["known_on"]
        with _open_store(db) as store:
            b = _resolve(store, body, "body").id if body else None
            c = _resolve(store, country, "country").id if country else None
            found = kc.conflicts(store, body=b, country=c, kind=kind.value if kind else None, known_on=when)
        data = [x.to_dict() for x in found]

        def rows():
            for x in found:
                for n, s in enumerate(x.sides):
                    yield {"kind": x.kind, "field": x.field, "subject": x.subject.name, "object": x.object.name,
                           "side": "held" if n == 0 else "disagrees", "claim": s["claim"], "sources": s["sources"],
                           "outlets": s["outlets"], "evidence": s["evidence"]["text"], "doc": s["evidence"]["doc"],
                           "assertions": s["assertions"]}

        def tables():
            if not found:
                return [_nothing("no disagreements between sources")]
            return [_table(f"{len(found)} disagreement{'s' * (len(found) != 1)} between sources",
                           ["Who", "Kind", "What accords holds", "Disagreeing"],
                           [[f"{x.subject.name} – {x.object.name}\n({x.fact}, conf {x.confidence:.2f})", x.kind,
                             _side_cell(x.sides[0], _short),
                             "\n\n".join(_side_cell(s, _short) for s in x.sides[1:])] for x in found])]

        _emit(fmt, data, rows, tables)

    @app.command(epilog=EXIT_CODES)
    @_command
    def changes(since: str = typer.Option(..., "--since", metavar="DATE",
                                          help=f"Changes first reported on or after this date: {cli.DATE_HELP}."),
                until: Optional[str] = typer.Option(None, "--until", metavar="DATE",
                                                    help="...and on or before this one (what was known then)."),
                body: Optional[str] = typer.Option(None, "--body", help="Only this body's members."),
                country: Optional[str] = typer.Option(None, "--country",
                                                      help="Only this state's memberships and relations."),
                kind: Optional[list[str]] = typer.Option(None, "--kind", metavar="KIND",
                                                         help="Only these kinds (repeatable): joined, left, "
                                                              "announced, applied, invited, sought, exit_announced, "
                                                              "exit_reversed, denied, relations_established, "
                                                              "relations_restored, relations_cut, ..."),
                background: bool = typer.Option(False, "--background",
                                                help="Also steps reported long after they took effect "
                                                     "(an article's background)."),
                fmt: ChangesFormat = typer.Option(ChangesFormat.lines, "--format", "-f",
                                                  help="lines, json, or atom (an Atom feed to follow)."),
                db: Optional[str] = DB_OPTION) -> None:
        """What changed in the knowledge base since a date: new members, exits, status changes, relations
        established or cut; as lines, JSON or an Atom feed."""
        from accords.kb import changes as kch

        lo, hi = cli._date_option(since, "--since"), cli._date_option(until, "--until")
        with _open_store(db) as store:
            b = _resolve(store, body, "body") if body else None
            c = _resolve(store, country, "country") if country else None
            found = kch.changes(store, since=lo, until=hi, body=b.id if b else None, country=c.id if c else None,
                                kinds=kind or None, background=background)
        if fmt is ChangesFormat.json:
            _print_json([x.to_dict() for x in found])
        elif fmt is ChangesFormat.atom:
            scope = (b or c).name if (b or c) else "everything"
            typer.echo(kch.atom_feed(found, title=f"accords: changes in {scope} since {lo}",
                                     feed_id=kch.feed_id((b or c).id if (b or c) else None)))
        elif not found:
            _say(f"no changes reported since {lo}" + (f" until {hi}" if hi else ""))
        else:
            for x in found:
                typer.echo(x.line())

    @app.command(epilog=EXIT_CODES)
    @_command
    def explain(member: str = typer.Argument(..., metavar="MEMBER", help="A state (or the first of a pair)."),
                body: str = typer.Argument(..., metavar="BODY", help="A body (or the second state of a pair)."),
                as_of: Optional[str] = AS_OF_OPTION, known_on: Optional[str] = KNOWN_ON_OPTION,
                fmt: TextFormat = typer.Option(TextFormat.text, "--format", "-f", help="text or json."),
                db: Optional[str] = DB_OPTION) -> None:
        """Why accords believes what it does about a member of a body (or two states' relations), in plain
        words, citing each article."""
        from accords.kb.explain import explain as run

        times = _times(as_of, known_on)
        with _open_store(db) as store:
            m = _resolve(store, member, "country")
            o = _resolve(store, body)
            result = run(store, m, o, **times)
        if fmt is TextFormat.json:
            _print_json(result.to_dict())
        else:
            typer.echo(result.text(), nl=False)

    ref_app = typer.Typer(help="Curated membership data (Wikidata exports, Correlates of War / ATOP style CSV) "
                               "and where the news disagrees with it.", no_args_is_help=True, epilog=EXIT_CODES)
    app.add_typer(ref_app, name="reference")

    @ref_app.command("import", epilog=EXIT_CODES)
    @_command
    def import_(path: Path = typer.Argument(..., metavar="FILE.csv", help="CSV or TSV: organization, member, "
                                            "joined, left, source (other usual column names are read too)."),
                dataset: Optional[str] = typer.Option(None, "--dataset", help="Its name (default: the file's "
                                                      "name). Importing the same name again replaces it."),
                organization: Optional[str] = typer.Option(None, "--organization", metavar="BODY",
                                                           help="The body of every row, for a file without an "
                                                                "organization column."),
                name: Optional[list[str]] = typer.Option(None, "--name", metavar="VALUE=BODY",
                                                         help="Name an organization value the gazetteer does not "
                                                              "know, e.g. an ATOP id: --name 3180=NATO "
                                                              "(repeatable)."),
                db: Optional[str] = DB_OPTION) -> None:
        """Load curated membership data to compare the news with (accords reference diff)."""
        from accords.kb import reference

        if not path.is_file():
            raise UsageError(f"no file at {path}")
        with _open_store(db, must_exist=False) as store:
            report = reference.import_csv(store, path, dataset=dataset, organization=organization,
                                          names=_names(name, UsageError))
        bodies = ", ".join(f"{k} {v}" for k, v in sorted(report.bodies.items()))
        typer.echo(f"imported {report.imported} memberships into dataset {report.dataset!r} ({report.format}) from "
                   f"{report.read} rows, {len(report.skipped)} skipped" + (f"; {bodies}" if bodies else ""))
        for line, reason in report.skipped[:20]:
            _say(f"{path}:{line}: skipped: {reason}", "yellow")
        if len(report.skipped) > 20:
            _say(f"... and {len(report.skipped) - 20} more skipped rows", "yellow")
        if report.skipped:
            raise typer.Exit(SKIPPED)

    @ref_app.command("list", epilog=EXIT_CODES)
    @_command
    def list_(db: Optional[str] = DB_OPTION, fmt: OutputFormat = FORMAT_OPTION) -> None:
        """The imported reference datasets."""
        from accords.kb import reference

        with _open_store(db) as store:
            found = reference.datasets(store)
        _emit(fmt, found, lambda: found, lambda: [_table("Reference datasets", ["Dataset", "Rows", "Bodies",
                                                                               "Members", "Imported"],
                                                         [list(d.values()) for d in found])] if found
              else [_nothing("no reference data: accords reference import FILE.csv")])

    @ref_app.command("diff", epilog=EXIT_CODES)
    @_command
    def diff(dataset: Optional[str] = typer.Option(None, "--dataset", help="Only this dataset."),
             body: Optional[str] = typer.Option(None, "--body", help="Only this body."),
             kind: Optional[list[str]] = typer.Option(None, "--kind", metavar="KIND",
                                                      help="Only these kinds (repeatable): news_only, "
                                                           "reference_only, status, joined_date, left_date."),
             as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE",
                                                 help="Compare only who was a member on this date."),
             known_on: Optional[str] = KNOWN_ON_OPTION, db: Optional[str] = DB_OPTION,
             fmt: OutputFormat = FORMAT_OPTION) -> None:
        """Where the news and the reference disagree: members only the news reports (news ahead of the
        reference), reference members the news never mentions, different statuses and dates."""
        from accords.kb import reference

        times = _times(as_of, known_on)
        with _open_store(db) as store:
            b = _resolve(store, body, "body").id if body else None
            found = reference.diff(store, dataset=dataset, body=b, kinds=kind or None, **times)
        data = [d.to_dict() for d in found]

        def tables():
            if not found:
                return [_nothing("the news and the reference agree")]
            rows = []
            for d in found:
                ev = (d.news or {}).get("evidence") or {}
                news = "" if not d.news else (f"{d.news['status']} {d.news['valid_from'] or ''}"
                                              f"{' to ' + d.news['valid_to'] if d.news['valid_to'] else ''}"
                                              f" ({d.news['sources']} src)")
                ref = "" if not d.reference else (f"{d.reference['joined'] or '?'}"
                                                  f"{' to ' + d.reference['left'] if d.reference['left'] else ''}")
                rows.append([d.body.name, d.member.name, d.kind, news, ref, d.note,
                             _short(ev.get("text"), 70) if ev else ""])
            return [_table(f"{len(found)} difference{'s' * (len(found) != 1)} between the news and the reference",
                           ["Body", "Member", "Kind", "News", "Reference", "Note", "Evidence"], rows)]

        _emit(fmt, data, lambda: data, tables)
