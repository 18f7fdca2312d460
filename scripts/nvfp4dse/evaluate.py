"""Evaluation of one design point: cost (analytic model or the nvfp4sim simulator) plus accuracy. This function runs
on Dask workers; it must be deterministic in the point alone (faults are seeded from the point), so that results do
not depend on which worker ran it or how many there were."""
from __future__ import annotations

import os
import sys
import time
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # workers import workloads/ (the Fashion-MNIST network) from the repository root
    sys.path.insert(0, str(ROOT))

from . import accuracy, costmodel  # noqa: E402
from .space import resolve_workload  # noqa: E402


@lru_cache(maxsize=16)
def _workload(name: str):
    return costmodel.read_workload(resolve_workload(name))


def evaluate_point(point: dict) -> tuple[dict, float]:
    """(metrics, seconds). Raises on a failure; the runner reports it and stores nothing for the point."""
    t0 = time.perf_counter()
    if point["evaluator"] == "analytic":
        metrics = costmodel.evaluate(point, _workload(point["workload"]))
    else:
        from . import simulator
        metrics = simulator.evaluate(point, resolve_workload(point["workload"]))
    metrics.update(accuracy.evaluate(point))
    # Test hook: the interruption tests slow every point down so that a kill lands mid-sweep. Never set in use.
    time.sleep(float(os.environ.get("NVFP4DSE_TEST_DELAY_S", "0")))
    return metrics, time.perf_counter() - t0
