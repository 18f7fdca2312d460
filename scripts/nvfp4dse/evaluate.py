"""Evaluation of one design point: its cost from the simulator's run on its architecture file (simulator.run: the
simulation `nvfp4sim run` does, in a forked child of this process), its accuracy through the simulator's
store-and-read-back chain. Runs on Dask workers; deterministic in the point alone (the simulator's seeds come from the
point), so results do not depend on which worker ran it or how many there were."""
from __future__ import annotations

import os
import sys
import time

from .paths import ROOT

if str(ROOT) not in sys.path:  # workers import workloads/ (the Fashion-MNIST network) from the repository root
    sys.path.insert(0, str(ROOT))

from . import accuracy, native, simulator  # noqa: E402
from .archspace import base  # noqa: E402
from .space import arch_path, describe, resolve_workload, settings_of  # noqa: E402


native.keep_freed_memory()  # this module is what a Dask worker imports to evaluate points


def arch_text(point: dict) -> str:
    """The complete simulator architecture file of a point (what `nvfp4-dse point --emit-arch` writes)."""
    b = base(str(arch_path(point["arch"])))
    text = b.point_text(settings_of(point), point["seed"])
    return native.sim_point(text, f"point {describe(point)}", str(b.path.parent)).resolved_yaml() + "\n"


def sim_point_of(point: dict):
    """The simulator's configured run of a point (nvfp4_native.SimPoint) on its complete architecture file."""
    return native.sim_point(arch_text(point), f"point {describe(point)}", str(ROOT))


def cost(point: dict) -> tuple[dict, float]:
    """(the point's cost metrics: the simulator's run, seconds). evaluate_point's first part, also run on its own
    ahead of the accuracy by a local run's warm-up (warm_up.py)."""
    t0 = time.perf_counter()
    return _cost(sim_point_of(point), point), time.perf_counter() - t0


def _cost(sp, point: dict) -> dict:
    return simulator.metrics(simulator.run(sp, resolve_workload(point["workload"])))


def evaluate_point(point: dict, cost_done: tuple[dict, float] | None = None,
                   private: bool = False) -> tuple[dict, float]:
    """(metrics, seconds). cost_done: cost(point) computed already (the same metrics; its seconds are added). private:
    no other point of the run can reuse this point's faulted tensors (sharing.py): none is kept for them; the same
    metrics. Raises on a failure; the runner reports it and stores nothing for the point."""
    t0 = time.perf_counter()
    sp = sim_point_of(point)
    if cost_done is None:
        metrics, before = _cost(sp, point), 0.0
    else:
        metrics, before = dict(cost_done[0]), cost_done[1]
    if point["accuracy"] != "none":
        metrics.update(accuracy.evaluate(point, sp, private))
        metrics["fault_model"] = f"nvfp4sim SRAM read-back path (ecc/ injector), {sp.fault_model}"
    # Test hook: the interruption tests slow every point down so that a kill lands mid-sweep. Never set in use.
    time.sleep(float(os.environ.get("NVFP4DSE_TEST_DELAY_S", "0")))
    return metrics, time.perf_counter() - t0 + before
