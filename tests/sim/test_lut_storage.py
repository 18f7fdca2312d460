#!/usr/bin/env python3
"""sim_lut_storage: the lanes' product tables as a memory (architecture.array.lut_storage, docs/sim.md "LUT storage"),
nvfp4sim end to end on sim/examples/tiny.csv and the edge-small preset:
- logic costs nothing beyond the lane and loads nothing; latch and sram have read, write, leakage and area figures
  with provenance, and the lut_storage energy = lookups x read + words written x write;
- loading (residency): cold fetches one table image per inference (off-chip bits + writes into every lane's copy),
  steady once in the one-time load (and none per inference), logic never;
- faults: an SRAM table at nominal voltage delivers every entry right and every layer equals the golden GEMM bit for
  bit (sim_golden_layers_check, operands faulted); at a low LUT voltage faulty entries change outputs (the same check
  fails), and SECDED on the table corrects them;
- bad combinations exit 2 naming the key.
Usage: test_lut_storage.py PATH/TO/nvfp4sim PATH/TO/sim_golden_layers_check. Exit 1 naming the first failed check.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PRESET = os.path.join(ROOT, "sim", "presets", "edge-small.yaml")
TINY = os.path.join(ROOT, "sim", "examples", "tiny.csv")
FAIL = []


def check(cond, what):
    if not cond:
        FAIL.append(what)


def config(tmp, name, array_extra="", multiplier="mantissa-lut", run_extra="", faults=True, low_weights=False):
    text = open(PRESET).read().replace("../tech/", os.path.join(ROOT, "sim", "tech") + "/")
    if low_weights:  # weights at 0.95 V without ECC: operand faults on every layer
        old = "voltage_v: 1.25, ecc_layout: sign-exp-scale"
        assert old in text
        text = text.replace(old, "voltage_v: 0.95, ecc_layout: none")
    text = text.replace("    voltage_v: 0.9\n", "    voltage_v: 0.9\n" + array_extra, 1)
    text = text.replace("multiplier: mantissa-lut", "multiplier: " + multiplier)
    text = text.replace("  float_reference: true\n", "  float_reference: false\n" + run_extra)
    if not faults:
        text = text.replace("  faults: true\n", "  faults: false\n")
    path = os.path.join(tmp, name + ".yaml")
    open(path, "w").write(text)
    return path


def simulate(exe, tmp, name, arch):
    out = os.path.join(tmp, name)
    r = subprocess.run([exe, "run", "--arch", arch, "--workload", TINY, "--out", out], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"FAIL: run {name}: {r.stderr}")
    return json.load(open(os.path.join(out, "summary.json")))


def main():
    exe, golden = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        s = {}
        for st in ("logic", "latch", "sram"):
            for regime in ("cold", "steady"):
                s[st, regime] = simulate(exe, tmp, f"{st}-{regime}", config(
                    tmp, f"{st}-{regime}", f"    lut_storage: {st}\n", run_extra=f"  residency: {regime}\n",
                    faults=False))
        logic = s["logic", "cold"]
        check(logic["lut_storage"]["load"]["when"] == "never", "logic is never loaded")
        check(logic["energy_pj"]["lut_storage"] == 0 and logic["area_um2"]["lut_storage"] == 0, "logic costs nothing more")
        macs = logic["macs"]
        for st in ("latch", "sram"):
            cold, steady = s[st, "cold"], s[st, "steady"]
            lut = cold["lut_storage"]
            check(lut["read_pj"] > 0 and lut["write_pj"] > 0 and lut["leakage_uw"] > 0 and lut["area_um2"] > 0,
                  f"{st}: read, write, leakage and area priced")
            check(lut["provenance"].startswith(st + ":") and ("EXTRAPOLATED" in lut["provenance"] or
                  "measured" in lut["provenance"]), f"{st}: provenance ({lut['provenance']})")
            check(lut["copies"] == 256 and lut["words"] == 16 and lut["entry_bits"] == 4, f"{st}: one 16 x 4 table per lane")
            image, written = 16 * 4, 256 * 16
            check(lut["load"] == {"when": "per-inference", "image_bits": image, "words_written": written},
                  f"{st}: cold loads per inference")
            expect = macs * lut["read_pj"] + written * lut["write_pj"]
            check(abs(cold["energy_pj"]["lut_storage"] - expect) <= 1e-9 * expect, f"{st}: lut_storage energy (cold)")
            check(abs(cold["energy_pj"]["offchip"] - logic["energy_pj"]["offchip"] - image * 20) < 1e-6,
                  f"{st}: cold fetches one image per inference")
            check(steady["lut_storage"]["load"]["when"] == "once", f"{st}: steady loads once")
            per_inf = macs * lut["read_pj"]
            check(abs(steady["energy_pj"]["lut_storage"] - per_inf) <= 1e-9 * per_inf, f"{st}: no load per inference (steady)")
            check(abs(steady["energy_pj"]["offchip"] - s["logic", "steady"]["energy_pj"]["offchip"]) < 1e-6,
                  f"{st}: steady fetches nothing per inference for the tables")
            load = steady["residency"]["load"]["energy_pj"]
            check(abs(load["offchip"] - s["logic", "steady"]["residency"]["load"]["energy_pj"]["offchip"] - image * 20)
                  < 1e-6, f"{st}: the one-time load fetches the image")
            check(abs(load["lut_storage"] - written * lut["write_pj"]) <= 1e-9 * written * lut["write_pj"],
                  f"{st}: the one-time load writes every copy")
            check(steady["residency"]["retention"]["power_uw"] >= lut["leakage_uw"], f"{st}: pinned tables retain")

        # Faults: the E2M1 full-product table (256 x 10 bits) in SRAM.
        nominal = config(tmp, "nominal", "    lut_storage: sram\n    lut_voltage_v: 1.8\n", "full-lut", low_weights=True)
        low = config(tmp, "low", "    lut_storage: sram\n    lut_voltage_v: 0.95\n", "full-lut")
        coded = config(tmp, "coded", "    lut_storage: sram\n    lut_voltage_v: 0.95\n    lut_ecc: secded\n", "full-lut")
        g = subprocess.run([golden, nominal, TINY, "--expect-faults"], capture_output=True, text=True)
        check(g.returncode == 0, f"nominal LUT voltage: every layer equals the golden GEMM ({g.stdout[-300:]} {g.stderr[-300:]})")
        g = subprocess.run([golden, low, TINY], capture_output=True, text=True)
        check(g.returncode != 0, "low LUT voltage: the golden check sees the faulty entries")
        lo, cd = simulate(exe, tmp, "low", low)["lut_storage"], simulate(exe, tmp, "coded", coded)["lut_storage"]
        check(lo["faults"]["faulty_entries"] > 0 and lo["faults"]["changed_outputs"] > 0, "low voltage: outputs change")
        check(cd["faults"]["raw_bit_errors"] > 0 and cd["faults"]["corrected_bits"] > 0, "SECDED sees the raw errors")
        check(cd["faults"]["changed_outputs"] < lo["faults"]["changed_outputs"], "SECDED delivers fewer wrong outputs")
        check(cd["stored_bits"] == lo["stored_bits"] + 5, "SECDED adds 5 check bits to a 10-bit entry")

        # Bad combinations: exit 2, the key named.
        for name, extra, multiplier, key in (
                ("array", "    lut_storage: sram\n", "array", "architecture.array.lut_storage"),
                ("latch-ecc", "    lut_storage: latch\n    lut_ecc: secded\n", "mantissa-lut", "architecture.array.lut_ecc"),
                ("over", "    lut_storage: sram\n    lut_voltage_v: 2.5\n", "mantissa-lut", "architecture.array.lut_voltage_v"),
                ("unknown", "    lut_storage: flash\n", "mantissa-lut", "logic, latch, sram")):
            out = os.path.join(tmp, "bad-" + name)
            r = subprocess.run([exe, "run", "--arch", config(tmp, "bad-" + name, extra, multiplier), "--workload", TINY,
                                "--out", out], capture_output=True, text=True)
            check(r.returncode == 2 and key in r.stderr and "error: " in r.stderr and not os.path.exists(out),
                  f"bad {name}: exit 2 naming {key} ({r.returncode}: {r.stderr.strip()})")
    for f in FAIL:
        print("FAIL:", f)
    print("sim_lut_storage:", "FAIL" if FAIL else "PASS")
    return 1 if FAIL else 0


if __name__ == "__main__":
    sys.exit(main())
