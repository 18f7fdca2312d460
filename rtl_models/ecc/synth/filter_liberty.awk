# Drops the cell groups whose name matches PATTERN (default: sky130 lpflow isolation/retention cells, which ABC would
# otherwise pick for plain logic) from a Liberty file; everything else passes through unchanged.
BEGIN { if (PATTERN == "") PATTERN = "sky130_fd_sc_hd__lpflow_"; skipping = 0; depth = 0 }
{
  if (!skipping && $0 ~ /^[ \t]*cell[ \t]*\(/ && index($0, PATTERN) > 0) { skipping = 1; depth = 0 }
  if (skipping) {
    line = $0
    opens = gsub(/\{/, "{", line)
    closes = gsub(/\}/, "}", line)
    depth += opens - closes
    if (depth <= 0 && opens + closes > 0) skipping = 0
    next
  }
  print
}
