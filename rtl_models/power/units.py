"""The units the simulator prices and how each is characterized (docs/energy.md, "Units").

An engine unit is one dot_engine configuration simulated as a whole; its cells are attributed to groups by hierarchy
(lanes, adder tree, scale unit, accumulator) and the remaining top-level logic ("glue": |sum| x scale-product
multiplier, term and control registers) is charged to the scale unit. A lane unit is one lane_mul alone, driven by lane
0 of the same operand stream. SECDED units are the encoder (data words) and the decoder (fed by the behavioural RTL
encoder, so it sees valid codewords).
"""
import json
import os
from dataclasses import dataclass, field

# Styles, weight formats and their Verilog parameters come from the project's registry (docs/registry.json, generated
# from lut/'s C++ registry and checked against it by CTest registry_committed): the lane units are its multiplier
# variants, named as the synthesis flow names them, and each lane row is keyed by the variant's technology_variant,
# the key the simulator asks for.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "registry.json"),
          encoding="utf-8") as _f:
    REGISTRY = json.load(_f)
FMT_TAG = {f["scheme"]: f["name"] for f in REGISTRY["weight_formats"]}           # nvfp4 -> e2m1
WFMT = {f["scheme"]: f["verilog_wfmt"] for f in REGISTRY["weight_formats"]}
ENGINE_STYLES = {s["name"]: (s["verilog_style"], s["synth_key"]) for s in REGISTRY["multiplier_styles"]
                 if s["in_engine_rtl"]}

ENGINE_GROUPS = [
    ("lane", r"^g_lane\[\d+\]\."),
    ("tree", r"^u_tree\."),
    ("tree", r"^ff:(prod_q|u_tree\.in_i)$"),     # the tree's input register (lane products; named after the port)
    ("accumulator", r"^g_(fp32|fixed)\."),
    ("accumulator", r"^ff:(acc_q|out_q|acc_o|nan_q|sat_q|nan_o|sat_o|out_nan_q|out_sat_q)$"),  # out_q is acc_o
    ("scale", r"^(u_scale|u_round)\."),
]


@dataclass
class Unit:
    name: str
    kind: str                  # engine | lane | secded_enc | secded_dec
    top: str
    params: dict
    wscheme: str = "nvfp4"
    L: int = 16
    style: str = ""
    files: list = field(default_factory=list)  # empty: every rtl_models/rtl/*.sv


def engine(L, wscheme, style, fixed=False):
    verilog_style, tag = ENGINE_STYLES[style]
    p = {"L": L, "WFMT": WFMT[wscheme], "STYLE": verilog_style}
    if fixed:
        p.update(ACC_FIXED=1, ACC_W=32, ACC_F=16)
    return Unit(f"engine_L{L}_{FMT_TAG[wscheme]}_{tag}_{'fixed32' if fixed else 'fp32'}", "engine", "dot_engine", p,
                wscheme, L, style)


def lanes():
    """One lane unit per multiplier variant of the registry (style x weight format with hardware)."""
    return [Unit(v["synth_lane_config"], "lane", "lane_mul", dict(v["verilog"]), v["scheme"], 16, v["style"])
            for v in REGISTRY["multiplier_variants"]]


def secded(kind, K):
    return Unit(f"secded_{kind}_{K}", f"secded_{kind}", f"secded_{kind}", {"K": K},
                files=[f"rtl_models/ecc/secded_{kind}.sv"])


def all_units():
    """Every lane variant; SECDED encoder and decoder per data width; the engines: 16 lanes with each style the
    engine RTL takes (E2M1 and E4M3 weights), the design (mantissa-LUT, E2M1) at 4, 8 and 32 lanes and with a
    fixed:32:16 accumulator. dot_engine.sv has no FP16 lanes: no FP16 engine (characterize.py SUBSTITUTES)."""
    u = lanes()
    u += [secded(k, K) for K in (8, 16, 32, 64, 128) for k in ("enc", "dec")]
    u += [engine(16, w, s) for w in ("nvfp4", "fp8") for s in ENGINE_STYLES]
    u += [engine(16, "nvfp4", "mantissa-lut", fixed=True)]
    u += [engine(L, "nvfp4", "mantissa-lut") for L in (4, 8, 32)]
    return u


def _by_name(names):
    by = {u.name: u for u in all_units()}
    return [by[n] for n in names]


def reduced_units():
    """What CI runs (tests/rtl_models): the two E2M1 lanes whose ratio the studies quote."""
    return _by_name(["lane_mant_e2m1", "lane_full_e2m1"])
