"""Logic characterization flow (docs/energy.md): Yosys synthesis onto sky130_fd_sc_hd, gate-level simulation under
Verilator on real operand streams, power from OpenSTA, cross-checked by a direct sum over the Liberty tables.
Entry point: scripts/characterize."""
