#!/usr/bin/env python3
"""NumPy and the nvfp4 tool agree on every file (run by CTest: numpy_interop.py /path/to/nvfp4).

1. Inputs written by NumPy (float32, float16, float64, bfloat16 bits as uint16) are accepted by `nvfp4 quantize`.
2. The quantized .npz is read by np.load alone, and decoded here from its members (docs/cli.md) with NumPy's own
   float32 arithmetic: the values equal `nvfp4 dequantize`'s .npy bit for bit (so the file carries everything needed).
3. `nvfp4 gemm` writes a .npy NumPy reads, of the right shape; its fp32-seq result has the right magnitude.
Exits non-zero naming the first mismatch.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

CLI = sys.argv[1]


def run(*args):
    r = subprocess.run([CLI, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("FAIL: nvfp4 %s -> %d: %s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout


def e2m1(codes):
    mag = np.array([0, 0.5, 1, 1.5, 2, 3, 4, 6], dtype=np.float32)[codes & 7]
    return np.where(codes & 8, -mag, mag).astype(np.float32)


def ue4m3(codes):
    c = codes.astype(np.int32) & 0x7F
    e, m = c >> 3, c & 7
    v = np.where(e == 0, m * 2.0**-9, (1 + m / 8.0) * 2.0 ** (e - 7))
    return v.astype(np.float32)


def unpack_nibbles(codes, cols):
    lo, hi = codes & 0xF, codes >> 4
    out = np.empty((codes.shape[0], codes.shape[1] * 2), dtype=np.uint8)
    out[:, 0::2], out[:, 1::2] = lo, hi
    return out[:, :cols]


def decode_nvfp4(z):
    assert bytes(z["scheme"]).decode() == "nvfp4", bytes(z["scheme"])
    rows, cols = (int(v) for v in z["shape"])
    block = int(z["block"])
    q = e2m1(unpack_nibbles(z["codes"], cols))
    s = ue4m3(z["scales"])
    if int(z["block_2d"]):
        s = np.repeat(np.repeat(s, 16, axis=0), 16, axis=1)[:rows, :cols]
    else:
        s = np.repeat(s, block, axis=1)[:, :cols]
    ts = np.float32(z["tensor_scale"])
    return (q * s) * ts  # float32 throughout: fp32(fp32(code * block scale) * tensor scale)


def same_bits(got, want, what):
    got, want = np.ascontiguousarray(got, np.float32), np.ascontiguousarray(want, np.float32)
    if got.shape != want.shape:
        sys.exit("FAIL %s: shape %s vs %s" % (what, got.shape, want.shape))
    diff = np.flatnonzero(got.view(np.uint32) != want.view(np.uint32))
    if diff.size:
        i = diff[0]
        sys.exit("FAIL %s: first difference at flat index %d: %r vs %r" % (what, i, got.flat[i], want.flat[i]))
    if not np.any(want != 0):
        sys.exit("FAIL %s: trivially zero" % what)


def main():
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as d:
        p = lambda n: os.path.join(d, n)
        x = rng.standard_normal((24, 80)).astype(np.float32)
        x[:, 5] *= 30  # outlier channel
        np.save(p("x.npy"), x)
        np.save(p("x16.npy"), x.astype(np.float16))
        np.save(p("x64.npy"), x.astype(np.float64))
        np.save(p("xbf.npy"), (x.view(np.uint32) >> 16).astype(np.uint16))  # bfloat16 by truncation
        checked = 0
        for src, extra in (("x.npy", []), ("x16.npy", []), ("x64.npy", []), ("xbf.npy", ["--dtype", "bf16"]),
                           ("x.npy", ["--block-2d"]), ("x.npy", ["--recipe", "torchao", "--block", "32"])):
            run("quantize", p(src), "-o", p("q.npz"), *extra)
            z = np.load(p("q.npz"))
            assert sorted(z.files) == sorted(["nvfp4_file_version", "scheme", "recipe", "rounding", "block",
                                              "block_2d", "seed", "shape", "codes", "scales", "tensor_scale"]), z.files
            assert z["codes"].dtype == np.uint8 and z["tensor_scale"].dtype == np.float32
            run("dequantize", p("q.npz"), "-o", p("dq.npy"))
            same_bits(np.load(p("dq.npy")), decode_nvfp4(z), "decode of %s %s" % (src, extra))
            checked += 1
        w = rng.standard_normal((16, 80)).astype(np.float32) * np.float32(0.05)
        np.save(p("w.npy"), w)
        run("gemm", p("x.npy"), p("w.npy"), "-o", p("d.npy"))
        dm = np.load(p("d.npy"))
        assert dm.dtype == np.float32 and dm.shape == (24, 16), (dm.dtype, dm.shape)
        ref = x.astype(np.float64) @ w.astype(np.float64).T
        sqnr = 10 * np.log10(np.sum(ref**2) / np.sum((ref - dm) ** 2))
        if not 8 < sqnr < 40:
            sys.exit("FAIL gemm: SQNR %.2f dB vs float64 is implausible for NVFP4" % sqnr)
        # np.savez archives are accepted as quantized files only when they carry the members: here they do not.
        np.savez(p("plain.npz"), a=x)
        r = subprocess.run([CLI, "dequantize", p("plain.npz"), "-o", p("never.npy")], capture_output=True, text=True)
        if r.returncode != 2 or "missing member" not in r.stderr or os.path.exists(p("never.npy")):
            sys.exit("FAIL: plain np.savez archive: %d %s" % (r.returncode, r.stderr))
    print("numpy interop: %d quantized files decoded by NumPy bit-exactly; gemm SQNR %.2f dB; 1 passed, 0 failed"
          % (checked, sqnr))


main()
