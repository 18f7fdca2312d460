#!/usr/bin/env python3
"""sim_residency: the cold and steady regimes of nvfp4sim end to end (docs/sim.md, "Residency"), on the Fashion-MNIST
CNN and the edge-small preset, against hand-derived figures:
- steady pins every layer's weights (loaded once: 475,904 bits = codes 422,976 + scales 52,928) and keeps every output
  that the next layer consumes on chip, so per inference only conv1's input (28,224 code + 6,272 scale bits: C = 1,
  stored as the lowered matrix) comes in and fc2's 10 fp32 outputs (320 bits) go out: zero weight traffic;
- compute cycles and SRAM reads of every layer are the same in both regimes, and the outputs are bit-identical;
- retention energy = leakage of the banks holding pinned data x idle time per inference; lowering the weight bank's
  voltage lowers that leakage and raises the raw bit errors;
- bad values of the three keys exit 2 naming the key.
Usage: test_residency.py PATH/TO/nvfp4sim. Exit 1 naming the first failed check.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PRESET = os.path.join(ROOT, "sim", "presets", "edge-small.yaml")
FMNIST = os.path.join(ROOT, "workloads", "tables", "fmnist_cnn.csv")
FAIL = []


def check(cond, what):
    if not cond:
        FAIL.append(what)


def config(tmp, name, run_extra, old=None, new=None):
    text = open(PRESET).read().replace("../tech/", os.path.join(ROOT, "sim", "tech") + "/")
    if old:
        assert old in text, old
        text = text.replace(old, new)
    text = text.replace("  float_reference: true\n", "  float_reference: false\n" + run_extra)
    path = os.path.join(tmp, name + ".yaml")
    open(path, "w").write(text)
    return path


def simulate(exe, tmp, name, arch):
    out = os.path.join(tmp, name)
    r = subprocess.run([exe, "run", "--arch", arch, "--workload", FMNIST, "--out", out, "--save-outputs"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"FAIL: run {name}: {r.stderr}")
    rows = list(csv.DictReader(open(os.path.join(out, "layers.csv"))))
    return json.load(open(os.path.join(out, "summary.json"))), rows, out, r.stdout


def main():
    exe = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        cold, cold_rows, cold_out, _ = simulate(exe, tmp, "cold", config(tmp, "cold", ""))
        steady_cfg = config(tmp, "steady", "  residency: steady\n  inferences: 500\n  inference_rate_hz: 100\n")
        st, rows, st_out, printed = simulate(exe, tmp, "steady", steady_cfg)

        # Per-layer decisions.
        check([r["weights_residency"] for r in rows] == ["pinned"] * 4, "steady: every layer's weights pinned")
        check([r["input_residency"] for r in rows] == ["layer", "on-chip", "on-chip", "on-chip"],
              f"steady inputs: {[r['input_residency'] for r in rows]}")
        check([r["output_residency"] for r in rows] == ["on-chip", "on-chip", "on-chip", "off-chip"],
              f"steady outputs: {[r['output_residency'] for r in rows]}")
        check(all(r["weights_residency"] == "layer" and r["output_residency"] == "off-chip" for r in cold_rows),
              "cold: weights loaded per layer, outputs off chip")
        # Traffic per inference: no weight bits at all.
        check([int(r["offchip_bits"]) for r in rows] == [28224 + 6272, 0, 0, 320],
              f"steady off-chip bits per layer: {[r['offchip_bits'] for r in rows]}")
        res = st["residency"]
        check(res["policy"] == "steady" and res["pinned_layers"] == 4 and res["outputs_on_chip"] == 3,
              f"summary residency: {res}")
        check(res["pinned_weight_bits"] == 422976 and res["pinned_scale_bits"] == 52928, "pinned bits")
        check(res["load"]["offchip_bits"] == 475904, f"load bits {res['load']['offchip_bits']}")
        check(cold["residency"]["load"]["offchip_bits"] == 0 and cold["residency"]["policy"] == "cold", "cold load")
        # The cold regime fetches every weight bit each inference.
        cold_bits = sum(int(r["offchip_bits"]) for r in cold_rows)
        check(cold_bits > 475904 + 34496, f"cold off-chip bits {cold_bits}")
        # What the regime does not change: compute cycles, SRAM reads, numbers.
        for c, s in zip(cold_rows, rows):
            check(c["compute_cycles"] == s["compute_cycles"], f"{s['name']}: compute cycles differ between regimes")
            for b in ("activations", "weights", "scales", "outputs"):
                check(c[f"sram_{b}_read_words"] == s[f"sram_{b}_read_words"], f"{s['name']}: {b} reads differ")
        for f in sorted(os.listdir(os.path.join(cold_out, "outputs"))):
            a = open(os.path.join(cold_out, "outputs", f), "rb").read()
            b = open(os.path.join(st_out, "outputs", f), "rb").read()
            check(a == b, f"{f}: outputs differ between regimes")
            check(any(a[128:]), f"{f}: all-zero outputs")
        # Energy: per inference (layers + retention), the one-time load beside it, amortized over 500.
        layers_pj = sum(float(r["energy_pj_total"]) for r in rows)
        ret = res["retention"]
        idle = 0.01 - st["time_us"] * 1e-6
        check(abs(ret["idle_seconds_per_inference"] - idle) <= 1e-12, "idle time = 1 / rate - inference time")
        check(ret["power_uw"] > 0 and ret["rate_met"], "retention power")
        check(abs(ret["energy_pj_per_inference"] - ret["power_uw"] * idle * 1e6) <= 1e-6 * ret["energy_pj_per_inference"],
              "retention energy = power x idle time")
        check(st["energy_pj"]["leakage_retention"] == ret["energy_pj_per_inference"], "retention in energy_pj")
        per_inf = (layers_pj + ret["energy_pj_per_inference"]) * 1e-6
        check(abs(st["energy_per_inference_uj"] - per_inf) <= 1e-9 * per_inf, "energy per inference")
        amort = per_inf + res["load"]["energy_uj"] / 500
        check(abs(st["energy_per_inference_amortized_uj"] - amort) <= 1e-9 * amort, "amortized energy")
        check(res["load"]["energy_pj"]["offchip"] == 475904 * 20, "load off-chip energy = bits x 20 pJ")
        check(st["energy_per_inference_uj"] < cold["energy_per_inference_uj"], "steady cheaper than cold")
        check("regime   steady: weights of 4 of 4 layers pinned" in printed, "printed summary names the regime")
        # Lower weight-bank voltage: less retention leakage, more raw bit errors in the pinned weights.
        low = config(tmp, "steady-low", "  residency: steady\n  inference_rate_hz: 100\n",
                     "voltage_v: 1.25, ecc_layout: sign-exp-scale", "voltage_v: 1.1, ecc_layout: sign-exp-scale")
        lo, _, _, _ = simulate(exe, tmp, "steady-low", low)
        check(lo["residency"]["retention"]["power_uw"] < ret["power_uw"], "retention leakage falls with voltage")
        check(lo["faults"]["raw_bit_errors"] > st["faults"]["raw_bit_errors"], "faults rise as voltage falls")
        # Bad values name the key and exit 2 before any work.
        for key, value in (("residency", "warm"), ("inferences", "0"), ("inference_rate_hz", "-1")):
            bad = config(tmp, "bad-" + key, f"  {key}: {value}\n")
            out = os.path.join(tmp, "bad-out-" + key)
            r = subprocess.run([exe, "run", "--arch", bad, "--workload", FMNIST, "--out", out], capture_output=True,
                               text=True)
            check(r.returncode == 2 and r.stderr.startswith("error: ") and f"run.{key}" in r.stderr,
                  f"bad run.{key}: exit {r.returncode} {r.stderr.strip()!r}")
            check(not os.path.exists(os.path.join(out, "summary.json")), f"bad run.{key} left summary.json")
    for f in FAIL:
        print("FAIL:", f)
    print(f"sim_residency: {len(FAIL)} failed checks")
    return 1 if FAIL else 0


if __name__ == "__main__":
    sys.exit(main())
