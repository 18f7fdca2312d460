#!/usr/bin/env bash
# CTest lut_gen_tool: nvfp4-lut-gen run into a scratch root reproduces every committed generated file byte for byte,
# and refuses bad options with `error: ...` and exit status 2.   gen_tool_test.sh GEN REPO_ROOT SCRATCH
set -euo pipefail
gen=$1; repo=$2; scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch/lut"
"$gen" --root "$scratch" > "$scratch/written.txt"
n=0
while read -r _ rel; do
  cmp "$scratch/$rel" "$repo/$rel" || { echo "committed $rel is not what nvfp4-lut-gen writes"; exit 1; }
  n=$((n + 1))
done < "$scratch/written.txt"
[ "$n" -eq 10 ] || { echo "expected 10 generated files, got $n"; exit 1; }
for args in "--bogus" "" "--root $scratch/nonexistent"; do
  set +e; out=$("$gen" $args 2>&1); rc=$?; set -e
  [ $rc -eq 2 ] && echo "$out" | grep -q '^error: ' || { echo "'$args': rc $rc, output: $out"; exit 1; }
  echo "refused as expected: $out"
done
echo "lut_gen_tool: $n files identical"
