"""Runs a sweep on worker processes and lands every finished point in the results store.

The workers are behind one interface, `concurrent.futures.Executor`: N processes forked from this one for a local run
(`--workers N`, local_workers.py), or Dask distributed's executor on an existing scheduler (`--scheduler ADDRESS`).
A point lost with a dying worker is run again (the local pool's ALLOWED_FAILURES, Dask's allowed-failures on its
scheduler); whatever arrives twice is stored once (INSERT OR IGNORE). Only this process writes the store, one committed
row per finished point, so an interrupted run keeps every finished point and a rerun submits only the missing ones.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import json
from dataclasses import dataclass

from .evaluate import evaluate_point
from .progress import Progress
from .space import Sweep
from .store import ResultStore, point_key
from . import warm_up


class SchedulerError(Exception):
    pass


@dataclass
class RunSummary:
    total: int
    skipped: int
    computed: int
    failed: list


@contextlib.contextmanager
def dask_client(scheduler: str, timeout: float = 10.0):
    """A Dask client on an existing scheduler."""
    from distributed import Client
    try:
        client = Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError, ValueError, TypeError) as e:  # unreachable, or an address Dask cannot parse
        raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler} within {timeout:.0f} s ({e}); "
                             "start one with `dask scheduler` or drop --scheduler to run local workers") from e
    with client:
        yield client


@contextlib.contextmanager
def workers_pool(scheduler: str | None, workers: int | None):
    """(executor, worker count): the workers of an existing Dask cluster, or `workers` local processes forked from this
    one (local_workers.py: no Dask to import or start; docs/dse.md, "Start-up of a local run")."""
    if scheduler:
        with dask_client(scheduler) as client:
            yield client.get_executor(pure=False), max(1, len(client.scheduler_info()["workers"]))
        return
    from .local_workers import ForkedWorkers
    pool = ForkedWorkers(workers or 1)
    try:
        yield pool, workers or 1
    except BaseException:
        pool.shutdown(wait=False)  # interrupted: end the workers now; the finished points are stored
        raise
    pool.shutdown()


def run_points(executor, points: list[dict], store: ResultStore, progress: Progress,
               costs: list | None = None, private: dict | None = None) -> tuple[int, list]:
    """costs: per point, its cost computed ahead (warm_up.py) or None. private: {point key: whether no other point
    can reuse its faulted tensors} (sharing.py); a point not in it keeps them for others."""
    costs = costs or [None] * len(points)
    private = private or {}
    futures = {executor.submit(evaluate_point, p, c, private.get(point_key(p), False)): p
               for p, c in zip(points, costs)}
    computed, failed = 0, []
    for fut in concurrent.futures.as_completed(futures):
        point = futures[fut]
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
              show_progress: bool = True, private: dict | None = None) -> RunSummary:
    """private: see run_points (from the points' validation, __main__._check_points)."""
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
            # The first point's shared work (the fault-free network) is computed here, before the local workers are
            # forked: every one of them inherits it (warm_up.py).
            warm = warm_up.start(todo, scheduler, workers or 1)
            costs = warm.costs() if warm is not None else None
            with workers_pool(scheduler, workers) as (executor, _):
                computed, failed = run_points(executor, todo, store, progress, costs, private)
        progress.close()
        return RunSummary(len(points), len(points) - len(todo), computed, failed)
