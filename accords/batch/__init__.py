"""Extraction at scale: local processes, or a Dask distributed cluster, feeding the one writer.

    from accords.batch import BatchOptions, ingest
    report = ingest(store, documents)                                      # this process
    report = ingest(store, documents, BatchOptions(workers=0))             # one process per core
    report = ingest(store, documents, BatchOptions(scheduler="tcp://scheduler:8786"))   # a Dask cluster
    report = ingest(store, documents, BatchOptions(scheduler=client))      # e.g. a dask-jobqueue SLURMCluster's

Documents are read lazily and cut into partitions; the partitions not yet
stored are extracted by the chosen runner (a bounded number in flight) and
come back in input order to this process, which alone writes to the store, a
partition per transaction. So memory stays bounded whatever the corpus size,
and the store ends up exactly as after a single-process run of the same input:
same documents, same assertions in the same order, same facts. Content already
stored is never sent for extraction, so an interrupted run is simply rerun.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from accords.batch.local import BatchError, InProcess, ProcessPool, cpu_count
from accords.batch.partitions import chunked, in_order
from accords.model import Assertion, Document
from accords.store import IngestReport, Store

__all__ = ["BatchOptions", "BatchError", "IngestEvent", "ingest", "ingest_stream", "extract_stream", "runner",
           "cpu_count"]

ADDED, SKIPPED, FAILED = "added", "skipped", "failed"


@dataclass(frozen=True)
class BatchOptions:
    """How to run a batch.

    workers: local processes (1: this process; 0: one per core); with
      scheduler='local', the number of Dask workers.
    scheduler: a Dask scheduler address (tcp://host:8786), 'local' (a Dask
      LocalCluster on this machine), or a distributed.Client; None: no Dask.
    partition_size: documents per task (and per store transaction).
    window: partitions queued or running at once (default: two per worker,
      plus two on Dask); with partition_size, what bounds memory.
    retries: times Dask retries a partition whose task raised.
    """

    workers: int = 1
    scheduler: Any = None
    partition_size: int = 64
    window: int | None = None
    retries: int = 2

    def __post_init__(self) -> None:
        if self.workers < 0:
            raise BatchError(f"workers must be 0 (one per core) or more, not {self.workers}")
        if self.partition_size < 1:
            raise BatchError(f"partition size must be at least 1, not {self.partition_size}")
        if self.window is not None and self.window < 1:
            raise BatchError(f"window must be at least 1, not {self.window}")


@dataclass
class IngestEvent:
    """What happened to one document: added, skipped (content already stored) or failed (message says why)."""

    document: Document
    outcome: str
    assertions: list[Assertion] = field(default_factory=list)
    message: str | None = None


def runner(options: BatchOptions):
    """The runner (a context manager) that `options` asks for."""
    if options.scheduler is not None and options.scheduler != "":
        from accords.batch.dask import DaskRunner

        return DaskRunner(options.scheduler, workers=options.workers, window=options.window,
                          retries=options.retries)
    workers = options.workers or cpu_count()
    if workers == 1:
        return InProcess()
    return ProcessPool(workers, window=options.window)


def extract_stream(documents: Iterable[Document], options: BatchOptions = BatchOptions()
                   ) -> Iterator[tuple[Document, list[Assertion]]]:
    """Each document with its assertions, in input order (as accords.extract.extract_docs, but in parallel)."""
    with runner(options) as run:
        for part, result in in_order(chunked(documents, options.partition_size, first=1), run.submit, run.wait,
                                     run.window):
            yield from zip(part, result.assertions)


def ingest_stream(store: Store, documents: Iterable[Document], options: BatchOptions = BatchOptions()
                  ) -> Iterator[IngestEvent]:
    """Extract and store documents; one IngestEvent per document, as each partition is stored.

    Added and failed documents come in input order; skipped ones (content
    already stored, so not extracted again) as soon as they are read.
    """
    with runner(options) as run:
        yield from _ingest(store, documents, options, run)


def _ingest(store: Store, documents: Iterable[Document], options: BatchOptions, run) -> Iterator[IngestEvent]:
    known: deque[IngestEvent] = deque()  # already stored: never sent for extraction, reported as read

    def new_only(parts: Iterable[list[Document]]) -> Iterator[list[Document]]:
        for part in parts:
            stored = store.known_hashes(d.content_hash for d in part)
            fresh = [d for d in part if d.content_hash not in stored]
            known.extend(IngestEvent(d, SKIPPED) for d in part if d.content_hash in stored)
            if fresh:
                yield fresh

    parts = new_only(chunked(documents, options.partition_size, first=1))
    for part, result in in_order(parts, run.submit, run.wait, run.window):
        yield from _drain(known)
        items = list(zip(part, result.assertions))
        for (doc, found), (outcome, message) in zip(items, store.ingest_batch(items)):
            yield IngestEvent(doc, outcome, found if outcome == ADDED else [], message)
    yield from _drain(known)


def _drain(events: deque[IngestEvent]) -> Iterator[IngestEvent]:
    while events:
        yield events.popleft()


def ingest(store: Store, documents: Iterable[Document], options: BatchOptions = BatchOptions()) -> IngestReport:
    """Extract and store documents (see ingest_stream); what was added, skipped and failed."""
    report = IngestReport()
    for event in ingest_stream(store, documents, options):
        if event.outcome == FAILED:
            report.failed.append((event.document.id, event.message or "failed"))
        else:
            getattr(report, event.outcome).append(event.document.id)
    return report
