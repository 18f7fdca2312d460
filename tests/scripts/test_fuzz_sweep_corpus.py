"""Replays the sweep-file fuzzer's corpus (tests/scripts/fuzz/sweep_corpus, see scripts/fuzz_inputs.sh): every input
loads or raises SweepError (anything else fails), and the corpus holds both kinds."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "fuzz"))

from fuzz_sweep import parse_one  # noqa: E402


def test_every_sweep_input_loads_or_is_refused():
    results = {p.name: parse_one(p.read_bytes()) for p in sorted((HERE / "fuzz" / "sweep_corpus").iterdir())}
    assert len(results) >= 10
    assert any(results.values()) and not all(results.values()), results
