"""nvfp4-dse: design-space sweeps of the NVFP4 edge MAC array (docs/dse.md).

  nvfp4-dse run SWEEP.yaml --store RESULTS.sqlite [--workers N | --scheduler ADDRESS] [--report DIR]
  nvfp4-dse report --store RESULTS.sqlite --out DIR
  nvfp4-dse point --set KEY=VALUE ... [--arch BASE.yaml] [--workload W] [--accuracy A] [--seed S] [--json]
                  [--emit-arch FILE]
  nvfp4-dse params [--arch BASE.yaml]
  nvfp4-dse study NAME [--out docs/studies]      (NAME: storage-bits, block-size, weight-precision, ...)

Exit status: 0 success, 1 some points failed (the others are stored), 2 bad input (nothing written), 130 interrupted
(Ctrl-C; the finished points are stored).
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
    g.add_argument("--workers", type=int, help="local worker processes (default 1)")
    g.add_argument("--scheduler", help="address of an existing Dask scheduler, e.g. tcp://10.0.0.5:8786")
    r.add_argument("--report", help="write the HTML report and plots into this folder at the end")
    r.add_argument("--no-progress", action="store_true", help="no progress bar")
    rep = sub.add_parser("report", help="plots and one self-contained HTML page from a results store")
    rep.add_argument("--store", required=True)
    rep.add_argument("--out", required=True)
    pt = sub.add_parser("point", help="evaluate one design point and print its record")
    pt.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a preset or dotted simulator key and its value (YAML syntax), repeatable")
    pt.add_argument("--arch", default=None, help="base architecture file (default sim/presets/edge-small.yaml)")
    pt.add_argument("--workload", default="fmnist_cnn", help="workload table name or CSV (default fmnist_cnn)")
    pt.add_argument("--accuracy", default="none", help="none | fmnist_cnn | minilm_l6 | efficientnet_lite0")
    pt.add_argument("--seed", type=int, default=1, help="the simulator's run.fault_seed (default 1)")
    pt.add_argument("--json", action="store_true", help="print the whole record as JSON")
    pt.add_argument("--emit-arch", metavar="FILE", help="write the point's complete nvfp4sim architecture file")
    pa = sub.add_parser("params", help="list the presets and the simulator keys a sweep can set")
    pa.add_argument("--arch", default=None, help="base architecture file (default sim/presets/edge-small.yaml)")
    st = sub.add_parser("study", help="reproduce one of the documented studies")
    st.add_argument("name")
    st.add_argument("--out", default=None, help="output folder (default docs/studies)")
    return ap


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from .archspace import ArchError
    from .space import SweepError, load_sweep
    from .store import StoreError
    try:
        if args.cmd == "params":
            return _params(args.arch)
        if args.cmd == "point":
            return _point(args)
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
        _check_inputs(sweep, args.scheduler)
        private = _check_points(sweep)
        if args.scheduler is not None:
            _check_scheduler_reachable(args.scheduler)  # before the store is created or bound to this sweep
        from .runner import run_sweep
        summary = run_sweep(sweep, args.store, args.scheduler, args.workers, not args.no_progress, private)
        print(f"{summary.total} points: {summary.skipped} already stored, {summary.computed} computed, "
              f"{len(summary.failed)} failed; store {args.store}")
        for point, why in summary.failed[:5]:
            print(f"error: point {point} failed: {why}", file=sys.stderr)
        if args.report:
            from .report import write_report
            print(write_report(args.store, args.report))
        return 1 if summary.failed else 0
    except (SweepError, StoreError, ArchError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # the workers are ended; every point finished before is in the store
        print("interrupted: the finished points are stored; the same command computes the rest", file=sys.stderr)
        return 130
    except Exception as e:  # scheduler and missing-package errors carry their own advice
        from .accuracy import MissingTensors
        from .local_workers import WorkerStartError
        from .runner import SchedulerError
        from .simulator import SimulatorMissing
        if isinstance(e, (SchedulerError, MissingTensors, SimulatorMissing, WorkerStartError, ImportError)):
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
    with dask_client(address):
        pass


def _check_inputs(sweep, scheduler: str | None = None) -> None:
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
    from . import native  # every point runs the simulator through the C++ extension: ImportError names the build
    import importlib.util
    for pkg in (("dask", "distributed") if scheduler else ()) + (("optuna",) if sweep.kind == "optuna" else ()):
        # Found, not imported: Dask (~0.5 s of imports) is imported only to reach a scheduler.
        if importlib.util.find_spec(pkg) is None:
            raise ImportError(f"Python package '{pkg}' is missing: pip install {pkg} (or bash scripts/bootstrap.sh)")
    if not getattr(native._ext, "has_sim", False):  # the points run the simulator through the extension
        native.sim_point("", "", "")  # raises the ImportError that says how to build it


def _check_points(sweep) -> dict | None:
    """The simulator validates every point the sweep can run (all of the space for optuna) before any worker starts.
    Returns {point key: private} for a grid or random sweep (sharing.py), None for optuna (its points come later)."""
    from .sharing import private_points
    from .space import check_points
    from .store import point_key
    if sweep.kind == "optuna":
        check_points(sweep, [sweep.make_point(c) for c in _product(sweep.space)])
        return None
    points = sweep.points()
    return private_points(dict(zip(map(point_key, points), check_points(sweep, points))))


def _product(space: dict) -> list[dict]:
    import itertools
    names = list(space)
    return [dict(zip(names, v)) for v in itertools.product(*(space[n] for n in names))]


def _params(arch) -> int:
    from .archspace import PRESETS, base
    from .space import arch_path, parse_sweep
    sweep = parse_sweep({"arch": arch, "parameters": {"voltage": [1.0]}} if arch else {"parameters": {"voltage": [1.0]}},
                        "params")
    b = base(str(arch_path(sweep.arch)))
    print(f"presets (each sets several simulator keys):")
    for k, p in PRESETS.items():
        print(f"  {k:10s} {p.doc}")
    print(f"simulator keys of {b.path} (value in the base file; the simulator validates every value):")
    flat = {}
    from .archspace import _flatten
    flat = _flatten(b.resolved)
    for k in b.keys:
        print(f"  {k} = {flat[k]}")
    return 0


def _point(args) -> int:
    import json
    import yaml
    from .space import SweepError, check_points, parse_sweep
    settings = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise SweepError(f"--set takes KEY=VALUE, got '{item}'")
        try:
            settings[key] = yaml.safe_load(value)
        except yaml.YAMLError as e:
            raise SweepError(f"--set {key}: value '{value}' is not YAML") from e
    doc = {"workload": args.workload, "accuracy": args.accuracy, "seed": args.seed, "fixed": settings,
           "parameters": {}}
    if args.arch:
        doc["arch"] = args.arch
    sweep = parse_sweep(doc, "point", allow_empty=True)
    point = sweep.make_point({})
    _check_inputs(sweep)
    check_points(sweep, [point])
    from .evaluate import arch_text, evaluate_point
    if args.emit_arch:
        from pathlib import Path
        Path(args.emit_arch).write_text(arch_text(point))
    metrics, seconds = evaluate_point(point)
    record = {"point": point, **metrics, "seconds": seconds}
    if args.json:
        print(json.dumps(record, indent=1))
    else:
        print(f"point {json.dumps(point)}")
        for k in ("energy_uj", "area_mm2", "cycles", "latency_ms", "accuracy", "sqnr_mean_db",
                  "fault_raw_bit_errors", "fault_corrected_bits", "fault_silent_bit_errors"):
            if k in record:
                print(f"  {k:24s} {record[k]}")
    return 0


def entry() -> None:
    """The `nvfp4-dse` console script of an installed package."""
    sys.exit(main())


if __name__ == "__main__":
    sys.exit(main())
