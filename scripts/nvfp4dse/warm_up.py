"""The warm-up of a local run: the work every point of a sweep starts from (accuracy.prepare: the fault-free network),
done once in the nvfp4-dse process before its local workers are forked, so that every worker inherits it instead of
computing it again before its first point (docs/dse.md, "Start-up of a local run").

It runs in a thread (the C++ steps and NumPy release the GIL), so the caller may do other serial work meanwhile, and is
joined before the workers are forked. It runs only validated points, and a failure is left to the point's own
evaluation on its worker, which reports it as today: the warm-up changes no record, only where the shared work is done.
"""
from __future__ import annotations

import sys
import threading


class WarmUp:
    def __init__(self, point: dict):
        from . import accuracy, evaluate  # imported here, not in the thread: no import runs in two threads at once
        if point["accuracy"] == "fmnist_cnn":
            accuracy.fmnist_module()
        self._thread = threading.Thread(target=self._run, args=(point,), name="nvfp4dse-warm-up", daemon=True)
        self._thread.start()

    @staticmethod
    def _run(point: dict) -> None:
        from . import accuracy, evaluate
        try:
            accuracy.prepare(point["accuracy"], evaluate.sim_point_of(point))
        except Exception:  # the point's evaluation on a worker meets the same failure and reports it
            pass

    def join(self) -> None:
        self._thread.join()


def start(points: list[dict], scheduler: str | None) -> WarmUp | None:
    """The warm-up of the first point's shared work, when local workers will be forked from this process (Linux);
    None for an existing cluster (its workers compute their own) or when nothing is shared."""
    if scheduler is not None or not sys.platform.startswith("linux") or not points:
        return None
    if points[0].get("accuracy", "none") == "none":
        return None
    return WarmUp(points[0])
