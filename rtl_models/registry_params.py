#!/usr/bin/env python3
"""Prints the multiplier variants of the project's registry (docs/registry.json, generated from lut/'s C++ registry by
`nvfp4sim registry --json` and checked against it by the test registry_committed) as shell-ready lines, so the RTL
scripts (lint.sh, synth/run_all.sh) keep no list of styles, formats or STYLE numbers of their own.

    registry_params.py lanes            one line per (style, weight format) with hardware:
                                        <synth lane config> <synth key> <fmt> WFMT=<n> STYLE=<n> [S=<n>]
    registry_params.py engine-styles    one line per style the dot_engine RTL takes: <synth key> STYLE=<n>
    registry_params.py refused-lanes    one line per (style, format) pair WITHOUT hardware: WFMT=<n> STYLE=<n> [S=<n>]
    registry_params.py bad-style        one STYLE value no registry style has
"""
import itertools
import json
import os
import sys

REGISTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "registry.json")


def params(verilog):
    return " ".join(f"{k}={v}" for k, v in verilog.items())


def main(argv):
    if len(argv) != 2 or argv[1] not in ("lanes", "engine-styles", "refused-lanes", "bad-style"):
        print("error: usage: registry_params.py lanes|engine-styles|refused-lanes|bad-style", file=sys.stderr)
        return 2
    with open(REGISTRY, encoding="utf-8") as f:
        reg = json.load(f)
    what = argv[1]
    if what == "lanes":
        for v in reg["multiplier_variants"]:
            print(v["synth_lane_config"], v["synth_key"], v["weight_format"], params(v["verilog"]))
    elif what == "engine-styles":
        for s in reg["multiplier_styles"]:
            if s["in_engine_rtl"]:
                print(s["synth_key"], f"STYLE={s['verilog_style']}")
    elif what == "refused-lanes":
        for s, f in itertools.product(reg["multiplier_styles"], reg["weight_formats"]):
            if f["name"] not in s["weight_formats"]:
                extra = f" {s['parameter']}={s['parameter_values'][0]}" if s["parameter"] else ""
                print(f"WFMT={f['verilog_wfmt']} STYLE={s['verilog_style']}{extra}")
    else:
        print(max(s["verilog_style"] for s in reg["multiplier_styles"]) + 1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
