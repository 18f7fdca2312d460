"""The sweeps' accuracy path (the C++ core through nvfp4dse.native) against the oracle path (the NumPy reference
quant_ref.py) on real layer tensors and the Fashion-MNIST CNN, with and without faults: equal bits, equal metrics."""
import os

import numpy as np
import pytest

if os.environ.get("NVFP4_REQUIRE_BINDINGS") == "1":
    from nvfp4dse import native  # CTest sets it when the target exists: a missing module fails
else:
    native = pytest.importorskip("nvfp4dse.native", reason="nvfp4_native not built (needs nanobind)",
                                 exc_type=ImportError)
from nvfp4dse import accuracy, faults, quant_ref  # noqa: E402
from nvfp4dse.studies import _point  # noqa: E402


def oracle_quantize_stored(x, scheme, point, rng):
    """accuracy.quantize_stored with the NumPy quantizers: same fault model, same random draws."""
    q = quant_ref.quantize(x, scheme, accuracy._block(scheme, point))
    q.codes = np.ascontiguousarray(q.codes)  # K % B != 0 leaves a sliced view, which faults refuses
    flips = faults.inject(q.codes, q.scales, accuracy.code_kind(scheme), point["ecc"], point["voltage"], rng)
    return quant_ref.dequantize(q), flips


def same_bits(got, want):
    """Equal float32 bits; NaN matches NaN (the metrics read every non-finite output as 0)."""
    got, want = np.asarray(got, np.float32), np.asarray(want, np.float32)
    assert got.shape == want.shape
    nan = np.isnan(got)
    assert np.array_equal(nan, np.isnan(want)), "NaN positions differ"
    bad = np.flatnonzero(got[~nan].view(np.uint32) != want[~nan].view(np.uint32))
    assert bad.size == 0, f"{bad.size} outputs differ, first {got[~nan][bad[0]]!r} vs {want[~nan][bad[0]]!r}"


def run_layers(point, layers, monkeypatch, oracle):
    with monkeypatch.context() as m:
        if oracle:
            m.setattr(accuracy, "quantize_stored", oracle_quantize_stored)
        stats = {}
        outs = {name: accuracy.quantized_gemm(point, name, a, w, stats) for name, a, w in layers}
        return outs, stats.get("flips", 0), accuracy.layer_sqnr(point, layers)


POINTS = [  # fault-free points (the studies) and faulted ones (the sweeps); K = 9, 16, 27, 112 are not all multiples of B
    dict(),
    dict(voltage=0.5),
    dict(voltage=0.55, ecc="selective", block=64),
    dict(voltage=0.5, ecc="mixed", act_format="mxfp4", block=32),
    dict(voltage=0.5, act_format="mxfp4", block=32),
    dict(voltage=0.5, ecc="secded", act_format="fp4"),
    dict(voltage=0.5, weight_format="fp8"),
    dict(voltage=0.5, weight_format="fp16"),
    dict(block=256),
]


@pytest.mark.parametrize("overrides", POINTS, ids=lambda d: ",".join(f"{k}={v}" for k, v in d.items()) or "default")
def test_layer_outputs_and_sqnr_equal_the_oracle_path(overrides, monkeypatch):
    point = _point(seed=3, **overrides)
    layers = accuracy.load_set("efficientnet_lite0") + accuracy.load_set("minilm_l6")[:3]
    got, got_flips, got_sqnr = run_layers(point, layers, monkeypatch, oracle=False)
    want, want_flips, want_sqnr = run_layers(point, layers, monkeypatch, oracle=True)
    for name in got:
        assert np.count_nonzero(np.nan_to_num(got[name])), f"{name}: all outputs zero, equal bits would prove nothing"
        same_bits(got[name], want[name])
    nonzero = sum(np.count_nonzero(np.nan_to_num(o)) for o in got.values())
    assert nonzero > sum(o.size for o in got.values()) // 4  # unscaled fp4 flushes some MiniLM layers to mostly 0
    assert got_flips == want_flips and (got_flips > 0) == (point["voltage"] < 0.9)
    assert got_sqnr == want_sqnr


def test_fmnist_evaluation_equals_the_oracle_path(monkeypatch):
    monkeypatch.setattr(accuracy, "FMNIST_IMAGES", 200)
    point = _point(seed=1, voltage=0.55, accuracy="fmnist_cnn")  # conv1 has K = 9 < B: its faults must land
    got = accuracy.evaluate(point)
    monkeypatch.setattr(accuracy, "quantize_stored", oracle_quantize_stored)
    want = accuracy.evaluate(point)
    assert got["fault_bits"] > 0 and 0.5 < got["accuracy"] < 1.0
    assert got == want


def test_faults_refuse_a_view_whose_flips_would_be_lost():
    codes = np.zeros((4, 32), np.uint8)[:, :27]
    with pytest.raises(ValueError, match="contiguous"):
        faults.inject(codes, None, "e2m1", "none", 0.5, np.random.default_rng(0))


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
