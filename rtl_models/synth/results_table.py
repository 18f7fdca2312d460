#!/usr/bin/env python3
"""Prints rtl_models/synth/results.csv (or the CSV given) as the Markdown table of docs/rtl.md."""
import csv
import os
import sys

path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "results.csv")
with open(path, newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(l for l in f if not l.startswith("#")))
print("| config | top | parameters | area (um^2) | cells | sequential | leakage (nW) |")
print("|---|---|---|---:|---:|---:|---:|")
for r in rows:
    print(f"| {r['config']} | {r['top']} | {r['params'] or '-'} | {r['area_um2']} | {r['cells']} | "
          f"{r['sequential_cells']} | {r['leakage_nW']} |")
