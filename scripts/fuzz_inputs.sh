#!/usr/bin/env bash
# Fuzzes the readers of the simulator's and the sweeps' input files: the YAML configuration (sim/config), the workload
# CSV (sim/workload, native and SCALE-Sim tables) with libFuzzer + ASan + UBSan (clang, as scripts/fuzz_npy.sh), and
# the sweep file (scripts/nvfp4dse/space.py) with Atheris (scripts/deps/pip-fuzz.txt). Builds in its own folder, then
# runs each target for the given time, one after the other.
#
# Usage: scripts/fuzz_inputs.sh [SECONDS_PER_TARGET=120] [config|workload|sweep ...]
#   FUZZ_BUILD=dir   build folder (default build-fuzz/ in the repository root)
# Seed corpora (read only here): tests/sim/fuzz/config_corpus, tests/sim/fuzz/workload_corpus,
# tests/scripts/fuzz/sweep_corpus; new inputs go to $FUZZ_BUILD/<target>-corpus. Findings are written as
# $FUZZ_BUILD/<target>-crash-*; once fixed, copy the input into the seed corpus so that the replay tests
# (sim_fuzz_corpus, dse_fuzz_sweep_corpus) run it forever.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=${1:-120}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(config workload sweep)
out=${FUZZ_BUILD:-$root/build-fuzz}
mkdir -p "$out"
cxx=${CXX_FUZZ:-clang++}
flags=(-std=c++20 -O1 -g -ffp-contract=off -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$root" -I"$root/tests/sim/fuzz")
# The readers and what they call (spec parsing, ecc/ layouts, format conversions); nothing else of the libraries.
common=("$root"/sim/config/{sim_config,strict_yaml,bank_protection}.cpp "$root"/ecc/src/{protection_layout,secded,wide_word}.cpp
        "$root"/numerics/quant/{quant_spec,quantized_tensor}.cpp "$root/numerics/gemm/accum_policy.cpp"
        "$root"/numerics/formats/*.cpp "$root/numerics/io/memory_budget.cpp")

run_libfuzzer() {  # name target.cpp extra-sources...
  local name=$1 src=$2
  shift 2
  echo "fuzz_inputs: building $out/fuzz_$name with $($cxx --version | head -1)"
  $cxx "${flags[@]}" "$root/tests/sim/fuzz/$src" "$@" -lyaml-cpp -o "$out/fuzz_$name"
  mkdir -p "$out/$name-corpus"
  echo "fuzz_inputs: fuzzing $name for ${seconds}s (start $(date -u +%FT%TZ))"
  local start status=0
  start=$(date +%s)
  (cd "$out" && "$out/fuzz_$name" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 -timeout=10 \
     -print_final_stats=1 -artifact_prefix="$out/$name-" "$out/$name-corpus" "$root/tests/sim/fuzz/${name}_corpus") \
    || status=$?
  echo "fuzz_inputs: $name ran $(( $(date +%s) - start ))s, exit status $status (end $(date -u +%FT%TZ))"
  return $status
}

status=0
for t in "${targets[@]}"; do
  case $t in
    config) run_libfuzzer config fuzz_config_target.cpp "${common[@]}" || status=$? ;;
    workload) run_libfuzzer workload fuzz_workload_target.cpp "${common[@]}" "$root/sim/workload/workload_csv.cpp" \
                || status=$? ;;
    sweep)
      mkdir -p "$out/sweep-corpus"
      echo "fuzz_inputs: fuzzing sweep for ${seconds}s with Atheris (start $(date -u +%FT%TZ))"
      (cd "$out" && python3 "$root/tests/scripts/fuzz/fuzz_sweep.py" -max_total_time="$seconds" -max_len=4096 \
         -timeout=10 -print_final_stats=1 -artifact_prefix="$out/sweep-" "$out/sweep-corpus" \
         "$root/tests/scripts/fuzz/sweep_corpus") || status=$?
      echo "fuzz_inputs: sweep done, exit status $status (end $(date -u +%FT%TZ))" ;;
    *) echo "fuzz_inputs: unknown target '$t' (config, workload, sweep)" >&2; exit 2 ;;
  esac
done
exit $status
