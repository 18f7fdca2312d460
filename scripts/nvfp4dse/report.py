"""Reports of a sweep: PNG plots (matplotlib, Agg) and one self-contained HTML page with the plots embedded.

Plots: Pareto front (energy vs accuracy, area vs accuracy), energy breakdown by component, accuracy vs voltage per
ECC layout, sensitivity heat maps (per-layer SQNR over the points; mean accuracy over each pair of swept parameters).
"""
from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

from .pareto import pareto_front
from .space import POINT_FIELDS
from .store import ResultStore


def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _label(r: dict, keys) -> str:
    return ", ".join(f"{k.rsplit('.', 2)[-2] + '.' + k.rsplit('.', 1)[-1] if '.' in k else k}={r.get(k)}"
                     for k in keys)


def plot_pareto(rows, swept, path):
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, cost, unit in ((axes[0], "energy_uj", "energy per inference (uJ)"), (axes[1], "area_mm2", "area (mm^2)")):
        ax.scatter([r[cost] for r in rows], [r["accuracy"] for r in rows], s=14, c="0.6", label="design points")
        front = sorted(pareto_front(rows, [(cost, "min"), ("accuracy", "max")]), key=lambda r: r[cost])
        ax.plot([r[cost] for r in front], [r["accuracy"] for r in front], "o-", c="C3", ms=5, label="Pareto front")
        ax.set_xlabel(unit)
        ax.set_ylabel(rows[0].get("accuracy_metric", "accuracy"))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("Pareto fronts")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# The simulator's energy components (summary.json energy_pj) grouped for the breakdown plot, by their name: one colour
# family each, so that SRAM access, datapath, ECC, leakage and off-chip shares read at a glance.
FAMILIES = (("datapath", "Oranges"), ("SRAM", "Blues"), ("ECC", "Greens"), ("leakage", "Purples"),
            ("off-chip", "Greys"))


def component_family(component: str) -> str:
    if component.startswith("sram_"):
        return "SRAM"
    if component.startswith("leakage_"):
        return "leakage"
    return {"ecc": "ECC", "offchip": "off-chip"}.get(component, "datapath")


def plot_energy_breakdown(rows, swept, path, limit=40):
    """Stacked horizontal bars, one per design point (lowest energy on top), labelled along the y axis: the labels
    stay horizontal and readable however many parameters were swept (vertical bars needed 80-degree 6-point text).
    Components are grouped by family (component_family), one colour scale per family."""
    plt = _plt()
    comps = sorted({k for r in rows for k in r if k.startswith("energy_") and k.endswith("_uj") and k != "energy_uj"})
    rows = sorted(rows, key=lambda r: r["energy_uj"])[:limit]
    comps = [c for c in comps if any(r.get(c, 0.0) for r in rows)]  # components that are zero everywhere: no legend
    names = {c: c[len("energy_"):-3] for c in comps}
    order = [f for f, _ in FAMILIES]
    comps.sort(key=lambda c: (order.index(component_family(names[c])), names[c]))
    colours = {}
    for family, cmap in FAMILIES:
        members = [c for c in comps if component_family(names[c]) == family]
        for j, c in enumerate(members):  # shades from dark to light within the family
            colours[c] = plt.get_cmap(cmap)(0.85 - 0.5 * j / max(1, len(members) - 1) if len(members) > 1 else 0.7)
    labels = [_label(r, swept) or f"point {i}" for i, r in enumerate(rows)]
    fig, ax = plt.subplots(figsize=(7.5 + 0.07 * max(len(t) for t in labels), 1.6 + 0.3 * len(rows)))
    left = [0.0] * len(rows)
    for c in comps:
        vals = [r.get(c, 0.0) for r in rows]
        family = component_family(names[c])
        part = names[c].removeprefix("sram_").removeprefix("leakage_").replace("_", " ")
        label = family if names[c] in ("ecc", "offchip") else f"{family}: {part}"
        ax.barh(range(len(rows)), vals, left=left, label=label, color=colours[c], edgecolor="white", linewidth=0.3)
        left = [b + v for b, v in zip(left, vals)]
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("energy per inference (uJ)")
    ax.set_title(f"energy breakdown ({len(rows)} lowest-energy points)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_accuracy_vs_voltage(rows, swept, path):
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    others = [k for k in swept if k not in ("voltage", "ecc")]
    for i, ecc in enumerate(sorted({str(r.get("ecc", "as in the base file")) for r in rows})):
        sel = [r for r in rows if str(r.get("ecc", "as in the base file")) == ecc]
        groups = {}
        for r in sel:
            groups.setdefault(tuple(r[k] for k in others), []).append(r)
        for j, g in enumerate(groups.values()):
            g = sorted(g, key=lambda r: r["voltage"])
            ax.plot([r["voltage"] for r in g], [r["accuracy"] for r in g], "o-", c=f"C{i}", ms=4,
                    label=ecc if j == 0 else None, alpha=1.0 if j == 0 else 0.35)
    ax.set_xlabel("SRAM supply voltage (V)")
    ax.set_ylabel(rows[0].get("accuracy_metric", "accuracy"))
    ax.set_title("accuracy vs SRAM voltage per ECC protection")
    models = sorted({r.get("fault_model", "") for r in rows})
    fig.text(0.01, 0.005, "faults: " + "; ".join(models), fontsize=6, va="bottom")
    ax.grid(alpha=0.3)
    ax.legend(title="ecc (layout/mode)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_layer_sensitivity(rows, swept, path, limit=40):
    import numpy as np
    plt = _plt()
    rows = [r for r in rows if isinstance(r.get("sqnr_per_layer"), dict)][:limit]
    layers = list(rows[0]["sqnr_per_layer"])
    data = np.array([[r["sqnr_per_layer"].get(l, np.nan) for r in rows] for l in layers])
    fig, ax = plt.subplots(figsize=(max(6, 0.25 * len(rows) + 3), max(3, 0.28 * len(layers) + 1.5)))
    im = ax.imshow(data, aspect="auto", cmap="viridis")
    ax.set_yticks(range(len(layers)))
    ax.set_yticklabels(layers, fontsize=7)
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels([_label(r, swept) for r in rows], rotation=80, fontsize=6)
    fig.colorbar(im, ax=ax, label="output SQNR (dB)")
    ax.set_title("layer sensitivity: per-layer output SQNR")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_parameter_heatmap(rows, a, b, metric, path):
    import numpy as np
    plt = _plt()
    va, vb = sorted({r[a] for r in rows}, key=str), sorted({r[b] for r in rows}, key=str)
    grid = np.full((len(va), len(vb)), np.nan)
    for i, x in enumerate(va):
        for j, y in enumerate(vb):
            vals = [r[metric] for r in rows if r[a] == x and r[b] == y]
            if vals:
                grid[i, j] = float(np.mean(vals))
    fig, ax = plt.subplots(figsize=(1.1 * len(vb) + 3, 0.5 * len(va) + 2))
    im = ax.imshow(grid, aspect="auto", cmap="magma")
    for i in range(len(va)):
        for j in range(len(vb)):
            if not np.isnan(grid[i, j]):
                ax.text(j, i, f"{grid[i, j]:.3g}", ha="center", va="center", fontsize=7, color="w")
    ax.set_yticks(range(len(va)))
    ax.set_yticklabels(va)
    ax.set_xticks(range(len(vb)))
    ax.set_xticklabels(vb, rotation=30)
    ax.set_ylabel(a)
    ax.set_xlabel(b)
    fig.colorbar(im, ax=ax, label=f"mean {metric}")
    ax.set_title(f"sensitivity of {metric} to {a} x {b}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _embed(png: Path) -> str:
    return f'<img alt="{png.stem}" src="data:image/png;base64,{base64.b64encode(png.read_bytes()).decode()}">'


def _write_markdown(path: Path, definition: dict, rows: list, swept: list, cols: list, models: list, front) -> None:
    """The table of the report as Markdown (for docs/studies pages), with the models that produced it."""
    fmt = lambda v: f"{v:.4g}" if isinstance(v, float) else str(v)  # noqa: E731
    lines = [f"Sweep `{definition.get('name', '')}`: {len(rows)} points, base architecture `{rows[0].get('arch')}`, "
             f"workload `{rows[0].get('workload')}`, accuracy: {rows[0].get('accuracy_metric', 'none')}, "
             f"seed {rows[0].get('seed')}.",
             "Energy, area, cycles: nvfp4sim on each point's architecture file. Accuracy and fault counts: the real "
             "tensors read back through the simulator's SRAM path; fault model: "
             + ("; ".join(models) or "none (accuracy off)") + ". Bold: on the 3-objective Pareto front.",
             f"Residency regime: {regime_note(rows) or 'not recorded'}.",
             f"SRAM energy (the simulator's pricing of each bank): {sram_pricing_note(rows) or 'not recorded'}.", "",
             "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in sorted(rows, key=lambda r: [str(r.get(c)) for c in swept]):
        cells = [fmt(r.get(c, "")) for c in cols]
        if r["key"] in front:
            cells = [f"**{c}**" for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    path.write_text("\n".join(lines) + "\n")


def regime_note(rows) -> str:
    """The residency regime of the points (docs/sim.md, "Residency across inferences"), from their summaries: what
    stays on chip across inferences, and what the energy per inference includes."""
    res = [(r["sim"]["residency"], r["sim"].get("layers")) for r in rows
           if isinstance(r.get("sim"), dict) and isinstance(r["sim"].get("residency"), dict)]
    notes = []
    for policy in sorted({x["policy"] for x, _ in res}):
        sel = [(x, n) for x, n in res if x["policy"] == policy]
        if policy == "cold":
            notes.append(f"cold ({len(sel)} points): every inference loads its weights and activations from "
                         "off-chip memory")
            continue
        pinned = sorted({f"{x['pinned_layers']} of {n}" for x, n in sel})
        load = [x["load"]["energy_uj"] for x, _ in sel]
        rates = sorted({x["inference_rate_hz"] for x, _ in sel})
        notes.append(f"steady ({len(sel)} points): weights pinned on chip across inferences (layers: "
                     f"{', '.join(pinned)}), outputs kept on chip between layers where they fit; the energy per "
                     f"inference excludes the one-time load ({min(load):.3g}-{max(load):.3g} uJ, amortized over "
                     f"{sel[0][0]['inferences']} inferences in energy_per_inference_amortized_uj) and includes the "
                     f"pinned banks' retention leakage at "
                     + (", ".join(f"{r:g}" for r in rates) + " inferences/s" if any(rates) else "back-to-back runs"))
    return "; ".join(notes)


def sram_pricing_note(rows) -> str:
    """Which SRAM energy model priced the banks (summary.json sram_model: the model's name and its provenance)."""
    seen = sorted({f"{b['detail'].split(':')[0]} ({b['provenance']})" for r in rows if isinstance(r.get("sim"), dict)
                   for b in (r["sim"].get("sram_model") or {}).get("banks", []) if "detail" in b})
    return ", ".join(seen)


def write_report(store_path: str, out_dir: str) -> str:
    """Writes the plots and <out>/report.html; returns the HTML path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with ResultStore(store_path) as store:
        rows = store.rows()
        definition = json.loads(store.get_meta("sweep_definition") or "{}")
    if not rows:
        raise ValueError(f"{store_path} holds no results yet")
    settings = sorted({k for r in rows for k in r if k not in POINT_FIELDS and ("." in k or k in ("voltage", "ecc",
                                                                                               "array"))})
    swept = [k for k in definition.get("space", {})] or [k for k in settings
                                                         if len({str(r.get(k)) for r in rows}) > 1]
    plots = []
    has_acc = all("accuracy" in r for r in rows)
    if has_acc:
        plot_pareto(rows, swept, out / "pareto.png")
        plots.append(("Pareto fronts", out / "pareto.png"))
    plot_energy_breakdown(rows, swept, out / "energy_breakdown.png")
    plots.append(("Energy breakdown", out / "energy_breakdown.png"))
    if has_acc and len({r.get("voltage") for r in rows}) > 1:
        plot_accuracy_vs_voltage(rows, swept, out / "accuracy_vs_voltage.png")
        plots.append(("Accuracy vs voltage per ECC layout", out / "accuracy_vs_voltage.png"))
    if any(isinstance(r.get("sqnr_per_layer"), dict) for r in rows):
        plot_layer_sensitivity(rows, swept, out / "layer_sensitivity.png")
        plots.append(("Layer sensitivity", out / "layer_sensitivity.png"))
    if has_acc and len(swept) >= 2:
        plot_parameter_heatmap(rows, swept[0], swept[1], "accuracy", out / "sensitivity_accuracy.png")
        plot_parameter_heatmap(rows, swept[0], swept[1], "energy_uj", out / "sensitivity_energy.png")
        plots += [("Parameter sensitivity: accuracy", out / "sensitivity_accuracy.png"),
                  ("Parameter sensitivity: energy", out / "sensitivity_energy.png")]
    cols = swept + [c for c in ("energy_uj", "area_mm2", "latency_ms", "accuracy", "sqnr_mean_db",
                                "fault_raw_bit_errors", "fault_corrected_bits", "fault_due_bits",
                                "fault_silent_bit_errors") if c in rows[0]]
    models = sorted({r["fault_model"] for r in rows if r.get("fault_model")})
    front = pareto_front(rows, [("energy_uj", "min"), ("area_mm2", "min"), ("accuracy", "max")]) if has_acc else []
    front_keys = {r["key"] for r in front}
    body = [f"<h1>Sweep {html.escape(definition.get('name', ''))}</h1>",
            f"<p>{len(rows)} design points from <code>{html.escape(str(store_path))}</code>; "
            f"workload <code>{html.escape(str(rows[0].get('workload')))}</code>, accuracy "
            f"<code>{html.escape(str(rows[0].get('accuracy')))}</code>, base architecture "
            f"<code>{html.escape(str(rows[0].get('arch')))}</code>. Energy, area and cycles: nvfp4sim on each point's "
            f"architecture file. Accuracy and fault counts (raw / corrected / DUE / silent bits): the point's real "
            f"tensors stored and read back through the simulator's SRAM path; fault model: "
            f"<b>{html.escape('; '.join(models) or 'none (accuracy off)')}</b>. Rows in bold are on the 3-objective "
            f"Pareto front (energy, area, accuracy).</p>",
            f"<p>Residency regime: <b>{html.escape(regime_note(rows) or 'not recorded')}</b>.</p>",
            f"<pre>{html.escape(json.dumps(definition, indent=1))}</pre>"]
    for title, png in plots:
        body.append(f"<h2>{html.escape(title)}</h2>{_embed(png)}")
    body.append("<h2>All points</h2><table><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in cols) + "</tr>")
    for r in sorted(rows, key=lambda r: [str(r.get(c)) for c in swept]):
        cells = "".join(f"<td>{r.get(c):.4g}</td>" if isinstance(r.get(c), float) else
                        f"<td>{html.escape(str(r.get(c, '')))}</td>" for c in cols)
        body.append(f"<tr class={'front' if r['key'] in front_keys else 'x'}>{cells}</tr>")
    body.append("</table>")
    page = ("<!doctype html><html><head><meta charset='utf-8'><title>nvfp4-dse report</title><style>"
            "body{font-family:sans-serif;margin:2em;max-width:1200px}img{max-width:100%}"
            "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px}"
            "tr.front{font-weight:bold;background:#fff3e0}</style></head><body>" + "\n".join(body) + "</body></html>")
    tmp = out / "report.html.tmp"
    tmp.write_text(page)
    tmp.replace(out / "report.html")
    _write_markdown(out / "summary.md", definition, rows, swept, cols, models, front_keys)
    return str((out / "report.html").resolve())
