"""Extraction on a Dask distributed cluster: any scheduler the user already runs, or a LocalCluster.

    with DaskRunner("tcp://scheduler:8786") as runner:     # or a distributed.Client, or "local"
        ...

- The model loads once per worker, when the worker joins (a WorkerPlugin,
  registered idempotently, so a restarted or added worker loads it too).
- Partitions are submitted as tasks (`retries` for exceptions); at most
  `window` are queued or running at once, so neither this process nor the
  cluster holds more than that many partitions whatever the corpus size.
- A worker that dies takes no data with it: the scheduler hands its tasks to
  the others (up to Dask's `distributed.scheduler.allowed-failures` deaths per
  task), and results are read in input order, so nothing is lost or reordered.
- Workers need accords and its model installed (`pip install accords[dask]`
  there too); a worker running another accords version is refused, since its
  facts would differ.

A cluster on Kubernetes, YARN or SLURM (dask-kubernetes, dask-yarn,
dask-jobqueue) gives a Client like any other: pass it as `scheduler`.
"""
from __future__ import annotations

import logging
from typing import Any

from accords.batch.local import BatchError, cpu_count
from accords.batch.partitions import PartitionResult, extract_partition
from accords.model import EXTRACTOR, Document

PLUGIN_NAME = "accords-model"


def _distributed():
    try:
        import distributed
    except ImportError as exc:
        raise BatchError("Dask is not installed: pip install 'accords[dask]' (here and on the workers), "
                         "or leave out --scheduler") from exc
    return distributed


def model_plugin():
    """The WorkerPlugin that loads the accords pipeline once on each worker."""
    distributed = _distributed()

    class AccordsModel(distributed.WorkerPlugin):
        name = PLUGIN_NAME
        idempotent = True

        def setup(self, worker) -> None:
            from accords.batch.partitions import load_model

            load_model()

    return AccordsModel()


class DaskRunner:
    """Partitions as Dask tasks. `scheduler`: an address (tcp://host:8786), 'local', or a distributed.Client."""

    def __init__(self, scheduler: Any, workers: int = 0, window: int | None = None, retries: int = 2):
        self.scheduler = scheduler
        self.local_workers = workers or cpu_count()
        self.retries = retries
        self._window = window
        self.client = None
        self._owned: list[Any] = []  # what this runner started and must close

    # -- lifecycle ------------------------------------------------------------
    def __enter__(self) -> "DaskRunner":
        distributed = _distributed()
        try:
            if isinstance(self.scheduler, distributed.Client):
                self.client = self.scheduler
            elif self.scheduler == "local":
                cluster = distributed.LocalCluster(n_workers=self.local_workers, threads_per_worker=1,
                                                   processes=True, dashboard_address=None,
                                                   silence_logs=logging.ERROR)
                self._owned.append(cluster)
                self.client = distributed.Client(cluster)
                self._owned.insert(0, self.client)
            else:
                self.client = distributed.Client(str(self.scheduler))  # timeout: distributed.comm.timeouts.connect
                self._owned.append(self.client)
            self.client.register_plugin(model_plugin())
            self._check_versions()
        except BatchError:
            self.__exit__(None, None, None)
            raise
        except (OSError, TimeoutError) as exc:
            self.__exit__(None, None, None)
            raise BatchError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}. Start one (dask "
                             "scheduler; dask worker ADDRESS) or fix --scheduler / DASK_SCHEDULER_ADDRESS") from exc
        return self

    def __exit__(self, *exc) -> None:
        for thing in self._owned:
            try:
                thing.close()
            except Exception:  # noqa: BLE001 - closing must not hide the error that ended the run
                pass
        self._owned = []

    def _check_versions(self) -> None:
        from accords import __version__

        def version() -> str:
            import accords

            return accords.__version__

        try:
            seen = self.client.run(version)
        except Exception as exc:  # a worker without accords fails to unpickle the function
            raise BatchError(f"the Dask workers cannot run accords ({exc}); install the same accords there: "
                             f"pip install 'accords[dask]=={__version__}'") from exc
        other = {v for v in seen.values() if v != __version__}
        if other:
            raise BatchError(f"Dask workers run accords {', '.join(sorted(other))}, this client {__version__}; "
                             "install the same version on the workers so that they find the same facts")

    # -- the runner protocol (see accords.batch.partitions.in_order) ------------
    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    @property
    def window(self) -> int:
        return self._window or 2 * self.workers + 2

    def submit(self, part: list[Document]):
        return self.client.submit(extract_partition, part, retries=self.retries, pure=False)

    def wait(self, future) -> PartitionResult:
        distributed = _distributed()
        try:
            result = future.result()
        except distributed.client.FutureCancelledError as exc:
            raise BatchError(f"the Dask cluster cancelled a partition ({exc}); rerun to go on") from exc
        except distributed.KilledWorker as exc:
            raise BatchError("a partition killed the Dask workers running it several times (out of memory? "
                             "a huge document?); what was stored before stays stored. Use smaller "
                             "partitions or workers with more memory, then rerun") from exc
        if result.extractor != EXTRACTOR:
            raise BatchError(f"a Dask worker extracted with {result.extractor}, this client is {EXTRACTOR}; "
                             "install the same accords on the workers")
        return result

    def describe(self) -> str:
        where = ("a local Dask cluster" if self.scheduler == "local"
                 else f"the Dask cluster at {self.client.scheduler.address}")
        return f"on {where} ({self.workers} workers)"
