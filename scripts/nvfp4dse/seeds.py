"""The one seed range of the project, asked of its owner, the C++ header numerics/seed.hpp (kSeedMax), through the
bindings (nvfp4_native.SEED_MAX), so that a sweep seed means the same in Python (NumPy, Optuna) as in the C++ tools it
is handed to (docs/cli.md, "Seeds")."""
from __future__ import annotations


def seed_max() -> int:
    from . import native  # ImportError says how to build the extension
    return int(native._ext.SEED_MAX)


def seed_problem(value) -> str | None:
    """Why `value` is not a seed (None when it is one): an integer (not a bool) in [0, seed_max()]."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= seed_max():
        return f"must be an integer in [0, {seed_max()}], got {value!r}"
    return None
