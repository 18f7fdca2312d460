"""One unit through the flow: synthesis -> gate-level simulation per stimulus -> OpenSTA power per group.

Result per unit: for each stimulus, per group, dynamic energy per cycle (internal, switching) [pJ] and the mean
toggle rate of the unit's nets; per group, leakage [uW] and area [um^2]. Work files go to WORK/<unit>/ and are reused
when the RTL, parameters and liberty have not changed (synthesis is the slow step).
"""
import hashlib
import json
import os
import time

from . import direct_sum, gatesim, netlist, opensta, stimulus
from .netlist import FlowError
from .units import ENGINE_GROUPS

REPO = netlist.REPO
RESET_CYCLES = 2
SKIP = {"engine": 4, "lane": 1, "secded_enc": 1, "secded_dec": 1}  # cycles not counted (reset, pipeline fill)


def _files(unit):
    if unit.files:
        return [os.path.join(REPO, f) for f in unit.files]
    return netlist.synth_area.default_files()


def _key(unit, lib):
    h = hashlib.sha256()
    for f in _files(unit):
        h.update(open(f, "rb").read())
    for t in sorted(os.listdir(os.path.join(REPO, "rtl_models", "tables"))):
        h.update(open(os.path.join(REPO, "rtl_models", "tables", t), "rb").read())
    h.update(json.dumps([unit.top, unit.params, os.path.getsize(lib)], sort_keys=True).encode())
    h.update(open(__file__.replace("flow.py", "netlist.py"), "rb").read())
    return h.hexdigest()[:16]


def vectors(unit, kind, n, nl):
    """Stimulus vectors (ints, packed in the test bench's input layout) and the operand statistics."""
    layout = gatesim.input_layout(nl.ports)

    def pack(vals):
        v, lo = 0, 0
        for p, w in layout:
            v |= (int(vals.get(p, 0)) & ((1 << w) - 1)) << lo
            lo += w
        return v

    if unit.kind.startswith("secded"):
        words = stimulus.data_words(kind, unit.params["K"], n)
        port = "data_i" if unit.kind == "secded_enc" else "codeword_i"
        return [pack({port: w}) for w in words], {}
    beats = stimulus.stream(kind, unit.L, unit.wscheme, n)
    st = stimulus.stats(beats, unit.wscheme)
    wbits = {"nvfp4": 4, "fp8": 8, "fp16": 16}[unit.wscheme]
    if unit.kind == "lane":
        st = stimulus.stats([(a[:1], w[:1]) for a, w, *_ in beats], unit.wscheme)  # lane 0 is what it sees
        return [pack({"a_i": a[0], "w_i": w[0]}) for a, w, *_ in beats], st
    vecs = [pack({"rst_ni": 0}) for _ in range(RESET_CYCLES)]
    for a, w, sa, sb, first, last in beats:
        vecs.append(pack({"rst_ni": 1, "in_valid_i": 1, "out_ready_i": 1, "first_i": first, "last_i": last,
                          "a_i": stimulus.pack(a, 4), "w_i": stimulus.pack(w, wbits), "sa_i": sa, "sb_i": sb}))
    return vecs, st


def groups_of(unit, nl):
    if unit.kind == "engine":
        netlist.assign_groups(nl, ENGINE_GROUPS, "glue")
    else:
        netlist.assign_groups(nl, [], unit.kind)


def characterize(unit, lib, cells, kinds, n, work_root, log=print):
    work = os.path.join(work_root, unit.name)
    os.makedirs(work, exist_ok=True)
    t0 = time.time()
    key = _key(unit, lib)
    stamp = os.path.join(work, "netlist.key")
    jpath = os.path.join(work, "netlist.json")
    if not (os.path.exists(stamp) and open(stamp).read() == key and os.path.exists(jpath)):
        netlist.synthesize(_files(unit), unit.top, {k: str(v) for k, v in unit.params.items()}, lib, work)
        open(stamp, "w").write(key)
    nl = netlist.load_netlist(jpath, unit.top)
    cells_v = netlist.cell_models(lib, os.path.dirname(work))
    netlist.find_drivers(nl, netlist.output_pins(cells_v))
    groups_of(unit, nl)
    inst_map, nl.bitnames = netlist.write_verilog_netlist(nl, os.path.join(work, "netlist.v"))
    t_syn = time.time()
    feeder, extra = None, []
    if unit.kind == "secded_dec":
        k = unit.params["K"]
        feeder = (f"  logic [$bits(dut.codeword_i)-1:0] cw;\n  secded_enc #(.K({k})) u_feed (.data_i(v[{k - 1}:0]), "
                  ".codeword_o(cw));", {"codeword_i": "cw"})
        extra = [os.path.join(REPO, "rtl_models", "ecc", "secded_enc.sv"), "-I" + os.path.join(REPO, "rtl_models", "ecc")]
    tb = os.path.join(work, "tb.sv")
    width = gatesim.write_tb(nl, tb, feeder)
    binary = os.path.join(work, "obj", "Vchar_tb")
    bkey = os.path.join(work, "tb.key")
    tb_text = open(tb).read() + open(os.path.join(work, "netlist.v")).read()
    tkey = hashlib.sha256(tb_text.encode()).hexdigest()[:16]
    if not (os.path.exists(binary) and os.path.exists(bkey) and open(bkey).read() == tkey):
        used = gatesim.used_cell_models(cells_v, {t for t, _ in nl.cells.values()}, os.path.join(work, "cells_used.v"))
        binary = gatesim.build(work, os.path.join(work, "netlist.v"), used,
                               tb, extra)
        open(bkey, "w").write(tkey)
    t_build = time.time()
    # The result is reused when netlist, test bench, stimulus settings and the flow's own code are unchanged (the
    # stimulus comes from the committed tensors, read by stimulus.py; a changed tensor needs a fresh --work folder).
    rkey = hashlib.sha256(json.dumps([key, tkey, n, list(kinds)]).encode() + b"".join(
        open(os.path.join(os.path.dirname(__file__), f), "rb").read()
        for f in ("flow.py", "stimulus.py", "gatesim.py", "opensta.py", "direct_sum.py"))).hexdigest()[:16]
    rpath = os.path.join(work, "result.json")
    if os.path.exists(rpath):
        with open(rpath, encoding="utf-8") as f:
            old = json.load(f)
        if old.get("key") == rkey:
            log(f"  {unit.name}: result reused ({rpath})")
            return old
    runs, stats = [], {}
    for kind in kinds:
        vecs, st = vectors(unit, kind, n, nl)
        stim = os.path.join(work, f"stim_{kind}.hex")
        gatesim.write_stimulus(stim, vecs, width)
        vcd = os.path.join(work, f"{kind}.vcd")
        gatesim.run(binary, stim, len(vecs), vcd, REPO)
        tog, cycles = gatesim.toggles(vcd, SKIP[unit.kind])
        os.remove(vcd)
        act = {nm: (t / cycles, d) for nm, (t, d) in tog.items()}
        nets = [nm for nm in nl.bitnames.values()]
        st["toggle_rate"] = sum(act.get(nm, (0, 0))[0] for nm in nets) / max(1, len(nets))
        st["cycles"] = cycles
        stats[kind] = st
        runs.append((kind, act))
    t_sim = time.time()
    tcl = os.path.join(work, "power.tcl")
    with open(tcl, "w", encoding="utf-8") as f:
        f.write(opensta.script(lib, os.path.join(work, "netlist.v"), unit.top, "clk_i" in nl.ports,
                               [p for p, _ in gatesim.input_layout(nl.ports)], os.path.join(work, "power_")))
    opensta.run(tcl, work)
    t_sta = time.time()
    coef = opensta.coefficients(os.path.join(work, "power_"))
    outs = {}  # instance -> names of the nets its outputs drive
    for b, (cell, pin) in nl.drivers.items():
        outs.setdefault(inst_map[cell], []).append(nl.bitnames[b])
    res = {"unit": unit.name, "key": rkey, "cells": len(nl.cells), "stimuli": {}, "leakage_uw": {}, "area_um2": {}}
    for c, g in nl.groups.items():
        res["area_um2"][g] = res["area_um2"].get(g, 0.0) + cells[nl.cells[c][0]][0]
        res["leakage_uw"][g] = res["leakage_uw"].get(g, 0.0) + coef[inst_map[c]][4] * 1e6
    period_s = opensta.PERIOD_NS * 1e-9
    for kind, act in runs:
        per = {}
        for c, g in nl.groups.items():
            i = inst_map[c]
            bi, bs, ui, us, _ = coef[i]
            nets = outs.get(i, [])
            rate = sum(act.get(n, (0, 0))[0] for n in nets) / max(1, len(nets))
            e = per.setdefault(g, [0.0, 0.0])
            e[0] += (bi * period_s + rate * ui) * 1e12  # pJ per cycle
            e[1] += (bs * period_s + rate * us) * 1e12
        res["stimuli"][kind] = {"groups_pj": per, **stats[kind]}
    if "clk_i" not in nl.ports:  # combinational: the direct Liberty sum cross-checks OpenSTA (direct_sum.py)
        dlib = direct_sum.Liberty(lib, {t for t, _ in nl.cells.values()})
        for kind, act in runs:
            res["stimuli"][kind]["direct_pj"] = direct_sum.stream_energy(nl, dlib, act)
    log(f"  {unit.name}: {len(nl.cells)} cells; synth {t_syn - t0:.0f}s, verilate {t_build - t_syn:.0f}s, "
        f"simulate {t_sim - t_build:.0f}s, opensta {t_sta - t_sim:.0f}s")
    with open(rpath, "w", encoding="utf-8") as f:
        json.dump(res, f, indent=1)
    return res
