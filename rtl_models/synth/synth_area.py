#!/usr/bin/env python3
"""Synthesize one RTL configuration with Yosys against the sky130 HD typical-corner liberty and record its area (um^2),
cell count and leakage (nW) as one row of a CSV file.

    rtl_models/synth/synth_area.py --config lane_mant_e2m1 --top lane_mul --param WFMT=0 --param STYLE=0 \
        --csv rtl_models/synth/results.csv [--files F.sv ...] [--liberty LIB.lib[.gz]] [--keep-log DIR]

Runs from the repository root (the RTL reads its $readmemh tables relative to it). The sky130_fd_sc_hd__lpflow_*
low-power isolation cells are removed from the liberty before mapping, so neither dfflibmap nor ABC can pick them.
Flow: read_verilog -sv; chparam; synth -flatten; dfflibmap; abc; opt_clean; stat -liberty (area), leakage = sum of
cell counts x cell_leakage_power. Rows with the same --config are replaced; the CSV is written to a temporary name and
renamed. Bad input (unknown top or parameter, missing file, parameters the RTL refuses) prints `error: ...` and exits 2.
"""
import argparse
import csv
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RTL = os.path.join(REPO, "rtl_models", "rtl")
sys.path.insert(0, os.path.join(REPO, "scripts", "pdk"))
from pdk import PdkMissing, liberty  # noqa: E402  (the one PDK lookup: scripts/pdk/liberty.sh)

DEFAULT_LIB = ("sky130_fd_sc_hd", "sky130_fd_sc_hd__tt_025C_1v80")  # library, Liberty file name
FIELDS = ["config", "top", "params", "area_um2", "cells", "sequential_cells", "leakage_nW", "liberty", "yosys"]


class Refused(Exception):
    pass


def default_files():
    return sorted(os.path.join(RTL, f) for f in os.listdir(RTL) if f.endswith(".sv"))


def check_top_and_params(files, top, params):
    text = ""
    for f in files:
        if not os.path.isfile(f):
            raise Refused(f"--files: no such file '{f}'")
        text += open(f, encoding="utf-8").read() + "\n"
    m = re.search(r"\bmodule\s+" + re.escape(top) + r"\b(.*?)\bendmodule\b", text, re.S)
    if not m:
        raise Refused(f"--top: module '{top}' is not defined in the given files")
    declared = set(re.findall(r"\bparameter\s+(?:int\s+)?(\w+)", m.group(1)))
    for name in params:
        if name not in declared:
            raise Refused(f"--param {name}: module '{top}' has no parameter '{name}' (it has: {', '.join(sorted(declared))})")


def filtered_liberty(lib_path, out_dir):
    """Copies the liberty without lpflow cells; returns (path, {cell: (area, leakage_nW)})."""
    if not os.path.isfile(lib_path):
        raise Refused(f"--liberty: no such file '{lib_path}'")
    opener = gzip.open if lib_path.endswith(".gz") else open
    with opener(lib_path, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    out, cells, skip_depth, depth, cur = [], {}, None, 0, None
    for line in lines:
        m = re.match(r'\s*cell\s*\(\s*"?([\w]+)"?\s*\)\s*\{', line)
        if m and skip_depth is None:
            cur = m.group(1)
            if "__lpflow_" in cur:
                skip_depth = depth
            else:
                cells[cur] = [0.0, 0.0]
        if skip_depth is None:
            out.append(line)
            if cur and cur in cells:
                a = re.match(r"\s*area\s*:\s*([0-9.eE+-]+)", line)
                lk = re.match(r"\s*cell_leakage_power\s*:\s*([0-9.eE+-]+)", line)
                if a and depth == 2:
                    cells[cur][0] = float(a.group(1))
                if lk and depth == 2:
                    cells[cur][1] = float(lk.group(1))
        depth += line.count("{") - line.count("}")
        if skip_depth is not None and depth <= skip_depth:
            skip_depth = None
            cur = None
    path = os.path.join(out_dir, "sky130_hd_tt_no_lpflow.lib")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(out)
    return path, {k: tuple(v) for k, v in cells.items()}


def run_yosys(files, top, params, lib, work):
    script = [f"read_verilog -sv -I{RTL} " + " ".join(files)]
    if params:  # one chparam: each call derives a renamed module, so a second call would not find `top`
        script.append("chparam " + " ".join(f"-set {k} {v}" for k, v in params.items()) + f" {top}")
    script += [f"hierarchy -check -top {top}",
               f"rename -top {top}",  # hierarchy may derive the top into a $paramod name (localparams in its header)
               f"synth -flatten -top {top}", f"dfflibmap -liberty {lib}",
               f"abc -liberty {lib}", "opt_clean", f"tee -q -o {work}/stat.json stat -json -liberty {lib}",
               f"tee -q -o {work}/stat.txt stat -liberty {lib}"]
    ys = os.path.join(work, "run.ys")
    with open(ys, "w", encoding="utf-8") as f:
        f.write("\n".join(script) + "\n")
    log = os.path.join(work, "yosys.log")
    with open(log, "w", encoding="utf-8") as lf:
        rc = subprocess.run(["yosys", "-q", "-l", log + ".full", "-s", ys], cwd=REPO, stdout=lf, stderr=subprocess.STDOUT).returncode
    if rc != 0:
        msg = open(log, encoding="utf-8").read().strip().splitlines()
        errors = [l for l in msg if "ERROR" in l] or msg[-3:]
        raise Refused(f"yosys refused {top} {params}: " + " | ".join(errors))
    text = open(os.path.join(work, "stat.json"), encoding="utf-8").read()
    stat = json.loads(text[text.index("{"):])
    m = re.search(r"Chip area for (?:top )?module .*?:\s*([0-9.]+)", open(os.path.join(work, "stat.txt"), encoding="utf-8").read())
    if not m:
        raise Refused("yosys stat printed no chip area")
    stat["chip_area"] = float(m.group(1))
    return stat


def yosys_version():
    out = subprocess.run(["yosys", "-V"], capture_output=True, text=True).stdout.strip()
    m = re.search(r"Yosys (\S+)", out)
    return m.group(1) if m else out


def write_csv(path, row):
    rows = []
    if os.path.exists(path):
        with open(path, newline="", encoding="utf-8") as f:
            lines = [l for l in f if not l.startswith("#")]
        rows = [r for r in csv.DictReader(lines) if r["config"] != row["config"]]
    rows.append(row)
    header = ("# generated by rtl_models/synth/synth_area.py (Yosys + sky130_fd_sc_hd tt_025C_1v80, lpflow cells "
              "excluded); do not edit; regenerate with: bash rtl_models/synth/run_all.sh\n")
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), suffix=".tmp")
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
        f.write(header)
        w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", required=True, help="row name in the CSV, e.g. engine_L16_e2m1_mant_fp32")
    ap.add_argument("--top", required=True, help="top module")
    ap.add_argument("--param", action="append", default=[], help="NAME=VALUE (integer), repeatable")
    ap.add_argument("--files", nargs="+", help="Verilog sources (default: every rtl_models/rtl/*.sv)")
    ap.add_argument("--liberty", help="liberty file (.lib or .lib.gz); default: sky130_fd_sc_hd__tt_025C_1v80 found by "
                    "scripts/pdk/liberty.sh (NVFP4_PDK_ROOT, PDK_ROOT, ../shared/pdk)")
    ap.add_argument("--csv", required=True, help="CSV file to add the row to")
    ap.add_argument("--keep-log", help="folder to keep the Yosys script, log and stat JSON in")
    a = ap.parse_args(argv)
    if a.liberty is None:
        try:
            a.liberty = liberty(*DEFAULT_LIB)
        except PdkMissing as e:
            raise Refused(f"--liberty not given and {e}")
    params = {}
    for p in a.param:
        if not re.fullmatch(r"[A-Za-z_]\w*=-?\d+", p):
            raise Refused(f"--param '{p}': expected NAME=INTEGER")
        k, v = p.split("=", 1)
        params[k] = v
    files = [os.path.abspath(f) for f in a.files] if a.files else default_files()
    check_top_and_params(files, a.top, params)
    with tempfile.TemporaryDirectory() as tmp:
        work = a.keep_log or tmp
        os.makedirs(work, exist_ok=True)
        lib, cells = filtered_liberty(os.path.abspath(a.liberty), work)
        stat = run_yosys(files, a.top, params, lib, work)
    mod = stat["design"] if "design" in stat else next(iter(stat["modules"].values()))
    by_type = mod.get("num_cells_by_type", {})
    unknown = [c for c in by_type if c not in cells]
    if unknown:
        raise Refused(f"synthesized netlist has cells without a liberty entry: {', '.join(unknown)}")
    leakage = sum(n * cells[c][1] for c, n in by_type.items())
    area = sum(n * cells[c][0] for c, n in by_type.items())
    if abs(area - stat["chip_area"]) > 0.01 * max(1.0, area):
        raise Refused(f"area from the liberty ({area:.2f}) differs from yosys stat ({stat['chip_area']:.2f})")
    seq = sum(n for c, n in by_type.items() if re.search(r"__(df|dl|sdf|edf)", c))
    row = {"config": a.config, "top": a.top, "params": " ".join(f"{k}={v}" for k, v in params.items()),
           "area_um2": f"{stat['chip_area']:.2f}", "cells": str(mod["num_cells"]), "sequential_cells": str(seq),
           "leakage_nW": f"{leakage:.3f}", "liberty": os.path.basename(a.liberty), "yosys": yosys_version()}
    write_csv(a.csv, row)
    print(f"{a.config}: area {row['area_um2']} um^2, {row['cells']} cells ({seq} sequential), leakage {row['leakage_nW']} nW")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Refused as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
