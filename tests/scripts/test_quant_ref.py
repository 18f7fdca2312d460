"""The NumPy reference quantizers against the spec's decision points and worked values (NVFP4_SPEC.md 1-3)."""
import numpy as np
import pytest

from nvfp4dse import quant_ref as q


def test_e2m1_decision_points():
    ulp = np.float32(np.nextafter(np.float32(0.25), np.float32(1)))
    x = np.array([0.25, ulp, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0, np.nextafter(np.float32(5), np.float32(6)), 1e9, -0.0,
                  -0.1, -7], np.float32)
    want = [0x0, 0x1, 0x2, 0x2, 0x4, 0x4, 0x6, 0x6, 0x7, 0x7, 0x8, 0x8, 0xF]
    assert q.e2m1_from_float(x).tolist() == want


def test_e4m3_satfinite_and_subnormals():
    x = np.array([464, 448, 1e6, 2.0 ** -10, 1.5 * 2.0 ** -9, 2.0 ** -9, 0.0], np.float32)
    assert q.ue4m3_from_float(x).tolist() == [0x7E, 0x7E, 0x7E, 0x00, 0x02, 0x01, 0x00]
    assert q.e4m3_to_float(np.array([0x7E, 0x08, 0xFF], np.uint8))[:2].tolist() == [448.0, 2.0 ** -6]
    assert np.isnan(q.e4m3_to_float(np.array([0xFF], np.uint8))[0])


def test_nvfp4_te_worked_example():
    # amax 6 * 448 = 2688 gives S_enc = 1, so the block scale of a block with max 6 is exactly 1.0 (code 0x38)
    x = np.zeros((1, 32), np.float32)
    x[0, 0], x[0, 16] = 2688.0, 3.0
    t = q.quantize_nvfp4(x)
    assert t.tensor_scale == np.float32(1.0)
    assert t.scales.tolist() == [[0x7E, 0x30]]  # 448 and 0.5 (= 3 / 6)
    assert t.codes[0, 0] == 0x7 and t.codes[0, 16] == 0x7
    assert q.dequantize(t)[0, 0] == 2688.0 and q.dequantize(t)[0, 16] == 3.0


@pytest.mark.parametrize("scheme", ["nvfp4", "mxfp4", "fp4", "fp4-tensor", "fp8", "fp16", "int4"])
def test_schemes_round_trip_with_bounded_error(scheme):
    x = np.random.default_rng(1).standard_normal((16, 96)).astype(np.float32)
    err = np.abs(q.fake_quant(x, scheme) - x)
    bound = {"fp16": 1e-3, "fp8": 0.15, "int4": 0.5}.get(scheme, 1.0)
    assert err.max() <= bound and err.max() > 0


def test_storage_formula():
    assert q.bits_per_element("nvfp4", 16, 4096) == 4.5078125
    assert q.bits_per_element("mxfp4", 32, 4096) == 4.25
