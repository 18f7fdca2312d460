"""NumPy reference (test oracle) of the quantizers the studies need (NVFP4_SPEC.md sections 1-4), vectorised.

Only the tests use it: it is the independent oracle that the C++ core, which the sweeps and studies call through
nvfp4dse.native, is checked against bit for bit (tests/scripts/test_bindings.py, test_native_accuracy.py). Production
code must not import it: a second quantizer there is the duplicate this file exists to catch. All arithmetic is IEEE
fp32 in the order the spec writes it (NumPy float32 operations round to nearest even and never contract into FMA).

Schemes: nvfp4 (recipe te, any block size B, 1-D blocks), mxfp4 (floor), fp4 (unscaled), fp4-tensor, fp8 (per-tensor
E4M3, scale A/448), fp16, int4 (symmetric per group, fp16 scale). Inputs must be finite.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

F32 = np.float32
FLT_MAX = F32(np.finfo(np.float32).max)

E2M1_VALUES = np.array([0, 0.5, 1, 1.5, 2, 3, 4, 6], dtype=np.float64)


def _e4m3_positive_values() -> np.ndarray:
    vals = []
    for code in range(0x7F):  # 0x7F is NaN
        e, m = code >> 3, code & 7
        vals.append(m * 2.0 ** -9 if e == 0 else (1 + m / 8) * 2.0 ** (e - 7))
    return np.array(vals)


E4M3_VALUES = _e4m3_positive_values()  # codes 0..126, ascending


def _round_to_grid(mag: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Index of the nearest grid value, ties to the even index (= even mantissa); above the top saturates."""
    mids = (grid[1:] + grid[:-1]) / 2
    a = mag.astype(np.float64)
    lo = np.searchsorted(mids, a, side="left")
    hi = np.searchsorted(mids, a, side="right")
    tie = lo != hi
    return np.where(tie & (lo % 2 == 1), hi, lo).astype(np.uint8)


def e2m1_from_float(x: np.ndarray) -> np.ndarray:
    """satfinite RNE, sign kept (including -0 and negatives rounding to zero). Low nibble codes."""
    x = np.asarray(x, dtype=F32)
    return _round_to_grid(np.abs(x), E2M1_VALUES) | (np.signbit(x).astype(np.uint8) << 3)


def e2m1_to_float(code: np.ndarray) -> np.ndarray:
    code = np.asarray(code, dtype=np.uint8)
    v = E2M1_VALUES[code & 7].astype(F32)
    return np.where(code & 8, -v, v).astype(F32)


def ue4m3_from_float(x: np.ndarray) -> np.ndarray:
    return _round_to_grid(np.abs(np.asarray(x, dtype=F32)), E4M3_VALUES)


def e4m3_from_float(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=F32)
    return ue4m3_from_float(x) | (np.signbit(x).astype(np.uint8) << 7)


def e4m3_to_float(code: np.ndarray) -> np.ndarray:
    code = np.asarray(code, dtype=np.uint8)
    v = np.where((code & 0x7F) == 0x7F, np.nan, E4M3_VALUES[np.minimum(code & 0x7F, 126)]).astype(F32)
    return np.where(code & 0x80, -v, v).astype(F32)


@dataclass
class QTensor:
    """Codes one per element (uint8, unpacked), block scales [rows][blocks] as raw codes, the tensor scale."""
    scheme: str
    block: int
    codes: np.ndarray
    scales: np.ndarray | None
    tensor_scale: np.float32
    cols: int


def _blocks(x: np.ndarray, block: int) -> np.ndarray:
    rows, cols = x.shape
    nb = -(-cols // block)
    padded = np.zeros((rows, nb * block), dtype=F32)
    padded[:, :cols] = x
    return padded.reshape(rows, nb, block)


def _check(x) -> np.ndarray:
    x = np.ascontiguousarray(x, dtype=F32)
    if x.ndim != 2:
        raise ValueError(f"expected a 2-D rows x cols array, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        pos = np.argwhere(~np.isfinite(x))[0]
        raise ValueError(f"non-finite input at {tuple(int(p) for p in pos)}")
    return x


def quantize_nvfp4(x, block: int = 16) -> QTensor:
    """Recipe te (NVFP4_SPEC.md section 3), S_dec = fp32(1.0 / (double)S_enc)."""
    x = _check(x)
    with np.errstate(divide="ignore", over="ignore"):
        amax = F32(np.max(np.abs(x))) if x.size else F32(0)
        s_enc = np.minimum(F32(2688.0) / amax, FLT_MAX) if amax != 0 else F32(1)
        if s_enc == 0:
            s_enc = F32(1)
        s_dec = F32(1.0 / float(s_enc))
        xb = _blocks(x, block)
        bmax = np.max(np.abs(xb), axis=2)
        sf = ue4m3_from_float(bmax * (F32(s_enc) * F32(1.0 / 6.0)))
        r = np.minimum(F32(1) / (E4M3_VALUES[sf].astype(F32) * s_dec), FLT_MAX)
        codes = e2m1_from_float(xb * r[:, :, None].astype(F32))
    return QTensor("nvfp4", block, codes.reshape(x.shape[0], -1)[:, : x.shape[1]], sf, s_dec, x.shape[1])


def quantize_mxfp4(x, block: int = 32) -> QTensor:
    """Scale mode floor: e = floor(log2(b)) - 2 from b's fp32 exponent bits, clamped to [-127, 127]."""
    x = _check(x)
    xb = _blocks(x, block)
    bmax = np.max(np.abs(xb), axis=2).astype(F32)
    exp_bits = ((bmax.view(np.uint32) >> 23) & 0xFF).astype(np.int32)
    e = np.clip(exp_bits - 127 - 2, -127, 127)
    e = np.where(bmax == 0, -127, e)
    codes = e2m1_from_float(xb * np.ldexp(F32(1), -e)[:, :, None].astype(F32))
    return QTensor("mxfp4", block, codes.reshape(x.shape[0], -1)[:, : x.shape[1]], (e + 127).astype(np.uint8),
                   F32(1), x.shape[1])


def quantize(x, scheme: str = "nvfp4", block: int | None = None) -> QTensor:
    x = _check(x)
    if scheme == "nvfp4":
        return quantize_nvfp4(x, block or 16)
    if scheme == "mxfp4":
        return quantize_mxfp4(x, block or 32)
    if scheme == "fp4":
        return QTensor("fp4", 0, e2m1_from_float(x), None, F32(1), x.shape[1])
    if scheme == "fp4-tensor":
        amax = F32(np.max(np.abs(x)))
        s = amax / F32(6) if amax != 0 else F32(1)
        return QTensor("fp4-tensor", 0, e2m1_from_float(x / s), None, F32(s), x.shape[1])
    if scheme == "fp8":
        amax = F32(np.max(np.abs(x)))
        s = amax / F32(448) if amax != 0 else F32(1)
        return QTensor("fp8", 0, e4m3_from_float(x / s), None, F32(s), x.shape[1])
    if scheme == "fp16":
        return QTensor("fp16", 0, x.astype(np.float16).view(np.uint16), None, F32(1), x.shape[1])
    if scheme == "int4":
        b = block or 32
        xb = _blocks(x, b)
        s = (np.max(np.abs(xb), axis=2) / F32(7)).astype(np.float16)
        s = np.where(s == 0, np.float16(1), s)
        q = np.clip(np.rint(xb / s[:, :, None].astype(F32)), -7, 7).astype(np.int8)
        return QTensor("int4", b, q.reshape(x.shape[0], -1)[:, : x.shape[1]], s.view(np.uint16), F32(1), x.shape[1])
    raise ValueError(f"unknown scheme '{scheme}' (nvfp4, mxfp4, fp4, fp4-tensor, fp8, fp16, int4)")


def block_scale_values(q: QTensor) -> np.ndarray:
    if q.scheme == "nvfp4":  # the sign bit of a UE4M3 is ignored; 0x7F/0xFF (NaN) can appear after a fault
        s = q.scales & 0x7F
        return np.where(s == 0x7F, np.nan, E4M3_VALUES[np.minimum(s, 126)]).astype(F32)
    if q.scheme == "mxfp4":  # 0xFF is E8M0's NaN (a fault can write it)
        with np.errstate(over="ignore"):
            v = np.ldexp(F32(1), q.scales.astype(np.int32) - 127).astype(F32)
        return np.where(q.scales == 0xFF, F32(np.nan), v)
    if q.scheme == "int4":
        return q.scales.view(np.float16).astype(F32)
    raise ValueError(f"{q.scheme} has no block scale")


def element_values(q: QTensor) -> np.ndarray:
    if q.scheme in ("nvfp4", "mxfp4", "fp4", "fp4-tensor"):
        return e2m1_to_float(q.codes)
    if q.scheme == "fp8":
        return e4m3_to_float(q.codes)
    if q.scheme == "fp16":
        return q.codes.view(np.float16).astype(F32)
    if q.scheme == "int4":
        return q.codes.astype(F32)
    raise ValueError(q.scheme)


def dequantize(q: QTensor) -> np.ndarray:
    """code * block scale * tensor scale, each product in fp32 in that order."""
    v = element_values(q)
    if q.scales is not None:
        per_elem = np.repeat(block_scale_values(q), q.block, axis=1)[:, : q.cols]
        v = (v * per_elem).astype(F32)
    return (v * F32(q.tensor_scale)).astype(F32)


def fake_quant(x, scheme: str = "nvfp4", block: int | None = None) -> np.ndarray:
    return dequantize(quantize(x, scheme, block))


def bits_per_element(scheme: str, block: int, n_elements: int) -> float:
    """Storage bits per element: codes + block scales + tensor scale (4 + 8/B + 32/N for NVFP4)."""
    table = {"nvfp4": (4, 8, 32), "mxfp4": (4, 8, 0), "fp4": (4, 0, 0), "fp4-tensor": (4, 0, 32), "fp8": (8, 0, 32),
             "fp16": (16, 0, 0), "int4": (4, 16, 0)}
    if scheme not in table:
        raise ValueError(f"unknown scheme '{scheme}'")
    code, scale, tensor = table[scheme]
    return code + (scale / block if scale else 0) + tensor / n_elements
