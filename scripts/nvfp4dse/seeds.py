"""The one seed range of the project, read from its owner, the C++ header numerics/seed.hpp (kSeedMax), so that a
sweep seed means the same in Python (NumPy, Optuna) as in the C++ tools it is handed to (docs/cli.md, "Seeds")."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

HEADER = Path(__file__).resolve().parents[2] / "numerics" / "seed.hpp"


@lru_cache(maxsize=1)
def seed_max() -> int:
    try:
        text = HEADER.read_text()
    except OSError as e:
        raise ImportError(f"{HEADER}: cannot read the seed range ({e.strerror}); run from the repository") from e
    m = re.search(r"kSeedMax\s*=\s*(0[xX][0-9a-fA-F]+|\d+)", text)
    if not m:
        raise ImportError(f"{HEADER}: kSeedMax not found")
    return int(m.group(1), 0)


def seed_problem(value) -> str | None:
    """Why `value` is not a seed (None when it is one): an integer (not a bool) in [0, seed_max()]."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= seed_max():
        return f"must be an integer in [0, {seed_max()}], got {value!r}"
    return None
