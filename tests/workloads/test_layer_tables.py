"""Layer tables: totals against the published figures, shapes against the published configurations, files fresh."""
import csv
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from workloads.layertables import MODELS  # noqa: E402

# (model, published parameter count, published GMACs, tolerance on GMACs): torchvision model cards,
# the MobileNetV2 paper (300M multiply-adds), the EfficientNet-Lite README (Lite0: 4.7M params, ~0.4B MACs).
PUBLISHED = [
    ("resnet18", 11_689_512, 1.81, 0.01),
    ("resnet50", 25_557_032, 4.09, 0.02),
    ("mobilenetv2", 3_504_872, 0.300, 0.005),
    ("efficientnet_lite0", 4_652_008, 0.39, 0.02),
    ("bert_base", 109_482_240, None, None),
    ("minilm_l6", 22_713_216, None, None),
    ("llama32_1b_prefill", 1_235_814_400, None, None),
    ("llama32_1b_decode", 1_235_814_400, None, None),
    ("fmnist_cnn", 105_866, None, None),  # the project's CNN: sum of its weight and bias array sizes (checked below)
]


@pytest.mark.parametrize("name,params,gmacs,tol", PUBLISHED)
def test_totals_match_published(name, params, gmacs, tol):
    net = MODELS[name]()
    assert net.params == params, f"{name}: {net.params} parameters, published {params}"
    if gmacs is not None:
        assert abs(net.macs / 1e9 - gmacs) <= tol, f"{name}: {net.macs / 1e9:.4f} GMAC, published {gmacs}"


def test_resnet18_first_and_last_layers():
    layers = {l.name: l for l in MODELS["resnet18"]().layers}
    assert layers["conv1"].gemm_row() == ("conv1", 112 * 112, 64, 3 * 7 * 7)
    assert layers["layer4.1.conv2"].gemm_row() == ("layer4.1.conv2", 7 * 7, 512, 512 * 9)
    assert layers["layer2.0.downsample"].gemm_row() == ("layer2.0.downsample", 28 * 28, 128, 64)
    assert layers["fc"].gemm_row() == ("fc", 1, 1000, 512)


def test_depthwise_lowering_folds_channels_into_m():
    dw = {l.name: l for l in MODELS["mobilenetv2"]().layers}["blocks.1.dw"]  # 96 channels, stride 2, 112 -> 56
    assert (dw.groups, dw.M, dw.N, dw.K) == (96, 56 * 56, 1, 9)
    assert dw.gemm_row() == ("blocks.1.dw", 96 * 56 * 56, 1, 9)


def test_transformer_shapes_follow_config():
    llama = {l.name: l for l in MODELS["llama32_1b_decode"]().layers}
    assert (llama["layer0.attn.k"].M, llama["layer0.attn.k"].N, llama["layer0.attn.k"].K) == (1, 512, 2048)
    assert (llama["layer15.mlp.down"].N, llama["layer15.mlp.down"].K) == (2048, 8192)
    assert llama["layer0.attn.scores"].groups == 32
    minilm = {l.name: l for l in MODELS["minilm_l6"]().layers}
    assert (minilm["layer5.ffn.up"].M, minilm["layer5.ffn.up"].N, minilm["layer5.ffn.up"].K) == (128, 1536, 384)
    # BERT-base: 12 layers x (4 projections + FFN) = 85 M parameters in the encoder's linear layers
    bert = MODELS["bert_base"]()
    enc = sum(l.weights for l in bert.layers if l.op == "linear" and l.name != "pooler")
    assert enc == 12 * (4 * 768 * 768 + 2 * 768 * 3072)


def test_committed_tables_are_fresh_and_consistent():
    rc = subprocess.run([sys.executable, "-m", "workloads.layertables", "--check"], cwd=ROOT,
                        capture_output=True, text=True)
    assert rc.returncode == 0, rc.stderr
    sys.path.insert(0, str(ROOT / "scripts"))
    import pytest
    native = pytest.importorskip("nvfp4dse.native", reason="nvfp4_native not built", exc_type=ImportError)
    for name in MODELS:  # the lowering every tool applies (numerics/workload.hpp through the bindings)
        rows = [(l.name, l.M, l.N, l.K) for l in native.read_workload(ROOT / "workloads" / "tables" / f"{name}.csv")]
        net = MODELS[name]()
        assert [r[0] for r in rows] == [l.name for l in net.layers]
        assert [r[1:] for r in rows] == [l.gemm_row()[1:] for l in net.layers]
        assert sum(m * n * k for _, m, n, k in rows) == net.macs


def test_check_detects_a_stale_table(tmp_path):
    rc = subprocess.run([sys.executable, "-m", "workloads.layertables", "--out", str(tmp_path)], cwd=ROOT,
                        capture_output=True, text=True)
    assert rc.returncode == 0
    (tmp_path / "resnet18.csv").write_text("name,type,M,N,K\nconv1,gemm,1,1,1\n")
    rc = subprocess.run([sys.executable, "-m", "workloads.layertables", "--out", str(tmp_path), "--check"], cwd=ROOT,
                        capture_output=True, text=True)
    assert rc.returncode == 1 and "resnet18.csv" in rc.stderr


def test_fmnist_table_matches_the_trained_weights():
    import numpy as np
    with np.load(ROOT / "workloads" / "tensors" / "fmnist_cnn" / "weights.npz") as f:
        assert sum(f[k].size for k in f.files) == MODELS["fmnist_cnn"]().params
        layers = {l.name: l for l in MODELS["fmnist_cnn"]().layers}
        for name in ("conv1", "conv2", "fc1", "fc2"):
            assert f[f"{name}.w"].shape == (layers[name].N, layers[name].K)
