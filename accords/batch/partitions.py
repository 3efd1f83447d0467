"""What every runner shares: documents cut into partitions, the task run on a partition, results in order.

The task (`extract_partition`) is the same function in this process, in a
local process pool and on a Dask worker: it runs `accords.extract.extract_docs`
over one partition and sends back only the assertions (the caller still holds
the documents). `in_order` keeps a bounded number of partitions in flight and
yields their results in input order, so a parallel run stores exactly what a
single-process run stores, in the same order, with memory bounded by
`window x partition size` documents whatever the corpus size.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

from accords.model import EXTRACTOR, Assertion, Document

T = TypeVar("T")


@dataclass
class PartitionResult:
    """The assertions of each document of a partition, in order, and the extractor that found them."""

    extractor: str
    assertions: list[list[Assertion]]


def chunked(items: Iterable[T], size: int, first: int | None = None) -> Iterator[list[T]]:
    """Lists of `size` items (the last may be shorter), read lazily.

    With `first`, the lists start at that size and double up to `size` (1, 2, 4, ... 64): the first
    documents are stored, and shown, within moments, and the later ones in efficient big batches.
    """
    it = iter(items)
    n = min(first or size, size)
    while chunk := list(islice(it, n)):
        yield chunk
        n = min(2 * n, size)


def extract_partition(documents: list[Document], batch_size: int = 32) -> PartitionResult:
    """Run the accords pipeline (loaded once per process) over one partition."""
    from accords.extract import extract_docs

    return PartitionResult(EXTRACTOR, [found for _, found in extract_docs(documents, batch_size=batch_size)])


def load_model() -> None:
    """Load the pipeline now (a worker's start-up), so that the first partition does not pay for it."""
    from accords.extract import pipeline

    pipeline()


def in_order(partitions: Iterable[list[Document]], submit: Callable[[list[Document]], Any],
             wait: Callable[[Any], PartitionResult], window: int) -> Iterator[tuple[list[Document], PartitionResult]]:
    """Submit partitions, at most `window` pending at once, and yield (partition, result) in input order."""
    pending: deque = deque()
    for part in partitions:
        pending.append((part, submit(part)))
        if len(pending) >= window:
            part, handle = pending.popleft()
            yield part, wait(handle)
    while pending:
        part, handle = pending.popleft()
        yield part, wait(handle)
