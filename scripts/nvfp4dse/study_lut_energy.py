"""The lut-energy study: mantissa-LUT vs full-product LUT (and vs the array multiplier) priced by the simulator on the
characterized sky130 logic and the sky130 OpenRAM SRAM model, with the lanes' tables in each storage the simulator
offers (architecture.array.lut_storage: logic ROM, latch array, SRAM bank), beside the published 26.85x / 22.85x energy
and 2.21x / 1.52x area; the storage options per lane; energy per inference of ResNet-18 and Llama-3.2-1B decode on the
presets.

Every figure comes from `nvfp4sim` (summary.json of one run per design point, its lut_storage section included); this
module only chooses the design points, forms ratios and sums of the simulator's components, and writes
docs/studies/lut-energy.{md,csv,png}. Command: `scripts/nvfp4-dse study lut-energy`.
"""
from __future__ import annotations

import csv
import io
import json
import subprocess
import tempfile
from pathlib import Path

import yaml

from .simulator import find_simulator

ROOT = Path(__file__).resolve().parents[2]
PRESETS = ROOT / "sim" / "presets"
CHARACTERIZED = ROOT / "sim" / "tech" / "sky130-characterized.csv"
LITERATURE = ROOT / "sim" / "tech" / "generic-45nm.csv"
TABLES = ROOT / "workloads" / "tables"

SRAM = "sky130-openram"                   # the presets' SRAM model (same node as the logic)
V_NOMINAL, V_SCALED = 1.8, 1.2            # V_scaled / V_nom = 2/3 (the earlier study's 0.6 of 0.9 V)
CONDITIONS = [  # (label, scaled voltage?, bank ecc_layout, bank ecc_mode, SRAM LUT code, SRAM LUT at nominal?)
    ("nominal, no ECC", False, "none", "secded", "none", True),
    ("scaled V + SECDED (all bits)", True, "full", "secded", "secded", False),
    ("scaled V + selective ECC (sign, exponent, scales)", True, "sign-exp-scale", "secded", "secded", False),
    ("scaled V, mixed voltage (protected bits at nominal)", True, "sign-exp-scale", "mixed-voltage", "none", True),
]
STORAGES = ("logic", "latch", "sram")
STYLES = ("mantissa-lut", "full-lut", "array")   # array has no table: logic only
WEIGHTS = {"nvfp4": "E2M1", "fp8": "E4M3"}       # weight formats with a full-product table in lut/
MULTIPLIER = ("lane_multipliers", "lut_storage", "leakage_lut_storage")   # the multiplier with its table storage
ENGINE = MULTIPLIER + ("adder_trees", "scale_units", "accumulators")


def logic_table() -> tuple[Path, str]:
    if CHARACTERIZED.is_file():
        return CHARACTERIZED, "sky130 characterized (sim/tech/sky130-characterized.csv, docs/energy.md)"
    return LITERATURE, "generic-45nm literature estimates (sim/tech/generic-45nm.csv: no characterized table found)"


def arch_doc(multiplier: str, weight_format: str, condition: tuple, storage: str = "logic",
             preset: str = "edge-small") -> dict:
    """The edge-small preset with the point's multiplier, weights, storage and the condition on every bank."""
    doc = yaml.safe_load((PRESETS / f"{preset}.yaml").read_text())
    a = doc["architecture"]
    table, _ = logic_table()
    a["technology"] = str(table)
    a["sram_technology"] = SRAM
    _, scaled, layout, mode, lut_ecc, lut_nominal = condition
    v = V_SCALED if scaled else V_NOMINAL
    # The logic at its characterized corner (TT 25 C 1.8 V): no logic voltage extrapolation in the ratios.
    a["array"].update(multiplier=multiplier, weight_format=weight_format, voltage_v=1.8, lut_storage=storage)
    if storage == "sram":
        a["array"].update(lut_voltage_v=V_NOMINAL if lut_nominal else v, lut_ecc=lut_ecc)
    for bank in a["sram"].values():
        bank.update(voltage_v=v, ecc_layout=layout, ecc_mode=mode)
    doc.setdefault("run", {}).update(faults=False, float_reference=False)
    return doc


def preset_doc(preset: str, residency: str = "cold") -> dict:
    """A preset as committed (its own technology, SRAM model and voltages), faults off, in the given regime."""
    doc = yaml.safe_load((PRESETS / f"{preset}.yaml").read_text())
    a = doc["architecture"]
    a["technology"] = str((PRESETS / a["technology"]).resolve())
    doc.setdefault("run", {}).update(faults=False, float_reference=False, residency=residency)
    return doc


def simulate(doc: dict, workload: Path) -> dict:
    """summary.json of one run, or {"refused": message} when the simulator refuses the design (exit 2)."""
    with tempfile.TemporaryDirectory(prefix="nvfp4-lut-study-") as tmp:
        arch = Path(tmp) / "arch.yaml"
        arch.write_text(yaml.safe_dump(doc, sort_keys=False))
        r = subprocess.run([str(find_simulator()), "run", "--arch", str(arch), "--workload", str(workload), "--out",
                            str(Path(tmp) / "out"), "--quiet"], capture_output=True, text=True, timeout=1800)
        if r.returncode == 2:
            return {"refused": r.stderr.strip().splitlines()[-1].split(": key ", 1)[-1]}
        if r.returncode != 0:
            raise RuntimeError(f"nvfp4sim failed ({r.returncode}): {r.stderr.strip()[-800:]}")
        return json.loads((Path(tmp) / "out" / "summary.json").read_text())


def simulate_all(jobs: dict) -> dict:
    """{key: (arch doc, workload)} -> {key: summary}, two simulator processes at a time (the machines have 2 cores)."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {k: pool.submit(simulate, doc, wl) for k, (doc, wl) in jobs.items()}
        return {k: f.result() for k, f in futures.items()}


def levels(s: dict, key: str) -> tuple[float, float, float]:
    """(multiplier with its table storage, engine, whole) of summary `key` (energy_pj or area_um2)."""
    d = s[key]
    return sum(d.get(k, 0) for k in MULTIPLIER), sum(d.get(k, 0) for k in ENGINE), d["total"]


def points() -> list[tuple]:
    return [(wf, ci, m, st) for wf in WEIGHTS for ci in range(len(CONDITIONS)) for m in STYLES
            for st in (STORAGES if m != "array" else ("logic",))]


def lut_label(s: dict) -> str:
    p = s["lut_storage"]["provenance"]
    return p.split(" (")[0].split(",")[0] if s["lut_storage"]["storage"] != "logic" else "logic (characterized lane)"


def ratio_rows(runs: dict) -> list[list]:
    rows = []
    for wf, wname in WEIGHTS.items():
        for ci, cond in enumerate(CONDITIONS):
            for st in STORAGES:
                ml = runs[(wf, ci, "mantissa-lut", st)]
                for other, ost in (("full-lut", st), ("array", "logic")):
                    o = runs[(wf, ci, other, ost)]
                    e = [x / y for x, y in zip(levels(o, "energy_pj"), levels(ml, "energy_pj"))]
                    a = [x / y for x, y in zip(levels(o, "area_um2"), levels(ml, "area_um2"))]
                    banks = " ".join(sorted({b["provenance"] for b in ml["sram_model"]["banks"]}))
                    rows.append([f"E2M1 x {wname}", cond[0], st, f"{other} ({ost}) / mantissa-lut ({st})", *e, *a,
                                 lut_label(o), lut_label(ml), banks])
    return rows


def storage_rows(runs: dict, fp16: dict) -> list[list]:
    """Per lane: the table and what each storage costs, at the nominal and scaled conditions (simulator figures)."""
    rows = []
    cases = [(f"E2M1 x {w}", (wf, 0), (wf, 1)) for wf, w in WEIGHTS.items()]
    for lane, nom_key, sc_key in cases:
        for m in ("mantissa-lut", "full-lut"):
            for st in STORAGES:
                n, s = runs[(*nom_key[:1], nom_key[1], m, st)], runs[(*sc_key[:1], sc_key[1], m, st)]
                rows.append(storage_row(lane, m, st, n, s))
    for m in ("mantissa-lut", "full-lut"):
        for st in STORAGES:
            rows.append(storage_row("E2M1 x FP16", m, st, fp16[(m, st, 0)], fp16[(m, st, 1)]))
    return rows


def storage_row(lane: str, style: str, storage: str, nominal: dict, scaled: dict) -> list:
    if "refused" in nominal:
        return [lane, style, storage, "refused by the simulator: " + nominal["refused"]] + [""] * 9
    ln, ls = nominal["lut_storage"], scaled["lut_storage"]
    lanes = ln["copies"]
    lane_area = nominal["area_um2"]["lane_multipliers"] / lanes
    if storage == "logic":
        return [lane, style, storage, ln["words"], ln["entry_bits"], ln["entry_bits"], "in the lane", "in the lane",
                "", "", f"{lane_area:.4g} (whole lane, Yosys)", "none", "logic (characterized lane)"]
    return [lane, style, storage, ln["words"], ln["entry_bits"], ls["stored_bits"], ln["read_pj"], ls["read_pj"],
            ln["leakage_uw"] / lanes, ls["leakage_uw"] / lanes, ln["area_um2"] / lanes, ln["load"]["image_bits"],
            ls["provenance"]]


def inference_rows() -> list[list]:
    keys = [(wl, preset, reg) for wl in ("resnet18", "llama32_1b_decode")
            for preset, reg in (("edge-small", "cold"), ("edge-small", "steady"), ("edge-large", "cold"),
                                ("edge-small-literature45", "cold"))]
    runs = simulate_all({k: (preset_doc(k[1], k[2]), TABLES / f"{k[0]}.csv") for k in keys})
    rows = []
    for wl, preset, reg in keys:
        s = runs[(wl, preset, reg)]
        e = s["energy_pj"]
        sram_pj = sum(v for k, v in e.items() if k.startswith("sram_"))
        engines = sum(e.get(k, 0) for k in ENGINE)
        rows.append([wl, preset, reg, s["sram_model"]["preset"], Path(s["technology_table"]).name,
                     s["energy_per_inference_uj"], s.get("energy_per_inference_amortized_uj", ""), sram_pj * 1e-6,
                     engines * 1e-6, e["offchip"] * 1e-6, e.get("leakage_sram", 0) * 1e-6,
                     s["area_um2"]["total"] * 1e-6, s["macs"],
                     " ".join(f"{b['bank']}:{b['provenance']}" for b in s["sram_model"]["banks"]),
                     s["logic_voltage_provenance"]])
    return rows


def _table(header: list[str], rows: list[list]) -> list[str]:
    fmt = lambda v: f"{v:.4g}" if isinstance(v, float) else str(v)  # noqa: E731
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + \
           ["| " + " | ".join(fmt(v) for v in r) + " |" for r in rows]


RATIO_HEADER = ["lane", "condition", "LUT storage", "ratio", "energy: multiplier", "energy: engine", "energy: whole",
                "area: multiplier", "area: engine", "area: whole", "numerator LUT provenance",
                "mantissa-LUT provenance", "SRAM banks provenance"]
STORAGE_HEADER = ["lane", "style", "storage", "words", "entry bits", "stored bits (scaled, SECDED)",
                  "read pJ/lookup (1.8 V)", "read pJ/lookup (1.2 V, SECDED)", "leak uW/lane (1.8 V)",
                  "leak uW/lane (1.2 V)", "area um^2/lane", "load bits (one image)", "provenance (scaled point)"]
INFERENCE_HEADER = ["workload", "preset", "regime", "SRAM model", "logic table", "energy uJ/inference",
                    "amortized uJ (steady load / 1000)", "SRAM dyn uJ", "engines uJ", "off-chip uJ", "SRAM leak uJ",
                    "area mm^2", "MACs", "SRAM provenance per bank", "logic voltage"]


def run(out: Path) -> None:
    _, logic_label = logic_table()
    resnet = TABLES / "resnet18.csv"
    tiny = ROOT / "sim" / "examples" / "tiny.csv"
    runs = simulate_all({p: (arch_doc(p[2], p[0], CONDITIONS[p[1]], p[3]), resnet) for p in points()})
    fp16 = simulate_all({(m, st, ci): (arch_doc(m, "fp16", CONDITIONS[ci], st), tiny)
                         for m in ("mantissa-lut", "full-lut") for st in STORAGES for ci in (0, 1)})
    ratios, storage, inference = ratio_rows(runs), storage_rows(runs, fp16), inference_rows()
    out.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for name, header, rows in (("ratios", RATIO_HEADER, ratios), ("storage", STORAGE_HEADER, storage),
                               ("inference", INFERENCE_HEADER, inference)):
        w.writerow(["table"] + header)
        w.writerows([[name] + r for r in rows])
    (out / "lut-energy.csv").write_text(buf.getvalue())
    render(out, logic_label)
    plot(out, ratios)


def _cell(v: str):
    try:
        return float(v) if any(c in v for c in ".e") else int(v)
    except ValueError:
        return v


def render(out: Path, logic_label: str) -> None:
    """lut-energy.md from the template and lut-energy.csv (re-render after editing the template: no new runs)."""
    tables: dict[str, list[list]] = {}
    for r in csv.reader(io.StringIO((out / "lut-energy.csv").read_text())):
        if r[0] != "table":
            tables.setdefault(r[0], []).append([_cell(v) for v in r[1:]])
    md = (ROOT / "docs" / "studies" / "lut-energy.template.md").read_text().replace("{{LOGIC}}", logic_label)
    for token, name, header in (("{{RATIOS}}", "ratios", RATIO_HEADER), ("{{STORAGE}}", "storage", STORAGE_HEADER),
                                ("{{INFERENCE}}", "inference", INFERENCE_HEADER)):
        md = md.replace(token, "\n".join(_table(header, tables[name])))
    (out / "lut-energy.md").write_text(md)


def plot(out: Path, ratios: list[list]) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    rows = [r for r in ratios if r[3].startswith("full-lut")]
    fig, ax = plt.subplots(figsize=(11, 4.4))
    x = np.arange(len(rows))
    for i, (col, lab) in enumerate([(4, "energy, multiplier"), (5, "energy, engine"), (6, "energy, whole"),
                                    (7, "area, multiplier"), (9, "area, whole")]):
        ax.bar(x + (i - 2) * 0.16, [r[col] for r in rows], 0.16, label=lab)
    for y, lab in ((26.85, "published 26.85x"), (2.21, "published 2.21x")):
        ax.axhline(y, c="0.4", ls=":", lw=1)
        ax.text(len(rows) - 0.5, y, lab, fontsize=7, va="bottom", ha="right")
    ax.set_yscale("log")
    ax.set_xticks(x)
    ax.set_xticklabels([f"{r[0]} {r[2]}\n{r[1].split(' (')[0]}" for r in rows], fontsize=5, rotation=45, ha="right")
    ax.set_ylabel("full-product LUT / mantissa LUT")
    ax.set_title("ResNet-18 on edge-small, sky130 logic + OpenRAM SRAM, LUTs in logic / latch / SRAM (nvfp4sim)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "lut-energy.png", dpi=110)
    plt.close(fig)
