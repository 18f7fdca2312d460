"""Reuse between design points (issue 14; docs/dse.md, "Reuse"): a point evaluated in a worker that already evaluated
others, reusing their stored, read-back and multiplied tensors, gives the record it gives in a fresh worker, bit for
bit; and the reuse happens where the points share work (same fault map at the same voltage, or faults that leave the
operands unchanged), so a key that missed an ingredient (voltage, ECC layout) would hand one point another's tensors
and fail the equalities below."""
import json

import pytest

from conftest import ROOT  # noqa: F401  (puts scripts/ and the root on sys.path)

native = pytest.importorskip("nvfp4dse.native", reason="nvfp4_native not built")
if not getattr(native._ext, "has_sim", False):
    pytest.skip("nvfp4_native built without the simulator", allow_module_level=True)

from nvfp4dse import accuracy, evaluate  # noqa: E402


def point(voltage, ecc):
    return {"run.residency": "steady", "voltage": voltage, "ecc": ecc, "arch": "sim/presets/edge-small.yaml",
            "workload": "fmnist_cnn", "accuracy": "fmnist_cnn", "seed": 1}


@pytest.fixture(autouse=True)
def one_chunk(monkeypatch):
    monkeypatch.setattr(accuracy, "FMNIST_IMAGES", 500)  # one chunk of the CNN: the test's CPU time
    accuracy.MEMO.clear()
    accuracy.MEMO.bytes = 0


def record(p, fresh: bool) -> str:
    if fresh:
        accuracy.MEMO.clear()
        accuracy.MEMO.bytes = 0
    metrics, _ = evaluate.evaluate_point(p)
    return json.dumps(metrics, sort_keys=True)


@pytest.mark.parametrize("before, after", [
    (point(0.9, "none"), point(0.9, "full")),                # same voltage and seed, another ECC layout
    (point(0.9, "none"), point(1.8, "none")),               # same layout, another voltage
    (point(0.9, "full"), point(0.9, "sign-exp-scale/mixed-voltage")),  # another ECC mode
], ids=["layout", "voltage", "mode"])
def test_a_point_after_another_equals_it_fresh(before, after):
    want = record(after, fresh=True)
    first = record(before, fresh=True)
    assert first != want  # the two points differ (faults at 0.9 V: half the sky130 preset's 1.8 V), so handing one the other's tensors shows
    assert record(after, fresh=False) == want


def test_points_whose_faults_change_nothing_share_the_network():
    """At the nominal 1.8 V no fault reaches the data with any ECC layout: the second point reuses the first one's stored
    inputs and GEMM outputs of every layer, and its record equals its fresh one."""
    want = record(point(1.8, "full"), fresh=True)
    record(point(1.8, "none"), fresh=True)
    gemm_hits = accuracy.MEMO.hits
    assert record(point(1.8, "full"), fresh=False) == want
    assert accuracy.MEMO.hits - gemm_hits >= 3 * 4  # stored input, its read-back (weights too) and GEMM per layer
    m = json.loads(want)
    assert m["fault_bits_stored"] > 0 and 0 < m["accuracy"] <= 1
