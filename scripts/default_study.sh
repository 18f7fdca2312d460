#!/usr/bin/env bash
# The README's default study: a sweep over SRAM supply voltage and ECC layout on the default design and a real
# workload (the project's Fashion-MNIST CNN: its layer table for energy/area, its test accuracy with faults), ending
# with the path of the HTML report. Priced by the SystemC simulator when nvfp4sim is built, else by the analytic
# model. Usage: bash scripts/default_study.sh [OUTPUT_DIR] (default results/default_study); WORKERS=N (default 2).
# Rerunning resumes: finished points are kept in OUTPUT_DIR/results.sqlite.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
out="${1:-$repo/results/default_study}"
sweep="$here/sweeps/voltage_ecc.yaml"
have_sim=${NVFP4SIM:-}
for candidate in "$repo"/build/bin/nvfp4sim "$repo"/build-*/bin/nvfp4sim; do
  [ -x "$candidate" ] && have_sim=$candidate
done
if [ -n "$have_sim" ]; then
  sweep="$here/sweeps/voltage_ecc_sim.yaml"
  out="${1:-$repo/results/default_study_sim}"
fi
mkdir -p "$out"
"$here/nvfp4-dse" run "$sweep" --store "$out/results.sqlite" --workers "${WORKERS:-2}" --report "$out" >&2
echo "$out/report.html"
