#!/usr/bin/env python3
"""Atheris (libFuzzer for Python) target of the sweep-file reader, nvfp4dse.space.load_sweep: YAML parsing with
duplicate-key detection, then every key, seed and value check. The only acceptable outcomes are a Sweep or
SweepError; anything else (another exception, a hang) is a finding. Run through scripts/fuzz_inputs.sh; the seed
corpus (sweep_corpus/) is replayed by tests/scripts/test_fuzz_sweep_corpus.py."""
from __future__ import annotations

import atexit
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

from nvfp4dse.space import SweepError, load_sweep  # noqa: E402

_PATH = Path(tempfile.gettempdir()) / f"nvfp4-fuzz-sweep-{os.getpid()}.yaml"
atexit.register(lambda: _PATH.unlink(missing_ok=True))


def parse_one(data: bytes) -> bool:
    """True when the bytes are a valid sweep, False when load_sweep refused them with SweepError."""
    _PATH.write_bytes(data)
    try:
        load_sweep(_PATH)
        return True
    except SweepError:
        return False


def main() -> None:
    import atheris
    atheris.instrument_all()
    atheris.Setup(sys.argv, lambda data: parse_one(data))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
