"""nvfp4-dse: design-space sweeps of the NVFP4 edge MAC array (docs/dse.md).

  nvfp4-dse run SWEEP.yaml --store RESULTS.sqlite [--workers N | --scheduler ADDRESS] [--report DIR]
  nvfp4-dse report --store RESULTS.sqlite --out DIR
  nvfp4-dse params
  nvfp4-dse study NAME [--out docs/studies]      (NAME: storage-bits, block-size, weight-precision, ...)

Exit status: 0 success, 1 some points failed (the others are stored), 2 bad input (nothing written).
"""
from __future__ import annotations

import argparse
import sys


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors in the tools' form: `error: ...` on stderr, exit status 2."""

    def error(self, message):
        self.exit(2, f"error: {message} (nvfp4-dse --help)\n")


def _parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="nvfp4-dse", description="Design-space sweeps of the NVFP4 edge MAC array.",
                                 epilog="See docs/dse.md.")
    sub = ap.add_subparsers(dest="cmd", required=True, parser_class=_Parser)
    r = sub.add_parser("run", help="run (or resume) a sweep")
    r.add_argument("sweep", help="sweep file (YAML)")
    r.add_argument("--store", required=True, help="SQLite results store (created, or resumed when it exists)")
    g = r.add_mutually_exclusive_group()
    g.add_argument("--workers", type=int, help="processes of the local Dask cluster (default 1)")
    g.add_argument("--scheduler", help="address of an existing Dask scheduler, e.g. tcp://10.0.0.5:8786")
    r.add_argument("--report", help="write the HTML report and plots into this folder at the end")
    r.add_argument("--no-progress", action="store_true", help="no progress bar")
    rep = sub.add_parser("report", help="plots and one self-contained HTML page from a results store")
    rep.add_argument("--store", required=True)
    rep.add_argument("--out", required=True)
    sub.add_parser("params", help="list the design parameters, their defaults and domains")
    st = sub.add_parser("study", help="reproduce one of the documented studies")
    st.add_argument("name")
    st.add_argument("--out", default=None, help="output folder (default docs/studies)")
    return ap


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from .space import PARAMETERS, SweepError, load_sweep
    from .store import StoreError
    try:
        if args.cmd == "params":
            for k, p in PARAMETERS.items():
                print(f"{k:14s} default {p.default!s:14s} domain {p.domain:28s} {p.doc}")
            return 0
        if args.cmd == "study":
            from .studies import run_study
            return run_study(args.name, args.out)
        if args.cmd == "report":
            from .report import write_report
            from .store import check_existing_store
            check_existing_store(args.store)  # before the report folder is made: a wrong path creates nothing
            print(write_report(args.store, args.out))
            return 0
        if args.workers is not None and args.workers < 1:
            raise SweepError("--workers must be at least 1")
        if args.scheduler is not None:
            _check_scheduler_form(args.scheduler)
        sweep = load_sweep(args.sweep)
        _check_store_path(args.store)
        _check_inputs(sweep)
        if args.scheduler is not None:
            _check_scheduler_reachable(args.scheduler)  # before the store is created or bound to this sweep
        from .runner import run_sweep
        summary = run_sweep(sweep, args.store, args.scheduler, args.workers, not args.no_progress)
        print(f"{summary.total} points: {summary.skipped} already stored, {summary.computed} computed, "
              f"{len(summary.failed)} failed; store {args.store}")
        for point, why in summary.failed[:5]:
            print(f"error: point {point} failed: {why}", file=sys.stderr)
        if args.report:
            from .report import write_report
            print(write_report(args.store, args.report))
        return 1 if summary.failed else 0
    except (SweepError, StoreError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # scheduler and missing-package errors carry their own advice
        from .accuracy import MissingTensors
        from .runner import SchedulerError
        from .simulator import SimulatorMissing
        if isinstance(e, (SchedulerError, MissingTensors, SimulatorMissing, ImportError)):
            print(f"error: {e}", file=sys.stderr)
            return 2
        raise


def _check_store_path(path: str) -> None:
    """Before the slow checks: an existing --store must be a results store (a new path is created later, once
    everything else holds)."""
    from pathlib import Path
    from .store import StoreError, check_existing_store
    p = Path(path)
    if p.exists() or p.is_symlink():
        check_existing_store(p)
    elif not p.parent.is_dir():
        raise StoreError(f"--store {path}: folder '{p.parent}' does not exist")


def _check_scheduler_form(address: str) -> None:
    """A malformed address is refused by its form, before anything is imported or read."""
    import re
    from .runner import SchedulerError
    m = re.fullmatch(r"(?:(tcp|tls|ws|wss|ucx)://)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.\-]+):(\d+)", address)
    if not m or not 1 <= int(m.group(3)) <= 65535:
        raise SchedulerError(f"--scheduler '{address}' is not a scheduler address (tcp://HOST:PORT, e.g. "
                             "tcp://10.0.0.5:8786; PORT 1..65535)")


def _check_scheduler_reachable(address: str) -> None:
    """A well-formed address must answer before the store is created or bound to the sweep."""
    from .runner import dask_client
    with dask_client(address, None):
        pass


def _check_inputs(sweep) -> None:
    """Fail before any work when what the sweep needs is missing (tensor sets, packages, the simulator)."""
    from .accuracy import load_set, MissingTensors, TENSORS
    if sweep.accuracy == "fmnist_cnn":
        if not (TENSORS / "fmnist_cnn" / "weights.npz").exists():
            raise MissingTensors("fmnist_cnn weights missing: python3 -m workloads.realtensors.fmnist_cnn train")
        from pathlib import Path
        if not Path("/usr/share/datasets/fashion-mnist").exists():
            raise MissingTensors("Fashion-MNIST missing: apt-get install dataset-fashion-mnist")
    elif sweep.accuracy != "none":
        load_set(sweep.accuracy)
    if sweep.accuracy != "none":
        from . import native  # noqa: F401  the accuracy side quantizes with the C++ core: ImportError names the build
    for mod, pkg in (("dask", "dask"), ("distributed", "distributed")) + ((("optuna", "optuna"),)
                                                                          if sweep.kind == "optuna" else ()):
        try:
            __import__(mod)
        except ImportError as e:
            raise ImportError(f"Python package '{pkg}' is missing: pip install {pkg} "
                              "(or bash scripts/bootstrap.sh)") from e
    if sweep.evaluator == "nvfp4sim":
        from .simulator import find_simulator
        find_simulator()


if __name__ == "__main__":
    sys.exit(main())
