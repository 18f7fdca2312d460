"""Independent cross-check of OpenSTA: the energy of a simulated stream summed directly from the Liberty.

Per cycle, over every cell c and net n of a combinational netlist:
  E = sum_c sum_{outputs o} r(o) * mean_arcs[(rise + fall)/2 at (slew S, load C(o))]      (output internal tables)
    + sum_c sum_{inputs i}  r(i) * (rise + fall)/2 at slew S                               (input-pin internal tables)
    + sum_{cell-driven nets n} r(n) * 1/2 C(n) V^2                                         (switching)
with r the simulated toggles per cycle, C(n) = sum of the load pins' capacitance + the wire-load model's
capacitance for the net's fanout (Liberty default_wire_load "Small": length(fanout) x capacitance per unit length,
past the last table entry extended with `slope`), V = 1.8 V, S a fixed input slew (SLEW_NS).
Differences from OpenSTA (docs/energy.md, "Cross-check"): OpenSTA reads each table at the slew its delay calculator
propagates, weights arcs by the Boolean-difference probability of each related input instead of equally, multiplies
input-pin tables by a 0.5 duty, and attributes every pin's energy to that pin's own activity, where this flow's
OpenSTA weighting charges an instance's whole per-toggle energy to its output toggles.
"""
import bisect
import gzip
import re

SLEW_NS = 0.05
VDD = 1.8


def _blocks(text, start):
    """End index of the brace block opening at text[start] == '{'."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced liberty")


def _nums(s):
    return [float(x) for x in re.findall(r"-?[0-9.]+(?:[eE][-+]?\d+)?", s)]


def _table(block):
    i1 = re.search(r"index_1\s*\(\s*\"([^\"]*)\"", block)
    i2 = re.search(r"index_2\s*\(\s*\"([^\"]*)\"", block)
    v = re.search(r"values\s*\((.*?)\)\s*;", block, re.S)
    vals = _nums(v.group(1).replace("\\", " "))
    x = _nums(i1.group(1)) if i1 else [0.0]
    y = _nums(i2.group(1)) if i2 else [0.0]
    return x, y, [vals[k * len(y):(k + 1) * len(y)] for k in range(len(x))]


def _interp(tab, a, b=0.0):
    x, y, v = tab

    def idx(axis, q):
        if len(axis) == 1:
            return 0, 0, 0.0
        k = min(max(bisect.bisect_right(axis, q) - 1, 0), len(axis) - 2)
        return k, k + 1, (q - axis[k]) / (axis[k + 1] - axis[k])
    i0, i1, fa = idx(x, a)
    j0, j1, fb = idx(y, b)
    lo = v[i0][j0] + (v[i0][j1] - v[i0][j0]) * fb
    hi = v[i1][j0] + (v[i1][j1] - v[i1][j0]) * fb
    return lo + (hi - lo) * fa


class Liberty:
    def __init__(self, path, cell_types):
        opener = gzip.open if path.endswith(".gz") else open
        text = opener(path, "rt", encoding="utf-8").read()
        wl = re.search(r'wire_load\("Small"\)\s*\{(.*?)\}', text, re.S).group(1)
        self.wire_cap = float(re.search(r"capacitance\s*:\s*([0-9.eE+-]+)", wl).group(1))
        self.wire_slope = float(re.search(r"slope\s*:\s*([0-9.eE+-]+)", wl).group(1))
        self.fanout_len = {int(a): float(b) for a, b in re.findall(r"fanout_length\(\s*(\d+),\s*([0-9.]+)\)", wl)}
        self.cells = {}
        for ct in cell_types:
            m = re.search(r'cell\s*\(\s*"' + re.escape(ct) + r'"\s*\)\s*\{', text)
            body = text[m.end() - 1:_blocks(text, m.end() - 1) + 1]
            pins = {}
            for pm in re.finditer(r'\n\s*pin\s*\(\s*"(\w+)"\s*\)\s*\{', body):
                pb = body[pm.end() - 1:_blocks(body, pm.end() - 1) + 1]
                cap = re.search(r"\n\s*capacitance\s*:\s*([0-9.eE+-]+)", pb)
                arcs = []
                for im in re.finditer(r"internal_power\s*\(\s*\)\s*\{", pb):
                    ib = pb[im.end() - 1:_blocks(pb, im.end() - 1) + 1]
                    rel = re.search(r'related_pin\s*:\s*"(\w+)"', ib)
                    rise = re.search(r"rise_power\s*\(\s*\"?\w*\"?\s*\)\s*\{", ib)
                    fall = re.search(r"fall_power\s*\(\s*\"?\w*\"?\s*\)\s*\{", ib)
                    t = []
                    for g in (rise, fall):
                        if g:
                            t.append(_table(ib[g.end() - 1:_blocks(ib, g.end() - 1) + 1]))
                    arcs.append((rel.group(1) if rel else None, t))
                d = re.search(r'direction\s*:\s*"(\w+)"', pb).group(1)
                pins[pm.group(1)] = {"dir": d, "cap": float(cap.group(1)) if cap else 0.0, "arcs": arcs}
            self.cells[ct] = pins

    def wire(self, fanout):
        if fanout in self.fanout_len:
            length = self.fanout_len[fanout]
        else:
            top = max(self.fanout_len)
            length = self.fanout_len[top] + (fanout - top) * self.wire_slope
        return length * self.wire_cap

    def arc_energy(self, arc, slew, load):
        t = arc[1]
        return sum(_interp(x, slew, load) for x in t) / max(1, len(t))  # mean of rise and fall [pJ]


def stream_energy(nl, lib, rates):
    """(internal, switching) pJ per cycle of a combinational netlist with toggles per cycle `rates[net name]`."""
    loads = {}
    for cname, (ctype, pins) in nl.cells.items():
        for p, b in pins.items():
            if lib.cells[ctype][p]["dir"] == "input" and isinstance(b, int):
                loads.setdefault(b, []).append(lib.cells[ctype][p]["cap"])
    internal = switching = 0.0
    for cname, (ctype, pins) in nl.cells.items():
        for p, b in pins.items():
            if not isinstance(b, int):
                continue
            pin = lib.cells[ctype][p]
            r = rates.get(nl.bitnames[b], (0.0, 0.0))[0]
            if pin["dir"] == "output":
                caps = loads.get(b, [])
                c = sum(caps) + (lib.wire(len(caps)) if caps else 0.0)
                arcs = [a for a in pin["arcs"] if a[1]]
                if arcs:
                    internal += r * sum(lib.arc_energy(a, SLEW_NS, c) for a in arcs) / len(arcs)
                switching += r * 0.5 * c * VDD * VDD  # pF x V^2 = pJ
            elif pin["arcs"]:
                internal += r * sum(lib.arc_energy(a, SLEW_NS, 0.0) for a in pin["arcs"] if a[1])
    return internal, switching
