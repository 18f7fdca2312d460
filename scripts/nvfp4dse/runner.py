"""Runs a sweep on Dask distributed and lands every finished point in the results store.

Points are submitted with their store key as the Dask task key, so a task lost with its worker is rescheduled under
the same key (Dask retries tasks of a dead worker); whatever arrives twice is stored once (INSERT OR IGNORE). Only
this process writes the store, one committed row per finished point, so an interrupted run keeps every finished point
and a rerun submits only the missing ones.
"""
from __future__ import annotations

import contextlib
import json
import sys
from dataclasses import dataclass

from .evaluate import evaluate_point
from .progress import Progress
from .space import Sweep
from .store import ResultStore, point_key
from . import native, warm_up


class SchedulerError(Exception):
    pass


@dataclass
class RunSummary:
    total: int
    skipped: int
    computed: int
    failed: list


@contextlib.contextmanager
def dask_client(scheduler: str | None, workers: int | None, timeout: float = 10.0, before_fork=None):
    """A Client on `scheduler` (an existing cluster) or on a new local cluster of `workers` processes on 127.0.0.1.
    before_fork: called after Dask's import, before a local cluster forks its workers (the warm-up's join)."""
    import dask
    from distributed import Client, LocalCluster
    # The worker's statistical profiler samples every thread's stack every 10 ms: measured at about a fifth of a
    # worker's CPU time on the default study (docs/BENCHMARKS.md, dse). Nobody reads its profiles here. Other
    # periodic work serves dashboards and large clusters, not a sweep's few long tasks; on the default study it cost
    # the nvfp4-dse process (scheduler, client, nannies) ~0.5 s of CPU per run, taken from the workers' cores: work
    # stealing (tasks are queued on the scheduler and handed to a worker only when it has room: nothing to steal),
    # the event-loop watchdog's 20 ms tick, the system monitor's 0.5 s samples and the nanny's 0.1 s memory samples
    # (1 s still stops a runaway worker; the reuse caches are bounded).
    dask.config.set({"distributed.worker.daemon": False, "distributed.scheduler.allowed-failures": 5,
                     "distributed.worker.profile.enabled": False,
                     "distributed.scheduler.work-stealing": False, "distributed.admin.tick.interval": "1s",
                     "distributed.admin.system-monitor.interval": "10s",
                     "distributed.worker.memory.monitor-interval": "1s",
                     "distributed.nanny.pre-spawn-environ": {**dask.config.get("distributed.nanny.pre-spawn-environ"),
                                                             **native.keep_freed_memory_environment()}})
    if scheduler:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError, TypeError) as e:  # unreachable, or an address Dask cannot parse
            raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler} within {timeout:.0f} s ({e}); "
                                 "start one with `dask scheduler` or drop --scheduler to use a local cluster") from e
        with client:
            yield client
        return
    # Local workers are forked from this process (Linux): they start with its imports (distributed, NumPy, the
    # extension) instead of importing them again, ~1 s of CPU each and most of the serial start-up before the first
    # point (docs/BENCHMARKS.md, dse, fourth session); and with the simulator's heap policy, which importing evaluate
    # (above) applied to this process, inherited; a spawned worker reads it from the environment above.
    if before_fork is not None:
        before_fork()
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    with dask.config.set({"distributed.worker.multiprocessing-method": method}), \
            LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address=None,
                         # No dashboard; the scheduler's HTTP server (health routes) on a free loopback port: by default
                         # it tries 8787 and warns on stderr when another Dask process holds it.
                         scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"}) as cluster, \
            Client(cluster) as client:
        yield client
        # Every result is stored: what the workers log while the cluster closes (a heartbeat that met the closing
        # scheduler, seen on a loaded machine) says nothing about the sweep.
        client.run(_quiet_logs)


def _quiet_logs() -> None:
    import logging
    logging.getLogger("distributed").setLevel(logging.CRITICAL)


def run_points(client, points: list[dict], store: ResultStore, progress: Progress) -> tuple[int, list]:
    from distributed import as_completed
    keys = [f"nvfp4dse-{point_key(p)}" for p in points]
    futures = client.map(evaluate_point, points, key=keys, pure=False)
    by_key = {f.key: p for f, p in zip(futures, points)}
    computed, failed = 0, []
    for fut in as_completed(futures):
        point = by_key[fut.key]
        try:
            metrics, seconds = fut.result()
        except Exception as e:  # a point that cannot be evaluated is reported, never stored
            failed.append((point, f"{type(e).__name__}: {e}"))
            progress.step()
            continue
        computed += store.insert(point, metrics, seconds)
        progress.step()
    return computed, failed


def run_sweep(sweep: Sweep, store_path: str, scheduler: str | None = None, workers: int | None = None,
              show_progress: bool = True) -> RunSummary:
    with ResultStore(store_path) as store:
        store.bind_sweep(sweep.fingerprint())
        store.set_meta("sweep_definition", json.dumps({"name": sweep.name, "kind": sweep.kind,
                                                        "space": sweep.space, "fixed": sweep.fixed}, sort_keys=True))
        if sweep.kind == "optuna":
            from .search import run_optuna
            return run_optuna(sweep, store, scheduler, workers, show_progress)
        points = sweep.points()
        done = store.done_keys()
        todo = [p for p in points if point_key(p) not in done]
        progress = Progress(len(points), len(points) - len(todo), show_progress)
        computed, failed = 0, []
        if todo:
            # The first point's shared work (the fault-free network) is computed here while Dask is imported, and
            # inherited by every forked local worker (warm_up.py).
            warm = warm_up.start(todo, scheduler)
            try:
                with dask_client(scheduler, workers, before_fork=warm and warm.join) as client:
                    computed, failed = run_points(client, todo, store, progress)
            finally:
                if warm is not None:
                    warm.join()
        progress.close()
        return RunSummary(len(points), len(points) - len(todo), computed, failed)
