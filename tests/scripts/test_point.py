"""One model: a point's record (the simulator run in the worker's process, SimPoint.run_summary) equals `nvfp4sim run`
on the architecture file `nvfp4-dse point --emit-arch` writes (every summary.json field but the run's file names:
equal JSON values), and the accuracy chain's fault counts on real
tensors equal the simulator's on the same tensors and seed."""
import csv
import json
import subprocess

import numpy as np
import pytest
import yaml

from conftest import ROOT, cli
from nvfp4dse.simulator import HOST_FIELDS, find_simulator

POINTS = [  # several regimes: faults with full SECDED, another dataflow and array, mixed voltage with fp8 weights,
    ["voltage=1.0", "ecc=full"],  # fixed-point accumulation with full-LUT multipliers
    ["architecture.array.dataflow=ws", "array=8x8", "voltage=1.1", "ecc=sign-exp-scale"],
    ["voltage=0.9", "ecc=sign-exp-scale/mixed-voltage", "architecture.array.weight_format=fp8"],
    ["architecture.array.accumulator=fixed:32:16", "architecture.array.multiplier=full-lut", "voltage=0.9"],
]
SAME = ("energy_pj", "energy_per_inference_uj", "area_um2", "cycles", "compute_cycles", "stall_cycles", "time_us",
        "faults", "sqnr_db_mean", "sqnr_db_min", "nonfinite_outputs", "macs")


def nvfp4sim(arch, workload, out, *extra):
    r = subprocess.run([str(find_simulator()), "run", "--arch", str(arch), "--workload", str(workload), "--out",
                        str(out), "--quiet", *extra], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return out


@pytest.mark.parametrize("settings", POINTS, ids=lambda s: ",".join(s))
def test_record_equals_nvfp4sim_on_the_emitted_arch(settings, tmp_path):
    arch = tmp_path / "point.yaml"
    r = cli("point", *sum((["--set", s] for s in settings), []), "--workload", "fmnist_cnn", "--json",
            "--emit-arch", arch)
    assert r.returncode == 0, r.stderr
    record = json.loads(r.stdout)
    doc = yaml.safe_load(arch.read_text())
    for s in settings:  # the emitted file holds the settings (presets expanded)
        key, value = s.split("=")
        if key.startswith("architecture."):
            node = doc
            for part in key.split("."):
                node = node[part]
            assert str(node) == value
    out = nvfp4sim(arch, ROOT / "workloads" / "tables" / "fmnist_cnn.csv", tmp_path / "out")
    summary = json.loads((out / "summary.json").read_text())
    for k in SAME:
        assert record["sim"][k] == summary[k], f"{k}: record {record['sim'][k]} vs nvfp4sim {summary[k]}"
    # The record is the in-process run (SimPoint.run_summary); every field of nvfp4sim's summary.json but the file
    # names of this run is the same JSON value.
    cli_summary = {k: v for k, v in summary.items() if k not in HOST_FIELDS}
    assert set(record["sim"]) == set(cli_summary), set(record["sim"]) ^ set(cli_summary)
    for k in cli_summary:
        assert record["sim"][k] == cli_summary[k], f"{k}: in-process {record['sim'][k]} vs nvfp4sim {cli_summary[k]}"
    assert record["energy_uj"] == summary["energy_per_inference_uj"] and record["cycles"] == summary["cycles"]
    assert summary["faults"]["bits_stored"] > 0 and summary["energy_pj"]["total"] > 0


def test_emitted_faults_are_not_trivial(tmp_path):
    """At 0.5 V without ECC the simulator's faults are on and the record carries them (the equality above is not
    between two zero counts only)."""
    r = cli("point", "--set", "voltage=0.9", "--set", "ecc=none", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["sim"]["faults"]["raw_bit_errors"] > 100


@pytest.mark.parametrize("ecc", ["full", "sign-exp-scale/mixed-voltage", "none"])
def test_accuracy_fault_counts_equal_the_simulator_on_the_same_tensors(ecc, tmp_path):
    """The MiniLM layers through the sweep's accuracy chain and through nvfp4sim (a workload naming the same .npy
    tensors, the point's emitted architecture): equal raw / corrected / DUE / silent bit counts."""
    r = cli("point", "--set", "voltage=0.9", "--set", f"ecc={ecc}", "--accuracy", "minilm_l6", "--seed", "5",
            "--json", "--emit-arch", tmp_path / "arch.yaml")
    assert r.returncode == 0, r.stderr
    record = json.loads(r.stdout)
    tensors = ROOT / "workloads" / "tensors" / "minilm_l6"
    layers = json.loads((tensors / "manifest.json").read_text())["layers"]
    with open(tmp_path / "minilm.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "type", "M", "N", "K", "activations", "weights"])
        for l in layers:
            w.writerow([l["name"], "gemm", l["M"], l["N"], l["K"], tensors / l["act"], tensors / l["weight"]])
    out = nvfp4sim(tmp_path / "arch.yaml", tmp_path / "minilm.csv", tmp_path / "out", "--save-outputs")
    summary = json.loads((out / "summary.json").read_text())
    sim = summary["faults"]
    for k in ("bits_stored", "raw_bit_errors", "corrected_bits", "due_bits", "silent_bit_errors"):
        assert record[f"fault_{k}"] == sim[k], f"{k}: accuracy chain {record[f'fault_{k}']} vs nvfp4sim {sim[k]}"
    assert sim["raw_bit_errors"] > 100
    if ecc == "full":
        assert sim["corrected_bits"] > 0 and sim["silent_bit_errors"] > 0
    # The chain's layer outputs are the simulator's, bit for bit (same read-back operands, same golden GEMM).
    from nvfp4dse import accuracy, native
    text = (tmp_path / "arch.yaml").read_text()
    chain = accuracy.Chain(native.sim_point(text, "arch.yaml", str(tmp_path)))
    for i, (name, a, w) in enumerate(accuracy.load_set("minilm_l6")):
        got, _ = chain.gemm(i, a, ("test", name, "a"), w, ("test", name, "w"))
        want = np.load(out / "outputs" / f"{i:03d}_{name}.npy")
        bad = np.flatnonzero(got.view(np.uint32) != want.view(np.uint32))
        assert bad.size == 0, f"{name}: {bad.size} outputs differ, first at {bad[0]}: {got.flat[bad[0]]} vs {want.flat[bad[0]]}"
        assert np.count_nonzero(got) > got.size // 2
    assert chain.counts == {k: sim[k] for k in accuracy.FIELDS}


def test_simulator_runs_through_a_zygote_that_holds_nothing_of_the_caller():
    """sim/run/child_run.hpp: the runs are forked by a zygote process that keeps no descriptor of the caller but its
    socket (a dead Dask worker's connections must close), a killed zygote is started again with the same summary, and
    a refusal in the run comes back as the simulator's error."""
    import os
    import signal
    import time
    from nvfp4dse import native
    from nvfp4dse.evaluate import arch_text
    from nvfp4dse.space import load_sweep
    point = load_sweep(ROOT / "scripts" / "sweeps" / "voltage_ecc.yaml").points()[0]
    sp = native.sim_point(arch_text(point), "zygote test", str(ROOT))
    table = str(ROOT / "workloads" / "tables" / "fmnist_cnn.csv")
    held = os.open(os.devnull, os.O_RDONLY)  # a descriptor of the caller's, open when the zygote starts
    first = json.loads(sp.run_summary(table))
    kids = subprocess.run(["pgrep", "-P", str(os.getpid())], capture_output=True, text=True).stdout.split()
    assert len(kids) == 1, kids  # the zygote, and no run left behind
    fds = sorted(int(f) for f in os.listdir(f"/proc/{kids[0]}/fd"))
    assert held not in fds and len([f for f in fds if f > 2]) == 1, fds
    os.close(held)
    os.kill(int(kids[0]), signal.SIGKILL)
    time.sleep(0.2)
    again = json.loads(sp.run_summary(table))
    assert {k: v for k, v in again.items() if k not in HOST_FIELDS} == \
        {k: v for k, v in first.items() if k not in HOST_FIELDS}
    assert first["faults"]["raw_bit_errors"] > 0
    with pytest.raises(native.Error, match="cannot read the workload file"):
        sp.run_summary(str(ROOT / "no-such-table.csv"))
