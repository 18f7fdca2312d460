"""Where the project's data lives (presets, workload tables, tensors, the nvfp4sim build).

From a checkout: the repository holding this package. Installed with pip: $NVFP4_ROOT, else the current folder when it
is a checkout (sim/presets exists there), else the checkout recorded at build time is not assumed: set NVFP4_ROOT.
"""
from __future__ import annotations

import os
from pathlib import Path


def _root() -> Path:
    if os.environ.get("NVFP4_ROOT"):
        return Path(os.environ["NVFP4_ROOT"]).resolve()
    here = Path(__file__).resolve().parents[2]
    if (here / "sim" / "presets").is_dir():
        return here
    return Path.cwd().resolve()


ROOT = _root()
