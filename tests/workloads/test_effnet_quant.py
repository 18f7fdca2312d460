"""The EfficientNet-Lite0 model-level evaluation: the agreement metric, the fake-quantization hook's block axis, its
per-input tensor scale and the fp16 identity check. The torch tests skip where torch is absent (CI); run them with
build-dse/exportenv/bin/python (docs/studies/model-efficientnet.md)."""
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from nvfp4dse.quant_ref import fake_quant  # noqa: E402
from workloads.realtensors.export_efficientnet import agreement  # noqa: E402


def test_agreement_counts_flips_and_separates_confident_views():
    ref = np.full((2, 10), -5.0, dtype=np.float32)
    ref[0, 3] = 5.0                    # confident view: p(top-1) ~ 1
    ref[1, 1], ref[1, 2], ref[1, 4] = 0.1, 0.0, 0.0  # hesitant view: classes 1, 2 and 4 nearly tied
    q = ref.copy()
    q[1, 1], q[1, 2] = 0.0, 0.1        # the hesitant view flips
    m = agreement(ref, q)
    assert m["top1_agree"] == 0.5 and m["confident_views"] == 1 and m["top1_agree_confident"] == 1.0
    assert m["top1_in_top5"] == 1.0 and np.isfinite(m["logit_sqnr_db"])
    same = agreement(ref, ref)
    assert same["top1_agree"] == 1.0 and same["top5_agree"] == 1.0 and same["logit_sqnr_db"] == float("inf")


def test_photographs_are_distinct():
    pytest.importorskip("skimage")
    from workloads.realtensors.sources import photographs
    imgs = photographs()
    assert len(imgs) >= 2
    for i in range(len(imgs)):
        for j in range(i):
            a, b = imgs[i][1], imgs[j][1]
            assert not (a.shape == b.shape and np.array_equal(a, b)), f"{imgs[i][0]} duplicates {imgs[j][0]}"


@pytest.fixture
def tq():
    """torch and the hook module, or skip (CI has no torch)."""
    torch = pytest.importorskip("torch")
    from workloads.realtensors import torch_quant
    return torch, torch_quant


def test_weight_blocks_run_along_the_reduction_dimension(tq):
    torch, T = tq
    # [C_out, C_in, kh, kw] with C_in*kh*kw = 32 = one MXFP4 block per output channel (MXFP4: no tensor scale, so a
    # row's result depends on its own block only). Row 0 carries an outlier: only row 0 may feel it.
    rng = np.random.default_rng(1)
    w = rng.standard_normal((4, 8, 2, 2)).astype(np.float32)
    w[0, 5, 1, 0] = 100.0
    q = T.fq_weight(torch.from_numpy(w), "mxfp4", 32).numpy()
    for c in range(4):
        row = w[c].transpose(1, 2, 0).reshape(1, -1)  # (kh, kw, C_in) order
        want = fake_quant(row, "mxfp4", 32).reshape(2, 2, 8).transpose(2, 0, 1)
        np.testing.assert_array_equal(q[c].view(np.uint32), want.view(np.uint32))
    assert np.count_nonzero(q[1:]) > 0


def test_depthwise_weight_blocks_are_the_kernel_taps(tq):
    torch, T = tq
    w = np.random.default_rng(2).standard_normal((3, 1, 3, 3)).astype(np.float32)
    w[1] *= 1000.0  # an output channel 1000x larger must not zero the others (it would with blocks across C_out)
    q = T.fq_weight(torch.from_numpy(w), "mxfp4", 32).numpy()
    for c in range(3):
        want = fake_quant(w[c].reshape(1, 9), "mxfp4", 32).reshape(1, 3, 3)
        np.testing.assert_array_equal(q[c].view(np.uint32), want.view(np.uint32))
    assert np.count_nonzero(q[0]) > 0 and np.count_nonzero(q[2]) > 0


def test_activation_tensor_scale_is_per_input(tq):
    torch, T = tq
    # NVFP4's tensor scale comes from the tensor's amax: a second, 1000x larger image in the same batch must not
    # change the first image's quantization (it did when the scale spanned the batch).
    rng = np.random.default_rng(3)
    a = rng.standard_normal((1, 32, 4, 4)).astype(np.float32)
    b = 1000.0 * rng.standard_normal((1, 32, 4, 4)).astype(np.float32)
    alone = T.fq_activation(torch.from_numpy(a), "nvfp4", 16).numpy()
    batched = T.fq_activation(torch.from_numpy(np.concatenate([a, b])), "nvfp4", 16).numpy()
    np.testing.assert_array_equal(batched[0].view(np.uint32), alone[0].view(np.uint32))
    # and blocks run along C at each pixel
    hwc = a[0].transpose(1, 2, 0).reshape(16, 32)
    want = fake_quant(hwc, "nvfp4", 16).reshape(4, 4, 32).transpose(2, 0, 1)
    np.testing.assert_array_equal(alone[0].view(np.uint32), want.view(np.uint32))


def test_fp16_identity(tq):
    torch, T = tq
    x = np.random.default_rng(4).standard_normal((2, 16, 3, 3)).astype(np.float32)
    q = T.fq_activation(torch.from_numpy(x), "fp16", None).numpy()
    np.testing.assert_array_equal(q, x.astype(np.float16).astype(np.float32))
    w = T.fq_weight(torch.from_numpy(x), "fp16", None).numpy()
    np.testing.assert_array_equal(w, x.astype(np.float16).astype(np.float32))
