"""nvfp4dse: design-space exploration of the NVFP4 edge MAC array (docs/dse.md).

Sweeps (grid, random, Optuna multi-objective) over design parameters; each point is evaluated (simulator or the
analytic cost model, plus accuracy on real layer tensors with faults) and stored once in an SQLite results store;
points run on Dask distributed; reports are PNG plots and one self-contained HTML page per sweep.
"""
__version__ = "0.1.0"
