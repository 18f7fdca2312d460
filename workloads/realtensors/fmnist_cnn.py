"""A small CNN trained inside the project on Fashion-MNIST (Debian `dataset-fashion-mnist`), in NumPy alone.

    python3 -m workloads.realtensors.fmnist_cnn train   # ~1-2 min on one core; writes workloads/tensors/fmnist_cnn/
    python3 -m workloads.realtensors.fmnist_cnn eval    # float test accuracy of the committed weights

Network (every layer is a GEMM; convolutions by im2col, batch of images folded into M):
conv1 1->16 3x3 pad 1, ReLU, max-pool 2 | conv2 16->32 3x3 pad 1, ReLU, max-pool 2 | fc1 1568->64, ReLU | fc2 64->10.
Training: fixed seed 0, Adam (lr 2e-3), batch 128, 3 epochs, He-normal initialisation. `forward` takes a hook that
replaces each GEMM, which is how quantized and faulted evaluation runs (see scripts/nvfp4dse/accuracy.py).
"""
from __future__ import annotations

import gzip
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA = Path("/usr/share/datasets/fashion-mnist")
OUT = Path(__file__).resolve().parents[1] / "tensors" / "fmnist_cnn"
LAYERS = ["conv1", "conv2", "fc1", "fc2"]


@lru_cache(maxsize=4)  # a sweep worker evaluates many points on the same test images: decompress them once
def load_split(split: str, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(images normalised, labels) of a split; n: only its first n images (the same values as the first n of the
    whole split: the sweeps read 1000 of the 10000 test images, and decompressing and normalising the rest cost
    ~0.15 s before a local run's first point)."""
    prefix = "train" if split == "train" else "t10k"
    img, lab = DATA / f"{prefix}-images-idx3-ubyte.gz", DATA / f"{prefix}-labels-idx1-ubyte.gz"
    if not img.exists():
        raise FileNotFoundError(f"{img} missing: apt-get install dataset-fashion-mnist")
    with gzip.open(img) as f:
        x = np.frombuffer(f.read(-1 if n is None else 16 + n * 28 * 28), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(lab) as f:
        y = np.frombuffer(f.read(-1 if n is None else 8 + n), np.uint8, offset=8)
    return (x.astype(np.float32) / 255.0 - 0.2860) / 0.3530, y.astype(np.int64)


def im2col(x: np.ndarray, buffers: dict | None = None) -> np.ndarray:
    """x: B x H x W x C -> (B*H*W) x (9*C), 3x3 pad 1, column order (kh, kw, c), written in one pass from a zero-padded
    copy's 3 x 3 windows (nine strided passes over the output cost 26 ms per call on a sweep's conv2 input against 7
    ms). buffers: the caller's dict of arrays by shape, reused from call to call (the result is then one of them,
    overwritten by the next call of the same shape; the padded copy's border is zeroed once and never written): a
    sweep worker's conv2 input is 56 MB per chunk of 500 images, and a fresh array each time costs a zero fill and, in
    a new process, the kernel's first touch of every page."""
    b, h, w, c = x.shape
    buffers = {} if buffers is None else buffers
    padded, cols = (buffers.get((key, x.dtype)) for key in ((b, h + 2, w + 2, c), (b, h, w, 3, 3, c)))
    if padded is None or cols is None:
        padded = buffers[((b, h + 2, w + 2, c), x.dtype)] = np.zeros((b, h + 2, w + 2, c), x.dtype)
        cols = buffers[((b, h, w, 3, 3, c), x.dtype)] = np.empty((b, h, w, 3, 3, c), x.dtype)
    padded[:, 1:-1, 1:-1, :] = x
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(1, 2))  # b x h x w x c x 3 x 3
    np.copyto(cols, np.moveaxis(windows, 3, 5))
    return cols.reshape(b * h * w, 9 * c)


def col2im(dcols: np.ndarray, shape) -> np.ndarray:
    b, h, w, c = shape
    d = dcols.reshape(b, h, w, 9, c)
    dp = np.zeros((b, h + 2, w + 2, c), dtype=dcols.dtype)
    for idx in range(9):
        i, j = divmod(idx, 3)
        dp[:, i:i + h, j:j + w, :] += d[:, :, :, idx, :]
    return dp[:, 1:-1, 1:-1, :]


def _window_max(x: np.ndarray) -> np.ndarray:
    """The 2 x 2 window maximum of a B x H x W x C array, as two np.maximum: of the window's two rows (each a run of
    2C contiguous values), then of the two columns (1.7x faster than three maxima of single-value strides, twice as
    fast as a reduction over the window axes). Which of two equal zeros of different sign it keeps depends on the
    order; its callers' inputs hold no -0.0 (after ReLU) or add a bias that is not -0.0 after it, so it does not
    show."""
    b, h, w, c = x.shape
    rows = x.reshape(b, h // 2, 2, w // 2, 2 * c)
    m = np.maximum(rows[:, :, 0], rows[:, :, 1]).reshape(b, h // 2, w // 2, 2, c)
    return np.maximum(m[:, :, :, 0], m[:, :, :, 1])


def maxpool(x, with_mask: bool = True):
    """2 x 2 max-pool: (out, mask of the maxima for backward(), or None when with_mask is False: inference)."""
    out = _window_max(x)
    if not with_mask:
        return out, None
    b, h, w, c = x.shape
    return out, x.reshape(b, h // 2, 2, w // 2, 2, c) == out[:, :, None, :, None, :]


def _pool_bias_relu(z: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """maxpool(ReLU(z + bias)) of a B x H x W x C conv output, computed as ReLU(maxpool(z) + bias): the same bits when
    no bias is -0.0: fp32 addition of a fixed bias and ReLU are monotone, so the max commutes with them, and no -0.0
    can then arise for a 2 x 2 max to pick instead of +0.0 (a NaN stays a NaN either way). Inference only (no mask)."""
    m = _window_max(z)
    m += bias
    return np.maximum(m, 0, out=m)


def float_gemm(name: str, a: np.ndarray, w: np.ndarray) -> np.ndarray:
    return a @ w.T


def layer_steps(params: dict, b: int, cache: dict | None = None, buffers: dict | None = None) -> list:
    """The network as its four GEMM layers, in order: (name, input_of, W, output_of). input_of(h) gives the layer's
    GEMM input A (M x K) from the previous layer's activation h (the B x 28 x 28 images for conv1); output_of(z) gives
    the next activation from the GEMM output A W^T (M x N, bias added here). forward() runs them with its gemm hook;
    the sweeps' accuracy chain (scripts/nvfp4dse/accuracy.py) runs them with reuse between design points. `cache`
    (training) receives what backward() needs. `buffers` (inference): a dict of im2col output arrays reused by every
    call (im2col): a convolution's input is then valid only until the next input_of of the same shape."""

    # Inference pools first (pool_bias_relu): the same numbers with a quarter of the work, given no bias is -0.0.
    pool_first = not any(np.signbit(params[f"{n}.b"][params[f"{n}.b"] == 0]).any() for n in ("conv1", "conv2"))

    def conv(name, size):
        def input_of(h):
            h = h[..., None] if h.ndim == 3 else h
            cols = im2col(h, buffers)
            if cache is not None:
                cache[name] = (h.shape, cols)
            return cols

        def output_of(z):
            if cache is None and pool_first:
                return _pool_bias_relu(z.reshape(b, size, size, -1), params[f"{name}.b"])
            z = z + params[f"{name}.b"]
            a = np.maximum(z, 0).reshape(b, size, size, -1)
            h, mask = maxpool(a, with_mask=cache is not None)
            if cache is not None:
                cache[name] += (z,)
                cache[name + ".pool"] = (a, mask)
            return h
        return name, input_of, params[f"{name}.w"], output_of

    def fc1_in(h):
        flat = h.reshape(b, -1)
        if cache is not None:
            cache["fc1"] = (flat, h.shape)
        return flat

    def fc1_out(z):
        z1 = z + params["fc1.b"]
        a1 = np.maximum(z1, 0)
        if cache is not None:
            flat, shape = cache["fc1"]
            cache["fc1"] = (flat, z1, shape)
            cache["fc2"] = (a1,)
        return a1

    return [conv("conv1", 28), conv("conv2", 14), ("fc1", fc1_in, params["fc1.w"], fc1_out),
            ("fc2", lambda h: h, params["fc2.w"], lambda z: z + params["fc2.b"])]


def forward(params: dict, x: np.ndarray, gemm=float_gemm, cache: dict | None = None) -> np.ndarray:
    """x: B x 28 x 28 -> logits B x 10. gemm(name, A [M x K], W [N x K]) computes A W^T (biases added outside)."""
    h = x
    for name, input_of, w, output_of in layer_steps(params, x.shape[0], cache):
        h = output_of(gemm(name, input_of(h), w))
    return h


def init_params(rng) -> dict:
    shapes = {"conv1": (16, 9), "conv2": (32, 144), "fc1": (64, 1568), "fc2": (10, 64)}
    p = {}
    for name, (n, k) in shapes.items():
        p[f"{name}.w"] = (rng.standard_normal((n, k)) * np.sqrt(2.0 / k)).astype(np.float32)
        p[f"{name}.b"] = np.zeros(n, np.float32)
    return p


def backward(params, cache, logits, y):
    b = logits.shape[0]
    z = logits - logits.max(axis=1, keepdims=True)
    prob = np.exp(z)
    prob /= prob.sum(axis=1, keepdims=True)
    loss = -np.log(prob[np.arange(b), y] + 1e-12).mean()
    d = prob
    d[np.arange(b), y] -= 1
    d /= b
    g = {}
    (a1,) = cache["fc2"]
    g["fc2.w"], g["fc2.b"] = d.T @ a1, d.sum(0)
    da1 = d @ params["fc2.w"]
    flat, z1, hshape = cache["fc1"]
    dz1 = da1 * (z1 > 0)
    g["fc1.w"], g["fc1.b"] = dz1.T @ flat, dz1.sum(0)
    dh = (dz1 @ params["fc1.w"]).reshape(hshape)
    for name in ("conv2", "conv1"):
        a, mask = cache[name + ".pool"]
        bb, hh, ww, c = a.shape
        da = (mask * dh[:, :, None, :, None, :]).reshape(bb, hh, ww, c)
        in_shape, cols, zc = cache[name]
        dz = da.reshape(-1, c) * (zc > 0)
        g[f"{name}.w"], g[f"{name}.b"] = dz.T @ cols, dz.sum(0)
        if name == "conv2":
            dh = col2im(dz @ params[f"{name}.w"], in_shape)
    return loss, g


def train(epochs: int = 3, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    x, y = load_split("train")
    params = init_params(rng)
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(v) for k, v in params.items()}
    lr, b1, b2, t = 2e-3, 0.9, 0.999, 0
    for ep in range(epochs):
        order = rng.permutation(len(x))
        for i in range(0, len(x), 128):
            idx = order[i:i + 128]
            cache = {}
            logits = forward(params, x[idx], cache=cache)
            loss, g = backward(params, cache, logits, y[idx])
            t += 1
            for k in params:
                m[k] = b1 * m[k] + (1 - b1) * g[k]
                v[k] = b2 * v[k] + (1 - b2) * g[k] ** 2
                params[k] -= (lr * (m[k] / (1 - b1 ** t)) / (np.sqrt(v[k] / (1 - b2 ** t)) + 1e-8)).astype(np.float32)
        print(f"epoch {ep + 1}: last batch loss {loss:.3f}, test accuracy {accuracy(params):.4f}", flush=True)
    return params


def accuracy(params, gemm=float_gemm, n: int | None = None) -> float:
    x, y = load_split("test")
    if n is not None:
        x, y = x[:n], y[:n]
    correct = 0
    for i in range(0, len(x), 500):
        correct += int((forward(params, x[i:i + 500], gemm).argmax(1) == y[i:i + 500]).sum())
    return correct / len(x)


def load_params() -> dict:
    with np.load(OUT / "weights.npz") as f:
        return {k: f[k] for k in f.files}


def main(argv):
    cmd = argv[1] if len(argv) > 1 else "eval"
    if cmd == "train":
        params = train()
        OUT.mkdir(parents=True, exist_ok=True)
        tmp = OUT / "weights.tmp.npz"
        np.savez(tmp, **params)
        tmp.replace(OUT / "weights.npz")
        print(f"wrote {OUT / 'weights.npz'}")
    print(f"float test accuracy: {accuracy(load_params()):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
