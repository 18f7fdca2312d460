"""nvfp4dse: design-space exploration of the NVFP4 edge MAC array (docs/dse.md).

Sweeps (grid, random, Optuna multi-objective) over the simulator's own architecture keys; each point is an nvfp4sim
architecture file, priced by `nvfp4sim run` (energy, area, cycles, faults) and scored on real layer tensors read back
through the simulator's SRAM fault path; stored once in an SQLite results store; points run on Dask distributed;
reports are PNG plots and one self-contained HTML page per sweep.
"""
__version__ = "0.1.0"
