"""The warm-up of a local run: what is done before the local workers are forked (docs/dse.md, "Start-up of a local
run").

- The work every point of a sweep starts from (accuracy.prepare: the fault-free network), done once in the nvfp4-dse
  process, so that every worker inherits it instead of computing it again before its first point. It runs only
  validated points, and a failure is left to the point's own evaluation on its worker, which reports it as usual: the
  warm-up changes no record, only where the shared work is done.
- With two or more workers, the core that would idle meanwhile computes the points' cost (evaluate.cost: the
  simulator's run) in a process forked before the warm-up starts; the points it finished by the time the warm-up ends
  are handed to the workers with their cost done (evaluate_point's cost_done: the same metrics), the others are
  cancelled (the one running is ended) and computed by the workers as usual. So no more processes compute at once
  than there are workers. The first point of each worker comes last in that process's queue: while any cost is left
  to the workers, each runs its first point's cost itself, which starts its simulator zygote while the worker is
  small (a zygote forked from a worker grown by a dozen points cost each later run of that worker ~0.03 s more,
  0.4-0.5 s of CPU per worker on the default study; docs/BENCHMARKS.md, dse, seventh session); when every cost was
  done ahead (the default study: 28 costs in ~0.45 s beside a ~0.5 s warm-up), no worker starts a simulator at all
  (0.07-0.35 s less wall per 2-worker run; eighth session).
"""
from __future__ import annotations

import sys


class WarmUp:
    """Computed when made: the costs ahead (a process forked first, on the core that would idle), then the fault-free
    network in this thread (nothing else runs in this process meanwhile)."""

    def __init__(self, points: list[dict], workers: int):
        from . import accuracy, evaluate
        # The first `workers` points last: each worker starts with one of them, and when its cost is not done ahead
        # the worker runs it itself, so its simulator zygote (sim/run/child_run.hpp) is forked while the worker is
        # small, not from a worker grown by several points (then every later run of that worker forks a large zygote).
        self._ahead_from = workers
        self._costs = None
        if workers >= 2 and len(points) > workers:
            from .local_workers import WorkerStartError
            try:  # forked before this process's heap grows
                self._costs = _CostsAhead(points[workers:] + points[:workers])
            except WorkerStartError:  # no process for it: the workers compute every cost, as with one worker
                pass
        point = points[0]
        try:
            accuracy.prepare(point["accuracy"], evaluate.sim_point_of(point))
        except Exception:  # the point's evaluation on a worker meets the same failure and reports it
            pass

    def costs(self, wait: bool = False) -> list:
        """Per point, its cost (evaluate.cost) when it was computed ahead, else None; the rest is cancelled. wait: every
        one computed first (the tests)."""
        if self._costs is None:
            return []
        ahead = self._costs.collect(wait)  # in the order computed: points[n:], then points[:n]
        n = self._ahead_from
        return ahead[-n:] + ahead[:-n]


class _CostsAhead:
    def __init__(self, points: list[dict]):
        from .evaluate import cost
        from .local_workers import ForkedWorkers
        self._pool = ForkedWorkers(1)
        self._futures = [self._pool.submit(cost, p) for p in points]

    def collect(self, wait: bool) -> list:
        if wait:
            for f in self._futures:
                f.exception()
        self._pool.shutdown(wait=False)  # the queued ones cancelled, the one running ended: the workers need the core
        return [f.result() if f.done() and not f.cancelled() and f.exception() is None else None
                for f in self._futures]


def start(points: list[dict], scheduler: str | None, workers: int = 1) -> WarmUp | None:
    """The warm-up, done, when local workers will be forked from this process (Linux); None for an existing cluster
    (its workers compute their own) or when nothing is shared."""
    if scheduler is not None or not sys.platform.startswith("linux") or not points:
        return None
    if points[0].get("accuracy", "none") == "none":
        return None
    return WarmUp(points, workers)
