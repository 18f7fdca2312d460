"""Analytic energy and area model of one design point on one workload (the `analytic` evaluator).

It stands in for the SystemC simulator (`nvfp4sim`, the `nvfp4sim` evaluator) where that is not built, and is fast
enough for large sweeps. Energy = action counts x energy per action, per component; dynamic energy scales with
(V / V_NOMINAL)^2. Per-action figures are order-of-magnitude estimates at 0.9 V anchored on Horowitz (ISSCC 2014,
45 nm: 8-bit multiply 0.2 pJ, 8-bit add 0.03 pJ, 32-bit float add 0.9 pJ, 8 KB SRAM 64-bit read 10 pJ); they are NOT
synthesis results. docs/dse.md lists the formulas.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path

V_NOMINAL = 0.9

# energy per multiply (pJ) and area per lane multiplier (um^2), E2M1 activation x E2M1 weight
#                      energy_pJ  area_um2
MULTIPLIER = {
    "mantissa-lut": (0.010, 55.0),   # sign XOR + exponent add + 2x2 mantissa table
    "full-lut":     (0.036, 240.0),  # 256-entry table indexed by both whole codes
    "array":        (0.022, 120.0),  # conventional array multiplier on the 2-bit significands
}
# weight element format: (multiplier energy/area factor, bits per stored weight element)
WEIGHT_FORMAT = {"fp4": (1.0, 4), "fp8": (2.6, 8), "fp16": (9.0, 16)}
ADD_PJ, ADD_UM2 = 0.012, 25.0              # one adder-tree add (12-bit exact integer)
SCALE_UNIT_PJ, SCALE_UNIT_UM2 = 0.060, 380.0  # E4M3 x E4M3 scale multiply of a block sum
ACC_FP32_PJ, ACC_FP32_UM2 = 0.90, 1400.0
ACC_FIXED_PJ_PER_BIT, ACC_FIXED_UM2_PER_BIT = 0.004, 22.0
SRAM_PJ_PER_BIT = 0.16                     # read or write, nominal voltage
SRAM_UM2_PER_BIT = 0.35
SRAM_KIB_PER_BANK = 64
ECC_CODEC_PJ, ECC_CODEC_UM2 = 0.35, 1800.0  # one SECDED encode or decode of a 72-bit word; area per bank codec
LEAK_UW_PER_KIB = 0.8                       # SRAM leakage at nominal voltage, scales ~ V^3 (DIBL, illustrative)
CLOCK_HZ = 500e6


def _conv_gemm(r: dict) -> tuple[int, int, int]:
    """nvfp4sim's conv lowering: M = batch * H_out * W_out, N = num_filters, K = filter_h * filter_w * channels."""
    g = {k: int(r[k]) for k in ("batch", "ifmap_h", "ifmap_w", "channels", "filter_h", "filter_w", "num_filters",
                                "stride", "padding")}
    ho = (g["ifmap_h"] + 2 * g["padding"] - g["filter_h"]) // g["stride"] + 1
    wo = (g["ifmap_w"] + 2 * g["padding"] - g["filter_w"]) // g["stride"] + 1
    return g["batch"] * ho * wo, g["num_filters"], g["filter_h"] * g["filter_w"] * g["channels"]


def read_workload(path: Path) -> list[tuple[str, int, int, int]]:
    """GEMM rows of a workload CSV: nvfp4sim's native format (name,type,M,N,K,... with gemm and conv rows) or plain
    name,M,N,K. '#' lines are comments."""
    rows = []
    with open(path, newline="") as f:
        lines = [(i, line) for i, line in enumerate(f, start=1) if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(line for _, line in lines)
    fields = [h.strip() for h in (reader.fieldnames or [])]
    if not {"name", "M", "N", "K"} <= set(fields) and "type" not in fields:
        raise ValueError(f"{path}: expected a header with name,type,M,N,K,... or name,M,N,K")
    for (lineno, _), r in zip(lines[1:], reader):
        try:
            kind = (r.get("type") or "gemm").strip()
            if kind == "gemm":
                m, n, k = int(r["M"]), int(r["N"]), int(r["K"])
            elif kind == "conv":
                m, n, k = _conv_gemm(r)
            else:
                raise ValueError(f"type '{kind}'")
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"{path}: line {lineno}: malformed workload row ({e})") from e
        rows.append((r["name"], m, n, k))
    return rows


def storage_bits(ecc: str, block: int, code_bits: int) -> tuple[float, float]:
    """(bits per element at the scaled voltage, bits per element at nominal voltage) incl. ECC check bits."""
    data = code_bits + 8.0 / block
    crit_frac = {4: 3 / 4, 8: 5 / 8, 16: 6 / 16}[code_bits]
    crit = code_bits * crit_frac + 8.0 / block
    if ecc == "none":
        return data, 0.0
    if ecc == "secded":
        return data * 72 / 64, 0.0
    if ecc == "selective":
        return data + crit * 8 / 64, 0.0
    if ecc == "mixed":
        return data - crit, crit
    raise ValueError(ecc)


def evaluate(point: dict, workload: list[tuple[str, int, int, int]]) -> dict:
    R, C = (int(x) for x in point["array"].split("x"))
    L = int(point["block"])
    v = float(point["voltage"])
    vs = (v / V_NOMINAL) ** 2
    wf_factor, w_bits = WEIGHT_FORMAT[point["weight_format"]]
    mult_pj, mult_um2 = MULTIPLIER[point["multiplier"]]
    acc = point["accumulator"]
    if acc == "fp32":
        acc_pj, acc_um2 = ACC_FP32_PJ, ACC_FP32_UM2
    else:
        w = int(acc.split(":")[1])
        acc_pj, acc_um2 = ACC_FIXED_PJ_PER_BIT * w, ACC_FIXED_UM2_PER_BIT * w
    ecc = point["ecc"]
    a_scaled, a_nom = storage_bits(ecc, L, 4)
    w_scaled, w_nom = storage_bits(ecc, L, w_bits) if point["weight_format"] == "fp4" else (
        storage_bits(ecc, 10**9, w_bits))  # per-tensor scaled weights: no block scales

    e = dict.fromkeys(["multiply", "adder_tree", "scale_unit", "accumulator", "sram_act", "sram_weight",
                       "sram_out", "ecc_codec", "leakage"], 0.0)
    cycles = 0
    for _, M, N, K in workload:
        macs = M * N * K
        blocks = M * N * math.ceil(K / L)
        e["multiply"] += macs * mult_pj * wf_factor * vs
        e["adder_tree"] += blocks * (L - 1) * ADD_PJ * vs
        e["scale_unit"] += blocks * SCALE_UNIT_PJ * vs
        e["accumulator"] += blocks * acc_pj * vs
        # output-stationary: each engine column re-reads the activations, each row the weights
        act_elems = M * K * math.ceil(N / C)
        w_elems = N * K * math.ceil(M / R)
        e["sram_act"] += act_elems * SRAM_PJ_PER_BIT * (a_scaled * vs + a_nom)
        e["sram_weight"] += w_elems * SRAM_PJ_PER_BIT * (w_scaled * vs + w_nom)
        e["sram_out"] += M * N * 32 * SRAM_PJ_PER_BIT * vs
        if ecc != "none":
            words = (act_elems * (a_scaled + a_nom) + w_elems * (w_scaled + w_nom)) / 72 + M * N * 32 / 72
            e["ecc_codec"] += words * ECC_CODEC_PJ * vs
        cycles += math.ceil(M / R) * math.ceil(N / C) * math.ceil(K / L)
    sram_kib = 4 * SRAM_KIB_PER_BANK
    e["leakage"] = sram_kib * LEAK_UW_PER_KIB * (v / V_NOMINAL) ** 3 * 1e-6 * cycles / CLOCK_HZ * 1e12  # pJ

    lanes = R * C * L
    area = {
        "multipliers": lanes * mult_um2 * wf_factor,
        "adder_trees": R * C * (L - 1) * ADD_UM2,
        "scale_units": R * C * SCALE_UNIT_UM2,
        "accumulators": R * C * acc_um2,
        "sram": sram_kib * 8192 * SRAM_UM2_PER_BIT * (a_scaled + a_nom) / (4 + 8.0 / L),
        "ecc_codecs": 0.0 if ecc in ("none", "mixed") else 4 * ECC_CODEC_UM2,
    }
    total_pj = sum(e.values())
    out = {"energy_uj": total_pj * 1e-6, "area_mm2": sum(area.values()) * 1e-6, "cycles": cycles,
           "latency_ms": cycles / CLOCK_HZ * 1e3, "macs": sum(M * N * K for _, M, N, K in workload)}
    out.update({f"energy_{k}_uj": val * 1e-6 for k, val in e.items()})
    out.update({f"area_{k}_mm2": val * 1e-6 for k, val in area.items()})
    return out
