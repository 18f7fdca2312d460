#!/usr/bin/env bash
# nvfp4-sram end to end: the Liberty numbers at the characterized corner, the extrapolation label, bad input (exit 2).
set -u
bin=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
out=$("$bin" --preset sky130-openram --vdd 1.8 --word-bits 32 --words 256) || fail "valid call exited $?"
grep -q '"read_pj": 19.178932,' <<<"$out" || fail "read_pj is not the Liberty 2 x 9.589466 pJ: $out"
grep -q '"area_um2": 190712.55,' <<<"$out" || fail "area is not the macro's: $out"
grep -q '"provenance": "measured"' <<<"$out" || fail "1.8 V not labelled measured: $out"
out=$("$bin" --preset sky130-openram --vdd 1.2 --word-bits 137 --words 8192) || fail "valid call exited $?"
grep -q '"provenance": "extrapolated"' <<<"$out" || fail "1.2 V not labelled extrapolated: $out"
grep -q '5 x 32 tiles' <<<"$out" || fail "137-bit x 8192 bank is not 5 x 32 tiles: $out"
out=$("$bin" --preset sun2017-65nm --vdd 1.0 --word-bits 64 --words 1024) || fail "literature call exited $?"
grep -q '"area_um2": null' <<<"$out" || fail "literature preset reports an area: $out"
for args in "--preset nope --vdd 1 --word-bits 8 --words 8" "--preset sky130-openram --vdd 2.5 --word-bits 8 --words 8" \
            "--preset sky130-openram --vdd 1.8 --word-bits 0 --words 8" "--preset sky130-openram --vdd x --word-bits 8 --words 8" \
            "--preset sky130-openram --vdd 1.8 --word-bits 8" "--preset sky130-openram --vdd 1.8 --word-bits 8 --words 8 --bogus 1"; do
  err=$("$bin" $args 2>&1 >/dev/null); rc=$?
  [ $rc -eq 2 ] || fail "'$args' exited $rc, want 2"
  grep -q '^error: ' <<<"$err" || fail "'$args' printed no 'error: ' line: $err"
done
echo "nvfp4-sram: all checks passed"
