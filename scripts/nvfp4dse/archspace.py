"""Design points as simulator architecture files: sweep keys are nvfp4sim's own YAML keys (dotted paths) plus presets.

A point = a base architecture file (default sim/presets/edge-small.yaml) + settings {key: value}. A key is either a
dotted path of the simulator's configuration (`architecture.sram.weights.voltage_v`, `architecture.array.dataflow`,
`workload.recipe`, ...: every leaf of the base file's resolved configuration, defaults included) or a preset that
sets a group of them (PRESETS below). Values are not checked here: the simulator's own parser and validation
(nvfp4_native.SimPoint, the code of `nvfp4sim run`) accept or refuse them with their own message.
"""
from __future__ import annotations

import copy
import difflib
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import yaml

from .paths import ROOT

DEFAULT_ARCH = ROOT / "sim" / "presets" / "edge-small.yaml"
BANKS = ("activations", "weights", "scales", "outputs")


class ArchError(Exception):
    pass


def _banks(field: str, value) -> dict:
    return {f"architecture.sram.{b}.{field}": value for b in BANKS}


def _ecc(value) -> dict:
    """`LAYOUT` or `LAYOUT/MODE` (e.g. `sign-exp-scale/mixed-voltage`) on every bank; MODE defaults to secded."""
    layout, _, mode = str(value).partition("/")
    return {**_banks("ecc_layout", layout), **_banks("ecc_mode", mode or "secded")}


def _array(value) -> dict:
    rows, sep, cols = str(value).partition("x")
    if not sep or not rows.isdigit() or not cols.isdigit():
        raise ArchError(f"preset 'array' takes ROWSxCOLS (e.g. 8x8), got {value!r}")
    return {"architecture.array.rows": int(rows), "architecture.array.cols": int(cols)}


@dataclass(frozen=True)
class Preset:
    expand: Callable[[Any], dict]
    doc: str


PRESETS: dict[str, Preset] = {
    "voltage": Preset(lambda v: _banks("voltage_v", v), "supply voltage (V) of every SRAM bank "
                      "(architecture.sram.{activations,weights,scales,outputs}.voltage_v)"),
    "ecc": Preset(_ecc, "protection of every bank: LAYOUT or LAYOUT/MODE (ecc_layout none | scale | sign-exp-scale | "
                  "full | custom:...; ecc_mode secded (default) | mixed-voltage)"),
    "array": Preset(_array, "engines ROWSxCOLS (architecture.array.rows, architecture.array.cols)"),
}


def _flatten(node: Any, prefix: str = "") -> dict:
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: node}


def _set(doc: dict, dotted: str, value) -> None:
    node = doc
    *parents, leaf = dotted.split(".")
    for p in parents:
        node = node[p]
    node[leaf] = value


@lru_cache(maxsize=8)
def base(path: str) -> "Base":
    return Base(Path(path))


class Base:
    """A base architecture file, resolved once by the simulator (defaults filled in, paths absolute)."""

    def __init__(self, path: Path):
        from . import native
        self.path = path.resolve()
        try:
            text = self.path.read_text()
        except OSError as e:
            raise ArchError(f"cannot read architecture file '{path}': {e.strerror}") from e
        try:
            self.resolved_text = native.sim_point(text, str(path), str(self.path.parent)).resolved_yaml()
        except native.Error as e:
            raise ArchError(str(e)) from e
        self.resolved = yaml.safe_load(self.resolved_text)
        self.flat = _flatten(self.resolved)
        self.keys = sorted(k for k in self.flat if k != "version")
        self.digest = hashlib.sha256(self.resolved_text.encode()).hexdigest()[:16]

    def value_of(self, key: str):
        """The base file's value of a dotted key (of the first key a preset sets), None when there is none."""
        if key in PRESETS:
            try:
                key = next(iter(PRESETS[key].expand("1x1" if key == "array" else 1.0)))
            except ArchError:
                return None
        return self.flat.get(key)

    def check_key(self, key: str, where: str) -> None:
        if key in PRESETS or key in self.keys:
            return
        near = difflib.get_close_matches(key, list(PRESETS) + self.keys, n=3, cutoff=0.5)
        hint = f"; nearest: {', '.join(near)}" if near else ""
        raise ArchError(f"{where}: unknown parameter '{key}' (a preset {', '.join(PRESETS)} or a dotted key of the "
                        f"simulator's configuration, list: nvfp4-dse params{hint})")

    def document(self, settings: dict) -> dict:
        """The architecture document of a point: presets expanded first, then dotted keys (which override them)."""
        doc = copy.deepcopy(self.resolved)  # the parsed base file (parsing it again per point cost more)
        for key, value in settings.items():
            if key in PRESETS:
                for k, v in PRESETS[key].expand(value).items():
                    _set(doc, k, v)
        for key, value in settings.items():
            if key not in PRESETS:
                self.check_key(key, "settings")
                _set(doc, key, value)
        return doc

    def point_document(self, settings: dict, seed: int | None) -> dict:
        doc = self.document(settings)
        if seed is not None and "run.fault_seed" not in settings:  # the sweep's seed, unless set explicitly
            doc["run"]["fault_seed"] = int(seed)
        return doc

    def point_text(self, settings: dict, seed: int | None) -> str:
        return yaml_text(self.point_document(settings, seed))


# libyaml's emitter where PyYAML has it (the same document; the pure-Python emitter took ~10 ms per point, a third of
# the validation of a sweep and ~0.3 s of a default-study run's evaluation). The simulator parses the text.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def yaml_text(doc: dict) -> str:
    """A point's architecture document as YAML text for the simulator's parser (keys in the document's order)."""
    return yaml.dump(doc, Dumper=_DUMPER, sort_keys=False)
