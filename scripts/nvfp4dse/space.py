"""Sweep files and the points they generate (docs/dse.md, "Sweep files").

A sweep names a base architecture file of the simulator (`arch`, default sim/presets/edge-small.yaml), a workload
table, an accuracy tensor set and a seed (the simulator's run.fault_seed), and sweeps settings of the architecture:
nvfp4sim's own dotted YAML keys or the presets of archspace.py. Unknown keys name the nearest valid ones; values are
the simulator's to accept: every point is checked by the simulator's validation before any worker starts.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .archspace import DEFAULT_ARCH, ArchError, base, yaml_text
from .paths import ROOT
from .seeds import seed_problem

class SweepError(Exception):
    pass


TOP_KEYS = {"version", "name", "arch", "workload", "accuracy", "search", "fixed", "parameters", "seed"}
SEARCH_KINDS = ("grid", "random", "optuna")
POINT_FIELDS = ("arch", "workload", "accuracy", "seed")  # what a point holds besides its settings


def arch_path(arch: str) -> Path:
    p = Path(arch)
    return p if p.is_absolute() else ROOT / p


def settings_of(point: dict) -> dict:
    return {k: v for k, v in point.items() if k not in POINT_FIELDS}


def describe(point: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in settings_of(point).items()) or "the base design"


@dataclass
class Sweep:
    name: str
    arch: str
    workload: str
    accuracy: str
    kind: str
    samples: int
    seed: int
    fixed: dict
    space: dict  # key -> list of values
    source: str = "sweep"

    def fingerprint(self) -> str:
        d = dict(arch=self.arch, arch_digest=base(str(arch_path(self.arch))).digest, workload=self.workload,
                 accuracy=self.accuracy, fixed=self.fixed, seed=self.seed)
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]

    def make_point(self, values: dict) -> dict:
        return {**self.fixed, **values, "arch": self.arch, "workload": self.workload, "accuracy": self.accuracy,
                "seed": self.seed}

    def points(self) -> list[dict]:
        """Grid: the full product in file order. Random: `samples` distinct points drawn with `seed`."""
        names = list(self.space)
        combos = [dict(zip(names, vals)) for vals in itertools.product(*(self.space[n] for n in names))]
        if self.kind == "random":
            rng = random.Random(self.seed)
            combos = rng.sample(combos, min(self.samples, len(combos)))
        return [self.make_point(c) for c in combos]


def resolve_workload(workload: str) -> Path:
    p = Path(workload)
    if p.suffix == ".csv":
        if not p.exists():
            raise SweepError(f"workload file '{workload}' does not exist")
        return p
    table = ROOT / "workloads" / "tables" / f"{workload}.csv"
    if not table.exists():
        known = sorted(t.name[:-4] for t in (ROOT / "workloads" / "tables").glob("*.csv") if ".layers" not in t.name)
        raise SweepError(f"unknown workload '{workload}' (a CSV path or one of: {', '.join(known)})")
    return table


def parse_sweep(data: Any, where: str = "sweep", allow_empty: bool = False) -> Sweep:
    if not isinstance(data, dict):
        raise SweepError(f"{where}: expected a mapping at the top level")
    unknown = set(data) - TOP_KEYS
    if "evaluator" in unknown:
        raise SweepError(f"{where}: key 'evaluator' is gone: every point is priced by the simulator (nvfp4sim); "
                         "drop the key")
    if unknown:
        raise SweepError(f"{where}: unknown key '{sorted(unknown, key=str)[0]}' (known: {', '.join(sorted(TOP_KEYS))})")
    if data.get("version", 1) != 1:
        raise SweepError(f"{where}: version {data.get('version')!r} not supported (1)")
    workload = str(data.get("workload", "resnet18"))
    resolve_workload(workload)
    accuracy = str(data.get("accuracy", "none"))
    from .accuracy import TENSOR_SETS  # late import: accuracy pulls NumPy data in
    if accuracy != "none" and accuracy not in TENSOR_SETS:
        raise SweepError(f"{where}: accuracy '{accuracy}' unknown (none, {', '.join(TENSOR_SETS)})")
    arch = str(data.get("arch", DEFAULT_ARCH.relative_to(ROOT) if DEFAULT_ARCH.is_relative_to(ROOT) else DEFAULT_ARCH))
    try:
        b = base(str(arch_path(arch)))
    except ArchError as e:
        raise SweepError(f"{where}: arch: {e}") from e
    search = data.get("search", {}) or {}
    if not isinstance(search, dict) or set(search) - {"kind", "samples"}:
        raise SweepError(f"{where}: 'search' takes kind and samples")
    kind = search.get("kind", "grid")
    if kind not in SEARCH_KINDS:
        raise SweepError(f"{where}: search kind '{kind}' unknown ({', '.join(SEARCH_KINDS)})")
    samples = search.get("samples", 20)
    if not isinstance(samples, int) or samples < 1:
        raise SweepError(f"{where}: search.samples must be a positive integer")
    seed = data.get("seed", 0)
    if (why := seed_problem(seed)) is not None:
        raise SweepError(f"{where}: seed {why}")
    fixed = data.get("fixed", {}) or {}
    if not isinstance(fixed, dict):
        raise SweepError(f"{where}: 'fixed' must be a mapping of parameter: value")
    for k in list(fixed):
        check_key(b, k, f"{where}: fixed")
        fixed[k] = normalise_value(b.value_of(k), fixed[k])
    params = data.get("parameters")
    if not isinstance(params, dict) or (not params and not allow_empty):
        raise SweepError(f"{where}: 'parameters' must map at least one parameter to a list of values")
    space = {}
    for k, vals in params.items():
        if not isinstance(vals, list) or not vals:
            raise SweepError(f"{where}: parameter '{k}' needs a non-empty list of values")
        check_key(b, k, f"{where}: parameters")
        space[k] = [normalise_value(b.value_of(k), v) for v in vals]
        if len({json.dumps(v) for v in space[k]}) != len(space[k]):
            raise SweepError(f"{where}: parameter '{k}' lists a value twice ({space[k]}; 1 and 1.0 are the same)")
        if k in fixed:
            raise SweepError(f"{where}: parameter '{k}' is both fixed and swept")
    return Sweep(str(data.get("name", "sweep")), arch, workload, accuracy, kind, samples, seed, fixed, space, where)


def normalise_value(default: Any, value: Any) -> Any:
    """One spelling per number, so one point has one store key: `voltage: 1` is 1.0 when the key holds a float in the
    base file, `architecture.array.block: 16.0` is 16 when it holds an integer; anything else is the simulator's."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or isinstance(default, bool):
        return value
    if isinstance(default, float) and isinstance(value, int):
        return float(value)
    if isinstance(default, int) and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def check_key(b, key: str, where: str) -> None:
    try:
        b.check_key(key, where)
    except ArchError as e:
        raise SweepError(str(e)) from e


def check_points(sweep: Sweep, points: list[dict]) -> list[tuple]:
    """Every point through the simulator's own validation (config keys and values, workload, SRAM feasibility,
    voltages, technology tables), before any worker starts: SweepError with the simulator's message. Returns each
    point's fault signature (sharing.fault_signature), read from the same simulator point."""
    from . import native
    from .sharing import fault_signature
    b = base(str(arch_path(sweep.arch)))
    workload = str(resolve_workload(sweep.workload))
    signatures = []
    for p in points:
        name = f"{sweep.source}: point {describe(p)}"
        try:
            doc = b.point_document(settings_of(p), p["seed"])
            sp = native.sim_point(yaml_text(doc), name, str(b.path.parent))
            sp.validate(workload)
            signatures.append(fault_signature(sp))
            if p.get("accuracy", "none") != "none":
                _check_accuracy_models(doc, name)
        except ArchError as e:
            raise SweepError(f"{name}: {e}") from e
        except native.Error as e:
            raise SweepError(str(e)) from e
        except (KeyError, TypeError) as e:
            raise SweepError(f"{name}: cannot apply the settings ({e})") from e
    return signatures


def _check_accuracy_models(doc: dict, name: str) -> None:
    """The accuracy path computes the golden GEMM on read-back operands (accuracy.py): faulty product tables in SRAM
    (architecture.array.lut_storage: sram with run.faults) would be left out, so such a point is refused, not
    reported with an accuracy that ignores them (the simulator's own runs apply them: docs/sim.md, "LUT storage")."""
    arr = (doc.get("architecture") or {}).get("array") or {}
    if arr.get("lut_storage") == "sram" and ((doc.get("run") or {}).get("faults", True)):
        raise SweepError(f"{name}: accuracy with architecture.array.lut_storage: sram and run.faults is not modelled "
                         "by the accuracy path (it computes the golden GEMM, without the faulty product tables); "
                         "use accuracy: none, run.faults: false, or run the point with nvfp4sim")


class _DuplicateKey(yaml.constructor.ConstructorError):
    pass


class _UniqueKeyLoader(yaml.SafeLoader):
    """safe_load, except that a key given twice in one mapping is an error naming it and both lines (PyYAML keeps the
    last value silently)."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                if key in seen:
                    raise _DuplicateKey(None, None, f"duplicate key '{key}' (lines {seen[key]} and {line})",
                                        key_node.start_mark)
                seen[key] = line
            except TypeError:  # an unhashable key: the base class reports it
                pass
        return super().construct_mapping(node, deep)


def load_sweep(path: str | Path) -> Sweep:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise SweepError(f"cannot read sweep file '{path}': {e.strerror}") from e
    except UnicodeDecodeError as e:  # found by the sweep-file fuzzer (scripts/fuzz_inputs.sh)
        raise SweepError(f"{path}: not UTF-8 text (byte {e.start})") from e
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        why = f": {e.problem}" if isinstance(e, _DuplicateKey) else ""
        raise SweepError(f"{path}: malformed YAML{at}{why}") from e
    return parse_sweep(data, str(path))
