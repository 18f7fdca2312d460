"""The lut-energy study: mantissa-LUT vs full-product LUT (and vs the array multiplier) priced by the simulator, on
the characterized sky130 SRAM model, beside the published 26.85x / 22.85x energy and 2.21x / 1.52x area; the LUT
storage options (logic ROM, latch array, SRAM macros); energy per inference of ResNet-18 and Llama-3.2-1B decode.

Every figure comes from `nvfp4sim` (summary.json) or `nvfp4-sram` (ecc/'s SRAM model); this module only chooses the
design points and writes docs/studies/lut-energy.{md,csv,png}. Command: `scripts/nvfp4-dse study lut-energy`.
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import tempfile
from pathlib import Path

import yaml

from .simulator import find_simulator

ROOT = Path(__file__).resolve().parents[2]
PRESETS = ROOT / "sim" / "presets"
CHARACTERIZED = ROOT / "sim" / "tech" / "sky130-characterized.csv"   # i13's logic table, when generated
LITERATURE = ROOT / "sim" / "tech" / "generic-45nm.csv"

# The SRAM technologies compared; V_scaled keeps V / V_nom = 2/3 in both (0.6 of 0.9 V in the earlier study).
SRAM = {"sky130-openram": {"nominal": 1.8, "scaled": 1.2}, "sun2017-65nm": {"nominal": 1.0, "scaled": 0.667}}
CONDITIONS = [  # (label, scaled voltage?, ecc_layout, ecc_mode)
    ("nominal, no ECC", False, "none", "secded"),
    ("scaled V + SECDED (all bits)", True, "full", "secded"),
    ("scaled V + selective ECC (sign, exponent, scales)", True, "sign-exp-scale", "secded"),
    ("scaled V, mixed voltage (protected bits at nominal)", True, "sign-exp-scale", "mixed-voltage"),
]
ENGINE = ("lane_multipliers", "adder_trees", "scale_units", "accumulators")


def logic_table() -> tuple[Path, str]:
    if CHARACTERIZED.is_file():
        return CHARACTERIZED, "sky130 characterized (sim/tech/sky130-characterized.csv)"
    return LITERATURE, ("generic-45nm literature estimates (sim/tech/generic-45nm.csv: the sky130 characterized "
                        "table has not landed yet; logic figures are 45 nm / 0.9 V estimates)")


def arch_doc(preset: str, sram: str, multiplier: str, weight_format: str, condition: tuple, workload_faults=False):
    doc = yaml.safe_load((PRESETS / f"{preset}.yaml").read_text())
    a = doc["architecture"]
    table, _ = logic_table()
    a["technology"] = str(table)
    a["sram_technology"] = sram
    a["array"].update(multiplier=multiplier, weight_format=weight_format)
    if table == CHARACTERIZED:
        a["array"]["voltage_v"] = 1.8  # the sky130 logic table's characterized corner (TT 25 C 1.8 V)
    _, scaled, layout, mode = condition
    v = SRAM[sram]["scaled" if scaled else "nominal"]
    for bank in a["sram"].values():
        bank.update(voltage_v=v, ecc_layout=layout, ecc_mode=mode)
    doc.setdefault("run", {}).update(faults=workload_faults, float_reference=False)
    return doc


def simulate(doc: dict, workload: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="nvfp4-lut-study-") as tmp:
        arch = Path(tmp) / "arch.yaml"
        arch.write_text(yaml.safe_dump(doc, sort_keys=False))
        r = subprocess.run([str(find_simulator()), "run", "--arch", str(arch), "--workload", str(workload), "--out",
                            str(Path(tmp) / "out"), "--quiet"], capture_output=True, text=True, timeout=1800)
        if r.returncode != 0:
            raise RuntimeError(f"nvfp4sim failed ({r.returncode}): {r.stderr.strip()[-800:]}")
        return json.loads((Path(tmp) / "out" / "summary.json").read_text())


def sram_cost(preset: str, vdd: float, word_bits: int, words: int) -> dict:
    tool = find_simulator().parent / "nvfp4-sram"
    r = subprocess.run([str(tool), "--preset", preset, "--vdd", str(vdd), "--word-bits", str(word_bits), "--words",
                        str(words)], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"nvfp4-sram failed: {r.stderr.strip()}")
    return json.loads(r.stdout)


def levels(s: dict, key: str) -> tuple[float, float, float]:
    """(multiplier, engine, whole) of summary `key` (energy_pj or area_um2)."""
    d = s[key]
    return d["lane_multipliers"], sum(d[k] for k in ENGINE), d["total"]


WEIGHTS = {"nvfp4": "E2M1", "fp8": "E4M3"}  # weight formats with a full-product table in lut/ (FP16: 2^20 entries)


def simulate_all(jobs: dict) -> dict:
    """{key: (arch doc, workload)} -> {key: summary}, two simulator processes at a time (the machines have 2 cores)."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {k: pool.submit(simulate, doc, wl) for k, (doc, wl) in jobs.items()}
        return {k: f.result() for k, f in futures.items()}


def ratio_rows(workload: Path) -> list[list]:
    mults = ("mantissa-lut", "full-lut", "array")
    runs_all = simulate_all({(sram, wf, cond, m): (arch_doc("edge-small", sram, m, wf, cond), workload)
                             for sram in SRAM for wf in WEIGHTS for cond in CONDITIONS for m in mults})
    rows = []
    for sram in SRAM:
        for wf, wname in WEIGHTS.items():
            for cond in CONDITIONS:
                runs = {m: runs_all[(sram, wf, cond, m)] for m in mults}
                ml = runs["mantissa-lut"]
                for other in ("full-lut", "array"):
                    o = runs[other]
                    e = [x / y for x, y in zip(levels(o, "energy_pj"), levels(ml, "energy_pj"))]
                    a = [x / y for x, y in zip(levels(o, "area_um2"), levels(ml, "area_um2"))]
                    prov = " ".join(sorted({b["provenance"] for b in ml["sram_model"]["banks"]}))
                    rows.append([sram, f"E2M1 x {wname}", cond[0], f"{other} / mantissa-lut", *e, *a, prov])
    return rows


# --- LUT storage options ---------------------------------------------------------------------------------------------
def table_sizes() -> dict[str, tuple[int, int]]:
    """(words, bits) of every generated table image, from the banners of lut/'s committed images."""
    out = {}
    for f in sorted((ROOT / "rtl_models" / "tables").glob("*.memh")):
        m = re.search(r"(\w+): (\d+) words of (\d+) bits", f.read_text())
        if m:
            out[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return out


def synth_lane_area() -> dict[str, float]:
    rows = [l for l in (ROOT / "rtl_models" / "synth" / "results.csv").read_text().splitlines() if l[:1] != "#"]
    return {r["config"]: float(r["area_um2"]) for r in csv.DictReader(rows)}


def latch_cells() -> dict[str, tuple[float, float]] | None:
    """(area um^2, leakage nW) of the latch and 2:1 mux cells of sky130_fd_sc_hd, from its Liberty (liberty-parser; the
    file found by the project's PDK lookup), or None without the PDK."""
    import gzip
    import sys
    sys.path.insert(0, str(ROOT / "scripts" / "pdk"))
    from pdk import PdkMissing, liberty
    from liberty.parser import parse_liberty
    try:
        path = liberty("sky130_fd_sc_hd", "sky130_fd_sc_hd__tt_025C_1v80")
    except PdkMissing:
        return None
    text = (gzip.open(path, "rt") if path.endswith(".gz") else open(path)).read()
    want = {"sky130_fd_sc_hd__dlxtp_1": "latch", "sky130_fd_sc_hd__mux2_1": "mux2"}
    out = {}
    for c in parse_liberty(text).get_groups("cell"):
        name = str(c.args[0]).strip('"')
        if name in want:
            out[want[name]] = (float(c["area"]), float(c["cell_leakage_power"]))
    return out


def storage_rows() -> list[list]:
    sizes, synth, cells = table_sizes(), synth_lane_area(), latch_cells()
    # E2M1 x FP16 full-product table: lut/ has none (2^20 entries); its exact product spans 2^-25 .. 6 x 65504 < 2^19,
    # so 44 magnitude bits + sign + NaN flag.
    sizes["full_e2m1_fp16"] = (1 << 20, 46)
    rows = []
    for fmt, lane in (("e2m1", "e2m1"), ("e4m3", "e4m3"), ("fp16", "fp16")):
        for style, stem in (("mantissa-lut", f"mant_e2m1_{fmt}"), ("full-lut", f"full_e2m1_{fmt}")):
            words, bits = sizes[stem]
            rom = synth.get(f"lane_{'mant' if style == 'mantissa-lut' else 'full'}_{lane}")
            row = [f"E2M1 x {fmt.upper()}", style, words, bits, words * bits, rom if rom else "n/a"]
            for v in (1.8, 1.2):
                c = sram_cost("sky130-openram", v, bits, words)
                row += [c["read_pj"], c["leakage_uw"]]
            c = sram_cost("sky130-openram", 1.8, bits, words)
            row += [c["area_um2"], c["detail"].split(": ", 1)[1].split(" at ")[0]]
            # Latch array: one latch per bit + a 2:1 mux tree per output bit (words - 1 muxes per bit of the word).
            n_mux = (words - 1) * bits
            row += [words * bits * cells["latch"][0] + n_mux * cells["mux2"][0],
                    (words * bits * cells["latch"][1] + n_mux * cells["mux2"][1]) * 1e-3] if cells else ["n/a", "n/a"]
            rows.append(row)
    return rows


# --- energy per inference --------------------------------------------------------------------------------------------
def inference_rows() -> list[list]:
    rows = []
    nominal = CONDITIONS[0]
    keys = [(wl, preset, sram) for wl in ("resnet18", "llama32_1b_decode") for preset in ("edge-small", "edge-large")
            for sram in SRAM]
    runs = simulate_all({k: (arch_doc(k[1], k[2], "mantissa-lut", "nvfp4", nominal),
                             ROOT / "workloads" / "tables" / f"{k[0]}.csv") for k in keys})
    for wl, preset, sram in keys:
        s = runs[(wl, preset, sram)]
        e = s["energy_pj"]
        sram_pj = sum(v for k, v in e.items() if k.startswith("sram_"))
        rows.append([wl, preset, sram, s["energy_per_inference_uj"], sram_pj * 1e-6, sum(e[k] for k in ENGINE) * 1e-6,
                     e["offchip"] * 1e-6, e.get("leakage_sram", 0) * 1e-6, s["area_um2"]["total"] * 1e-6, s["macs"]])
    return rows


def _table(header: list[str], rows: list[list]) -> list[str]:
    fmt = lambda v: f"{v:.4g}" if isinstance(v, float) else str(v)  # noqa: E731
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + \
           ["| " + " | ".join(fmt(v) for v in r) + " |" for r in rows]


RATIO_HEADER = ["SRAM model", "lane", "condition", "ratio", "energy: multiplier", "energy: engine", "energy: whole",
                "area: multiplier", "area: engine", "area: whole", "SRAM provenance"]
STORAGE_HEADER = ["lane", "style", "words", "bits/word", "table bits", "logic ROM area um^2 (Yosys)",
                  "SRAM read pJ @1.8 V", "SRAM leak uW @1.8 V", "SRAM read pJ @1.2 V (extrap.)",
                  "SRAM leak uW @1.2 V (extrap.)", "SRAM area um^2", "SRAM tiling", "latch array area um^2",
                  "latch array leak uW"]
INFERENCE_HEADER = ["workload", "preset", "SRAM model", "energy uJ", "SRAM dyn uJ", "engines uJ", "off-chip uJ",
                    "SRAM leak uJ", "area mm^2", "MACs"]


def run(out: Path) -> None:
    wl = ROOT / "workloads" / "tables" / "resnet18.csv"
    _, logic_label = logic_table()
    ratios, storage, inference = ratio_rows(wl), storage_rows(), inference_rows()
    out.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["table"] + RATIO_HEADER)
    w.writerows([["ratios"] + r for r in ratios])
    w.writerow(["table"] + STORAGE_HEADER)
    w.writerows([["storage"] + r for r in storage])
    w.writerow(["table"] + INFERENCE_HEADER)
    w.writerows([["inference"] + r for r in inference])
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
    rows = [r for r in ratios if r[0] == "sky130-openram" and r[3].startswith("full-lut")]
    fig, ax = plt.subplots(figsize=(9, 4.2))
    x = np.arange(len(rows))
    for i, (col, lab) in enumerate([(4, "energy, multiplier"), (5, "energy, engine"), (6, "energy, whole"),
                                    (7, "area, multiplier"), (9, "area, whole")]):
        ax.bar(x + (i - 2) * 0.16, [r[col] for r in rows], 0.16, label=lab)
    for y, lab in ((26.85, "published 26.85x"), (2.21, "published 2.21x")):
        ax.axhline(y, c="0.4", ls=":", lw=1)
        ax.text(len(rows) - 0.5, y, lab, fontsize=7, va="bottom", ha="right")
    ax.set_yscale("log")
    ax.set_xticks(x)
    ax.set_xticklabels([f"{r[1]}\n{r[2].split(' (')[0]}" for r in rows], fontsize=6, rotation=30, ha="right")
    ax.set_ylabel("full-product LUT / mantissa LUT")
    ax.set_title("ResNet-18 on edge-small, sky130 OpenRAM SRAM (nvfp4sim)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "lut-energy.png", dpi=110)
    plt.close(fig)
