"""The generated technology table sim/tech/sky130-characterized.csv (format of sim/energy/tech_table.hpp: component,
variant, voltage_v, energy_pj, leakage_uw, area_um2, source; extra columns are read by people and tests only).

energy_pj is the mean over the real-data streams (MiniLM, EfficientNet-Lite0, Fashion-MNIST, equal weight) of the
unit's dynamic energy per action at 1.8 V; e_random_pj and e_zero_pj are the same action on the random and all-zero
references; toggle_rate is the unit's mean net toggles per cycle on the real data; zero_fraction the real streams' mean
fraction of products with a zero operand; e_fit_z0_pj + e_fit_slope_pj x z the least-squares line of the energy per
action against that fraction over the real and random streams (how strongly the operands' zeros matter).
"""
import datetime
import os

FIELDS = ["component", "variant", "voltage_v", "energy_pj", "leakage_uw", "area_um2", "e_random_pj", "e_zero_pj",
          "toggle_rate", "zero_fraction", "e_fit_z0_pj", "e_fit_slope_pj", "source"]
REAL = ("minilm", "effnet", "fmnist")
VARIANT_FMT = {"nvfp4": "nvfp4", "fp8": "fp8", "fp16": "fp16"}


def _e(res, kind, groups, per):
    st = res["stimuli"].get(kind)
    if st is None:
        return None
    return sum(sum(st["groups_pj"].get(g, [0, 0])) for g in groups) / per


def _row(comp, var, res, groups, per, area_div, source, units_note):
    real = [e for e in (_e(res, k, groups, per) for k in REAL) if e is not None]
    kinds = [k for k in REAL if k in res["stimuli"]]
    tr = sum(res["stimuli"][k]["toggle_rate"] for k in kinds) / max(1, len(kinds))
    zf = [res["stimuli"][k].get("zero_product_fraction") for k in kinds]
    zf = [z for z in zf if z is not None]
    return {"component": comp, "variant": var, "voltage_v": "1.8",
            "energy_pj": f"{sum(real) / len(real):.4g}",
            "leakage_uw": f"{sum(res['leakage_uw'].get(g, 0) for g in groups) / area_div:.4g}",
            "area_um2": f"{sum(res['area_um2'].get(g, 0) for g in groups) / area_div:.4g}",
            "e_random_pj": f"{_e(res, 'random', groups, per):.4g}", "e_zero_pj": f"{_e(res, 'zero', groups, per):.4g}",
            "toggle_rate": f"{tr:.3f}", "zero_fraction": f"{sum(zf) / len(zf):.3f}" if zf else "",
            **_fit(res, groups, per),
            "source": f"sky130 tt 1.8V: {source} ({units_note})"}


def _fit(res, groups, per):
    """Least-squares line E = e0 + slope x z through the real and random streams, z = fraction of products with a
    zero operand (how much the action's energy depends on the operands' zero fraction)."""
    pts = [(res["stimuli"][k].get("zero_product_fraction"), _e(res, k, groups, per))
           for k in REAL + ("random",) if k in res["stimuli"]]
    pts = [(z, e) for z, e in pts if z is not None]
    if len(pts) < 2:
        return {"e_fit_z0_pj": "", "e_fit_slope_pj": ""}
    n = len(pts)
    mz, me = sum(z for z, _ in pts) / n, sum(e for _, e in pts) / n
    var = sum((z - mz) ** 2 for z, _ in pts)
    slope = sum((z - mz) * (e - me) for z, e in pts) / var if var > 0 else 0.0
    return {"e_fit_z0_pj": f"{me - slope * mz:.4g}", "e_fit_slope_pj": f"{slope:.4g}"}


def rows(unit, res):
    """Table rows of one characterized unit."""
    from .units import FMT_TAG  # noqa: F401
    out = []
    if unit.kind == "lane":
        out.append(_row("lane_multiply", f"{unit.style}/{VARIANT_FMT[unit.wscheme]}", res, ["lane"], 1, 1,
                        f"flow {unit.name}", "per multiply, lane 0 stream"))
    elif unit.kind.startswith("secded"):
        comp = "ecc_encode" if unit.kind == "secded_enc" else "ecc_decode"
        out.append(_row(comp, f"secded{unit.params['K']}", res, [unit.kind], 1, 1, f"flow {unit.name}",
                        "per codeword"))
    elif unit.kind == "engine":
        L, fixed = unit.L, unit.params.get("ACC_FIXED", 0)
        acc = "fixed32" if fixed else "fp32"
        tag = f"L{L}/{unit.style}/{VARIANT_FMT[unit.wscheme]}/{acc}"
        out.append(_row("adder_tree_add", tag, res, ["tree"], L - 1, L - 1, f"flow {unit.name}",
                        "per two-input add = tree and its input register / (L-1)"))
        out.append(_row("scale_unit_op", tag, res, ["scale", "glue"], 1, 1, f"flow {unit.name}",
                        "per block: scale table, |sum| x scale multiply, rounding, pipeline control"))
        out.append(_row("accumulate", tag, res, ["accumulator"], 1, 1,
                        f"flow {unit.name}", "per block update incl. accumulator and output registers"))
        out.append(_row("engine_lane_multiply", tag, res, ["lane"], L, L, f"flow {unit.name}",
                        "per multiply, lanes inside the engine (comparison only)"))
    return out


def write(path, all_rows, banner):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for line in banner:
            f.write("# " + line + "\n")
        f.write(", ".join(FIELDS) + "\n")
        for r in all_rows:
            f.write(", ".join(r[k] if k != "source" else r[k].replace(",", ";") for k in FIELDS) + "\n")
    os.replace(tmp, path)


def banner_lines(command, versions, liberty, n, units):
    return [
        "nvfp4-edge technology table, format version 1 (docs/sim.md 'Technology table'; method: docs/energy.md).",
        f"generated by: {command}   do not edit; regenerate with: scripts/characterize",
        f"date: {datetime.date.today().isoformat()}; tools: {versions}",
        f"liberty: {os.path.basename(liberty)} (sky130_fd_sc_hd; typical; 25 C; 1.80 V; lpflow cells excluded); "
        "wire load 'Small'; no parasitics; zero-delay simulation (no glitch energy)",
        f"stimulus: {n} cycles per stream; real streams minilm/effnet/fmnist (workloads/tensors; quantized by the "
        "C++ core) in the order engine (0;0) of a 16x16 output-stationary array is fed; references random and zero",
        "energy_pj: dynamic energy per action at voltage_v; mean of the three real streams; e_random_pj/e_zero_pj: "
        "same on the references; toggle_rate: mean toggles per net per cycle (real streams); zero_fraction: products "
        "with a zero operand; e_fit_z0_pj + e_fit_slope_pj x zero_fraction: fitted line over real and random streams",
        "voltage: measured at 1.8 V only; other voltages are EXTRAPOLATED by the reader: dynamic x (V/1.8)^2 "
        "(C V^2); leakage x (V/1.8)^3 (stated law; docs/energy.md)",
        f"units characterized: {units}",
    ]
