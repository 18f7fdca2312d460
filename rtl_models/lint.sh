#!/usr/bin/env bash
# verilator --lint-only -Wall over every module and the parameter sets the project uses; waivers (each with its
# reason) are in rtl_models/lint_waivers.vlt. Exits non-zero on the first warning.
#   bash rtl_models/lint.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
lint() { echo "lint $*"; verilator --lint-only -Wall -Irtl lint_waivers.vlt rtl/*.sv "$@"; }
# Multiplier styles, weight formats and STYLE / WFMT / S values come from the registry (docs/registry.json, generated
# from lut/multiplier_styles.cpp): every (style, format) pair with hardware must lint clean.
gparams() { for p in "$@"; do echo "-G$p"; done; }
python3 registry_params.py lanes > /dev/null  # fails loudly (set -e) when the registry cannot be read
while read -r _config _key _fmt params; do
  # shellcheck disable=SC2086,SC2046
  lint --top-module lane_mul $(gparams $params)
done < <(python3 registry_params.py lanes)
while read -r _key style; do
  for w in 0 1; do lint --top-module dot_engine -GL=16 -GWFMT=$w "-G$style"; done  # the engine takes E2M1 / E4M3
done < <(python3 registry_params.py engine-styles)
for L in 1 4 8 32 64; do lint --top-module dot_engine -GL=$L; done
lint --top-module dot_engine -GACC_FIXED=1 -GACC_W=32 -GACC_F=16
lint --top-module dot_engine -GACC_FIXED=1 -GACC_W=64 -GACC_F=40 -GWFMT=1
lint --top-module dot_engine -GACC_FIXED=1 -GACC_W=8 -GACC_F=0
lint --top-module os_array -GR=4 -GC=4 -GL=16
lint --top-module os_array -GR=1 -GC=3 -GL=4 -GACC_FIXED=1
lint --top-module scale_mul
lint --top-module fp32_add
lint tb/tb_units_top.sv --top-module tb_units_top
lint tb/tb_engines_top.sv --top-module tb_engines_top
lint tb/tb_lanes_fp16_top.sv --top-module tb_lanes_fp16_top
# Impossible configurations must be refused at elaboration, naming the parameter.
# The registry's refused pairs (a style without hardware for a format) and a STYLE no registry style has, too.
refused=()
while read -r params; do refused+=("lane_mul $(gparams $params | tr '\n' ' ')"); done < <(python3 registry_params.py refused-lanes)
refused+=("lane_mul -GSTYLE=$(python3 registry_params.py bad-style)")
for bad in "dot_engine -GL=12" "dot_engine -GWFMT=2" "dot_engine -GSTYLE=3" "dot_engine -GACC_FIXED=1 -GACC_W=70" \
           "os_array -GR=0" "lane_mul -GSTYLE=3 -GS=5" "${refused[@]}"; do
  set -- $bad
  top=$1; shift
  if out=$(verilator --lint-only -Wall -Irtl lint_waivers.vlt rtl/*.sv --top-module "$top" "$@" 2>&1); then
    echo "error: $bad was accepted"; exit 1
  fi
  echo "$out" | grep -q "parameter" || { echo "error: $bad refused without naming the parameter: $out"; exit 1; }
  echo "refused as expected: $bad"
done
echo "lint: clean"
