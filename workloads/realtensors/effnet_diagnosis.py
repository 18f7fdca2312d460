"""Why EfficientNet-Lite0 loses top-1 under 4-bit fake quantization: is it the hook or the network?

    NVFP4_PYTHON_DIR=build-dse/python build-dse/exportenv/bin/python -m workloads.realtensors.effnet_diagnosis

writes docs/studies/model-efficientnet-diagnosis.{md,csv}. Three pieces of evidence:
1. per layer: the NVFP4 (B = 16) weight SQNR, whether the hook's quantized weight has the same bits as the C++ core
   (nvfp4dse.native, when built), and the logit SQNR / top-1 agreement when only that layer's weights are NVFP4 and
   when they instead get Gaussian noise at the same SQNR (centre crops, one per photograph);
2. the whole network: every weight NVFP4 vs Gaussian noise at 20.5 / 30 / 40 / 50 dB per output channel (all views);
3. BN folded into the weights before quantization vs not (all views).
If NVFP4 and noise of the same SQNR do the same damage, the loss is the network's sensitivity, not a quantizer bug.
"""
from __future__ import annotations

import copy
import sys
import time

import numpy as np
import torch

from . import export_efficientnet as E
from .model_studies import ROOT, write
from .torch_quant import FakeQuant, fq_weight

COMMAND = "NVFP4_PYTHON_DIR=build-dse/python build-dse/exportenv/bin/python -m workloads.realtensors.effnet_diagnosis"


def _sqnr(a, b) -> float:
    a = np.asarray(a, np.float64)
    return float(10 * np.log10(np.sum(a ** 2) / np.sum((a - np.asarray(b, np.float64)) ** 2)))


def _noisy(w: torch.Tensor, db: float, gen: torch.Generator) -> torch.Tensor:
    """w plus Gaussian noise at `db` SQNR in every output channel."""
    r = w.reshape(w.shape[0], -1)
    z = torch.randn(r.shape, generator=gen)
    k = r.norm(dim=1, keepdim=True) / z.norm(dim=1, keepdim=True).clamp_min(1e-30) * 10 ** (-db / 20)
    return (r + z * k).reshape(w.shape)


def _native_bits_equal(w: torch.Tensor, q: torch.Tensor):
    try:
        from nvfp4dse import native
    except ImportError:
        return "not built"
    a = w.numpy()
    a2d = a.transpose(0, 2, 3, 1).reshape(a.shape[0], -1) if a.ndim == 4 else a
    n = np.asarray(native.dequantize(native.quantize(np.ascontiguousarray(a2d), "nvfp4", block=16)), np.float32)
    h = q.numpy()
    h2d = h.transpose(0, 2, 3, 1).reshape(h.shape[0], -1) if h.ndim == 4 else h
    return "yes" if np.array_equal(n.view(np.uint32), np.ascontiguousarray(h2d).view(np.uint32)) else "NO"


def _fold_bn(model):
    """A copy with every BatchNorm folded into the preceding convolution (weights scaled, bias added)."""
    f = copy.deepcopy(model)
    pairs = [(f._conv_stem, f._bn0), (f._conv_head, f._bn1)]
    for b in f._blocks:
        if b._block_args.expand_ratio != 1:
            pairs.append((b._expand_conv, b._bn0))
        pairs += [(b._depthwise_conv, b._bn1), (b._project_conv, b._bn2)]
    with torch.no_grad():
        for conv, bn in pairs:
            g = bn.weight / torch.sqrt(bn.running_var + bn.eps)
            conv.weight.mul_(g.view(-1, 1, 1, 1))
            conv.bias = torch.nn.Parameter(bn.bias - bn.running_mean * g)
            bn.weight.fill_(1)
            bn.bias.zero_()
            bn.running_mean.zero_()
            bn.running_var.fill_(1 - bn.eps)
    return f


def main() -> int:
    sys.path.insert(0, str(ROOT / "scripts"))
    t0 = time.time()
    model = E.load_model()
    views = E.views()
    centre = views[8::10]  # the centre crop of each photograph
    ref_c, ref = E.logits(model, centre), E.logits(model, views)
    gen = torch.Generator().manual_seed(0)
    rows = []
    for name, mod in model.named_modules():
        if not isinstance(mod, (torch.nn.Conv2d, torch.nn.Linear)):
            continue
        w0 = mod.weight.data
        q = fq_weight(w0, "nvfp4", 16)
        db = _sqnr(w0.numpy(), q.numpy())
        r = [name, "x".join(map(str, w0.shape)), db, _native_bits_equal(w0, q)]
        for w in (q, _noisy(w0, db, gen)):
            mod.weight.data = w
            m = E.agreement(ref_c, E.logits(model, centre))
            r += [m["logit_sqnr_db"], m["top1_agree"]]
        mod.weight.data = w0
        rows.append(r)
        print(*r, sep=",", flush=True)
    write(ROOT / "docs" / "studies", "model-efficientnet-diagnosis-layers",
          "EfficientNet-Lite0: one layer's weights NVFP4 vs Gaussian noise of the same SQNR",
          f"Centre crops ({len(centre)} views). Only the named layer's weights are perturbed; activations stay float.",
          ["layer", "weight shape", "NVFP4 weight SQNR dB", "bits = C++ core", "NVFP4: logit SQNR dB",
           "NVFP4: top-1 agree", "noise: logit SQNR dB", "noise: top-1 agree"], rows, command=COMMAND)
    whole = []
    convs = [m for m in model.modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    saved = [m.weight.data for m in convs]
    with FakeQuant(model, None, "nvfp4", 16):
        whole.append(["every weight NVFP4 B=16"] + _cols(E.agreement(ref, E.logits(model, views))))
    for db in (20.5, 30.0, 40.0, 50.0):
        for m in convs:
            m.weight.data = _noisy(m.weight.data, db, gen)
        whole.append([f"every weight + Gaussian noise, {db:g} dB"] + _cols(E.agreement(ref, E.logits(model, views))))
        for m, w in zip(convs, saved):
            m.weight.data = w
        print(*whole[-1], sep=",", flush=True)
    folded = _fold_bn(model)
    whole.append(["BN folded, float (check)"] + _cols(E.agreement(ref, E.logits(folded, views))))
    with FakeQuant(folded, None, "nvfp4", 16):
        whole.append(["BN folded, every weight NVFP4 B=16"] + _cols(E.agreement(ref, E.logits(folded, views))))
    write(ROOT / "docs" / "studies", "model-efficientnet-diagnosis",
          "EfficientNet-Lite0: NVFP4 weights vs Gaussian weight noise, BN folded or not",
          f"{len(views)} views; activations stay float. Per-layer table: model-efficientnet-diagnosis-layers.md.",
          ["weights", "top-1 agree", "top-5 overlap", "float top-1 in quant top-5", "top-1 agree (confident)",
           "logit SQNR dB"], whole, command=COMMAND)
    print(f"done in {time.time() - t0:.0f} s")
    return 0


def _cols(m: dict) -> list:
    return [m["top1_agree"], m["top5_agree"], m["top1_in_top5"], m["top1_agree_confident"], m["logit_sqnr_db"]]


if __name__ == "__main__":
    sys.exit(main())
