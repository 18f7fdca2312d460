#!/usr/bin/env python3
"""sim_scalesim_cycles: nvfp4sim's compute cycles equal SCALE-Sim's (PyPI `scalesim`) for 1-lane engines with
pipeline depth 1, on several layers and array shapes, for each dataflow os / ws / is and residency cold / steady.

Runs real SCALE-Sim (its operand-matrix and systolic compute classes, via scalesim_compute_cycles.py) and nvfp4sim on
the same SCALE-Sim topology CSVs (conv and GEMM forms), and compares layers.csv's compute_cycles layer by layer.
Usage: test_scalesim_cycles.py PATH/TO/nvfp4sim. Exit 1 naming the first differing layer.
"""
import csv
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TECH = os.path.join(HERE, "..", "..", "sim", "tech", "generic-45nm.csv")

CONV_TOPOLOGY = """Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
c1, 12, 12, 3, 3, 3, 8, 1,
c2, 9, 11, 2, 3, 5, 7, 2,
c3, 7, 7, 1, 1, 16, 10, 1,
c4, 16, 10, 5, 4, 2, 3, 3,
"""
GEMM_TOPOLOGY = """Layer, M, N, K,
g1, 13, 9, 21,
g2, 5, 17, 3,
g3, 32, 8, 40,
"""
ARRAYS = [(4, 3), (2, 5), (8, 8), (1, 4)]

CONFIG = """version: 1
architecture:
  name: scalesim-equivalent
  clock_mhz: 100
  technology: {tech}
  array: {{rows: {rows}, cols: {cols}, lanes: 1, pipeline_depth: 1, dataflow: {df}}}
  sram:
    activations: {{size_kib: 4096, word_bits: 128, ports: 64, voltage_v: 1.0}}
    weights:     {{size_kib: 4096, word_bits: 128, ports: 64, voltage_v: 1.0}}
    scales:      {{size_kib: 4096, word_bits: 128, ports: 64, voltage_v: 1.0}}
    outputs:     {{size_kib: 4096, word_bits: 128, ports: 64, voltage_v: 1.0}}
  offchip: {{bandwidth_bytes_per_cycle: 1024, latency_cycles: 0, energy_pj_per_bit: 1}}
run: {{faults: false, float_reference: false, residency: {residency}}}
"""


def scalesim_cycles(topology, df, rows, cols, gemm):
    sys.path.insert(0, HERE)
    import io
    import contextlib
    import scalesim_compute_cycles as ssc

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        args = ["x", topology, df, str(rows), str(cols)] + (["--gemm"] if gemm else [])
        if ssc.main(args) != 0:
            raise SystemExit("scalesim_compute_cycles failed")
    return {line.split(",")[0]: int(line.split(",")[1]) for line in out.getvalue().split()}


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    nvfp4sim = sys.argv[1]
    failures, compared = 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        topologies = []
        for name, text, gemm in (("conv.csv", CONV_TOPOLOGY, False), ("gemm.csv", GEMM_TOPOLOGY, True)):
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                f.write(text)
            topologies.append((path, gemm))
        for df in ("os", "ws", "is"):
            for rows, cols in ARRAYS:
                for topo, gemm in topologies:
                    theirs = scalesim_cycles(topo, df, rows, cols, gemm)
                    # Both residency regimes (docs/sim.md, "Residency"): what stays on chip never changes compute.
                    for residency in ("cold", "steady"):
                        cfg = os.path.join(tmp, f"{df}-{rows}x{cols}-{residency}.yaml")
                        with open(cfg, "w") as f:
                            f.write(CONFIG.format(tech=TECH, rows=rows, cols=cols, df=df, residency=residency))
                        out = os.path.join(tmp, f"out-{df}-{rows}x{cols}-{residency}-{os.path.basename(topo)}")
                        run = subprocess.run([nvfp4sim, "run", "--arch", cfg, "--workload", topo, "--out", out,
                                              "--quiet"], capture_output=True, text=True)
                        if run.returncode != 0:
                            print(f"FAIL: nvfp4sim exited {run.returncode}: {run.stderr}", file=sys.stderr)
                            return 1
                        with open(os.path.join(out, "layers.csv")) as f:
                            ours = {r["name"]: int(r["compute_cycles"]) for r in csv.DictReader(f)}
                        if set(ours) != set(theirs):
                            print(f"FAIL: layer names differ: {sorted(ours)} vs {sorted(theirs)}", file=sys.stderr)
                            return 1
                        for layer, cyc in theirs.items():
                            compared += 1
                            if ours[layer] != cyc:
                                failures += 1
                                print(f"FAIL: {df} {rows}x{cols} {residency} {os.path.basename(topo)} layer {layer}: "
                                      f"nvfp4sim {ours[layer]} compute cycles, SCALE-Sim {cyc}", file=sys.stderr)
    print(f"{compared} layer/array/dataflow/residency cases compared with SCALE-Sim, {failures} differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
