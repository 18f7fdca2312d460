"""The units the simulator prices and how each is characterized (docs/energy.md, "Units").

An engine unit is one dot_engine configuration simulated as a whole; its cells are attributed to groups by hierarchy
(lanes, adder tree, scale unit, accumulator) and the remaining top-level logic ("glue": |sum| x scale-product
multiplier, term and control registers) is charged to the scale unit. A lane unit is one lane_mul alone, driven by lane
0 of the same operand stream. SECDED units are the encoder (data words) and the decoder (fed by the behavioural RTL
encoder, so it sees valid codewords).
"""
from dataclasses import dataclass, field

STYLES = {"mantissa-lut": 0, "full-lut": 1, "array": 2}
WFMT = {"nvfp4": 0, "fp8": 1, "fp16": 2}
FMT_TAG = {"nvfp4": "e2m1", "fp8": "e4m3", "fp16": "fp16"}

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
    p = {"L": L, "WFMT": WFMT[wscheme], "STYLE": STYLES[style]}
    if fixed:
        p.update(ACC_FIXED=1, ACC_W=32, ACC_F=16)
    tag = {"mantissa-lut": "mant", "full-lut": "full", "array": "array"}[style]
    return Unit(f"engine_L{L}_{FMT_TAG[wscheme]}_{tag}_{'fixed32' if fixed else 'fp32'}", "engine", "dot_engine", p,
                wscheme, L, style)


def lane(wscheme, style, S=None):
    p = {"WFMT": WFMT[wscheme], "STYLE": 3 if S else STYLES[style]}
    if S:
        p["S"] = S
    tag = f"split{S}" if S else {"mantissa-lut": "mant", "full-lut": "full", "array": "array"}[style]
    return Unit(f"lane_{tag}_{FMT_TAG[wscheme]}", "lane", "lane_mul", p, wscheme, 16,
                f"split-lut:{S}" if S else style)


def secded(kind, K):
    return Unit(f"secded_{kind}_{K}", f"secded_{kind}", f"secded_{kind}", {"K": K},
                files=[f"rtl_models/ecc/secded_{kind}.sv"])


def all_units():
    u = [lane(w, s) for w in ("nvfp4", "fp8") for s in STYLES]
    u += [secded(k, 64) for k in ("enc", "dec")]
    u += [engine(16, "nvfp4", s) for s in STYLES] + [engine(16, "nvfp4", "mantissa-lut", fixed=True)]
    u += [lane("fp16", s) for s in ("mantissa-lut", "array")] + [lane("fp16", "", S) for S in (2, 3, 4)]
    u += [lane("fp8", "", S) for S in (2, 3)]
    u += [secded(k, K) for K in (8, 16, 32) for k in ("enc", "dec")]
    u += [engine(L, "nvfp4", "mantissa-lut") for L in (4, 8, 32)]
    u += [engine(16, "fp8", s) for s in STYLES]
    return u


def reduced_units():
    """What CI runs (tests/rtl_models): the two E2M1 lanes whose ratio the studies quote."""
    return [lane("nvfp4", "mantissa-lut"), lane("nvfp4", "full-lut")]
