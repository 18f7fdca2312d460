"""Which points of a run can hand their faulted tensors to another point (docs/dse.md, "Reuse").

A faulted tensor of the accuracy chain (a read-back operand, and the stored inputs, GEMM outputs, float references and
SQNRs computed from it) can be reused only by a point that reads the same stored tensor back through the same failing
cells: the same quantize key and the same read-back key (SimPoint.read_back_key: banks, voltages, ECC layout, SRAM
preset, seed) for that operand. A point whose operands share neither key with any other point of the run is
*private*: no other point can read what its faults produce, so its worker keeps none of it in accuracy.MEMO (only its
weights' read-backs, which the point itself reads again for every image chunk). In the default study every point is
private (28 distinct voltage x ECC pairs): its workers' heaps stay ~100 MB smaller each, ~25,000 fewer first touches
of a page per worker (docs/BENCHMARKS.md, dse, eighth session); a sweep over a parameter that changes no fault (the
multiplier style, the array size) keeps sharing as before.
"""
from __future__ import annotations

import collections

OPERANDS = (0, 1)  # activations, weights


def fault_signature(sim_point) -> tuple:
    """Per operand, (quantize key, read-back key). The layer enters the read-back key only through its seed
    (sim::read_back_key: fault_seed(run.fault_seed, layer, operand)), so layer 0's key stands for every layer: two
    points share an operand's read-back at one layer exactly when they share it at all."""
    return tuple((sim_point.quantize_key(o), sim_point.read_back_key(0, o)) for o in OPERANDS)


def private_points(signatures: dict) -> dict:
    """{point key: signature} -> {point key: private}. Private: none of the point's operand signatures is another
    point's."""
    seen = collections.Counter((o, s) for sig in signatures.values() for o, s in enumerate(sig))
    return {key: all(seen[(o, s)] == 1 for o, s in enumerate(sig)) for key, sig in signatures.items()}
