"""Shared helpers of the nvfp4dse tests: run the CLI as a user would, read a store, start a Dask cluster on loopback."""
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
sys.path.insert(0, str(SCRIPTS))
sys.path.insert(0, str(ROOT))
ENV = dict(os.environ, PYTHONPATH=f"{SCRIPTS}:{ROOT}", PYTHONDONTWRITEBYTECODE="1")


def cli(*args, timeout=180, **kw):
    return subprocess.run([sys.executable, "-m", "nvfp4dse", *map(str, args)], env=ENV, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, **kw)


def store_rows(path) -> dict:
    """key -> (point, metrics) of every row."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        rows = {k: (json.loads(p), json.loads(m)) for k, p, m in db.execute("SELECT key, point, metrics FROM results")}
    except sqlite3.OperationalError as e:  # a store being created right now has no table yet
        if "no such table" not in str(e):
            raise
        rows = {}
    db.close()
    return rows


def write_sweep(path, **overrides):
    import yaml
    doc = {"version": 1, "name": "test", "workload": "fmnist_cnn", "accuracy": "minilm_l6", "seed": 7,
           "parameters": {"voltage": [0.9, 1.0, 1.6], "ecc": ["none", "sign-exp-scale"]}}
    doc.update(overrides)
    Path(path).write_text(yaml.safe_dump(doc))
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LoopbackCluster:
    """A real `dask scheduler` and worker processes, all on 127.0.0.1, stopped at the end of the test."""

    def __init__(self, workers: int, worker_env: dict | None = None):
        self.worker_env = dict(ENV, **(worker_env or {}))
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.procs = []
        self.scheduler = self._spawn("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                                     str(self.port), "--no-dashboard")
        self.workers = [self.add_worker() for _ in range(workers)]
        self.wait_for_workers(workers)

    def _spawn(self, module, *args, env=None):
        p = subprocess.Popen([sys.executable, "-m", module, *args], env=env or ENV, cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        self.procs.append(p)
        return p

    def add_worker(self):
        return self._spawn("distributed.cli.dask_worker", self.address, "--nthreads", "1", "--nworkers", "1",
                           "--no-dashboard", "--host", "127.0.0.1", "--no-nanny", env=self.worker_env)

    def wait_for_workers(self, n, timeout=60):
        from distributed import Client
        with Client(self.address, timeout=30) as c:
            c.wait_for_workers(n, timeout=timeout)

    def close(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.kill()
            p.wait(timeout=30)


@pytest.fixture
def loopback_cluster():
    clusters = []

    def make(workers, worker_env=None):
        c = LoopbackCluster(workers, worker_env)
        clusters.append(c)
        return c

    yield make
    for c in clusters:
        c.close()
