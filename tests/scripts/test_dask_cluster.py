"""Sweeps on a real Dask scheduler with worker processes on 127.0.0.1: results do not depend on the worker count,
and a worker killed mid-sweep loses and duplicates no point."""
import os
import signal
import time

from conftest import cli, store_rows, write_sweep

PARAMS = {"voltage": [0.9, 1.0, 1.1, 1.15, 1.25, 1.6], "ecc": ["none", "sign-exp-scale"]}


def test_results_identical_with_one_local_and_two_remote_workers(tmp_path, loopback_cluster):
    sweep = write_sweep(tmp_path / "s.yaml", parameters=PARAMS)
    one = tmp_path / "one.sqlite"
    r1 = cli("run", sweep, "--store", one, "--workers", "1", "--no-progress")
    assert r1.returncode == 0, r1.stderr
    cluster = loopback_cluster(2)
    two = tmp_path / "two.sqlite"
    r2 = cli("run", sweep, "--store", two, "--scheduler", cluster.address, "--no-progress")
    assert r2.returncode == 0, r2.stderr
    a, b = store_rows(one), store_rows(two)
    assert len(a) == 12 and a.keys() == b.keys()
    for k in a:
        diff = sorted(m for m in a[k][1] if a[k][1][m] != b[k][1].get(m))
        assert not diff, f"point {a[k][0]}: {diff[0]} = {a[k][1][diff[0]]!r} (1 worker) vs {b[k][1].get(diff[0])!r}"


def test_worker_killed_mid_sweep_loses_nothing(tmp_path, loopback_cluster):
    import subprocess
    import sys
    from conftest import ENV, ROOT
    sweep = write_sweep(tmp_path / "s.yaml", parameters=PARAMS)
    cluster = loopback_cluster(2, {"NVFP4DSE_TEST_DELAY_S": "0.5"})  # ~3 s of work per worker: a kill lands mid-sweep
    store = tmp_path / "kill.sqlite"
    proc = subprocess.Popen([sys.executable, "-m", "nvfp4dse", "run", str(sweep), "--store", str(store),
                             "--scheduler", cluster.address, "--no-progress"], env=ENV, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not (store.exists() and len(store_rows(store)) >= 2):
        time.sleep(0.05)
    victim = cluster.workers[0]
    os.killpg(victim.pid, signal.SIGKILL)  # the worker dies with whatever task it was running
    killed_at = len(store_rows(store))
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err
    assert killed_at < 12, "the sweep finished before the kill; the test needs a mid-sweep kill"
    rows = store_rows(store)
    assert len(rows) == 12, f"{len(rows)} of 12 points stored after a worker was killed"
    reference = tmp_path / "ref.sqlite"
    assert cli("run", sweep, "--store", reference, "--workers", "1", "--no-progress").returncode == 0
    ref = store_rows(reference)
    assert all(rows[k][1] == ref[k][1] for k in ref)
