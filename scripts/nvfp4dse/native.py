"""NumPy front end of the C++ numerics core (the `nvfp4_native` extension built from scripts/bindings/).

    from nvfp4dse import native
    q = native.quantize(x, "nvfp4")            # x: float32 rows x K (K = reduction dim)
    q.codes, q.scales, q.tensor_scale          # the stored bits, exactly as C++ holds them
    native.dequantize(q); native.gemm(qa, qb, "fp32-seq")

The extension is looked up in $NVFP4_PYTHON_DIR, then <build>/python for $NVFP4_BUILD_DIR, build/, build-*/, then
inside this package (where `pip install .` puts it).
"""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import numpy as np

from .paths import ROOT


def _load():
    candidates = []
    for env in ("NVFP4_PYTHON_DIR",):
        if os.environ.get(env):
            candidates.append(Path(os.environ[env]))
    if os.environ.get("NVFP4_BUILD_DIR"):
        candidates.append(Path(os.environ["NVFP4_BUILD_DIR"]) / "python")
    candidates += [ROOT / "build" / "python"] + sorted(ROOT.glob("build-*/python"))
    for d in candidates:
        if any(d.glob("nvfp4_native*.so")):
            sys.path.insert(0, str(d))
            try:
                return importlib.import_module("nvfp4_native")
            finally:
                sys.path.remove(str(d))
    try:
        return importlib.import_module("nvfp4dse.nvfp4_native")
    except ImportError:
        pass
    raise ImportError("the nvfp4_native extension is not built: cmake --build build --target nvfp4_native "
                      "(needs nanobind: bash scripts/bootstrap.sh)")


_ext = _load()
Error = _ext.Error
QuantizedTensor = _ext.QuantizedTensor


class Quantized:
    """A quantized tensor with NumPy views of its stored bits."""

    def __init__(self, t):
        self.t = t

    @property
    def codes(self) -> np.ndarray:  # packed as stored: rows x row_stride_bytes
        return np.frombuffer(self.t.codes_bytes, np.uint8).reshape(self.t.rows, -1)

    @property
    def scales(self) -> np.ndarray:
        return np.frombuffer(self.t.scales_bytes, np.uint8)

    @property
    def tensor_scale(self) -> np.float32:
        return np.float32(self.t.tensor_scale)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.t.rows, self.t.cols)

    @property
    def spec(self):
        return self.t.spec

    def unpacked_codes(self) -> np.ndarray:
        """One 4-bit code per element (4-bit schemes), rows x cols."""
        c = self.codes
        out = np.empty((c.shape[0], c.shape[1] * 2), np.uint8)
        out[:, 0::2], out[:, 1::2] = c & 0xF, c >> 4
        return out[:, : self.t.cols]

    def element_codes(self) -> np.ndarray:
        """One code per element, rows x cols: uint8 (4-bit codes in the low nibble, fp8 bytes) or uint16 (fp16)."""
        scheme = self.t.spec.scheme
        if scheme == "fp16":
            return self.codes.view("<u2")[:, : self.t.cols].copy()
        if scheme == "fp8":
            return self.codes[:, : self.t.cols].copy()
        return np.ascontiguousarray(self.unpacked_codes())

    def with_element_codes(self, codes: np.ndarray, scales: np.ndarray) -> "Quantized":
        """The inverse of element_codes(): the same tensor storing these per-element codes and these scales."""
        scheme = self.t.spec.scheme
        if scheme == "fp16":
            return self.with_bits(np.ascontiguousarray(codes, "<u2").view(np.uint8), scales)
        if scheme == "fp8":
            return self.with_bits(codes, scales)
        c = np.zeros((codes.shape[0], self.codes.shape[1] * 2), np.uint8)  # the pad nibble of an odd row stays 0
        c[:, : codes.shape[1]] = codes & 0xF
        return self.with_bits(c[:, 0::2] | (c[:, 1::2] << 4), scales)

    def with_bits(self, codes: np.ndarray, scales: np.ndarray) -> "Quantized":
        """The same tensor with other stored bits (e.g. after fault injection)."""
        return Quantized(QuantizedTensor(self.t.spec, self.t.rows, self.t.cols, np.ascontiguousarray(codes, np.uint8)
                                         .tobytes(), np.ascontiguousarray(scales, np.uint8).tobytes(),
                                         float(self.t.tensor_scale)))


def sim_point(yaml_text: str, name: str, base_dir: str):
    """The simulator's configuration of one architecture file (nvfp4_native.SimPoint: parse, validate, quantize and
    read operands back through the SRAM fault path exactly as nvfp4sim does)."""
    if not getattr(_ext, "has_sim", False):
        raise ImportError("the nvfp4_native extension was built without the simulator (SystemC, yaml-cpp, libfccp: "
                          "bash scripts/bootstrap.sh, then rebuild nvfp4_native)")
    return _ext.SimPoint(yaml_text, name, base_dir)


def keep_freed_memory() -> bool:
    """Apply the simulator's heap policy (sim/run/heap_policy.hpp: freed memory stays in the heap, one malloc arena)
    to this process; False where the extension has no simulator or the C library is not glibc. NumPy's huge pages
    are turned off with it (see _NUMPY_HUGEPAGES)."""
    _numpy_hugepages_off()
    return bool(getattr(_ext, "has_sim", False) and _ext.keep_freed_memory())


def keep_freed_memory_environment() -> dict:
    """The same policy as environment variables for a process about to be started (a local Dask worker)."""
    return {**(dict(_ext.keep_freed_memory_environment()) if getattr(_ext, "has_sim", False) else {}),
            **_NUMPY_HUGEPAGES}


# NumPy asks the kernel for transparent huge pages (madvise) on every array of 4 MB or more. A design point's arrays
# (10-60 MB) are made, used once and freed: each fresh 2 MB page is zeroed by the kernel on its first touch, and in
# the sweeps' processes that cost more than it saved (one worker over the default study: 7.0 -> 6.0 s of CPU, the
# fault-free network 1.0 -> 0.55 s; docs/BENCHMARKS.md, dse, sixth session). NumPy's own switch: this environment
# variable, read when NumPy is imported; in a process that has imported it, the function below.
_NUMPY_HUGEPAGES = {"NUMPY_MADVISE_HUGEPAGE": "0"}


def _numpy_hugepages_off() -> None:
    core = getattr(np, "_core", None) or getattr(np, "core", None)
    set_hugepages = getattr(getattr(core, "multiarray", None), "_set_madvise_hugepage", None)
    if set_hugepages is not None:
        set_hugepages(False)


def spec(scheme="nvfp4", recipe=None, block=None, block_2d=False, rounding="rn", seed=0):
    return _ext.make_spec(scheme, recipe, block, block_2d, rounding, seed)


def quantize(x, scheme="nvfp4", recipe=None, block=None, block_2d=False, rounding="rn", seed=0) -> Quantized:
    x = np.ascontiguousarray(x, dtype=np.float32)
    if x.ndim != 2:
        raise ValueError(f"expected a 2-D rows x K array, got shape {x.shape}")
    return Quantized(_ext.quantize(x, spec(scheme, recipe, block, block_2d, rounding, seed)))


def dequantize(q: Quantized) -> np.ndarray:
    return np.frombuffer(_ext.dequantize(q.t), np.float32).reshape(q.shape).copy()


def fake_quant(x, scheme="nvfp4", block=None) -> np.ndarray:
    """dequantize(quantize(x)): what the sweeps and the model studies feed their float GEMMs."""
    return dequantize(quantize(x, scheme, block=block))


def gemm(a: Quantized, b: Quantized, accum: str = "fp32-seq", threads: int = 1) -> np.ndarray:
    """D = A x B^T (M x N float32), bit-exact golden GEMM."""
    return np.frombuffer(_ext.gemm(a.t, b.t, accum, threads), np.float32).reshape(a.shape[0], b.shape[0]).copy()


def bits_per_element(q_spec, rows: int, cols: int) -> float:
    return _ext.bits_per_element(q_spec, rows, cols)


def save(path: str, q: Quantized) -> None:
    _ext.save_quantized(str(path), q.t)


def load(path: str) -> Quantized:
    return Quantized(_ext.load_quantized(str(path)))


def read_workload(path: str) -> list:
    """Layers of a workload table as every tool reads it (numerics/workload.hpp): objects with name, type, M, N, K."""
    return list(_ext.read_workload(str(path)))


def workload_tensors(path: str, index: int, seed: int | None = None, activations: str | None = None,
                     weights: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Float tensors (A: M x K, B: N x K) of layer `index` for `seed`: the bits nvfp4sim and nvfp4-gpucheck use.
    Defaults (seed, generators of rows that name none) are the core's."""
    seed = _ext.DEFAULT_SEED if seed is None else seed
    activations = _ext.DEFAULT_ACTIVATIONS if activations is None else activations
    weights = _ext.DEFAULT_WEIGHTS if weights is None else weights
    a, b = _ext.workload_tensors(str(path), index, seed, activations, weights)
    layer = read_workload(path)[index]
    return (np.frombuffer(a, np.float32).reshape(layer.M, layer.K).copy(),
            np.frombuffer(b, np.float32).reshape(layer.N, layer.K).copy())
