"""scripts/characterize: the characterization flow (docs/energy.md), one command for both technology tables:
  step sram:      OpenRAM sky130 macro Liberty views -> ecc/tech/sky130-openram.csv (sram_macros.py, seconds);
  step lut_cells: sky130 HD latch and mux Liberty cells -> sim/tech/sky130-lut-cells.csv (lut_cells.py, seconds;
                  the latch LUT storage's estimate);
  step logic:     RTL -> sky130 gate-level power -> sim/tech/sky130-characterized.csv (the units of units.py).

    scripts/characterize [--steps sram,lut_cells,logic] [--units all|reduced|NAME[,NAME...]] [--cycles N]
                         [--out CSV] [--sram-out CSV] [--lut-cells-out CSV] [--work DIR] [--check]

--check: compute and compare with the tables (--out, --sram-out, --lut-cells-out; the committed ones by default),
write nothing; exit 1
naming the first differing row and field. Without the Liberty a step needs: prints why and exits 77 (CTest skip).
"""
import argparse
import os
import subprocess
import sys
import time

from . import flow, lut_cells, netlist, opensta, pdk_lookup, sram_macros, table, units
from .netlist import FlowError

REPO = netlist.REPO
DEFAULT_OUT = os.path.join(REPO, "sim", "tech", "sky130-characterized.csv")
DEFAULT_SRAM_OUT = str(sram_macros.DEFAULT_OUT)
STEPS = ("sram", "lut_cells", "logic")  # run in this order
DEFAULT_CYCLES = 300
LITERATURE = os.path.join(REPO, "sim", "tech", "generic-45nm.csv")
# The rows the energy model asks for (sim/energy/energy_model.cpp, docs/energy.md "Rows the simulator reads"): the
# adder tree by lanes and weight format, the scale unit by lanes, weight format and accumulator, the accumulator by its
# kind; each is the row of the design's (mantissa-LUT) engine of that configuration, whose tree, scale unit and
# accumulator see the same products whatever the lane style. ecc_encode/decode secded<K> and lane_multiply
# <style>/<format> are characterized under the names the simulator reads.
DESIGN_STYLE = "mantissa-lut"
ACC_FROM = "L16/mantissa-lut/nvfp4"  # the accumulator row: the same fp32 adder / fixed register for every L and format
# Configurations the RTL cannot build: the row a configuration would need, the measured row that stands in for it, why.
SUBSTITUTES = [
    ("adder_tree_add", "L16/fp16", "L16/fp8", "dot_engine.sv has no FP16 lanes; the E4M3 engine's tree (23-bit "
     "products) stands in for the 45-bit FP16 tree: an UNDERESTIMATE"),
    ("scale_unit_op", "L16/fp16/fp32", "L16/fp8/fp32", "dot_engine.sv has no FP16 lanes; the E4M3 engine's scale "
     "unit stands in (a wider sum in the FP16 engine): an UNDERESTIMATE"),
]
NOT_CHARACTERIZED = [("controller", "-"), ("sram_bitcell", "6t")]


def tool_versions():
    y = netlist.synth_area.yosys_version()
    v = subprocess.run(["verilator", "--version"], capture_output=True, text=True).stdout.split()
    return f"Yosys {y}; Verilator {v[1] if len(v) > 1 else '?'}; {opensta.version()}"


def select(spec):
    every = units.all_units()
    if spec == "all":
        return every
    if spec == "reduced":
        return units.reduced_units()
    by = {u.name: u for u in every}
    out = []
    for name in spec.split(","):
        if name not in by:
            raise FlowError(f"--units: unknown unit '{name}' (known: {', '.join(by)})")
        out.append(by[name])
    return out


def literature_rows():
    rows = {}
    for line in open(LITERATURE, encoding="utf-8"):
        if line.startswith("#") or line.startswith("component"):
            continue
        f = [x.strip() for x in line.split(",", 6)]
        rows[(f[0], f[1])] = f
    out = []
    for comp, var in NOT_CHARACTERIZED:
        f = rows[(comp, var)]
        out.append({"component": comp, "variant": var, "voltage_v": f[2], "energy_pj": f[3], "leakage_uw": f[4],
                    "area_um2": f[5], "e_random_pj": "", "e_zero_pj": "", "toggle_rate": "", "zero_fraction": "",
                    "e_fit_z0_pj": "", "e_fit_slope_pj": "",
                    "source": "NOT CHARACTERIZED: literature estimate from sim/tech/generic-45nm.csv: " + f[6]})
    return out


def alias_rows(rows):
    """The rows the simulator reads, copied from the characterized engine rows (source '= ...'), and the labelled
    substitutes for configurations the RTL has no engine for."""
    by = {(r["component"], r["variant"]): r for r in rows}
    out = []

    def copy(comp, var, src_var, why):
        r = dict(by[(comp, src_var)])
        r["variant"] = var
        r["source"] = f"= {comp} {src_var} ({why})"
        out.append(r)

    for (comp, var) in list(by):
        parts = var.split("/")
        if len(parts) != 4 or parts[1] != DESIGN_STYLE:
            continue
        L, _, fmt, acc = parts
        if comp == "adder_tree_add" and acc == "fp32":
            copy(comp, f"{L}/{fmt}", var, "the design's engine; the tree adds the same products for every lane style "
                 "and accumulator")
        elif comp == "scale_unit_op":
            copy(comp, f"{L}/{fmt}/{acc}", var, "the design's engine; the same scale unit for every lane style")
        elif comp == "accumulate" and var.startswith(ACC_FROM + "/"):
            copy(comp, acc, var, "the design's 16-lane engine; the same accumulator for every L and weight format")
    have = {(r["component"], r["variant"]) for r in out}
    for comp, var, src_var, why in SUBSTITUTES:
        if (comp, src_var) in have and (comp, var) not in have:
            r = dict(next(x for x in out if (x["component"], x["variant"]) == (comp, src_var)))
            r["variant"] = var
            r["source"] = f"NOT CHARACTERIZED: {why}; = {comp} {src_var}"
            out.append(r)
    return out


def read_table(path):
    rows = {}
    header = None
    for line in open(path, encoding="utf-8"):
        if line.startswith("#"):
            continue
        f = [x.strip() for x in line.rstrip("\n").split(",")]
        if header is None:
            header = f
            continue
        r = dict(zip(header, f))
        rows[(r["component"], r["variant"])] = r
    return rows


def main(argv):
    ap = argparse.ArgumentParser(prog="scripts/characterize", description=__doc__.split("\n")[0])
    ap.add_argument("--steps", default=",".join(STEPS), help="any of sram, lut_cells, logic (default all three)")
    ap.add_argument("--units", default="all", help="all, reduced (what CI runs) or comma-separated unit names")
    ap.add_argument("--cycles", type=int, default=DEFAULT_CYCLES, help="stimulus cycles per stream (default 300)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="logic table (default sim/tech/sky130-characterized.csv)")
    ap.add_argument("--sram-out", default=DEFAULT_SRAM_OUT, help="SRAM table (default ecc/tech/sky130-openram.csv)")
    ap.add_argument("--work", default=os.path.join(REPO, "build", "characterize"), help="work folder (reused)")
    ap.add_argument("--lut-cells-out", default=str(lut_cells.DEFAULT_OUT),
                    help="latch LUT cell table (default sim/tech/sky130-lut-cells.csv)")
    ap.add_argument("--check", action="store_true", help="compare with the tables, write nothing")
    ap.add_argument("--streams", default="minilm,effnet,fmnist,random,zero,random_hold", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    steps = a.steps.split(",")
    bad = [s for s in steps if s not in STEPS]
    if bad or not steps:
        raise FlowError(f"--steps {a.steps}: expected a comma-separated list of {', '.join(STEPS)}")
    if not 8 <= a.cycles <= 20000:
        raise FlowError(f"--cycles {a.cycles}: expected 8..20000")
    chosen = select(a.units)
    if a.check and "logic" in steps and not os.path.isfile(a.out):
        raise FlowError(f"--check: no such file '{a.out}'")
    table_steps = {"sram": lambda: sram_macros.run(a.sram_out, a.check),
                   "lut_cells": lambda: lut_cells.run(a.lut_cells_out, a.check),
                   "logic": lambda: logic_step(a, chosen, argv)}
    skipped = 0
    for step in (s for s in STEPS if s in steps):
        t0 = time.time()
        rc = table_steps[step]()
        print(f"{step} step: exit {rc} ({time.time() - t0:.0f} s)", flush=True)
        if rc == pdk_lookup.SKIP:
            skipped = rc
        elif rc != 0:
            return rc
    return skipped  # a skipped step (77) is reported when the others passed


def logic_step(a, chosen, argv):
    try:
        lib0 = pdk_lookup.sky130_hd_liberty()
    except pdk_lookup.PdkMissing as e:
        print(f"skipped: {e}")
        return pdk_lookup.SKIP
    a.work = os.path.abspath(a.work)
    os.makedirs(a.work, exist_ok=True)
    lib, cells = netlist.synth_area.filtered_liberty(lib0, a.work)
    kinds = a.streams.split(",")
    rows, t0 = [], time.time()
    for u in chosen:
        print(f"characterizing {u.name}", flush=True)
        res = flow.characterize(u, lib, cells, kinds, a.cycles, a.work)
        rows += table.rows(u, res)
    if a.check:
        committed = read_table(a.out)
        for r in rows:
            c = committed.get((r["component"], r["variant"]))
            if c is None:
                print(f"MISMATCH: {a.out} has no row {r['component']} {r['variant']}")
                return 1
            for k in ("energy_pj", "leakage_uw", "area_um2", "e_random_pj", "e_zero_pj", "toggle_rate"):
                if c[k] != r[k]:
                    print(f"MISMATCH: {r['component']} {r['variant']} {k}: committed {c[k]}, flow {r[k]}")
                    return 1
        print(f"check: {len(rows)} rows equal the committed table ({time.time() - t0:.0f} s)")
        return 0
    all_rows = rows + alias_rows(rows) + literature_rows()
    cmd = "scripts/characterize " + " ".join(argv)
    table.write(a.out, all_rows, table.banner_lines(cmd.strip(), tool_versions(), lib0, a.cycles,
                                                      " ".join(u.name for u in chosen)))
    print(f"wrote {a.out}: {len(all_rows)} rows ({time.time() - t0:.0f} s)")
    return 0


def entry():
    try:
        sys.exit(main(sys.argv[1:]))
    except FlowError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
