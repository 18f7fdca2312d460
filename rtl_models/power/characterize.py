"""scripts/characterize: RTL -> sky130 gate-level power -> sim/tech/sky130-characterized.csv (docs/energy.md).

    scripts/characterize [--units all|reduced|NAME[,NAME...]] [--cycles N] [--out CSV] [--work DIR] [--check CSV]

--check CSV: run the given units and compare their rows with those in CSV (the committed table); exit 1 naming the
first differing field. Without the sky130 Liberty: prints why and exits 77 (CTest skip), never 1.
"""
import argparse
import os
import subprocess
import sys
import time

from . import flow, netlist, opensta, pdk_lookup, table, units
from .netlist import FlowError

REPO = netlist.REPO
DEFAULT_OUT = os.path.join(REPO, "sim", "tech", "sky130-characterized.csv")
DEFAULT_CYCLES = 300
LITERATURE = os.path.join(REPO, "sim", "tech", "generic-45nm.csv")
# Rows the energy model asks for by their historic keys: which characterized row answers each (ecc_encode/decode
# secded64 and lane_multiply <style>/<format> are characterized under those names).
ALIASES = [
    ("adder_tree_add", "int16", "adder_tree_add", "L16/mantissa-lut/nvfp4/fp32"),
    ("scale_unit_op", "ue4m3", "scale_unit_op", "L16/mantissa-lut/nvfp4/fp32"),
    ("accumulate", "fp32", "accumulate", "L16/mantissa-lut/nvfp4/fp32"),
    ("accumulate", "fixed32", "accumulate", "L16/mantissa-lut/nvfp4/fixed32"),
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
    by = {(r["component"], r["variant"]): r for r in rows}
    out = []
    for comp, var, src_c, src_v in ALIASES:
        if (src_c, src_v) in by:
            r = dict(by[(src_c, src_v)])
            r["variant"] = var
            r["source"] = f"= {src_c} {src_v} (default configuration)"
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
    ap.add_argument("--units", default="all", help="all, reduced (what CI runs) or comma-separated unit names")
    ap.add_argument("--cycles", type=int, default=DEFAULT_CYCLES, help="stimulus cycles per stream (default 300)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="table to write (default sim/tech/sky130-characterized.csv)")
    ap.add_argument("--work", default=os.path.join(REPO, "build", "characterize"), help="work folder (reused)")
    ap.add_argument("--check", metavar="CSV", help="compare the units' rows with this committed table, write nothing")
    ap.add_argument("--streams", default="minilm,effnet,fmnist,random,zero,random_hold", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if not 8 <= a.cycles <= 20000:
        raise FlowError(f"--cycles {a.cycles}: expected 8..20000")
    chosen = select(a.units)
    if a.check and not os.path.isfile(a.check):
        raise FlowError(f"--check: no such file '{a.check}'")
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
        committed = read_table(a.check)
        for r in rows:
            c = committed.get((r["component"], r["variant"]))
            if c is None:
                print(f"MISMATCH: {a.check} has no row {r['component']} {r['variant']}")
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
