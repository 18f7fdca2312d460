#!/usr/bin/env bash
# The main job. Installs what it needs, builds the tools, then
#  1. runs the SystemC simulator on the small edge preset (4 x 4 engines of 16 lanes) and ResNet-18 (batch 1,
#     224 x 224, 1.8 GMAC) with the golden numerics, energy accounting and SRAM faults on, and prints its summary;
#  2. runs the default study (scripts/default_study.sh): SRAM supply voltage x ECC layout on the default design and a
#     real workload, and ends with the path of its HTML report.
# Results land in results/ (RESULTS=DIR to change).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
jobs=${JOBS:-$(nproc)}
out=${RESULTS:-results}
bash scripts/bootstrap.sh >&2
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
# main_job (root CMakeLists.txt) depends on every target the job needs that this machine can build.
cmake --build build -j"$jobs" --target main_job >&2

./build/bin/nvfp4sim run --arch sim/presets/edge-small.yaml --workload sim/examples/resnet18.csv \
  --out "$out/resnet18-edge-small"
echo
echo "default study (voltage x ECC layout):"
bash scripts/default_study.sh "$out/default_study"
