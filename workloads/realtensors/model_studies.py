"""Model-level metrics of the studies (needs torch: workloads/requirements-export.txt; run here, not in CI):

    build-dse/exportenv/bin/python -m workloads.realtensors.model_studies [--out docs/studies]

writes model-block-size, model-weight-precision, model-unscaled-fp4 and model-sensitivity (.csv and .md): MiniLM-L6
embedding cosine similarity and nearest-neighbour agreement vs float on 300 fortunes-min sentences, EfficientNet-Lite0
top-1 / top-5 agreement vs float on the 8 scikit-image photographs (10 views each). Every Linear/Conv2d is fake-quantized
(torch_quant.py); attention score/context products, norms and activations stay float.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

from . import export_efficientnet as effnet
from . import export_minilm as minilm
from .sources import english_sentences

ROOT = Path(__file__).resolve().parents[2]


STUDIES_COMMAND = "build-dse/exportenv/bin/python -m workloads.realtensors.model_studies"


def write(out: Path, name: str, title: str, intro: str, header, rows, command: str = STUDIES_COMMAND):
    out.mkdir(parents=True, exist_ok=True)
    with open(out / f"{name}.csv", "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + rows)
    fmt = lambda v: f"{v:.4f}" if isinstance(v, float) else str(v)  # noqa: E731
    md = [f"# {title}", "", f"Command: `{command}` (needs workloads/requirements-export.txt).", "", intro, "", "| " + " | ".join(header) + " |",
          "|" + "---|" * len(header)] + ["| " + " | ".join(fmt(v) for v in r) + " |" for r in rows] + [""]
    (out / f"{name}.md").write_text("\n".join(md))
    print(f"wrote {out / (name + '.md')}", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "studies"))
    ap.add_argument("--views", type=int, default=None, help="EfficientNet image views (default all: 10 per photograph)")
    ap.add_argument("--sentences", type=int, default=300)
    args = ap.parse_args(argv)
    out = Path(args.out)
    t0 = time.time()
    lm = minilm.load_model()
    sents = english_sentences(args.sentences)
    lm_ref = minilm.embed(lm, sents)
    en = effnet.load_model()
    views = effnet.views()[: args.views]
    en_ref = effnet.logits(en, views)

    def both(act, weight, block=None, wblock=None):
        a = minilm.quantized_metrics(lm, sents, lm_ref, act, weight, block, weight_block=wblock)
        b = effnet.quantized_metrics(en, views, en_ref, act, weight, block)
        return [a["cos_mean"], a["nn_agree"], b["top1_agree"], b["top5_agree"]]

    head = ["MiniLM cos mean", "MiniLM NN agree", "EffNet top-1 agree", "EffNet top-5 agree"]
    rows = [[b] + both("nvfp4", "nvfp4", b) for b in (4, 16, 64, 256)]
    write(out, "model-block-size", "Block-size ablation at model level (NVFP4 activations and weights)",
          f"{len(sents)} sentences, {len(views)} image views.", ["B"] + head, rows)
    rows = [[w] + both("nvfp4", w if w != "fp4" else "nvfp4", 16) for w in ("fp4", "fp8", "fp16")]
    write(out, "model-weight-precision", "Weight precision at model level, NVFP4 activations",
          "fp4 = NVFP4 weights (B = 16); fp8 = E4M3 with a per-tensor scale; fp16.", ["weights"] + head, rows)
    rows = [[label] + both(a, a, b) for label, a, b in (("unscaled FP4", "fp4", None), ("MXFP4", "mxfp4", 32),
                                                         ("NVFP4", "nvfp4", 16))]
    write(out, "model-unscaled-fp4", "Unscaled FP4 vs MXFP4 vs NVFP4 at model level (no retraining)", "",
          ["format"] + head, rows)
    rows = []
    for kind, pattern in [("component", c) for c in minilm.COMPONENTS] + [("layer", str(i)) for i in range(6)]:
        def select(name, kind=kind, pattern=pattern):
            c = minilm.component_of(name)
            return c is not None and (c[1] == pattern if kind == "component" else str(c[0]) == pattern)
        r = [f"{kind} {pattern}"]
        for fmt, b in (("nvfp4", 16), ("mxfp4", 32)):
            m = minilm.quantized_metrics(lm, sents, lm_ref, fmt, fmt, b, select)
            r += [m["cos_mean"], m["nn_agree"]]
        rows.append(r)
    write(out, "model-sensitivity", "Layer-wise and block-wise sensitivity of MiniLM-L6, NVFP4 vs MXFP4",
          "One component type (in all six layers) or one encoder layer (all its projections) quantized at a time; "
          "the rest stays float. Metric: sentence-embedding cosine similarity and nearest-neighbour agreement vs "
          "float on 300 sentences.", ["quantized", "NVFP4 cos", "NVFP4 NN", "MXFP4 cos", "MXFP4 NN"], rows)
    print(f"done in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
