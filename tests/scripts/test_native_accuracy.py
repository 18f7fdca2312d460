"""The studies' quantization (the C++ core through nvfp4dse.native) against the oracle path (the NumPy reference
quant_ref.py) on real layer tensors and the Fashion-MNIST CNN: equal bits, equal metrics. (The sweeps' faulted path is
the simulator's own: tests/scripts/test_point.py ties it to nvfp4sim.)"""
import os

import numpy as np
import pytest

if os.environ.get("NVFP4_REQUIRE_BINDINGS") == "1":
    from nvfp4dse import native  # CTest sets it when the target exists: a missing module fails
else:
    native = pytest.importorskip("nvfp4dse.native", reason="nvfp4_native not built (needs nanobind)",
                                 exc_type=ImportError)
from nvfp4dse import accuracy, quant_ref  # noqa: E402


def oracle_fake_quant_gemm(a, w, act, weight, block):
    """accuracy.fake_quant_gemm with the NumPy quantizers."""
    blk = lambda s: block if s in ("nvfp4", "mxfp4") else None  # noqa: E731
    da = quant_ref.dequantize(quant_ref.quantize(a, act, blk(act)))
    dw = quant_ref.dequantize(quant_ref.quantize(w, weight, blk(weight)))
    return (da.astype(np.float64) @ dw.astype(np.float64).T).astype(np.float32)


def same_bits(got, want):
    """Equal float32 bits, naming the first differing output."""
    got, want = np.asarray(got, np.float32), np.asarray(want, np.float32)
    assert got.shape == want.shape
    bad = np.flatnonzero(got.view(np.uint32) != want.view(np.uint32))
    assert bad.size == 0, f"{bad.size} outputs differ, first at {bad[0]}: {got.flat[bad[0]]!r} vs {want.flat[bad[0]]!r}"


# The studies' fault-free quantization (docs/studies); K = 9, 16, 27, 112 are not all multiples of B.
CASES = [("nvfp4", "nvfp4", 16), ("nvfp4", "nvfp4", 64), ("mxfp4", "mxfp4", 32), ("fp4", "fp4", 16),
         ("nvfp4", "fp8", 16), ("nvfp4", "fp16", 16), ("nvfp4", "nvfp4", 256)]


@pytest.mark.parametrize("act,weight,block", CASES, ids=lambda v: str(v))
def test_study_layer_outputs_equal_the_oracle_path(act, weight, block):
    layers = accuracy.load_set("efficientnet_lite0") + accuracy.load_set("minilm_l6")[:3]
    nonzero = total = 0
    for name, a, w in layers:
        got = accuracy.fake_quant_gemm(a, w, act, weight, block)
        same_bits(got, oracle_fake_quant_gemm(a, w, act, weight, block))
        nonzero, total = nonzero + np.count_nonzero(got), total + got.size
    assert nonzero > total // 4  # unscaled fp4 flushes some MiniLM layers to mostly 0: still not a trivial match


def test_study_fmnist_accuracy_equals_the_oracle_path(monkeypatch):
    monkeypatch.setattr(accuracy, "FMNIST_IMAGES", 200)
    got = accuracy.fake_quant_fmnist("nvfp4", "nvfp4", 16)
    want = accuracy.fmnist_module().accuracy(accuracy.fmnist_params(), lambda _, a, w: oracle_fake_quant_gemm(
        a, w, "nvfp4", "nvfp4", 16), n=200)
    assert 0.5 < got < 1.0 and got == want


@pytest.mark.parametrize("scheme", ["nvfp4", "mxfp4", "fp4", "fp8", "fp16"])
def test_element_codes_round_trip_the_stored_bits(scheme):
    x = np.random.default_rng(2).standard_normal((5, 27)).astype(np.float32)  # odd K: a pad nibble per row
    q = native.quantize(x, scheme)
    codes = q.element_codes()
    assert codes.shape == (5, 27) and np.count_nonzero(codes) > codes.size // 2
    back = q.with_element_codes(codes, q.scales)
    assert back.codes.tobytes() == q.codes.tobytes() and back.scales.tobytes() == q.scales.tobytes()
    codes[0, 0] ^= 1  # a flipped bit reaches the stored bytes
    assert q.with_element_codes(codes, q.scales).codes.tobytes() != q.codes.tobytes()
