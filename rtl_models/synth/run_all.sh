#!/usr/bin/env bash
# Synthesizes the comparison set of rtl_models/ with Yosys against sky130 HD (typical corner) and writes
# rtl_models/synth/results.csv (committed data; the SystemC simulator reads area and leakage from it).
#   bash rtl_models/synth/run_all.sh [CSV]        (from anywhere; about 10 minutes on 2 cores)
# Multiplier styles, weight formats, their STYLE / WFMT / S values and result keys come from the registry
# (docs/registry.json, generated from lut/multiplier_styles.cpp; rtl_models/registry_params.py).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
csv="${1:-$here/results.csv}"
synth() { python3 "$here/synth_area.py" --csv "$csv" "$@"; }
registry() { python3 "$here/../registry_params.py" "$@"; }
as_params() { for p in "$@"; do echo --param "$p"; done; }

registry lanes > /dev/null  # fails loudly (set -e) when the registry cannot be read
while read -r config _key _fmt params; do  # every lane with hardware, e.g. lane_split3_fp16 ... WFMT=2 STYLE=3 S=3
  # shellcheck disable=SC2046,SC2086
  synth --config "$config" --top lane_mul $(as_params $params)
done < <(registry lanes)
synth --config scale_unit --top scale_mul
synth --config fp32_adder --top fp32_add
synth --config acc_fixed_32_16 --top acc_fixed --param W=32 --param F=16
mant_style=$(registry engine-styles | awk '$1 == "mant" {print $2}')
for L in 4 8 16 32; do
  synth --config "engine_L${L}_e2m1_mant_fp32" --top dot_engine --param L=$L --param WFMT=0 --param "$mant_style"
done
fmts=(e2m1 e4m3)  # the dot_engine RTL takes E2M1 and E4M3 weights (WFMT 0, 1)
while read -r key style; do
  for w in 0 1; do
    [ "$w$key" = "0mant" ] && continue  # engine_L16_e2m1_mant_fp32 above
    synth --config "engine_L16_${fmts[w]}_${key}_fp32" --top dot_engine --param L=16 --param WFMT=$w --param "$style"
  done
done < <(registry engine-styles)
synth --config engine_L16_e2m1_mant_fixed32 --top dot_engine --param L=16 --param ACC_FIXED=1 --param ACC_W=32 --param ACC_F=16
synth --config array_2x2_L16_e2m1_mant_fp32 --top os_array --param R=2 --param C=2 --param L=16
