"""The cost of a design point: the simulator's run on its architecture file and workload; summary.json is the record.

The simulator is the one energy / area / cycle / fault model (docs/sim.md). A point runs in the worker's process
through the bindings (nvfp4_native.SimPoint.run_summary: Simulation::validate and run, exactly what `nvfp4sim run`
does, in a forked child because SystemC elaborates once per process) on the point's complete architecture (the text
`nvfp4-dse point --emit-arch` writes); only summary.json's text comes back, no other report file is written. The
record keeps summary.json's numbers as the simulator wrote them (`sim`), plus the same figures in the units the
reports plot (uJ, mm^2, ms). tests/scripts/test_point.py compares the record with `nvfp4sim run` on the emitted file.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .paths import ROOT

# summary.json fields that describe this run of the process, not the design point.
HOST_FIELDS = ("arch_file", "workload_file", "host_seconds", "host_cpu_seconds", "simulated_macs_per_host_second")


class SimulatorMissing(Exception):
    pass


def find_simulator() -> Path:
    """$NVFP4SIM, else bin/nvfp4sim of $NVFP4_BUILD_DIR, build/ or build-*/ of the checkout, else nvfp4sim on PATH."""
    if os.environ.get("NVFP4SIM"):
        return Path(os.environ["NVFP4SIM"])
    builds = [Path(os.environ["NVFP4_BUILD_DIR"])] if os.environ.get("NVFP4_BUILD_DIR") else []
    for c in [b / "bin" / "nvfp4sim" for b in builds + [ROOT / "build"] + sorted(ROOT.glob("build-*"))]:
        if c.exists():
            return c
    import shutil
    found = shutil.which("nvfp4sim")
    if found:
        return Path(found)
    raise SimulatorMissing("nvfp4sim is not built: cmake --build build --target nvfp4sim (needs SystemC: "
                           "bash scripts/bootstrap.sh), or set NVFP4SIM to its path")


def run(sim_point, workload: Path) -> dict:
    """summary.json of the simulator's run of this SimPoint on the workload, without the host fields."""
    summary = json.loads(sim_point.run_summary(str(workload)))
    return {k: v for k, v in summary.items() if k not in HOST_FIELDS}


def metrics(summary: dict) -> dict:
    """The record of a point's cost: the simulator's summary (`sim`) and the figures the reports plot."""
    s = summary
    m = {"energy_uj": s["energy_per_inference_uj"], "area_mm2": s["area_um2"]["total"] * 1e-6, "cycles": s["cycles"],
         "latency_ms": s["time_us"] * 1e-3, "sim_sqnr_mean_db": s["sqnr_db_mean"],
         "sim_fault_raw_bit_errors": s["faults"]["raw_bit_errors"], "sim": s}
    m.update({f"energy_{k}_uj": v * 1e-6 for k, v in s["energy_pj"].items() if k != "total"})
    return m
