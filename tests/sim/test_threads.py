#!/usr/bin/env python3
"""sim_threads: the layers' numerics on 1, 2 and 3 host threads (--threads, and run.threads in the YAML) give the same
report files byte for byte: layers.csv, summary.json, every outputs/*.npy, and resolved_config.yaml except its
`threads:` line; host.json (host measurements) is the only file allowed to differ and records the thread count.
The design runs at low voltage so that faults occur in every layer (guard against a trivially equal, fault-free run).
Usage: test_threads.py PATH/TO/nvfp4sim. Exit 1 naming the first difference.
"""
import filecmp
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
ARCH = os.path.join(HERE, "data", "low-voltage.yaml")
WORKLOAD = os.path.join(ROOT, "sim", "examples", "tiny.csv")


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(exe, case_dir, threads_key, *extra):
    """Runs in case_dir with its own copy of the design as arch.yaml (the same relative path in every summary)."""
    text = open(ARCH).read().replace("technology: ../../../sim/", "technology: " + os.path.join(ROOT, "sim") + "/")
    if "run:\n" not in text:
        fail("low-voltage.yaml has no run: section to add threads to")
    if threads_key:
        text = text.replace("run:\n", f"run:\n  threads: {threads_key}\n")
    os.makedirs(case_dir)
    open(os.path.join(case_dir, "arch.yaml"), "w").write(text)
    r = subprocess.run([exe, "run", "--arch", "arch.yaml", "--workload", WORKLOAD, "--out", "out", "--quiet",
                        "--save-outputs", *extra], capture_output=True, text=True, cwd=case_dir)
    if r.returncode != 0:
        fail(f"{case_dir}: exit {r.returncode}: {r.stderr}")
    return os.path.join(case_dir, "out")


def files(out):
    names = sorted(os.path.relpath(os.path.join(d, f), out) for d, _, fs in os.walk(out) for f in fs)
    return [n for n in names if n != "host.json"]


def without_threads(path):
    return [line for line in open(path) if not line.strip().startswith("threads:")]


def main():
    exe = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        runs = {"--threads 1": (None, "--threads", "1"), "--threads 2": (None, "--threads", "2"),
                "--threads 3": (None, "--threads", "3"), "run.threads: 2": ("2",)}
        outs = {}
        for i, (name, args) in enumerate(runs.items()):
            outs[name] = run(exe, os.path.join(tmp, f"case{i}"), *args)
        ref = outs["--threads 1"]
        summary = json.load(open(os.path.join(ref, "summary.json")))
        if summary["faults"]["raw_bit_errors"] == 0:
            fail("no faults in the reference run: the comparison would be trivial")
        npys = [f for f in files(ref) if f.endswith(".npy")]
        if len(npys) != 4 or not all(np.any(np.load(os.path.join(ref, f)) != 0) for f in npys):
            fail(f"expected 4 non-zero layer outputs, got {npys}")
        for name, out in outs.items():
            threads = json.load(open(os.path.join(out, "host.json")))["threads"]
            if threads != int(name[-1]):
                fail(f"{name}: host.json says threads = {threads}")
            if name == "--threads 1":
                continue
            if files(out) != files(ref):
                fail(f"{name}: files {files(out)} differ from {files(ref)}")
            for f in files(out):
                a, b = os.path.join(ref, f), os.path.join(out, f)
                same = (without_threads(a) == without_threads(b)) if f == "resolved_config.yaml" else \
                    filecmp.cmp(a, b, shallow=False)
                if not same:
                    fail(f"{name}: {f} differs from the --threads 1 run")
        print(f"sim_threads: ok ({len(files(ref))} files identical for 1, 2, 3 threads and run.threads: 2; "
              f"{summary['faults']['raw_bit_errors']} raw bit errors)")


if __name__ == "__main__":
    main()
