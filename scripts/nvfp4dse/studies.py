"""The seeds' studies, each one command: `nvfp4-dse study NAME` writes docs/studies/NAME.{md,csv,png}.

Light studies run on the committed layer tensors (MiniLM-L6, EfficientNet-Lite0) and the project's Fashion-MNIST CNN
in a minute or so; the model-level metrics of the same studies (MiniLM embedding agreement, EfficientNet top-1/top-5
agreement) need torch and come from `python -m workloads.realtensors.model_studies` (docs/studies/README.md).
"""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import numpy as np

from . import accuracy, native
from .space import resolve_workload

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "docs" / "studies"


def _write(out: Path, name: str, title: str, intro: str, header: list[str], rows: list[list], plot) -> None:
    out.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header] + rows)
    (out / f"{name}.csv").write_text(buf.getvalue())
    fmt = lambda v: f"{v:.4f}" if isinstance(v, float) else str(v)  # noqa: E731
    md = [f"# {title}", "", f"Command: `scripts/nvfp4-dse study {name}` (writes this page, `{name}.csv`, `{name}.png`).",
          "", intro, "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    md += ["| " + " | ".join(fmt(v) for v in r) + " |" for r in rows]
    md += ["", f"![{name}]({name}.png)", ""]
    (out / f"{name}.md").write_text("\n".join(md))
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig = plot(plt)
    fig.tight_layout()
    fig.savefig(out / f"{name}.png", dpi=110)
    plt.close(fig)


def _bits(scheme: str, block: int, n: int) -> float:
    """Storage bits per element of an n-element tensor, as the numerics core counts them."""
    return native.bits_per_element(native.spec(scheme, block=block), 1, n)


def _sqnr_sets(act: str = "nvfp4", weight: str = "nvfp4", block: int = 16) -> dict:
    """Mean fault-free layer SQNR of each committed tensor set (fake quantization, float64 GEMM)."""
    return {s: float(np.mean(list(accuracy.fake_quant_layer_sqnr(accuracy.load_set(s), act, weight, block).values())))
            for s in ("minilm_l6", "efficientnet_lite0")}


def _fmnist(act: str = "nvfp4", weight: str = "nvfp4", block: int = 16) -> float:
    return accuracy.fake_quant_fmnist(act, weight, block)


def storage_bits(out: Path):
    blocks = [1, 2, 4, 8, 16, 32, 64, 128, 256]
    sizes = [256, 4096, 65536, 1 << 20]
    rows = [[b] + [_bits("nvfp4", b, n) for n in sizes] for b in blocks]
    at = _bits("nvfp4", 16, 4096)
    assert abs(at - 4.5078125) < 1e-12, at
    def plot(plt):
        fig, ax = plt.subplots(figsize=(6.5, 4))
        for j, n in enumerate(sizes):
            ax.plot(blocks, [r[j + 1] for r in rows], "o-", label=f"N = {n}")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log", base=2)
        ax.axhline(4, c="0.5", ls=":")
        ax.set_xlabel("block size B (elements per UE4M3 scale)")
        ax.set_ylabel("storage bits per element")
        ax.set_title("NVFP4 storage: 4 + 8/B + 32/N")
        ax.legend()
        return fig
    _write(out, "storage-bits", "Storage bits per element vs block size and tensor size",
           "Bits per element = 4 (E2M1 code) + 8/B (one UE4M3 scale per block of B) + 32/N (one FP32 tensor scale "
           f"per N elements). At B = 16, N = 4096: {at:.4f} bits (the published 4.5078).",
           ["B"] + [f"N={n}" for n in sizes], rows, plot)


def block_size(out: Path):
    blocks = [1, 2, 4, 8, 16, 32, 64, 128, 256]
    rows = []
    for b in blocks:
        s = _sqnr_sets(block=b)
        rows.append([b, _bits("nvfp4", b, 4096), s["minilm_l6"], s["efficientnet_lite0"], _fmnist(block=b)])
    def plot(plt):
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.plot(blocks, [r[2] for r in rows], "o-", label="MiniLM-L6 layers: SQNR (dB)")
        ax.plot(blocks, [r[3] for r in rows], "s-", label="EfficientNet-Lite0 layers: SQNR (dB)")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("block size B")
        ax.set_ylabel("mean layer output SQNR (dB)")
        ax2 = ax.twinx()
        ax2.plot(blocks, [r[1] for r in rows], "k--", label="bits / element (N=4096)")
        ax2.set_ylabel("storage bits per element")
        ax.legend(loc="upper right", fontsize=8)
        ax2.legend(loc="center right", fontsize=8)
        ax.set_title("Block-size ablation, NVFP4 activations and weights (recipe te)")
        return fig
    _write(out, "block-size", "Block-size ablation (B = 1 ... 256), NVFP4 activations",
           "Activations and weights quantized with NVFP4 (recipe te, 1-D blocks of B along the reduction dimension, "
           "UE4M3 block scales, FP32 tensor scale). Accuracy: mean output SQNR of the committed layers; Fashion-MNIST: "
           "test accuracy of the project's CNN on the first 1000 test images (float: 0.908; +-1 % sampling error). "
           "Storage at N = 4096.",
           ["B", "bits/elem", "MiniLM SQNR dB", "EffNet SQNR dB", "FMNIST acc"], rows, plot)


def weight_precision(out: Path):
    rows = []
    for wf in ("fp4", "fp8", "fp16"):
        scheme = {"fp4": "nvfp4", "fp8": "fp8", "fp16": "fp16"}[wf]
        s = _sqnr_sets(weight=scheme)
        bits = {"fp4": _bits("nvfp4", 16, 4096), "fp8": 8.0, "fp16": 16.0}[wf]
        rows.append([wf, bits, s["minilm_l6"], s["efficientnet_lite0"], _fmnist(weight=scheme)])
    def plot(plt):
        fig, ax = plt.subplots(figsize=(6, 4))
        x = np.arange(3)
        ax.bar(x - 0.2, [r[2] for r in rows], 0.4, label="MiniLM-L6 SQNR (dB)")
        ax.bar(x + 0.2, [r[3] for r in rows], 0.4, label="EfficientNet-Lite0 SQNR (dB)")
        ax.set_xticks(x)
        ax.set_xticklabels(["FP4 (NVFP4)", "FP8 E4M3", "FP16"])
        ax.set_ylabel("mean layer output SQNR (dB)")
        ax.set_title("Weight precision with NVFP4 activations")
        ax.legend(fontsize=8)
        return fig
    _write(out, "weight-precision", "Weight precision FP4 / FP8 / FP16 with NVFP4 activations",
           "Activations NVFP4 (B = 16, te) in every row; weights NVFP4, E4M3 with a per-tensor scale (A/448), or FP16. "
           "FP8 weights gain about 2.8 dB of layer SQNR over NVFP4 weights and FP16 only 0.3 dB more: with NVFP4 "
           "activations the activation error then dominates. The Fashion-MNIST accuracies differ by less than the "
           "+-1 % sampling error of 1000 test images.",
           ["weights", "weight bits/elem", "MiniLM SQNR dB", "EffNet SQNR dB", "FMNIST acc"], rows, plot)


def unscaled_fp4(out: Path):
    rows = []
    from workloads.realtensors import fmnist_cnn
    float_acc = fmnist_cnn.accuracy(accuracy.fmnist_params(), n=accuracy.FMNIST_IMAGES)
    rows.append(["float", 32.0, float("inf"), float("inf"), float_acc])
    for fmt, label in (("fp4", "unscaled FP4"), ("mxfp4", "MXFP4 (B=32, floor)"), ("nvfp4", "NVFP4 (B=16, te)")):
        b = 32 if fmt == "mxfp4" else 16
        s = _sqnr_sets(fmt, fmt, b)
        rows.append([label, _bits(fmt, b, 4096), s["minilm_l6"], s["efficientnet_lite0"], _fmnist(fmt, fmt, b)])
    def plot(plt):
        fig, ax = plt.subplots(figsize=(6.5, 4))
        labels = [r[0] for r in rows[1:]]
        x = np.arange(len(labels))
        ax.bar(x - 0.2, [r[2] for r in rows[1:]], 0.4, label="MiniLM-L6 SQNR (dB)")
        ax.bar(x + 0.2, [r[3] for r in rows[1:]], 0.4, label="EfficientNet-Lite0 SQNR (dB)")
        ax.set_xticks(x)
        ax.set_xticklabels(labels)
        ax.set_ylabel("mean layer output SQNR (dB)")
        ax.set_title("Unscaled FP4 vs block-scaled FP4 (no retraining)")
        ax.legend(fontsize=8)
        return fig
    _write(out, "unscaled-fp4", "Unscaled FP4 vs NVFP4 (without retraining)",
           "Activations and weights cast to E2M1 with no scale at all (unscaled), with UE8M0 scales per 32 (MXFP4), "
           "or with UE4M3 scales per 16 and an FP32 tensor scale (NVFP4). Values beyond +-6 saturate and values "
           "below 0.25 flush to zero without a scale, which is what costs unscaled FP4 its accuracy.",
           ["format", "bits/elem", "MiniLM SQNR dB", "EffNet SQNR dB", "FMNIST acc"], rows, plot)


def component_sensitivity(out: Path):
    """MiniLM q/k/v/o/up/down of layers 0 and 5, one component quantized at a time, NVFP4 vs MXFP4."""
    layers = accuracy.load_set("minilm_l6")
    rows = []
    for name, a, w in layers:
        ref = a.astype(np.float64) @ w.astype(np.float64).T
        vals = []
        for fmt, b in (("nvfp4", 16), ("mxfp4", 32)):
            y = native.fake_quant(a, fmt, b).astype(np.float64) @ native.fake_quant(w, fmt, b).astype(np.float64).T
            vals.append(accuracy.sqnr_db(ref, y))
        rows.append([name] + vals + [vals[0] - vals[1]])
    def plot(plt):
        fig, ax = plt.subplots(figsize=(4.5, 5))
        data = np.array([[r[1], r[2]] for r in rows])
        im = ax.imshow(data, cmap="viridis", aspect="auto")
        for i in range(len(rows)):
            for j in range(2):
                ax.text(j, i, f"{data[i, j]:.1f}", ha="center", va="center", color="w", fontsize=8)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([r[0] for r in rows], fontsize=8)
        ax.set_xticks([0, 1])
        ax.set_xticklabels(["NVFP4", "MXFP4"])
        fig.colorbar(im, ax=ax, label="output SQNR (dB)")
        ax.set_title("MiniLM-L6 per-component SQNR")
        return fig
    _write(out, "component-sensitivity", "Layer-wise sensitivity, NVFP4 vs MXFP4 (MiniLM-L6 components)",
           "One component at a time (q, k, v, o, up, down of encoder layers 0 and 5; committed tensors: 32 real token "
           "rows, first 64 weight rows), activations and weights quantized, output SQNR vs float. The model-level "
           "version (one component type or one block of layers quantized in the whole network, embedding cosine "
           "similarity) is `model-sensitivity.md`.",
           ["layer", "NVFP4 SQNR dB", "MXFP4 SQNR dB", "NVFP4 - MXFP4 dB"], rows, plot)


def lut_energy(out: Path):
    """Mantissa-LUT vs full-product LUT priced by the simulator on sky130 SRAM (scripts/nvfp4dse/study_lut_energy.py)."""
    from . import study_lut_energy
    study_lut_energy.run(out)


STUDIES = {"storage-bits": storage_bits, "block-size": block_size, "weight-precision": weight_precision,
           "unscaled-fp4": unscaled_fp4, "component-sensitivity": component_sensitivity, "lut-energy": lut_energy}


def run_study(name: str, out: str | None) -> int:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if name == "all":
        for n in STUDIES:
            run_study(n, out)
        return 0
    if name not in STUDIES:
        print(f"error: unknown study '{name}' (all, {', '.join(STUDIES)})", file=sys.stderr)
        return 2
    target = Path(out) if out else DEFAULT_OUT
    STUDIES[name](target)
    print(f"wrote {target / (name + '.md')}")
    return 0
