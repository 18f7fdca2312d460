#!/usr/bin/env python3
"""CI's reduced characterization flow (docs/energy.md): the two E2M1 lane multipliers through Yosys, Verilator and
OpenSTA on the committed stimulus, then

  1. the rows equal those of the committed sim/tech/sky130-characterized.csv (the flow reproduces the table);
  2. all-zero operands cost less than random ones (every unit);
  3. the full-LUT lane costs more per multiply than the mantissa-LUT lane on every stream;
  4. a unit's energy rises with its toggle rate (random stream vs the same vectors each held two cycles);
  5. OpenSTA and the direct Liberty sum agree within BOUND on every stream with activity.

Run by CTest through scripts/pdk/liberty.sh (exit 77 = skipped when the sky130 Liberty is missing).
    python3 tests/rtl_models/power/test_power_flow.py WORK_DIR
"""
import json
import os
import subprocess
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
TABLE = os.path.join(REPO, "sim", "tech", "sky130-characterized.csv")
BOUND = 0.35  # |OpenSTA - direct| / direct, total dynamic energy (docs/energy.md, "Cross-check": why not tighter)
UNITS = ["lane_mant_e2m1", "lane_full_e2m1"]


def energy(st, group):
    return sum(st["groups_pj"][group])


def main(work):
    r = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "characterize"), "--steps", "logic",
                        "--units", "reduced", "--check", "--out", TABLE, "--work", work], cwd=REPO)
    if r.returncode != 0:
        return r.returncode  # 77: skipped (no Liberty); 1: the table differs (printed); 2: flow error
    res = {u: json.load(open(os.path.join(work, u, "result.json"))) for u in UNITS}
    fails = []
    for u, rs in res.items():
        s = rs["stimuli"]
        if not energy(s["zero"], "lane") < 0.01 * energy(s["random"], "lane"):
            fails.append(f"{u}: all-zero {energy(s['zero'], 'lane'):.4g} pJ not below random "
                         f"{energy(s['random'], 'lane'):.4g} pJ")
        hold, rnd = s["random_hold"], s["random"]
        ratio = energy(hold, "lane") / energy(rnd, "lane")
        if not (hold["toggle_rate"] < 0.6 * rnd["toggle_rate"] and 0.3 < ratio < 0.7):
            fails.append(f"{u}: halving the toggle rate ({rnd['toggle_rate']:.3f} -> {hold['toggle_rate']:.3f}) "
                         f"scaled energy by {ratio:.3f}, expected about 0.5")
        for kind, st in s.items():
            if kind == "zero":
                continue
            sta, direct = energy(st, "lane"), sum(st["direct_pj"])
            if not abs(sta - direct) <= BOUND * direct:
                fails.append(f"{u} {kind}: OpenSTA {sta:.4g} pJ vs direct sum {direct:.4g} pJ, over {BOUND:.0%}")
    m, f = res["lane_mant_e2m1"]["stimuli"], res["lane_full_e2m1"]["stimuli"]
    for kind in m:
        if kind != "zero" and not energy(f[kind], "lane") > energy(m[kind], "lane"):
            fails.append(f"{kind}: full-LUT lane {energy(f[kind], 'lane'):.4g} pJ not above mantissa-LUT "
                         f"{energy(m[kind], 'lane'):.4g} pJ")
    for line in fails:
        print("FAIL:", line)
    if not fails:
        e = {k: round(energy(v, "lane"), 4) for k, v in m.items()}
        print(f"ok: mantissa-LUT lane pJ/multiply {e}; full/mant on minilm "
              f"{energy(f['minilm'], 'lane') / energy(m['minilm'], 'lane'):.2f}x")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "build", "characterize-ci")))
