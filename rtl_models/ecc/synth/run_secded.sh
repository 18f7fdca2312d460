#!/usr/bin/env bash
# Area and leakage of the SECDED encoder and decoder on sky130 HD (typical corner), through the project's generic
# Yosys flow rtl_models/synth/synth_area.py (lpflow cells excluded). Writes rtl_models/ecc/secded_area.csv.
#   bash rtl_models/ecc/synth/run_secded.sh [CSV]     (about 2 minutes on 2 cores)
# Widths: 8 (a scale byte), 16, 32 (the tensor scale), 64 (default SRAM word), 72 (one NVFP4 block), 128 (widest).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
csv="${1:-$root/rtl_models/ecc/secded_area.csv}"
cd "$root"
for k in 8 16 32 64 72 128; do
  for m in secded_enc secded_dec; do
    python3 rtl_models/synth/synth_area.py --config "${m}_${k}" --top "$m" --param "K=$k" \
      --files "rtl_models/ecc/$m.sv" --csv "$csv"
  done
done
