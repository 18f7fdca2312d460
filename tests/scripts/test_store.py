"""The results store: one row per point, written once; reruns skip; a killed run keeps whole rows only."""
import signal
import subprocess
import sys
import time

from conftest import ENV, ROOT, cli, store_rows, write_sweep
from nvfp4dse.store import ResultStore, StoreError, point_key


def test_insert_once_keeps_the_first_result(tmp_path):
    with ResultStore(tmp_path / "s.sqlite") as s:
        p = {"voltage": 0.6, "ecc": "none"}
        assert s.insert(p, {"energy_uj": 1.0}, 0.1) is True
        assert s.insert(dict(reversed(list(p.items()))), {"energy_uj": 2.0}, 0.1) is False  # same key, any order
        assert s.count() == 1 and s.rows()[0]["energy_uj"] == 1.0
        assert point_key(p) != point_key({"voltage": 0.65, "ecc": "none"})


def test_store_refuses_another_sweep_definition(tmp_path):
    with ResultStore(tmp_path / "s.sqlite") as s:
        s.bind_sweep("aaaa")
        try:
            s.bind_sweep("bbbb")
            raise AssertionError("a store bound to one sweep accepted another")
        except StoreError as e:
            assert "different sweep" in str(e)


def test_rerun_skips_finished_points(tmp_path):
    sweep, store = write_sweep(tmp_path / "s.yaml"), tmp_path / "r.sqlite"
    first = cli("run", sweep, "--store", store, "--workers", "1", "--no-progress")
    assert first.returncode == 0, first.stderr
    assert "6 points: 0 already stored, 6 computed" in first.stdout
    rows = store_rows(store)
    assert len(rows) == 6
    assert len({m["sqnr_mean_db"] for _, m in rows.values()}) > 1  # faults at 0.5 V change the result
    again = cli("run", sweep, "--store", store, "--workers", "1", "--no-progress")
    assert again.returncode == 0 and "6 already stored, 0 computed" in again.stdout
    assert store_rows(store) == rows


def test_killed_run_loses_and_duplicates_nothing(tmp_path):
    """SIGKILL the whole sweep (client and its local cluster) mid-run, rerun, compare with an uninterrupted run."""
    params = {"voltage": [0.9, 1.0, 1.1, 1.15, 1.25, 1.6], "ecc": ["none", "sign-exp-scale/mixed-voltage"]}
    sweep = write_sweep(tmp_path / "s.yaml", parameters=params)
    store = tmp_path / "killed.sqlite"
    slow = dict(ENV, NVFP4DSE_TEST_DELAY_S="0.4")  # ~5 s for the sweep: room for a kill in the middle
    proc = subprocess.Popen([sys.executable, "-m", "nvfp4dse", "run", str(sweep), "--store", str(store),
                             "--workers", "1", "--no-progress"], env=slow, cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        if store.exists() and 2 <= len(store_rows(store)) < 12:
            break
        time.sleep(0.05)
    import os
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = store_rows(store)
    assert 0 < len(partial) < 12, f"kill landed after {len(partial)} points; the test needs a mid-run kill"
    resumed = cli("run", sweep, "--store", store, "--workers", "1", "--no-progress")
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(partial)} already stored" in resumed.stdout
    full = tmp_path / "full.sqlite"
    assert cli("run", sweep, "--store", full, "--workers", "1", "--no-progress").returncode == 0
    after, reference = store_rows(store), store_rows(full)
    assert len(after) == 12 and after.keys() == reference.keys()
    for k in reference:  # the metrics of every point equal those of the uninterrupted run
        assert after[k][1] == reference[k][1], f"point {after[k][0]} differs after the resumed run"
