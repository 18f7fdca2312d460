#!/usr/bin/env bash
# The README's default study: a sweep over SRAM supply voltage and ECC protection on the default design
# (sim/presets/edge-small.yaml) and a real workload (the project's Fashion-MNIST CNN: its layer table priced by
# nvfp4sim, its test accuracy with the simulator's SRAM faults), ending with the path of the HTML report.
# Usage: bash scripts/default_study.sh [OUTPUT_DIR] (default results/default_study); WORKERS=N (default 2).
# Rerunning resumes: finished points are kept in OUTPUT_DIR/results.sqlite.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
out="${1:-$repo/results/default_study}"
mkdir -p "$out"
"$here/nvfp4-dse" run "$here/sweeps/voltage_ecc.yaml" --store "$out/results.sqlite" --workers "${WORKERS:-2}" \
  --report "$out" >&2
echo "$out/report.html"
