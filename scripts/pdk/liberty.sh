#!/usr/bin/env bash
# The one place that knows where a sky130 Liberty file lives. Every PDK user asks it: the CTest registration
# (cmake/Pdk.cmake), the Python flows (scripts/pdk/pdk.py), the shell scripts.
#
#   scripts/pdk/liberty.sh LIBRARY CELL_LIB                 prints the path (exit 0), or why not (stderr, exit 77)
#   scripts/pdk/liberty.sh LIBRARY CELL_LIB -- CMD ARGS...  runs CMD with NVFP4_LIBERTY=<path> in its environment;
#                                                           without the file it prints a skip message and exits 77
# e.g. scripts/pdk/liberty.sh sky130_fd_sc_hd sky130_fd_sc_hd__tt_025C_1v80
#
# Search order (first hit wins; CELL_LIB.lib, then CELL_LIB.lib.gz, in each place):
#   1. $NVFP4_PDK_ROOT, flat layout: $NVFP4_PDK_ROOT/CELL_LIB.lib[.gz] or $NVFP4_PDK_ROOT/<one folder>/CELL_LIB.lib[.gz]
#   2. $PDK_ROOT, the volare / ciel layout: $PDK_ROOT/sky130A/libs.ref/LIBRARY/lib/CELL_LIB.lib[.gz] (then sky130B)
#   3. ../shared/pdk beside the repository (the development machines and CI), flat layout as in 1.
# Exit 77 is CTest's SKIP_RETURN_CODE for the tests that need a library (cmake/Pdk.cmake).
set -uo pipefail
if [ $# -lt 2 ]; then
  echo "usage: liberty.sh LIBRARY CELL_LIB [-- CMD ARGS...]" >&2
  exit 2
fi
library=$1; cell_lib=$2; shift 2
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared_pdk="$(cd "$repo/.." && pwd)/shared/pdk"

flat_lookup() {  # flat_lookup ROOT: the file directly in ROOT or in one folder below it
  local root=$1 ext f
  [ -d "$root" ] || return 1
  for ext in lib lib.gz; do
    for f in "$root/$cell_lib.$ext" "$root"/*/"$cell_lib.$ext"; do
      [ -f "$f" ] && { echo "$f"; return 0; }
    done
  done
  return 1
}

find_liberty() {
  local variant ext
  if [ -n "${NVFP4_PDK_ROOT:-}" ]; then
    flat_lookup "$NVFP4_PDK_ROOT" && return 0
  fi
  if [ -n "${PDK_ROOT:-}" ]; then
    for variant in sky130A sky130B; do
      for ext in lib lib.gz; do
        local f="$PDK_ROOT/$variant/libs.ref/$library/lib/$cell_lib.$ext"
        [ -f "$f" ] && { echo "$f"; return 0; }
      done
    done
  fi
  flat_lookup "$shared_pdk"
}

if ! path=$(find_liberty); then
  [ $# -gt 0 ] && echo "skipped (exit 77, CTest SKIP_RETURN_CODE): this needs the sky130 PDK." >&2
  cat >&2 <<EOF
the sky130 Liberty file $cell_lib.lib (library $library) was not found.
  Looked in: \$NVFP4_PDK_ROOT (${NVFP4_PDK_ROOT:-unset}), \$PDK_ROOT/sky130A/libs.ref/$library/lib (PDK_ROOT ${PDK_ROOT:-unset}),
  and $shared_pdk.
  To get it: install the sky130 PDK with volare or ciel (pip install volare; volare enable --pdk sky130 <version>)
  and export PDK_ROOT, or point NVFP4_PDK_ROOT at a folder holding $cell_lib.lib[.gz].
EOF
  exit 77
fi
if [ $# -eq 0 ]; then
  echo "$path"
  exit 0
fi
if [ "$1" != "--" ] || [ $# -lt 2 ]; then
  echo "usage: liberty.sh LIBRARY CELL_LIB [-- CMD ARGS...]" >&2
  exit 2
fi
shift
export NVFP4_LIBERTY="$path"
exec "$@"
