"""Synthesis for the power flow: Yosys maps one RTL configuration onto sky130_fd_sc_hd keeping the module hierarchy
through ABC (so every cell can be attributed to the unit it belongs to), then flattens, ties constants to conb cells
and writes a JSON netlist. `write_verilog_netlist` turns that into a plain structural Verilog file (nets named after
ports or n<id>) that Verilator (with the Liberty cell models) and OpenSTA both read.

Recipe: read_verilog -sv; chparam; hierarchy; synth; dfflibmap; abc -liberty; flatten; setundef -zero; hilomap;
opt_clean. Differs from rtl_models/synth/synth_area.py only in keeping the hierarchy through ABC (no cross-boundary
optimisation), so areas here are a few percent above that table's.
"""
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "rtl_models", "synth"))
import synth_area  # noqa: E402  (filtered liberty, RTL file list, Yosys version: one owner)


class FlowError(Exception):
    pass


@dataclass
class Netlist:
    top: str
    cells: dict                      # name -> (type, {pin: bit})
    ports: dict                      # name -> (direction, [bits])
    netnames: dict                   # bit -> best public name
    drivers: dict                    # bit -> (cell name, output pin)
    allnames: dict                   # bit -> every name of that net (registers keep theirs next to port names)
    groups: dict = field(default_factory=dict)   # cell name -> group


def synthesize(files, top, params, lib, work):
    """Runs Yosys; returns the JSON netlist path. `lib` is the filtered (lpflow-free) liberty."""
    script = [f"read_verilog -sv -I{os.path.join(REPO, 'rtl_models', 'rtl')} " + " ".join(files)]
    if params:
        script.append("chparam " + " ".join(f"-set {k} {v}" for k, v in params.items()) + f" {top}")
    script += [f"hierarchy -check -top {top}", f"rename -top {top}", f"synth -top {top}",
               f"dfflibmap -liberty {lib}", f"abc -liberty {lib}", "flatten", "setundef -zero",
               "hilomap -singleton -hicell sky130_fd_sc_hd__conb_1 HI -locell sky130_fd_sc_hd__conb_1 LO",
               "opt_clean -purge", f"write_json {work}/netlist.json"]
    ys = os.path.join(work, "synth.ys")
    with open(ys, "w", encoding="utf-8") as f:
        f.write("\n".join(script) + "\n")
    log = os.path.join(work, "yosys.log")
    r = subprocess.run(["yosys", "-q", "-l", log, "-s", ys], cwd=REPO, capture_output=True, text=True)
    if r.returncode != 0:
        errors = [l for l in (r.stdout + r.stderr).splitlines() if "ERROR" in l] or (r.stdout + r.stderr).splitlines()[-3:]
        raise FlowError(f"yosys failed on {top} {params}: " + " | ".join(errors))
    return os.path.join(work, "netlist.json")


def load_netlist(path, top):
    d = json.load(open(path, encoding="utf-8"))
    m = d["modules"][top]
    names, allnames = {}, {}
    for name, n in m["netnames"].items():
        for b in n["bits"]:
            if isinstance(b, int):
                allnames.setdefault(b, []).append(name.split("[")[0])
    for name, n in sorted(m["netnames"].items(), key=lambda kv: (kv[1].get("hide_name", 0), len(kv[0]))):
        for i, b in enumerate(n["bits"]):
            if isinstance(b, int) and b not in names:
                names[b] = f"{name}[{i}]" if len(n["bits"]) > 1 else name
    cells, drivers = {}, {}
    for cname, c in m["cells"].items():
        cells[cname] = (c["type"], {p: v[0] for p, v in c["connections"].items()})
        for p, d in c.get("port_directions", {}).items():
            if d == "output" and isinstance(c["connections"][p][0], int):
                drivers[c["connections"][p][0]] = (cname, p)
    ports = {p: (v["direction"], v["bits"]) for p, v in m["ports"].items()}
    return Netlist(top, cells, ports, names, drivers, allnames)


def assign_groups(nl, rules, default):
    """rules: [(group, regex on the hierarchical cell name or, for flip-flops, on the name of the net they drive)]."""
    for cname, (ctype, pins) in nl.cells.items():
        inst = cname.replace("$flatten\\", "").replace("\\", "")
        qs = ["ff:" + q for q in nl.allnames.get(pins["Q"], [])] if "Q" in pins else []
        g = default
        for group, rx in rules:
            if re.search(rx, inst) or any(re.search(rx, q) for q in qs):
                g = group
                break
        nl.groups[cname] = g


def write_verilog_netlist(nl, path):
    """Plain structural Verilog: ports as declared, internal nets n<id>, cells c<index>; returns {cell name: c<i>}
    and {bit: net name} so activities and groups can be mapped back."""
    bitname, lines, assigns = {}, [], []
    for p, (d, bits) in nl.ports.items():
        for i, b in enumerate(bits):
            nm = f"{p}[{i}]" if len(bits) > 1 else p
            if isinstance(b, int) and b not in bitname:
                bitname[b] = nm
            else:  # port bit tied to a constant or to another port's bit
                src = bitname.get(b) if isinstance(b, int) else ("1'b1" if b == "1" else "1'b0")
                assigns.append(f"  assign {nm} = {src};")
    wires = set()
    for ctype, pins in nl.cells.values():
        for b in pins.values():
            if isinstance(b, int) and b not in bitname:
                bitname[b] = f"n{b}"
                wires.add(b)
    decl = ", ".join(nl.ports)
    lines.append(f"module {nl.top}({decl});")
    for p, (d, bits) in nl.ports.items():
        rng = f"[{len(bits) - 1}:0] " if len(bits) > 1 else ""
        lines.append(f"  {d} {rng}{p};")
    for b in sorted(wires):
        lines.append(f"  wire n{b};")
    lines += assigns
    inst = {}
    for i, (cname, (ctype, pins)) in enumerate(sorted(nl.cells.items())):
        iname = f"c{i}"
        inst[cname] = iname
        conn = ", ".join(f".{p}({bitname[b] if isinstance(b, int) else ('1' + chr(39) + 'b' + b)})"
                         for p, b in sorted(pins.items()))
        lines.append(f"  {ctype} {iname} ({conn});")
    lines.append("endmodule")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return inst, bitname


def cell_models(lib, work):
    """Verilog models of the Liberty cells from their `function`/`ff` groups (Yosys read_liberty without -lib)."""
    out = os.path.join(work, "cells.v")
    if not os.path.exists(out):
        r = subprocess.run(["yosys", "-q", "-p", f"read_liberty -ignore_miss_func {lib}; write_verilog -noattr {out}"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise FlowError("yosys could not read the cell functions from the liberty: " + r.stderr.strip()[-300:])
    return out


def output_pins(cells_v):
    """{cell type: {output pin names}} from the cell models' port declarations."""
    out, cur = {}, None
    for line in open(cells_v, encoding="utf-8"):
        m = re.match(r"module (\S+)\(", line)
        if m:
            cur = out.setdefault(m.group(1), set())
        m = re.match(r"\s*output (?:\[\S+\] )?(\w+);", line)
        if m and cur is not None:
            cur.add(m.group(1))
    return out


def find_drivers(nl, outputs):
    for cname, (ctype, pins) in nl.cells.items():
        if ctype not in outputs:
            raise FlowError(f"cell type {ctype} has no model in the liberty")
        for p, b in pins.items():
            if p in outputs[ctype] and isinstance(b, int):
                nl.drivers[b] = (cname, p)
