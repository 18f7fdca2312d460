#!/usr/bin/env bash
# Benchmark of the DSE runner: design points per minute of the standard sweep (scripts/sweeps/bench.yaml, 12 points)
# with 1 and 2 local Dask workers, fresh store each time, wall time including the cluster start; scaling efficiency
# = rate(2) / (2 * rate(1)). Usage: bash scripts/bench_dse.sh [REPEATS=2]. Prints one line per run and a summary.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repeats=${1:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A best
for workers in 1 2; do
  best[$workers]=0
  for r in $(seq "$repeats"); do
    t0=$(date +%s.%N)
    "$here/nvfp4-dse" run "$here/sweeps/bench.yaml" --store "$tmp/w$workers-$r.sqlite" --workers "$workers" \
      --no-progress >/dev/null
    t1=$(date +%s.%N)
    rate=$(python3 -c "print(f'{12 / (($t1 - $t0) / 60):.1f}')")
    echo "workers=$workers run=$r seconds=$(python3 -c "print(f'{$t1 - $t0:.1f}')") points_per_min=$rate"
    best[$workers]=$(python3 -c "print(max($rate, ${best[$workers]}))")
  done
done
python3 -c "r1, r2 = ${best[1]}, ${best[2]}; print(f'best of $repeats: 1 worker {r1} points/min, 2 workers {r2} points/min, scaling efficiency {r2 / (2 * r1):.2f}')"
