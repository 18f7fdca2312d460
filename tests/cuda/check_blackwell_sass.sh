#!/usr/bin/env bash
# Inspects the native Blackwell object (sm_100a / sm_120a) for the hardware FP4 and UE8M0 conversions: the SASS must
# hold F2FP conversions to E2M1 and UE8M0, the PTX the cvt instructions. Needs cuobjdump (CUDA toolkit, or the PyPI
# package nvidia-cuda-cuobjdump from scripts/deps/pip-cuda.txt); prints SKIP when none is found.
set -euo pipefail
obj="$1"
tool=$(command -v cuobjdump || true)
[ -z "$tool" ] && [ -x /usr/local/cuda/bin/cuobjdump ] && tool=/usr/local/cuda/bin/cuobjdump
if [ -z "$tool" ]; then
  tool=$(python3 - <<'PY' 2>/dev/null || true
import importlib.util, os
s = importlib.util.find_spec("nvidia")
for d in (s.submodule_search_locations if s else []):
    for sub in ("cu13/bin/cuobjdump", "cuda_cuobjdump/bin/cuobjdump"):
        p = os.path.join(d, sub)
        if os.path.exists(p): print(p)
PY
)
  tool=$(echo "$tool" | head -1)
fi
if [ -z "$tool" ]; then
  echo "SKIP: no cuobjdump (install nvidia-cuda-cuobjdump from PyPI); the Blackwell code was compiled but not inspected"
  exit 0
fi
echo "cuobjdump: $tool"
# cuobjdump runs nvdisasm for SASS; the PyPI packages put both in one folder
[ -z "${NVDISASM_PATH:-}" ] && ! command -v nvdisasm >/dev/null && export NVDISASM_PATH="$(dirname "$tool")"
fail=0
for arch in sm_100a sm_120a; do
  sass=$("$tool" --dump-sass --gpu-architecture "$arch" "$obj")
  ptx=$("$tool" --dump-ptx "$obj")
  # F2FP.SATFINITE.E2M1.F32... (cvt e2m1x2) and F2FP.SATFINITE.E8.F32....RZ/.RP (cvt ue8m0x2)
  for pat in 'F2FP\.SATFINITE\.E2M1\.F32' 'F2FP\.SATFINITE\.E8\.F32.*\.RZ' 'F2FP\.SATFINITE\.E8\.F32.*\.RP'; do
    if grep -q "$pat" <<<"$sass"; then
      echo "ok: $arch SASS has $(grep -m1 -o 'F2FP[A-Z0-9._]*' <<<"$(grep "$pat" <<<"$sass")")"
    else
      echo "FAIL: $arch SASS has no instruction matching $pat"; fail=1
    fi
  done
done
for pat in 'cvt.rn.satfinite.e2m1x2.f32' 'cvt.rz.satfinite.ue8m0x2.f32' 'cvt.rp.satfinite.ue8m0x2.f32'; do
  if grep -q "$pat" <<<"$ptx"; then echo "ok: PTX has $pat"; else echo "FAIL: PTX has no $pat"; fail=1; fi
done
exit $fail
