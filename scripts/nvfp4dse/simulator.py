"""The `nvfp4sim` evaluator: runs the SystemC simulator on a design point and reads its summary.json (docs/sim.md).

The point becomes an architecture file derived from the edge-small preset (sim/presets/edge-small.yaml): array
R x C, lanes = min(block, 64), block, multiplier, accumulator (fp32 -> fp32-seq, fixed:W), weight format
(fp4 -> nvfp4), every SRAM bank at the point's voltage with the point's ECC layout
(none -> none; secded -> full + secded; selective -> sign-exp-scale + secded; mixed -> sign-exp-scale + mixed-voltage).
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PRESET = ROOT / "sim" / "presets" / "edge-small.yaml"
ECC = {"none": ("none", "secded"), "secded": ("full", "secded"), "selective": ("sign-exp-scale", "secded"),
       "mixed": ("sign-exp-scale", "mixed-voltage")}


class SimulatorMissing(Exception):
    pass


def find_simulator() -> Path:
    candidates = [Path(os.environ["NVFP4SIM"])] if os.environ.get("NVFP4SIM") else []
    if os.environ.get("NVFP4_BUILD_DIR"):
        candidates.append(Path(os.environ["NVFP4_BUILD_DIR"]) / "bin" / "nvfp4sim")
    candidates += [ROOT / "build" / "bin" / "nvfp4sim"] + sorted(ROOT.glob("build-*/bin/nvfp4sim"))
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return c
    raise SimulatorMissing("nvfp4sim is not built (needs SystemC: apt-get install libsystemc-dev; then "
                           "cmake --build build --target nvfp4sim), or set NVFP4SIM=/path/to/nvfp4sim; "
                           "or use `evaluator: analytic`")


def arch_for(point: dict) -> dict:
    doc = yaml.safe_load(PRESET.read_text())
    arch = doc["architecture"]
    arch["technology"] = str((PRESET.parent / arch["technology"]).resolve())
    rows, cols = (int(x) for x in point["array"].split("x"))
    a = arch["array"]
    a.update(rows=rows, cols=cols, lanes=min(int(point["block"]), 64), block=int(point["block"]),
             multiplier=point["multiplier"],
             accumulator="fp32-seq" if point["accumulator"] == "fp32" else point["accumulator"],
             weight_format="nvfp4" if point["weight_format"] == "fp4" else point["weight_format"])
    layout, mode = ECC[point["ecc"]]
    for bank in arch["sram"].values():
        bank.update(voltage_v=float(point["voltage"]), ecc_layout=layout, ecc_mode=mode)
    doc.setdefault("run", {})["fault_seed"] = int(point["seed"])
    return doc


def evaluate(point: dict, workload: Path, timeout: float = 600) -> dict:
    sim = find_simulator()
    with tempfile.TemporaryDirectory(prefix="nvfp4dse-sim-") as tmp:
        arch = Path(tmp) / "arch.yaml"
        arch.write_text(yaml.safe_dump(arch_for(point), sort_keys=False))
        out = Path(tmp) / "out"
        r = subprocess.run([str(sim), "run", "--arch", str(arch), "--workload", str(workload), "--out", str(out)],
                           capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError(f"nvfp4sim failed ({r.returncode}): {r.stderr.strip()[-500:]}")
        s = json.loads((out / "summary.json").read_text())
    metrics = {"energy_uj": s["energy_per_inference_uj"], "area_mm2": s["area_um2"]["total"] * 1e-6,
               "cycles": s["cycles"], "latency_ms": s["time_us"] * 1e-3, "macs": s["macs"],
               "stall_cycles": s["stall_cycles"], "sim_sqnr_mean_db": s["sqnr_db_mean"],
               "sim_fault_bits": s["faults"]["raw_bit_errors"], "area_source": s.get("area_source", "")}
    metrics.update({f"energy_{k}_uj": v * 1e-6 for k, v in s["energy_pj"].items() if k != "total"})
    metrics.update({f"area_{k}_mm2": v * 1e-6 for k, v in s["area_um2"].items() if k != "total"})
    return metrics
