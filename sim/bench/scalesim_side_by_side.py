#!/usr/bin/env python3
"""SCALE-Sim 3.0.0 beside nvfp4sim on the same ResNet-18 layers and the same array size (docs/BENCHMARKS.md, "sim").

    python3 sim/bench/scalesim_side_by_side.py [--nvfp4sim build/bin/nvfp4sim] [--threads N] [--repeat R]
                                                [--skip-scalesim]

nvfp4sim: sim/examples/resnet18.csv on sim/presets/edge-small.yaml (4 x 4 engines x 16 lanes = 256 MACs per cycle)
with numerics (quantize + golden GEMM), the exact float reference (SQNR; every output row: a sampled reference
exits 1), energy/area accounting and SRAM faults on.
SCALE-Sim (PyPI `scalesim`): the same layers (sim/examples/resnet18_scalesim.csv, same M, N, K) on a 16 x 16
output-stationary array (256 MACs per cycle), compute cycles only, through its own operand-matrix and systolic-compute
classes (tests/sim/scalesim_compute_cycles.py): no numerics, no energy, no faults, and no memory simulation (the
part of a SCALE-Sim run that costs least). Both run as child processes; their CPU time (user + sys, from
getrusage(RUSAGE_CHILDREN)) is what is compared, since the development machines are shared. nvfp4sim's run takes
well under a second and its CPU time varies with the other load on the machine (caches, page clearing), so it is run
R times (default 5) and the median is compared; SCALE-Sim's (minutes) is run once. The date and the load average
(1, 5, 15 minutes) are printed before and after each tool.
Same work: nvfp4sim also runs the layers on SCALE-Sim's own array model (16 x 16 one-lane engines, pipeline depth 1,
os; the configuration of tests/sim/test_scalesim_cycles.py, numerics off, not timed in the ratio), and its per-layer
compute cycles must equal SCALE-Sim's.
Prints one line per tool, the cycle comparison and the ratio; exit 1 if a tool fails or any layer's compute cycles
differ (the first differing layer is named).
"""
import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "sim"))
from test_scalesim_cycles import CONFIG as SCALESIM_EQUIVALENT, TECH  # noqa: E402  (the one SCALE-Sim-equivalent config)

TOPOLOGY = os.path.join(ROOT, "sim", "examples", "resnet18_scalesim.csv")


def child_cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime, u.ru_stime


def timed(cmd, **kw):
    """(user + sys CPU seconds, user, sys, wall seconds, stdout) of one child process."""
    (u0, s0), t0 = child_cpu(), time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        print(f"FAILED ({r.returncode}): {' '.join(cmd)}\n{r.stderr}", file=sys.stderr)
        sys.exit(1)
    u1, s1 = child_cpu()
    return (u1 - u0) + (s1 - s0), u1 - u0, s1 - s0, time.monotonic() - t0, r.stdout


def when():
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load average {load}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nvfp4sim", default=os.path.join(ROOT, "build", "bin", "nvfp4sim"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5, help="nvfp4sim runs (the median CPU time is compared)")
    ap.add_argument("--skip-scalesim", action="store_true", help="only time nvfp4sim")
    a = ap.parse_args()
    if a.repeat < 1:
        print("error: --repeat must be at least 1", file=sys.stderr)
        sys.exit(2)
    print(f"start     {when()}")
    runs = []
    for _ in range(a.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(timed([a.nvfp4sim, "run", "--arch", os.path.join(ROOT, "sim", "presets", "edge-small.yaml"),
                               "--workload", os.path.join(ROOT, "sim", "examples", "resnet18.csv"), "--out",
                               os.path.join(tmp, "out"), "--quiet", "--threads", str(a.threads)]))
            summary = open(os.path.join(tmp, "out", "summary.json")).read()
            with open(os.path.join(tmp, "out", "layers.csv")) as f:
                exact = all(r["sqnr_rows"] == r["M"] for r in csv.DictReader(f))  # the reference on every row
        if '"enabled": true' not in summary or not exact:
            print("nvfp4sim ran without faults or with a sampled float reference: not the benchmarked configuration",
                  file=sys.stderr)
            sys.exit(1)
    cpu = statistics.median(r[0] for r in runs)
    each = ", ".join(f"{r[0]:.3f} ({r[1]:.3f} user + {r[2]:.3f} sys)" for r in runs)
    print(f"nvfp4sim  ResNet-18, edge-small, numerics + exact float reference + energy + faults, {a.threads} "
          f"thread(s): median {cpu:.3f} s CPU of {a.repeat} runs: {each}; wall {min(r[3] for r in runs):.2f}-"
          f"{max(r[3] for r in runs):.2f} s")
    print(f"          {when()}")
    if a.skip_scalesim:
        return
    s_cpu, s_user, s_sys, s_wall, out = timed([sys.executable, os.path.join(ROOT, "tests", "sim",
                                                                          "scalesim_compute_cycles.py"),
                                               TOPOLOGY, "os", "16", "16"])
    theirs = {line.split(",")[0]: int(line.split(",")[1]) for line in out.split()}
    print(f"SCALE-Sim ResNet-18, {len(theirs)} layers, 16 x 16 os, compute cycles only: {s_cpu:.2f} s CPU "
          f"({s_user:.2f} user + {s_sys:.2f} sys; {s_wall:.2f} s wall)")
    print(f"          {when()}")
    ours = nvfp4sim_cycles(a.nvfp4sim)
    if not theirs or sorted(ours) != sorted(theirs):
        print(f"FAILED: layer names differ: nvfp4sim {sorted(ours)}, SCALE-Sim {sorted(theirs)}", file=sys.stderr)
        sys.exit(1)
    for layer, cycles in theirs.items():
        if ours[layer] != cycles:
            print(f"FAILED: layer {layer}: nvfp4sim {ours[layer]} compute cycles on SCALE-Sim's array model, "
                  f"SCALE-Sim {cycles}: the two tools did not do the same work", file=sys.stderr)
            sys.exit(1)
    print(f"cycles    nvfp4sim on SCALE-Sim's array model (16 x 16 x 1 lane, depth 1, os): compute cycles equal "
          f"SCALE-Sim's on all {len(theirs)} layers ({sum(theirs.values())} cycles)")
    print(f"ratio     SCALE-Sim CPU / nvfp4sim median CPU = {s_cpu / cpu:.0f}x (goal >= 1000x; with nvfp4sim's fastest "
          f"and slowest run {s_cpu / min(r[0] for r in runs):.0f}x / {s_cpu / max(r[0] for r in runs):.0f}x)")


def nvfp4sim_cycles(nvfp4sim):
    """Per-layer compute cycles of nvfp4sim on SCALE-Sim's array model (cycles only: faults and reference off)."""
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "scalesim-equivalent.yaml")
        with open(cfg, "w") as f:
            f.write(SCALESIM_EQUIVALENT.format(tech=TECH, rows=16, cols=16, df="os", residency="cold"))
        timed([nvfp4sim, "run", "--arch", cfg, "--workload", TOPOLOGY, "--out", os.path.join(tmp, "out"), "--quiet"])
        with open(os.path.join(tmp, "out", "layers.csv")) as f:
            return {r["name"]: int(r["compute_cycles"]) for r in csv.DictReader(f)}


if __name__ == "__main__":
    main()
