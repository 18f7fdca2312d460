#!/usr/bin/env python3
"""Runs the bad-input corpus (cases.tsv) against nvfp4, nvfp4sim, nvfp4-inject and nvfp4-dse.

Every case runs in a fresh scratch folder (its working directory). Each asserts: the exit status, that stderr holds
the expected fragment (and, for status 2, starts with "error: " and has no traceback or internal error text), and,
for status 2, that nothing was written: the scratch folder and the fixtures hold exactly the files they held before.

cases.tsv: one case a line, four tab-separated fields: name, exit status, message fragment, command. Lines starting
with '#' and blank lines are skipped. The command is split like a shell line (shlex) after these substitutions:
  {nvfp4} {nvfp4sim} {inject} {dse}  the tools (dse: python3 -m nvfp4dse with scripts/ on PYTHONPATH)
  {x} {y}  valid float32 .npy files, 8 x 64 and 4 x 32      {q}  a valid quantized .npz of {x} (nvfp4)
  {arch}   a valid simulator config (edge-small preset, absolute technology path)
  {wl}     a valid native workload CSV (one 8 x 8 x 32 gemm layer)
  {sweep}  a valid sweep file (accuracy none)
  {arch|OLD=>NEW} {wl|OLD=>NEW} {sweep|OLD=>NEW}  the same file with the text OLD replaced by NEW (OLD must occur)
  {file:NAME|TEXT}  a file NAME holding TEXT (\\n, \\t and \\x.. escapes)          {out}  a path in the scratch folder
Escapes in fragments and replacements: \\n \\t. The fixture files are made before the snapshot, so they count as
"there before". Plain placeholders are expanded first, so they may sit inside a {file:...|TEXT}; a {...|TEXT}
runs to the first '}' followed by white space or the end of the command.

Usage: run_corpus.py BUILD_BIN_DIR [CASE_NAME_SUBSTRING]   (exit status 1 when a case fails)
"""
from __future__ import annotations

import concurrent.futures
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TIMEOUT_S = 30  # a hang (the M = 10^9 fold enumeration took minutes) fails the case
FORBIDDEN = ("Traceback", "std::bad_alloc", "vector::_M", "terminate called", "internal:", "Segmentation",
             "AddressSanitizer", "runtime error:")

SWEEP = "version: 1\nname: corpus\nworkload: resnet18\naccuracy: none\nseed: 1\n" \
        "parameters:\n  voltage: [0.9, 0.8]\n"
WORKLOAD = "name,type,M,N,K\nl0,gemm,8,8,32\n"


def unescape(s: str) -> str:
    return s.encode("latin-1", "backslashreplace").decode("unicode_escape")


class Case:
    def __init__(self, line_no: int, name: str, status: str, fragment: str, command: str):
        self.line_no, self.name, self.status = line_no, name, int(status)
        self.fragment, self.command = unescape(fragment), command


def read_cases(path: Path) -> list[Case]:
    cases = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            sys.exit(f"{path}:{n}: expected 4 tab-separated fields, got {len(fields)}")
        cases.append(Case(n, *fields))
    names = [c.name for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        sys.exit(f"{path}: case names used twice: {sorted(dup)}")
    return cases


class Fixtures:
    def __init__(self, bin_dir: Path, shared: Path):
        self.bin, self.shared = bin_dir, shared
        preset = (ROOT / "sim/presets/edge-small.yaml").read_text()
        tech = (ROOT / "sim/tech/generic-45nm.csv").resolve()
        self.arch = re.sub(r"technology: \S+", f"technology: {tech}", preset, count=1)
        (shared / "x.npy").write_bytes(npy_f32(8, 64))
        (shared / "y.npy").write_bytes(npy_f32(4, 32))
        subprocess.run([str(bin_dir / "nvfp4"), "quantize", str(shared / "x.npy"), "-o", str(shared / "q.npz")],
                       check=True, capture_output=True)

    def expand(self, command: str, scratch: Path) -> str:
        counter = [0]

        def write(name: str, text: str) -> str:
            counter[0] += 1
            p = scratch / name
            p.write_bytes(text.encode("latin-1"))  # \xNN escapes are bytes (a file that is not UTF-8 text)
            return str(p)

        def variant(base: str, spec: str, ext: str) -> str:
            text = {"arch": self.arch, "wl": WORKLOAD, "sweep": SWEEP}[base]
            if spec:
                old, new = (unescape(t) for t in spec.split("=>", 1))
                if old not in text:
                    raise ValueError(f"{{{base}|...}}: '{old}' does not occur in the base file")
                text = text.replace(old, new, 1)
            return write(f"{base}{counter[0]}.{ext}", text)

        def simple(m: re.Match) -> str:
            key = m.group(1)
            if key in ("nvfp4", "nvfp4sim"):
                return str(self.bin / key)
            if key == "inject":
                return str(self.bin / "nvfp4-inject")
            if key == "dse":
                return f"{sys.executable} -m nvfp4dse"
            if key in ("x", "y", "q"):
                return str(self.shared / {"x": "x.npy", "y": "y.npy", "q": "q.npz"}[key])
            if key == "out":
                return str(scratch / "out")
            return variant(key, "", {"arch": "yaml", "wl": "csv", "sweep": "yaml"}[key])

        def with_text(m: re.Match) -> str:
            key, spec = m.group(1), m.group(2)
            if key.startswith("file:"):
                return write(key[5:], unescape(spec))
            return variant(key, spec, {"arch": "yaml", "wl": "csv", "sweep": "yaml"}[key])

        # Plain placeholders first (they may sit inside a file's text), then {base|...} and {file:NAME|...}, whose
        # text runs to the first '}' followed by white space or the end of the command.
        command = re.sub(r"\{(nvfp4|nvfp4sim|inject|dse|x|y|q|out|arch|wl|sweep)\}", simple, command)
        command = re.sub(r"\{(arch|wl|sweep|file:[\w.]+)\|(.*?)\}(?=\s|$)", with_text, command)
        if re.search(r"\{(nvfp4|nvfp4sim|inject|dse|x|y|q|out|arch|wl|sweep|file:)", command):
            raise ValueError(f"unexpanded placeholder in: {command}")
        return command


def npy_f32(rows: int, cols: int) -> bytes:
    """A float32 .npy written by hand (no NumPy needed): values i/64 - 2."""
    import struct
    header = f"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}"
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    data = struct.pack(f"<{rows * cols}f", *[(i % 256) / 64.0 - 2.0 for i in range(rows * cols)])
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


def snapshot(*dirs: Path) -> dict:
    files = {}
    for d in dirs:
        for p in d.rglob("*"):
            st = p.lstat()
            files[str(p)] = (p.is_dir(), st.st_size, st.st_mtime_ns)
    return files


def run_case(case: Case, fx: Fixtures, work: Path) -> str | None:
    """None when the case holds, else what went wrong."""
    scratch = work / f"case{case.line_no}"
    scratch.mkdir()
    try:
        argv = shlex.split(fx.expand(case.command, scratch))
    except ValueError as e:
        return f"bad case: {e}"
    before = snapshot(scratch, fx.shared)
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'scripts'}:{ROOT}", PYTHONDONTWRITEBYTECODE="1")
    env.pop("NVFP4_MEMORY_BUDGET", None)
    t0 = time.monotonic()
    try:
        r = subprocess.run(argv, cwd=scratch, env=env, capture_output=True, text=True, timeout=TIMEOUT_S,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return f"hung: no answer within {TIMEOUT_S} s"
    secs = time.monotonic() - t0
    problems = []
    if r.returncode != case.status:
        problems.append(f"exit status {r.returncode}, expected {case.status}")
    if case.fragment not in r.stderr:
        problems.append(f"stderr lacks '{case.fragment}'")
    if case.status == 2:
        if not r.stderr.startswith("error: "):
            problems.append("stderr does not start with 'error: '")
        bad = [w for w in FORBIDDEN if w in r.stderr]
        if bad:
            problems.append(f"stderr shows {bad}")
        after = snapshot(scratch, fx.shared)
        added = sorted(set(after) - set(before))
        changed = sorted(p for p in before if p in after and after[p] != before[p] and not before[p][0])
        removed = sorted(set(before) - set(after))
        if added or changed or removed:
            problems.append(f"wrote: added {added}, changed {changed}, removed {removed}")
    if problems:
        return "; ".join(problems) + f"\n    command: {shlex.join(argv)}\n    stderr: {r.stderr.strip()[:600]}"
    if secs > 10:
        print(f"note: {case.name} took {secs:.1f} s", file=sys.stderr)
    return None


def main() -> int:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    bin_dir = Path(sys.argv[1]).resolve()
    only = sys.argv[2] if len(sys.argv) > 2 else ""
    cases = [c for c in read_cases(HERE / "cases.tsv") if only in c.name]
    work = Path(tempfile.mkdtemp(prefix="nvfp4-bad-input-"))
    try:
        shared = work / "fixtures"
        shared.mkdir()
        fx = Fixtures(bin_dir, shared)
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda c: (c, run_case(c, fx, work)), cases))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    failed = [(c, why) for c, why in results if why]
    for c, why in failed:
        print(f"FAIL {c.name} (cases.tsv:{c.line_no}): {why}")
    print(f"bad-input corpus: {len(cases) - len(failed)} of {len(cases)} cases hold")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
