"""nvfp4sim run --datapath rtl (docs/sim.md, "Datapath in the loop"): the Verilated dot engines driven by the
simulator's folds agree with the golden GEMM bit for bit under fp32-seq and fixed:32:16 with SRAM faults on; the
measured cycles equal the cycle model on full folds (RTL latency 3 = P - 1 of the edge-small preset) and partial folds
differ by exactly the skew the model charges for idle engines; a wrong table lookup in the RTL lanes
(NVFP4_TEST_MUTATE_RTL) makes the run exit 1 naming the element and both values; bad options are refused before work."""
import csv
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("NVFP4_BUILD_DIR", ROOT / "build"))
SIM = BUILD / "bin" / "nvfp4sim"
TINY = ROOT / "sim" / "examples" / "tiny.csv"
SMALL = ROOT / "sim" / "presets" / "edge-small.yaml"


def nvfp4sim(out, *args, arch=SMALL, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([str(SIM), "run", "--arch", str(arch), "--workload", str(TINY), "--out", str(out),
                           "--quiet", *args], capture_output=True, text=True, env=e, timeout=120)


@pytest.mark.parametrize("arch", [SMALL, ROOT / "sim" / "examples" / "edge-small-fixed.yaml"])
def test_rtl_equals_golden_and_cycles_are_explained(tmp_path, arch):
    r = nvfp4sim(tmp_path, "--datapath", "rtl", "--rtl-sample", "100", arch=arch)
    assert r.returncode == 0, r.stderr
    rtl = json.loads((tmp_path / "summary.json").read_text())["rtl"]
    assert rtl["failures"] == 0 and rtl["model_latency"] == 3
    assert ("fp32-seq" if arch == SMALL else "fixed:32:16") in rtl["engine"]
    rows = {l["name"]: l for l in rtl["layers"]}
    assert sorted(rows) == ["conv_a", "conv_b", "odd_k", "proj"]
    for l in rows.values():
        assert l["equal"] and l["mismatches"] == 0 and l["folds_checked"] == l["folds"]  # every fold: 100 >= folds
        assert l["bits_compared"] == 32 * l["outputs"] > 0
        assert l["rtl_latency"] == 3 and l["cycles_explained"]
        assert l["rtl_cycles"] - l["model_cycles"] == -l["edge_cycles"]
    # proj (24 x 20 on 4 x 4): every fold full, so the RTL's cycles are the model's exactly
    assert rows["proj"]["edge_cycles"] == 0 and rows["proj"]["rtl_cycles"] == rows["proj"]["model_cycles"]
    # odd_k (7 x 9): partial folds, the model charges the idle engines' skew
    assert rows["odd_k"]["edge_cycles"] > 0
    outputs = {l["name"]: l["outputs"] for l in rows.values()}
    with open(tmp_path / "layers.csv") as f:
        for row in csv.DictReader(f):
            assert outputs[row["name"]] == int(row["M"]) * int(row["N"])  # every output of every layer compared


def test_sample_and_layers_select_folds(tmp_path):
    r = nvfp4sim(tmp_path, "--datapath", "rtl", "--rtl-layers", "conv_a,odd_k", "--rtl-sample", "3")
    assert r.returncode == 0, r.stderr
    with open(tmp_path / "rtl.csv") as f:
        rows = list(csv.DictReader(f))
    assert [r["name"] for r in rows] == ["conv_a", "odd_k"]
    assert all(int(r["folds_checked"]) == 3 and r["result"] == "equal" for r in rows)


def test_a_wrong_rtl_lookup_fails(tmp_path):
    # activation 1.0 (code 0x2) x weight 1.0 (code 0x2): the lane is fed weight 1.5 instead
    r = nvfp4sim(tmp_path, "--datapath", "rtl", env={"NVFP4_TEST_MUTATE_RTL": "2,2"})
    assert r.returncode == 1, r.stdout + r.stderr
    assert "RTL MISMATCH" in r.stderr
    rtl = json.loads((tmp_path / "summary.json").read_text())["rtl"]
    bad = [l for l in rtl["layers"] if l["mismatches"]]
    assert bad and rtl["failures"] >= len(bad)
    assert "rtl 0x" in bad[0]["first_mismatch"] and "golden 0x" in bad[0]["first_mismatch"]


@pytest.mark.parametrize("args,message", [
    (["--datapath", "rtl", "--rtl-layers", "nope"], "no layer 'nope' in the workload"),
    (["--datapath", "rtl", "--rtl-sample", "0"], "--rtl-sample: '0' is not an integer >= 1"),
    (["--rtl-sample", "2"], "--rtl-sample needs --datapath rtl"),
    (["--datapath", "rtl", "--rtl-layers", "proj,"], "empty layer name"),
])
def test_bad_options_are_refused_before_work(tmp_path, args, message):
    r = nvfp4sim(tmp_path / "out", *args)
    assert r.returncode == 2 and message in r.stderr and "error: " in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


def test_a_design_the_rtl_cannot_run_is_refused(tmp_path):
    arch = tmp_path / "ws.yaml"
    text = SMALL.read_text().replace("dataflow: os", "dataflow: ws").replace("../tech/", str(ROOT / "sim" / "tech") + "/")
    arch.write_text(text)
    r = nvfp4sim(tmp_path / "out", "--datapath", "rtl", arch=arch)
    assert r.returncode == 2 and "error: --datapath rtl:" in r.stderr and "use dataflow os" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


def test_replay_tool_uses_the_same_driver(tmp_path):
    # nvfp4-rtl-replay streams a replay set's dot products back to back through one engine (the same driver):
    # equal to the simulator's outputs, dots x ceil(K / 16) + 3 cycles; the RTL mutant makes it exit 1
    r = nvfp4sim(tmp_path / "sim", "--save-operands")
    assert r.returncode == 0, r.stderr
    replay = [str(BUILD / "bin" / "nvfp4-rtl-replay"), str(tmp_path / "sim"), "--sample", "30"]
    r = subprocess.run(replay, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    with open(tmp_path / "sim" / "operands" / "manifest.csv") as f:
        k = {m["name"]: int(m["K"]) for m in csv.DictReader(l for l in f if not l.startswith("#"))}
    for row in csv.DictReader(r.stdout.splitlines()):
        assert row["result"] == "equal" and int(row["outputs"]) == 30
        assert int(row["rtl_cycles"]) == 30 * -(-k[row["name"]] // 16) + 3
    e = dict(os.environ, NVFP4_TEST_MUTATE_RTL="2,2")
    r = subprocess.run(replay, capture_output=True, text=True, timeout=60, env=e)
    assert r.returncode == 1 and "MISMATCH" in r.stdout, r.stdout + r.stderr


def test_another_pipeline_depth_is_explained_per_fold(tmp_path):
    # P = 5: the model's P - 1 = 4 is one more than the RTL's latency 3, so every checked fold differs by -1 on top of
    # the partial folds' skew, and the report says so (and still passes: the difference is explained)
    arch = tmp_path / "p5.yaml"
    arch.write_text(SMALL.read_text().replace("pipeline_depth: 4", "pipeline_depth: 5")
                    .replace("../tech/", str(ROOT / "sim" / "tech") + "/"))
    r = nvfp4sim(tmp_path / "out", "--datapath", "rtl", arch=arch)
    assert r.returncode == 0, r.stderr
    rtl = json.loads((tmp_path / "out" / "summary.json").read_text())["rtl"]
    assert rtl["model_latency"] == 4
    for l in rtl["layers"]:
        assert l["rtl_latency"] == 3 and l["cycles_explained"]
        assert l["rtl_cycles"] - l["model_cycles"] == -l["folds_checked"] - l["edge_cycles"]
        assert "(-1 per fold)" in l["cycle_difference"]
