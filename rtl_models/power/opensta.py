"""Per-instance energy coefficients from OpenSTA (Debian opensta 2.0.17, 2019): read_liberty, read_verilog,
link_design, a clock, set_power_activity, report_power -instances.

This OpenSTA ignores per-pin activities (`set_power_activity -pins` fails inside its own Tcl with
`get_pins_error`; `-input_ports` and `sta::set_power_pin_activity` are overwritten when it propagates the global
input activity to every net), so a simulated toggle rate per net cannot be handed to it. The flow therefore asks it
for two numbers per instance and weights them itself (flow.py):
  base: power with global activity 0: what the clock alone costs (flip-flop clock pins) [W];
  unit: power with global activity 1 transition per clock period on every net (set_power_activity -global, which
        this version honours once every pin is clocked: inputs get set_input_delay), minus base, times the period:
        the energy of one output transition of that instance, internal (Liberty internal_power tables at OpenSTA's slews and loads) and switching
        (1/2 C V^2 of the net it drives, pin capacitances + the Liberty's default wire-load model "Small") [J].
A stimulus then costs, per cycle, base x period + sum over instances of (output toggles per cycle) x unit.
Leakage is the Liberty's cell_leakage_power (state-independent in this library's use by OpenSTA).
"""
import re
import subprocess

from .netlist import FlowError

PERIOD_NS = 10.0
# OpenSTA 2.0.17 adds an arc's rise and fall table energies for one transition (later versions average them: "average
# non-inf energies"); one inverter shows it: 6.527 fJ per transition = rise 11.709 + fall -5.185 fJ (slew 0, 2.7 fF).
# The flow halves the per-transition internal energy; the clock-only (base) part is per cycle (rise + fall) already.
INTERNAL_PER_TRANSITION = 0.5  # clock of the characterization; dynamic energy per cycle does not depend on it
UNIT_ACTIVITY = 1.0


def script(lib, netlist_v, top, has_clock, inputs, out_prefix):
    lines = [f"read_liberty {lib}", f"read_verilog {netlist_v}", f"link_design {top}"]
    if has_clock:
        lines.append(f"create_clock -name clk -period {PERIOD_NS} [get_ports clk_i]")
    else:
        lines.append(f"create_clock -name clk -period {PERIOD_NS}")  # virtual: combinational units
    # Inputs timed against the clock, so every pin is clocked and activities count transitions per period.
    lines.append(f"set_input_delay 0 -clock clk [get_ports {{{' '.join(inputs)}}}]")
    for tag, act in (("base", 0.0), ("unit", UNIT_ACTIVITY)):
        lines.append(f"set_power_activity -global -activity {act} -duty 0.5")
        lines.append(f"report_power -digits 10 > {out_prefix}{tag}.total")
        lines.append(f"report_power -instances [get_cells *] -digits 10 > {out_prefix}{tag}.inst")
    lines.append("exit")
    return "\n".join(lines) + "\n"


def run(tcl_path, cwd):
    r = subprocess.run(["sta", "-no_init", "-no_splash", "-exit", tcl_path], capture_output=True, text=True, cwd=cwd)
    bad = [l for l in (r.stdout + r.stderr).splitlines() if l.startswith("Error")]
    if r.returncode != 0 or bad:
        raise FlowError("OpenSTA failed: " + " | ".join(bad[:5] or (r.stdout + r.stderr).splitlines()[-5:]))


def read_instances(path):
    """{instance: (internal, switching, leakage)} in watts."""
    out = {}
    for line in open(path, encoding="utf-8"):
        t = line.split()
        if len(t) == 5 and re.match(r"^-?[0-9.]+e[-+]\d+$", t[0]):
            out[t[4]] = (float(t[0]), float(t[1]), float(t[2]))
    return out


def read_total(path):
    for line in open(path, encoding="utf-8"):
        t = line.split()
        if t and t[0] == "Total" and len(t) >= 5:
            return tuple(float(x) for x in t[1:4])
    raise FlowError(f"no Total line in {path}")


def coefficients(prefix):
    """{instance: (base internal W, base switching W, internal J per output transition, switching J per output
    transition, leakage W)}."""
    base, unit = read_instances(prefix + "base.inst"), read_instances(prefix + "unit.inst")
    out, t = {}, PERIOD_NS * 1e-9
    for i, (bi, bs, bl) in base.items():
        ui, us, _ = unit[i]
        out[i] = (bi, bs, INTERNAL_PER_TRANSITION * (ui - bi) * t / UNIT_ACTIVITY, (us - bs) * t / UNIT_ACTIVITY, bl)
    return out


def version():
    r = subprocess.run(["sta", "-version"], capture_output=True, text=True)
    return "OpenSTA " + (r.stdout.strip() or "unknown")
