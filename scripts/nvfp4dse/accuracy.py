"""Accuracy side of a design point: real layer tensors stored, read back and multiplied exactly as the simulator
does, compared with the simulator's float reference.

Tensor sets (workloads/tensors/<set>/manifest.json lists layers with an activation A (M x K) and a weight W (N x K)):
  minilm_l6, efficientnet_lite0: per-layer output SQNR of gemm(read(A), read(W)) against the float A W^T;
  fmnist_cnn: the project's Fashion-MNIST CNN end to end (test accuracy on the first FMNIST_IMAGES test images, in
              chunks of 500), plus the per-layer SQNR of its four GEMMs on the first chunk.
The chain is the simulator's (nvfp4_native.SimPoint over sim/faults/operand_faults.cpp): operand 0 (activations) is
quantized with the point's activation spec, operand 1 (weights) with its weight spec, each is read back from its code
bank and the scales bank through ecc/'s injector (layout, SECDED, p(V) of architecture.sram_technology) seeded by
fault_seed(run.fault_seed, layer index, operand), so the fault counts of a layer equal those of `nvfp4sim run` on the
same tensors (tests/scripts/test_point.py). Layer index = position in the manifest (fmnist: conv1 0 ... fc2 3, as in
workloads/tables/fmnist_cnn.csv); every fmnist chunk is the same stored layer, read through the same failing cells.
The GEMM is the simulator's (nvfp4::gemm with the point's accumulator, one thread: bit-exact and the same on every
worker); the SQNR is the simulator's (sim::sqnr: non-finite outputs left out and counted in nonfinite_outputs); the
float reference is the simulator's (sim::float_gemm, one-thread sgemm). The multiplier style changes no number.

Work shared between points is reused within a worker process (issue 14): stored (quantized) tensors by (tensor,
spec), read-back tensors by (stored tensor, code bank, scales bank, SRAM technology, fault seed, faults, layer, operand)
and the float references by layer.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from functools import lru_cache

import numpy as np

from .paths import ROOT

TENSORS = ROOT / "workloads" / "tensors"
TENSOR_SETS = ("minilm_l6", "efficientnet_lite0", "fmnist_cnn")
FMNIST_IMAGES = 1000
FIELDS = ("bits_stored", "raw_bit_errors", "corrected_bits", "due_bits", "silent_bit_errors")


class MissingTensors(Exception):
    pass


@lru_cache(maxsize=4)
def load_set(name: str) -> list[tuple[str, np.ndarray, np.ndarray]]:
    manifest = TENSORS / name / "manifest.json"
    if not manifest.exists():
        raise MissingTensors(f"tensor set '{name}' not found ({manifest}); see docs/workloads.md to export it")
    layers = json.loads(manifest.read_text())["layers"]
    return [(l["name"], np.load(TENSORS / name / l["act"]), np.load(TENSORS / name / l["weight"])) for l in layers]


def sqnr_db(ref: np.ndarray, out: np.ndarray) -> float:
    out = np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)
    err = float(np.sum((ref - out) ** 2))
    sig = float(np.sum(ref ** 2))
    return 200.0 if err == 0 else float(10 * np.log10(sig / err)) if sig > 0 else -200.0


def _nbytes(value) -> int:
    if isinstance(value, tuple):
        return sum(_nbytes(v) for v in value)
    if isinstance(value, np.ndarray):
        return value.nbytes
    if hasattr(value, "row_stride_bytes"):  # a QuantizedTensor: its codes (the scales are a fraction of them)
        return value.rows * value.row_stride_bytes()
    return 64


class _Lru(OrderedDict):
    """Least-recently-used cache bounded by the bytes of the arrays it holds."""

    def __init__(self, max_bytes: int):
        super().__init__()
        self.max_bytes, self.bytes = max_bytes, 0
        self.hits = self.misses = 0

    def get_or(self, key, make):
        if key in self:
            self.move_to_end(key)
            self.hits += 1
            return self[key]
        self.misses += 1
        value = self[key] = make()
        self.bytes += _nbytes(value)
        while self.bytes > self.max_bytes and len(self) > 1:
            _, old = self.popitem(last=False)
            self.bytes -= _nbytes(old)
        return value


# Per worker process: what points of one sweep share (docs/dse.md, "Reuse").
STORED = _Lru(256 << 20)     # (tensor id, operand, spec) -> stored QuantizedTensor
READ = _Lru(512 << 20)       # (tensor id, spec, banks/technology/seed/faults, layer, operand) -> (float32, counts)
REFERENCE = _Lru(128 << 20)  # (set, layer) -> float32 A W^T (the simulator's float reference)


class Chain:
    """One design point's store-and-read-back path (nvfp4_native.SimPoint) with its fault counts, and the simulator's
    GEMM (the golden nvfp4::gemm with the point's accumulator) and SQNR."""

    def __init__(self, sim_point, doc: dict):
        self.sp = sim_point
        sram, run = doc["architecture"]["sram"], doc["run"]
        self.spec_key = (self.sp.activation_spec.describe(), self.sp.weight_spec.describe())
        common = (json.dumps(sram["scales"], sort_keys=True), doc["architecture"]["sram_technology"],
                  run["fault_seed"], run["faults"])
        self.bank_key = (json.dumps(sram["activations"], sort_keys=True) + repr(common),
                         json.dumps(sram["weights"], sort_keys=True) + repr(common))
        self.counts = dict.fromkeys(FIELDS, 0)
        self.nonfinite = 0

    def read(self, x: np.ndarray, layer: int, operand: int, tensor_id=None):
        """x (float32 rows x K) stored as operand `operand` of layer `layer` and read back (a QuantizedTensor).
        tensor_id names x when it is a fixed tensor (cached across points); None for data computed by this point."""

        def stored():
            return self.sp.quantize(np.ascontiguousarray(x, np.float32), operand)

        def read_back():
            q = STORED.get_or((tensor_id, operand, self.spec_key[operand]), stored) if tensor_id else stored()
            return self.sp.read_back(q, layer, operand)

        if tensor_id is None:
            out, counts = read_back()
        else:
            out, counts = READ.get_or((tensor_id, self.spec_key[operand], self.bank_key[operand], layer, operand),
                                      read_back)
        for k in FIELDS:
            self.counts[k] += counts[k]
        return out

    def gemm(self, layer: int, a: np.ndarray, w: np.ndarray, a_id=None, w_id=None) -> np.ndarray:
        """The layer's output as the simulator computes it: nvfp4::gemm of the read-back operands (bit-exact, one
        thread, the point's accumulator), float32 M x N."""
        from . import native
        ra, rw = self.read(a, layer, 0, a_id), self.read(w, layer, 1, w_id)
        out = native._ext.gemm(ra, rw, self.sp.accumulator, 1)
        return np.frombuffer(out, np.float32).reshape(a.shape[0], w.shape[0])

    def sqnr(self, ref: np.ndarray, out: np.ndarray) -> float:
        """The simulator's output SQNR (non-finite outputs left out and counted)."""
        from . import native
        db, nonfinite = native._ext.sim_sqnr(ref.tobytes(), out.tobytes())
        self.nonfinite += nonfinite
        return db

    def fault_metrics(self) -> dict:
        return {**{f"fault_{k}": v for k, v in self.counts.items()}, "nonfinite_outputs": self.nonfinite}


def float_reference(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The simulator's float reference A W^T (float32, one-thread sgemm: the same on every worker)."""
    from . import native
    a, w = np.ascontiguousarray(a, np.float32), np.ascontiguousarray(w, np.float32)
    return np.frombuffer(native._ext.sim_float_gemm(a, w), np.float32).reshape(a.shape[0], w.shape[0])


def evaluate(point: dict, sim_point, doc: dict) -> dict:
    """Accuracy metrics of a point; sim_point = nvfp4_native.SimPoint of its architecture, doc = its document."""
    name = point["accuracy"]
    if name == "none":
        return {}
    chain = Chain(sim_point, doc)
    if name == "fmnist_cnn":
        return {**_fmnist(chain), **chain.fault_metrics()}
    per_layer = {}
    for i, (layer, a, w) in enumerate(load_set(name)):
        ref = REFERENCE.get_or((name, layer), lambda: float_reference(a, w))
        per_layer[layer] = chain.sqnr(ref, chain.gemm(i, a, w, (name, layer, "a"), (name, layer, "w")))
    vals = np.array(list(per_layer.values()))
    return {"sqnr_mean_db": float(vals.mean()), "sqnr_min_db": float(vals.min()), "accuracy": float(vals.mean()),
            "accuracy_metric": "mean layer output SQNR (dB)", "sqnr_per_layer": per_layer, **chain.fault_metrics()}


def fmnist_module():
    try:
        from workloads.realtensors import fmnist_cnn
    except ImportError:
        import sys
        sys.path.insert(0, str(ROOT))
        from workloads.realtensors import fmnist_cnn
    if not (fmnist_cnn.OUT / "weights.npz").exists():
        raise MissingTensors("fmnist_cnn weights missing: python3 -m workloads.realtensors.fmnist_cnn train")
    return fmnist_cnn


def _fmnist(chain: Chain) -> dict:
    fmnist_cnn = fmnist_module()
    params = fmnist_params()
    per_layer, chunk = {}, [0]
    index = {n: i for i, n in enumerate(fmnist_cnn.LAYERS)}

    def gemm(layer, a, w):
        # conv1's input (the images) and every weight are fixed tensors: shared by all points of a worker.
        a_id = ("fmnist_cnn", "images", chunk[0]) if layer == "conv1" else None
        out = chain.gemm(index[layer], a, w, a_id, ("fmnist_cnn", layer, "w"))
        if layer not in per_layer:  # the first chunk: SQNR against the float GEMM of the same (read-back-fed) inputs
            per_layer[layer] = chain.sqnr(float_reference(a, w), out)
        if layer == "fc2":
            chunk[0] += 1
        return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)

    try:
        acc = fmnist_cnn.accuracy(params, gemm, n=FMNIST_IMAGES)
    except FileNotFoundError as e:
        raise MissingTensors(str(e)) from e
    vals = np.array(list(per_layer.values()))
    return {"accuracy": acc, "accuracy_metric": "Fashion-MNIST test accuracy", "sqnr_mean_db": float(vals.mean()),
            "sqnr_min_db": float(vals.min()), "sqnr_per_layer": per_layer}


@lru_cache(maxsize=1)
def fmnist_params():
    return fmnist_module().load_params()


# Fault-free quantization for the studies (docs/studies): deq(Q(A)) deq(Q(W))^T in float64 with any scheme pair, as the
# studies have always computed it. No SRAM, no faults: a sweep point goes through Chain instead.
def fake_quant_gemm(a: np.ndarray, w: np.ndarray, act: str, weight: str, block: int) -> np.ndarray:
    from . import native
    blk = lambda s: block if s in ("nvfp4", "mxfp4") else None  # noqa: E731
    da = native.dequantize(native.quantize(a, act, block=blk(act)))
    dw = native.dequantize(native.quantize(w, weight, block=blk(weight)))
    return (da.astype(np.float64) @ dw.astype(np.float64).T).astype(np.float32)


def fake_quant_layer_sqnr(layers, act: str, weight: str, block: int) -> dict:
    return {name: sqnr_db(a.astype(np.float64) @ w.astype(np.float64).T, fake_quant_gemm(a, w, act, weight, block))
            for name, a, w in layers}


def fake_quant_fmnist(act: str, weight: str, block: int) -> float:
    return fmnist_module().accuracy(fmnist_params(), lambda _, a, w: fake_quant_gemm(a, w, act, weight, block),
                                    n=FMNIST_IMAGES)
