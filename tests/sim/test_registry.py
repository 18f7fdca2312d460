#!/usr/bin/env python3
"""registry_committed: the committed registry copies equal what the C++ registries print, byte for byte:
docs/registry.json == `nvfp4sim registry --json` (read by rtl_models/registry_params.py, hence lint.sh and
synth/run_all.sh, and by the Python package) and docs/registry.md == `nvfp4sim registry --markdown` (the docs tables).
Also: a config using every multiplier variant of the JSON is accepted by nvfp4sim's config validation, and the
simulator prices it or says plainly that the technology table lacks the row. Usage: test_registry.py PATH/TO/nvfp4sim.
Exit 1 naming the first difference; regenerate with the commands in docs/DEVELOPING.md, "Registries".
"""
import difflib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PRESET = os.path.join(ROOT, "sim", "presets", "edge-small.yaml")
TINY = os.path.join(ROOT, "sim", "examples", "tiny.csv")


def main(exe):
    failed = False
    for flag, rel in (("--json", "docs/registry.json"), ("--markdown", "docs/registry.md")):
        r = subprocess.run([exe, "registry", flag], capture_output=True, text=True, check=True)
        with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
            committed = f.read()
        if r.stdout != committed:
            diff = "".join(list(difflib.unified_diff(committed.splitlines(True), r.stdout.splitlines(True), rel,
                                                     f"nvfp4sim registry {flag}"))[:40])
            print(f"FAIL: {rel} differs from `nvfp4sim registry {flag}` (regenerate it):\n{diff}")
            failed = True
    reg = json.loads(subprocess.run([exe, "registry", "--json"], capture_output=True, text=True, check=True).stdout)
    if len(reg["multiplier_variants"]) < 13 or not reg["ecc_layouts"] or not reg["dataflows"]:
        print("FAIL: the registry dump is missing entries")
        failed = True
    with open(PRESET, encoding="utf-8") as f:
        preset = f.read()
    with tempfile.TemporaryDirectory() as tmp:
        for v in reg["multiplier_variants"]:
            arch = os.path.join(tmp, "arch.yaml")
            text = preset.replace("multiplier: mantissa-lut", f"multiplier: {v['style']}")
            text = text.replace("weight_format: nvfp4", f"weight_format: {v['scheme']}")
            text = text.replace("technology: ../tech/", f"technology: {ROOT}/sim/tech/")
            with open(arch, "w", encoding="utf-8") as f:
                f.write(text)
            r = subprocess.run([exe, "run", "--arch", arch, "--workload", TINY, "--out", os.path.join(tmp, "o"),
                                "--quiet"], capture_output=True, text=True)
            priced = r.returncode == 0
            clear = r.returncode == 2 and "cannot price this design" in r.stderr and v["technology_variant"] in r.stderr
            if not (priced or clear):
                print(f"FAIL: {v['style']} with {v['scheme']} weights: rc {r.returncode}: {r.stderr.strip()}")
                failed = True
    print("registry: committed copies match; every variant priced or refused with a clear message"
          if not failed else "registry: FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
