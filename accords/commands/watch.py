"""`accords watch FEEDS.txt --every 15m`: poll feeds, ingest new entries, print each fact that changes.

Each change is one JSON line on stdout (or one line of text with --format
text), flushed at once, so a script can read them as they come:

    {"change": "new", "kind": "membership", "key": "NOR|mercosur", "status": "announced", "previous": null,
     "fact": {...}, "detected_at": "2026-03-02T10:15:00+00:00"}

change: "new" (a fact the knowledge base did not have) or "changed" (its
status moved, e.g. announced -> member, up -> down). kind: membership,
relation or summit. Skips and progress go to stderr.
"""
from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

from accords.commands import reading
from accords.sources import read_url_list
from accords.sources.ingest import Ingest
from accords.sources.records import Link

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


class WatchFormat(str, Enum):
    jsonl = "jsonl"
    text = "text"


def parse_every(value: str) -> float:
    """Seconds from '15m', '1h', '30s', '2d' or a plain number of seconds."""
    m = _DURATION.match(value or "")
    if not m or float(m[1]) <= 0:
        from accords.cli import UsageError

        raise UsageError(f"--every: {value!r} is not a duration; use e.g. 30s, 15m, 1h or 1d")
    return float(m[1]) * _UNITS[(m[2] or "s").lower()]


def snapshot(store) -> dict[tuple[str, str], dict[str, Any]]:
    """The knowledge base's current state: (kind, key) -> the latest fact of that member/pair/gathering."""
    state: dict[tuple[str, str], dict[str, Any]] = {}
    for f in store.memberships():
        d = f.to_dict()
        state[("membership", f"{d['member']['id']}|{d['body']['id']}")] = d
    for f in store.relation_facts():
        d = f.to_dict()
        state[("relation", "|".join(sorted((d["a"]["id"], d["b"]["id"]))))] = d
    for f in store.summit_facts():
        d = f.to_dict()
        state[("summit", f"{d['gathering']['id']}|{d.get('date') or ''}")] = d
    return state


def changes(before: dict, after: dict, now: str) -> list[dict[str, Any]]:
    """What is new or has a new status in `after`, in a stable order."""
    out = []
    for (kind, key), fact in after.items():
        old = before.get((kind, key))
        if old is not None and old.get("status") == fact.get("status"):
            continue
        out.append({"change": "new" if old is None else "changed", "kind": kind, "key": key,
                    "status": fact.get("status"), "previous": old.get("status") if old else None,
                    "fact": fact, "detected_at": now})
    return out


def describe(change: dict[str, Any]) -> str:
    """One line of text for a change."""
    f = change["fact"]
    if change["kind"] == "membership":
        what = f"{f['member']['name']} in {f['body']['name']}"
    elif change["kind"] == "relation":
        what = f"relations {f['a']['name']} – {f['b']['name']}"
    else:
        names = ", ".join(p["name"] for p in f.get("participants") or [])
        what = f"{f['gathering']['name']} {f.get('date') or ''}".strip() + (f" ({names})" if names else "")
    status = change["status"] if change["change"] == "new" else f"{change['previous']} -> {change['status']}"
    return f"{change['detected_at']} {change['change']} {change['kind']}: {what}: {status}"


def register(app: typer.Typer) -> None:
    from accords.cli import DB_HELP, EXIT_CODES, OK, SKIPPED, _command, _console, _open_store

    @app.command(epilog=EXIT_CODES)
    @_command
    def watch(feeds: Path = typer.Argument(..., help="A file of feed URLs (RSS or Atom), one per line.",
                                           metavar="FEEDS.txt"),
              every: str = typer.Option("15m", "--every", help="Time between two polls: 30s, 15m, 1h, 1d.",
                                        metavar="DURATION"),
              rounds: int = typer.Option(0, "--rounds", min=0, help="Stop after N polls (0: run until Ctrl-C).",
                                         metavar="N"),
              db: Optional[str] = typer.Option(None, "--db", help=DB_HELP, metavar="URL"),
              fmt: WatchFormat = typer.Option(WatchFormat.jsonl, "--format", "-f",
                                              help="jsonl: one JSON object per change; text: one line each."),
              errors: Optional[Path] = reading.ERRORS_OPTION,
              allow_private: bool = reading.PRIVATE_OPTION,
              ignore_robots: bool = reading.ROBOTS_OPTION) -> None:
        """Poll feeds, ingest their new entries, and print each fact that changes the knowledge base.

        A new member, a status change (announced -> member), relations cut, a new summit: one line each on
        stdout as it is found. Entries already stored are not fetched again; an unchanged feed costs one
        conditional request.
        """
        seconds = parse_every(every)
        err = _console(stderr=True)
        urls, skipped = _feed_urls(feeds, err)
        options = reading.read_options(None, allow_private=allow_private, ignore_robots=ignore_robots)
        with reading.errors_file(errors) as fh, _open_store(db, must_exist=False) as store, \
                Ingest(store, options) as run:
            run.reporter = reading.ConsoleReporter(err, run.stats, fh, verb="watching")
            n = 0
            try:
                while True:
                    n += 1
                    before = snapshot(store)
                    run.store_documents(run.reader.refresh(urls))
                    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
                    for change in changes(before, snapshot(store), now):
                        line = json.dumps(change, ensure_ascii=False) if fmt is WatchFormat.jsonl \
                            else describe(change)
                        typer.echo(line)
                    if rounds and n >= rounds:
                        break
                    time.sleep(seconds)
            except KeyboardInterrupt:
                err.print(f"accords: watch stopped after {n} polls ({run.stats.ingested} documents stored)",
                          soft_wrap=True)
        raise typer.Exit(SKIPPED if skipped or run.stats.skipped else OK)


def _feed_urls(path: Path, console) -> tuple[list[str], int]:
    from accords.cli import UsageError

    if not path.is_file():
        raise UsageError(f"no feed list at {path}; give a file with one feed URL per line")
    urls, skipped = [], 0
    for item in read_url_list(str(path)):
        if isinstance(item, Link):
            urls.append(item.url)
        else:
            skipped += 1
            console.print(f"accords: skipped {item.message}", soft_wrap=True, style="red")
    if not urls:
        raise UsageError(f"{path} holds no feed URLs")
    return urls, skipped
