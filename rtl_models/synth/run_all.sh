#!/usr/bin/env bash
# Synthesizes the comparison set of rtl_models/ with Yosys against sky130 HD (typical corner) and writes
# rtl_models/synth/results.csv (committed data; the SystemC simulator reads area and leakage from it).
#   bash rtl_models/synth/run_all.sh [CSV]        (from anywhere; about 10 minutes on 2 cores)
# Styles: 0 = mantissa-lut, 1 = full-lut, 2 = array, 3 = split-lut:S. WFMT: 0 = E2M1, 1 = E4M3, 2 = FP16 weights.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
csv="${1:-$here/results.csv}"
synth() { python3 "$here/synth_area.py" --csv "$csv" "$@"; }

styles=(mant full array)
fmts=(e2m1 e4m3 fp16)
for w in 0 1; do
  for s in 0 1 2; do
    synth --config "lane_${styles[s]}_${fmts[w]}" --top lane_mul --param WFMT=$w --param STYLE=$s
  done
done
# FP16 weights: no full-lut (2^20 entries); split-lut lanes for FP16 and E4M3 weights.
synth --config lane_mant_fp16 --top lane_mul --param WFMT=2 --param STYLE=0
synth --config lane_array_fp16 --top lane_mul --param WFMT=2 --param STYLE=2
for w in 2 1; do
  for S in 2 3 4; do
    synth --config "lane_split${S}_${fmts[w]}" --top lane_mul --param WFMT=$w --param STYLE=3 --param S=$S
  done
done
synth --config scale_unit --top scale_mul
synth --config fp32_adder --top fp32_add
synth --config acc_fixed_32_16 --top acc_fixed --param W=32 --param F=16
for L in 4 8 16 32; do
  synth --config "engine_L${L}_e2m1_mant_fp32" --top dot_engine --param L=$L --param WFMT=0 --param STYLE=0
done
for w in 0 1; do
  for s in 0 1 2; do
    [ "$w$s" = "00" ] && continue  # engine_L16_e2m1_mant_fp32 above
    synth --config "engine_L16_${fmts[w]}_${styles[s]}_fp32" --top dot_engine --param L=16 --param WFMT=$w --param STYLE=$s
  done
done
synth --config engine_L16_e2m1_mant_fixed32 --top dot_engine --param L=16 --param ACC_FIXED=1 --param ACC_W=32 --param ACC_F=16
synth --config array_2x2_L16_e2m1_mant_fp32 --top os_array --param R=2 --param C=2 --param L=16
