#!/usr/bin/env python3
"""Independent oracles for the GPU element conversions (run on the GPU machine, which has PyTorch and ml_dtypes).

Input: the folder written by `test_cuda_exhaustive_convert --dump DIR` (inputs.npy: fp32 bit patterns, a strided
sample of all 2^32 plus the neighbourhood of every decision point; e2m1_rn.npy, e4m3.npy, ue8m0_rz.npy,
ue8m0_rp.npy: the codes the GPU produced).

Strict checks (exit 1 on any difference): finite inputs inside the format's range must give the same code as
ml_dtypes and PyTorch. Outside that range the oracles follow other conventions, which NVFP4_SPEC.md section 1 lists;
those differences are counted by category and reported, not failed:
  - NaN: we give E2M1 0x7 (+6) and E4M3 0x7F; ml_dtypes float4_e2m1fn gives 0x8 (-0), e4m3fn keeps NaN.
  - |x| beyond the largest finite value (6 / 448 + half an ulp) and +-Inf: we saturate (satfinite); ml_dtypes and
    PyTorch's float8_e4m3fn cast give NaN there.
UE8M0 (float8_e8m0fnu) is compared for information only: the oracles round to nearest, we round toward zero / +Inf.
"""
import sys

import numpy as np


def categorize(x, ours, theirs, max_finite):
    fin = np.isfinite(x)
    in_range = fin & (np.abs(x) <= max_finite)
    diff = ours != theirs
    return {
        "compared": int(in_range.sum()),
        "differ_in_range": int((diff & in_range).sum()),
        "differ_nan": int((diff & np.isnan(x)).sum()),
        "differ_overflow_or_inf": int((diff & ~np.isnan(x) & ~in_range).sum()),
        "first_in_range": (int(np.flatnonzero(diff & in_range)[0]) if (diff & in_range).any() else None),
    }


def main():
    d = sys.argv[1]
    bits = np.load(f"{d}/inputs.npy")
    x = bits.view(np.float32)
    gpu = {k: np.load(f"{d}/{k}.npy") for k in ("e2m1_rn", "e4m3", "ue8m0_rz", "ue8m0_rp")}
    failures = 0
    print(f"{len(x)} sampled fp32 inputs")

    def report(name, r):
        nonlocal failures
        status = "ok" if r["differ_in_range"] == 0 and r["compared"] > 0 else "FAIL"
        failures += status == "FAIL"
        msg = (f"{status}: {name}: {r['compared']} in-range inputs, {r['differ_in_range']} differ; "
               f"known differences: NaN {r['differ_nan']}, overflow/Inf {r['differ_overflow_or_inf']}")
        if r["first_in_range"] is not None:
            i = r["first_in_range"]
            msg += f"; first in-range difference at input 0x{int(bits[i]):08X} ({x[i]!r})"
        print(msg)

    # 6 + anything below the 8 midpoint rounds to 6 in every convention; keep the strict range at [-6, 6]
    try:
        import ml_dtypes
        ml_e2m1 = x.astype(ml_dtypes.float4_e2m1fn).view(np.uint8) & 0xF
        report("E2M1 rn vs ml_dtypes.float4_e2m1fn", categorize(x, gpu["e2m1_rn"], ml_e2m1, 6.0))
        ml_e4m3 = x.astype(ml_dtypes.float8_e4m3fn).view(np.uint8)
        report("E4M3 vs ml_dtypes.float8_e4m3fn", categorize(x, gpu["e4m3"], ml_e4m3, 448.0))
        pos = np.isfinite(x) & (x > 0)
        ml_e8 = x[pos].astype(ml_dtypes.float8_e8m0fnu).view(np.uint8)
        for k in ("ue8m0_rz", "ue8m0_rp"):
            same = int((gpu[k][pos] == ml_e8).sum())
            print(f"info: {k} equals ml_dtypes.float8_e8m0fnu (round to nearest) on {same} of {int(pos.sum())} "
                  f"positive finite inputs (different rounding by design)")
    except ImportError as e:
        print(f"SKIP: ml_dtypes not available ({e})")

    try:
        import torch
        t = torch.from_numpy(x.copy())
        tq = t.to(torch.float8_e4m3fn).view(torch.uint8).numpy()
        report("E4M3 vs torch.float8_e4m3fn", categorize(x, gpu["e4m3"], tq, 448.0))
        try:
            # float4_e2m1fn_x2 packs two elements; PyTorch may not offer a float -> fp4 cast
            t4 = t[: (len(t) // 2) * 2].to(torch.float4_e2m1fn_x2)
            packed = t4.view(torch.uint8).numpy()
            lo = packed & 0xF
            ours = gpu["e2m1_rn"][: len(lo) * 2]
            xx = x[: len(lo) * 2]
            inter = np.empty(len(lo) * 2, dtype=np.uint8)
            inter[0::2] = lo
            inter[1::2] = packed >> 4
            report("E2M1 rn vs torch.float4_e2m1fn_x2", categorize(xx, ours, inter, 6.0))
        except Exception as e:  # noqa: BLE001 - any failure means the cast is unavailable
            print(f"info: torch {torch.__version__} has no float32 -> float4_e2m1fn_x2 cast ({type(e).__name__}: "
                  f"{str(e).splitlines()[0][:120]}); E2M1 checked against ml_dtypes only")
        try:
            te8 = t[(t > 0) & torch.isfinite(t)].to(torch.float8_e8m0fnu).view(torch.uint8).numpy()
            pos = np.isfinite(x) & (x > 0)
            for k in ("ue8m0_rz", "ue8m0_rp"):
                print(f"info: {k} equals torch.float8_e8m0fnu on {int((gpu[k][pos] == te8).sum())} of "
                      f"{int(pos.sum())} positive finite inputs")
        except Exception as e:  # noqa: BLE001
            print(f"info: torch float8_e8m0fnu cast unavailable ({type(e).__name__})")
    except ImportError as e:
        print(f"SKIP: torch not available ({e})")

    print("oracle_check:", "FAIL" if failures else "PASS")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
