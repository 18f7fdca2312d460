"""The Python bindings return exactly the bits of the C++ core: compared with the `nvfp4` CLI (files written by the
same core) and with the independent NumPy reference (scripts/nvfp4dse/quant_ref.py), on real layer tensors."""
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT

native = pytest.importorskip("nvfp4dse.native", reason="nvfp4_native not built (needs nanobind)",
                             exc_type=ImportError) if os.environ.get("NVFP4_REQUIRE_BINDINGS") != "1" else None
if native is None:
    from nvfp4dse import native  # CTest sets NVFP4_REQUIRE_BINDINGS=1 when the target exists: a missing module fails
from nvfp4dse import quant_ref  # noqa: E402

BUILD = Path(os.environ.get("NVFP4_BUILD_DIR", ROOT / "build"))
CLI = BUILD / "bin" / "nvfp4"
MINILM = ROOT / "workloads" / "tensors" / "minilm_l6"


def assert_same_bits(name, got: np.ndarray, want: np.ndarray):
    got, want = np.ascontiguousarray(got), np.ascontiguousarray(want)
    assert got.shape == want.shape, f"{name}: shape {got.shape} != {want.shape}"
    g, w = got.view(np.uint8).reshape(-1), want.view(np.uint8).reshape(-1)
    if got.dtype.itemsize > 1:
        g, w = got.reshape(-1).view(f"u{got.dtype.itemsize}"), want.reshape(-1).view(f"u{want.dtype.itemsize}")
    bad = np.flatnonzero(g != w)
    assert bad.size == 0, (f"{name}: {bad.size} elements differ; first at flat index {bad[0]}: "
                           f"bindings {got.reshape(-1)[bad[0]]!r} vs reference {want.reshape(-1)[bad[0]]!r}")


def real_tensor():
    x = np.load(MINILM / "layer0.up.act.npy")
    x[0, :16] = 0.0  # an all-zero block
    return x


def not_trivial(codes):
    assert np.count_nonzero(codes) > codes.size // 4, "codes are mostly zero: the comparison would prove nothing"


@pytest.mark.parametrize("block", [1, 4, 16, 32, 256])
def test_nvfp4_matches_numpy_reference(block):
    x = real_tensor()
    q, r = native.quantize(x, "nvfp4", block=block), quant_ref.quantize(x, "nvfp4", block)
    not_trivial(r.codes)
    assert_same_bits("codes", q.unpacked_codes(), r.codes)
    assert_same_bits("scales", q.scales.reshape(r.scales.shape), r.scales)
    assert_same_bits("tensor_scale", np.float32(q.tensor_scale), np.float32(r.tensor_scale))
    assert_same_bits("dequantized", native.dequantize(q), quant_ref.dequantize(r))


@pytest.mark.parametrize("scheme", ["mxfp4", "fp4"])
def test_other_schemes_match_numpy_reference(scheme):
    x = real_tensor()
    q, r = native.quantize(x, scheme), quant_ref.quantize(x, scheme)
    not_trivial(r.codes)
    assert_same_bits("codes", q.unpacked_codes(), r.codes)
    assert_same_bits("dequantized", native.dequantize(q), quant_ref.dequantize(r))


def test_bits_per_element_matches_formula():
    assert native.bits_per_element(native.spec("nvfp4"), 64, 64) == 4 + 8 / 16 + 32 / 4096 == 4.5078125


def test_errors_become_python_exceptions():
    with pytest.raises(native.Error, match="block"):
        native.quantize(np.ones((2, 32), np.float32), "nvfp4", block=7)
    with pytest.raises(ValueError):
        native.quantize(np.ones((2, 3, 4), np.float32))


needs_cli = pytest.mark.skipif(not CLI.exists() and os.environ.get("NVFP4_REQUIRE_BINDINGS") != "1",
                               reason=f"{CLI} not built")


def run_cli(*args):
    r = subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, f"nvfp4 {' '.join(map(str, args))}: {r.stderr}"


@needs_cli
@pytest.mark.parametrize("scheme,block", [("nvfp4", 16), ("nvfp4", 64), ("mxfp4", 32)])
def test_quantize_matches_cli(tmp_path, scheme, block):
    x = real_tensor()
    np.save(tmp_path / "x.npy", x)
    run_cli("quantize", tmp_path / "x.npy", "-o", tmp_path / "x.q.npz", "--scheme", scheme, "--block", block)
    q = native.quantize(x, scheme, block=block)
    with np.load(tmp_path / "x.q.npz") as f:
        not_trivial(f["codes"])
        assert_same_bits("codes", q.codes.reshape(-1), f["codes"].reshape(-1))
        assert_same_bits("scales", q.scales.reshape(-1), f["scales"].reshape(-1))
        assert_same_bits("tensor_scale", np.float32(q.tensor_scale), np.float32(f["tensor_scale"]).reshape(()))
    run_cli("dequantize", tmp_path / "x.q.npz", "-o", tmp_path / "x.dq.npy")
    assert_same_bits("dequantized", native.dequantize(q), np.load(tmp_path / "x.dq.npy"))
    loaded = native.load(tmp_path / "x.q.npz")  # the bindings read the CLI's file
    assert_same_bits("loaded codes", loaded.codes, q.codes)


@needs_cli
@pytest.mark.parametrize("accum", ["fp32-seq", "fixed:32:12", "blackwell-mma"])
def test_gemm_matches_cli(tmp_path, accum):
    a = np.load(MINILM / "layer5.q.act.npy")
    w = np.load(MINILM / "layer5.q.w.npy")
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "w.npy", w)
    run_cli("gemm", tmp_path / "a.npy", tmp_path / "w.npy", "-o", tmp_path / "d.npy", "--accum", accum)
    d = native.gemm(native.quantize(a), native.quantize(w), accum)
    assert np.count_nonzero(d) > d.size // 2
    assert_same_bits(f"gemm {accum}", d, np.load(tmp_path / "d.npy"))


def test_workload_reader_and_tensors_are_the_core_ones():
    """The Python side reads workloads and draws tensors through the numerics core: the name,M,N,K table and the
    native table parse alike, and the tensors equal the ones the nvfp4 core pins (tests/numerics/workload)."""
    tiny = ROOT / "sim" / "examples" / "tiny.csv"
    layers = native.read_workload(tiny)
    assert [(l.name, l.type, l.M, l.N, l.K) for l in layers][:2] == [("proj", "gemm", 24, 20, 64),
                                                                     ("conv_a", "conv", 90, 12, 54)]
    a1, b1 = native.workload_tensors(tiny, 2, seed=7)
    a2, b2 = native.workload_tensors(tiny, 2, seed=7)
    a3, _ = native.workload_tensors(tiny, 2, seed=8)
    assert a1.shape == (24, 30) and b1.shape == (7, 30)
    assert np.array_equal(a1.view(np.uint32), a2.view(np.uint32)) and np.array_equal(b1.view(np.uint32), b2.view(np.uint32))
    assert not np.array_equal(a1, a3)
    with pytest.raises(native.Error, match="out of range"):
        native.workload_tensors(tiny, 99)
