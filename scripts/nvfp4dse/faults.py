"""Fault model of the sweeps' accuracy side: SRAM bit-cell failures at a supply voltage, filtered by an ECC layout,
injected as bit flips into stored codes and block scales (docs/dse.md, "Fault model").

p(V) = Q((V - V_MU) / V_SIGMA), the Gaussian Vmin model (a bit cell fails when its minimum operating voltage exceeds V);
V_MU and V_SIGMA are illustrative, not a calibration: ecc/ owns the calibrated model. A SECDED word of n bits delivers a
wrong bit when that bit and at least one other bit of the word fail: p_eff = p * (1 - (1 - p)^(n - 1)).
Layouts: none (every bit at p), secded (every stored bit in a 72-bit SECDED word), selective (sign, exponent and
scale bits in SECDED words, mantissa bits raw), mixed (sign, exponent and scale bits in a nominal-voltage bank,
mantissa bits raw at V). The per-tensor fp32 scale lives in a register and is never faulted.
Why this is not ecc/'s injector (nvfp4-inject): docs/dse.md, "Fault model".
"""
from __future__ import annotations

import math

import numpy as np

V_NOMINAL = 0.9
V_MU, V_SIGMA = 0.35, 0.06
SECDED_WORD_BITS = 72

# (critical bit positions, mantissa bit positions) of each element code; scales are all critical.
CODE_BITS = {
    "e2m1": ([3, 2, 1], [0]),
    "e4m3": ([7, 6, 5, 4, 3], [2, 1, 0]),
    "fp16": ([15, 14, 13, 12, 11, 10], list(range(10))),
}


def bit_failure_probability(voltage: float) -> float:
    return 0.5 * math.erfc((voltage - V_MU) / (V_SIGMA * math.sqrt(2)))


def secded_residual(p: float, word_bits: int = SECDED_WORD_BITS) -> float:
    return p * -math.expm1((word_bits - 1) * math.log1p(-p)) if p > 0 else 0.0


def layout_probabilities(ecc: str, voltage: float) -> tuple[float, float]:
    """(p for critical bits, p for mantissa bits) after the layout's protection."""
    p = bit_failure_probability(voltage)
    if ecc == "none":
        return p, p
    if ecc == "secded":
        r = secded_residual(p)
        return r, r
    if ecc == "selective":
        return secded_residual(p), p
    if ecc == "mixed":
        return bit_failure_probability(V_NOMINAL), p
    raise ValueError(f"unknown ECC layout '{ecc}'")


def _flip(words: np.ndarray, bits: list[int], p: float, rng: np.random.Generator) -> int:
    """Flips each listed bit of each word with probability p, in place; returns the number of flips."""
    if not words.flags.c_contiguous:  # reshape would copy and the flips would land in the copy, silently lost
        raise ValueError("fault injection needs a C-contiguous array of stored words")
    if p <= 0 or words.size == 0:
        return 0
    flat = words.reshape(-1)
    total = flat.size * len(bits)
    k = int(rng.binomial(total, min(p, 1.0)))
    if k == 0:
        return 0
    where = np.unique(rng.integers(0, total, size=k))
    elem, bit = where // len(bits), np.asarray(bits)[where % len(bits)]
    np.bitwise_xor.at(flat, elem, (np.ones_like(bit) << bit).astype(flat.dtype))
    return int(where.size)


def inject(codes: np.ndarray, scales: np.ndarray | None, code_kind: str, ecc: str, voltage: float,
           rng: np.random.Generator) -> int:
    """Injects faults in place into per-element codes (rows x cols; nvfp4dse.native: Quantized.element_codes()) and
    block-scale codes (empty or None when unscaled); returns the number of flipped bits."""
    p_crit, p_mant = layout_probabilities(ecc, voltage)
    crit, mant = CODE_BITS[code_kind]
    n = _flip(codes, crit, p_crit, rng) + _flip(codes, mant, p_mant, rng)
    if scales is not None:
        n += _flip(scales, list(range(8 * scales.itemsize)), p_crit, rng)
    return n
