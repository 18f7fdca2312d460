#!/usr/bin/env bash
# The main job on its embedded default. Installs what it needs, builds, runs, prints a short report.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
jobs=${JOBS:-$(nproc)}
bash scripts/bootstrap.sh >&2
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs" --target nvfp4 >&2
./build/bin/nvfp4 demo
