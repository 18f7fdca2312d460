"""A local run's workers (scripts/nvfp4dse/local_workers.py): a worker that dies takes only its own point with it, the
point runs again on a new worker and is stored once; a point that kills every worker it runs on is reported after
ALLOWED_FAILURES deaths while the others finish; the workers hold the simulator's heap policy."""
import os
import signal
import subprocess
import sys
import time

from conftest import ENV, ROOT, cli, store_rows, write_sweep
from nvfp4dse.local_workers import ALLOWED_FAILURES, ForkedWorkers, WorkerLost


def _die_first_time(marker: str, value: int) -> tuple[int, int]:
    """Kills its worker on the first call (the marker file does not exist yet), returns on the next."""
    if not os.path.exists(marker):
        open(marker, "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    return value, os.getpid()


def _always_die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _square(x: int) -> tuple[int, int]:
    time.sleep(0.05)
    return x * x, os.getpid()


def test_a_point_whose_worker_dies_runs_again_on_a_new_worker(tmp_path):
    marker = str(tmp_path / "died")
    pool = ForkedWorkers(2)
    try:
        victim = pool.submit(_die_first_time, marker, 7)
        others = [pool.submit(_square, i) for i in range(6)]
        value, pid = victim.result(timeout=60)
        assert value == 7 and os.path.exists(marker), "the point did not run again after its worker died"
        assert [f.result(timeout=60)[0] for f in others] == [i * i for i in range(6)]
    finally:
        pool.shutdown()


def test_a_point_that_kills_every_worker_fails_after_the_allowed_deaths(tmp_path):
    pool = ForkedWorkers(2)
    try:
        doomed = pool.submit(_always_die)
        others = [pool.submit(_square, i) for i in range(4)]
        try:
            doomed.result(timeout=120)
            raise AssertionError("a point that kills its worker every time was reported as finished")
        except WorkerLost as e:
            assert f"died {ALLOWED_FAILURES + 1} times" in str(e), e
        assert [f.result(timeout=60)[0] for f in others] == [0, 1, 4, 9]  # the other points are not charged
    finally:
        pool.shutdown()


def _heap_policy_seen(megabytes: int) -> tuple[int, bool]:
    """(bytes glibc holds in blocks mmap'd on their own after a NumPy allocation of `megabytes`, whether NumPy still
    asks for huge pages), in the calling process."""
    import ctypes
    import numpy as np

    class Mallinfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in
                    ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                     "keepcost")]
    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = Mallinfo2
    block = np.ones(megabytes << 20, np.uint8)
    held = libc.mallinfo2().hblkhd
    del block
    return held, bool(np._core.multiarray._get_madvise_hugepage())


def test_local_workers_hold_the_simulators_heap_policy():
    """The workers run with the simulator's heap policy (sim/run/heap_policy.hpp; applied by importing evaluate, as
    the runner does) and NumPy's huge pages off (native.py says why): a 64 MB array comes from the heap, not from a
    block mmap'd on its own per array (glibc's default for that size), and NumPy does not madvise huge pages. A forked
    worker inherits both from the parent; the test fails if it does not. The policy's environment form (for workers
    started elsewhere, `--scheduler`) names each variable from its owner."""
    import platform
    from nvfp4dse import native
    policy = native.keep_freed_memory_environment()
    assert policy.get("NUMPY_MADVISE_HUGEPAGE") == "0", policy
    if platform.libc_ver()[0] != "glibc":
        assert policy == {"NUMPY_MADVISE_HUGEPAGE": "0"}
        return
    assert policy.get("MALLOC_ARENA_MAX") == "1" and policy.get("MALLOC_MMAP_MAX_") == "0", policy
    import nvfp4dse.evaluate  # noqa: F401
    pool = ForkedWorkers(1)
    try:
        held, hugepages = pool.submit(_heap_policy_seen, 64).result(timeout=60)
    finally:
        pool.shutdown()
    assert held < 64 << 20, "the worker mmap'd a 64 MB array on its own: no heap policy"
    assert not hugepages, "NumPy still asks for huge pages in the worker"


def _children(pid: int) -> list[int]:
    kids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        kids.append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    return kids


def test_worker_killed_mid_point_the_point_is_retried_and_stored_once(tmp_path):
    """`nvfp4-dse run --workers 2`: SIGKILL one local worker while it runs a point; the run still exits 0 with every
    point stored once and the same records as an uninterrupted run."""
    params = {"voltage": [0.9, 1.0, 1.1, 1.15, 1.25, 1.6], "ecc": ["none", "sign-exp-scale"]}
    sweep = write_sweep(tmp_path / "s.yaml", parameters=params)
    store = tmp_path / "kill.sqlite"
    slow = dict(ENV, NVFP4DSE_TEST_DELAY_S="0.5")  # every point sleeps 0.5 s at its end: a kill lands mid-point
    proc = subprocess.Popen([sys.executable, "-m", "nvfp4dse", "run", str(sweep), "--store", str(store),
                             "--workers", "2", "--no-progress"], env=slow, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not (store.exists() and len(store_rows(store)) >= 2):
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert workers, "no worker process found under the run"
    os.kill(workers[0], signal.SIGKILL)
    killed_at = len(store_rows(store))
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err
    assert killed_at < 12, "the sweep finished before the kill; the test needs a mid-sweep kill"
    assert "12 points: 0 already stored, 12 computed, 0 failed" in out, out
    rows = store_rows(store)
    assert len(rows) == 12
    reference = tmp_path / "ref.sqlite"
    assert cli("run", sweep, "--store", reference, "--workers", "1", "--no-progress").returncode == 0
    ref = store_rows(reference)
    assert all(rows[k][1] == ref[k][1] for k in ref)


def test_costs_computed_ahead_give_the_same_records(tmp_path):
    """With two or more workers the warm-up computes the points' cost (the simulator's run) in a process of its own
    (warm_up.py), the first point of each worker last; each cost lands on its own point (the voltages differ, so a
    cost handed to another point shows), and a point handed its cost gives the record it gives when it computes it
    itself; with one worker nothing is computed ahead."""
    from nvfp4dse import evaluate, warm_up
    from nvfp4dse.space import load_sweep
    points = load_sweep(write_sweep(tmp_path / "s.yaml", parameters={"voltage": [0.9, 1.0, 1.6], "ecc": ["none"]})
                        ).points()
    ahead = warm_up.start(points, None, 2).costs(wait=True)
    assert len(ahead) == 3 and all(c is not None for c in ahead), "a cost was not computed ahead"
    own = [evaluate.cost(p)[0] for p in points]
    assert len({str(c) for c in own}) == 3  # three different costs: a misplaced one cannot pass
    assert [c[0] for c in ahead] == own, "a cost computed ahead was handed to another point"
    assert evaluate.evaluate_point(points[0], ahead[0])[0] == evaluate.evaluate_point(points[0])[0]
    assert warm_up.start(points, None, 1).costs() == []


def test_ctrl_c_ends_the_workers_and_keeps_the_finished_points(tmp_path):
    """SIGINT to the run's process group (Ctrl-C in a terminal) mid-sweep: exit status 130 with a one-line message, no
    traceback, no process of the run left, the finished points stored; the same command then computes the rest."""
    params = {"voltage": [0.9, 1.0, 1.1, 1.15, 1.25, 1.6], "ecc": ["none", "sign-exp-scale"]}
    sweep = write_sweep(tmp_path / "s.yaml", parameters=params)
    store = tmp_path / "int.sqlite"
    slow = dict(ENV, NVFP4DSE_TEST_DELAY_S="0.5")
    proc = subprocess.Popen([sys.executable, "-m", "nvfp4dse", "run", str(sweep), "--store", str(store),
                             "--workers", "2", "--no-progress"], env=slow, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and not (store.exists() and len(store_rows(store)) >= 2):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (proc.returncode, err)
    assert "interrupted" in err and "Traceback" not in err, err
    time.sleep(1.5)  # a worker left behind would still be in the group
    left = [int(d) for d in os.listdir("/proc") if d.isdigit() and _group_of(int(d)) == proc.pid]
    assert not left, f"processes of the interrupted run still alive: {left}"
    stored = len(store_rows(store))
    assert 2 <= stored < 12
    again = cli("run", sweep, "--store", store, "--workers", "2", "--no-progress")
    assert again.returncode == 0 and f"{stored} already stored, {12 - stored} computed" in again.stdout


def _group_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[2]) if fields[0] != "Z" else None  # zombies hold nothing
    except (OSError, IndexError, ValueError):
        return None


class _RefusedFork(OSError):
    pass


def test_a_worker_the_system_refuses_is_a_clear_error_and_leaves_no_worker_behind(monkeypatch):
    """fork failing (EAGAIN at the process limit, ENOMEM) on the second worker: WorkerStartError naming the worker and
    the system's reason; the worker already started is ended, not left running."""
    import multiprocessing.context
    from nvfp4dse.local_workers import WorkerStartError
    started = []
    real_start = multiprocessing.context.ForkProcess.start

    def start(self):
        if started:
            raise _RefusedFork(11, "Resource temporarily unavailable")
        real_start(self)
        started.append(self)

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", start)
    try:
        ForkedWorkers(2)
        raise AssertionError("a refused fork went unnoticed")
    except WorkerStartError as e:
        assert "local worker 2 of 2" in str(e) and "Resource temporarily unavailable" in str(e), e
    started[0].join(timeout=10)
    assert not started[0].is_alive(), "the worker started before the refused one is still running"


def test_a_dead_worker_that_cannot_be_replaced_fails_its_point_instead_of_hanging(tmp_path, monkeypatch):
    """A worker dies and the system refuses its replacement: the point fails with WorkerLost (a bounded wait), the
    pool still answers the next call once a process can be started again."""
    import multiprocessing.context
    refuse = {"on": False}
    real_start = multiprocessing.context.ForkProcess.start

    def start(self):
        if refuse["on"]:
            raise _RefusedFork(12, "Cannot allocate memory")
        real_start(self)

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", start)
    pool = ForkedWorkers(1)
    try:
        refuse["on"] = True
        doomed = pool.submit(_always_die)
        try:
            doomed.result(timeout=60)
            raise AssertionError("a point whose worker could not be replaced was reported as finished")
        except WorkerLost as e:
            assert "no new one could be started" in str(e) and "Cannot allocate memory" in str(e), e
        refuse["on"] = False
        assert pool.submit(_square, 3).result(timeout=60)[0] == 9, "the pool did not recover"
    finally:
        pool.shutdown()
