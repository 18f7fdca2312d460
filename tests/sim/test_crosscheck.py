"""scripts/crosscheck end to end on a small workload without a GPU (levels golden, engine, RTL), with SRAM faults on,
under fp32-seq and fixed:32:16; a wrong LUT entry in the datapath model (NVFP4_TEST_MUTATE_LUT) makes it fail and
name the layer and element, and so does a wrong table lookup in the RTL lanes (NVFP4_TEST_MUTATE_RTL, the RTL level
alone); and the fixed-accumulator example stays the preset with one key changed."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("NVFP4_BUILD_DIR", ROOT / "build"))
TINY = ROOT / "sim" / "examples" / "tiny.csv"


def crosscheck(tmp_path, arch, env=None):
    e = dict(os.environ, NVFP4_BUILD_DIR=str(BUILD))
    e.update(env or {})
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "crosscheck"), str(TINY), str(arch),
                           "--out", str(tmp_path / "x"), "--rtl-sample", "48"],
                          capture_output=True, text=True, env=e, timeout=240)


@pytest.mark.parametrize("arch", ["presets/edge-small.yaml", "examples/edge-small-fixed.yaml"])
def test_every_level_agrees(tmp_path, arch):
    r = crosscheck(tmp_path, ROOT / "sim" / arch)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    for name in ("proj", "conv_a", "conv_b", "odd_k"):
        row = next(l for l in lines if l.startswith(name + " "))
        assert "simulator=engine=golden=rtl" in row and row.endswith("PASS"), row
    assert any(l.startswith("gpu: SKIP") for l in lines) or "GPU:" in r.stdout
    assert "RTL cycles" in r.stdout
    # faults were on: the stored operands differ from a fault-free quantization (the summary counts them)
    summary = (tmp_path / "x" / "sim" / "summary.json").read_text()
    assert '"faults"' in summary


def test_a_wrong_lut_entry_fails(tmp_path):
    # activation 1.0 (code 0x2) x weight 1.0 (code 0x2): a frequent product, one LSB too large
    r = crosscheck(tmp_path, ROOT / "sim" / "presets" / "edge-small.yaml", {"NVFP4_TEST_MUTATE_LUT": "2,2"})
    assert r.returncode == 1, r.stdout + r.stderr
    assert "MISMATCH" in r.stdout and "engine: MISMATCH [" in r.stdout and "golden: " in r.stdout, r.stdout
    assert r.stdout.rstrip().splitlines()[-1].startswith("FAIL:")


def test_a_wrong_rtl_lookup_fails(tmp_path):
    # the RTL level is nvfp4sim --datapath rtl: a wrong table lookup in the RTL lanes fails it alone
    r = crosscheck(tmp_path, ROOT / "sim" / "presets" / "edge-small.yaml", {"NVFP4_TEST_MUTATE_RTL": "2,2"})
    assert r.returncode == 1, r.stdout + r.stderr
    assert "rtl: MISMATCH [" in r.stdout and "engine: " not in r.stdout and "golden: " not in r.stdout, r.stdout
    assert r.stdout.rstrip().splitlines()[-1].startswith("FAIL:")


def test_fixed_example_is_the_preset_with_one_key_changed():
    a = (ROOT / "sim" / "presets" / "edge-small.yaml").read_text().splitlines()
    b = (ROOT / "sim" / "examples" / "edge-small-fixed.yaml").read_text().splitlines()
    body = lambda ls: [l for l in ls if not l.startswith("#") and "name:" not in l and "accumulator:" not in l]
    assert body(a) == body(b)
    assert any("accumulator: fixed:32:16" in l for l in b)
