"""Accuracy side of a design point: quantize real layer tensors as the point says, inject faults, compare with float.

Tensor sets (workloads/tensors/<set>/manifest.json lists layers with an activation A (M x K) and a weight W (N x K)):
  minilm_l6, efficientnet_lite0: per-layer output SQNR of deq(Q(A)) deq(Q(W))^T against A W^T (float64);
  fmnist_cnn: the project's Fashion-MNIST CNN end to end (test accuracy on the first FMNIST_IMAGES test images),
              plus the per-layer SQNR of its four GEMMs on the first batch.
Quantization is the C++ numerics core's (nvfp4dse.native); quant_ref.py is only the tests' independent oracle.
What the accuracy side does not model: the accumulator width and the multiplier style (products are exact in every
style; accumulation error is the numerics core's and the simulator's to measure bit for bit).
"""
from __future__ import annotations

import json
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import faults

ROOT = Path(__file__).resolve().parents[2]
TENSORS = ROOT / "workloads" / "tensors"
TENSOR_SETS = ("minilm_l6", "efficientnet_lite0", "fmnist_cnn")
FMNIST_IMAGES = 1000


class MissingTensors(Exception):
    pass


@lru_cache(maxsize=4)
def load_set(name: str) -> list[tuple[str, np.ndarray, np.ndarray]]:
    manifest = TENSORS / name / "manifest.json"
    if not manifest.exists():
        raise MissingTensors(f"tensor set '{name}' not found ({manifest}); see docs/workloads.md to export it")
    layers = json.loads(manifest.read_text())["layers"]
    return [(l["name"], np.load(TENSORS / name / l["act"]), np.load(TENSORS / name / l["weight"])) for l in layers]


def code_kind(scheme: str) -> str:
    kinds = {"nvfp4": "e2m1", "mxfp4": "e2m1", "fp4": "e2m1", "fp4-tensor": "e2m1", "fp8": "e4m3", "fp16": "fp16"}
    if scheme not in kinds:
        raise ValueError(f"fault injection into {scheme} codes is not modelled")
    return kinds[scheme]


def weight_scheme(point: dict) -> str:
    return point["act_format"] if point["weight_format"] == "fp4" else point["weight_format"]


def _block(scheme: str, point: dict) -> int | None:
    return point["block"] if scheme in ("nvfp4", "mxfp4") else None


def quantize_stored(x: np.ndarray, scheme: str, point: dict, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """Quantize as stored in SRAM, inject the point's faults, read back. Returns (dequantized, flipped bits)."""
    from . import native  # here, not at import: sweeps with accuracy none run without the extension
    q = native.quantize(x, scheme, block=_block(scheme, point))
    codes, scales = q.element_codes(), q.scales.copy()
    flips = faults.inject(codes, scales, code_kind(scheme), point["ecc"], point["voltage"], rng)
    return native.dequantize(q.with_element_codes(codes, scales) if flips else q), flips


def layer_rng(point: dict, layer: str, tensor: str) -> np.random.Generator:
    """Faults depend only on the point's seed and the tensor's identity: same point, same faults, on any worker."""
    return np.random.default_rng([int(point["seed"]), zlib.crc32(layer.encode()), zlib.crc32(tensor.encode())])


def sqnr_db(ref: np.ndarray, out: np.ndarray) -> float:
    out = np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)
    err = float(np.sum((ref - out) ** 2))
    sig = float(np.sum(ref ** 2))
    return 200.0 if err == 0 else float(10 * np.log10(sig / err)) if sig > 0 else -200.0


def quantized_gemm(point: dict, name: str, a: np.ndarray, w: np.ndarray, stats: dict | None = None) -> np.ndarray:
    da, fa = quantize_stored(a, point["act_format"], point, layer_rng(point, name, "act"))
    dw, fw = quantize_stored(w, weight_scheme(point), point, layer_rng(point, name, "weight"))
    if stats is not None:
        stats["flips"] = stats.get("flips", 0) + fa + fw
    return (da.astype(np.float64) @ dw.astype(np.float64).T).astype(np.float32)


def layer_sqnr(point: dict, layers) -> tuple[dict, int]:
    stats, out = {}, {}
    for name, a, w in layers:
        ref = a.astype(np.float64) @ w.astype(np.float64).T
        out[name] = sqnr_db(ref, quantized_gemm(point, name, a, w, stats))
    return out, stats.get("flips", 0)


def evaluate(point: dict) -> dict:
    name = point["accuracy"]
    if name == "none":
        return {}
    if name == "fmnist_cnn":
        return _fmnist(point)
    per_layer, flips = layer_sqnr(point, load_set(name))
    vals = np.array(list(per_layer.values()))
    return {"sqnr_mean_db": float(vals.mean()), "sqnr_min_db": float(vals.min()), "fault_bits": flips,
            "accuracy": float(vals.mean()), "accuracy_metric": "mean layer output SQNR (dB)",
            "sqnr_per_layer": per_layer}


def _fmnist(point: dict) -> dict:
    try:
        from workloads.realtensors import fmnist_cnn
    except ImportError:
        import sys
        sys.path.insert(0, str(ROOT))
        from workloads.realtensors import fmnist_cnn
    if not (fmnist_cnn.OUT / "weights.npz").exists():
        raise MissingTensors("fmnist_cnn weights missing: python3 -m workloads.realtensors.fmnist_cnn train")
    params = _fmnist_params()
    stats, per_layer = {}, {}

    def gemm(layer, a, w):
        out = quantized_gemm(point, layer, a, w, stats)
        if layer not in per_layer:
            per_layer[layer] = sqnr_db(a.astype(np.float64) @ w.astype(np.float64).T, out)
        return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)

    try:
        acc = fmnist_cnn.accuracy(params, gemm, n=FMNIST_IMAGES)
    except FileNotFoundError as e:
        raise MissingTensors(str(e)) from e
    vals = np.array(list(per_layer.values()))
    return {"accuracy": acc, "accuracy_metric": "Fashion-MNIST test accuracy", "sqnr_mean_db": float(vals.mean()), "sqnr_min_db": float(vals.min()),
            "fault_bits": stats.get("flips", 0), "sqnr_per_layer": per_layer}


@lru_cache(maxsize=1)
def _fmnist_params():
    from workloads.realtensors import fmnist_cnn
    return fmnist_cnn.load_params()
