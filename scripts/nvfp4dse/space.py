"""Design parameters, sweep files and the points they generate.

A sweep file is YAML (docs/dse.md, "Sweep files"). Every parameter is declared once below with its default, its domain
and a one-line description; unknown keys and values outside a domain raise SweepError naming the key.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from .seeds import seed_problem


class SweepError(Exception):
    pass


@dataclass(frozen=True)
class Param:
    default: Any
    check: Callable[[Any], bool]
    domain: str
    doc: str


def _one_of(*values):
    return lambda v: v in values


def _accumulator(v) -> bool:
    if v == "fp32":
        return True
    m = re.fullmatch(r"fixed:(\d+)", str(v))
    return bool(m) and 8 <= int(m.group(1)) <= 64


def _array(v) -> bool:
    m = re.fullmatch(r"(\d+)x(\d+)", str(v))
    return bool(m) and 1 <= int(m.group(1)) <= 256 and 1 <= int(m.group(2)) <= 256


def _num(lo, hi):
    return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and lo <= v <= hi


PARAMETERS: dict[str, Param] = {
    "voltage": Param(0.9, _num(0.4, 1.2), "0.4 .. 1.2", "supply voltage (V) of the data SRAM banks and the datapath"),
    "ecc": Param("none", _one_of("none", "secded", "selective", "mixed"), "none|secded|selective|mixed",
                 "protection layout of stored blocks (docs/dse.md, 'Fault model')"),
    "block": Param(16, _one_of(1, 2, 4, 8, 16, 32, 64, 128, 256), "1, 2, 4, ..., 256",
                   "elements per block scale = lanes per dot-product engine"),
    "weight_format": Param("fp4", _one_of("fp4", "fp8", "fp16"), "fp4|fp8|fp16",
                           "weight element format (E2M1 with block scales, E4M3 or FP16 per tensor)"),
    "act_format": Param("nvfp4", _one_of("nvfp4", "mxfp4", "fp4"), "nvfp4|mxfp4|fp4",
                        "activation quantization (fp4 = unscaled E2M1)"),
    "multiplier": Param("mantissa-lut", _one_of("mantissa-lut", "full-lut", "array"), "mantissa-lut|full-lut|array",
                        "lane multiplier style"),
    "array": Param("4x4", _array, "RxC, 1..256 each", "engines in the MAC array (rows x columns)"),
    "accumulator": Param("fp32", _accumulator, "fp32|fixed:W (W 8..64)", "accumulator of each engine"),
}

TOP_KEYS = {"version", "name", "workload", "accuracy", "evaluator", "search", "fixed", "parameters", "seed"}
SEARCH_KINDS = ("grid", "random", "optuna")
EVALUATORS = ("analytic", "nvfp4sim")
ROOT = Path(__file__).resolve().parents[2]


def check_value(name: str, value: Any, where: str) -> Any:
    if name not in PARAMETERS:
        raise SweepError(f"{where}: unknown parameter '{name}' (known: {', '.join(PARAMETERS)})")
    value = normalise_value(PARAMETERS[name].default, value)
    if not PARAMETERS[name].check(value):
        raise SweepError(f"{where}: parameter '{name}' = {value!r} is outside its domain {PARAMETERS[name].domain}")
    return value


def normalise_value(default: Any, value: Any) -> Any:
    """One spelling per number, so one point has one store key: `voltage: 1` is 1.0 (the parameter is a float),
    `block: 16.0` is 16 (an integer parameter); NaN and infinities are left to the domain check."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or isinstance(default, bool):
        return value
    if isinstance(default, float) and isinstance(value, int):
        return float(value)
    if isinstance(default, int) and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass
class Sweep:
    name: str
    workload: str
    accuracy: str
    evaluator: str
    kind: str
    samples: int
    seed: int
    fixed: dict
    space: dict  # name -> list of values

    def fingerprint(self) -> str:
        d = dict(workload=self.workload, accuracy=self.accuracy, evaluator=self.evaluator, fixed=self.fixed,
                 seed=self.seed)
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]

    def make_point(self, values: dict) -> dict:
        point = {k: p.default for k, p in PARAMETERS.items()}
        point.update(self.fixed)
        point.update(values)
        point.update(workload=self.workload, accuracy=self.accuracy, evaluator=self.evaluator, seed=self.seed)
        return point

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


def parse_sweep(data: Any, where: str = "sweep") -> Sweep:
    if not isinstance(data, dict):
        raise SweepError(f"{where}: expected a mapping at the top level")
    unknown = set(data) - TOP_KEYS
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
    evaluator = str(data.get("evaluator", "analytic"))
    if evaluator not in EVALUATORS:
        raise SweepError(f"{where}: evaluator '{evaluator}' unknown ({', '.join(EVALUATORS)})")
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
    fixed = {k: check_value(k, v, f"{where}: fixed") for k, v in fixed.items()}
    params = data.get("parameters")
    if not isinstance(params, dict) or not params:
        raise SweepError(f"{where}: 'parameters' must map at least one parameter to a list of values")
    space = {}
    for k, vals in params.items():
        if not isinstance(vals, list) or not vals:
            raise SweepError(f"{where}: parameter '{k}' needs a non-empty list of values")
        space[k] = [check_value(k, v, f"{where}: parameters") for v in vals]
        if len({json.dumps(v) for v in space[k]}) != len(space[k]):
            raise SweepError(f"{where}: parameter '{k}' lists a value twice ({space[k]}; 1 and 1.0 are the same)")
        if k in fixed:
            raise SweepError(f"{where}: parameter '{k}' is both fixed and swept")
    return Sweep(str(data.get("name", "sweep")), workload, accuracy, evaluator, kind, samples, seed, fixed, space)


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
