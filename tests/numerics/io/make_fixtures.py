#!/usr/bin/env python3
"""Writes the tiny NumPy-made fixture files of tests/numerics/io/data/ (committed; rerun only to regenerate).

Usage: /usr/bin/python3 tests/numerics/io/make_fixtures.py   (needs numpy; Debian python3-numpy)
Every value is chosen so that the C++ test can state it literally (test_npy_numpy_files.cpp).
"""
import os
import numpy as np

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
os.makedirs(here, exist_ok=True)
p = lambda name: os.path.join(here, name)

f32 = (np.arange(6, dtype="<f4").reshape(2, 3) * np.float32(0.5) - np.float32(1)).astype("<f4")  # -1 .. 1.5
np.save(p("f32_2x3.npy"), f32)
np.save(p("f16_5.npy"), np.array([0.0, -0.0, 1.0, 65504.0, 2.0**-24], dtype="<f2"))
np.save(p("f64_2x2.npy"), np.array([[1.0, -2.0], [0.1, 1e300]], dtype="<f8"))
np.save(p("u1_4.npy"), np.array([0, 1, 128, 255], dtype="u1"))
# bfloat16 bits of 1.0, -2.5, 3.140625, stored as uint16 (what ml_dtypes / torch exporters do)
np.save(p("bf16_as_u2_3.npy"), np.array([0x3F80, 0xC020, 0x4049], dtype="<u2"))
np.save(p("i4_3.npy"), np.array([-1, 0, 2147483647], dtype="<i4"))
np.save(p("i8_2.npy"), np.array([-9223372036854775808, 42], dtype="<i8"))
np.save(p("u4_2.npy"), np.array([4294967295, 7], dtype="<u4"))
np.save(p("fortran_f32_3x2.npy"), np.asfortranarray(np.arange(6, dtype="<f4").reshape(3, 2)))
np.save(p("scalar_f32.npy"), np.float32(3.5))
np.save(p("empty_f32_0x4.npy"), np.zeros((0, 4), dtype="<f4"))
for v in ((2, 0), (3, 0)):
    with open(p("v%d_f32_2x3.npy" % v[0]), "wb") as f:
        np.lib.format.write_array(f, f32, version=v)
# refused inputs
np.save(p("bad_big_endian_f4.npy"), np.array([1.0, 2.0], dtype=">f4"))
np.save(p("bad_structured.npy"), np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))
np.save(p("bad_complex.npy"), np.zeros(2, dtype="<c8"))
np.save(p("bad_nan_f32_2x3.npy"), np.array([[0, 1, 2], [3, np.nan, 5]], dtype="<f4"))
# archives: stored (np.savez) and deflated (np.savez_compressed)
np.savez(p("savez_stored.npz"), a=f32, b=np.array([0, 1, 128, 255], dtype="u1"))
np.savez_compressed(p("savez_deflated.npz"), a=f32, b=np.zeros(1000, dtype="<f4"))
print("wrote", sorted(os.listdir(here)))
