#!/usr/bin/env python3
"""Cross-check of the `torchao` nvfp4 recipe and the mxfp4 `floor`/`rceil` recipes against torchao itself.

Not part of CI (it needs PyTorch and torchao). Run on a machine that has both:
    python3 tests/numerics/quant/oracle/torchao_oracle.py build/bin/numerics_quant_oracle_dump
It quantizes structured random tensors with torchao (nvfp4_quantize with per_tensor_amax_to_scale; to_mx with
FLOOR / RCEIL) and with this project, and compares the element codes, block scale codes and tensor scale bit for bit.
Exit status 1 on any mismatch of nvfp4 or floor (printing the first one); rceil differences are reported but expected
in corner cases (docs/numerics.md, "Differences from the spec page", item 4).
With --control as the second argument the nvfp4 comparison uses this project's `modelopt` recipe instead: a negative
control that must report differences (shows the comparison can fail); the exit status is then inverted.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch


def make_input(rows, cols, seed):
    rng = np.random.default_rng(seed)
    grid = np.array([0, .25, .5, .75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 5, 6, 7], dtype=np.float32)
    x = np.empty((rows, cols), dtype=np.float32)
    for r in range(rows):
        scale = np.float32(2.0 ** rng.integers(-20, 21))
        kind = rng.integers(0, 10, size=cols)
        v = rng.standard_normal(cols).astype(np.float32) * scale
        g = grid[rng.integers(0, 16, size=cols)] * scale * np.where(rng.integers(0, 2, size=cols) == 1, 1, -1)
        v = np.where((kind == 2) | (kind == 3), g.astype(np.float32), v)
        v = np.where(kind == 4, v * np.float32(1000), v)
        v = np.where(kind == 0, np.float32(0), v)
        v = np.where(kind == 1, np.float32(-0.0), v)
        x[r] = v
    return x


def ours(tool, scheme, recipe, block, x):
    rows, cols = x.shape
    with tempfile.TemporaryDirectory() as d:
        p = lambda n: os.path.join(d, n)
        x.tofile(p("x.f32"))
        subprocess.run([tool, scheme, recipe, str(block), str(rows), str(cols), p("x.f32"), p("c.u8"), p("s.u8"),
                        p("t.f32")], check=True)
        return (np.fromfile(p("c.u8"), dtype=np.uint8).reshape(rows, cols), np.fromfile(p("s.u8"), dtype=np.uint8),
                np.fromfile(p("t.f32"), dtype=np.float32)[0])


def unpack(packed, rows, cols):
    p = packed.view(torch.uint8).cpu().numpy().reshape(rows, cols // 2)
    out = np.empty((rows, cols), dtype=np.uint8)
    out[:, 0::2] = p & 0xF
    out[:, 1::2] = p >> 4
    return out


def first_diff(a, b):
    idx = np.argwhere(a != b)
    return None if len(idx) == 0 else tuple(int(i) for i in idx[0])


def main():
    tool = sys.argv[1]
    control = len(sys.argv) > 2 and sys.argv[2] == "--control"
    from torchao.prototype.mx_formats.nvfp4_tensor import nvfp4_quantize, per_tensor_amax_to_scale
    from torchao.prototype.mx_formats.mx_tensor import to_mx
    from torchao.prototype.mx_formats.config import ScaleCalculationMode
    failures = 0
    checked = 0
    for seed in range(20):
        x = make_input(64, 256, seed)
        xt = torch.from_numpy(x)
        # nvfp4 torchao, two-level scaling.
        pts = per_tensor_amax_to_scale(torch.max(torch.abs(xt)))
        scales, packed = nvfp4_quantize(xt, 16, pts)
        codes = unpack(packed, 64, 256)
        oc, os_, ot = ours(tool, "nvfp4", "modelopt" if control else "torchao", 16, x)
        sc = scales.view(torch.uint8).cpu().numpy().reshape(-1)
        checked += codes.size
        if np.float32(pts.item()).view(np.uint32) != np.float32(ot).view(np.uint32):
            print(f"nvfp4 seed {seed}: tensor scale torchao {pts.item()!r} ours {ot!r}"); failures += 1
        d = first_diff(sc, os_)
        if d is not None:
            print(f"nvfp4 seed {seed}: first scale difference at {d}: torchao {sc[d]:#x} ours {os_[d]:#x}"); failures += 1
        d = first_diff(codes, oc)
        if d is not None:
            print(f"nvfp4 seed {seed}: first code difference at {d} (x = {x[d]!r}): torchao {codes[d]:#x} ours {oc[d]:#x}")
            failures += 1
        # mxfp4 floor and rceil.
        for mode, recipe, strict in ((ScaleCalculationMode.FLOOR, "floor", True), (ScaleCalculationMode.RCEIL, "rceil", False)):
            s, data = to_mx(xt, torch.float4_e2m1fn_x2, 32, mode)
            mc = unpack(data, 64, 256)
            ms = s.view(torch.uint8).cpu().numpy().reshape(-1)
            oc, os_, _ = ours(tool, "mxfp4", recipe, 32, x)
            ds, dc = first_diff(ms, os_), first_diff(mc, oc)
            n_diff = int((mc != oc).sum()) + int((ms != os_).sum())
            if ds is not None or dc is not None:
                print(f"mxfp4 {recipe} seed {seed}: {n_diff} differences; first scale {ds}, first code {dc}"
                      + ("" if dc is None else f" (x = {x[dc]!r}: torchao {mc[dc]:#x} ours {oc[dc]:#x})"))
                failures += strict
    print(f"checked {checked} nvfp4 elements and the same tensors under mxfp4 floor/rceil; strict failures: {failures}")
    if control:
        return 0 if failures else 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
