"""Runners in this machine: in this process, or in a pool of local processes (one per core).

Pool workers are started with the 'spawn' method (no fork of a process that
may already hold threads, a database connection or the model) and load the
model once each, at start-up.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from accords.batch.partitions import PartitionResult, extract_partition, load_model
from accords.errors import AccordsError
from accords.model import Document


def _worker_start() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    load_model()


class BatchError(AccordsError):
    """Parallel extraction could not go on (a worker died, the cluster is unreachable, ...)."""


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class InProcess:
    """Extraction in this process, one partition at a time."""

    workers = 1
    window = 1

    def __enter__(self) -> "InProcess":
        return self

    def __exit__(self, *exc) -> None:
        pass

    def submit(self, part: list[Document]) -> list[Document]:
        return part  # extracted when its result is asked for

    def wait(self, part: list[Document]) -> PartitionResult:
        return extract_partition(part)

    def describe(self) -> str:
        return "in this process"


class ProcessPool:
    """Extraction in `workers` local processes; `window` partitions in flight (default two per worker)."""

    def __init__(self, workers: int, window: int | None = None):
        self.workers = workers
        self.window = window or 2 * workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "ProcessPool":
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_worker_start)
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def submit(self, part: list[Document]) -> Future:
        try:
            return self._pool.submit(extract_partition, part)
        except BrokenProcessPool as exc:
            raise self._died() from exc

    def wait(self, future: Future) -> PartitionResult:
        try:
            return future.result()
        except BrokenProcessPool as exc:
            raise self._died() from exc

    def _died(self) -> BatchError:
        return BatchError("a worker process died (killed, or out of memory?); what was stored before stays "
                          "stored: rerun the same command to go on, with fewer --workers if memory is short, or "
                          "use a Dask cluster (--scheduler), which retries a lost worker's partitions")

    def describe(self) -> str:
        return f"in {self.workers} local processes"
