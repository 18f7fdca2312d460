"""Operand streams for the gate-level simulation, taken from the committed real tensors (workloads/tensors) and
quantized with the project's own quantizer (nvfp4dse.native, the C++ core), in the order the array feeds them: engine
(0, 0) of a 16 x 16 output-stationary array takes, for each output (m, n) with m = 0, 16, ... and n = 0, 16, ..., the
K/L blocks of A row m and W row n one per cycle (docs/sim.md, dataflows). Plus two references: uniformly random codes
and scales, and all-zero operands.
"""
import json
import os
import sys

import numpy as np

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "scripts"))
sys.path.insert(0, REPO)
TENSORS = os.path.join(REPO, "workloads", "tensors")
ARRAY = 16  # rows = columns of the array whose engine (0, 0) the stream feeds
ONE = 0x38  # UE4M3 1.0: the block scale of operands without block scales (per-tensor fp8 / fp16 weights)

# Layers taken from each committed set (names as in their manifests); Fashion-MNIST activations are recomputed.
SETS = {
    "minilm": ("minilm_l6", ["layer0.q", "layer0.up", "layer5.down", "layer5.o"]),
    "effnet": ("efficientnet_lite0", ["conv_stem", "block.5.project_conv", "block.15.project_conv", "fc"]),
    "fmnist": ("fmnist_cnn", ["conv2", "fc1"]),
}


def _native():
    from nvfp4dse import native  # the one quantizer (C++ core); needs the nvfp4_native target built
    return native


def layers(set_name):
    """[(layer name, A float32 M x K, W float32 N x K)] of one committed set."""
    folder, names = SETS[set_name]
    path = os.path.join(TENSORS, folder)
    if folder == "fmnist_cnn":
        from workloads.realtensors import fmnist_cnn as f
        params = f.load_params()
        x, _ = f.load_split("test")
        got = {}

        def capture(name, a, w):
            got[name] = (a, w)
            return a @ w.T
        f.forward(params, x[:4], gemm=capture)
        return [(n, np.ascontiguousarray(got[n][0], np.float32), np.ascontiguousarray(got[n][1], np.float32))
                for n in names]
    man = json.load(open(os.path.join(path, "manifest.json"), encoding="utf-8"))
    by = {l["name"]: l for l in man["layers"]}
    return [(n, np.load(os.path.join(path, by[n]["act"])).astype(np.float32),
             np.load(os.path.join(path, by[n]["weight"])).astype(np.float32)) for n in names]


def _blocks(q, L):
    """(codes rows x Kpad, scales rows x nblocks) of a quantized tensor, K padded with zero codes to a multiple of L."""
    c = q.element_codes().astype(np.int64)
    rows, k = c.shape
    kp = -(-k // L) * L
    out = np.zeros((rows, kp), np.int64)
    out[:, :k] = c
    nb = kp // L
    s = q.scales
    scales = s.reshape(rows, -1)[:, :nb].astype(np.int64) if s.size else np.full((rows, nb), ONE, np.int64)
    return out, scales


def quantize_pair(a, w, L, wscheme):
    nat = _native()
    qa = nat.quantize(a, "nvfp4", block=L)
    qw = nat.quantize(w, wscheme, block=L) if wscheme == "nvfp4" else nat.quantize(w, wscheme)
    return _blocks(qa, L), _blocks(qw, L)


def engine_beats(set_name, L, wscheme, n_beats):
    """[(a codes [L], w codes [L], sa, sb, first, last)] from the set's layers, an equal share per layer."""
    lay = layers(set_name)
    share = -(-n_beats // len(lay))
    beats = []
    for _, a, w in lay:
        (ac, asc), (wc, wsc) = quantize_pair(a, w, L, wscheme)
        nb = ac.shape[1] // L
        got = []
        for m in range(0, ac.shape[0], ARRAY):
            for n in range(0, wc.shape[0], ARRAY):
                for kb in range(nb):
                    got.append((ac[m, kb * L:(kb + 1) * L], wc[n, kb * L:(kb + 1) * L], asc[m, kb], wsc[n, kb],
                                kb == 0, kb == nb - 1))
        beats += got[:share]
    return beats[:n_beats]


def random_beats(L, wbits, n_beats, seed=1):
    rng = np.random.default_rng(seed)
    nan = {4: None, 8: 0x7F, 16: None}[wbits]
    out = []
    for i in range(n_beats):
        a = rng.integers(0, 16, L)
        w = rng.integers(0, 1 << wbits, L)
        if nan is not None:
            w = np.where((w & 0x7F) == nan, w ^ 1, w)  # no NaN weights: the engine's NaN path is not the workload
        if wbits == 16:
            w = np.where((w >> 10 & 0x1F) == 0x1F, w ^ (1 << 10), w)  # no Inf/NaN FP16 weights
        out.append((a, w, int(rng.integers(1, 0x7F)), int(rng.integers(1, 0x7F)), i % 8 == 0, i % 8 == 7))
    return out


def zero_beats(L, n_beats):
    z = np.zeros(L, np.int64)
    return [(z, z, ONE, ONE, i % 8 == 0, i % 8 == 7) for i in range(n_beats)]


def pack(codes, bits):
    v = 0
    for j, c in enumerate(codes):
        v |= (int(c) & ((1 << bits) - 1)) << (bits * j)
    return v


def stream(kind, L, wscheme, n):
    """Beats of one stimulus kind: 'random', 'zero' or a set name."""
    wbits = {"nvfp4": 4, "fp8": 8, "fp16": 16}[wscheme]
    if kind == "random":
        return random_beats(L, wbits, n)
    if kind == "random_hold":  # the random vectors, each held two cycles: half the toggle rate
        return [b for b in random_beats(L, wbits, (n + 1) // 2) for _ in range(2)][:n]
    if kind == "zero":
        return zero_beats(L, n)
    return engine_beats(kind, L, wscheme, n)


def stats(beats, wscheme):
    """Operand statistics of a stream: fraction of products with a zero operand, mean activation code magnitude."""
    wz = {"nvfp4": 0x7, "fp8": 0x7F, "fp16": 0x7FFF}[wscheme]
    prods = zeros = 0
    for a, w, *_ in beats:
        prods += len(a)
        zeros += int(np.sum(((np.asarray(a) & 7) == 0) | ((np.asarray(w) & wz) == 0)))
    return {"zero_product_fraction": zeros / max(1, prods)}


def data_words(kind, K, n):
    """SECDED data words of K bits: the stored code bytes of the set's tensors (activations, then weights), random
    words, or zeros."""
    if kind == "zero":
        return [0] * n
    if kind in ("random", "random_hold"):
        rng = np.random.default_rng(2)
        words = [int.from_bytes(rng.bytes(K // 8), "little") for _ in range(n)]
        return words if kind == "random" else [w for w in words[:(n + 1) // 2] for _ in range(2)][:n]
    nat = _native()
    raw = b""
    for _, a, w in layers(kind):
        raw += nat.quantize(a, "nvfp4", block=16).codes.tobytes() + nat.quantize(w, "nvfp4", block=16).codes.tobytes()
    step = K // 8
    words = [int.from_bytes(raw[i:i + step], "little") for i in range(0, len(raw) - step + 1, step)]
    stride = max(1, len(words) // n)  # spread over all layers
    return words[::stride][:n]
