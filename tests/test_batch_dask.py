"""Extraction on a real Dask cluster (a LocalCluster of two worker processes): same facts, model once per worker,
nothing lost when a worker is killed mid-run."""
from __future__ import annotations

import os
import signal
import time

import pytest

from accords.batch import BatchError, BatchOptions, ingest, ingest_stream
from accords.store import open_store
from tests.test_batch import corpus, single_run, snapshot  # noqa: F401  (single_run is a fixture)

distributed = pytest.importorskip("distributed")
pytestmark = [pytest.mark.dask, pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster():
    import logging

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR) as c:
        yield c


@pytest.fixture
def client(cluster):
    with distributed.Client(cluster) as c:
        c.wait_for_workers(2, timeout=120)
        yield c


def _loads(client) -> dict[str, int]:
    def misses() -> int:
        from accords.extract import pipeline

        return pipeline.cache_info().misses

    return client.run(misses)


def test_dask_cluster_stores_exactly_what_one_process_stores(tmp_path, client, single_run):
    with open_store(tmp_path / "d.db") as store:
        report = ingest(store, corpus(), BatchOptions(scheduler=client, partition_size=4))
        assert len(report.added) == len(corpus()) and not report.failed
        assert snapshot(store) == single_run
    # The plugin loaded the model when each worker started, and no partition loaded it again.
    assert list(_loads(client).values()) == [1, 1]
    assert all(client.run(lambda dask_worker: "accords-model" in dask_worker.plugins).values())


def test_a_worker_killed_mid_run_loses_nothing(tmp_path, client, single_run):
    pids_before = client.run(os.getpid)
    killed: dict[str, int] = {}
    with open_store(tmp_path / "k.db") as store:
        options = BatchOptions(scheduler=client, partition_size=3, window=6)
        for _ in ingest_stream(store, corpus(), options):
            if killed:
                continue
            deadline = time.monotonic() + 30
            while not killed and time.monotonic() < deadline:  # a worker that has a partition in hand
                busy = [w for w, keys in client.processing().items() if keys]
                if busy:
                    killed[busy[0]] = pids_before[busy[0]]
                    os.kill(killed[busy[0]], signal.SIGKILL)
                else:
                    time.sleep(0.01)
            assert killed, "no worker ever had a partition in hand"
        assert snapshot(store) == single_run  # every document and fact, in order, as one process stores them
    client.wait_for_workers(2, timeout=120)  # the nanny restarted the killed worker ...
    pids_after = client.run(os.getpid)
    assert list(killed.values())[0] not in pids_after.values()
    assert sorted(_loads(client).values()) == [1, 1]  # ... and the plugin loaded the model in it once


def test_cli_ingest_on_a_scheduler_address(tmp_path, runner, cluster, single_run):
    from accords.cli import app
    from tests.test_batch import PUBLISHED

    folder = tmp_path / "articles"
    folder.mkdir()
    for d in corpus(1):
        (folder / f"{d.id}.txt").write_text(d.text, encoding="utf-8")
    db = str(tmp_path / "cli.db")
    result = runner.invoke(app, ["ingest", str(folder), "--db", db, "--published", PUBLISHED.isoformat(),
                                 "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    assert f"ingested {len(corpus(1))} documents" in result.output
    with open_store(db) as store:
        records = sorted((sa.record()["doc"], sa.record()["type"], sa.record()["subject"]["id"],
                          sa.record()["object"]["id"]) for sa in store.assertions())
    assert records and all(doc.endswith("-0") for doc, *_ in records)
    # The address may come from DASK_SCHEDULER_ADDRESS, as Dask's own tools read it.
    again = runner.invoke(app, ["ingest", str(folder), "--db", db], env={"DASK_SCHEDULER_ADDRESS":
                                                                         cluster.scheduler_address})
    assert again.exit_code == 0 and f"{len(corpus(1))} already stored" in again.output


def test_unreachable_scheduler_is_a_clear_error(tmp_path, runner):
    import dask

    from accords.batch.dask import DaskRunner
    from accords.cli import app

    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):  # Dask's own setting (default 30s)
        with pytest.raises(BatchError, match="cannot reach the Dask scheduler"):
            with DaskRunner("tcp://127.0.0.1:9"):
                pass
        result = runner.invoke(app, ["ingest", "-", "--db", str(tmp_path / "x.db"), "--scheduler",
                                     "tcp://127.0.0.1:9"], input="Chile and Peru restored diplomatic relations.")
    assert result.exit_code == 1 and "cannot reach the Dask scheduler" in result.output
