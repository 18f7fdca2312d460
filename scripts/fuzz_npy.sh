#!/usr/bin/env bash
# Fuzzes the .npy parser and the .npz reader (numerics/io) with libFuzzer + ASan + UBSan (Debian clang and
# libclang-rt-14-dev, see scripts/deps/apt-io.txt). Builds in its own folder, then runs for the given time.
#
# Usage: scripts/fuzz_npy.sh [SECONDS=600] [extra libFuzzer flags...]
#   FUZZ_BUILD=dir   build folder (default build-fuzz/ in the repository root)
#   FUZZ_JOBS=n      parallel fuzzing processes (default 1)
# The committed seed corpus is tests/numerics/io/fuzz_corpus/ (read only here); new inputs go to $FUZZ_BUILD/corpus.
# Findings are written as $FUZZ_BUILD/crash-* (reproduce: $FUZZ_BUILD/fuzz_npy $FUZZ_BUILD/crash-...). Once fixed, copy
# the input into fuzz_corpus/ so that the unit test test_io_fuzz_corpus replays it forever.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=${1:-600}
shift || true
out=${FUZZ_BUILD:-$root/build-fuzz}
mkdir -p "$out/corpus"
cxx=${CXX_FUZZ:-clang++}

# The readers and the format conversions they use (fp16/bf16 -> float); nothing else of the library.
sources=("$root"/numerics/io/{npy_header,npy,npz,float_view,atomic_file}.cpp "$root"/numerics/formats/*.cpp
         "$root/tests/numerics/io/fuzz_npy_target.cpp")
echo "fuzz_npy: building $out/fuzz_npy with $($cxx --version | head -1)"
# shellcheck disable=SC2046
$cxx -std=c++20 -O1 -g -ffp-contract=off -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$root" -I"$root/tests/numerics/io" $(pkg-config --cflags libzip) "${sources[@]}" \
  $(pkg-config --libs libzip) -o "$out/fuzz_npy"

echo "fuzz_npy: fuzzing for ${seconds}s (start $(date -u +%FT%TZ))"
start=$(date +%s)
status=0
cd "$out"  # libFuzzer writes its fuzz-N.log files (with -jobs) into the current folder
"$out/fuzz_npy" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -jobs="${FUZZ_JOBS:-1}" -workers="${FUZZ_JOBS:-1}" \
  -dict="$root/tests/numerics/io/fuzz_npy.dict" -artifact_prefix="$out/" "$@" \
  "$out/corpus" "$root/tests/numerics/io/fuzz_corpus" || status=$?
echo "fuzz_npy: ran $(( $(date +%s) - start ))s, exit status $status (end $(date -u +%FT%TZ))"
exit $status
