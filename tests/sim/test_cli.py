#!/usr/bin/env python3
"""sim_cli: nvfp4sim end to end. A good run writes the documented files (and .npy outputs, VCD when asked); every kind
of bad input exits with status 2 and an "error: ..." naming the problem (key, file, line) BEFORE any simulation, and
leaves no summary.json behind. Usage: test_cli.py PATH/TO/nvfp4sim. Exit 1 naming the first failed case.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PRESET = os.path.join(ROOT, "sim", "presets", "edge-small.yaml")
TINY = os.path.join(ROOT, "sim", "examples", "tiny.csv")
FAIL = []


def run(exe, *args):
    return subprocess.run([exe, *args], capture_output=True, text=True)


def expect_error(exe, tmp, name, arch, workload, needles):
    out = os.path.join(tmp, "out-" + name)
    r = run(exe, "run", "--arch", arch, "--workload", workload, "--out", out, "--quiet")
    msg = r.stderr.strip()
    if r.returncode != 2:
        FAIL.append(f"{name}: exit {r.returncode}, expected 2 ({msg})")
    elif not msg.startswith("error: ") or not all(n in msg for n in needles):
        FAIL.append(f"{name}: message {msg!r} lacks {needles}")
    if os.path.exists(os.path.join(out, "summary.json")):
        FAIL.append(f"{name}: a failed run left summary.json")


def preset_with(tmp, name, old, new):
    text = open(PRESET).read()
    if old not in text:
        raise SystemExit(f"test setup: {old!r} not in preset")
    text = text.replace(old, new).replace("../tech/", os.path.join(ROOT, "sim", "tech") + "/")
    path = os.path.join(tmp, name + ".yaml")
    open(path, "w").write(text)
    return path


def workload(tmp, name, body):
    path = os.path.join(tmp, name + ".csv")
    open(path, "w").write("name,type,M,N,K,batch,ifmap_h,ifmap_w,channels,filter_h,filter_w,num_filters,stride,"
                          "padding,activations,weights\n" + body)
    return path


def check_output_folder(exe, tmp):
    """summary.json present = this run completed: a run refused for bad input removes an earlier summary.json (and
    keeps the other files); a run cleans, and reports, partial folders of killed runs (their process is gone) but
    not those of live processes."""
    out = os.path.join(tmp, "folder")
    os.makedirs(out)
    open(os.path.join(out, "summary.json"), "w").write("{}")
    open(os.path.join(out, "layers.csv"), "w").write("old\n")
    bad = workload(tmp, "bad-folder", "a,gemm,0,4,8,,,,,,,,,,,\n")
    r = run(exe, "run", "--arch", PRESET, "--workload", bad, "--out", out, "--quiet")
    if r.returncode != 2 or os.path.exists(os.path.join(out, "summary.json")):
        FAIL.append(f"failed run: exit {r.returncode}, an earlier summary.json left in place")
    dead = subprocess.Popen(["true"])
    dead.wait()  # a pid whose process is gone
    stale = os.path.join(out, f".nvfp4sim-partial-{dead.pid}")
    live = os.path.join(out, f".nvfp4sim-partial-{os.getpid()}")  # this test process: alive
    for d in (stale, live):
        os.makedirs(os.path.join(d, "outputs"))
    r = run(exe, "run", "--arch", PRESET, "--workload", TINY, "--out", out, "--quiet")
    if r.returncode != 0 or not os.path.exists(os.path.join(out, "summary.json")):
        FAIL.append(f"run after a killed one: exit {r.returncode} {r.stderr}")
    if os.path.exists(stale) or f"removed {stale}" not in r.stderr:
        FAIL.append(f"stale partial folder of a dead process not removed and reported: {r.stderr!r}")
    if not os.path.exists(live):
        FAIL.append("the partial folder of a live process was removed")


def main():
    exe = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        # --help explains the files and options.
        r = run(exe, "--help")
        if r.returncode != 0 or "layers.csv" not in r.stdout or "--save-outputs" not in r.stdout:
            FAIL.append("--help does not describe the outputs")
        # A good run with every output.
        out = os.path.join(tmp, "good")
        r = run(exe, "run", "--arch", PRESET, "--workload", TINY, "--out", out, "--save-outputs", "--vcd")
        if r.returncode != 0:
            FAIL.append(f"good run failed: {r.stderr}")
        else:
            for f in ("layers.csv", "summary.json", "resolved_config.yaml", "trace.vcd"):
                if not os.path.isfile(os.path.join(out, f)):
                    FAIL.append(f"good run: {f} missing")
            if [f for f in os.listdir(out) if f.startswith(".nvfp4sim-partial")]:
                FAIL.append("good run left its partial folder")
            summary = json.load(open(os.path.join(out, "summary.json")))
            rows = list(csv.DictReader(open(os.path.join(out, "layers.csv"))))
            if summary["layers"] != 4 or len(rows) != 4:
                FAIL.append("good run: expected 4 layers")
            if summary["cycles"] != sum(int(r["cycles"]) for r in rows):
                FAIL.append("summary cycles != sum of layer cycles")
            for row in rows:
                parts = sum(float(v) for k, v in row.items() if k.startswith("energy_pj_") and k != "energy_pj_total")
                if abs(parts - float(row["energy_pj_total"])) > 1e-6 * parts:
                    FAIL.append(f"layer {row['name']}: energy components do not add up to the total")
                if int(row["cycles"]) != int(row["compute_cycles"]) + int(row["stall_cycles"]):
                    FAIL.append(f"layer {row['name']}: cycles != compute + stalls")
            outs = sorted(os.listdir(os.path.join(out, "outputs")))
            if len(outs) != 4:
                FAIL.append(f"--save-outputs wrote {outs}")
            else:
                d = np.load(os.path.join(out, "outputs", outs[0]))
                if d.shape != (24, 20) or d.dtype != np.float32 or not np.any(d != 0):
                    FAIL.append(f"output 0 has shape {d.shape} dtype {d.dtype} or is all zero")
            if "cycles" not in r.stdout or "uJ per inference" not in r.stdout or "SQNR" not in r.stdout:
                FAIL.append(f"summary text lacks cycles/energy/SQNR: {r.stdout}")
        # Bad configurations.
        expect_error(exe, tmp, "unknown-key", preset_with(tmp, "uk", "    rows: 4\n", "    rows: 4\n    rowz: 4\n"),
                     TINY, ["architecture.array.rowz", "unknown key", "uk.yaml"])
        expect_error(exe, tmp, "missing-key", preset_with(tmp, "mk", "    lanes: 16\n", ""), TINY,
                     ["architecture.array.lanes", "missing required key"])
        expect_error(exe, tmp, "zero-rows", preset_with(tmp, "zr", "    rows: 4\n", "    rows: 0\n"), TINY,
                     ["architecture.array.rows", "must be in [1, 65536]"])
        expect_error(exe, tmp, "negative-size", preset_with(tmp, "ns", "size_kib: 32, word_bits: 64, ports: 1, "
                     "voltage_v: 1.7", "size_kib: -32, word_bits: 64, ports: 1, voltage_v: 1.7"), TINY,
                     ["architecture.sram.scales.size_kib"])
        expect_error(exe, tmp, "bad-version", preset_with(tmp, "bv", "version: 1", "version: 7"), TINY, ["version"])
        expect_error(exe, tmp, "over-voltage", preset_with(tmp, "ov", "voltage_v: 1.8, ecc_layout: none}",
                     "voltage_v: 2.3, ecc_layout: none}"), TINY, ["architecture.sram.outputs.voltage_v", "nominal"])
        small = preset_with(tmp, "small", "activations: {size_kib: 128,", "activations: {size_kib: 1,")
        expect_error(exe, tmp, "sram-too-small", small, workload(tmp, "big", "big,gemm,64,64,4096,,,,,,,,,,,\n"),
                     ["cannot feed", "activations SRAM", "big.csv:2", "'big'"])
        # Bad workloads.
        expect_error(exe, tmp, "k-zero", PRESET, workload(tmp, "k0", "a,gemm,4,4,8,,,,,,,,,,,\nb,gemm,4,4,0,,,,,,,,,,,\n"),
                     ["k0.csv:3", "'K'", "> 0"])
        expect_error(exe, tmp, "negative-m", PRESET, workload(tmp, "mneg", "a,gemm,-4,4,8,,,,,,,,,,,\n"), ["mneg.csv:2", "'M'"])
        expect_error(exe, tmp, "malformed-csv", PRESET, workload(tmp, "mal", "a,gemm,4,4,8,,,,,,,,,,,\nb,gemm,4,4\n"),
                     ["line 3"])
        expect_error(exe, tmp, "not-integer", PRESET, workload(tmp, "ni", "a,gemm,4,x4,8,,,,,,,,,,,\n"), ["ni.csv:2", "'N'", "x4"])
        expect_error(exe, tmp, "bad-type", PRESET, workload(tmp, "bt", "a,matmul,4,4,8,,,,,,,,,,,\n"), ["bt.csv:2", "matmul"])
        expect_error(exe, tmp, "unreadable-tensor", PRESET,
                     workload(tmp, "ut", "a,gemm,4,4,8,,,,,,,,,,missing.npy,\n"), ["missing.npy", "ut.csv:2"])
        np.save(os.path.join(tmp, "w.npy"), np.ones((5, 8), dtype=np.float32))
        expect_error(exe, tmp, "shape-mismatch", PRESET,
                     workload(tmp, "sm", "a,gemm,4,4,8,,,,,,,,,,,w.npy\n"), ["w.npy", "(5, 8)", "(4, 8)"])
        expect_error(exe, tmp, "bad-generator", PRESET,
                     workload(tmp, "bg", 'a,gemm,4,4,8,,,,,,,,,,"gauss(0,1)",\n'), ["gauss(0,1)"])
        expect_error(exe, tmp, "missing-arch-file", os.path.join(tmp, "nope.yaml"), TINY, ["nope.yaml"])
        # Tensors from files: the run uses them (and accepts a (N, R, S, C) filter and an HWC feature map).
        np.save(os.path.join(tmp, "w_ok.npy"), np.random.default_rng(1).normal(size=(4, 8)).astype(np.float32))
        np.savez(os.path.join(tmp, "t.npz"), fmap=np.random.default_rng(2).normal(size=(6, 5, 3)).astype(np.float32),
                 filt=np.random.default_rng(3).normal(size=(7, 3, 3, 3)).astype(np.float32))
        wl = workload(tmp, "files", "a,gemm,4,4,8,,,,,,,,,,,w_ok.npy\n"
                                    "c,conv,,,,1,6,5,3,3,3,7,1,1,t.npz:fmap,t.npz:filt\n")
        r = run(exe, "run", "--arch", PRESET, "--workload", wl, "--out", os.path.join(tmp, "files-out"), "--quiet")
        if r.returncode != 0:
            FAIL.append(f"tensors from .npy/.npz: {r.stderr}")
        check_output_folder(exe, tmp)
        r = run(exe, "run", "--arch", PRESET, "--workload", TINY, "--out", os.path.join(tmp, "x"), "--frobnicate")
        if r.returncode != 2 or "--frobnicate" not in r.stderr:
            FAIL.append("unknown option not refused with exit 2")
    for f in FAIL:
        print("FAIL:", f, file=sys.stderr)
    print(f"{len(FAIL)} failures")
    return 1 if FAIL else 0


if __name__ == "__main__":
    sys.exit(main())
